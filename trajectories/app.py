"""The interactive app: one front-end widget (anywidget) that computes and draws in the browser, hosted by Python.

The widget's ES module (``trajectories/static/app.js``, built from ``js/``) holds the controls, the figures and
its own port of the engine, so a slider move never waits for the kernel. Python sends what the browser needs to
know once (the spec table, the objectives, the runs' colours: :mod:`trajectories.state`) and keeps the lesson: the
page sends it back when a control is released (at most ten times a second), so ``app.lesson``, the link, Export
and the readout always describe what is on screen, and setting ``app.lesson`` moves the page. A lesson is a list
of runs (:class:`~trajectories.lesson.Run`): ``App(Lesson(runs=("gd:eta=0.4", "gd:eta=0.6")))``. matplotlib is
imported only when an export is asked for, so a student's kernel stays small.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from . import state
from .display import Display
from .engine import Trajectory
from .i18n import DEFAULT, LANGUAGES, Message, check_lang, note_data, reason
from .lesson import Lesson, fit_page
from .specs import check_int, check_name
from .standalone import app_text

BUNDLE = Path(__file__).parent / "static" / "app.js"
# What the page's Export may ask the kernel for, and the type the browser saves it as
EXPORTS = ("svg", "png", "pdf", "gif", "mp4")
MIME = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf", "gif": "image/gif", "mp4": "video/mp4"}


@functools.cache
def _config() -> dict[str, Any]:
    return state.config()


class AppWidget(anywidget.AnyWidget):
    """The widget itself: its state is plain data, drawn by ``static/app.js``. Use it through :class:`App`."""

    _esm = BUNDLE
    config = traitlets.Dict().tag(sync=True)
    lesson = traitlets.Dict().tag(sync=True)
    # Each note is text, or a message of the tables as {"key", "params"}, which the page says in its language.
    notes = traitlets.List(traitlets.Union([traitlets.Unicode(), traitlets.Dict()])).tag(sync=True)
    link_base = traitlets.Unicode("").tag(sync=True)
    display = traitlets.Dict().tag(sync=True)  # how the page shows the lesson (trajectories.display)
    lang = traitlets.Unicode("").tag(sync=True)  # "en", "zh", or "" for the reader's browser language

    def set_state(self, sync_data: Any) -> None:
        """An update from a front end: the page sends only its lesson, its display options and its language, so
        anything else, or a lesson that is not one, is refused with a one-line note under the plot (never a
        traceback, which would carry the server's paths) and is not echoed to the other front ends."""
        try:
            if not isinstance(sync_data, dict) or not sync_data or set(sync_data) - {"lesson", "display", "lang"}:
                keys = sorted(map(str, sync_data)) if isinstance(sync_data, dict) else type(sync_data).__name__
                raise ValueError(f"The page may only send its 'lesson', 'display' and 'lang'. Got {keys} instead.")
            if "lesson" in sync_data:
                state.lesson_from_state(sync_data["lesson"])
            if "display" in sync_data:
                Display.from_state(sync_data["display"])
            if "lang" in sync_data and sync_data["lang"] != "":
                check_lang(sync_data["lang"])
        except ValueError as exc:
            why = reason(exc)
            self.notes = [Message("note.ignored_update", reason=why if isinstance(why, Message) else _one_line(why))
                          .data()]
            return
        super().set_state(sync_data)


class App:
    """The whole app: optimizers, objective, convention, steps, start, hyperparameters, step scrubber, the
    trajectories with their loss and effective-rate panels, and the Landscape tab.

    Parameters
    ----------
    lesson : Lesson, optional
        The settings to open with (the book's RMSProp example by default). Steps beyond the page's slider
        (:data:`~trajectories.lesson.PAGE_STEPS`) are capped, with a note.
    notes : sequence of str, default=()
        Short notes to show at once, e.g. why parameters of a preset link were ignored. A
        :class:`~trajectories.i18n.Message` (what ``Lesson.from_query`` gives) is said in the page's language.
    presenter : bool, default=False
        Bigger type and thicker lines, for a projector.
    controls : sequence of str, optional
        The compact mode: the plot and only these controls, e.g. ``("eta", "beta")`` (a hyperparameter's sliders,
        ``"momentum.eta"`` for one optimizer's, or ``"steps"``, ``"step"``, ``"objective"``, ... as listed in
        :data:`trajectories.display.CONTROLS`); ``()`` the plot alone. Every control by default.
    panels : bool, default=True
        Show the loss and effective-rate panels beside (or under) the plot.
    view : {"fit", "window"}, default="fit"
        "fit" grows the objective's window to hold the paths that stay near it; "window" keeps it
        (:mod:`trajectories.view`).
    lang : {"en", "zh"}, optional
        The language of the app's words (English, or Chinese as the book's Chinese edition writes them). By default
        the reader's browser language, and the switch under the app changes it. The link carries it once chosen.

    These four (and the language) are how the page shows the lesson, not part of it: ``app.display`` holds them, the
    link carries them (``presenter=1&controls=eta,beta&panels=none``), and ``app.lesson`` stays the same whatever
    they are.

    Attributes
    ----------
    widget : AppWidget
        The widget (``App`` also displays itself). Every control carries a ``tj-<name>`` CSS class, a
        hyperparameter slider also ``tj-<optimizer>-<name>``; the figure's root element carries ``tj-plot``.

    Examples
    --------
    >>> app = App(Lesson(optimizers=("gd", "momentum")))  # doctest: +SKIP
    >>> app                                               # doctest: +SKIP
    >>> app.lesson = Lesson(optimizers=("adam",))          # doctest: +SKIP  (the page follows)
    >>> App(Lesson(optimizers=("momentum",)), presenter=True, controls=("eta", "beta"))  # doctest: +SKIP
    """

    def __init__(self, lesson: Lesson | None = None, *, notes: Sequence[str] = (), presenter: bool = False,
                 controls: Sequence[str] | None = None, panels: bool = True, view: str = "fit",
                 lang: str | None = None) -> None:
        if lesson is None:
            lesson = Lesson()
        if not isinstance(lesson, Lesson):
            raise ValueError(f"The 'lesson' parameter must be a Lesson or None. Got {type(lesson).__name__} instead.")
        if isinstance(notes, str) or not all(isinstance(n, str) for n in notes):
            raise ValueError(f"The 'notes' parameter must be a sequence of strings. Got {notes!r} instead.")
        display = Display(presenter=presenter, controls=controls, panels=panels, view=view)
        lang = check_lang(lang, none=True)
        lesson, capped = fit_page(lesson)
        self._lesson = lesson
        self._observers: list[Callable[[Lesson], Any]] = []
        self._runs: tuple[Lesson, dict[str, Trajectory]] | None = None
        self._applying = False
        self.widget = AppWidget(config=_config(), lesson=state.lesson_state(lesson),
                                notes=[note_data(n) for n in [*notes, *capped]],
                                display=display.to_state(), lang=lang or "")
        self.widget.observe(self._on_page_lesson, names="lesson")
        self.widget.on_msg(self._on_message)

    # ---- the public face ----------------------------------------------------------------------------------
    @property
    def lesson(self) -> Lesson:
        """The settings on screen; setting it moves the page (steps beyond the slider are capped, with a note)."""
        return self._lesson

    @lesson.setter
    def lesson(self, lesson: Lesson) -> None:
        if not isinstance(lesson, Lesson):
            raise ValueError(f"The 'lesson' parameter must be a Lesson. Got {type(lesson).__name__} instead.")
        lesson, capped = fit_page(lesson)
        self._show(lesson, notes=capped)
        self._changed()

    @property
    def display(self) -> Display:
        """How the page shows the lesson (presenter, controls, panels, view); setting it changes the page."""
        return Display.from_state(self.widget.display)

    @display.setter
    def display(self, display: Display) -> None:
        if not isinstance(display, Display):
            raise ValueError(f"The 'display' parameter must be a trajectories.display.Display. Got "
                             f"{type(display).__name__} instead.")
        self.widget.display = display.to_state()

    @property
    def trajectories(self) -> dict[str, Trajectory]:
        """The runs on screen by label, from the Python engine (the page draws the same numbers from its port); a
        spread's is batched over its seeds."""
        if self._runs is None or self._runs[0] != self._lesson:
            self._runs = (self._lesson, self._lesson.run())
        return self._runs[1]

    def readout(self) -> dict[str, str]:
        """Where each run ends, in the book's words, by label: ``{"rmsprop": "epoch 20, x1: -0.010599, x2:
        0.000000"}``; a spread's median run (:meth:`~trajectories.lesson.Lesson.readout`)."""
        return self._lesson.readout(self.trajectories)

    @property
    def link_base(self) -> str:
        """The page address the link field puts before ``?`` (``trajectories serve`` sets it)."""
        return self.widget.link_base

    @link_base.setter
    def link_base(self, value: str) -> None:
        if not isinstance(value, str):
            raise ValueError(f"The 'link_base' parameter must be a string. Got {value!r} instead.")
        self.widget.link_base = value

    @property
    def lang(self) -> str | None:
        """The language of the app's words, "en" or "zh", once chosen (here, by the page's link or by the switch
        under the app); None while the page speaks its reader's browser language."""
        return self.widget.lang or None

    @lang.setter
    def lang(self, value: str | None) -> None:
        self.widget.lang = check_lang(value, none=True) or ""

    @property
    def link(self) -> str:
        """The link of what is on screen, as the page's link field shows it: the lesson, then how it is shown (with
        ``lang`` once it was chosen)."""
        options = self.display.to_query()
        lang = f"&lang={self.widget.lang}" if self.widget.lang in LANGUAGES else ""
        return f"{self.link_base}?{self._lesson.to_query()}" + (f"&{options}" if options else "") + lang

    def show_message(self, text: str) -> None:
        """Show a short message under the plot (replacing the previous one); an empty string clears it. A
        :class:`~trajectories.i18n.Message` is said in the page's language; other text is shown as it is."""
        if not isinstance(text, str):
            raise ValueError(f"The 'text' parameter must be a string. Got {text!r} instead.")
        if isinstance(text, Message):
            self._say([text])
            return
        self._say([line for line in text.splitlines() if line.strip()])

    def _say(self, notes: Sequence[str]) -> None:
        data = [note_data(n) for n in notes]
        # The same words twice must still reach the page, which clears them when a control moves.
        if list(self.widget.notes) == data:
            self.widget.notes = []
        self.widget.notes = data

    def observe(self, callback: Callable[[Lesson], Any]) -> None:
        """Call ``callback(lesson)`` after every change, made on the page or from Python."""
        if not callable(callback):
            raise ValueError(f"The 'callback' parameter must be callable. Got {callback!r} instead.")
        self._observers.append(callback)

    def export(self, *, step: int | None = None, format: str = "svg", lang: str | None = None,
               inspector: str | None = None) -> tuple[str, bytes]:
        """File name and bytes of the figure on screen, as Export downloads it: ``trajectories export ... --loss``
        with the app's settings (and ``--step N`` when a step is highlighted, ``--inspector NAME`` when the step
        inspector shows that optimizer's step), without ``--loss`` when the page hides its panels, with ``--style
        slides`` in presenter mode and ``--view window`` when it shows the objective's window, its words in ``lang``
        (by default the app's language, English while none was chosen; the page asks for the one it speaks); or
        Play as a GIF or an MP4 (``format="gif"``, ``"mp4"``): ``trajectories export ... --format gif``, every step,
        the book's style."""
        from .figures import ANIMATIONS, animation_bytes, figure_bytes, file_name

        format = check_name(format, "format", EXPORTS)
        check_int(step, "step", 0, self._lesson.steps, none=True)
        lang = check_lang(lang, none=True) or self.lang or DEFAULT
        if inspector is not None:
            check_name(inspector, "inspector", self._lesson.optimizers)
        if format in ANIMATIONS:
            if step is not None or inspector is not None:
                which = f"step={step!r}" if step is not None else f"inspector={inspector!r}"
                raise ValueError(f"The 'step' and 'inspector' parameters show one step of a still figure; an "
                                 f"animation shows every step. Got {which} with format {format!r}.")
            return file_name(self._lesson, format), animation_bytes(self._lesson, format=format, lang=lang)
        shown = self.display
        return (file_name(self._lesson, format, step, inspector),
                figure_bytes(self._lesson, loss=shown.panels, format=format, step=step, view=shown.view,
                             style="slides" if shown.presenter else "d2l", lang=lang, inspector=inspector))

    def export_landscape(self, settings: dict[str, Any]) -> tuple[str, bytes]:
        """File name and SVG of the Landscape tab's map for the tab's ``settings`` (run: the run's index, else
        optimizer: a run's optimizer or label; axes, spans, metric, tol, resolution, lang), as ``trajectories landscape
        ... -o`` writes it; the resolution is lowered to fit the landscape's budget as the tab does
        (:func:`~trajectories.landscape.fit_budget`)."""
        from .figures import landscape_file_name, landscape_svg
        from .landscape import from_lesson

        if not isinstance(settings, dict):
            raise ValueError(f"The 'settings' parameter must be a mapping. Got {settings!r} instead.")
        lang = check_lang(settings.get("lang"), none=True) or self.lang or DEFAULT
        spans = {k: tuple(v) for k, v in (settings.get("spans") or {}).items()}
        which = settings.get("run", settings.get("optimizer"))
        m = from_lesson(self._lesson, which, tuple(settings.get("axes") or ()) or None,
                        resolution=settings.get("resolution"), metric=settings.get("metric", "loss"),
                        tol=settings.get("tol", 0.1), spans=spans, budget=True)
        return landscape_file_name(m), landscape_svg(m, lang=lang)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = self.widget._repr_mimebundle_(**kwargs)  # (data, metadata), or data alone
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if isinstance(data, dict) and "text/plain" in data:  # what a host with no widgets shows: the lesson
            data["text/plain"] = app_text(self._lesson)
        return bundle

    # ---- the page's side ----------------------------------------------------------------------------------
    def _show(self, lesson: Lesson, *, notes: Sequence[str] = ()) -> None:
        """Put ``lesson`` on the page."""
        self._lesson = lesson
        self._applying = True
        try:
            self.widget.lesson = state.lesson_state(lesson)
            if notes:
                self._say(list(notes))
        finally:
            self._applying = False

    def _on_page_lesson(self, change: dict[str, Any]) -> None:
        if self._applying:
            return
        try:
            lesson, capped = fit_page(state.lesson_from_state(change["new"]))
        except ValueError as exc:  # the page checks what it sends; this is the last line of defence
            self._show(self._lesson, notes=[Message("note.ignored_change", reason=reason(exc))])
            return
        if capped:
            self._show(lesson, notes=capped)
        else:
            self._lesson = lesson
        self._changed()

    def _changed(self) -> None:
        for callback in self._observers:
            try:
                callback(self._lesson)
            except Exception as exc:  # noqa: BLE001 - a view hooked in must not break the app
                self.show_message(Message("note.view_error", error=_one_line(str(exc))))

    def _on_message(self, widget: Any, content: Any, buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":  # the page's heartbeat, where it has one
            widget.send({"type": "pong"})
            return
        if not isinstance(content, dict) or content.get("type") != "export":
            return
        reply = {"type": "download", "id": content.get("id")}
        extra: dict[str, Any] = {}
        try:
            if content.get("kind") == "landscape":
                (name, data), mime = self.export_landscape(content), MIME["svg"]
            else:
                format = content.get("format", "svg")
                lang = check_lang(content.get("lang"), none=True)
                name, data = self.export(step=content.get("step"), format=format, lang=lang,
                                         inspector=content.get("inspector"))
                mime = MIME[format]
                if format in ("gif", "mp4"):  # an animation: the page shows the alt text to copy with it
                    from .animation import alt_text

                    extra["alt"] = alt_text(self._lesson, lang=lang or self.lang or DEFAULT)
        except Exception as exc:  # noqa: BLE001 - the page shows why an export failed, never a traceback
            widget.send({**reply, "error": str(exc)})
            return
        widget.send({**reply, "name": name, "mime": mime, **extra}, [data])


def _one_line(text: str) -> str:
    return " ".join(str(text).split())
