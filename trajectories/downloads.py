"""The widgets' downloads: the app's "Export SVG" control, and the browser side of a download (a Blob and a click).

Nothing is written on the server's disk: the bytes come from the export layer (:mod:`trajectories.figures`) and go
to the browser. Works in JupyterLab and on the Voila page.
"""

from __future__ import annotations

import base64
import html
import json
from typing import Any

from .figures import FORMATS, MIME, TEXT, file_name, label, render, title_of
from .specs import check_name


def download_script(name: str, data: bytes, mime: str) -> str:
    """Javascript that hands ``data`` to the browser as a download called ``name`` (a Blob and a click)."""
    payload = base64.b64encode(data).decode("ascii")
    return ("(() => {"
            f"const bytes = Uint8Array.from(atob({json.dumps(payload)}), c => c.charCodeAt(0));"
            f"const url = URL.createObjectURL(new Blob([bytes], {{type: {json.dumps(mime)}}}));"
            "const a = document.createElement('a');"
            f"a.href = url; a.download = {json.dumps(name)}; a.style.display = 'none';"
            "document.body.appendChild(a); a.click(); a.remove();"
            "setTimeout(() => URL.revokeObjectURL(url), 60000);"
            "})();")


def download_link(name: str, data: bytes, mime: str) -> str:
    """An HTML link that downloads ``data`` again, shown after the export (and if scripts are blocked)."""
    payload = base64.b64encode(data).decode("ascii")
    return (f'<a class="tj-export-link" download="{html.escape(name)}" href="data:{mime};base64,{payload}" '
            f'title="download again" style="font-size: 11px">{html.escape(name).replace("_", "_<wbr>")}</a>')


def export_control(app: Any, *, format: str = "svg", text: str = "paths") -> Any:
    """The app's "Export SVG" control: a button (class ``tj-export``) that downloads what is on screen.

    The click builds the figure anew from the app's settings, step, figure size and axes limits (the screen
    figure itself blits its moving artists, which ``savefig`` leaves out), renders it as :func:`render` does
    for the command line, and sends the browser a small script that saves it as a download, with a link to
    download it again. Nothing is written on the server's disk. Works in JupyterLab and on the Voila page.

    ``app`` must offer ``lesson`` (a :class:`~trajectories.lesson.Lesson`) and ``trace`` (its
    :class:`~trajectories.plotting.TraceFigure`); the returned widget has ``export()``, which returns
    ``(file name, bytes)`` of what the next click would download.
    """
    import ipywidgets as widgets

    format = check_name(format, "format", FORMATS)
    check_name(text, "text", tuple(TEXT))
    button = widgets.Button(description=f"Export {format.upper()}", icon="download",
                            tooltip=f"Download the figure on screen as {format.upper()}",
                            layout=widgets.Layout(width="auto", flex="0 0 auto"))
    button.add_class("tj-export")
    # Under the button, so a long file name wraps there instead of squeezing the button in a row of tools.
    output = widgets.Output(layout=widgets.Layout(max_width="260px"))
    output.add_class("tj-export-output")
    box = widgets.VBox([button, output])

    def snapshot() -> tuple[str, bytes]:
        return screen_export(app, format=format, text=text)

    def click(_: Any = None) -> None:
        try:
            name, data = snapshot()
        except Exception as exc:  # noqa: BLE001 - a click's error must reach the screen, not the kernel's log
            if callable(getattr(app, "show_message", None)):
                app.show_message(f"Export failed: {exc}")
                return
            raise
        mime = MIME[format]
        # Emptied first: the same export twice is the same list of outputs, which would not be sent again.
        output.outputs = ()
        output.outputs = (
            {"output_type": "display_data", "metadata": {}, "data": {"text/html": download_link(name, data, mime),
                                                                     "text/plain": name}},
            {"output_type": "display_data", "metadata": {},
             "data": {"application/javascript": download_script(name, data, mime)}},
        )

    button.on_click(click)
    box.export = snapshot  # type: ignore[attr-defined]
    box.button = button  # type: ignore[attr-defined]
    box.output = output  # type: ignore[attr-defined]
    return box


def screen_export(app: Any, *, format: str = "svg", text: str = "paths") -> tuple[str, bytes]:
    """File name and bytes of the app's figure as it is on screen: settings, step, size and axes limits."""
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    from .plotting import TraceFigure

    lesson, screen = app.lesson, app.trace
    engine = screen.figure.get_layout_engine()
    layout = "constrained" if isinstance(engine, ConstrainedLayoutEngine) else None
    trace = TraceFigure.from_lesson(lesson, Figure(figsize=tuple(screen.figure.get_size_inches()), layout=layout),
                                    panels=screen.panels, trajectories=screen.trajectories or None,
                                    step=screen.step)
    for mine, theirs in zip(trace.figure.axes, screen.figure.axes, strict=False):
        mine.set_xlim(theirs.get_xlim())
        mine.set_ylim(theirs.get_ylim())
    label(trace)
    return file_name(lesson, format, screen.step), render(trace.figure, format, text=text, title=title_of(lesson))
