"""A notebook with apps as one HTML file that works offline: ``jupyter nbconvert --to trajectories --execute``.

nbconvert's own HTML shows an app through the widget manager, which it loads with require.js from CDNs (and
MathJax from a third): offline the app's output stays empty. This exporter, registered under the name
``trajectories``, writes JupyterLab's page as ``--to html`` does, with each output that shows an
:class:`~trajectories.app.App` replaced by the app itself (:func:`trajectories.standalone.html_fragment`): the
front end's bundle once per file however many apps it shows, each app opened on the lesson the notebook saved, and
nothing fetched from another address. With no kernel, each app's Export saves the figure as drawn and says so, with
the command that makes the book-style file.

Where the lesson comes from: the widget state the notebook keeps (nbconvert's ``--execute`` keeps it, as does
JupyterLab's "Save Widget State Automatically"), else the output's text (``trajectories App: ?optimizer=...``,
the lesson when the cell ran). Widgets that are not apps are left to nbconvert as they are (they still need its
CDN). Markdown math needs MathJax: give a local copy with ``--HTMLExporter.mathjax_url``, else it shows as TeX.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from traitlets import default

from .lesson import Lesson
from .standalone import TEXT_PREFIX, app_text, html_fragment
from .state import lesson_from_state

TEMPLATES = Path(__file__).parent / "nbconvert_templates"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
APP_WIDGET = "trajectories.app.AppWidget"  # anywidget's _anywidget_id of the app's widget
TEXT = re.compile(rf"^{re.escape(TEXT_PREFIX)}(\S*)$")  # App's text/plain: the lesson's link when the cell ran


def saved_lesson(model: dict[str, Any] | None, text: str) -> tuple[Lesson | None, list[str]]:
    """The lesson of one app output: from its saved widget state, else from its text; None if neither holds one."""
    if model is not None:
        try:
            return lesson_from_state(model.get("state", {}).get("lesson")), []
        except ValueError as exc:
            return Lesson(), [f"The saved lesson of this app could not be read ({exc}); it opens on the default."]
    m = TEXT.match(text.strip())
    if m:
        return Lesson.from_query(m.group(1))
    return None, []


class AppOutputs(Preprocessor):
    """Replace each output showing an app with the app itself as HTML, the bundle in the first one only, and drop the
    apps' models from the saved widget state (nbconvert loads its widget manager only for the widgets left)."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        widgets = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
        apps = {k: m for k, m in widgets.items() if m.get("state", {}).get("_anywidget_id") == APP_WIDGET}
        count = 0
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                view = data.get(WIDGET_VIEW) or {}
                text = data.get("text/plain", "")
                model = apps.get(view.get("model_id"))
                if model is None and not TEXT.match(str(text).strip()):
                    continue
                lesson, notes = saved_lesson(model, str(text))
                if lesson is None:
                    continue
                count += 1
                output["data"] = {"text/html": html_fragment(lesson, f"trajectories-app-{count}", notes=notes,
                                                             bundle=count == 1),
                                  "text/plain": text or app_text(lesson)}
        for model_id, model in apps.items():
            widgets.pop(model_id, None)
            layout = str(model.get("state", {}).get("layout", "")).removeprefix("IPY_MODEL_")
            widgets.pop(layout, None)
        if apps and not widgets:
            del nb.metadata["widgets"]
        return nb, resources


class OfflineHTMLExporter(HTMLExporter):
    """``--to trajectories``: nbconvert's HTML (JupyterLab's look) with every app live in the page, offline."""

    export_from_notebook = "HTML with live apps, offline"

    @default("template_name")
    def _template_name(self) -> str:
        return "trajectories"

    @default("extra_template_basedirs")
    def _extra_template_basedirs(self) -> list[str]:
        return [str(TEMPLATES)]

    def _init_preprocessors(self) -> None:
        super()._init_preprocessors()
        self.register_preprocessor(AppOutputs, enabled=True)  # after the defaults: after --execute's run

    def _init_resources(self, resources: dict[str, Any]) -> dict[str, Any]:
        resources = super()._init_resources(resources)
        resources["trajectories_mathjax"] = self.mathjax_url != HTMLExporter.mathjax_url.default_value
        return resources
