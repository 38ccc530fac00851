"""Export: byte-identical files from the same settings, paths through the engine's points, clean failures."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import trajectories
import trajectories.figures as ex
from trajectories import cli, run
from trajectories.lesson import Lesson, make_lesson
from trajectories.objectives import OBJECTIVES
from trajectories.plotting import drawn_until
from trajectories.specs import CONVENTIONS, RULES, specs

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"


def cli_run(*args: str, cwd: Path, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "trajectories", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


# ---- reproducible -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ex.IMAGES)
def test_two_processes_write_identical_bytes(tmp_path, fmt):
    args = ["export", "rmsprop", "--eta", "0.4", "--gamma", "0.9", "--loss", "--step", "3"]
    for i in (1, 2):  # different hash seeds: nothing may depend on set or dict-of-str order
        done = cli_run(*args, "-o", f"run{i}.{fmt}", cwd=tmp_path, env_extra={"PYTHONHASHSEED": str(i)})
        assert done.returncode == 0, done.stderr
    first, second = [(tmp_path / f"run{i}.{fmt}").read_bytes() for i in (1, 2)]
    assert first == second
    # and the same as in this process, from Python
    lesson = make_lesson("rmsprop", eta=0.4, gamma=0.9)
    assert ex.figure_bytes(lesson, loss=True, step=3, format=fmt) == first


@pytest.mark.parametrize("style, text", [("d2l", "paths"), ("d2l", "text"), ("slides", "paths")])
def test_two_runs_in_one_process_are_identical_and_carry_no_date_or_version(style, text):
    lesson = make_lesson("gd,momentum", hyperparameters={"momentum": {"eta": 0.6}})
    with mpl.rc_context({"svg.hashsalt": None}):  # the export fixes its own salt, whatever the caller's is
        first = ex.figure_bytes(lesson, style=style, text=text)
        second = ex.figure_bytes(lesson, style=style, text=text)
    assert first == second
    svg = first.decode()
    assert mpl.__version__ not in svg
    assert "<dc:date>" not in svg and "<dc:creator>" not in svg
    assert ("<text" in svg) == (text == "text")


def test_pdf_and_png_carry_no_date_or_software():
    lesson = Lesson()
    pdf = ex.figure_bytes(lesson, format="pdf")
    png = ex.figure_bytes(lesson, format="png")
    assert b"CreationDate" not in pdf and b"Producer" not in pdf and b"Matplotlib" not in pdf
    assert png.startswith(b"\x89PNG") and b"Software" not in png and b"Matplotlib" not in png


# ---- faithful ---------------------------------------------------------------------------------------------
def svg_paths(data: bytes) -> dict[str, ET.Element]:
    root = ET.fromstring(data)
    return {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}


def vertices(d: str) -> np.ndarray:
    return np.array([[float(x), float(y)] for x, y in re.findall(r"[ML] (\S+) (\S+)", d)])


def to_data(points: np.ndarray, box: np.ndarray, xlim, ylim) -> np.ndarray:
    """SVG user units (y down) -> data, through the axes box read from the SVG and the axes' data limits."""
    (x0, y_top), (x1, y_bottom) = box.min(0), box.max(0)
    u = (points[:, 0] - x0) / (x1 - x0)
    v = (y_bottom - points[:, 1]) / (y_bottom - y_top)
    return np.column_stack([xlim[0] + u * (xlim[1] - xlim[0]), ylim[0] + v * (ylim[1] - ylim[0])])


FAITHFUL = [
    (make_lesson("rmsprop", eta=0.4, gamma=0.9), "d2l", False),
    (make_lesson("momentum", eta=0.6, beta=0.25), "d2l", True),
    (make_lesson("gd", eta=0.6), "d2l", False),  # on its way out (|x2| = 1673 at step 20): drawn until it leaves
    (make_lesson("gd", eta=0.6, steps=60), "d2l", False),  # diverges: drawn up to where it left the window
    (make_lesson("gd,adam,adagrad", eta=0.3, steps=200), "slides", False),  # > 128 vertices: no simplifying
    (make_lesson("nesterov", objective="himmelblau", start=(-1.0, -1.0), steps=60), "d2l", True),
]


@pytest.mark.parametrize("lesson, style, loss", FAITHFUL)
def test_the_svg_path_passes_through_the_engines_points(lesson, style, loss):
    data = ex.figure_bytes(lesson, style=style, loss=loss)
    groups = svg_paths(data)
    box = vertices(groups["tj-axes"].find(f"{SVG}g/{SVG}path").get("d"))
    trace = ex.build(lesson, style=style, loss=loss)  # only for the data limits, not for any transform
    xlim, ylim = trace.ax.get_xlim(), trace.ax.get_ylim()
    for name in lesson.optimizers:
        t = run(name, objective=lesson.objective_function(), start=lesson.start, steps=lesson.steps,
                **lesson.resolved(name))
        expected = t.points[: drawn_until(t, trace.view) + 1]
        group = groups[f"tj-trajectory-{name}"]
        line = to_data(vertices(group.find(f"{SVG}path").get("d")), box, xlim, ylim)
        markers = to_data(np.array([[float(u.get("x")), float(u.get("y"))] for u in group.iter(f"{SVG}use")]),
                          box, xlim, ylim)
        tol = 1e-5 * max(xlim[1] - xlim[0], ylim[1] - ylim[0])
        for drawn in (line, markers):
            if in_view(expected, xlim, ylim).all():
                assert drawn.shape == expected.shape
                np.testing.assert_allclose(drawn, expected, atol=tol, rtol=0)
            else:  # the renderer cuts segments at the canvas edge: there it adds points, outside the view
                shown = drawn[in_view(drawn, xlim, ylim)]
                wanted = expected[in_view(expected, xlim, ylim)]
                distance = np.abs(shown[:, None, :] - wanted[None, :, :]).max(-1)
                assert distance.min(1).max() < tol and distance.min(0).max() < tol


def in_view(points: np.ndarray, xlim, ylim) -> np.ndarray:
    return ((points[:, 0] >= xlim[0]) & (points[:, 0] <= xlim[1]) & (points[:, 1] >= ylim[0])
            & (points[:, 1] <= ylim[1]))


def test_the_book_style_is_the_books_size_and_colours():
    data = ex.figure_bytes(make_lesson("rmsprop"))
    root = ET.fromstring(data)
    assert (root.get("width"), root.get("height")) == ("252pt", "180pt")  # 3.5 x 2.5 inches
    groups = svg_paths(data)
    assert "stroke: #ff7f0e" in groups["tj-trajectory-rmsprop"].find(f"{SVG}path").get("style")
    assert all("stroke: #1f77b4" in p.get("style") for p in groups["tj-contours"].iter(f"{SVG}path"))
    labels = ex.build(make_lesson("rmsprop")).ax
    assert (labels.get_xlabel(), labels.get_ylabel()) == ("x1", "x2")


# ---- settings, names, formats -----------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, name", [
    (dict(optimizer="rmsprop", eta=0.4, gamma=0.9), "rmsprop_eta0.4_gamma0.9.svg"),
    (dict(optimizer="rmsprop", eps=1e-8), "rmsprop_eta0.4_gamma0.9_eps1e-08.svg"),
    (dict(optimizer="gd,momentum", hyperparameters={"momentum": {"eta": 0.6, "beta": 0.25}}),
     "gd_eta0.4_vs_momentum_eta0.6_beta0.25.svg"),
    (dict(optimizer="gd", objective="bowl", eta=0.1), "gd_eta0.1_bowl.svg"),
    (dict(optimizer="adam", bias_correction=False, steps=50, convention="torch"),
     "adam_eta0.001_beta1-0.9_beta2-0.999_bias_correction-false_steps50_torch.svg"),
    (dict(optimizer="sgd", objective="general", condition=5, angle=30, start=(-4, 1), seed=3),
     "sgd_eta0.1_general-c5-a30_from-4_1_seed3.svg"),
])
def test_file_name_says_what_the_figure_shows(kwargs, name):
    assert ex.file_name(make_lesson(**kwargs)) == name


def test_python_api_returns_the_path_and_names_the_file_in_a_folder(tmp_path):
    out = trajectories.export("rmsprop", tmp_path, eta=0.4, gamma=0.9)
    assert out == tmp_path / "rmsprop_eta0.4_gamma0.9.svg" and out.read_bytes().startswith(b"<?xml")
    pdf = ex.export(Lesson(optimizers=("adam",)), tmp_path / "fig.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    png = ex.export("gd", tmp_path / "fig", format="png")
    assert png == tmp_path / "fig" and png.read_bytes().startswith(b"\x89PNG")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig", "fig.pdf", "rmsprop_eta0.4_gamma0.9.svg"]


def test_link_flags_and_python_describe_the_same_figure(tmp_path):
    assert cli.main(["export", "--link", "optimizer=gd,momentum&momentum.eta=0.6&steps=30",
                     "-o", str(tmp_path / "link.svg")]) == 0
    assert cli.main(["export", "gd,momentum", "--momentum.eta", "0.6", "--steps", "30",
                     "-o", str(tmp_path / "flags.svg")]) == 0
    py = ex.export("gd,momentum", tmp_path / "py.svg", steps=30, hyperparameters={"momentum": {"eta": 0.6}})
    assert (tmp_path / "link.svg").read_bytes() == (tmp_path / "flags.svg").read_bytes() == py.read_bytes()
    # a flag given with --link overrides the link; an unprefixed one applies to every optimizer that takes it
    lesson, _ = cli.export_lesson(_parse(["export", "--link", "optimizer=gd,momentum&momentum.eta=0.6",
                                         "--eta", "0.3"]))
    assert lesson.resolved("gd")["eta"] == lesson.resolved("momentum")["eta"] == 0.3


def _parse(argv):
    parser = cli._Parser(prog="trajectories")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=cli._Parser)
    for add in cli.COMMANDS:
        add(sub)
    return parser.parse_args(argv)


# ---- bad input --------------------------------------------------------------------------------------------
BAD = [
    (["nope"], "'optimizer' parameter must be one of"),
    (["rmsprop", "--eta", "1000"], "The 'eta' parameter of rmsprop must be a float in the range [1e-05, 100]. "
                                   "Got 1000 instead."),
    (["rmsprop", "--gamma", "nan"], "The 'gamma' parameter of rmsprop"),
    (["rmsprop", "--eta", "abc"], "invalid float value"),
    (["adadelta", "--eta", "0.3"], "not a hyperparameter of adadelta"),
    (["gd,momentum", "--adam.eta", "0.3"], "not among the optimizers shown"),
    (["rmsprop", "--steps", "0"], "'steps' parameter"),
    (["rmsprop", "--step", "21"], "'step' parameter"),
    (["rmsprop", "--condition", "3"], "only applies to objective='general'"),
    (["--link", "optimizer=rmsprop&eta=zz"], "'link' parameter"),
    ([], "'optimizers' parameter is missing"),
    (["rmsprop", "-o", "missing/fig.svg"], "must be in a folder that exists"),
    (["rmsprop", "-o", "notes.txt/fig.svg"], "must be in a folder that exists"),
    (["rmsprop", "--eta", "900", "-o", "new-folder/"], "'eta' parameter"),  # nothing made for a bad value
    (["rmsprop", "-o", "notes.txt/figures/"], "a file is in the way"),
    (["rmsprop", "-o", "fig.txt"], "must end in .svg, .png, .pdf, .html, .mjs, .gif or .mp4"),
    (["rmsprop", "-o", "fig.svg", "--format", "png"], "must match the file's suffix"),
    (["rmsprop", "--style", "poster"], "invalid choice"),
]


@pytest.mark.parametrize("argv, message", BAD)
def test_bad_input_is_one_line_exit_2_and_no_file(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    before = sorted(tmp_path.iterdir())
    assert cli.main(["export", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("trajectories: error: ") and message in err
    assert sorted(tmp_path.iterdir()) == before


def test_a_folder_named_with_a_slash_is_made(tmp_path, monkeypatch, capsys):
    """`-o notes/` (or export(..., "notes/")) says a folder: it is made, as mkdir -p does, and the file is named."""
    monkeypatch.chdir(tmp_path)
    assert cli.main(["export", "rmsprop", "-o", "notes/week 1/"]) == 0
    assert capsys.readouterr().out == "notes/week 1/rmsprop_eta0.4_gamma0.9.svg\n"
    written = trajectories.export("gd,momentum", "figures/", hyperparameters={"momentum": {"eta": 0.6}}, loss=True)
    assert written == Path("figures/gd_eta0.4_vs_momentum_eta0.6_beta0.5.svg") and written.is_file()


def test_bad_input_from_the_shell_has_no_traceback(tmp_path):
    done = cli_run("export", "rmsprop", "--eta", "-1", "-o", "fig.svg", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fail_at", ["open", "replace"])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch, capsys, fail_at):
    old = tmp_path / "fig.svg"
    old.write_bytes(b"the figure from last week")
    real = getattr(os, fail_at)

    def refuse(*args, **kwargs):
        if fail_at == "open" or str(args[1]) == str(old):
            raise PermissionError(13, "Permission denied")
        return real(*args, **kwargs)

    monkeypatch.setattr(os, fail_at, refuse)
    assert cli.main(["export", "rmsprop", "-o", str(old)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot (Permission denied)" in err
    assert old.read_bytes() == b"the figure from last week"
    assert [p.name for p in tmp_path.iterdir()] == ["fig.svg"]


def test_python_api_raises_one_sentence_value_errors(tmp_path):
    with pytest.raises(ValueError, match=r"^The 'style' parameter must be one of 'd2l', 'slides'\. Got 'x'"):
        ex.export("rmsprop", tmp_path, style="x")
    with pytest.raises(ValueError, match=r"^The 'text' parameter"):
        ex.export("rmsprop", tmp_path, text="outlines")
    with pytest.raises(ValueError, match=r"^The 'optimizer' parameter must be a name"):
        ex.export(3, tmp_path)
    assert list(tmp_path.iterdir()) == []


# ---- gallery ----------------------------------------------------------------------------------------------
def test_gallery_writes_one_figure_per_book_setting_and_an_index_of_computed_points(tmp_path):
    written = ex.export_gallery(tmp_path)
    names = [p.name for p in written]
    assert len(names) == len(ex.GALLERY) + 1 and names[-1] == "index.md"
    index = (tmp_path / "index.md").read_text()
    for g in ex.GALLERY:
        line = run(g.optimizer, objective=g.objective, **g.hyper).book_line()
        row = next(r for r in index.splitlines() if f"`{ex.gallery_command(g)}`" in r)
        assert f"`{line}`" in row
        assert ex.file_name(Lesson(optimizers=(g.optimizer,), hyperparameters={g.optimizer: g.hyper},
                                   objective=g.objective)) in row
    committed = ROOT / "assets" / "gallery"
    assert (committed / "index.md").read_text() == index, "regenerate: trajectories export --gallery assets/gallery"
    assert sorted(p.name for p in committed.iterdir()) == sorted(names)


def test_gallery_from_the_command_line(tmp_path, capsys):
    folder = tmp_path / "notes" / "gallery"  # made, with its parents, as mkdir -p does
    assert cli.main(["export", "--gallery", str(folder)]) == 0
    assert (folder / "rmsprop_eta0.4_gamma0.9.svg").exists() and (folder / "index.md").exists()
    (tmp_path / "a-file").touch()
    assert cli.main(["export", "--gallery", str(tmp_path / "a-file" / "gallery")]) == 2
    assert "a file is in the way" in capsys.readouterr().err


@settings(max_examples=60, deadline=None)
@given(names=st.lists(st.sampled_from(RULES), min_size=1, max_size=4, unique=True),
       fraction=st.floats(0, 1), objective=st.sampled_from(sorted(OBJECTIVES)),
       steps=st.integers(1, 500), convention=st.sampled_from(CONVENTIONS))
def test_file_names_are_plain_and_differ_when_a_setting_does(names, fraction, objective, steps, convention):
    def value(spec):
        v = spec.low * (spec.high / spec.low) ** fraction if spec.scale == "log" else \
            spec.low + fraction * (spec.high - spec.low)
        return min(max(v, spec.low), spec.high)  # rounding may step just past an end

    hyper = {n: {k: value(s) for k, s in specs(n, convention).items() if not s.is_choice} for n in names}
    lesson = Lesson(optimizers=tuple(names), hyperparameters=hyper, objective=objective, steps=steps,
                    convention=convention)
    name = ex.file_name(lesson)
    assert re.fullmatch(r"[A-Za-z0-9._-]+\.svg", name) and len(name) < 255
    other = replace(lesson, steps=steps % 500 + 1)
    assert ex.file_name(other) != name


@pytest.mark.parametrize("loss, view, fits", [(False, None, True), (True, None, True), (False, "window", False),
                                              (True, "fit", True), (True, "window", False)])
def test_the_view_grows_to_hold_the_path_unless_asked_for_the_window(loss, view, fits):
    # d2l's show_trace_2d autoscales: momentum (0.6, 0.5) overshoots to x2 = 2.8, above the window's top of 1; the
    # figure with the panels (the app's) holds it too, unless the window is asked for.
    lesson = make_lesson("momentum", eta=0.6, beta=0.5)
    trace = ex.build(lesson, loss=loss, view=view)
    top = trace.ax.get_ylim()[1]
    peak = run("momentum", eta=0.6, beta=0.5).points[:, 1].max()
    assert peak > lesson.objective_function().ylim[1]
    if fits:
        assert top > peak
    else:
        assert top == lesson.objective_function().ylim[1]


def test_bad_view_is_one_line_and_exit_2(capsys, tmp_path):
    assert cli.main(["export", "gd", "--view", "zoom", "-o", str(tmp_path / "f.svg")]) == 2
    assert "invalid choice" in capsys.readouterr().err and not (tmp_path / "f.svg").exists()
