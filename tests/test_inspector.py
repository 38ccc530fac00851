"""The step inspector: the equations shown compute the engine's numbers, for every rule, convention and variant."""

from __future__ import annotations

import itertools
import json
import math
import re

import numpy as np
import pytest

from trajectories import noise, run
from trajectories.cli import main
from trajectories.i18n import tables
from trajectories.inspector import (
    NOISE,
    SYMBOLS,
    TEXTS,
    equations,
    evaluate,
    fill,
    fmt,
    inspect,
    sources,
    templates,
    variant_choices,
    variant_key,
    variant_names,
)
from trajectories.lesson import Lesson
from trajectories.specs import CONVENTIONS, RULES, specs

CJK = re.compile(r"[\u4e00-\u9fff]")


def variants(rule, convention):
    """Every combination of the rule's variants (gradient noise, Adam's bias correction), as a run's settings: the
    noisy variant at sigma 0.5."""
    names = variant_names(rule, convention)
    out = []
    for combo in itertools.product(*(variant_choices(rule, convention, n) for n in names)):
        choice = dict(zip(names, combo, strict=True))
        out.append({**choice, "sigma": 0.5} if choice.pop(NOISE, False) else choice)
    return out


CASES = [(rule, convention, choice) for convention in CONVENTIONS for rule in RULES
         for choice in variants(rule, convention)]
OBJECTIVES = ("quadratic", "rotated", "rosenbrock")


def case_id(case):
    rule, convention, choice = case
    return "-".join([rule, convention, *(f"{k}={v}" for k, v in choice.items())])


@pytest.mark.parametrize("case", CASES, ids=case_id)
@pytest.mark.parametrize("objective", OBJECTIVES)
def test_every_line_computes_the_engines_value(case, objective):
    """Each line, evaluated with the values above it, gives the number the engine keeps: the equations shown are
    the ones the engine runs (a wrong sign, eps on the wrong side of the root, a state read after its update
    would each fail here)."""
    rule, convention, choice = case
    start = (-1.5, 1.5) if objective == "rosenbrock" else (-5.0, -2.0)
    small = {"rosenbrock": {"eta": 0.001}, "rotated": {"eta": 0.05}}.get(objective, {})
    eta = small if "eta" in specs(rule, convention) else {}
    t = run(rule, objective=objective, convention=convention, seed=5, steps=12, start=start, **eta, **choice)
    assert t.diverged_at is None
    for step in (0, 1, 3, 11):
        inspection = inspect(t, step)
        for line in inspection.lines:
            np.testing.assert_allclose(line.computed, line.value, rtol=1e-12, atol=1e-300,
                                       err_msg=f"{case_id(case)} step {step}: {line.line.text}")


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_the_numbers_are_the_engines_record(case):
    rule, convention, choice = case
    t = run(rule, convention=convention, seed=11, steps=8, **choice)
    for step in (0, 4, 7):
        i = inspect(t, step)
        assert i.t == step + 1
        np.testing.assert_array_equal(i.x, t.points[step])
        np.testing.assert_array_equal(i.x_next, t.points[step + 1])
        np.testing.assert_array_equal(i.update, t.points[step + 1] - t.points[step])
        np.testing.assert_array_equal(i.gradient, t.gradients[step])
        for name in t.state:
            np.testing.assert_array_equal(i.state_before[name], t.state[name][step])
            np.testing.assert_array_equal(i.state_after[name], t.state[name][step + 1])
        if t.effective_lr is None:
            assert i.effective_lr is None
        else:
            np.testing.assert_array_equal(i.effective_lr, t.effective_lr[step])
        by_name = {line.line.name: line.value for line in i.lines}
        np.testing.assert_array_equal(by_name["x"], t.points[step + 1])  # the x line's result is the next point
        for name in t.state:
            np.testing.assert_array_equal(by_name[name], t.state[name][step + 1])
        if rule == "sgd" or "sigma" in choice:  # the noise the engine added: sigma times this seed's draw
            sigma = choice.get("sigma", 1.0)
            np.testing.assert_array_equal(by_name["g"], t.gradients[step] + sigma * noise.table(11, step + 1)[step])
        else:
            np.testing.assert_array_equal(by_name["g"], t.gradients[step])


def test_the_step_that_diverged_shows_where_the_rule_sent_the_point():
    t = run("gd", eta=0.6, steps=60)
    d = t.diverged_at
    i = inspect(t, d - 1)
    assert i.diverged and np.isnan(i.x_next).all()
    # the x line shows where the rule sent the point, past the bound, although the engine keeps NaN there
    x_line = next(line for line in i.lines if line.line.role == "update")
    assert np.abs(x_line.value).max() > 1e6
    with pytest.raises(ValueError, match=r"The 'step' parameter must be a step the run took: it diverged at step "
                                         rf"{d}, so 0 to {d - 1}\. Got {d} instead\."):
        inspect(t, d)


def test_the_book_notation():
    """The book's RMSProp (d2l 12.8) and torch's, whose eps sits outside the root, in the book's symbols."""
    assert [line.text for line in equations("rmsprop")] == [
        "x", "g = ∇f(x)", "s ← γs + (1 − γ)g²", "η/√(s + ε)", "x ← x − η/√(s + ε)·g"]
    assert [line.text for line in equations("rmsprop", "torch")][-2:] == ["η/(√s + ε)", "x ← x − η/(√s + ε)·g"]
    assert [line.text for line in equations("adadelta")][2:] == [
        "s ← ρs + (1 − ρ)g²", "√(Δx + ε)/√(s + ε)", "g′ = √(Δx + ε)/√(s + ε)·g", "x ← x − g′",
        "Δx ← ρΔx + (1 − ρ)g′²"]
    assert "x ← x − ηg′" in [line.text for line in equations("adadelta", "torch")]
    assert [line.text for line in equations("nesterov")][1:3] == ["x̃ = x − ηβv", "g = ∇f(x̃)"]
    assert [line.text for line in equations("nesterov", "torch")][-1] == "x ← x − η(g + βv)"
    adam = [line.text for line in equations("adam")]
    assert "v̂ = v/(1 − β₁ᵗ)" in adam and adam[-1] == "x ← x − η/(√ŝ + ε)·v̂"
    assert [line.text for line in equations("adam", hyperparameters={"bias_correction": False})][-1] == \
        "x ← x − η/(√s + ε)·v"
    assert [line.text for line in equations("sgd")][1:] == ["g = ∇f(x) + ξ", "x ← x − ηg"]  # the book's 12.4
    assert [line.text for line in equations("adam", hyperparameters={"sigma": 0.5})][1] == "g = ∇f(x) + ξ"
    assert [line.text for line in equations("nesterov", hyperparameters={"sigma": 0.5})][1:3] == [
        "x̃ = x − ηβv", "g = ∇f(x̃) + ξ"]
    # a schedule changes no line: eta is the rate at step t
    assert sources("gd", hyperparameters={"schedule": "cosine"}) == sources("gd")


def test_every_line_is_valid_mathtext():
    from matplotlib.mathtext import MathTextParser

    parser = MathTextParser("path")
    for rule, convention, choice in CASES:
        i = inspect(run(rule, convention=convention, seed=1, steps=5, **choice), 2)
        for line in i.lines:
            for text in (line.line.tex, *line.substituted_tex):
                parser.parse(f"${text}$")


def test_fill_writes_negative_numbers_in_parentheses_where_they_follow_an_operator():
    values = {"x": -2.5, "g": -0.25, "eta": 0.4, "beta1": 0.9, "t": 4, "s": 1e-6}
    assert fill("⟨x⟩ − ⟨(eta)⟩·⟨(g)⟩", values) == "−2.5 − 0.4·(−0.25)"
    assert fill("⟨(beta1)⟩⟨^t⟩", values) == "0.9⁴"
    assert fill("⟨s⟩", values) == "1e−6"
    assert fill("⟨(g)⟩^{2}", values, tex=True) == r"\left(-0.25\right)^{2}"
    assert fmt(1e-6, tex=True) == "10^{-6}" and fmt(2.5e-5, tex=True) == r"2.5 \times 10^{-5}"
    assert fmt(math.nan) == "—" and fmt(123456.0) == "1.235e5"


def test_evaluate_leaves_the_numerator_where_adam_divides_by_zero():
    """beta1 = 1 keeps v at 0, and 1 - beta1^t = 0: the engine leaves v uncorrected (rules._corrected)."""
    t = run("adam", beta1=1.0, beta2=1.0, steps=4)
    i = inspect(t, 2)
    v_hat = next(line for line in i.lines if line.line.name == "v_hat")
    np.testing.assert_array_equal(v_hat.value, [0.0, 0.0])
    assert np.isfinite(t.points).all()
    tree = equations("adam")[4].tree
    np.testing.assert_array_equal(evaluate(tree, {"v": np.array([0.0, 2.0]), "beta1": 1.0, "t": 3}), [0.0, 2.0])


def test_the_last_point_has_no_update():
    t = run("rmsprop")
    i = inspect(t, 20)
    assert i.x_next is None and i.update is None and [line.line.name for line in i.lines] == ["x"]
    np.testing.assert_array_equal(i.lines[0].value, t.points[20])


@pytest.mark.parametrize(("args", "message"), [
    ((run("rmsprop"), 21), "The 'step' parameter must be an integer in the range [0, 20]. Got 21 instead."),
    ((run("rmsprop"), 2.0), "The 'step' parameter must be an integer in the range [0, 20]. Got 2.0 instead."),
    ((run("gd", eta=np.array([0.1, 0.2])), 1), "The 'trajectory' parameter must be a single run from "
                                                 "trajectories.run(). Got a batch of shape (2,) instead."),
])
def test_inspect_says_what_is_wrong(args, message):
    with pytest.raises(ValueError) as info:
        inspect(*args)
    assert str(info.value) == message


def test_templates_hold_every_rule_and_variant_the_page_can_show():
    data = templates()
    assert json.loads(json.dumps(data)) == data
    for rule, convention, choice in CASES:
        entry = data["rules"][convention][rule]
        assert entry["by"] == list(variant_names(rule, convention))
        lines = [data["lines"][i] for i in entry["variants"][variant_key(rule, convention, {**choice})]]
        assert [line["text"] for line in lines] == [line.text for line in equations(rule, convention, choice)]
        for line in lines:  # every slot a template names is an input, a hyperparameter or an earlier line
            names = set(re.findall(r"⟨\^?\(?(\w+)\)?⟩", line["values"]))
            assert names <= set(SYMBOLS) | {"grad", "lr"}, (rule, line)
    assert len({json.dumps(line, sort_keys=True) for line in data["lines"]}) == len(data["lines"])  # each once
    assert variant_key("adam", "d2l", {"bias_correction": True, "eta": 0.4}) == "bias_correction=true,noise=false"
    assert variant_key("gd", "torch", {"sigma": 0.5}) == "noise=true" and variant_key("sgd", "d2l", {}) == ""
    assert sources("gd", "d2l", {"sigma": 0.5})[1] == "g = grad(x) + xi"


def test_run_step_prints_the_inspector(capsys):
    assert main(["run", "rmsprop", "--step", "3"]) == 0
    out = capsys.readouterr().out
    i = inspect(run("rmsprop"), 3)
    assert out.splitlines()[0] == "rmsprop (d2l), step 3 → 4, t = 4"
    assert "s ← γs + (1 − γ)g²" in out and i.lines[2].substituted[0] in out and i.lines[2].substituted[1] in out


@pytest.mark.parametrize("link", [
    "run=gd:schedule=cosine,period=20,warmup=3", "run=gd:schedule=exponential,decay=0.2",
    "run=sgd:schedule=polynomial", "run=momentum:schedule=multifactor,milestones=2,5,factor=0.5",
    "run=rmsprop:schedule=factor,factor=0.8&convention=torch", "run=adam:sigma=0.5,seed=3",
    "run=nesterov:sigma=0.5,seed=3,schedule=cosine,period=10"])
def test_run_step_inspects_any_schedule_and_any_noise(link, capsys):
    """Every schedule (its rate at step t is the lines' eta) and noise on any rule (g = ∇f(x) + ξ, with σξ the draw
    the engine added): the command line prints the lines, whose numbers give the engine's next point."""
    assert main(["run", "--link", link, "--step", "3"]) == 0
    out = capsys.readouterr().out
    lesson = Lesson.from_query(link)[0]
    t = lesson.run()[lesson.keys[0]]
    i = inspect(t, 3)
    assert i.lines[-1].substituted[0] in out and i.lines[-1].substituted[1] in out
    # the last line, computed from the lines above it with eta at the step's rate and g with its noise, is the
    # engine's next point (with the schedule's first rate, or f's gradient alone, it would not be)
    np.testing.assert_allclose(i.lines[-1].computed, t.points[4], rtol=1e-12)
    noisy = lesson.runs[0].hyperparameters["sigma"] > 0
    assert ("∇f(x) + ξ" in out or "∇f(x̃) + ξ" in out) == noisy


def test_run_step_json_gives_the_engines_numbers(capsys):
    assert main(["run", "adam", "--step", "3", "--json", "--convention", "torch"]) == 0
    data = json.loads(capsys.readouterr().out)
    t = run("adam", convention="torch")
    assert data["step"] == 3 and data["t"] == 4 and data["convention"] == "torch"
    assert data["x"] == t.points[3].tolist() and data["x_next"] == t.points[4].tolist()
    assert data["state_before"]["v"] == t.state["v"][3].tolist()
    assert data["state_after"]["s"] == t.state["s"][4].tolist()
    assert data["effective_lr"] == t.effective_lr[3].tolist()
    assert data["gradient"] == t.gradients[3].tolist()
    assert [line["name"] for line in data["lines"]] == ["x", "g", "v", "s", "v_hat", "s_hat", "lr", "x"]
    assert data["lines"][-1]["value"] == t.points[4].tolist()


def test_run_step_past_the_end_is_one_line(capsys):
    assert main(["run", "rmsprop", "--step", "21"]) == 2
    assert capsys.readouterr().err == ("trajectories: error: The 'step' parameter must be an integer in the range "
                                       "[0, 20]. Got 21 instead.\n")


# ---- the exported figure's table -------------------------------------------------------------------------------
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("loss", [False, True])
def test_export_adds_the_inspector_under_the_figure(tmp_path, loss):
    import xml.etree.ElementTree as ET

    from trajectories.figures import STYLES, export

    extra = ["--loss"] if loss else []
    assert main(["export", "adam", "--step", "3", "--inspector", "-o", str(tmp_path) + "/", *extra]) == 0
    path = tmp_path / "adam_eta0.4_beta1-0.9_beta2-0.999_step3_inspector.svg"
    plain = export("adam", tmp_path / "plain.svg", step=3, loss=loss)
    root, without = ET.parse(path).getroot(), ET.parse(plain).getroot()
    assert root.find(f".//{SVG}g[@id='tj-inspector']") is not None
    assert without.find(f".//{SVG}g[@id='tj-inspector']") is None
    height = float(root.get("height").removesuffix("pt")) / 72
    base = STYLES["d2l"].loss_figsize if loss else STYLES["d2l"].figsize
    assert height > base[1] + 1.5  # eight lines of Adam under the figure
    assert root.find(f".//{SVG}g[@id='tj-trajectory-adam']") is not None
    again = tmp_path / "again.svg"
    export("adam", again, step=3, loss=loss, inspector="adam")
    assert again.read_bytes() == path.read_bytes()


def test_export_inspector_as_text_holds_the_steps_numbers(tmp_path):
    path = tmp_path / "r.svg"
    assert main(["export", "rmsprop", "--step", "3", "--inspector", "--text", "text", "--loss", "-o",
                 str(path)]) == 0
    svg = path.read_text()
    i = inspect(run("rmsprop"), 3)
    assert "rmsprop (d2l), step 3 → 4, t = 4" in svg
    for number in ("0.172", "5.493", "0.9645", "0.1707", "1.915"):  # s, the effective rates, the new x1
        assert number in svg
        assert any(number in text for line in i.lines for text in line.substituted)


@pytest.mark.parametrize(("argv", "message"), [
    (["export", "rmsprop", "--inspector"], "The '--inspector' option shows one step: give --step N as well. "
                                           "Got no --step."),
    (["export", "gd,momentum", "--step", "2", "--inspector", "adam"],
     "The 'inspector' parameter must be one of 'gd', 'momentum'. Got 'adam' instead."),
    (["export", "gd", "--eta", "0.6", "--steps", "60", "--step", "45", "--inspector"],
     "The 'step' parameter must be a step the run took: it diverged at step 39, so 0 to 38. Got 45 instead."),
])
def test_export_inspector_says_what_is_wrong_and_writes_nothing(tmp_path, capsys, argv, message):
    assert main([*argv, "-o", str(tmp_path) + "/"]) == 2
    assert capsys.readouterr().err == f"trajectories: error: {message}\n"
    assert list(tmp_path.iterdir()) == []


def test_the_inspector_of_one_of_several_is_named_in_the_file(tmp_path):
    from trajectories.figures import export

    path = export("gd,momentum", tmp_path, step=5, inspector="momentum")
    assert path.name == "gd_eta0.4_vs_momentum_eta0.6_beta0.5_step5_inspector-momentum.svg"


def test_the_browsers_golden_is_what_this_engine_writes_today():
    """js/test/inspector.json, which the page's inspector is tested against, is what make_inspector_golden.py
    writes from this checkout (rerun it after a change to the engine or to the lines); numbers to 1e-12, since
    pow and exp may differ in the last bit between machines."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "js" / "test" / "make_inspector_golden.py"
    spec = importlib.util.spec_from_file_location("make_inspector_golden", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed, fresh = json.loads(module.OUT.read_text(encoding="utf-8")), json.loads(module.golden())

    def same(a, b, where):
        if isinstance(a, float) or isinstance(b, float):
            assert a == pytest.approx(b, rel=1e-12, abs=1e-300), where
        elif isinstance(a, dict):
            assert a.keys() == b.keys(), where
            for k in a:
                same(a[k], b[k], f"{where}.{k}")
        elif isinstance(a, list):
            assert len(a) == len(b), where
            for k, (x, y) in enumerate(zip(a, b, strict=True)):
                same(x, y, f"{where}[{k}]")
        else:
            assert a == b, f"{where}: out of date (run python js/test/make_inspector_golden.py)"

    same(committed, fresh, "inspector.json")


def test_the_inspectors_words_are_the_tables_in_both_languages():
    # one home: Python's English words are the English table's, and every one has its Chinese in the other table
    for key, words in TEXTS.items():
        assert tables()["en"][f"inspector.{key}"] == words
        assert CJK.search(tables()["zh"][f"inspector.{key}"]), key
    i = inspect(run("rmsprop"), 3)
    assert i.title == i.title_in("en") == "rmsprop (d2l), step 3 → 4, t = 4"
    assert i.title_in("zh") == "RMSProp算法（d2l），第3步 → 第4步，t = 4"  # the book's name of the optimizer
    gone = run("gd", eta=1.1, steps=40)
    last = inspect(gone, gone.diverged_at - 1)
    assert last.note.startswith("This step leaves") and "发散" in last.note_in("zh")
    assert "学习率" in tables()["zh"]["inspector.label.rate"]
    with pytest.raises(ValueError, match=r"^The 'lang' parameter must be one of 'en', 'zh'\. Got 'fr' instead\.$"):
        i.title_in("fr")


def test_export_in_chinese_gives_the_inspectors_title_in_chinese(tmp_path):
    path = tmp_path / "r.svg"
    assert main(["export", "rmsprop", "--step", "3", "--inspector", "--text", "text", "--lang", "zh", "-o",
                 str(path)]) == 0
    svg = path.read_text(encoding="utf-8")
    assert "RMSProp算法（d2l），第3步 → 第4步，t = 4" in svg
    assert "step 3 → 4" not in svg
