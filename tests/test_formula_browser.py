"""A teacher types f(x1, x2) in a real browser: the contours and paths follow, a bad formula says where in one line
and the last good one stays, the link opens the same lesson in a new page, Export is the command line's file,
and the Landscape tab maps the formula. Keys are trusted presses, as a person's are."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

import numpy as np
import pytest
from conftest import watch
from pages import TIMEOUT_MS, expected_lines, link, link_lesson, no_error_text, open_app, path_points, readout

from trajectories import cli
from trajectories.objectives import from_formula
from trajectories.view import view_of_runs

ROOT = Path(__file__).resolve().parent.parent
FORMULA = "(x1^2 + x2 - 11)^2/10 + x1*x2/2"
LINK_FORMULA = quote_plus(FORMULA, safe=",")  # as Lesson.to_query writes it


def type_formula(page, text: str, paste: bool = False) -> None:
    """Select what the field holds and type ``text`` key by key (trusted presses), or paste it at once."""
    page.focus(".tj-formula-input")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    if paste:
        page.keyboard.insert_text(text)
    else:
        page.keyboard.type(text)


def contours(page) -> list[str]:
    return page.eval_on_selector_all(".tj-plot .tj-contours path", "els => els.map(e => e.getAttribute('d'))")


def test_typing_a_formula_redraws_the_contours_and_the_paths(page, server):
    open_app(page, server.url + "?optimizer=gd,momentum")
    before = contours(page)
    assert page.input_value(".tj-formula-input") == "0.1*x1^2 + 2*x2^2"  # the book's quadratic, written out
    type_formula(page, FORMULA)
    page.wait_for_function(f"() => document.querySelector('.tj-link').value.includes('objective={LINK_FORMULA}')",
                           timeout=TIMEOUT_MS)
    lesson = link_lesson(page)
    assert lesson.objective == FORMULA and lesson.window is not None
    assert contours(page) != before and len(contours(page)) > 3
    assert readout(page) == expected_lines(lesson)  # the page's engine on the formula is Python's
    for name in lesson.optimizers:  # the drawn path starts as Python's run does (drawn until it leaves the plot)
        drawn, points = path_points(page, name), lesson.run()[name].points
        k = min(len(drawn), 3)
        assert k >= 2 and np.allclose(drawn[:k], points[:k], atol=0.05), (drawn[:k], points[:k])
    assert page.get_attribute(".tj-formula-input", "aria-invalid") == "false"
    assert "<mfrac>" in page.inner_html(".tj-formula")  # shown typeset, as the built-in objectives are
    assert page.errors == []


def test_a_bad_formula_says_where_and_keeps_the_last_good_one(page, server):
    open_app(page, server.url + "?objective=x1%5E4+%2B+x2%5E2")
    drawn = link(page)
    type_formula(page, "x1^2 + * x2", paste=True)
    page.wait_for_function("() => document.querySelector('.tj-formula-error').textContent.length > 0")
    assert page.inner_text(".tj-formula-error") == (
        "f = x1^2 + * x2: expected a number, x1, x2, a function or '(' at position 8")
    assert page.get_attribute(".tj-formula-input", "aria-invalid") == "true"
    assert link(page) == drawn and page.input_value(".tj-formula-input") == "x1^2 + * x2"
    for hostile in ("__import__('os')", "x1**9999999", "\u04451^2", "0/0", "(" * 600):
        type_formula(page, hostile, paste=True)
        page.wait_for_function("t => document.querySelector('.tj-formula-error').textContent.startsWith('f = ')",
                               arg=hostile)
        assert link(page) == drawn
    type_formula(page, "x1^4 + 3*x2^2")  # a good one again clears the line
    page.wait_for_function("() => document.querySelector('.tj-link').value"
                           ".includes('objective=x1%5E4+%2B+3%2Ax2%5E2&')")
    assert page.inner_text(".tj-formula-error") == "" and link_lesson(page).objective == "x1^4 + 3*x2^2"
    type_formula(page, "x1^2 + * x2")  # typed key by key: x1^2 read on the way, and stays
    page.wait_for_function("() => document.querySelector('.tj-formula-error').textContent.includes('position 8')")
    page.wait_for_function("() => document.querySelector('.tj-link').value.includes('objective=x1%5E2&')")
    assert link_lesson(page).objective == "x1^2"
    page.select_option(".tj-objective", "rosenbrock")  # and a built-in one takes the field back
    page.wait_for_function("() => document.querySelector('.tj-formula-input').value.startsWith('(1 - x1)^2')")
    assert link_lesson(page).objective == "rosenbrock" and link_lesson(page).window is None
    assert page.errors == []


def test_a_formulas_link_opens_the_same_lesson_in_a_new_page(browser, page, server):
    open_app(page, server.url + "?optimizer=adam&start=-4,1")
    type_formula(page, FORMULA)
    page.wait_for_function(f"() => document.querySelector('.tj-link').value.includes('{LINK_FORMULA}')")
    shared = link(page)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    other = watch(context.new_page())
    try:
        open_app(other, server.url + "?" + urlsplit(shared).query)
        assert link_lesson(other) == link_lesson(page)
        assert readout(other) == readout(page)
        assert other.input_value(".tj-formula-input") == FORMULA
        assert contours(other) == contours(page)
        assert other.errors == []
    finally:
        context.close()


def test_export_of_a_formula_is_the_command_lines_file(page, server, tmp_path):
    open_app(page, server.url)
    type_formula(page, FORMULA)
    page.wait_for_function(f"() => document.querySelector('.tj-link').value.includes('{LINK_FORMULA}')")
    window = ",".join(f"{v:g}" for v in link_lesson(page).window)
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.click(".tj-export")
    out = tmp_path / "cli"
    out.mkdir()
    assert cli.main(["export", "rmsprop", "--objective", FORMULA, f"--window={window}", "--loss", "-o", str(out)]) == 0
    (made,) = out.iterdir()
    assert info.value.suggested_filename == made.name and "_f-" in made.name
    assert Path(info.value.path()).read_bytes() == made.read_bytes()
    assert page.errors == []


def test_the_landscape_tab_maps_the_formula(page, server):
    open_app(page, server.url + "?optimizer=momentum")
    type_formula(page, "x1^4 + x2^2")
    page.wait_for_function("() => document.querySelector('.tj-link').value.includes('objective=x1%5E4')")
    page.get_by_role("tab", name="Landscape").click()
    page.wait_for_selector(".tj-landscape-plot[data-state=ready]", timeout=TIMEOUT_MS)
    info = page.inner_text(".tj-landscape-info")
    assert "runs of 20 steps" in info and page.errors == []
    # a long formula costs more per step: the map is made coarser to stay within the same budget
    type_formula(page, " + ".join(f"sin({i}*x1)*cos(x2/{i})" for i in range(1, 7)) + " + x1^2 + x2^2")
    page.wait_for_function("() => /resolution lowered/.test(document.querySelector('.tj-landscape-info')"
                           ".textContent) || document.querySelector('.tj-landscape-plot').dataset.state === 'ready'",
                           timeout=TIMEOUT_MS)
    no_error_text(page)
    assert page.errors == []


@pytest.fixture(scope="module")
def html_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("formula_site")
    done = subprocess.run([sys.executable, "-m", "trajectories", "export", "gd", "--objective", FORMULA,
                           "--format", "html", "-o", str(folder / "app.html")], capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert done.returncode == 0, done.stderr
    return folder / "app.html"


def test_the_page_with_no_server_runs_a_formula_too(page, html_file):
    open_app(page, html_file.as_uri())
    assert page.input_value(".tj-formula-input") == FORMULA
    lesson = link_lesson(page)
    assert lesson.objective == FORMULA and readout(page) == expected_lines(lesson)
    o = from_formula(FORMULA)
    shown = [[float(v) for v in page.get_attribute(".tj-plot", f"data-{k}").split(",")] for k in ("xlim", "ylim")]
    v = view_of_runs(list(lesson.run().values()))  # the window Python finds for it, grown to hold the paths
    assert v.xlim[0] <= o.xlim[0] and v.xlim[1] >= o.xlim[1]
    assert shown == [list(v.xlim), list(v.ylim)]  # found again in the page
    typed = "x1^2 + 3*x2^2"
    type_formula(page, typed)
    # the whole formula, not one typed on the way ("x1^2 + 3" also reads as one and runs)
    page.wait_for_function("(q) => document.querySelector('.tj-link').value.includes(q + '&')",
                           arg=f"objective={quote_plus(typed, safe=',')}")
    lesson = link_lesson(page)
    assert lesson.objective == typed
    expected = expected_lines(lesson)  # the readout follows the plot in the task after its frame: wait for it
    page.wait_for_function("(lines) => lines.every((l) => document.querySelector('.tj-readout').innerText"
                           ".includes(l))", arg=[f"{k}: {v}" for k, v in expected.items()], timeout=TIMEOUT_MS)
    assert readout(page) == expected
    assert page.errors == []
