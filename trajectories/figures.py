"""Figures for course notes: the app's figure as SVG, PNG or PDF, byte for byte the same from the same settings.

The export layer: building a figure of a lesson, rendering it, naming it, writing it atomically, the gallery of
the book's figures, and the landscape map as SVG. Three ways in, one figure: :func:`export` from Python,
``trajectories export`` on the command line, and the app's "Export SVG" control, which calls
:func:`figure_bytes` and hands the browser the bytes. The picture is :class:`trajectories.plotting.TraceFigure`.
Reproducibility comes from :func:`render`: a fixed
``svg.hashsalt`` (clip-path and marker ids), no date, no software version in the metadata, no path simplification
(every engine point is a vertex), and fixed ids (``gid``) on the artists that matter, e.g.
``tj-trajectory-rmsprop`` on the path of RMSProp.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import warnings
import zlib
from collections.abc import Iterator, Mapping, Sequence
from importlib import resources
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import i18n
from .animation import (
    ANIMATIONS,
    DEFAULT_SECONDS,
    alt_text,
    check_seconds,
    frames,
    gif_bytes,
    mp4_bytes,
    require_video,
)
from .display import KEYS as DISPLAY_KEYS
from .display import Display
from .formula import slug
from .i18n import DEFAULT, MessageError, check_lang
from .inspector import inspect
from .landscape import Landscape, check_landscape, summary
from .lesson import MAX_NAME, Lesson, Run, make_lesson
from .objectives import OBJECTIVES
from .specs import check_int, check_name, settings, specs
from .standalone import esm_module, html_page, index_page
from .view import VIEWS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .plotting import TraceFigure

# matplotlib (and the drawing modules, which need it) is imported where a figure is made: the command line and a
# student's kernel must not pay the third of a second (and the memory) matplotlib takes to load until then.

IMAGES = ("svg", "png", "pdf")  # what matplotlib renders
# html: the whole app in one self-contained page (trajectories.standalone); mjs: the app as one ES module for MyST's
# {anywidget} directive; gif and mp4: Play, one frame per step
FORMATS = (*IMAGES, "html", "mjs", *ANIMATIONS)
TEXT = {"paths": "path", "text": "none"}  # --text -> svg.fonttype
HASHSALT = "trajectories"  # svg.hashsalt: clip-path and marker ids depend on it and on the drawing only
PNG_DPI = 200
# Fonts that draw Chinese, the first one installed is used: Debian's and Ubuntu's fonts-noto-cjk (Noto Sans CJK,
# the same design as Adobe's Source Han Sans), then what Windows, macOS and other Linux systems ship.
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC", "WenQuanYi Zen Hei",
             "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC", "Hiragino Sans GB", "Heiti SC",
             "Noto Sans CJK TC", "Noto Sans CJK JP", "Droid Sans Fallback")
# Characters that the default font (DejaVu Sans) has no glyph for: CJK and its punctuation, full-width forms.
_WIDE = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


class Style(NamedTuple):
    """How big the figure is and how large its text and lines are drawn."""

    figsize: tuple[float, float]  # the trajectory panel alone
    loss_figsize: tuple[float, float]  # with the loss and effective-rate panels
    scale: float  # text, lines and markers, relative to the app's sizes
    description: str


STYLES: dict[str, Style] = {
    # d2l's show_trace_2d: set_figsize() gives 3.5 x 2.5 inches.
    # With the panels, the app's own layout and size (plotting.APP_FIGSIZE, 9 x 4.2 inches).
    "d2l": Style((3.5, 2.5), (9.0, 4.2), 1.0, "the book's look at the book's size, 3.5 x 2.5 inches"),
    "slides": Style((8.0, 4.5), (12.8, 6.0), 1.5, "16:9, larger text and thicker lines for a projector"),
}


def file_name(lesson: Lesson, format: str = "svg", step: int | None = None, inspector: str | None = None) -> str:
    """A file name that says what the figure shows: ``rmsprop_eta0.4_gamma0.9.svg``, ``gd_eta0.4_vs_gd_eta0.6.svg``.

    Each run: its optimizer with its hyperparameters (``eps`` only when not the default), a schedule that is not
    constant with the parameters that are not the default, the noise where not the optimizer's default, its seed
    when the runs' seeds differ, its spread; several runs joined by ``_vs_``. Then what differs from the book's
    setting: objective (a formula as ``f-`` and :func:`trajectories.formula.slug`), window, start, steps,
    convention, the seed of noisy runs, highlighted step (from step 1 on), and the step inspector (``_inspector``,
    ``_inspector-adam`` when several are shown). A name past :data:`MAX_NAME` characters is cut and ends in the
    CRC-32 of the lesson's link, so it stays unique.
    """
    format = check_name(format, "format", FORMATS)
    seeds = {r.seed for r in lesson.runs}
    noisy = any(r.hyperparameters["sigma"] > 0 for r in lesson.runs)
    parts = []
    for r in lesson.runs:
        table = settings(r.optimizer, lesson.convention, r.hyperparameters.get("schedule", "constant"))
        words = [r.optimizer]
        for key, value in r.hyperparameters.items():
            spec = table[key]
            if key == "schedule":
                if value != spec.default:
                    words.append(f"schedule-{value}")
            elif spec.is_choice:
                if value != spec.default:
                    words.append(f"{key}-{str(value).lower()}")
            elif key in specs(r.optimizer, lesson.convention):
                if key != "eps" or value != spec.default:
                    words.append(f"{key}{'-' if key[-1].isdigit() else ''}{_num(value)}")
            elif value != spec.default:  # a schedule's parameter, the noise
                words.append(f"{key}{_num(value)}")
        if len(seeds) > 1 and r.hyperparameters["sigma"] > 0:
            words.append(f"seed{r.seed}")
        if r.spread != 1:
            words.append(f"spread{r.spread}")
        parts.append("_".join(words))
    name = "_vs_".join(parts)
    default = Lesson()
    if lesson.objective == "general":
        name += f"_general-c{_num(lesson.condition)}-a{_num(lesson.angle)}"
    elif lesson.objective not in OBJECTIVES:
        name += f"_f-{slug(lesson.objective)}"  # a formula: safe characters only, short, and a hash of it
    elif lesson.objective != default.objective:
        name += f"_{lesson.objective}"
    if lesson.window is not None:
        name += "_window" + "_".join(_num(v) for v in lesson.window)
    if tuple(lesson.start) != default.start:
        name += f"_from{_num(lesson.start[0])}_{_num(lesson.start[1])}"
    if lesson.steps != default.steps:
        name += f"_steps{lesson.steps}"
    if lesson.convention != default.convention:
        name += f"_{lesson.convention}"
    if noisy and len(seeds) == 1 and lesson.seed != default.seed:
        name += f"_seed{lesson.seed}"
    if step:  # step 0, where the app opens, is the start point: the name stays the plain one
        name += f"_step{step}"
    if inspector is not None:
        name += "_inspector" if len(lesson.optimizers) == 1 else f"_inspector-{inspector}"
    if len(name) > MAX_NAME:
        # CRC-32 of the link (zlib's; js/src/core/names.js computes the same): short, and the same on the page
        name = f"{name[:MAX_NAME - 9]}_{zlib.crc32(lesson.to_query().encode()):08x}"
    return f"{name}.{format}"


def _num(value: Any) -> str:
    if isinstance(value, tuple):  # milestones
        return "-".join(str(v) for v in value)
    return f"{float(value):g}"


# ---- the figure -------------------------------------------------------------------------------------------


def build(lesson: Lesson, *, style: str = "d2l", loss: bool = False, step: int | None = None,
          figsize: tuple[float, float] | None = None, view: str | None = None, lang: str = DEFAULT,
          inspector: str | None = None) -> TraceFigure:
    """The app's figure of ``lesson`` in ``style``, with the loss panels if ``loss``, ready to :func:`render`.

    Parameters
    ----------
    lesson : Lesson
    style : {"d2l", "slides"}, default="d2l"
    loss : bool, default=False
        Add the side panels: loss against step and the effective learning rate.
    step : int, optional
        Highlight this step (its point, the gradient step and the update), as the app's step control does.
    figsize : pair of floats, optional
        Override the style's size in inches (the app's control passes the size on screen).
    view : {"fit", "window"}, default="fit"
        "fit" grows the objective's window to hold every path that stays near it, as the book's
        ``show_trace_2d`` autoscales, and draws a run that diverges up to where it leaves (:mod:`trajectories.view`,
        the app's rule too); "window" keeps the objective's window.
    lang : {"en", "zh"}, default="en"
        The language of the panels' titles and the legend (the book's names of the optimizers in Chinese), and of
        the step inspector's words.
    inspector : str, optional
        Add the step inspector of this optimizer under the figure: its update at ``step`` in the book's notation
        with that step's numbers (:mod:`trajectories.inspector`). Needs ``step``; the figure grows to hold it.
    """
    from matplotlib.figure import Figure

    from .plotting import TraceFigure

    st = STYLES[check_name(style, "style", tuple(STYLES))]
    if not isinstance(lesson, Lesson):
        raise ValueError(f"The 'lesson' parameter must be a trajectories.lesson.Lesson. Got {lesson!r} instead.")
    check_int(step, "step", 0, lesson.steps, none=True)
    lang = check_lang(lang)
    view = check_name("fit" if view is None else view, "view", VIEWS)
    size = figsize if figsize is not None else st.loss_figsize if loss else st.figsize
    runs = lesson.run()
    table = None
    if inspector is not None:
        from .plotting import InspectorTable

        # an optimizer's name (its first run) or a run's label
        shown = tuple(dict.fromkeys(lesson.optimizers + tuple(lesson.labels)))
        check_name(inspector, "inspector", shown)
        if step is None:
            raise ValueError(f"The 'inspector' parameter needs a step to inspect: give step (0 to {lesson.steps}). "
                             "Got step=None instead.")
        chosen = inspector if inspector in runs else lesson.labels[lesson.optimizers.index(inspector)]
        if lesson.runs[lesson.labels.index(chosen)].spread > 1:
            raise ValueError(f"The 'inspector' parameter must name a single run, not a spread over seeds. Got "
                             f"{inspector!r} instead.")
        table = InspectorTable(inspect(runs[chosen], step), width=size[0], scale=st.scale, lang=lang)
    # Alone, the trajectory panel is laid out by constrained layout (as plotting does at the book's size); with
    # the side panels, plotting's fixed grid places them.
    layout = None if loss else "constrained"
    if table is None:
        figure = target_figure = Figure(figsize=size, layout=layout)
    else:  # the figure on top at its size, the table under it
        width, height = table.size
        figure = Figure(figsize=(max(size[0], width), size[1] + height), layout=layout)
        target_figure, below = figure.subfigures(2, 1, height_ratios=(size[1], height))
        table.draw(below)
    trace = TraceFigure.from_lesson(lesson, target_figure, panels=bool(loss), trajectories=runs, step=step,
                                    view=view, lang=lang)
    if st.scale != 1.0:
        _enlarge(trace, st.scale)
    label(trace)
    return trace


def label(trace: TraceFigure) -> None:
    """Fixed ids (``gid``) for the artists a reader of the SVG looks for; matplotlib numbers the rest."""
    trace.ax.set_gid("tj-axes")
    if trace.contours is not None:
        trace.contours.set_gid("tj-contours")
    trace.start_marker.set_gid("tj-start")
    for name, p in trace.paths.items():
        p.line.set_gid(f"tj-trajectory-{name}")
        p.current.set_gid(f"tj-current-{name}")
        p.faint.set_gid(f"tj-spread-{name}")
        if p.loss is not None:
            p.loss.set_gid(f"tj-loss-{name}")
        if p.band is not None:
            p.band.set_gid(f"tj-band-{name}")
    if trace.loss_ax is not None:
        trace.loss_ax.set_gid("tj-loss-axes")
        trace.lr_ax.set_gid("tj-lr-axes")


def _enlarge(trace: TraceFigure, k: float) -> None:
    """Scale text, line widths and marker sizes by ``k`` (the slides style), leaving positions alone."""
    for ax in trace.figure.axes:
        for text in [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.texts]:
            text.set_fontsize(text.get_fontsize() * k)
            if hasattr(text, "xyann"):  # an annotation's offset from its point, in points
                text.xyann = (text.xyann[0] * k, text.xyann[1] * k)
        size = ax.xaxis.get_major_ticks()[0].label1.get_fontsize()
        ax.tick_params(which="both", labelsize=size * k, width=0.8 * k)
        ax.tick_params(which="major", length=3.5 * k)
        for spine in ax.spines.values():
            spine.set_linewidth(spine.get_linewidth() * k)
        for line in ax.lines:
            line.set_linewidth(line.get_linewidth() * k)
            line.set_markersize(line.get_markersize() * k)
            line.set_markeredgewidth(line.get_markeredgewidth() * k)
        for patch in ax.patches:
            patch.set_linewidth(patch.get_linewidth() * k)
            if hasattr(patch, "set_mutation_scale"):
                patch.set_mutation_scale(patch.get_mutation_scale() * k)
        legend = ax.get_legend()
        if legend is not None:
            for text in legend.get_texts():
                text.set_fontsize(text.get_fontsize() * k)
    if trace.contours is not None:
        trace.contours.set_linewidth([w * k for w in trace.contours.get_linewidth()])


def cjk_font() -> str | None:
    """The name of an installed font that draws Chinese (the first of :data:`CJK_FONTS` matplotlib finds, else
    any with "CJK" in its name), or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FONTS if n in installed), None) or next(
        (n for n in sorted(installed) if "CJK" in n and "Mono" not in n), None)


@contextlib.contextmanager
def fonts_for(figure: Figure, *, draws_glyphs: bool = True) -> Iterator[None]:
    """Draw ``figure`` inside this block with a font for its Chinese text (:func:`cjk_font`, after DejaVu Sans for
    the Latin letters and digits). Where matplotlib draws the glyphs (``draws_glyphs``: PNG, PDF, SVG with text as
    paths, a GIF's frames) and no such font is installed, one sentence names the fix instead of empty boxes."""
    import matplotlib as mpl
    from matplotlib.text import Text

    rc: dict[str, Any] = {}
    texts = [t for t in figure.findobj(Text) if t.get_text()]
    if any(_WIDE.search(t.get_text()) for t in texts):
        font = cjk_font()
        if font is None and draws_glyphs:
            raise MessageError("figure.no_cjk_font")
        if font is not None:
            # matplotlib falls back font by font along the family list, glyph by glyph (3.6+): the texts made
            # already get the list, and the tick labels made while drawing get it from rcParams
            family = [*mpl.rcParams["font.family"], font]
            rc["font.family"] = family
            for t in texts:
                if t.get_fontfamily() == mpl.rcParams["font.family"]:
                    t.set_fontfamily(family)
    with mpl.rc_context(rc), warnings.catch_warnings():
        # A glyph no font has would be an empty box: an error where matplotlib draws glyphs; with <text> the
        # reader's fonts draw it
        warnings.filterwarnings("error" if draws_glyphs else "ignore", message=r"Glyph \d+ .*missing from",
                                category=UserWarning)
        try:
            yield
        except UserWarning as missing:
            if "missing from" not in str(missing):
                raise
            raise MessageError("figure.no_cjk_font") from None


def render(figure: Figure, format: str = "svg", *, text: str = "paths", title: str = "") -> bytes:
    """The bytes of ``figure`` in ``format``, the same on every run: no date, no version, fixed ids.

    Text in Chinese (a figure in zh) is drawn with a font that has its glyphs (:func:`cjk_font`), after DejaVu
    Sans for the Latin letters and digits. Where matplotlib draws the glyphs (PNG, PDF, SVG with text as paths) and
    no such font is installed, this raises one sentence that names the fix instead of drawing empty boxes; SVG with
    ``<text>`` leaves the drawing to the reader's fonts and lists the CJK font for them.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    format : {"svg", "png", "pdf"}, default="svg"
    text : {"paths", "text"}, default="paths"
        SVG only: glyphs as paths (looks the same everywhere) or as ``<text>`` (selectable, searchable).
    title : str
        Stored in the file's metadata.
    """
    import matplotlib as mpl

    format = check_name(format, "format", IMAGES)
    fonttype = TEXT[check_name(text, "text", tuple(TEXT))]
    metadata: dict[str, Any] = {
        "svg": {"Date": None, "Creator": None, "Title": title},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None, "Title": title},
        "png": {"Software": None, "Title": title},
    }[format]
    rc = {"svg.hashsalt": HASHSALT, "svg.fonttype": fonttype, "path.simplify": False, "pdf.compression": 6}
    buffer = BytesIO()
    with fonts_for(figure, draws_glyphs=format != "svg" or fonttype == "path"), mpl.rc_context(rc):
        figure.savefig(buffer, format=format, metadata=metadata, dpi=PNG_DPI if format == "png" else "figure")
    return buffer.getvalue()


def title_of(lesson: Lesson) -> str:
    """A one-line description for the file's metadata: the link form of the settings."""
    return f"trajectories: {lesson.to_query()}"


def figure_bytes(lesson: Lesson, *, style: str = "d2l", loss: bool = False, format: str = "svg",
                 text: str = "paths", step: int | None = None, view: str | None = None,
                 lang: str = DEFAULT, inspector: str | None = None) -> bytes:
    """Build and :func:`render` the figure of ``lesson`` (see :func:`build` for the parameters)."""
    format = check_name(format, "format", IMAGES)
    check_name(text, "text", tuple(TEXT))
    trace = build(lesson, style=style, loss=loss, step=step, view=view, lang=lang, inspector=inspector)
    return render(trace.figure.get_figure(root=True), format, text=text, title=title_of(lesson))


def animation_bytes(lesson: Lesson, *, style: str = "d2l", loss: bool = False, format: str = "gif",
                    view: str | None = None, seconds: float = DEFAULT_SECONDS, lang: str = DEFAULT) -> bytes:
    """Play as a file: the figure of :func:`build` with step 0 (the start), 1, ..., ``lesson.steps`` highlighted,
    one frame each, ``seconds`` per step, the lesson's link and :func:`~trajectories.animation.alt_text` in the
    file's metadata (see :mod:`trajectories.animation`); its words in ``lang``."""
    format = check_name(format, "format", ANIMATIONS)
    seconds = check_seconds(seconds)
    if format == "mp4":
        require_video()  # say what is missing before drawing anything
    lang = check_lang(lang)
    trace = build(lesson, style=style, loss=loss, view=view, lang=lang)
    with fonts_for(trace.figure):
        pixels = frames(trace, lesson.steps)
    title, alt = title_of(lesson), alt_text(lesson, trace.trajectories, lang=lang)
    if format == "gif":
        return gif_bytes(pixels, seconds, f"{title}\n{alt}")
    return mp4_bytes(pixels, seconds, {"title": title, "comment": lesson.to_query(), "description": alt})


# ---- writing ----------------------------------------------------------------------------------------------
def make_folder(folder: str | os.PathLike, parameter: str) -> Path:
    """``folder`` as a Path, made with its parents if it does not exist yet (``mkdir -p``); else one sentence."""
    out = Path(folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = "a file is in the way" if isinstance(exc, (FileExistsError, NotADirectoryError)) else (
            exc.strerror or type(exc).__name__)
        raise ValueError(f"The '{parameter}' parameter must be a folder that exists or can be made. Got "
                         f"{str(out)!r}, which cannot ({reason}).") from None
    return out


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A reader never sees half a file, and a failure leaves the old file (if any) as it was and no temporary
    file behind.
    """
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as for open()
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        reason = exc.strerror or type(exc).__name__
        raise ValueError(f"The 'path' parameter must be a file that can be written. Got {str(path)!r}, "
                         f"which cannot ({reason}).") from None


def target(path: str | os.PathLike | None, lesson: Lesson, format: str | None,
           step: int | None = None, inspector: str | None = None) -> tuple[Path, str]:
    """Where to write and in which format: an explicit file, a folder (the file named by :func:`file_name`) or
    nothing (that name in the current folder); the format comes from ``format`` or the file's suffix."""
    if format is not None:
        format = check_name(format, "format", FORMATS)
    # "notes/" names a folder even before it exists (export makes it, as mkdir -p does); "notes/fig.svg" needs
    # its folder to exist, so that a typo in a path is said rather than made
    named_folder = isinstance(path, str) and path.endswith(tuple(filter(None, ("/", os.sep, os.altsep))))
    if path is None or named_folder or Path(path).is_dir():
        folder = Path("." if path is None else path)
        fmt = format or "svg"
        return folder / file_name(lesson, fmt, step, inspector), fmt
    p = Path(path)
    suffix = p.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        if format is None:
            raise ValueError(f"The 'path' parameter must end in .svg, .png, .pdf, .html, .mjs, .gif or .mp4 (or "
                             f"give the format). Got {str(p)!r} instead.")
    elif format is not None and suffix != format:
        raise ValueError(f"The 'format' parameter must match the file's suffix .{suffix}. Got {format!r} "
                         f"instead.")
    if not p.parent.is_dir():
        raise ValueError(f"The 'path' parameter must be in a folder that exists. Got {str(p)!r} instead.")
    return p, format or suffix


def export(optimizer: str | Sequence[str] | Lesson | None = None, path: str | os.PathLike | None = None, *,
           style: str = "d2l", loss: bool = False, format: str | None = None, text: str = "paths",
           step: int | None = None, view: str | None = None, inspector: str | None = None,
           seconds: float = DEFAULT_SECONDS, runs: Sequence[Run | str] | None = None,
           presenter: bool = False, controls: Sequence[str] | None = None, panels: bool = True,
           lang: str | None = None,
           hyperparameters: Mapping[str, Mapping[str, Any]] | None = None,
           objective: str | None = None, condition: float | None = None, angle: float | None = None,
           start: Sequence[float] | None = None, steps: int | None = None, convention: str | None = None,
           seed: int | None = None, spread: int | None = None, label: str | None = None, window: Any = None,
           **hyper: Any) -> Path:
    """Write the figure of these settings to ``path`` and return the path; the same settings, the same bytes.

    Parameters
    ----------
    optimizer : str, sequence of str or Lesson, default="rmsprop"
        ``"rmsprop"``, ``"gd,momentum"``, ``("gd", "momentum")`` or a :class:`~trajectories.lesson.Lesson`; with
        ``runs`` and no optimizer, those runs alone.
    path : str or path-like, optional
        A file ending in .svg, .png, .pdf, .html, .mjs, .gif or .mp4, or a folder; by default the current folder. In a
        folder the file is named after the settings (:func:`file_name`), e.g. ``rmsprop_eta0.4_gamma0.9.svg``. A
        folder written with a trailing ``/`` (``"notes/"``) is made if it does not exist; a file's folder must exist.
    style : {"d2l", "slides"}, default="d2l"
        The book's look at 3.5 x 2.5 inches, or a 16:9 figure with larger text for slides.
    loss : bool, default=False
        Add the loss and effective-learning-rate panels.
    format : {"svg", "png", "pdf", "html", "mjs", "gif", "mp4"}, optional
        "html" writes the whole interactive app opened on these settings as one self-contained page (no server,
        no network), "mjs" the app as one ES module for MyST's ``{anywidget}`` directive (Jupyter Book 2);
        ``style``, ``loss``, ``text`` and ``step`` apply to the figure formats only, ``presenter``, ``controls`` and
        ``panels`` to the page and the module only.
        "gif" and "mp4" animate Play: one frame per step from the start (frame 0) to the end, each highlighted
        as ``step`` highlights one; "mp4" needs ``pip install 'trajectories[video]'``. By default from the file's
        suffix (svg for a folder).
    text : {"paths", "text"}, default="paths"
        SVG text as glyph outlines or as selectable ``<text>``.
    step : int, optional
        Highlight one step, as the app's step control does (still figures only).
    seconds : float, default=0.5
        Animations: seconds per step, 0.05 to 10 (a GIF holds its last frame at least 2 s before it loops).
    view : {"fit", "window"}, optional
        Grow the objective's window to hold the paths that stay near it (the default, as the app does) or keep
        the objective's window.
    runs : sequence of Run or str, optional
        Runs written as in a link, ``["gd:eta=0.4", "gd:eta=0.6"]`` (or :class:`~trajectories.lesson.Run`).
    inspector : str, optional
        Add the step inspector of this optimizer (one of those shown) under the figure: its update at ``step`` in
        the book's notation with that step's numbers. Needs ``step``.
    presenter, controls, panels
        How the page shows the lesson (``format="html"`` only): bigger type for a projector, the compact mode's
        controls (``("eta", "beta")``; ``()`` the plot alone), the loss panels (:class:`~trajectories.display.Display`).
    lang : {"en", "zh"}, optional
        The language of the figure's words (the panels' titles, the legend; English by default) or of the page
        (html; by default its reader's browser language). In Chinese, glyphs drawn as paths need a font with
        Chinese characters (Debian's fonts-noto-cjk): without one this raises a sentence saying so, and
        ``text="text"`` leaves the drawing to the reader's fonts.
    hyperparameters : mapping, optional
        Per optimizer when several are shown: ``{"momentum": {"eta": 0.6}}``.
    objective, condition, angle, start, steps, convention, seed, spread, label, **hyper
        As in :func:`~trajectories.lesson.make_lesson`; ``eta=0.4`` (or ``schedule="cosine"``, ``sigma=0.5``)
        applies to every run that takes it; ``objective`` may be a formula in x1 and x2 (``"x1^4 + x2^2"``).
    window : four floats or str, optional
        The view, x1 low, x1 high, x2 low, x2 high, instead of the objective's own.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> export("rmsprop", "fig.svg", eta=0.4, gamma=0.9)  # doctest: +SKIP
    PosixPath('fig.svg')
    """
    lesson = make_lesson(optimizer, runs=runs, hyperparameters=hyperparameters, objective=objective,
                         condition=condition, angle=angle, start=start, steps=steps, convention=convention, seed=seed,
                         spread=spread, label=label, window=window, **hyper)
    lang = check_lang(lang, none=True)
    out, fmt = target(path, lesson, format, step, inspector)
    display = Display(presenter=presenter, controls=controls, panels=panels, view=view or Display.view)
    if fmt not in ("html", "mjs") and (presenter or controls is not None or not panels):
        given = "presenter" if presenter else "controls" if controls is not None else "panels"
        raise ValueError(f"The '{given}' parameter applies to format='html' and 'mjs' only (for a figure for slides, "
                         f"style='slides'; for the panels, loss=True). Got format={fmt!r} instead.")
    if fmt in ANIMATIONS:
        if step is not None or inspector is not None:
            which = f"step={step!r}" if step is not None else f"inspector={inspector!r}"
            raise ValueError(f"The 'step' and 'inspector' parameters show one step of a still figure; an animation "
                             f"shows every step. Got {which} with format {fmt!r}.")
        data = animation_bytes(lesson, style=style, loss=loss, format=fmt, view=view, seconds=seconds,
                               lang=lang or DEFAULT)
    elif fmt == "html":
        data = html_page(lesson, display=display, lang=lang).encode("utf-8")
    elif fmt == "mjs":
        data = esm_module(lesson, display=display).encode("utf-8")
    else:
        data = figure_bytes(lesson, style=style, loss=loss, format=fmt, text=text, step=step, view=view,
                            lang=lang or DEFAULT, inspector=inspector)
    make_folder(out.parent, "path")  # a folder named with a trailing "/"; the others exist already
    write_atomic(out, data)
    return out


# ---- the gallery: the book's figures, regenerated ---------------------------------------------------------
class GalleryFigure(NamedTuple):
    """One figure of the gallery: the book's section, the objective, the optimizer and its settings; ``book`` is
    the key of the section's number and title in each edition (the tables of messages), ``page`` its page in
    the book's chapter_optimization (the same name in both editions)."""

    section: str
    objective: str
    optimizer: str
    hyper: dict[str, float]
    book: str
    page: str


# The rows of the book's table in the engine issue (d2l chapter 12), then Adadelta and Adam at their defaults
# (the book shows those two only as loss curves on real data). Section numbers and titles: d2l-en's
# chapter_optimization (chapter 12 of d2l.ai: gd.md "Multivariate Gradient Descent", momentum.md "An
# Ill-conditioned Problem" and "The Momentum Method", adagrad.md, rmsprop.md, adadelta.md, adam.md) and d2l-zh's
# (chapter 11 of zh.d2l.ai: 多元梯度下降, 条件不佳的问题, 动量法, AdaGrad算法, RMSProp算法, Adadelta, Adam算法).
GALLERY: tuple[GalleryFigure, ...] = (
    GalleryFigure("Gradient Descent", "bowl", "gd", {"eta": 0.1}, "book.gd_multivariate", "gd"),
    GalleryFigure("Momentum: an ill-conditioned problem", "quadratic", "gd", {"eta": 0.4},
                  "book.momentum_ill_conditioned", "momentum"),
    GalleryFigure("Momentum: an ill-conditioned problem", "quadratic", "gd", {"eta": 0.6},
                  "book.momentum_ill_conditioned", "momentum"),
    GalleryFigure("Momentum", "quadratic", "momentum", {"eta": 0.6, "beta": 0.5}, "book.momentum_method",
                  "momentum"),
    GalleryFigure("Momentum", "quadratic", "momentum", {"eta": 0.6, "beta": 0.25}, "book.momentum_method",
                  "momentum"),
    GalleryFigure("Adagrad", "quadratic", "adagrad", {"eta": 0.4}, "book.adagrad", "adagrad"),
    GalleryFigure("Adagrad", "quadratic", "adagrad", {"eta": 2.0}, "book.adagrad", "adagrad"),
    GalleryFigure("RMSProp", "quadratic", "rmsprop", {"eta": 0.4, "gamma": 0.9}, "book.rmsprop", "rmsprop"),
    GalleryFigure("Adadelta", "quadratic", "adadelta", {}, "book.adadelta", "adadelta"),
    GalleryFigure("Adam", "quadratic", "adam", {}, "book.adam", "adam"),
)


def gallery_command(g: GalleryFigure) -> str:
    """The command that makes this gallery figure on its own."""
    words = ["trajectories", "export", g.optimizer]
    if g.objective != Lesson.objective:
        words += ["--objective", g.objective]
    for key, value in g.hyper.items():
        words += [f"--{key}", _num(value)]
    return " ".join(words)


def export_gallery(folder: str | os.PathLike, *, text: str = "paths") -> list[Path]:
    """Write the gallery's figures (d2l style, SVG) and its ``index.md`` into ``folder`` (made if it does not
    exist); return the paths.

    The index shows each figure with the command that makes it and its final point, computed by the engine
    while the gallery is written.
    """
    from .plotting import drawn_until

    check_name(text, "text", tuple(TEXT))
    out = make_folder(folder, "gallery")
    written = []
    rows = ["# Gallery: the book's figures, regenerated", "",
            "Made by `trajectories export --gallery assets/gallery`: one figure per setting the book prints in "
            "*Dive into Deep Learning*'s optimization chapter, plus Adadelta and Adam at their defaults, in the "
            "book's style (3.5 x 2.5 inches, contours `#1f77b4`, path `#ff7f0e`). Each figure comes with the "
            "command that makes it alone and the final point, computed by the engine when the gallery was "
            "written and printed the way the book's `train_2d` prints it. Every run starts at the book's "
            "(-5, -2) and takes 20 steps.", "",
            "| figure | book section | settings | final point |", "|---|---|---|---|"]
    for g in GALLERY:
        lesson = Lesson(optimizers=(g.optimizer,), hyperparameters={g.optimizer: g.hyper}, objective=g.objective)
        trajectory = lesson.run()[g.optimizer]
        path = out / file_name(lesson, "svg")
        write_atomic(path, figure_bytes(lesson, text=text))
        written.append(path)
        final = f"`{trajectory.book_line()}`"
        last = drawn_until(trajectory, "fit")
        if last < trajectory.steps:
            final += (f"; the run {'diverged' if trajectory.diverged_at is not None else 'grows without bound'}, "
                      f"so the figure draws it up to where it leaves the view (step {last})")
        shown = ", ".join([g.objective] + [f"{k}={v if isinstance(v, (bool, str)) else _num(v)}"
                                              for k, v in lesson.resolved(g.optimizer).items()
                                              if k in specs(g.optimizer)])
        rows.append(f"| ![{g.optimizer}, {shown}]({path.name}) | {g.section} | {shown}<br>"
                    f"`{gallery_command(g)}` | {final} |")
    index = out / "index.md"
    write_atomic(index, ("\n".join(rows) + "\n").encode())
    return written + [index]


# ---- a course website's folder --------------------------------------------------------------------------------
# Lessons that compare, beyond the gallery's single figures: the book's own comparisons of one optimizer with itself
# (d2l 12.3, 12.6, 12.7, 12.4), then its questions and exercises. Each has its label and its line in the tables of
# messages (site.<key>, site.<key>_text).
COMPARISONS: tuple[tuple[str, str], ...] = (
    ("cmp_gd_eta", "run=gd:eta=0.4&run=gd:eta=0.6"),
    ("cmp_momentum_beta", "run=momentum:eta=0.6,beta=0.5&run=momentum:eta=0.6,beta=0.25"),
    ("cmp_adagrad_eta", "run=adagrad:eta=0.4&run=adagrad:eta=2"),
    ("cmp_sgd_schedules",
     "objective=bowl&steps=50&run=sgd:schedule=constant&run=sgd:schedule=exponential&run=sgd:schedule=polynomial"),
    ("cmp_sgd_spread", "objective=bowl&steps=50&run=sgd:spread=50"),
    ("cmp_gd_momentum", "optimizer=gd,momentum&gd.eta=0.4&momentum.eta=0.6&momentum.beta=0.5"),
    ("cmp_adaptive", "optimizer=adagrad,rmsprop,adadelta,adam&steps=60"),
    ("cmp_gamma1", "optimizer=rmsprop&gamma=1"),
    ("cmp_rotated", "optimizer=rmsprop,gd&objective=rotated&gd.eta=0.2"),
    ("cmp_adadelta", "optimizer=adadelta&steps=500"),
    ("cmp_nesterov", "optimizer=momentum,nesterov&nesterov.eta=0.3&momentum.eta=0.3"),
)


def link_settings(query: str) -> tuple[Lesson, Display]:
    """The lesson and the display options of a page link's query, for a command that writes files: anything the
    page would ignore raises one sentence instead of a note."""
    lesson, notes = Lesson.from_query(query, ignore=DISPLAY_KEYS)
    display, more = Display.from_query(query)
    if notes or more:
        note = (notes + more)[0].removeprefix("Ignored ")
        raise ValueError(f"The 'link' parameter must hold only settings the page takes; it would ignore {note}")
    return lesson, display


def site_entries(links: Sequence[str] = (), *, lang: str = DEFAULT) -> list[tuple[str, str, str, str]]:
    """The index's lessons, in ``lang``: ``(label, description, query, address of the book's section or "")``
    for the gallery's book figures (with their section's number and title in that edition of the book), the
    comparisons, then ``links`` (a page's query each)."""
    lang = check_lang(lang)
    entries = []
    for g in GALLERY:
        lesson = Lesson(optimizers=(g.optimizer,), hyperparameters={g.optimizer: g.hyper}, objective=g.objective)
        settings = ", ".join(f"{k}={_num(v)}" for k, v in g.hyper.items())
        entries.append((i18n.name("optimizer", g.optimizer, lang) + (f", {settings}" if settings else ""),
                        i18n.text("site.gallery_description", lang, section=i18n.text(g.book, lang),
                                  objective=i18n.name("objective", g.objective, lang)),
                        lesson.to_query(), i18n.text("book.url", lang, page=g.page)))
    entries += [(i18n.text(f"site.{key}", lang), i18n.text(f"site.{key}_text", lang),
                 Lesson.from_query(query)[0].to_query(), "") for key, query in COMPARISONS]
    for query in links:
        lesson, display = link_settings(query)
        options = display.to_query()
        names = ", ".join(lesson.said_labels(lang))
        entries.append((i18n.text("site.custom", lang, optimizers=names,
                                  objective=i18n.name("objective", lesson.objective, lang)), "",
                        lesson.to_query() + (f"&{options}" if options else ""), ""))
    return entries


def export_site(folder: str | os.PathLike, links: Sequence[str] = (), *, lang: str | None = None) -> list[Path]:
    """Write a course website's folder: ``app.html`` (the whole app, no server needed) and ``index.html`` linking
    to it with the book's lessons and ``links`` preset. The folder (and its parents) is made if it does not exist,
    as ``mkdir -p`` does. Return the paths.

    With ``lang`` ("en" or "zh") the index is in that language, with the section numbers and titles of that
    edition of the book, and the app speaks it; without, the index is in English and the app speaks each
    reader's browser language."""
    if isinstance(links, str) or not all(isinstance(q, str) for q in links):
        raise ValueError(f"The 'links' parameter must be a list of query strings. Got {links!r} instead.")
    lang = check_lang(lang, none=True)
    entries = site_entries(links, lang=lang or DEFAULT)  # checked first: a bad link leaves no folder behind
    out = make_folder(folder, "folder")
    app, index = out / "app.html", out / "index.html"
    write_atomic(app, html_page(Lesson(), lang=lang).encode("utf-8"))
    write_atomic(index, index_page(entries, app=app.name, lang=lang or DEFAULT).encode("utf-8"))
    return [app, index]


def notebook_source() -> bytes:
    """The teacher's notebook shipped in the package (the repository's ``app.ipynb`` is the same file)."""
    return (resources.files("trajectories") / "teacher.ipynb").read_bytes()


def export_notebook(path: str | os.PathLike = ".") -> Path:
    """Write the teacher's notebook (``app = App()`` and ``app.lesson``) and return its path.

    Parameters
    ----------
    path : str or path-like, default="."
        A file ending in ``.ipynb``, or a folder (made if it does not exist) to hold ``app.ipynb``.

    A notebook already there with other content (the teacher's own edits) is never overwritten: that raises one
    sentence, and nothing is written. The same notebook already there is left as it is.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ValueError(f"The 'path' parameter must be a folder or a file ending in .ipynb. Got {path!r} instead.")
    p = Path(path)
    out = p if p.suffix.lower() == ".ipynb" else p / "app.ipynb"
    data = notebook_source()
    if out.exists():
        if out.is_file() and out.read_bytes() == data:
            return out
        raise ValueError(f"The 'path' parameter must name a notebook that does not exist yet. Got {str(out)!r}, "
                         "which is already there (give another name, e.g. lesson2.ipynb).")
    make_folder(out.parent, "path")
    write_atomic(out, data)
    return out


# ---- the landscape map ------------------------------------------------------------------------------------
def landscape_file_name(landscape: Landscape) -> str:
    """``landscape_rmsprop_eta_x_gamma.svg``: what the map shows."""
    check_landscape(landscape)
    axes = landscape.x if landscape.y is None else f"{landscape.x}_x_{landscape.y}"
    return f"landscape_{landscape.optimizer}_{axes}.svg"


def landscape_svg(landscape: Landscape, *, lang: str = DEFAULT) -> bytes:
    """The map as SVG, by :func:`render`'s rules: fixed ids, no date, no software version, so the same
    settings give the same bytes; its words in ``lang``."""
    from .landscape_view import figure_for

    check_landscape(landscape)
    figure, _ = figure_for(landscape, check_lang(lang))
    return render(figure, "svg", title=f"trajectories landscape: {summary(landscape)}")


def landscape_target(path: str | os.PathLike, what: str = "The 'path' parameter") -> Path:
    """``path`` as a Path if it ends in .svg in a folder that exists (checked before a map is computed); ``what``
    names it in the error (the command line's ``--output`` option)."""
    out = Path(path)
    if out.suffix.lower() != ".svg" or not out.parent.is_dir():
        raise ValueError(f"{what} must be a path ending in .svg in an existing folder. Got {str(path)!r} instead.")
    return out


def save_landscape(landscape: Landscape, path: str | os.PathLike, *, lang: str = DEFAULT) -> Path:
    """Write the map as SVG to ``path``, all or nothing (:func:`write_atomic`), its words in ``lang``; return the
    path."""
    out = landscape_target(path)
    write_atomic(out, landscape_svg(landscape, lang=lang))
    return out
