"""The app as one self-contained HTML file: the front end's bundle, the spec table and a lesson inlined.

The page runs the whole app from ``file://`` or any static web host, with no server and no request to any other
address: no fonts, icons or scripts from elsewhere, and no script but its own (its Content-Security-Policy,
:func:`content_security_policy`, forbids them). A query string presets the lesson as on the served page
(``app.html?optimizer=gd,momentum&momentum.eta=0.6``).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Sequence
from pathlib import Path

from . import state
from .display import Display
from .lesson import Lesson, fit_page

BUNDLE = Path(__file__).parent / "static" / "app.js"
# The page's one script: it imports the bundle (inlined as text) from a blob: URL and starts the app.
LOADER = """
const text = (id) => document.getElementById(id).textContent;
const url = URL.createObjectURL(new Blob([text("trajectories-bundle")], { type: "text/javascript" }));
const bundle = await import(url);
URL.revokeObjectURL(url);
bundle.standalone(document.getElementById("trajectories-app"), JSON.parse(text("trajectories-state")));
"""


def content_security_policy(*scripts: str) -> str:
    """The page's Content-Security-Policy: only the inline ``scripts`` given (by their SHA-256) run, and nothing is
    fetched from anywhere.

    ``blob:`` is for the bundle, which the loader imports from a blob: URL it makes and revokes at once, and for
    the Landscape tab's worker, which the bundle starts from a blob: URL of the worker's text it holds; only a
    script already running on the page can make one. Every other source is ``'none'``: no request to any address
    (scripts, styles, fonts, images, fetch and websockets, frames, workers from anywhere but the page itself,
    plugins, forms, a <base>). Inline styles are allowed, as the app sets them.
    """
    if not scripts or not all(isinstance(s, str) for s in scripts):
        raise ValueError(f"The 'scripts' parameter must be one or more strings. Got {scripts!r} instead.")
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts)
    return (f"default-src 'none'; script-src {hashes} blob:; style-src 'unsafe-inline'; img-src data: blob:; "
            "font-src data:; connect-src 'none'; frame-src 'none'; child-src 'none'; worker-src blob:; "
            "object-src 'none'; manifest-src 'none'; base-uri 'none'; form-action 'none'")


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<link rel="icon" href="data:,">
<title>{title}</title>
<style>
:root {{ color-scheme: light dark; }}
body {{ margin: 0; padding: 16px; background: var(--jp-layout-color0, #fff); }}
@media (prefers-color-scheme: dark) {{
  :root {{
    --jp-ui-font-color1: #e8e8e8; --jp-ui-font-color2: #b0b0b0; --jp-layout-color0: #1e1e1e;
    --jp-layout-color1: #252526; --jp-layout-color2: #333; --jp-border-color1: #5a5a5a;
    --jp-border-color2: #3c3c3c; --jp-brand-color1: #64b5f6; --jp-error-color1: #ef9a9a;
    --jp-success-color1: #81c784; --jp-warn-color1: #ffb74d;
  }}
}}
noscript {{ font-family: system-ui, sans-serif; }}
</style>
</head>
<body>
<main id="trajectories-app">
<noscript>This page needs JavaScript: it runs the optimizers in the browser.</noscript>
</main>
<script type="application/json" id="trajectories-state">{state}</script>
<script type="text/plain" id="trajectories-bundle">{bundle}</script>
<script type="module">{loader}</script>
</body>
</html>
"""


INDEX = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<link rel="icon" href="data:,">
<title>{title}</title>
<style>
:root {{ color-scheme: light dark; }}
body {{ margin: 0 auto; padding: 24px; max-width: 760px; font: 15px/1.5 system-ui, sans-serif; }}
h1 {{ font-size: 22px; margin: 0 0 4px; }}
p.lead {{ margin: 0 0 18px; color: #555; }}
ul {{ padding: 0; list-style: none; }}
li {{ margin: 0 0 12px; }}
a {{ font-weight: 600; }}
span {{ display: block; color: #555; font-size: 13px; }}
@media (prefers-color-scheme: dark) {{
  body {{ background: #1e1e1e; color: #e8e8e8; }} p.lead, span {{ color: #b0b0b0; }} a {{ color: #64b5f6; }}
}}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="lead">Each link opens the interactive app on a lesson of <em>Dive into Deep Learning</em>'s optimization
chapter. Everything runs in your browser: no installation, no server, no network needed.</p>
<ul>
{items}
</ul>
</body>
</html>
"""


def index_page(entries: Sequence[tuple[str, str, str]], *, app: str = "app.html",
               title: str = "Optimizer trajectories") -> str:
    """A static page linking to ``app?query`` for each ``(label, description, query)``."""
    items = "\n".join(f'<li><a href="{html.escape(app)}?{html.escape(query)}">{html.escape(label)}</a>'
                      f"<span>{html.escape(description)}</span></li>" for label, description, query in entries)
    return INDEX.format(title=html.escape(title), items=items)


def _inline(text: str) -> str:
    # Inside a <script> element only "</script" (any case) and "<!--" end or confuse the raw text.
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def page_data(lesson: Lesson, notes: Sequence[str] = (), display: Display | None = None) -> tuple[Lesson, dict]:
    """What the page's ``standalone()`` mounts the app from: config, lesson, how to show it (``display``: presenter,
    compact controls, panels, view; a link's own options take its place), and notes (the page draws the gradient noise
    itself), for ``lesson`` with its steps capped to the page's slider (with a note)."""
    if not isinstance(lesson, Lesson):
        raise ValueError(f"The 'lesson' parameter must be a Lesson. Got {type(lesson).__name__} instead.")
    if display is None:
        display = Display()
    if not isinstance(display, Display):
        raise ValueError(f"The 'display' parameter must be a trajectories.display.Display or None. Got "
                         f"{type(display).__name__} instead.")
    lesson, capped = fit_page(lesson)
    return lesson, {"config": state.config(), "lesson": state.lesson_state(lesson), "display": display.to_state(),
                    "notes": [*notes, *capped]}


def bundle_text() -> str:
    """The front end's bundle, checked to be safe inside a ``<script>`` element."""
    bundle = BUNDLE.read_text(encoding="utf-8")
    if "</script" in bundle.lower():
        raise ValueError("The bundle must not contain '</script'; rebuild it (npm run build).")
    return bundle


def html_page(lesson: Lesson, *, notes: Sequence[str] = (), display: Display | None = None) -> str:
    """The HTML of the app opened on ``lesson`` (steps capped to the page's slider, with a note), shown as
    ``display`` says."""
    lesson, data = page_data(lesson, notes, display)
    title = "trajectories: " + ", ".join(lesson.labels) + f" on {lesson.objective}"
    # The policy allows the loader by the hash of the very text written into the page.
    return PAGE.format(csp=content_security_policy(LOADER), title=html.escape(title), loader=LOADER,
                       state=_inline(json.dumps(data, separators=(",", ":"))), bundle=bundle_text())


# The app inside another HTML document (a notebook exported by nbconvert): the bundle once per document, imported
# once, and each app mounted from its own state. Module scripts run in document order once the document is parsed,
# so every app's element and the bundle are there when its script runs.
FRAGMENT = """<div class="trajectories-app" id="{id}"><noscript>This figure needs JavaScript: it runs the optimizers \
in the browser.</noscript></div>
<script type="application/json" id="{id}-state">{state}</script>{bundle}
<script type="module">
const text = (id) => document.getElementById(id).textContent;
window.trajectoriesBundle ??= import(URL.createObjectURL(new Blob([text("trajectories-bundle")],
  {{ type: "text/javascript" }})));
(await window.trajectoriesBundle).standalone(document.getElementById("{id}"), JSON.parse(text("{id}-state")), "");
</script>
"""


TEXT_PREFIX = "trajectories App: ?"


def app_text(lesson: Lesson) -> str:
    """The text an app's output carries (``trajectories App: ?optimizer=rmsprop&...``), which hosts that show no
    widget print and :mod:`trajectories.nbconvert` reads when a notebook kept no widget state."""
    return f"{TEXT_PREFIX}{lesson.to_query()}"


def html_fragment(lesson: Lesson, element_id: str, *, notes: Sequence[str] = (), bundle: bool = True,
                  display: Display | None = None) -> str:
    """The app opened on ``lesson`` as a piece of another HTML document, in an element of id ``element_id``; the
    bundle comes with it if ``bundle`` (the first app of a document), else from the first app's. The link field
    shows the lesson's query alone: the document is not an app page."""
    if not isinstance(element_id, str) or not element_id.replace("-", "").isalnum():
        raise ValueError(f"The 'element_id' parameter must be letters, digits and '-'. Got {element_id!r} instead.")
    lesson, data = page_data(lesson, notes, display)
    data["link_base"] = ""
    carried = f'\n<script type="text/plain" id="trajectories-bundle">{bundle_text()}</script>' if bundle else ""
    return FRAGMENT.format(id=element_id, state=_inline(json.dumps(data, separators=(",", ":"))), bundle=carried)


# MyST's {anywidget} imports one ES module and gives it only the directive's JSON; the rest of what the app needs is
# declared in front of the bundle, whose MyST host (js/src/hosts/myst.js) reads it.
MODULE_DATA = "TRAJECTORIES_DATA"


def esm_module(lesson: Lesson, *, notes: Sequence[str] = (), display: Display | None = None) -> str:
    """The app as one ES module for MyST's ``{anywidget}`` directive (Jupyter Book 2): the bundle, with the spec
    table and ``lesson`` (the one a directive gives none opens on) declared in front of it.

    Its default export is anywidget's ``{initialize, render}``; given MyST's model, ``render`` mounts the app on the
    directive's ``{"lesson": "<a page link's query>"}``. It imports nothing and fetches nothing.
    """
    lesson, data = page_data(lesson, notes, display)
    bundle = bundle_text()
    if re.search(r"^\s*import[\s{*(]", bundle, re.M) or f"const {MODULE_DATA}" in bundle:
        raise ValueError("The bundle must be self-contained, with no import and no TRAJECTORIES_DATA of its own; "
                         "rebuild it (npm run build).")
    return f"const {MODULE_DATA} = {json.dumps(data, separators=(',', ':'))};\n{bundle}"
