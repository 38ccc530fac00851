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
from typing import Any

from . import i18n, state
from .display import Display
from .i18n import DEFAULT, HTML_LANG, check_lang, note_data, text
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
<html lang="{lang}">
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
<noscript>{noscript}</noscript>
</main>
<script type="application/json" id="trajectories-state">{state}</script>
<script type="text/plain" id="trajectories-bundle">{bundle}</script>
<script type="module">{loader}</script>
</body>
</html>
"""


INDEX = """<!doctype html>
<html lang="{lang}">
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
span a {{ font-weight: normal; color: inherit; }}
@media (prefers-color-scheme: dark) {{
  body {{ background: #1e1e1e; color: #e8e8e8; }} p.lead, span {{ color: #b0b0b0; }} a {{ color: #64b5f6; }}
  span a {{ color: inherit; }}
}}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="lead">{lead}</p>
<ul>
{items}
</ul>
</body>
</html>
"""


def index_page(entries: Sequence[tuple[str, ...]], *, app: str = "app.html", title: str | None = None,
               lang: str = DEFAULT) -> str:
    """A static page, in ``lang``, linking to ``app?query`` for each ``(label, description, query)``; an entry may
    add the address of the book's section it comes from, which its description links to."""
    lang = check_lang(lang)
    items = []
    for label, description, query, *book in entries:
        said = html.escape(description)
        if book and book[0]:
            said = f'<a href="{html.escape(book[0])}">{said}</a>'
        items.append(f'<li><a href="{html.escape(app)}?{html.escape(query)}">{html.escape(label)}</a>'
                     f"<span>{said}</span></li>")
    return INDEX.format(lang=HTML_LANG[lang], title=html.escape(title or text("site.title", lang)),
                        lead=html.escape(text("site.lead", lang)), items="\n".join(items))


def _json(value: Any) -> str:
    """``value`` as JSON to write inside a ``<script>`` element of a UTF-8 page (Chinese as itself, not ``\\uXXXX``:
    a third of the size)."""
    return _inline(json.dumps(value, separators=(",", ":"), ensure_ascii=False))


def _inline(text: str) -> str:
    # Inside a <script> element only "</script" (any case) and "<!--" end or confuse the raw text.
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def page_data(lesson: Lesson, notes: Sequence[str] = (), display: Display | None = None,
              lang: str | None = None) -> tuple[Lesson, dict]:
    """What the page's ``standalone()`` mounts the app from: config, lesson, how to show it (``display``: presenter,
    compact controls, panels, view; a link's own options take its place), notes (messages as data, which the page
    says in its language; the page draws the gradient noise itself) and the language (``""``: its reader's browser
    language), for ``lesson`` with its steps capped to the page's slider (with a note)."""
    if not isinstance(lesson, Lesson):
        raise ValueError(f"The 'lesson' parameter must be a Lesson. Got {type(lesson).__name__} instead.")
    if display is None:
        display = Display()
    if not isinstance(display, Display):
        raise ValueError(f"The 'display' parameter must be a trajectories.display.Display or None. Got "
                         f"{type(display).__name__} instead.")
    lang = check_lang(lang, none=True)
    lesson, capped = fit_page(lesson)
    return lesson, {"config": state.config(), "lesson": state.lesson_state(lesson), "display": display.to_state(),
                    "notes": [note_data(n) for n in [*notes, *capped]],
                    "lang": lang or ""}


def bundle_text() -> str:
    """The front end's bundle, checked to be safe inside a ``<script>`` element."""
    bundle = BUNDLE.read_text(encoding="utf-8")
    if "</script" in bundle.lower():
        raise ValueError("The bundle must not contain '</script'; rebuild it (npm run build).")
    return bundle


def html_page(lesson: Lesson, *, notes: Sequence[str] = (), display: Display | None = None,
              lang: str | None = None) -> str:
    """The HTML of the app opened on ``lesson`` (steps capped to the page's slider, with a note), shown as
    ``display`` says, speaking ``lang`` ("en" or "zh"; by default its reader's browser language, which a link's
    ``lang=`` overrides)."""
    lang = check_lang(lang, none=True)
    lesson, data = page_data(lesson, notes, display, lang)
    said = lang or DEFAULT  # the page's title and <noscript> before the app runs; the app then follows the reader
    title = text("page.title", said, optimizers=", ".join(lesson.said_labels(said)),
                 objective=i18n.name("objective", lesson.objective, said))
    # The policy allows the loader by the hash of the very text written into the page.
    return PAGE.format(csp=content_security_policy(LOADER), title=html.escape(title), loader=LOADER,
                       lang=HTML_LANG[said], noscript=html.escape(text("page.noscript", said)),
                       state=_json(data), bundle=bundle_text())


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
const data = JSON.parse(text("{id}-state"));
data.config ??= JSON.parse(text("trajectories-config"));
(await window.trajectoriesBundle).standalone(document.getElementById("{id}"), data, "");
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
    shows the lesson's query alone: the document is not an app page. The settings every app holds alike
    (``state.config()``: the spec table, the tables of messages in both languages, the step inspector's templates)
    come once too, with the bundle."""
    if not isinstance(element_id, str) or not element_id.replace("-", "").isalnum():
        raise ValueError(f"The 'element_id' parameter must be letters, digits and '-'. Got {element_id!r} instead.")
    lesson, data = page_data(lesson, notes, display)
    data["link_base"] = ""
    config = data.pop("config")  # the same for every app (it takes nothing): with the bundle, once
    carried = (f'\n<script type="text/plain" id="trajectories-bundle">{bundle_text()}</script>'
               f'\n<script type="application/json" id="trajectories-config">{_json(config)}</script>'
               if bundle else "")
    return FRAGMENT.format(id=element_id, state=_json(data), bundle=carried)


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
