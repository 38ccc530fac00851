"""The app in Chinese, in a real browser: a link with lang=zh, the switch under the app, a bad link's note, the
formula field's message, and Export in the page's language; and figures in Chinese (text kept as text, glyphs
drawn with the installed CJK font, one sentence where none is installed)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from pages import TIMEOUT_MS, link, no_error_text, open_app, path_d, readout, value, wait_for

from trajectories import cli, run
from trajectories.figures import IMAGES, cjk_font, figure_bytes
from trajectories.formula import FormulaError, parse
from trajectories.i18n import MessageError, tables, text
from trajectories.lesson import Lesson

CJK = re.compile(r"[\u4e00-\u9fff]")


def _field_name(page, selector: str) -> str:
    """The visible name of the field holding ``selector`` (the span beside it)."""
    return page.locator(f".tj-field:has({selector}) > .tj-name").first.inner_text().strip()


def test_a_chinese_link_gives_the_page_in_chinese_and_eta_moves_the_engines_line(page, server):
    open_app(page, server.url + "?lang=zh")
    zh = tables()["zh"]
    assert page.get_attribute(".tj-app", "lang") == "zh-CN"
    # the η slider's label is the book's 学习率; the objective chooser is 目标函数, its choices the book's names
    assert page.get_attribute(".tj-rmsprop-eta", "title").startswith(zh["spec.eta"]) and zh["spec.eta"] == "学习率"
    assert page.get_attribute(".tj-objective", "aria-label") == "目标函数" == _field_name(page, ".tj-objective")
    assert page.locator(".tj-objective option[value=quadratic]").inner_text() == zh["objective.quadratic"]
    assert page.locator(".tj-optimizer-rmsprop").inner_text().strip() == "RMSProp算法"
    before = path_d(page, "rmsprop")
    page.focus(".tj-rmsprop-eta")
    page.keyboard.press("ArrowRight")
    wait_for(page, lambda: path_d(page, "rmsprop") != before, "the path to move")
    eta = value(page, ".tj-rmsprop-eta")
    assert eta == 0.45
    # the readout names the run in the book's words; the line is the engine's, exactly as train_2d prints it (the
    # readout follows the plot's frame by a task)
    want = {"RMSProp算法": run("rmsprop", eta=eta, gamma=0.9).book_line()}
    wait_for(page, lambda: readout(page) == want, f"the readout {want}")
    settings = dict(parse_qsl(urlsplit(link(page)).query))
    assert settings["lang"] == "zh" and float(settings["eta"]) == eta  # the link keeps the language
    no_error_text(page)
    assert page.errors == []


@pytest.mark.parametrize("query", ["optimizer=rmsprop&eta=nan", "objective=x1%5E2+*+*x2",
                                   "optimizer=momentum&beta=2&window=1,2,3"])
def test_a_bad_link_in_chinese_gives_its_notes_in_chinese(page, server, query):
    open_app(page, server.url + "?lang=zh&" + query)
    _, notes = Lesson.from_query(query, lang="zh")
    assert notes and all(CJK.search(n) for n in notes)
    wait_for(page, lambda: page.locator(".tj-message").inner_text().strip() != "", "the notes")
    shown = page.inner_text(".tj-message").strip().splitlines()
    assert shown[:len(notes)] == notes
    assert page.errors == []


def test_runs_in_chinese_are_named_in_the_books_words_in_the_readout_legend_and_notes(page, server):
    """Two runs of gd at the book's η 0.4 and 0.6 and two noisy SGD seeds: the readout, the legend and the note on
    the run that leaves the plot name them as Lesson.said_labels does; the lines stay the engine's."""
    query = "run=gd:eta=0.4&run=gd:eta=0.6&run=sgd:sigma=0.5,seed=3&run=sgd:sigma=0.5,seed=4"
    lesson = Lesson.from_query(query)[0]
    said = lesson.said_labels("zh")
    assert said == ("梯度下降 η=0.4", "梯度下降 η=0.6", "随机梯度下降 种子3", "随机梯度下降 种子4")
    open_app(page, server.url + "?lang=zh&" + query)
    want = dict(zip(said, lesson.readout().values(), strict=True))
    wait_for(page, lambda: readout(page) == want, f"the readout {want}")
    legend = page.eval_on_selector_all(".tj-plot .tj-legend-text", "els => els.map((e) => e.textContent.trim())")
    assert legend == list(said)
    left = text("message.left", "zh", name=said[1], step="1", steps="20")
    wait_for(page, lambda: left in page.inner_text(".tj-message"), "the note on the run that leaves the plot")
    assert page.errors == []


def test_the_switch_speaks_the_other_language_keeps_the_lesson_and_export_follows(page, server, tmp_path):
    query = "optimizer=gd,momentum&momentum.beta=0.6&steps=12"
    open_app(page, server.url + "?lang=en&" + query)
    assert _field_name(page, ".tj-objective") == "objective"
    lines = readout(page)
    assert set(lines) == {"gd", "momentum"}
    page.click(".tj-lang-zh")
    wait_for(page, lambda: _field_name(page, ".tj-objective") == "目标函数", "the page to speak Chinese")
    want = {"梯度下降": lines["gd"], "动量法": lines["momentum"]}  # the same runs, the book's names
    wait_for(page, lambda: readout(page) == want, f"the readout {want}")
    settings = dict(parse_qsl(urlsplit(link(page)).query))
    assert settings["lang"] == "zh" and settings["momentum.beta"] == "0.6" and settings["steps"] == "12"
    assert page.get_attribute(".tj-lang-zh", "aria-pressed") == "true"
    # Export asks the kernel for the page's language: the file `trajectories export --lang zh` writes
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.click(".tj-export")
    out = tmp_path / "cli.svg"
    assert cli.main(["export", "--link", query, "--loss", "--lang", "zh", "-o", str(out)]) == 0
    assert Path(info.value.path()).read_bytes() == out.read_bytes()
    assert page.inner_text(".tj-export-output").startswith("已下载")
    assert page.errors == []


def test_the_formula_field_says_where_a_formula_stops_in_chinese(offline, tmp_path):
    """The page with no server (the one HTML file): the formula field's line is Python's message, in Chinese."""
    html = tmp_path / "app.html"
    assert cli.main(["export", "rmsprop", "--format", "html", "--lang", "zh", "-o", str(html)]) == 0
    page = offline
    open_app(page, html.as_uri())
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    page.fill(".tj-formula-input", "x1^2 + * x2")
    with pytest.raises(FormulaError) as caught:
        parse("x1^2 + * x2")
    said = caught.value.message.to("zh")
    wait_for(page, lambda: page.inner_text(".tj-formula-error").strip() == said, "the formula's message")
    assert "第8个字符处" in said
    page.fill(".tj-formula-input", "x1^4 + x2^2")
    wait_for(page, lambda: page.inner_text(".tj-formula-error").strip() == "", "the formula to be read")
    assert page.errors == [] and page.outside == []


# ---- figures in Chinese -------------------------------------------------------------------------------------------
LESSON = Lesson(optimizers=("gd", "momentum"), steps=5)


def test_an_svg_in_chinese_with_text_as_text_holds_the_chinese_words():
    svg = figure_bytes(LESSON, loss=True, format="svg", text="text", lang="zh").decode("utf-8")
    for words in ("梯度下降", "动量法", text("panel.loss", "zh").split("（")[0]):
        assert words in svg, words
    english = figure_bytes(LESSON, loss=True, format="svg", text="text").decode("utf-8")
    assert not CJK.search(english)


@pytest.mark.skipif(cjk_font() is None, reason="no CJK font is installed (Debian: fonts-noto-cjk)")
@pytest.mark.parametrize("format", IMAGES)
def test_a_figure_in_chinese_draws_its_glyphs_with_the_cjk_font(format):
    zh = figure_bytes(LESSON, loss=True, format=format, lang="zh")
    en = figure_bytes(LESSON, loss=True, format=format)
    assert zh != en and zh == figure_bytes(LESSON, loss=True, format=format, lang="zh")  # and the same every time
    if format == "svg":  # glyphs as paths: no <text>, and the CJK font's glyphs among the defined ones
        assert b"<text" not in zh and re.search(rb'id="[A-Za-z]+-[0-9a-f]+"', zh)
        assert len(re.findall(rb"<path id=", zh)) > len(re.findall(rb"<path id=", en))


def test_without_a_cjk_font_a_chinese_figure_says_how_to_get_one(monkeypatch):
    import trajectories.figures as figures

    monkeypatch.setattr(figures, "cjk_font", lambda: None)
    for format in IMAGES:
        with pytest.raises(MessageError, match="fonts-noto-cjk") as caught:
            figure_bytes(LESSON, format=format, lang="zh")
        assert "\n" not in str(caught.value)
    # text kept as text leaves the drawing to the reader's fonts; English needs no CJK font
    assert "梯度下降" in figure_bytes(LESSON, format="svg", text="text", lang="zh").decode("utf-8")
    assert figure_bytes(LESSON, format="png")


def test_a_gif_in_chinese_draws_its_words_or_says_how_to_get_the_font(monkeypatch):
    import trajectories.figures as figures
    from trajectories.figures import animation_bytes

    lesson = Lesson(optimizers=("gd", "momentum"), steps=2)
    if cjk_font() is not None:
        zh = animation_bytes(lesson, loss=True, lang="zh")
        assert zh != animation_bytes(lesson, loss=True) and "梯度下降".encode() in zh  # the alt text in the comment
    monkeypatch.setattr(figures, "cjk_font", lambda: None)
    with pytest.raises(MessageError, match="fonts-noto-cjk"):
        animation_bytes(lesson, loss=True, lang="zh")
