"""What a student does with the Landscape tab, checked in headless Chromium: python harness/check.py

Clicks and keys pick cells, the marker follows the sliders without a new map, bursts of changes make one map,
a hidden tab computes nothing, every control is reached by Tab, the exported SVG stands alone, and no console
error is ever printed. Prints what it checked; exits 1 on the first failure.
"""

import json
import os
import pathlib
import sys

from common import BAD_ATTRIBUTES, launch, url, watch
from playwright.sync_api import sync_playwright

PLOT = "() => h.tab.element.querySelector('.tj-landscape-plot')"


def check(ok, what, soft=False):
    """Print what was checked; stop on a failure, unless `soft` (then a warning)."""
    print(("ok   " if ok else "WARN " if soft else "FAIL ") + what)
    if not ok and not soft:
        raise SystemExit(1)


def busy():
    """The machine runs more than it has cores for: the OS deschedules the page, and a task's time says little."""
    return os.getloadavg()[0] > (os.cpu_count() or 1)


def main() -> int:
    problems = []
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1000, "height": 800})
        watch(page, problems)
        page.goto(url(case="none"))
        page.evaluate("() => { window.h = harness.mount('momentum'); }")
        wait_ready = "() => h.tab.element.querySelector('.tj-landscape-plot').dataset.state === 'ready'"
        page.wait_for_function(wait_ready)
        def maps():
            return int(page.evaluate("() => h.tab.element.querySelector('.tj-landscape-plot').dataset.maps"))

        check(maps() == 1, "one map after mounting (the span control's change coalesced with the first render)")

        # a click picks the cell under the pointer, rounded to 3 significant digits
        hit = page.query_selector(".tj-landscape-hit").bounding_box()
        page.mouse.click(hit["x"] + hit["width"] * 0.25 + 0.1, hit["y"] + hit["height"] * 0.25 + 0.1)
        page.wait_for_timeout(50)
        events = page.evaluate("() => h.events")
        pick = events[-1]["pick"]
        check(pick[0] == "momentum" and set(pick[1]) == {"eta", "beta"}, f"a click picks a cell: {pick}")
        check(all(float(f"{v:.3g}") == v for v in pick[1].values()), "its values have 3 significant digits")
        check(page.eval_on_selector(".tj-landscape-cursor", "c => c.getAttribute('display')") == "none",
              "a click shows no keyboard cursor")
        check(abs(pick[1]["beta"] - 0.75) < 0.02, "the cell a quarter down is at beta ~0.75")
        page.wait_for_timeout(50)
        check(maps() == 1, "the picked values moved the marker and computed nothing")
        cx = page.evaluate("() => +h.tab.element.querySelector('.tj-landscape-marker').getAttribute('cx')")
        scale = 620 / page.query_selector(".tj-landscape-plot").bounding_box()["width"]
        check(abs(cx - hit["width"] * 0.25 * scale) < 6,
              f"the marker sits on the picked cell (cx {cx:.1f})")

        # the marker follows the sliders of the mapped hyperparameters without a new map
        page.evaluate("() => h.setLesson({...h.lesson, hyperparameters: {momentum: {eta: 0.01, beta: 0.1}}})")
        page.wait_for_timeout(50)
        cx2 = page.evaluate("() => +h.tab.element.querySelector('.tj-landscape-marker').getAttribute('cx')")
        check(maps() == 1 and cx2 < cx, f"the marker follows eta to {cx2:.1f} without a new map")

        # a burst of lesson changes in one task makes one map; changes over time only the latest
        page.evaluate("""() => { for (let s = 21; s <= 80; s++) h.setLesson({...h.lesson, steps: s}); }""")
        page.wait_for_function(wait_ready)
        page.wait_for_timeout(100)
        check(maps() == 2, f"60 lesson changes in one task: one map ({maps() - 1} new)")
        check("80 steps" in page.inner_text(".tj-landscape-info"), "of the latest lesson (80 steps)")
        page.evaluate("""async () => { for (let s = 100; s <= 140; s++) { h.setLesson({...h.lesson, steps: s});
            await new Promise(r => setTimeout(r, 4)); } }""")
        page.wait_for_function(wait_ready)
        page.wait_for_timeout(100)
        n = maps() - 2
        check(n <= 41 and "140 steps" in page.inner_text(".tj-landscape-info"),
              f"41 changes 4 ms apart: {n} maps drawn, the last of the latest lesson")

        # at the budget, a slider dragged for a second: stale maps are dropped, no task blocks the page
        page.evaluate("() => h.setLesson({...h.lesson, steps: 500})")
        harness_set = "([c, v]) => harness.setControl(h.tab, c, v)"
        page.evaluate(harness_set, ["tj-landscape-resolution", "256"])
        page.wait_for_function(wait_ready, timeout=30000)
        page.wait_for_timeout(50)
        before = maps()
        drag = page.evaluate("""async () => {
            let longest = 0, late = 0;
            const seen = new PerformanceObserver(l => {
                for (const e of l.getEntries()) longest = Math.max(longest, e.duration); });
            seen.observe({type: 'longtask'});
            for (let k = 1; k <= 20; k++) {
                const t = performance.now();
                h.setLesson({...h.lesson, start: [-5 + k * 0.01, -2]});
                await new Promise(r => setTimeout(r, 50));
                late = Math.max(late, performance.now() - t - 50);  // how late the page answered a timer
            }
            const plot = h.tab.element.querySelector('.tj-landscape-plot');
            while (plot.dataset.state !== 'ready') await new Promise(r => setTimeout(r, 5));
            await new Promise(r => setTimeout(r, 60));
            seen.disconnect();
            return {longest, late, info: h.tab.element.querySelector('.tj-landscape-info').textContent};
        }""")
        print("    ", drag)
        check(maps() - before == 1,
              f"20 changes 50 ms apart at the budget: {maps() - before} map drawn, the rest dropped")
        check("lowered to 126" in drag["info"] and "500 steps" in drag["info"],
              "the info line says the resolution was lowered")
        check(drag["longest"] < 100 and drag["late"] < 100,
              f"the page stayed responsive: longest task {drag['longest']:.0f} ms, "
              f"a timer {drag['late']:.0f} ms late at most (load {os.getloadavg()[0]:.1f})", soft=busy())
        page.evaluate(harness_set, ["tj-landscape-resolution", "96"])
        page.evaluate("() => h.setLesson({...h.lesson, steps: 140, start: [-5, -2]})")
        page.wait_for_function(wait_ready)

        # a hidden tab computes nothing and catches up when shown
        before = maps()
        page.evaluate("() => h.tab.render({lesson: {...h.lesson, steps: 33}, visible: false})")
        page.wait_for_timeout(150)
        check(maps() == before, "a hidden tab computes nothing")
        page.evaluate("() => h.tab.render({lesson: {...h.lesson, steps: 33}, visible: true})")
        page.wait_for_function(wait_ready)
        page.wait_for_timeout(50)
        check(maps() == before + 1 and "33 steps" in page.inner_text(".tj-landscape-info"),
              "shown again, it catches up")

        # keyboard: every control by Tab, then the map: arrows move a cursor, Enter picks
        page.focus(".tj-landscape-optimizer")
        order = []
        for _ in range(12):
            order.append(page.evaluate("() => document.activeElement.getAttribute('class') ?? ''"))
            page.keyboard.press("Tab")
        print("     Tab order:", " | ".join(order))
        wanted = ["tj-landscape-optimizer", "tj-landscape-x", "tj-landscape-low", "tj-landscape-high", "tj-landscape-y",
                  "tj-landscape-metric", "tj-landscape-resolution", "tj-landscape-export", "tj-landscape-svg"]
        check(all(any(w in o for o in order) for w in wanted), "Tab reaches every control and the map")
        page.focus(".tj-landscape-svg")
        ring = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("Shift+ArrowUp")
        readout = page.inner_text(".tj-landscape-readout")
        page.screenshot(path="/tmp/landscape_shots/keyboard.png", clip={"x": 0, "y": 0, "width": 920, "height": 600})
        page.keyboard.press("Enter")
        page.wait_for_timeout(50)
        events = page.evaluate("() => h.events")
        print("     readout:", readout, "| pick:", events[-1])
        check("pick" in events[-1] and events[-1]["pick"][1]["beta"] > 0.15, "arrow keys and Enter pick a cell")
        check(ring != "none", f"the focused map shows a ring ({ring})")

        # the range handles: keyboard moves one, the label follows, the map is computed for the span
        page.focus(".tj-landscape-x-span .tj-landscape-high")
        before = maps()
        for _ in range(3):
            page.keyboard.press("ArrowLeft")
        page.wait_for_function(wait_ready)
        page.wait_for_timeout(50)
        label = page.inner_text(".tj-landscape-x-span-field output")
        settings = page.evaluate("() => h.tab.settings")
        check(label == "0.001 to 1" and settings["spans"] == {"eta": [0.001, 1]},
              f"three steps of the handle: {label}, spans {settings['spans']}")
        check(maps() > before, "and a new map")

        # a press on the track brings the nearer handle there
        track = page.query_selector(".tj-landscape-y-span").bounding_box()
        page.mouse.click(track["x"] + 7 + (track["width"] - 14) * 0.9, track["y"] + track["height"] / 2)
        page.wait_for_function(wait_ready)
        check(page.inner_text(".tj-landscape-y-span-field output") == "0 to 0.9",
              "a press on the y track at 90%: 0 to 0.9")

        # axes: the same hyperparameter on both swaps them; none gives a curve, and a click on it picks x only
        page.select_option(".tj-landscape-x", "beta")
        settings = page.evaluate("() => h.tab.settings")
        check(settings["axes"] == ["beta", "eta"] and settings["spans"] == {},
              f"x := beta swaps the axes: {settings['axes']}")
        page.select_option(".tj-landscape-y", "none")
        page.wait_for_function(wait_ready)
        page.wait_for_timeout(50)
        check(page.is_hidden(".tj-landscape-y-span-field"), "no y range for a curve")
        hit = page.query_selector(".tj-landscape-hit").bounding_box()
        page.mouse.click(hit["x"] + hit["width"] * 0.5, hit["y"] + 10)
        page.wait_for_timeout(50)
        pick = page.evaluate("() => h.events[h.events.length - 1].pick")
        check(list(pick[1]) == ["beta"] and abs(pick[1]["beta"] - 0.5) < 0.02,
              f"a click on the curve picks beta: {pick}")
        page.select_option(".tj-landscape-x", "eta")
        page.select_option(".tj-landscape-y", "beta")
        page.wait_for_function(wait_ready)

        # the lesson's optimizers and convention: the tab follows, with each optimizer's default axes
        page.evaluate("""() => h.setLesson({...h.lesson, optimizers: ['momentum', 'adadelta'],
            hyperparameters: {...h.lesson.hyperparameters, adadelta: {rho: 0.9, eps: 1e-5}}})""")
        page.select_option(".tj-landscape-optimizer", "adadelta")
        check(page.evaluate("() => h.tab.settings.axes") == ["rho", "eps"], "adadelta maps rho x eps")
        page.evaluate("""() => h.setLesson({...h.lesson, convention: 'torch',
            hyperparameters: {momentum: {eta: 0.6, beta: 0.5}, adadelta: {eta: 1, rho: 0.9, eps: 1e-6}}})""")
        page.wait_for_function(wait_ready)
        options = page.eval_on_selector(".tj-landscape-x", "s => Array.from(s.options, o => o.value)")
        check(options == ["eta", "rho", "eps"] and page.evaluate("() => h.tab.settings.axes") == ["rho", "eps"],
              f"under torch adadelta has eta too: {options}, axes kept")
        page.evaluate("() => h.setLesson({...h.lesson, optimizers: ['momentum']})")
        check(page.evaluate("() => h.tab.settings.optimizer") == "momentum",
              "an optimizer that leaves the lesson leaves the tab")
        page.wait_for_function(wait_ready)

        # export: settings to the host, and an SVG that stands alone
        page.click(".tj-landscape-export")
        page.wait_for_timeout(100)
        ev = page.evaluate("() => h.events[h.events.length - 1]")
        check(ev["export"] == page.evaluate("() => h.tab.settings"),
              f"export hands over the settings: {json.dumps(ev['export'])}")
        svg = ev["svg"]
        pathlib.Path("/tmp/landscape_shots/export.svg").write_text(svg)
        check("var(" not in svg and "NaN" not in svg and "http://" not in svg.replace("http://www.w3.org", ""),
              f"the SVG has no CSS variable, NaN or outside reference ({len(svg)} bytes)")
        check("data:image/png;base64," in svg, "the cells are an embedded PNG")

        # no NaN anywhere in the drawing, no console error all along
        bad = page.evaluate(BAD_ATTRIBUTES)
        check(not bad, f"no NaN in attributes {bad[:3]}")
        view = browser.new_page(viewport={"width": 640, "height": 500})
        view.goto("about:blank")
        view.set_content(f"<body style='margin:0'>{svg}</body>")
        view.screenshot(path="/tmp/landscape_shots/export.png")
        view.close()
        # destroy: the element goes, a late render does nothing
        page.evaluate("() => { h.tab.destroy(); h.tab.render({lesson: {...h.lesson, steps: 7}, visible: true}); }")
        page.wait_for_timeout(100)
        check(page.query_selector(".tj-landscape") is None, "destroy removes the tab")
        browser.close()
    check(not problems, f"no console errors {problems[:3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
