"""The app as one HTML file: written by the command line, it runs from file:// with every network request blocked,
takes preset links as the server does, and downloads the figure as drawn."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from conftest import watch
from pages import expected_lines, link, no_error_text, open_app, path_d, path_points, readout, value, wait_for

from trajectories import run
from trajectories.lesson import Lesson, make_lesson
from trajectories.standalone import LOADER, content_security_policy, html_page

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def html_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    done = subprocess.run([sys.executable, "-m", "trajectories", "export", "gd,momentum", "--momentum.eta", "0.5",
                           "--format", "html", "-o", str(folder / "app.html")], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
    assert done.returncode == 0, done.stderr
    return folder / "app.html"


def test_the_file_is_the_same_from_two_processes_and_holds_no_address(html_file, tmp_path):
    again = tmp_path / "again.html"
    subprocess.run([sys.executable, "-m", "trajectories", "export", "gd,momentum", "--momentum.eta", "0.5",
                    "--format", "html", "-o", str(again)], check=True, env=dict(os.environ, PYTHONPATH=str(ROOT),
                                                                              PYTHONHASHSEED="7"), timeout=120)
    assert again.read_bytes() == html_file.read_bytes()
    text = html_file.read_text(encoding="utf-8")
    assert content_security_policy(LOADER) in text and "<script src" not in text
    # the one <link> is the empty icon, which keeps a browser from asking the host for /favicon.ico
    assert re.findall(r"<link[^>]*>", text) == ['<link rel="icon" href="data:,">']
    assert text == html_page(make_lesson("gd,momentum", hyperparameters={"momentum": {"eta": 0.5}}))


def test_it_runs_from_file_with_the_network_blocked(offline, html_file):
    page = offline
    open_app(page, html_file.as_uri())
    lesson = make_lesson("gd,momentum", hyperparameters={"momentum": {"eta": 0.5}})
    assert readout(page) == expected_lines(lesson)
    np.testing.assert_allclose(path_points(page, "momentum"), run("momentum", eta=0.5).points, atol=2e-3)
    before = path_d(page, "gd")
    page.focus(".tj-gd-eta")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(d) => document.querySelector('.tj-trajectory-gd .tj-line').getAttribute('d') !== d",
                           arg=before)
    # the plot is drawn in the key's frame; the readout follows in the task after it
    wait_for(page, lambda: readout(page)["gd"] == run("gd", eta=value(page, ".tj-gd-eta")).book_line(),
             "the readout after the key")
    assert page.locator(".tj-formula math").count() == 1
    assert link(page).startswith(html_file.as_uri() + "?optimizer=gd,momentum")
    page.get_by_role("tab", name="Landscape").click()
    page.wait_for_selector(".tj-landscape-plot[data-state=ready]")
    assert page.outside == [] and page.errors == []
    no_error_text(page)


def _directives(html: str) -> dict[str, str]:
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
    return dict(d.split(" ", 1) for d in policy.split("; "))


def test_the_policy_lets_only_the_files_own_script_run(html_file):
    """script-src names the SHA-256 of each inline script the file runs, computed from the bytes written, and
    allows no inline script, handler or eval besides; everything that could fetch from elsewhere is 'none'."""
    text = html_file.read_text(encoding="utf-8")
    policy = _directives(text)
    executable = [body for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", text, flags=re.S)
                  if 'type="application/json"' not in attrs and 'type="text/plain"' not in attrs]
    assert executable == [LOADER]
    hashes = {f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'" for body in executable}
    assert set(policy["script-src"].split()) == hashes | {"blob:"}
    for directive in ("default-src", "connect-src", "frame-src", "child-src", "object-src", "base-uri",
                      "form-action"):
        assert policy[directive] == "'none'", directive
    assert policy["worker-src"] == "blob:"  # the Landscape tab's worker, from the text the bundle holds
    assert "unsafe" not in policy["script-src"]


def test_the_policy_refuses_injected_script_frames_and_forms(offline, html_file):
    """As if markup had got into the file: an inline handler, a script element, a javascript: link, an iframe
    and a form to another host are all refused, and no request leaves."""
    page = offline
    open_app(page, html_file.as_uri())
    page.evaluate("""() => {
        const bad = '<img src="data:image/png;base64,AAAA" onerror="window.__pwned=1">'
            + '<iframe src="https://example.com/frame"></iframe>'
            + '<form action="https://example.com/form" method="get"><input name="q" value="x"></form>';
        document.body.insertAdjacentHTML('beforeend', bad);
        const script = document.createElement('script');
        script.textContent = 'window.__pwned = 2';
        document.body.append(script);
        const link = document.createElement('a');
        link.href = 'javascript:window.__pwned=3';
        document.body.append(link);
        link.click();
        document.querySelector('form').submit();
    }""")
    page.wait_for_timeout(1000)
    assert page.evaluate("window.__pwned") is None
    assert page.outside == [] and page.url == html_file.as_uri()
    refused = [e for e in page.errors if "Content Security Policy" in e]
    assert len(refused) >= 5 and len(refused) == len(page.errors), page.errors
    assert "epoch 20" in page.evaluate("document.querySelector('.tj-readout').textContent")


def test_a_link_presets_the_page_as_the_server_does(offline, html_file):
    page = offline
    query = "optimizer=adam,rmsprop&rmsprop.gamma=0.5&steps=40&start=-3,1&adam.beta1=2"
    open_app(page, f"{html_file.as_uri()}?{query}")
    lesson, notes = Lesson.from_query(query)
    assert len(notes) == 1 and "beta1" in notes[0]
    assert page.inner_text(".tj-message").strip().splitlines()[0] == notes[0]
    assert urlsplit(link(page)).query == lesson.to_query()
    assert readout(page) == expected_lines(lesson)
    assert page.outside == [] and page.errors == []


def test_export_downloads_the_figure_as_drawn_and_says_so(offline, html_file, tmp_path):
    page = offline
    open_app(page, html_file.as_uri())
    with page.expect_download() as info:
        page.click(".tj-export")
    data = Path(info.value.path()).read_text(encoding="utf-8")
    assert data.startswith("<svg") and data.count("<path") > 10
    assert "as drawn on screen" in page.inner_text(".tj-export-output")
    # ... and gives the command that makes the book-style file of this very lesson, ready to copy and run
    lesson = make_lesson("gd,momentum", hyperparameters={"momentum": {"eta": 0.5}})
    command = page.inner_text(".tj-export-command")
    assert command == f"trajectories export --link '{lesson.to_query()}' --loss"
    _runs_as_the_kernels_export(command, lesson, None, tmp_path)
    page.focus(".tj-step")  # a highlighted step travels too
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    with page.expect_download():
        page.click(".tj-export")
    assert page.inner_text(".tj-export-command") == f"{command} --step 3 --inspector gd"  # and the inspector
    _runs_as_the_kernels_export(f"{command} --step 3 --inspector gd", lesson, 3, tmp_path, "gd")
    assert page.outside == [] and page.errors == []


def _runs_as_the_kernels_export(command: str, lesson: Lesson, step: int | None, folder: Path,
                                inspector: str | None = None) -> None:
    """The command, run as typed, writes the file the app's Export gives when a kernel is there."""
    import shlex

    from trajectories import cli
    from trajectories.figures import figure_bytes, file_name

    argv = shlex.split(command)
    assert argv[0] == "trajectories"
    out = folder / f"step-{step}"
    out.mkdir()
    assert cli.main([*argv[1:], "-o", str(out)]) == 0
    [written] = out.iterdir()
    assert written.name == file_name(lesson, "svg", step, inspector)
    assert written.read_bytes() == figure_bytes(lesson, loss=True, format="svg", step=step, inspector=inspector)


def test_the_page_follows_a_dark_system_theme(browser, html_file):
    context = browser.new_context(color_scheme="dark")
    try:
        page = watch(context.new_page())
        open_app(page, html_file.as_uri())
        color = page.evaluate("() => getComputedStyle(document.querySelector('.tj-app')).color")
        assert color == "rgb(232, 232, 232)"
        assert page.errors == []
    finally:
        context.close()


def test_a_course_site_links_its_lessons_to_the_one_page(offline, tmp_path):
    from trajectories import cli
    from trajectories.figures import site_entries

    assert cli.main(["site", str(tmp_path), "--link", "optimizer=adam&eta=0.1"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.html", "index.html"]
    page = offline
    page.goto((tmp_path / "index.html").as_uri())
    entries = site_entries(["optimizer=adam&eta=0.1"])
    assert page.locator("li > a").count() == len(entries) > 10
    page.click("text=RMSProp with gamma = 1")
    page.wait_for_function("() => /epoch|diverged/.test(document.querySelector('.tj-readout')?.textContent || '')")
    lesson = Lesson.from_query("optimizer=rmsprop&gamma=1")[0]
    assert readout(page) == expected_lines(lesson) and value(page, ".tj-gamma") == 1
    assert page.outside == [] and page.errors == []
    assert cli.main(["site", str(tmp_path), "--link", "optimizer=adam&eta=900"]) == 2  # a bad link is refused
