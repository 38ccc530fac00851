"""Animations of Play: a figure drawn once per step, as a GIF (Pillow) or an MP4 (imageio-ffmpeg, optional).

Frame k highlights step k as ``trajectories export --step k`` draws it (the point, the gradient step and the
update as arrows), for k = 0 (the start) up to the last step: ``steps + 1`` frames. The figure is built once and
only its highlight moves between frames (:meth:`trajectories.plotting.TraceFigure.set_step`), so a frame costs
one Agg draw. The same lesson gives the same bytes: Agg draws the same pixels, every frame is mapped onto one
palette made from the frames themselves (no dithering), and neither file holds a date or a software version
(the MP4 is muxed with ffmpeg's bitexact flags).

Where the description goes: a GIF has one place for text, its comment extension, which holds the lesson's link
and the alt text; an MP4 holds them in its ``title``, ``comment`` (the link) and ``description`` (the alt text)
tags. Neither format has an alt-text field that a page reads: put :func:`alt_text` in the page's ``alt`` (or a
``<video>``'s ``aria-label``), as the command line prints it.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Mapping, Sequence
from fractions import Fraction
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import i18n
from .i18n import DEFAULT, check_lang, text

if TYPE_CHECKING:
    from .engine import Trajectory
    from .lesson import Lesson
    from .plotting import TraceFigure

ANIMATIONS = ("gif", "mp4")
SECONDS = (0.05, 10.0)  # seconds per step a flag may ask for: from 20 steps a second to a slow walk-through
DEFAULT_SECONDS = 0.5  # two steps a second, the app's Play (250 ms) at half speed, for reading an arrow
EXACT_COLORS = 48  # of a GIF's 256: the drawing's most frequent colours, kept exactly
END_HOLD = 2.0  # the GIF's last frame stays at least this long before the loop starts again
DPI = 200  # as the PNG export: the book's 3.5 x 2.5 inches make 700 x 500 pixels, for a 760 px notes column
MAX_WIDTH = 1280  # pixels: wider figures (slides, the loss panels) get a lower resolution, a 720p slide's width
VIDEO_EXTRA = "video"  # pip install 'trajectories[video]'
# ffmpeg: H.264 in yuv420p (what every browser and slide program plays), tuned for flat drawings, the index at the
# front (playback starts before the download ends), and no encoder version or creation time in the file.
MP4_OPTIONS = ("-preset", "medium", "-tune", "animation", "-crf", "18", "-movflags", "+faststart",
               "-fflags", "+bitexact", "-flags:v", "+bitexact", "-threads", "1")


def check_seconds(seconds: Any) -> float:
    """``seconds`` per step as a float in :data:`SECONDS`, or one sentence naming the range and the value."""
    low, high = SECONDS
    ok = not isinstance(seconds, (bool, np.bool_)) and isinstance(seconds, (int, float, np.integer, np.floating))
    if ok and math.isfinite(seconds) and low <= seconds <= high:
        return float(seconds)
    raise ValueError(f"The 'seconds' parameter (seconds per step) must be a number in the range [{low:g}, {high:g}]. "
                     f"Got {seconds!r} instead.")


def frames(trace: TraceFigure, steps: int, *, dpi: float | None = None) -> list[np.ndarray]:
    """The RGB pixels (height x width x 3, uint8) of ``trace`` with step 0, 1, ..., ``steps`` highlighted.

    ``dpi`` defaults to :data:`DPI`, lowered so that the frame is at most :data:`MAX_WIDTH` pixels wide. The layout
    is computed once, on the first frame, and then kept: only the highlight moves.
    """
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = trace.figure
    canvas = FigureCanvasAgg(figure)
    figure.set_dpi(dpi if dpi is not None else min(DPI, MAX_WIDTH / figure.get_figwidth()))
    out = []
    with mpl.rc_context({"path.simplify": False}):
        for k in range(steps + 1):
            trace.set_step(k)
            canvas.draw()
            if k == 0 and figure.get_layout_engine() is not None:
                figure.set_layout_engine("none")  # freeze what constrained layout placed; the highlight moves only
            out.append(np.asarray(canvas.buffer_rgba())[..., :3].copy())
    return out


def _palette(pixels: Sequence[np.ndarray]) -> np.ndarray:
    """One palette (256 x 3) for every frame, so a colour never flickers from frame to frame: the drawing's most
    frequent colours exactly (the white ground, the contours, each path, black), then median cut for the
    antialiased rest, both from the first, middle and last frames (the highlight's colours are in each)."""
    from PIL import Image

    montage = np.concatenate([pixels[0], pixels[len(pixels) // 2], pixels[-1]], axis=1)
    keys, counts = np.unique(_keys(montage), return_counts=True)
    exact = _rgb(keys[np.argsort(-counts, kind="stable")[:EXACT_COLORS]])
    rest = Image.fromarray(montage, "RGB").quantize(colors=256 - len(exact), method=Image.Quantize.MEDIANCUT,
                                                    dither=Image.Dither.NONE)
    cut = np.array(rest.getpalette()[: 3 * (256 - len(exact))], dtype=np.uint8).reshape(-1, 3)
    palette = np.concatenate([exact, cut])
    return np.concatenate([palette, np.zeros((256 - len(palette), 3), np.uint8)])


def _keys(pixels: np.ndarray) -> np.ndarray:
    """Each pixel's colour as one integer 0xRRGGBB (np.unique on integers is much faster than on rows)."""
    p = pixels.reshape(-1, 3).astype(np.uint32)
    return (p[:, 0] << 16) | (p[:, 1] << 8) | p[:, 2]


def _rgb(keys: np.ndarray) -> np.ndarray:
    return np.stack([(keys >> 16) & 0xFF, (keys >> 8) & 0xFF, keys & 0xFF], axis=-1).astype(np.uint8)


def _indexed(pixels: np.ndarray, palette: np.ndarray) -> Any:
    """``pixels`` as a palette image, each colour mapped to its nearest palette entry exactly (Pillow's own
    mapping goes through a coarse colour cache, which turns the white ground off-white)."""
    from PIL import Image

    keys, inverse = np.unique(_keys(pixels), return_inverse=True)
    colors = _rgb(keys)
    distance = ((colors[:, None, :].astype(np.int32) - palette[None, :, :].astype(np.int32)) ** 2).sum(-1)
    index = distance.argmin(1).astype(np.uint8)[inverse.ravel()].reshape(pixels.shape[:2])
    image = Image.fromarray(index, "P")
    image.putpalette(palette.ravel().tolist())
    return image


def gif_bytes(pixels: Sequence[np.ndarray], seconds: float, comment: str) -> bytes:
    """A looping GIF of ``pixels``, ``seconds`` per frame (the last held for at least :data:`END_HOLD`), with
    ``comment`` in its comment extension."""
    seconds = check_seconds(seconds)
    palette = _palette(pixels)
    indexed = [_indexed(p, palette) for p in pixels]
    ms = round(seconds * 1000)
    durations = [ms] * (len(indexed) - 1) + [max(ms, round(END_HOLD * 1000))]
    buffer = BytesIO()
    indexed[0].save(buffer, format="GIF", save_all=True, append_images=indexed[1:], duration=durations, loop=0,
                    comment=comment.encode("utf-8"), optimize=False)
    return buffer.getvalue()


def require_video() -> Any:
    """imageio_ffmpeg, or an ImportError that names the extra to install (checked before any frame is drawn)."""
    try:
        import imageio_ffmpeg
    except ImportError:
        raise ImportError(f"MP4 needs the optional video extra: pip install 'trajectories[{VIDEO_EXTRA}]' "
                          "(imageio-ffmpeg, which brings its own ffmpeg).") from None
    return imageio_ffmpeg


def mp4_bytes(pixels: Sequence[np.ndarray], seconds: float, metadata: Mapping[str, str]) -> bytes:
    """An H.264 MP4 of ``pixels`` at ``seconds`` per frame with ``metadata`` (title, comment, description) as its
    tags; needs imageio-ffmpeg (``pip install 'trajectories[video]'``)."""
    imageio_ffmpeg = require_video()
    seconds = check_seconds(seconds)
    height, width = pixels[0].shape[:2]
    pad = ((0, height % 2), (0, width % 2), (0, 0))  # yuv420p wants even sides: one white row or column more
    tags = [arg for key, value in metadata.items() for arg in ("-metadata", f"{key}={value}")]
    with tempfile.TemporaryDirectory(prefix="trajectories-") as tmp:
        path = Path(tmp) / "animation.mp4"
        writer = imageio_ffmpeg.write_frames(
            os.fspath(path), (width + width % 2, height + height % 2),
            fps=Fraction(1) / Fraction(seconds).limit_denominator(1000),
            codec="libx264", pix_fmt_in="rgb24", pix_fmt_out="yuv420p", quality=None, macro_block_size=1,
            ffmpeg_log_level="error", output_params=[*MP4_OPTIONS, *tags])
        writer.send(None)
        for p in pixels:
            writer.send(np.ascontiguousarray(np.pad(p, pad, constant_values=255)).tobytes())
        writer.close()
        return path.read_bytes()


# ---- words ------------------------------------------------------------------------------------------------
def plain_formula(latex: str, name: str) -> str:
    """An objective's formula as plain text (``f = 0.1·x1² + 2·x2²``) for an alt text; its name if the LaTeX
    holds more than products, indices and squares."""
    text = latex.replace("\\,", "·").replace("x_1", "x1").replace("x_2", "x2").replace("^2", "²")
    return name if "\\" in text or "_" in text or "^" in text else text


def _said(value: Any) -> str:
    if isinstance(value, (bool, str)):
        return str(value)
    if isinstance(value, tuple):  # a schedule's milestones
        return ",".join(f"{float(v):g}" for v in value)
    return f"{float(value):g}"


def alt_text(lesson: Lesson, trajectories: Mapping[str, Trajectory] | None = None, *, lang: str = DEFAULT) -> str:
    """What the animation shows, in words (in ``lang``, "en" or "zh"): the runs with their settings, the
    objective, where each path ends (the lines ``train_2d`` prints, as the book prints them in both editions).

    Examples
    --------
    >>> from trajectories.lesson import Lesson
    >>> alt_text(Lesson())  # doctest: +ELLIPSIS
    'Animation, one frame per step: rmsprop (eta 0.4, gamma 0.9, eps 1e-06) on the quadratic f = 0.1·x1² + ...'
    """
    lang = check_lang(lang)
    runs = lesson.run() if trajectories is None else trajectories
    objective = lesson.objective_function()
    settings = []
    for label, r in zip(lesson.said_labels(lang), lesson.runs, strict=True):
        # a run's settings, but the constant rate and no noise, which every run has unless it says otherwise
        shown = {k: v for k, v in r.hyperparameters.items()
                 if not (k == "schedule" and v == "constant") and not (k == "sigma" and v == 0)}
        values = ", ".join(f"{k} {_said(v)}" for k, v in shown.items())
        settings.append(f"{label} ({values})" if values else label)
    if lesson.objective == "general":
        where = text("alt.general", lang, condition=f"{lesson.condition:g}", angle=f"{lesson.angle:g}")
    else:
        where = text("alt.objective", lang, objective=i18n.name("objective", lesson.objective, lang),
                     formula=plain_formula(objective.latex, lesson.objective))
    x1, x2 = (f"{v:g}" for v in lesson.start)
    lines = lesson.readout(runs)
    ends = "; ".join(f"{said}: {lines[label]}" for said, label in zip(lesson.said_labels(lang), lesson.labels,
                                                                       strict=True))
    return text("alt.animation", lang, settings=text("alt.and", lang).join(settings), where=where,
                steps=str(lesson.steps), x1=x1, x2=x2, ends=ends)
