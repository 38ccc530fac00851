"""A lesson is a list of runs: the same optimizer twice, each run with its settings, schedule, noise, seed, spread
and name; labels made from what differs; links, the command line and the Python API say the same things."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trajectories import export, run
from trajectories.cli import main
from trajectories.figures import COMPARISONS, figure_bytes, file_name
from trajectories.lesson import MAX_RUNS, PAGE_STEPS, Lesson, Run, make_lesson
from trajectories.specs import CONVENTIONS, RULES, SCHEDULE_SPECS, SCHEDULES, SPECS, takes_schedule

BOOK = json.loads((Path(__file__).parent / "golden" / "book.json").read_text())


def printed(optimizer: str, **hyper) -> str:
    """The line the book prints for this setting (tests/golden/book.json)."""
    case = next(c for c in BOOK["cases"] if c["optimizer"] == optimizer and c["objective"] == "quadratic"
                and {k: float(v) for k, v in c["hyperparameters"].items()} == hyper)
    return case["printed"]


# ---- the book's comparisons: one lesson, one link, one figure ------------------------------------------------
@pytest.mark.parametrize(("query", "labels", "lines"), [
    ("run=gd:eta=0.4&run=gd:eta=0.6", ("gd η=0.4", "gd η=0.6"),
     (printed("gd", eta=0.4), printed("gd", eta=0.6))),
    ("run=momentum:eta=0.6,beta=0.5&run=momentum:eta=0.6,beta=0.25", ("momentum β=0.5", "momentum β=0.25"),
     (printed("momentum", eta=0.6, beta=0.5), printed("momentum", eta=0.6, beta=0.25))),
    ("run=adagrad:eta=0.4&run=adagrad:eta=2", ("adagrad η=0.4", "adagrad η=2"),
     (printed("adagrad", eta=0.4), printed("adagrad", eta=2.0))),
])
def test_the_books_comparisons_are_one_lesson_each(query, labels, lines, tmp_path):
    lesson, notes = Lesson.from_query(query)
    assert notes == [] and lesson.labels == labels
    assert tuple(lesson.readout().values()) == lines
    again, notes = Lesson.from_query(lesson.to_query())
    assert again == lesson and notes == []
    path = export(lesson, tmp_path)
    svg = path.read_text()
    assert path.name == file_name(lesson) and path.name.count("_vs_") == 1
    for key in lesson.keys:
        assert f'id="tj-trajectory-{key}"' in svg
    assert svg.count("<g id=\"legend_1\">") == 1


def test_sgd_constant_against_decaying_rates_meets_the_same_noise():
    query = dict(COMPARISONS)["cmp_sgd_schedules"]
    lesson, notes = Lesson.from_query(query)
    assert notes == [] and lesson.labels == ("sgd constant", "sgd exponential", "sgd polynomial")
    assert {r.seed for r in lesson.runs} == {0} and lesson.objective == "bowl" and lesson.steps == 50
    runs = list(lesson.run().values())
    # the same draws: the first step's update differs only by the rate
    steps = [t.points[0] - t.points[1] for t in runs]
    for t, step in zip(runs, steps, strict=True):
        np.testing.assert_allclose(step / t.rates[0], steps[0] / runs[0].rates[0], rtol=1e-12)
    assert runs[1].rates[-1] < runs[2].rates[-1] < runs[0].rates[-1]


def test_every_comparison_of_the_index_is_a_link_without_notes():
    for label, query in COMPARISONS:
        lesson, notes = Lesson.from_query(query)
        assert notes == [], label
        assert Lesson.from_query(lesson.to_query()) == (lesson, [])


# ---- runs and labels ------------------------------------------------------------------------------------------
def test_a_run_is_an_optimizer_with_its_own_settings():
    lesson = Lesson(runs=(Run("gd", {"eta": 0.4}), "gd:eta=0.6,schedule=cosine,period=10,sigma=0.5,seed=3"))
    a, b = lesson.runs
    assert dict(a.hyperparameters) == {"eta": 0.4, "schedule": "constant", "sigma": 0.0}
    assert b.hyperparameters["schedule"] == "cosine" and b.hyperparameters["period"] == 10 and b.seed == 3
    assert lesson.labels == ("gd η=0.4, constant", "gd η=0.6, cosine, σ=0.5")
    assert lesson.keys == ("gd-1", "gd-2") and lesson.optimizers == ("gd", "gd")
    t = lesson.run()["gd η=0.6, cosine, σ=0.5"]
    direct = run("gd", eta=0.6, schedule="cosine", period=10, sigma=0.5, seed=3)
    np.testing.assert_array_equal(t.points, direct.points)


def test_labels_say_what_differs_and_a_teacher_may_name_a_run():
    lesson = Lesson(runs=("gd", "momentum:beta=0.9", "momentum:beta=0.25,label=slow ball", "gd:eta=0.4"))
    assert lesson.labels == ("gd (1)", "momentum", "slow ball", "gd (2)")
    assert Lesson(runs=("sgd:spread=30", "sgd:spread=30,seed=100")).labels == ("sgd seed 0", "sgd seed 100")
    with pytest.raises(ValueError, match="The 'label' parameter must name each run once. Got 'x' twice."):
        Lesson(runs=("gd:label=x", "adam:label=x"))
    for bad in ("a=b", " pad", "", "x" * 41, "tab\t"):
        if bad:
            with pytest.raises(ValueError, match="The 'label' parameter must be a name of 1 to 40"):
                Run("gd", label=bad)


def test_the_older_keywords_still_make_and_change_lessons():
    lesson = Lesson(optimizers=("gd", "momentum"), hyperparameters={"momentum": {"eta": 0.3}}, seed=7)
    assert lesson.optimizers == ("gd", "momentum") and lesson.seed == 7
    assert lesson.resolved("momentum")["eta"] == 0.3 and lesson.hyperparameters["gd"]["eta"] == 0.4
    assert replace(lesson, steps=30).runs == lesson.runs
    fewer = replace(lesson, optimizers=("momentum", "adam"))
    assert fewer.optimizers == ("momentum", "adam") and fewer.resolved("momentum")["eta"] == 0.3
    assert {r.seed for r in replace(lesson, seed=9).runs} == {9}
    assert replace(lesson, hyperparameters={"gd": {"eta": 0.1}}).resolved("gd")["eta"] == 0.1
    with pytest.raises(ValueError, match="must not list an optimizer twice"):
        Lesson(optimizers=("gd", "gd"))
    with pytest.raises(ValueError, match=f"The 'runs' parameter must hold 1 to {MAX_RUNS} runs. Got 7 instead."):
        Lesson(runs=["gd"] * 7)


def test_a_switch_of_convention_keeps_what_both_know():
    torch = Lesson(runs=("adadelta:eta=3,schedule=linear,period=4", "gd:schedule=cosine,start_factor=0.5,warmup=2"),
                   convention="torch")
    book = replace(torch, convention="d2l")
    assert "eta" not in book.resolved(0) and "schedule" not in book.resolved(0)
    assert book.resolved(1)["schedule"] == "cosine" and book.resolved(1)["warmup"] == 2
    assert "start_factor" not in book.resolved(1) and book.resolved(1)["warmup_begin"] == 0.0


def test_a_spread_runs_its_seeds_and_reads_out_its_median():
    lesson = Lesson(runs=("sgd:spread=20,seed=5",), objective="bowl", steps=30)
    t = lesson.run()["sgd"]
    assert t.batch_shape == (20,) and list(t.seed) == list(range(5, 25))
    i = t.median_run()
    line = lesson.readout()["sgd"]
    alone = run("sgd", seed=5 + i, objective="bowl", steps=30)
    assert line == f"median of 20 seeds (seed {5 + i}): {alone.book_line()}"
    wrap = Lesson(runs=(f"sgd:spread=3,seed={2 ** 32 - 2}",)).run()["sgd"]
    assert list(wrap.seed) == [2 ** 32 - 2, 2 ** 32 - 1, 0]
    # without noise every seed walks the same path: one run, read out as one
    calm = Lesson(runs=("gd:spread=20,seed=5",))
    assert calm.run()["gd"].batch_shape == () and calm.readout() == Lesson(runs=("gd",)).readout()


# ---- links ----------------------------------------------------------------------------------------------------
def test_run_links_mix_with_the_other_keys_and_their_own_settings_win():
    lesson, notes = Lesson.from_query("optimizer=momentum&run=gd:eta=0.6&run=gd&eta=0.2&gd.sigma=0.5&sigma=0.1"
                                      "&steps=30&seed=4")
    assert notes == []
    momentum, fast, plain = lesson.runs
    assert momentum.optimizer == "momentum" and momentum.hyperparameters["eta"] == 0.2
    assert momentum.hyperparameters["sigma"] == 0.1 and momentum.seed == 4
    assert fast.hyperparameters["eta"] == 0.6 and fast.hyperparameters["sigma"] == 0.5
    assert plain.hyperparameters["eta"] == 0.2 and lesson.steps == 30


def test_a_run_value_may_hold_commas_and_spaces():
    lesson, notes = Lesson.from_query("run=gd:schedule=multifactor,milestones=5,12,factor=0.3,label=gd, in steps"
                                      "&run=adam")
    assert notes == []
    assert lesson.runs[0].hyperparameters["milestones"] == (5, 12) and lesson.labels[0] == "gd, in steps"
    assert Lesson.from_query(lesson.to_query()) == (lesson, [])


@pytest.mark.parametrize(("query", "says"), [
    ("run=adamw:eta=1", "Ignored run='adamw:eta=1': 'adamw' is not an optimizer"),
    ("run=gd:eta=fast", "Ignored eta='fast' in run 1 (gd): The 'eta' parameter of gd must be a float"),
    ("run=gd:period=3", "Ignored period='3' in run 1 (gd): The 'period' parameter is not a hyperparameter of gd"),
    ("run=gd:schedule=cosine,warmup=30", "Ignored the schedule's parameters of run 1 (gd): The 'warmup' parameter"),
    ("run=gd:eta", "Ignored 'eta' in run='gd:eta': a run's settings are written key=value"),
    ("run=gd:eta=1,eta=2", "Ignored eta='2' in run='gd:eta=1,eta=2': the run sets eta already."),
    ("run=gd:seed=-3", "Ignored seed='-3' in run 1 (gd): The 'seed' parameter must be an integer in the range"),
    ("run=gd:spread=500", "Ignored spread='500' in run 1 (gd): The 'spread' parameter of the run must be an integer"),
    ("optimizer=gd&period=3", "Ignored period='3': no run shown has a schedule that takes it (cosine)."),
    ("optimizer=adadelta&schedule=cosine",
     "Ignored schedule='cosine': adadelta takes 'schedule' only under convention=torch"),
    ("run=gd:label=x&run=gd:label=x", "Ignored label='x' in run 2 (gd): another run has that name."),
    ("&".join(["run=gd"] * 7), f"Ignored runs beyond the first {MAX_RUNS}"),
])
def test_bad_run_links_open_with_a_note(query, says):
    lesson, notes = Lesson.from_query(query)
    assert len(notes) == 1 and notes[0].startswith(says), notes
    lesson.run()
    assert Lesson.from_query(lesson.to_query()) == (lesson, [])


def test_the_link_form_follows_the_runs():
    assert Lesson.from_query("optimizer=gd,momentum&gd.sigma=0.5")[0].to_query().startswith("optimizer=gd,momentum")
    two = Lesson.from_query("run=gd:eta=0.4&run=gd:eta=0.6")[0].to_query()
    assert two == "objective=quadratic&steps=20&run=gd:eta=0.4&run=gd:eta=0.6"
    seeds = Lesson.from_query("optimizer=sgd,gd&sgd.seed=2&gd.sigma=1&gd.seed=3")[0].to_query()
    assert "sgd.seed=2" in seeds and "gd.seed=3" in seeds and "&seed=" not in seeds


SETTING = st.sampled_from(["eta", "sigma", "schedule", "seed", "spread", "label"])


@st.composite
def run_lessons(draw):
    convention = draw(st.sampled_from(CONVENTIONS))
    runs = []
    for _ in range(draw(st.integers(1, MAX_RUNS))):
        rule = draw(st.sampled_from(RULES))
        hp = {}
        for key, spec in SPECS[convention][rule].items():
            if draw(st.booleans()):
                hp[key] = draw(st.sampled_from(spec.choices)) if spec.is_choice else draw(
                    st.floats(spec.low, spec.high) if spec.scale == "linear" else
                    st.floats(math.log10(spec.low), math.log10(spec.high)).map(lambda e: 10.0 ** e))
        if takes_schedule(rule, convention) and draw(st.booleans()):
            schedule = draw(st.sampled_from(SCHEDULES[convention]))
            hp["schedule"] = schedule
            for key, spec in SCHEDULE_SPECS[convention][schedule].items():
                if spec.kind == "ints":
                    hp[key] = tuple(sorted(draw(st.sets(st.integers(1, 500), min_size=1, max_size=4))))
                elif spec.kind == "int":
                    hp[key] = draw(st.integers(int(spec.low), 500))
                else:
                    hp[key] = draw(st.floats(spec.low, spec.high))
            if schedule == "cosine" and hp["warmup"] >= hp["period"]:
                hp["warmup"] = hp["period"] - 1
        if draw(st.booleans()):
            hp["sigma"] = draw(st.floats(0, 10))
        label = draw(st.sampled_from(["", "", "fast, noisy", "σ big", f"run {len(runs)}"]))
        runs.append(Run(rule, hp, seed=draw(st.integers(0, 2 ** 32 - 1)), spread=draw(st.integers(1, 4)),
                        label=label if label not in [r.label for r in runs] else ""))
    return Lesson(runs=tuple(runs), convention=convention, steps=draw(st.integers(1, PAGE_STEPS)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(run_lessons())
def test_any_lessons_link_gives_the_same_lesson(lesson):
    again, notes = Lesson.from_query(lesson.to_query())
    assert notes == [] and again == lesson and hash(again) == hash(lesson)
    assert len(set(lesson.labels)) == len(lesson.runs)


# ---- the command line and the Python API ----------------------------------------------------------------------
def test_the_command_line_says_what_the_link_says(capsys, tmp_path):
    assert main(["run", "--run", "gd:eta=0.4", "--run", "gd:eta=0.6"]) == 0
    assert capsys.readouterr().out.splitlines() == [f"gd η=0.4: {printed('gd', eta=0.4)}",
                                                    f"gd η=0.6: {printed('gd', eta=0.6)}"]
    assert main(["run", "--link", "run=gd:eta=0.4&run=gd:eta=0.6"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert main(["run", "sgd", "--schedule", "exponential", "--decay", "0.2", "--sigma", "0.5", "--seed", "3"]) == 0
    assert capsys.readouterr().out.strip() == run("sgd", schedule="exponential", decay=0.2, sigma=0.5,
                                                  seed=3).book_line()
    assert main(["export", "--run", "gd:eta=0.4", "--run", "gd:eta=0.6", "-o", str(tmp_path)]) == 0
    lesson = Lesson.from_query("run=gd:eta=0.4&run=gd:eta=0.6")[0]
    written = tmp_path / file_name(lesson)
    assert written.read_bytes() == figure_bytes(lesson)
    assert main(["export", "gd", "--schedule", "multifactor", "--milestones", "3,9", "--spread", "5", "--sigma",
                 "0.3", "-o", str(tmp_path / "m.svg")]) == 0
    again = make_lesson("gd", schedule="multifactor", milestones=(3, 9), spread=5, sigma=0.3)
    assert (tmp_path / "m.svg").read_bytes() == figure_bytes(again)
    assert main(["export", "--link", again.to_query(), "-o", str(tmp_path / "l.svg")]) == 0
    assert (tmp_path / "l.svg").read_bytes() == figure_bytes(again)


def test_make_lesson_takes_runs_and_plain_keywords():
    lesson = make_lesson(runs=["gd:eta=0.4", "gd:eta=0.6"], sigma=0.5, seed=2, schedule="cosine", period=8)
    assert lesson == Lesson.from_query("run=gd:eta=0.4&run=gd:eta=0.6&sigma=0.5&seed=2&schedule=cosine&period=8")[0]
    with pytest.raises(ValueError, match="The 'label' parameter names one run"):
        make_lesson("gd,adam", label="x")
    with pytest.raises(ValueError, match="The 'period' parameter is not a hyperparameter of gd"):
        make_lesson("gd", period=3)


def test_a_spread_is_drawn_faint_with_its_median_bold_and_a_loss_band():
    lesson = Lesson(runs=("sgd:spread=12", "gd"), objective="bowl", steps=30)
    svg = figure_bytes(lesson, loss=True).decode()
    assert 'id="tj-spread-sgd"' in svg and 'id="tj-band-sgd"' in svg and 'id="tj-trajectory-sgd"' in svg
    assert 'id="tj-band-gd"' not in svg


def test_runs_on_a_teachers_formula_in_a_window_say_the_same_everywhere(capsys, tmp_path):
    # issue 24's formula objective and its window carried by a lesson of runs: link, Python, command line, export
    query = "run=gd:eta=0.02&run=gd:eta=0.05&objective=x1%5E4+%2B+x2%5E2&window=-3,1,-1,3&start=-2.5,2&steps=30"
    lesson, notes = Lesson.from_query(query)
    assert notes == []
    assert lesson.objective == "x1^4 + x2^2" and lesson.window == (-3.0, 1.0, -1.0, 3.0)
    assert lesson.labels == ("gd η=0.02", "gd η=0.05")
    assert Lesson.from_query(lesson.to_query())[0] == lesson
    again = make_lesson(runs=["gd:eta=0.02", "gd:eta=0.05"], objective="x1**4 + x2^2", window="-3,1,-1,3",
                        start="-2.5,2", steps=30)
    assert again == lesson
    lines = [run("gd", objective="x1^4 + x2^2", eta=eta, start=(-2.5, 2), steps=30).book_line() for eta in (0.02, 0.05)]
    assert list(lesson.readout().values()) == lines
    assert main(["run", "--link", query]) == 0
    assert capsys.readouterr().out.splitlines() == [f"gd η=0.02: {lines[0]}", f"gd η=0.05: {lines[1]}"]
    name = file_name(lesson)
    assert "_f-x1_4+x2_2-" in name and "_window-3_1_-1_3" in name and name.startswith("gd_eta0.02_vs_gd_eta0.05_")
    assert main(["export", "--link", query, "-o", str(tmp_path)]) == 0
    assert (tmp_path / name).read_bytes() == figure_bytes(lesson)
    assert main(["export", "--run", "gd:eta=0.02", "--run", "gd:eta=0.05", "--objective", "x1^4 + x2^2",
                 "--window=-3,1,-1,3", "--start=-2.5,2", "--steps", "30", "-o", str(tmp_path / "c.svg")]) == 0
    assert (tmp_path / "c.svg").read_bytes() == figure_bytes(lesson)


def test_a_lesson_saved_before_runs_still_opens():
    # a notebook's widget state or a recorded session from before runs holds optimizers/hyperparameters/seed
    from trajectories.state import lesson_from_state, lesson_state
    old = {"optimizers": ["gd", "momentum"], "hyperparameters": {"gd": {"eta": 0.4}, "momentum": {"eta": 0.6}},
           "objective": "quadratic", "condition": 20.0, "angle": 0.0, "start": [-5, -2], "steps": 20,
           "convention": "d2l", "seed": 0}
    lesson = lesson_from_state(old)
    assert lesson == Lesson.from_query("optimizer=gd,momentum&momentum.eta=0.6")[0]
    assert lesson_from_state(lesson_state(lesson)) == lesson
    with pytest.raises(ValueError, match="Got 'bogus' as well"):
        lesson_from_state({**old, "bogus": 1})
