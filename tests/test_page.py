"""The students' page in a real browser: Voila serves it, headless Chromium uses it as a student would.

What the page shows is read back from the page itself (the sliders' values, the link field, the start fields,
the final-point readout, the plotted path) and checked against the Python engine run here.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from conftest import watch
from pages import (
    READY,
    TIMEOUT_MS,
    expected_lines,
    link,
    link_lesson,
    no_error_text,
    open_app,
    path_d,
    path_points,
    plot_point,
    readout,
    value,
    wait_for,
)
from servers import READY_PATH, ROOT, free_port, start_server, stop_server, wait_ready

from trajectories import cli, run
from trajectories.lesson import PAGE_STEPS, Lesson


def test_page_opens_with_the_books_rmsprop_and_no_error(page, server):
    open_app(page, server.url)
    for cls in ("tj-plot", "tj-eta", "tj-gamma", "tj-eps", "tj-steps", "tj-objective", "tj-optimizer", "tj-link",
                "tj-readout", "tj-reset", "tj-export", "tj-play", "tj-step", "tj-formula", "tj-convention"):
        assert page.locator(f".{cls}").first.is_visible(), cls
    assert value(page, ".tj-rmsprop-eta") == 0.4 and value(page, ".tj-rmsprop-gamma") == 0.9
    assert page.get_attribute(".tj-eta", "role") == "slider"
    assert readout(page) == {"rmsprop": "epoch 20, x1: -0.010599, x2: 0.000000"}  # the book's printed line
    np.testing.assert_allclose(path_points(page, "rmsprop"), run("rmsprop").points, atol=2e-3)
    assert page.locator(".tj-formula math").count() == 1  # the formula, rendered in the page (MathML)
    no_error_text(page)
    assert page.errors == []


def test_a_key_on_eta_moves_the_plot_and_the_readout_is_the_engines(page, server):
    open_app(page, server.url)
    before, before_link = path_d(page, "rmsprop"), link(page)
    page.focus(".tj-rmsprop-eta")
    page.keyboard.press("ArrowRight")
    wait_for(page, lambda: value(page, ".tj-eta") != 0.4, "the slider to move")
    eta = value(page, ".tj-eta")
    assert eta == 0.45  # the next round stop
    wait_for(page, lambda: path_d(page, "rmsprop") != before, "the path to move")
    wait_for(page, lambda: link(page) != before_link, "the link to follow")
    lesson = link_lesson(page)
    assert lesson.resolved("rmsprop")["eta"] == eta
    assert readout(page) == {"rmsprop": run("rmsprop", eta=eta, gamma=0.9).book_line()}
    np.testing.assert_allclose(path_points(page, "rmsprop"), run("rmsprop", eta=eta).points, atol=2e-3)
    page.keyboard.press("ArrowLeft")
    wait_for(page, lambda: path_d(page, "rmsprop") == before, "the path to come back")
    assert value(page, ".tj-eta") == 0.4 and page.errors == []


def test_a_click_sets_the_start_and_a_drag_moves_it(page, server):
    open_app(page, server.url + "?optimizer=momentum")
    x, y = plot_point(page, -4.0, 0.5)
    page.mouse.click(x, y)
    wait_for(page, lambda: page.input_value(".tj-start-x1") != "-5", "the start fields to follow the click")
    assert float(page.input_value(".tj-start-x1")) == pytest.approx(-4.0, abs=0.02)
    assert float(page.input_value(".tj-start-x2")) == pytest.approx(0.5, abs=0.02)
    lesson = link_lesson(page)
    assert readout(page) == expected_lines(lesson)
    start = page.locator(".tj-plot .tj-start-dot").first.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    for k in range(1, 6):  # a hand moves in steps
        tx, ty = plot_point(page, -4.0 + 0.2 * k, 0.5 - 0.3 * k)
        page.mouse.move(tx, ty)
    page.mouse.up()
    wait_for(page, lambda: float(page.input_value(".tj-start-x1")) == pytest.approx(-3.0, abs=0.02),
             "the start to follow the drag")
    assert float(page.input_value(".tj-start-x2")) == pytest.approx(-1.0, abs=0.02)
    wait_for(page, lambda: link_lesson(page).start[0] == pytest.approx(-3.0, abs=0.02), "the link to follow")
    assert readout(page) == expected_lines(link_lesson(page)) and page.errors == []


def test_a_preset_link_shows_its_settings(page, server):
    query = "optimizer=gd,momentum&momentum.eta=0.6&momentum.beta=0.25&steps=30&start=-4,1.5&gd.eta=0.3"
    open_app(page, server.url + "?" + query)
    assert value(page, ".tj-momentum-eta") == 0.6 and value(page, ".tj-momentum-beta") == 0.25
    assert value(page, ".tj-gd-eta") == 0.3 and value(page, ".tj-steps") == 30
    assert (page.input_value(".tj-start-x1"), page.input_value(".tj-start-x2")) == ("-4", "1.5")
    assert page.get_attribute(".tj-optimizer-momentum", "aria-pressed") == "true"
    lesson, _ = Lesson.from_query(query)
    assert link_lesson(page) == lesson
    assert readout(page) == expected_lines(lesson) and page.errors == []


@pytest.mark.parametrize("query, key", [("seed=-1", "seed"), ("optimizer=sgd&seed=-1", "seed"),
                                        ("objective=general&condition=0", "condition"),
                                        ("optimizer=rmsprop&eta=nan", "eta")])
def test_a_bad_link_opens_the_app_with_its_note(page, server, query, key):
    open_app(page, server.url + "?" + query)
    lesson, notes = Lesson.from_query(query)
    assert len(notes) == 1 and key in notes[0]
    assert page.inner_text(".tj-message").strip().splitlines()[0] == notes[0]
    assert readout(page) == expected_lines(lesson)
    before = path_d(page, lesson.optimizers[0])
    page.focus(".tj-eta")
    page.keyboard.press("ArrowRight")
    wait_for(page, lambda: path_d(page, lesson.optimizers[0]) != before, "the app to answer a key")
    no_error_text(page)
    assert page.errors == []


def test_a_link_asking_for_too_many_steps_opens_at_the_cap(page, server):
    open_app(page, server.url + "?optimizer=rmsprop&steps=100000")
    assert value(page, ".tj-steps") == PAGE_STEPS
    assert page.inner_text(".tj-message").startswith(f"Capped steps=100000 at {PAGE_STEPS}")
    assert readout(page) == {"rmsprop": run("rmsprop", steps=PAGE_STEPS).book_line()}
    page.get_by_role("tab", name="Landscape").click()
    page.wait_for_selector(".tj-landscape-plot[data-state=ready]", timeout=TIMEOUT_MS)
    page.focus("input.tj-landscape-resolution")
    page.keyboard.press("End")  # the most cells the control offers, at the most steps a link can ask for
    page.wait_for_function("() => /resolution lowered to 126/.test(document.querySelector('.tj-landscape-info')"
                           ".textContent)", timeout=TIMEOUT_MS)
    assert page.errors == []


def _cli_file(tmp_path: Path, query: str, *more: str) -> bytes:
    out = tmp_path / "cli.svg"
    assert cli.main(["export", "--link", query, "--loss", *more, "-o", str(out)]) == 0
    return out.read_bytes()


def test_export_downloads_the_command_lines_file(page, server, tmp_path):
    query = "optimizer=rmsprop&eta=0.3&gamma=0.5&steps=30"
    open_app(page, server.url + "?" + query)
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.click(".tj-export")
    assert info.value.suggested_filename == "rmsprop_eta0.3_gamma0.5_steps30.svg"
    assert Path(info.value.path()).read_bytes() == _cli_file(tmp_path, query)
    # the kernel knows what is on screen: move a slider and highlight a step, and the download follows
    page.focus(".tj-gamma")
    page.keyboard.press("ArrowRight")
    wait_for(page, lambda: value(page, ".tj-gamma") == 0.51, "gamma to move")
    page.focus(".tj-step")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.click(".tj-export")
    # the step inspector beside the plot travels too (open, as it is when the page opens)
    assert info.value.suggested_filename == "rmsprop_eta0.3_gamma0.51_steps30_step3_inspector.svg"
    assert Path(info.value.path()).read_bytes() == _cli_file(tmp_path, query.replace("0.5", "0.51"), "--step", "3",
                                                             "--inspector")
    page.click(".tj-inspector summary")  # folded away, it is not in the file
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.click(".tj-export")
    assert info.value.suggested_filename == "rmsprop_eta0.3_gamma0.51_steps30_step3.svg"
    assert "Downloaded" in page.inner_text(".tj-export-output") and page.errors == []


def test_export_sends_the_step_the_plot_draws(page, server, tmp_path):
    """Issue 19 item 4: with the scrubber at step 500 and the steps lowered to 1, the plot highlights step 1 and
    Export renders step 1 (it sent 500 and failed)."""
    query = "optimizer=gd,momentum&steps=500"
    open_app(page, server.url + "?" + query)
    page.focus(".tj-step")
    page.keyboard.press("End")
    wait_for(page, lambda: value(page, ".tj-step") == 500, "the scrubber to reach 500")
    page.focus(".tj-steps")
    page.keyboard.press("Home")
    page.wait_for_function("() => /epoch 1,/.test(document.querySelector('.tj-readout').textContent)")
    assert value(page, ".tj-step") == 1
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.click(".tj-export")
    assert info.value.suggested_filename == "gd_eta0.4_vs_momentum_eta0.6_beta0.5_steps1_step1_inspector-gd.svg"
    assert Path(info.value.path()).read_bytes() == _cli_file(tmp_path, query.replace("500", "1"), "--step", "1",
                                                             "--inspector", "gd")
    assert "Export failed" not in page.inner_text(".tj-export-output") and page.errors == []


@pytest.mark.parametrize("query", ["?theme=dark", ""])
def test_the_link_field_points_at_this_server(page, server, query):
    open_app(page, server.url + query)
    assert link(page).startswith(server.url + "?optimizer=") and "theme=" not in link(page)


def test_the_link_says_https_behind_an_https_proxy(browser, server):
    """A proxy that terminates https sets X-Forwarded-Proto; the link a teacher copies must then say https."""
    context = browser.new_context(extra_http_headers={"X-Forwarded-Proto": "https"})
    try:
        page = context.new_page()
        open_app(page, server.url + "?optimizer=gd")
        assert link(page).startswith(server.url.replace("http://", "https://") + "?optimizer=gd")
    finally:
        context.close()


def test_every_control_is_reachable_by_tab_with_a_focus_ring(page, server):
    open_app(page, server.url + "?optimizer=gd,adam")
    reached, rings = set(), set()
    page.focus(".tj-optimizer-gd")
    for _ in range(60):
        classes, style, width = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
            return [e.className.baseVal ?? e.className, s.outlineStyle, s.outlineWidth]; }""")
        reached |= set(str(classes).split())
        if style != "none" and width != "0px":
            rings |= set(str(classes).split())
        page.keyboard.press("Tab")
    for cls in ("tj-optimizer-gd", "tj-objective", "tj-steps", "tj-start-x1", "tj-reset", "tj-export", "tj-play",
                "tj-step", "tj-gd-eta", "tj-adam-beta1", "tj-adam-bias_correction", "tj-link"):
        assert cls in reached, (cls, sorted(reached))
    assert {"tj-steps", "tj-gd-eta", "tj-reset"} <= rings


# ---- what a student sees when things go wrong -----------------------------------------------------------------
def test_start_on_the_minimum_then_away(page, server):
    open_app(page, server.url + "?optimizer=rmsprop")
    page.fill(".tj-start-x1", "0")
    page.fill(".tj-start-x2", "0")
    page.press(".tj-start-x2", "Enter")
    wait_for(page, lambda: link_lesson(page).start == (0.0, 0.0), "the start at the minimum")
    assert readout(page) == {"rmsprop": "epoch 20, x1: 0.000000, x2: 0.000000"}
    # a loss of 0 has no place on a log axis: the panel switches and says so
    assert "(symlog scale)" in page.text_content(".tj-panels .tj-panel-title")
    page.fill(".tj-start-x1", "-5")
    page.fill(".tj-start-x2", "-2")
    page.press(".tj-start-x2", "Enter")
    wait_for(page, lambda: link_lesson(page).start == (-5.0, -2.0), "the book's start")
    assert readout(page) == {"rmsprop": "epoch 20, x1: -0.010599, x2: 0.000000"}
    assert "(log scale)" in page.text_content(".tj-panels .tj-panel-title")  # and back
    no_error_text(page)
    assert page.errors == []


def test_the_saddles_zero_and_negative_losses(page, server):
    open_app(page, server.url + "?objective=saddle&start=1,0")  # x2 stays 0: RMSProp drives the loss to 0
    assert readout(page) == {"rmsprop": run("rmsprop", objective="saddle", start=(1, 0)).book_line()}
    assert "(log scale)" in page.text_content(".tj-panels .tj-panel-title")
    page.fill(".tj-start-x2", "0.5")
    page.press(".tj-start-x2", "Enter")  # now x2 runs away down the saddle: the loss turns negative
    wait_for(page, lambda: "x2: 0.000000" not in readout(page)["rmsprop"], "the new start")
    assert "symlog" in page.text_content(".tj-panels .tj-panel-title")
    assert readout(page) == {"rmsprop": run("rmsprop", objective="saddle", start=(1, 0.5)).book_line()}
    before = path_d(page, "rmsprop")
    page.focus(".tj-eta")
    page.keyboard.press("ArrowLeft")
    wait_for(page, lambda: path_d(page, "rmsprop") != before, "a move on the saddle")
    no_error_text(page)
    assert page.errors == []


@pytest.fixture
def own_server(tmp_path):
    """A server for one test, which the test may break."""
    port = free_port()
    log = open(tmp_path / "voila.log", "wb")  # noqa: SIM115 - closed below, after the server
    proc = start_server(port, log=log, root=ROOT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_ready(url + READY_PATH, timeout=90, proc=proc)
        yield proc, url
    finally:
        stop_server(proc)
        log.close()


def _kernel_pid(kernel_id: str) -> int:
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and f"kernel-{kernel_id}.json" in (proc / "cmdline").read_text():
                return int(proc.name)
        except OSError:
            continue
    raise AssertionError(f"no process for kernel {kernel_id}")


def test_a_killed_kernel_is_said_and_the_page_keeps_drawing(page, own_server):
    _, url = own_server
    sockets = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    open_app(page, url)
    kernel = next(s for s in sockets if "/api/kernels/" in s).split("/api/kernels/")[1].split("/")[0]
    os.kill(_kernel_pid(kernel), signal.SIGKILL)
    page.wait_for_selector(".tj-status.tj-shown", timeout=30_000)
    assert "kernel" in page.inner_text(".tj-status") and page.locator(".tj-reload").is_visible()
    _export_saves_the_figure_as_drawn(page, "The kernel is gone")
    before = path_d(page, "rmsprop")
    page.focus(".tj-eta")
    page.keyboard.press("ArrowRight")
    wait_for(page, lambda: path_d(page, "rmsprop") != before, "the plot to answer without the kernel")
    assert readout(page) == {"rmsprop": run("rmsprop", eta=value(page, ".tj-eta")).book_line()}
    no_error_text(page)


def test_a_stopped_server_is_said(page, own_server):
    proc, url = own_server
    open_app(page, url)
    stop_server(proc)
    page.wait_for_selector(".tj-status.tj-shown", timeout=30_000)
    assert "server" in page.inner_text(".tj-status")
    _export_saves_the_figure_as_drawn(page, "The kernel is gone")
    no_error_text(page)


def _export_saves_the_figure_as_drawn(page, why: str) -> None:
    """With no kernel behind it, Export does not wait for an answer that cannot come: it saves the figure as drawn
    and says so where Export is, with the command that makes the book-style file; the GIF (the kernel's) is gone."""
    assert not page.is_disabled(".tj-export") and not page.locator(".tj-export-gif").is_visible()
    with page.expect_download(timeout=30_000) as info:
        page.click(".tj-export")
    assert Path(info.value.path()).read_text(encoding="utf-8").startswith("<svg")
    said = page.inner_text(".tj-export-output")
    assert "the figure as drawn on screen" in said and why in said
    assert page.inner_text(".tj-export-command").startswith("trajectories export --link '")


def test_export_gif_is_plays_animation_made_by_the_kernel(page, server):
    from io import BytesIO

    from PIL import Image

    from trajectories.animation import alt_text
    from trajectories.figures import animation_bytes

    query = "optimizer=momentum&eta=0.6&steps=8"
    open_app(page, server.url + "?" + query)
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.click(".tj-export-gif")
    lesson = Lesson.from_query(query)[0]
    assert info.value.suggested_filename == "momentum_eta0.6_beta0.5_steps8.gif"
    data = Path(info.value.path()).read_bytes()
    assert data == animation_bytes(lesson, format="gif")  # trajectories export --format gif, of what is on screen
    assert Image.open(BytesIO(data)).n_frames == lesson.steps + 1
    assert page.inner_text(".tj-export-alt") == alt_text(lesson) and page.errors == []


def test_the_page_source_has_no_code_and_the_server_log_no_traceback(page, server):
    open_app(page, server.url + "?optimizer=adam")
    html = page.content()
    assert "from trajectories" not in html and "import " not in html.split("<body")[1][:2000]
    assert "Traceback" not in server.log_text()


def test_the_loading_screen_stands_still_and_counts_the_seconds(page, server):
    """While the page waits (here its main script is held back, as a busy server would), Voila's spinner does not
    turn, since a turning spinner repaints 60 times a second (benchmarks/bench_class.py, 30 pages waiting on two
    cores: 8.5 s of browser CPU per page with it, 7.0 without, in one run), and a line under it counts the seconds.
    Once the script arrives, the app opens as usual and the loading screen is gone."""
    held = []
    page.route("**/voila/static/voila.js", lambda route: held.append(route))
    page.goto(server.url + "?optimizer=adam", wait_until="commit", timeout=TIMEOUT_MS)
    page.wait_for_function("() => /^Starting the app: \\d+ s$/.test("
                           "document.querySelector('#loading .tj-waited')?.textContent)", timeout=TIMEOUT_MS)
    spinner = page.eval_on_selector("#loading .spinner", "e => getComputedStyle(e).animationName")
    assert spinner == "none"
    assert held, "the page asked for voila.js"
    for route in held:
        route.continue_()
    page.wait_for_function(READY, timeout=TIMEOUT_MS)
    assert page.locator("#loading").count() == 0 and page.errors == []


def test_an_offline_classroom_gets_the_whole_page(browser, server):
    """Every request to another host is refused and recorded: the page must not need one, and its formula and
    controls still show."""
    context = browser.new_context()
    outside = []

    def route(r):
        host = urlsplit(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    try:
        page = watch(context.new_page())
        open_app(page, server.url + "?optimizer=gd,momentum&objective=rosenbrock")
        assert page.locator(".tj-formula math").count() == 1
        assert page.locator(".tj-reset svg").count() == 1  # icons are drawn in the page, not fetched
        assert outside == [] and page.errors == []
    finally:
        context.close()


def test_a_page_whose_widget_manager_lost_its_model_reloads_itself(page, server):
    """Voila's widget manager can finish restoring a page without the app's model (several pages opening at once on
    a busy server): the page then shows "Error displaying widget: model not found". Here the first load's output
    names a model the kernel does not have (rewritten in the page before Voila's scripts read it), which shows the
    same message; the page reloads itself and the second load, untouched, shows the app. The count of reloads is
    per tab and cleared once the app shows."""
    page.add_init_script("""
      if (!sessionStorage.getItem('test-broken')) {
        sessionStorage.setItem('test-broken', '1');
        new MutationObserver((records) => {
          for (const r of records) for (const n of r.addedNodes) {
            if (n.type === 'application/vnd.voila.cell-output+json') {
              n.textContent = n.textContent.replace(/("model_id": ")[0-9a-f]{32}/, '$1' + '0'.repeat(32));
            }
          }
        }).observe(document, {childList: true, subtree: true});
      }""")
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)
    open_app(page, server.url + "?optimizer=momentum")
    assert len(navigations) == 2, navigations  # the broken load, then the reload
    assert link_lesson(page) == Lesson.from_query("optimizer=momentum")[0]
    assert readout(page) == expected_lines(link_lesson(page))
    # the page clears the count on its next look for the app (every 200 ms), not at once
    page.wait_for_function("() => sessionStorage.getItem('trajectories-reloads') === null", timeout=5000)
    assert [e for e in page.errors if "widget model not found" not in e] == []
    no_error_text(page)
