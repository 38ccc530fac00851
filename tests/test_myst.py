"""Live figures in Jupyter Book 2 / MyST, as docs/live-figures.md tells a teacher to make them: the ES module that
``trajectories export --format mjs`` writes, in two ``{anywidget}`` directives of a small book built by the real
mystmd, offline; the page opened in Chromium with every request to another host refused; a key on eta moves the plot
and the readout is the Python engine's.

mystmd downloads its book theme from api.mystmd.org when it builds a site (no package registry carries it), so here
the book is built with ``myst build --site`` and a local site template that holds only its template.yml, and the
page is drawn by :func:`myst_page`, which does for each ``anywidget`` node of mystmd's output what the theme's
renderer does (myst-theme's AnyWidgetRenderer): import the module from the URL mystmd gave it, make MyST's model of
the directive's JSON (get, set and on; off, save_changes and send throw), await ``initialize``, then ``render``
into a div in an open shadow root.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import watch
from pages import TIMEOUT_MS, expected_lines
from test_embed import cli, documented

from trajectories.lesson import Lesson

ROOT = Path(__file__).resolve().parent.parent
MYST = Path(sys.executable).parent / "myst"  # mystmd's command (pip install mystmd: the test extra)
LESSONS = [Lesson.from_query("optimizer=gd,momentum&momentum.eta=0.6")[0],
           Lesson.from_query("optimizer=rmsprop&gamma=0.5")[0]]

# What myst-theme's renderer does with an anywidget node, written for this test: MyST's model, then the module's
# initialize and render in a shadow root. NODES is mystmd's list of {esm, model}.
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>{title}</title></head>
<body><article><h1>{title}</h1><div id="figures"></div></article>
<script type="module">
class MystModel {{
  #state; #target = new EventTarget();
  constructor(state) {{ this.#state = state; }}
  get(name) {{ return this.#state[name]; }}
  set(key, value) {{
    this.#state[key] = value;
    this.#target.dispatchEvent(new CustomEvent(`change:${{key}}`, {{ detail: value }}));
    this.#target.dispatchEvent(new CustomEvent("change", {{ detail: value }}));
  }}
  on(name, callback) {{ this.#target.addEventListener(name, callback); }}
  off() {{ throw new Error("MystAnyModel.off not implemented yet."); }}
  save_changes() {{ throw new Error("MystAnyModel.save_changes not implemented yet."); }}
  send() {{ throw new Error("MystAnyModel.send not implemented yet."); }}
  get widget_manager() {{ throw new Error("MystAnyModel.widget_manager does not exist."); }}
}}
for (const node of {nodes}) {{
  const root = document.createElement("div");
  root.className = "myst-anywidget";
  document.getElementById("figures").append(root);
  const widget = (await import(new URL(node.esm, location.href).href)).default;
  const model = new MystModel(node.model);
  await widget.initialize?.({{ model }});
  const el = document.createElement("div");
  (root.shadowRoot ?? root.attachShadow({{ mode: "open" }})).replaceChildren(el);
  await widget.render?.({{ model, el }});
}}
</script></body></html>
"""


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # the test reads the page, not the request log
        pass


def anywidget_nodes(tree) -> list[dict]:
    """Every ``anywidget`` node of a mystmd page (its content JSON), in order."""
    found = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == "anywidget":
                found.append(node)
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found


def myst_page(title: str, nodes: list[dict]) -> str:
    return PAGE.format(title=title, nodes=json.dumps([{"esm": n["esm"], "model": n["model"]} for n in nodes]))


def make_book(folder: Path) -> tuple[Path, list[dict], subprocess.CompletedProcess]:
    """Build, in ``folder``, a book of one page with the two documented figures, by mystmd, with the module the
    docs' command writes; return the built site, its anywidget nodes and mystmd's outcome."""
    [command] = [block for block in documented("bash") if "--format mjs" in block]
    assert command.strip() == "trajectories export rmsprop --format mjs -o trajectories.mjs"
    cli("export", "rmsprop", "--format", "mjs", "-o", "trajectories.mjs", cwd=folder)
    [page] = documented("myst")
    (folder / "index.md").write_text(f"# Momentum and RMSProp\n\n{page}", encoding="utf-8")
    (folder / "theme").mkdir()
    (folder / "theme" / "template.yml").write_text("myst: v1\nkind: site\ntitle: the theme's stand-in\n")
    (folder / "myst.yml").write_text("version: 1\nproject:\n  title: Notes\nsite:\n  template: ./theme\n")
    done = subprocess.run([str(MYST), "build", "--site"], cwd=folder, capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=str(ROOT), NO_UPDATE_NOTIFIER="1"))
    assert done.returncode == 0, done.stdout + done.stderr
    content = json.loads((folder / "_build" / "site" / "content" / "index.json").read_text(encoding="utf-8"))
    return folder / "_build" / "site", anywidget_nodes(content), done


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> tuple[Path, list[dict], subprocess.CompletedProcess]:
    if not MYST.exists():
        if os.environ.get("CI"):
            pytest.fail(f"mystmd is not installed ({MYST}); pip install -e '.[test]'")
        pytest.skip("mystmd is not installed (pip install mystmd)")
    return make_book(tmp_path_factory.mktemp("book"))


def test_mystmd_keeps_the_lessons_and_ships_the_module_once(book):
    site, nodes, done = book
    assert [n["model"] for n in nodes] == [{"lesson": "optimizer=gd,momentum&momentum.eta=0.6"},
                                           {"lesson": "optimizer=rmsprop&gamma=0.5"}]
    assert len({n["esm"] for n in nodes}) == 1  # one module file for every figure of the site
    [module] = [p for p in (site / "public").iterdir() if p.suffix == ".mjs"]
    assert "/" + module.name == nodes[0]["esm"]
    assert module.read_text(encoding="utf-8").startswith("const TRAJECTORIES_DATA = {")
    assert "error" not in (done.stdout + done.stderr).lower()


@pytest.fixture
def served(book):
    """The built site's public folder over HTTP on 127.0.0.1 (MyST's renderer imports modules by http URL), with the
    page drawn as the theme would draw it."""
    site, nodes, _ = book
    public = site / "public"
    (public / "index.html").write_text(myst_page("Momentum and RMSProp", nodes), encoding="utf-8")
    handler = partial(Quiet, directory=str(public))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_two_live_figures_offline_a_key_moves_the_plot(browser, served):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = watch(context.new_page())
    outside: list[str] = []
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith((served, "data:", "blob:"))
                  else (outside.append(r.request.url), r.abort()))
    try:
        page.goto(served, timeout=TIMEOUT_MS)
        page.wait_for_function("() => [...document.querySelectorAll('.myst-anywidget')].filter((r) => /epoch/.test("
                               "r.shadowRoot?.querySelector('.tj-readout')?.textContent ?? '')).length === 2",
                               timeout=TIMEOUT_MS)
        figures = page.locator(".myst-anywidget")
        for figure, lesson in zip((figures.nth(0), figures.nth(1)), LESSONS, strict=True):
            assert _readout(figure) == expected_lines(lesson)
        first = figures.nth(0)
        before = first.locator(".tj-trajectory-gd .tj-line").get_attribute("d")
        first.locator(".tj-gd-eta").focus()  # Playwright's locators pierce the open shadow root, as Tab does
        page.keyboard.press("ArrowRight")
        page.wait_for_function("(d) => document.querySelector('.myst-anywidget').shadowRoot"
                               ".querySelector('.tj-trajectory-gd .tj-line').getAttribute('d') !== d", arg=before)
        eta = float(first.locator(".tj-gd-eta").get_attribute("aria-valuenow"))
        assert eta != 0.4
        assert _readout(first) == expected_lines(LESSONS[0].with_hyperparameter("gd", "eta", eta))
        assert _readout(figures.nth(1)) == expected_lines(LESSONS[1])
        # the link field holds the lesson's query (the notes page is not an app page); Export saves it as drawn
        assert first.locator(".tj-link").input_value().startswith("?optimizer=gd,momentum")
        with page.expect_download() as info:
            first.locator(".tj-export").click()
        assert Path(info.value.path()).read_text(encoding="utf-8").startswith("<svg")
        assert "as drawn on screen" in first.locator(".tj-export-output").inner_text()
        assert not first.locator(".tj-export-gif").is_visible()  # a GIF needs a kernel
        assert outside == [] and page.errors == []
    finally:
        context.close()


def _readout(app) -> dict[str, str]:
    lines = app.locator(".tj-readout").inner_text().strip().splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def test_the_module_is_the_bundle_with_the_data_in_front(tmp_path):
    from trajectories.standalone import BUNDLE, esm_module

    text = esm_module(Lesson())
    head, bundle = text.split("\n", 1)
    assert bundle == BUNDLE.read_text(encoding="utf-8")
    data = json.loads(head.removeprefix("const TRAJECTORIES_DATA = ").removesuffix(";"))
    # the page draws the noise itself; lang "": the reader's
    assert set(data) == {"config", "lesson", "display", "notes", "lang"}
    assert shutil.which("node") is not None
    # Node imports it as a module: the data and the bundle are one valid ES module, and it exports the contract
    (tmp_path / "m.mjs").write_text(text, encoding="utf-8")
    probe = ("const m = await import(process.argv[1]); console.log(typeof m.default.initialize, "
             "typeof m.default.render, typeof m.standalone)")
    out = subprocess.run(["node", "--input-type=module", "-e", probe, (tmp_path / "m.mjs").as_uri()],
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["function", "function", "function"], out.stderr
