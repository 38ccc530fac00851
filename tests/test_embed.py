"""Live figures on other pages, as docs/live-figures.md tells a teacher to make them: a Sphinx site (reStructuredText
and MyST pages) built by a real sphinx-build, and a reveal.js deck from npm, each opened from file:// in Chromium
with every request to another host refused; a key on a slider moves the plot and the readout is the engine's."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pages import READY, TIMEOUT_MS, expected_lines, path_d, readout, value, wait_for

from trajectories.embed import DEFAULT_HEIGHT, check_length, iframe, layout_query, page_name
from trajectories.lesson import Lesson
from trajectories.standalone import html_page

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "live-figures.md"
REVEAL = ROOT / "js" / "node_modules" / "reveal.js" / "dist"


def documented(language: str) -> list[str]:
    """The blocks of ``language`` in docs/live-figures.md, in order (four-backtick fences hold three-backtick ones)."""
    text = DOC.read_text(encoding="utf-8")
    return [m.group(3) for m in re.finditer(r"^(`{3,})(\w*)\n(.*?)^\1$", text, re.S | re.M) if m.group(2) == language]


def env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def cli(*args: str, cwd: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "trajectories", *args], cwd=cwd, env=env(), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def live(frame, lesson: Lesson, slider: str) -> None:
    """The app in ``frame`` shows ``lesson``; a key on ``slider`` moves the plot and the readout follows the
    engine."""
    frame.wait_for_function(READY, timeout=TIMEOUT_MS)
    assert readout(frame) == expected_lines(lesson)
    name, _, key = slider.partition("-")
    before = path_d(frame, name)
    frame.focus(f".tj-{slider}")
    frame.page.keyboard.press("ArrowRight")
    frame.wait_for_function(f"(d) => document.querySelector('.tj-trajectory-{name} .tj-line').getAttribute('d') !== d",
                            arg=before)
    moved = lesson.with_hyperparameter(name, key, value(frame, f".tj-{slider}"))
    # the plot is drawn in the key's frame; the readout follows in the task after it
    wait_for(frame, lambda: readout(frame)[name] == expected_lines(moved)[name], "the readout after the key")


def frame_of(page, selector: str):
    """The document in the iframe ``selector``, once the iframe has one (reveal.js sets ``src`` when its slide
    comes near; ``loading="lazy"`` loads it when it nears the viewport)."""
    handle = page.wait_for_selector(selector, state="attached", timeout=TIMEOUT_MS)
    page.wait_for_function("(el) => el.src !== ''", arg=handle, timeout=TIMEOUT_MS)
    frame = handle.content_frame()
    assert frame is not None
    return frame


# ---- Sphinx -------------------------------------------------------------------------------------------------------
def make_sphinx_site(src: Path) -> tuple[Path, subprocess.CompletedProcess]:
    """Build, in ``src``, a small site with the documented conf.py line, the reStructuredText and MyST pages, and a
    page with one bad setting; return the built folder and sphinx-build's outcome."""
    [conf] = documented("python")
    [rst] = documented("rst")
    [myst] = documented("md")
    (src / "conf.py").write_text(f'project = "Notes"\n{conf}extensions.append("myst_parser")\n')
    (src / "index.rst").write_text(f"Momentum\n========\n\nGradient descent against momentum on the book's quadratic: "
                                   f"move η and β.\n\n{rst}\n.. toctree::\n\n   rmsprop\n   typo\n")
    (src / "rmsprop.md").write_text(f"# RMSProp\n\n{myst}")
    (src / "typo.rst").write_text("Typo\n====\n\n.. trajectories:: optimizer=adam&eta=900\n   :controls: eta\n")
    out = src / "_build" / "html"
    done = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(out)], env=env(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return out, done


@pytest.fixture(scope="module")
def sphinx_site(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    return make_sphinx_site(tmp_path_factory.mktemp("notes"))


def test_sphinx_writes_the_page_once_and_an_iframe_per_figure(sphinx_site):
    out, done = sphinx_site
    assert sorted(p.name for p in (out / "_static" / "trajectories").iterdir()) == ["app.html"]
    assert (out / "_static/trajectories/app.html").read_text(encoding="utf-8") == html_page(Lesson())
    gd = Lesson.from_query("optimizer=gd,momentum&momentum.eta=0.6")[0]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert iframe("_static/trajectories/app.html", gd, height="1600px") in page
    rmsprop = Lesson.from_query("optimizer=rmsprop&eta=0.4&gamma=0.9")[0]
    assert iframe("_static/trajectories/app.html", rmsprop) in (out / "rmsprop.html").read_text(encoding="utf-8")
    # a setting the page would ignore, and the compact mode's keys until the page reads them, are build warnings
    warnings = [line for line in done.stderr.splitlines() if "WARNING" in line]
    assert len(warnings) == 2, done.stderr
    assert "typo.rst:4" in warnings[0] and "trajectories: Ignored eta='900': The 'eta' parameter of adam" in warnings[0]
    assert "trajectories: Left out controls=eta" in warnings[1]


def test_sphinx_pages_run_offline_and_a_key_moves_the_plot(offline, sphinx_site):
    out, _ = sphinx_site
    page = offline
    page.goto((out / "index.html").as_uri())
    frame = frame_of(page, "iframe.trajectories-figure")
    live(frame, Lesson.from_query("optimizer=gd,momentum&momentum.eta=0.6")[0], "momentum-eta")
    # the whole app fits the frame at the notes column's width: no scroll bar inside it
    box = page.locator("iframe.trajectories-figure").bounding_box()
    size = frame.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight,"
                          " innerWidth, innerHeight]")
    assert size[0] <= size[2] and size[1] <= size[3] == float(DEFAULT_HEIGHT.removesuffix("px")), (box, size)
    page.goto((out / "rmsprop.html").as_uri())  # the MyST page
    live(frame_of(page, "iframe.trajectories-figure"), Lesson.from_query("optimizer=rmsprop&eta=0.4&gamma=0.9")[0],
         "rmsprop-eta")
    assert page.outside == [] and page.errors == []


# ---- reveal.js ----------------------------------------------------------------------------------------------------
def make_deck(folder: Path) -> Path:
    """The deck of docs/live-figures.md in ``folder``: its commands run, reveal.js from js/node_modules (npm ci put it
    there). Return the deck's folder."""
    (folder / "deck").mkdir()
    commands = "\n".join(block for block in documented("bash") if "reveal.js" in block)
    assert "trajectories export gd,momentum --momentum.eta 0.6 --format html -o deck/lesson.html" in commands
    assert "cp -r node_modules/reveal.js/dist deck/reveal" in commands
    cli("export", "gd,momentum", "--momentum.eta", "0.6", "--format", "html", "-o", "deck/lesson.html", cwd=folder)
    shutil.copytree(REVEAL, folder / "deck" / "reveal")
    [_, index] = documented("html")
    (folder / "deck" / "index.html").write_text(index, encoding="utf-8")
    return folder / "deck"


@pytest.fixture(scope="module")
def deck(tmp_path_factory) -> Path:
    if not REVEAL.is_dir():
        message = f"reveal.js is not installed in {REVEAL.parent.parent} (cd js && npm ci)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return make_deck(tmp_path_factory.mktemp("slides"))


def test_a_reveal_deck_runs_the_app_on_a_slide_offline_and_keys_stay_in_it(offline, deck):
    page = offline
    page.goto((deck / "index.html").as_uri())
    page.wait_for_function("() => window.Reveal && Reveal.isReady()")
    page.keyboard.press("ArrowRight")  # the second slide, with the app
    page.wait_for_function("() => Reveal.getIndices().h === 1")
    frame = frame_of(page, ".reveal iframe")
    live(frame, Lesson.from_query("optimizer=gd,momentum&momentum.eta=0.6")[0], "gd-eta")
    assert page.evaluate("() => Reveal.getIndices().h") == 1  # the key moved the slider, not the slides
    assert page.outside == [] and page.errors == []


def test_the_readmes_recipes_are_the_built_ones():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"^```(rst|html|md)\n(.*?)^```$", readme, re.S | re.M)
    assert {language for language, _ in shown} == {"rst", "html"}
    for language, text in shown:
        assert text in documented(language), f"the README's {language} block is not the one docs/ builds"


def test_the_static_page_recipe_is_the_embed_modules_iframe(tmp_path):
    [snippet, _] = documented("html")
    lesson = Lesson.from_query("optimizer=gd,momentum&momentum.eta=0.6")[0]
    assert 'src="lesson.html?optimizer=gd,momentum&amp;momentum.eta=0.6"' in snippet
    made = iframe("lesson.html", lesson, title="gd against momentum")
    assert made.startswith('<iframe class="trajectories-figure" src="lesson.html?optimizer=gd,momentum&amp;')
    assert 'style="display:block;width:100%;height:1600px;border:0"' in made and 'loading="lazy"' in made


# ---- the helpers --------------------------------------------------------------------------------------------------
def test_one_page_for_every_lesson():
    """The page draws any seed's noise itself (issue 21), so every figure of a site opens the same page."""
    for lesson in (Lesson(), Lesson(optimizers=("gd",), seed=7), Lesson(optimizers=("sgd",), seed=7),
                   Lesson(runs=("sgd:seed=3,spread=20", "gd:sigma=0.5,seed=9"))):
        assert page_name(lesson) == "app.html"


def test_the_compact_modes_keys_wait_for_the_page_to_read_them():
    query, notes = layout_query("eta,beta", "none")
    assert query == "" and len(notes) == 2 and notes[0].startswith("Left out controls=eta,beta")
    assert layout_query(["eta", "beta"])[1][0].startswith("Left out controls=eta,beta")
    assert layout_query() == ("", [])
    with pytest.raises(ValueError, match="The 'controls' parameter must be a comma-separated list of names"):
        layout_query("eta&x=1")


@pytest.mark.parametrize("given, made", [("720", "720px"), ("80vh", "80vh"), (" 40em ", "40em"), ("90%", "90%")])
def test_heights(given, made):
    assert check_length(given) == made


@pytest.mark.parametrize("bad", ["", "-3px", "tall", "720pt;x", "0"])
def test_bad_heights_are_one_sentence(bad):
    with pytest.raises(ValueError, match=r"The 'height' parameter must be a positive CSS length"):
        check_length(bad)


def test_the_iframe_escapes_what_it_is_given():
    made = iframe('a"b.html', Lesson(), title='<script>"', height="10em")
    assert 'src="a&quot;b.html?' in made and 'title="&lt;script&gt;&quot;"' in made and "<script>" not in made

