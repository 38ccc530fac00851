"""The hyperparameter landscape: its cells are run(...)'s runs, theory's edge is the measured edge, SVG is stable."""

import os

import numpy as np
import pytest
from matplotlib.figure import Figure

from trajectories import BOUND, run
from trajectories.cli import main
from trajectories.figures import save_landscape
from trajectories.landscape import DEFAULT_AXES, FLOOR, axis_values, compute, from_lesson, score, summary
from trajectories.landscape_view import LandscapeView, position
from trajectories.lesson import Lesson
from trajectories.objectives import get_objective
from trajectories.rules import eta_limit
from trajectories.specs import specs


def _expected(trajectory, metric, tol, minima):
    """The metric of one run, computed here from its trajectory (not through the landscape's code)."""
    if trajectory.diverged_at is not None:
        return np.nan
    if metric == "loss":
        return np.log10(max(trajectory.losses[-1], FLOOR))
    dist = np.min([np.hypot(*(trajectory.points - m).T) for m in minima], axis=0)  # per step
    if metric == "distance":
        return np.log10(max(dist[-1], FLOOR))
    hits = np.flatnonzero(dist <= tol)
    return float(hits[0]) if hits.size else np.nan


CASES = [  # (optimizer, axes, settings): the issue's defaults, swapped axes, other objectives and the torch form
    ("rmsprop", None, {}),
    ("momentum", None, {"objective": "rotated"}),
    ("nesterov", ("beta", "eta"), {"steps": 40}),
    ("adam", None, {"objective": "rosenbrock", "start": (-1.0, 2.0)}),
    ("adadelta", None, {"steps": 60}),
    ("adagrad", None, {"objective": "himmelblau", "start": (0.0, 0.0)}),
    ("gd", None, {"objective": "bowl"}),
    ("rmsprop", ("eps", "gamma"), {"convention": "torch"}),
    ("adam", ("beta2",), {}),
    ("sgd", None, {"objective": "bowl", "steps": 50}),  # the noise is a function of (seed, step): shared by the grid
]


@pytest.mark.parametrize("metric", ["loss", "distance", "steps"])
@pytest.mark.parametrize(("optimizer", "axes", "settings"), CASES)
def test_sampled_cells_agree_with_single_runs(optimizer, axes, settings, metric):
    m = compute(optimizer, axes, resolution=32, metric=metric, tol=0.5, **settings)
    rng = np.random.default_rng(6)
    cells = [(0, 0), (31, 31), (16, 7), (5, 27)] + [tuple(c) for c in rng.integers(0, 32, (4, 2))]
    # and some cells of each kind the map holds: scored, diverged, never within tol
    for kind in (np.isfinite(m.values), m.diverged, np.isnan(m.values) & ~m.diverged):
        found = np.argwhere(kind)
        picks = found[rng.permutation(len(found))[:3]]
        cells += [(0, int(p[0])) if m.y is None else (int(p[0]), int(p[1])) for p in picks]
    minima = get_objective(settings.get("objective", "quadratic")).minima
    for iy, ix in cells:
        hp = dict(m.current, **{m.x: m.x_values[ix]})
        index = (ix,) if m.y is None else (iy, ix)
        if m.y is not None:
            hp[m.y] = m.y_values[iy]
        single = run(optimizer, steps=settings.get("steps", 20), objective=settings.get("objective", "quadratic"),
                     start=settings.get("start", (-5.0, -2.0)), convention=settings.get("convention", "d2l"),
                     seed=0, **hp)
        assert m.diverged[index] == (single.diverged_at is not None)
        np.testing.assert_allclose(m.values[index], _expected(single, metric, 0.5, minima), rtol=1e-9, atol=0)


def test_a_grid_has_both_kinds_of_cells_so_the_comparison_above_means_something():
    m = compute("momentum", resolution=32)
    assert m.diverged.any() and not m.diverged.all()
    assert np.isfinite(m.values[~m.diverged]).all() and np.isnan(m.values[m.diverged]).all()


def test_axes_come_from_the_spec_table_with_log_axes_for_eta_and_eps():
    m = compute("adadelta", resolution=40)
    assert (m.x, m.y, m.x_scale, m.y_scale) == ("rho", "eps", "linear", "log")
    spec = specs("adadelta")["eps"]
    assert m.y_values[0] == spec.low and m.y_values[-1] == pytest.approx(spec.high)
    np.testing.assert_allclose(np.diff(np.log10(m.y_values)), np.log10(spec.high / spec.low) / 39)
    np.testing.assert_allclose(np.diff(m.x_values), 1 / 39)
    assert compute("rmsprop", resolution=32, spans={"eta": (0.01, 1.0)}).x_values[[0, -1]] == pytest.approx([0.01, 1])


@pytest.mark.parametrize("optimizer", sorted(DEFAULT_AXES))
def test_default_axes_are_the_issues(optimizer):
    m = compute(optimizer, resolution=32)
    assert (m.x, m.y) == (DEFAULT_AXES[optimizer] + (None,))[:2]
    assert m.values.shape == ((32,) if m.y is None else (32, 32))


def test_gd_boundary_is_where_the_measured_divergence_starts():
    # 200 steps from x2 = -2: a run with |1 - eta*lambda| = r passes 1e6 once 2 r^200 > 1e6, i.e. r > 1.068.
    steps = 200
    m = compute("gd", resolution=256, steps=steps, spans={"eta": (0.3, 0.7)})
    limit = m.boundary()
    lam = get_objective("quadratic").lambda_max
    assert limit == pytest.approx(2 / lam) == eta_limit("gd")
    slack = 1 + (BOUND / 2) ** (1 / steps)
    assert not m.diverged[m.x_values < limit].any()
    assert m.diverged[m.x_values * lam > slack].all()
    first = m.x_values[m.diverged.argmax()]
    assert limit < first < slack / lam * 1.01


@pytest.mark.parametrize("optimizer", ["momentum", "nesterov"])
def test_momentum_boundary_separates_the_measured_map(optimizer):
    m = compute(optimizer, resolution=64, steps=400, spans={"eta": (0.05, 5.0), "beta": (0.0, 0.9)})
    curve = m.boundary()
    np.testing.assert_allclose(curve[:, 1], m.y_values)
    limit = curve[:, 0][:, None]  # eta limit per beta row
    eta = m.x_values[None, :]
    assert not m.diverged[eta < 0.97 * limit].any()
    assert m.diverged[eta > 1.2 * limit].all()


def test_boundary_only_where_theory_applies():
    assert compute("rmsprop", resolution=32).boundary() is None
    assert compute("gd", resolution=32, objective="rosenbrock", start=(-1.0, 1.0)).boundary() is None
    assert compute("sgd", resolution=32, schedule="exponential").boundary() is None
    one = compute("momentum", ("beta",), resolution=64, eta=0.6)
    assert one.boundary() == pytest.approx(0.2, abs=1e-12)  # 0.6 * 4 = 2 + 2 beta


def test_from_lesson_takes_every_other_setting_from_the_lesson():
    lesson = Lesson(optimizers=("gd", "rmsprop"), objective="rotated", steps=30, start=(1.0, -1.0))
    lesson = lesson.with_hyperparameter("rmsprop", "eps", 1e-4)
    m = from_lesson(lesson, "rmsprop", resolution=32)
    direct = compute("rmsprop", resolution=32, objective="rotated", steps=30, start=(1.0, -1.0), eps=1e-4)
    np.testing.assert_array_equal(m.values, direct.values)
    assert m.current["eps"] == 1e-4
    with pytest.raises(ValueError, match="The 'optimizer' parameter must be one of the lesson's optimizers"):
        from_lesson(lesson, "adam")


@pytest.mark.parametrize(("call", "says"), [
    (lambda: compute("rmsprop", resolution=16), "The 'resolution' parameter must be an integer in the range "
                                                "[32, 256]. Got 16 instead."),
    (lambda: compute("rmsprop", metric="speed"), "The 'metric' parameter must be one of"),
    (lambda: compute("rmsprop", ("eta", "beta")), "The 'axes' parameter of the rmsprop landscape must name"),
    (lambda: compute("adam", ("bias_correction",)), "The 'axes' parameter of the adam landscape must name"),
    (lambda: compute("rmsprop", ("eta", "eta")), "The 'axes' parameter must be one or two different"),
    (lambda: compute("gd", objective="saddle"), "The 'objective' parameter of the landscape must have a minimum"),
    (lambda: compute("gd", tol=0.0, metric="steps"), "The 'tol' parameter must be a positive finite float"),
    (lambda: compute("rmsprop", gamma=np.ones(3)), "The 'gamma' parameter of the rmsprop landscape must be one"),
    (lambda: compute("rmsprop", gamma=2.0), "The 'gamma' parameter of rmsprop must be a float in the range"),
    (lambda: compute("rmsprop", spans={"eta": (1.0, 0.1)}), "The 'eta' span of the rmsprop landscape must be"),
    (lambda: compute("rmsprop", spans={"eps": (1e-8, 1e-4)}), "The 'spans' parameter may only narrow the axes"),
])
def test_bad_input_raises_one_sentence(call, says):
    with pytest.raises(ValueError) as info:
        call()
    assert str(info.value).startswith(says) and str(info.value).count(". ") <= 1


def test_view_updates_the_same_artists_and_marks_the_setting():
    fig = Figure()
    view = LandscapeView(fig)
    artists = (view.image, view.diverged_image, view.curve, view.marker, view.limit, view.colorbar)
    two = compute("momentum", resolution=32)
    view.update(two)
    view.update(compute("gd", resolution=48))
    assert view.curve.get_visible() and not view.image.get_visible() and view.limit.get_xdata()[0] == np.log10(0.5)
    view.update(two)
    assert (view.image, view.diverged_image, view.curve, view.marker, view.limit, view.colorbar) == artists
    assert len(view.ax.images) == 2 and len(fig.axes) == 2 and view.image.get_visible()
    np.testing.assert_array_equal(view.image.get_array(), two.values)
    assert view.marker.get_xydata().tolist() == [[position(two.current["eta"], "log"), two.current["beta"]]]


def test_summary_names_the_best_cell():
    m = compute("gd", resolution=32)
    best = int(np.nanargmin(m.values))
    assert summary(m) == (f"gd: best {m.values[best]:.4g} (log10 final loss) at eta={m.x_values[best]:.4g}; "
                          f"{int(m.diverged.sum())} of 32 runs diverged")
    assert 0 < m.diverged.sum() < 32


def _cli(tmp_path, name, *more):
    out = tmp_path / name
    return main(["landscape", "rmsprop", "--x", "eta", "--y", "gamma", "--resolution", "32", *more,
                 "-o", str(out)]), out


def test_cli_svg_is_byte_identical_between_runs(tmp_path):
    (a, first), (b, second) = _cli(tmp_path, "a.svg"), _cli(tmp_path, "b.svg")
    assert a == b == 0
    data = first.read_bytes()
    assert data == second.read_bytes() and b"<dc:date>" not in data and b"image-rendering:pixelated" in data
    assert b"Matplotlib v" not in data  # no software version: a matplotlib upgrade alone does not change the file
    assert sorted(os.listdir(tmp_path)) == ["a.svg", "b.svg"]  # no temporary files left behind


def test_cli_one_axis_and_summary(tmp_path, capsys):
    assert main(["landscape", "gd", "--resolution", "40", "--steps", "30"]) == 0
    assert "(log10 final loss) at eta=" in capsys.readouterr().out
    assert main(["landscape", "rmsprop", "--y", "none", "--resolution", "32", "-o", str(tmp_path / "c.svg")]) == 0
    assert (tmp_path / "c.svg").stat().st_size > 1000


@pytest.mark.parametrize(("more", "says"), [
    (["--x", "beta"], "The 'axes' parameter of the rmsprop landscape must name"),
    (["--resolution", "300"], "The 'resolution' parameter must be an integer in the range [32, 256]"),
    (["--metric", "speed"], "The 'metric' parameter must be one of"),
    (["--x-span", "1,x"], "The 'x-span' parameter must be two numbers low,high"),
    (["--gamma", "3"], "The 'gamma' parameter of rmsprop must be a float in the range [0, 1]"),
    (["--objective", "saddle"], "The 'objective' parameter of the landscape must have a minimum"),
    (["--resolution", "many"], "argument --resolution: invalid int value"),
])
def test_cli_bad_input_is_one_line_exit_2_and_no_file(tmp_path, capsys, more, says):
    status, out = _cli(tmp_path, "map.svg", *more)
    err = capsys.readouterr().err
    assert status == 2 and says in err and err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists() and os.listdir(tmp_path) == []


def test_cli_bad_output_paths(tmp_path, capsys):
    for path in (tmp_path / "missing" / "map.svg", tmp_path / "map.png"):
        assert main(["landscape", "gd", "--resolution", "32", "-o", str(path)]) == 2
        assert "The '--output' option must be a path ending in .svg" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []


def test_failed_save_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "map.svg"
    target.write_text("old")
    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)  # the rename fails, after the temporary file is written
    with pytest.raises(ValueError, match="cannot .No space left on device"):
        save_landscape(compute("gd", resolution=32), target)
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["map.svg"]


def test_a_grid_computed_in_row_blocks_is_the_same_grid(monkeypatch):
    whole = compute("adam", resolution=40, steps=30, metric="steps", tol=0.5)
    monkeypatch.setattr("trajectories.landscape.CHUNK", 40 * 31 * 3)  # three rows per call of run()
    blocks = compute("adam", resolution=40, steps=30, metric="steps", tol=0.5)
    np.testing.assert_array_equal(blocks.values, whole.values)
    np.testing.assert_array_equal(blocks.diverged, whole.diverged)


def test_drawing_and_scoring_check_what_they_are_given():
    with pytest.raises(ValueError, match="The 'landscape' parameter must be a Landscape from compute"):
        LandscapeView(Figure()).update({"values": []})
    with pytest.raises(ValueError, match="The 'trajectory' parameter must be a Trajectory from run"):
        score([1, 2])
    with pytest.raises(ValueError, match=r"The 'resolution' parameter must be an integer in the range \[32, 256\]"):
        axis_values("rmsprop", "eta", 8)
