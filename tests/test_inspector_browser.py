"""The step inspector in a real page: the numbers a student reads are the Python engine's, at the step the plot
highlights, for the optimizer picked by a click on its path."""

from __future__ import annotations

import numpy as np
import pytest
from pages import link_settings, open_app, plot_point

from trajectories import run
from trajectories.i18n import tables
from trajectories.inspector import TEXTS, inspect
from trajectories.lesson import Lesson

SUMMARY = ".tj-inspector .tj-insp-summary"


def shown_step(page, text: str) -> None:
    page.wait_for_function("(t) => document.querySelector('.tj-inspector .tj-insp-summary').textContent"
                           ".startsWith(t)", arg=text)


def step_to(page, steps: int, title: str) -> None:
    """Press ArrowRight ``steps`` times on the step scrubber, as a student does, until the inspector says ``title``."""
    page.focus(".tj-step")
    for _ in range(steps):
        page.keyboard.press("ArrowRight")
    shown_step(page, title)


def same_lines(got: list[dict], expected) -> None:
    """The page's rows are Python's inspector's lines: the same equations, the same numbers filled in."""
    assert [r["text"] for r in got] == [line.line.text for line in expected.lines]
    for row, line in zip(got, expected.lines, strict=True):
        if row["arith"] is not None:
            assert row["arith"] == [f"x₁: {line.substituted[0]}", f"x₂: {line.substituted[1]}"], row["text"]


def rows(page) -> list[dict]:
    """Each row of the inspector as a student reads it: the equation, each coordinate's value and numbers filled
    in (the value's full precision from the cell's data-value)."""
    return page.evaluate("""() => [...document.querySelectorAll('.tj-inspector tr.tj-insp-row')]
      .filter((tr) => !tr.hidden).map((tr) => {
        const arith = tr.nextElementSibling;
        return { name: tr.dataset.name, text: tr.querySelector('.tj-insp-eq').textContent,
          values: [1, 2].map((i) => Number(tr.querySelector(`.tj-insp-x${i}`).dataset.value)),
          shown: [1, 2].map((i) => tr.querySelector(`.tj-insp-x${i} .tj-insp-value`).textContent),
          arith: arith.hidden ? null : [1, 2].map((i) => arith.querySelector(`.tj-insp-arith-x${i}`).textContent) };
      })""")


def test_scrubbing_to_step_3_of_rmsprop_shows_the_engines_numbers(server, page):
    open_app(page, server.url + "?optimizer=rmsprop&eta=0.4&gamma=0.9")
    assert page.inner_text(".tj-inspector .tj-insp-note") == TEXTS["hint"]
    # every sentence the inspector says comes from Python's one table (the one to translate), its names too
    assert page.get_attribute(".tj-inspector", "aria-label") == TEXTS["region"]
    step_to(page, 3, "rmsprop (d2l), step 3 → 4, t = 4")
    expected = inspect(run("rmsprop", eta=0.4, gamma=0.9), 3)
    got = rows(page)
    same_lines(got, expected)
    for row, line in zip(got, expected.lines, strict=True):
        # the browser's engine and Python's use the same correctly rounded operations here: the same doubles
        assert row["values"] == line.value.tolist(), row["text"]
        assert row["shown"] == [s.rsplit(" = ", 1)[-1] for s in line.substituted], row["text"]
    assert got[2]["arith"][0] == "x₁: 0.9·0.1661 + (1 − 0.9)·(−0.4746)² = 0.172"
    assert page.errors == []


@pytest.mark.parametrize("query", ["optimizer=adam&eta=0.4&sigma=0.5&seed=3",
                                   "optimizer=gd&eta=0.4&schedule=cosine&period=10&warmup=2"])
def test_noise_on_any_rule_and_a_schedule_show_the_update_the_engine_made(server, page, query):
    """Adam with gradient noise shows g = ∇f(x) + ξ with the draw the engine added; gd on a cosine schedule shows
    the step's rate as η: on both, the lines' numbers are Python's inspector's, whose last line is the next point."""
    open_app(page, f"{server.url}?{query}")
    lesson = Lesson.from_query(query)[0]
    expected = inspect(lesson.run()[lesson.keys[0]], 3)
    step_to(page, 3, f"{lesson.keys[0]} (d2l), step 3 → 4, t = 4")
    got = rows(page)
    same_lines(got, expected)
    assert ("g = ∇f(x) + ξ" in [r["text"] for r in got]) == ("sigma" in query)
    for row, line in zip(got, expected.lines, strict=True):
        np.testing.assert_allclose(row["values"], line.value, rtol=1e-12, err_msg=row["text"])
    assert page.errors == []


def test_a_click_on_a_point_of_a_path_selects_that_step_and_optimizer(server, page):
    open_app(page, server.url + "?optimizer=gd,momentum&momentum.eta=0.6&gd.eta=0.4&steps=20")
    start = link_settings(page).get("start")
    momentum = run("momentum", eta=0.6, beta=0.5)
    page.mouse.click(*plot_point(page, *momentum.points[5]))
    shown_step(page, "momentum (d2l), step 5 → 6")
    assert page.get_attribute(".tj-step", "aria-valuenow") == "5"
    assert link_settings(page).get("start") == start  # a click on the path picks a step; it does not move the start
    got = rows(page)
    expected = inspect(momentum, 5)
    np.testing.assert_allclose([r["values"] for r in got], [line.value for line in expected.lines], rtol=1e-12)
    gd = run("gd", eta=0.4)
    page.mouse.click(*plot_point(page, *gd.points[2]))
    shown_step(page, "gd (d2l), step 2 → 3")
    assert page.get_attribute(".tj-insp-choice-gd", "aria-pressed") == "true"
    assert page.get_attribute(".tj-insp-choices", "aria-label") == TEXTS["choices"]
    assert page.errors == []


@pytest.mark.parametrize("convention", ["d2l", "torch"])
def test_the_inspector_follows_the_convention_and_a_slider(server, page, convention):
    open_app(page, server.url + f"?optimizer=adagrad&convention={convention}&eta=0.4&steps=20")
    step_to(page, 2, f"adagrad ({convention}), step 2 → 3")
    root = "η/√(s + ε)" if convention == "d2l" else "η/(√s + ε)"
    assert root in [r["text"] for r in rows(page)]
    page.focus(".tj-adagrad-eta")
    page.keyboard.press("ArrowRight")
    eta = float(page.get_attribute(".tj-adagrad-eta", "aria-valuenow"))
    page.wait_for_function("(v) => [...document.querySelectorAll('.tj-inspector .tj-insp-arith-x1')]"
                           ".some((d) => d.textContent.includes(v))", arg=f"{eta:g}/")
    expected = inspect(run("adagrad", eta=eta, convention=convention), 2)
    np.testing.assert_allclose([r["values"] for r in rows(page)], [line.value for line in expected.lines],
                               rtol=1e-12)
    assert page.errors == []


@pytest.fixture(scope="module")
def html_file(tmp_path_factory):
    """The page with no server (the same front end), opened on gd at the book's diverging eta 0.6."""
    from trajectories.figures import export

    return export("gd", tmp_path_factory.mktemp("page") / "gd.html", eta=0.6, steps=60)


def test_the_step_that_diverges_says_so_and_later_steps_have_none(page, html_file):
    open_app(page, html_file.as_uri())
    diverged = run("gd", eta=0.6, steps=60).diverged_at  # 39: x2 passes 1e6
    page.focus(".tj-step")
    page.keyboard.press("Home")
    for _ in range(diverged - 1):
        page.keyboard.press("ArrowRight")
    shown_step(page, f"gd (d2l), step {diverged - 1} → {diverged}")
    assert page.inner_text(".tj-insp-note") == "This step leaves |x1|, |x2| ≤ 1e6: the run diverged here."
    x2 = rows(page)[-1]["values"][1]  # where the rule sent x2, past the bound, as Python's inspector shows it
    assert abs(x2) > 1e6 and x2 == inspect(run("gd", eta=0.6, steps=60), diverged - 1).lines[-1].value[1]
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(t) => document.querySelector('.tj-insp-note').textContent === t",
                           arg=f"gd diverged at step {diverged}: there is no step {diverged} to show.")
    assert all(r["shown"] == ["", ""] for r in rows(page))
    page.keyboard.press("End")
    page.wait_for_function("() => /diverged at step 39: there is no step 60/.test("
                           "document.querySelector('.tj-insp-note').textContent)")
    assert page.errors == []


def test_the_last_point_and_folding_away(page, html_file):
    open_app(page, html_file.as_uri() + "?optimizer=rmsprop")
    page.focus(".tj-step")
    page.keyboard.press("End")
    shown_step(page, "rmsprop (d2l), step 20: the last point, no step after it")
    got = rows(page)
    assert [r["name"] for r in got] == ["x"]
    assert got[0]["values"] == run("rmsprop").points[20].tolist()
    page.click(".tj-inspector summary")
    assert page.locator(".tj-insp-table").is_hidden()
    page.focus(".tj-step")  # the click left the focus on the summary
    page.keyboard.press("Home")  # folded, its one line still follows the step
    shown_step(page, "rmsprop (d2l), step 0 → 1, t = 1")
    page.click(".tj-inspector summary")
    page.wait_for_function("() => document.querySelector('.tj-inspector .tj-insp-x1').dataset.value === '-5'")
    assert page.errors == []


def test_play_carries_the_inspector_through_every_step(page, html_file):
    """Play moves the highlighted step; the inspector follows it on the way (each title seen is one of the run's
    steps, in order) and ends on the last point."""
    open_app(page, html_file.as_uri() + "?optimizer=adam&steps=12")
    page.evaluate("""() => { window.seen = [];
      new MutationObserver(() => window.seen.push(document.querySelector('.tj-insp-summary').textContent))
        .observe(document.querySelector('.tj-insp-summary'), { childList: true, characterData: true, subtree: true });
    }""")
    page.focus(".tj-play")
    page.keyboard.press("Enter")
    shown_step(page, "adam (d2l), step 12: the last point, no step after it")
    steps = [int(t.split("step ")[1].split(" ")[0].rstrip(":")) for t in page.evaluate("window.seen")
             if t.startswith("adam (d2l), step ")]
    assert steps == sorted(steps) and len(set(steps)) >= 3 and steps[-1] == 12
    assert page.inner_text(".tj-inspector tr.tj-insp-row:not([hidden]) .tj-insp-x1 .tj-insp-value") \
        == inspect(run("adam", steps=12), 12).lines[0].substituted[0]
    assert page.errors == []


@pytest.mark.parametrize("where", ["phone", "compact"])
def test_on_a_phone_and_in_the_compact_mode_it_starts_folded_and_stays_as_the_reader_leaves_it(browser, html_file,
                                                                                              where):
    from conftest import watch
    from pages import SCREENS

    width, height = SCREENS["phone"] if where == "phone" else SCREENS["projector"]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = watch(context.new_page())
    try:
        query = "?optimizer=rmsprop" + ("&controls=eta,step" if where == "compact" else "")
        open_app(page, html_file.as_uri() + query)
        assert page.evaluate("() => document.querySelector('.tj-insp-details').open") is False
        page.focus(".tj-step")
        page.keyboard.press("ArrowRight")
        shown_step(page, "rmsprop (d2l), step 1 → 2, t = 2")  # folded, its one line follows the step
        page.click(".tj-inspector summary")
        page.wait_for_function("() => document.querySelector('.tj-inspector .tj-insp-x1').dataset.value !== undefined")
        page.focus(".tj-step")
        page.keyboard.press("ArrowRight")
        shown_step(page, "rmsprop (d2l), step 2 → 3, t = 3")
        assert page.evaluate("() => document.querySelector('.tj-insp-details').open") is True  # the reader's choice
        assert rows(page)[0]["values"] == run("rmsprop").points[2].tolist()
        assert page.errors == []
    finally:
        context.close()


def test_the_inspector_speaks_chinese_and_keeps_its_step_across_the_switch(server, page):
    zh, en = tables()["zh"], tables()["en"]
    open_app(page, server.url + "?lang=zh&optimizer=rmsprop&eta=0.4&gamma=0.9")
    assert page.inner_text(".tj-inspector .tj-insp-note") == zh["inspector.hint"]
    assert page.get_attribute(".tj-inspector", "aria-label") == zh["inspector.region"]
    step_to(page, 3, "RMSProp算法（d2l），第3步 → 第4步，t = 4")  # the book's Chinese name, Python's title_in("zh")
    expected = inspect(run("rmsprop", eta=0.4, gamma=0.9), 3)
    assert page.inner_text(SUMMARY) == expected.title_in("zh")
    assert page.inner_text(".tj-inspector .tj-insp-form") == zh["inspector.form_d2l"]
    assert [r["values"] for r in rows(page)] == [line.value.tolist() for line in expected.lines]
    page.click(".tj-lang-en")  # the other language keeps the step and the inspector as the reader left it
    shown_step(page, expected.title)
    assert page.inner_text(".tj-inspector .tj-insp-form") == en["inspector.form_d2l"]
    assert [r["values"] for r in rows(page)] == [line.value.tolist() for line in expected.lines]
    assert page.errors == []
