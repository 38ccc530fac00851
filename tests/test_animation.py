"""Animations of Play: one frame per step from the start, the highlight where the engine's points are, the lesson
in the file, the same bytes every time, and MP4 through the optional video extra."""

from __future__ import annotations

import re
import subprocess
import sys
from io import BytesIO

import numpy as np
import pytest
from PIL import Image

import trajectories
import trajectories.figures as ex
from trajectories import animation, cli
from trajectories.lesson import Lesson, make_lesson

# gd with a small eta on the book's quadratic: the path ends far from the start and from the minimum's black star,
# so the highlight's black ring is the only black near either end.
LESSON = make_lesson("gd", eta=0.1, steps=12)


@pytest.fixture(scope="module")
def gif() -> bytes:
    return ex.animation_bytes(LESSON, format="gif")


def frame(data: bytes, k: int) -> np.ndarray:
    im = Image.open(BytesIO(data))
    im.seek(k)
    return np.asarray(im.convert("RGB")).astype(int)


def pixel_of(lesson: Lesson, points: np.ndarray) -> np.ndarray:
    """Where the points of ``lesson``'s figure fall in the animation's frames, as (row, column)."""
    trace = ex.build(lesson)
    animation.frames(trace, 0)  # the same resolution and frozen layout as the animation's frames
    xy = trace.ax.transData.transform(points)
    height = trace.figure.bbox.height
    return np.column_stack([height - xy[:, 1], xy[:, 0]])


def ring(image: np.ndarray, centre: np.ndarray, inner: float, outer: float) -> np.ndarray:
    rows, cols = np.indices(image.shape[:2])
    d = np.hypot(rows - centre[0], cols - centre[1])
    return image[(d >= inner) & (d <= outer)]


def black(pixels: np.ndarray) -> int:
    return int((pixels.max(axis=-1) < 60).sum())


def orange(pixels: np.ndarray) -> float:
    """The share of the book's path colour #ff7f0e among ``pixels``."""
    return float((np.abs(pixels - [0xFF, 0x7F, 0x0E]).max(axis=-1) < 12).mean())


def test_one_frame_per_step_and_the_start(gif):
    im = Image.open(BytesIO(gif))
    assert im.format == "GIF" and im.n_frames == LESSON.steps + 1  # frame 0 is the start, frame k is step k
    assert im.info["loop"] == 0
    durations = []
    for k in range(im.n_frames):
        im.seek(k)
        durations.append(im.info["duration"])
    assert durations == [500] * LESSON.steps + [2000]  # 0.5 s a step; the end held 2 s before the loop
    five = make_lesson("rmsprop", steps=5)
    assert Image.open(BytesIO(ex.animation_bytes(five, format="gif", seconds=0.2))).n_frames == 6


def test_the_first_frame_shows_the_start_and_the_last_the_end(gif):
    points = LESSON.run()["gd"].points
    start, end = pixel_of(LESSON, points[[0, -1]])
    first, last = frame(gif, 0), frame(gif, LESSON.steps)
    # The highlighted point is the path's orange with a black ring (11 pt across: a radius of about 15 px)
    for image, here, there in ((first, start, end), (last, end, start)):
        assert black(ring(image, here, 12, 18)) > 40
        assert black(ring(image, there, 12, 18)) == 0
        assert orange(ring(image, here, 5, 10)) > 0.6  # its fill (the arrows start at its centre)
    # Away from the highlight the start marker is white, the path's points orange
    s = last[int(round(start[0])), int(round(start[1]))]
    assert s.min() > 240
    # A middle frame highlights the engine's point of that step
    k = LESSON.steps // 2
    [middle] = pixel_of(LESSON, points[[k]])
    assert black(ring(frame(gif, k), middle, 12, 18)) > 40


def test_the_same_lesson_gives_the_same_bytes_with_the_lesson_and_an_alt_text_inside(gif, tmp_path):
    assert ex.animation_bytes(LESSON, format="gif") == gif
    comment = Image.open(BytesIO(gif)).info["comment"].decode("utf-8")
    title, alt = comment.split("\n")
    assert title == f"trajectories: {LESSON.to_query()}"
    assert alt == animation.alt_text(LESSON)
    assert "gd (eta 0.1)" in alt and "12 steps from (-5, -2)" in alt
    assert LESSON.run()["gd"].book_line() in alt
    # from Python, as for the still figures: a path named after the settings
    out = trajectories.export("gd", tmp_path, eta=0.1, steps=12, format="gif")
    assert out.name == "gd_eta0.1_steps12.gif" and out.read_bytes() == gif


def test_the_command_line_writes_it_with_seconds_per_step_and_prints_the_alt_text(tmp_path, capsys):
    out = tmp_path / "play.gif"
    assert cli.main(["export", "gd", "--eta", "0.1", "--steps", "12", "--seconds", "0.25", "-o", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed == [str(out), f"alt: {animation.alt_text(LESSON)}"]
    with Image.open(out) as im:
        assert im.n_frames == 13 and im.info["duration"] == 250


@pytest.mark.parametrize("argv, message", [
    (["--seconds", "0"], "The 'seconds' parameter (seconds per step) must be a number in the range [0.05, 10]"),
    (["--seconds", "nan"], "Got nan instead"),
    (["--step", "3"], "an animation shows every step"),
])
def test_bad_animation_settings_are_one_line_exit_2_and_no_file(tmp_path, capsys, argv, message):
    out = tmp_path / "play.gif"
    assert cli.main(["export", "gd", "-o", str(out), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and not out.exists()


def test_an_alt_text_for_several_runs_and_any_objective():
    lesson = Lesson.from_query("optimizer=gd,momentum&momentum.eta=0.6&objective=rosenbrock&start=-1,1")[0]
    alt = animation.alt_text(lesson)
    assert "gd (eta 0.4) and momentum (eta 0.6, beta 0.5) on the rosenbrock f = (1 - x1)² + 100·(x2 - x1²)²" in alt
    general = animation.alt_text(Lesson(objective="general", condition=10, angle=30))
    assert "a quadratic with condition number 10 turned by 30 degrees" in general
    assert animation.plain_formula(r"f = \sin(x_1)", "mine") == "mine"


# ---- MP4: the optional video extra ----------------------------------------------------------------------------
def test_mp4_has_a_frame_per_step_the_lesson_in_its_tags_and_the_same_bytes_twice(tmp_path, gif):
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    data = ex.animation_bytes(LESSON, format="mp4", seconds=0.25)
    assert ex.animation_bytes(LESSON, format="mp4", seconds=0.25) == data
    path = tmp_path / "play.mp4"
    path.write_bytes(data)
    ffmpeg = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)]
    probe = subprocess.run([*ffmpeg, "-f", "ffmetadata", "-"], capture_output=True, text=True, timeout=60)
    # ffmetadata escapes '=', ';', '#', '\\' and newlines with a backslash
    tags = dict(re.sub(r"\\(.)", r"\1", line).split("=", 1) for line in re.split(r"(?<!\\)\n", probe.stdout)
                if re.search(r"(?<!\\)=", line))
    assert tags["title"] == f"trajectories: {LESSON.to_query()}"
    assert tags["comment"] == LESSON.to_query()
    assert tags["description"] == animation.alt_text(LESSON)
    assert b"Lavf" not in data and b"creation_time" not in data  # no muxer version, no date
    assert "Duration: 00:00:03.25" in probe.stderr  # 13 frames of 0.25 s
    raw = subprocess.run([*ffmpeg, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], capture_output=True,
                         timeout=60).stdout
    height, width = frame(gif, 0).shape[:2]
    decoded = np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3).astype(int)
    assert len(decoded) == LESSON.steps + 1  # one frame per step and the start, as the GIF
    for k in (0, LESSON.steps):  # the same pictures as the GIF's, up to H.264's loss
        assert np.abs(decoded[k] - frame(gif, k)).mean() < 3


def test_mp4_without_the_extra_names_it_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # as if it were not installed
    out = tmp_path / "play.mp4"
    assert cli.main(["export", "gd", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == ("trajectories: error: MP4 needs the optional video extra: pip install 'trajectories[video]' "
                   "(imageio-ffmpeg, which brings its own ffmpeg).\n")
    assert not out.exists()
    with pytest.raises(ImportError, match=r"trajectories\[video\]"):
        trajectories.export("gd", tmp_path / "again.mp4")
