"""The two tables of messages (trajectories/locales/en.json and zh.json): the same keys, the same placeholders, the
book's words in each edition, and the notes of a link in the page's language."""

from __future__ import annotations

import json
import pickle
import re

import pytest

from trajectories import i18n
from trajectories.figures import figure_bytes
from trajectories.i18n import LANGUAGES, Message, MessageError, placeholders, tables, text
from trajectories.lesson import Lesson, link_lang
from trajectories.specs import SPECS, check_name
from trajectories.state import config

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_both_tables_have_the_same_keys():
    en, zh = tables()["en"], tables()["zh"]
    assert set(en) == set(zh), f"only in en: {sorted(set(en) - set(zh))}; only in zh: {sorted(set(zh) - set(en))}"
    assert len(en) > 150


@pytest.mark.parametrize("key", sorted(tables()["en"]))
def test_each_message_has_the_same_placeholders_in_both_languages(key):
    en, zh = tables()["en"][key], tables()["zh"][key]
    assert placeholders(en) == placeholders(zh), (key, en, zh)
    for template in (en, zh):  # a brace that is not a whole {{name}} would be shown as it is
        assert template.count("{") == template.count("}") == 2 * len(re.findall(r"\{\{\w+\}\}", template)), template


def test_the_files_are_plain_flat_json_with_no_duplicate_key():
    folder = i18n.resources.files("trajectories") / "locales"
    for lang in LANGUAGES:
        def no_duplicates(pairs):
            keys = [k for k, _ in pairs]
            assert len(keys) == len(set(keys)), [k for k in keys if keys.count(k) > 1]
            return dict(pairs)
        data = json.loads((folder / f"{lang}.json").read_text(encoding="utf-8"), object_pairs_hook=no_duplicates)
        assert all(isinstance(v, str) and v for v in data.values()), lang


def test_the_chinese_table_is_chinese_and_uses_the_books_words():
    zh = tables()["zh"]
    # Every message a person reads has Chinese in it, except names and code the book itself keeps in Latin letters.
    latin = {"lang.tag", "optimizer.adadelta", "control.torch", "landscape.cell_value", "hyper.control",
             "landscape.axis", "book.url", "panel.with_scale", "site.gallery_description", "book.adadelta",
             "alt.objective", "formula.error", "formula.hint", "plot.exit_note"}
    missing = [k for k, v in zh.items() if not CJK.search(v) and k not in latin]
    assert missing == [], missing
    # d2l-zh's names of the optimizers (chapter_optimization: AdaGrad算法, RMSProp算法, Adadelta, Adam算法, 动量法)
    assert [zh[f"optimizer.{r}"] for r in ("gd", "sgd", "momentum", "adagrad", "rmsprop", "adadelta", "adam")] == [
        "梯度下降", "随机梯度下降", "动量法", "AdaGrad算法", "RMSProp算法", "Adadelta", "Adam算法"]
    assert zh["spec.eta"] == "学习率" and zh["control.objective"] == "目标函数"
    assert "发散" in zh["message.diverged"] and "超参数" in zh["hyper.group"] and "收敛" in zh["hyper.stable_outside"]
    assert "偏差校正" in zh["spec.bias_correction"] and "泄漏平均值" in zh["spec.gamma"]
    assert zh["book.adagrad"].startswith("11.7 ") and tables()["en"]["book.adagrad"].startswith("12.7 ")


def test_the_english_table_keeps_the_sentences_the_api_says():
    with pytest.raises(ValueError, match=r"^The 'convention' parameter must be one of 'd2l', 'torch'\. Got 'x' "
                                         r"instead\.$"):
        check_name("x", "convention", ("d2l", "torch"))
    assert SPECS["d2l"]["rmsprop"]["gamma"].description == "decay of the squared-gradient average"


def test_a_message_is_a_string_that_keeps_its_key_and_says_itself_in_either_language():
    m = Message("note.ignored", key="eta", value="'abc'", reason=Message("reason.no_taker", name="'eta'"))
    assert m == "Ignored eta='abc': no optimizer shown takes a parameter named 'eta'."
    assert m.to("zh") == "忽略了eta='abc'：所显示的优化算法都没有名为'eta'的参数。"
    assert m.data() == {"key": "note.ignored", "params": {"key": "eta", "value": "'abc'", "reason": {
        "key": "reason.no_taker", "params": {"name": "'eta'"}}}}
    assert pickle.loads(pickle.dumps(m.to("zh"))) == m.to("zh")
    with pytest.raises(TypeError, match="must be a string or a Message"):
        Message("note.ignored", key=1, value="", reason="")
    with pytest.raises(KeyError):
        text("no.such.key")
    error = MessageError("error.not_integer", parameter="steps", value="'x'")
    assert isinstance(error, ValueError) and str(error) == "The 'steps' parameter must be an integer. Got 'x' instead."
    assert i18n.reason(error).to("zh") == "参数“steps”必须是整数，收到的是'x'。"


@pytest.mark.parametrize(("languages", "lang"), [
    (["zh-CN", "en"], "zh"), (["en-US", "zh"], "en"), (["fr", "zh-TW"], "zh"), (["fr", "de"], "en"), ([], "en"),
    (["zh_Hans"], "zh"), ([" ZH "], "zh")])
def test_the_readers_language_is_the_first_the_app_speaks(languages, lang):
    assert i18n.pick(languages) == lang


def test_a_bad_link_gives_its_notes_in_chinese():
    lesson, notes = Lesson.from_query("optimizer=gd,lbfgs&eta=abc&steps=9999&lang=zh", lang="zh")
    assert lesson.optimizers == ("gd",) and lesson.steps == 500
    assert notes == ["忽略了优化算法'lbfgs'：它必须是gd, sgd, momentum, nesterov, adagrad, rmsprop, adadelta, "
                     "adam之一。",
                     "步数steps=9999被限制为500：页面最多运行500步，即步数滑块的范围（命令行和Python API"
                     "最多可到100000步）。",
                     "忽略了eta='abc'：gd的参数“eta”必须是[1e-05, 100]范围内的浮点数，收到的是'abc'。"]
    english = Lesson.from_query("optimizer=gd,lbfgs&eta=abc&steps=9999&lang=zh")[1]
    assert [n.to("zh") for n in english] == notes and english[0].startswith("Ignored optimizer 'lbfgs'")


ENGLISH_PROSE = re.compile(r"\b(the|a|an|is|not|must|of|takes|only|under|Got|Ignored|instead|run|seeds?|on|off)\b")


def _prose(note: str) -> str:
    """A note without what it quotes from the link ('gd:eta', gd.decay='0.1') and the names it is given."""
    return re.sub(r"'[^']*'|\w+\.\w+=|\w+=\S*", "", note)


@pytest.mark.parametrize("query", [
    "run=bogus", "run=gd:eta", "run=gd:eta=1,eta=2", "run=gd:steps=9", "run=adadelta:eta=0.1",
    "run=gd:milestones=5", "run=gd:schedule=multifactor,milestones=30,10", "run=gd:schedule=cosine,period=0",
    "run=gd:schedule=cosine,warmup=30,period=10", "run=gd:schedule=factor,every=3", "run=gd:label=a=b",
    "run=gd:spread=500", "gd.decay=0.1&run=gd", "run=gd&every=3", "run=gd:schedule=cosine,decay=0.3"])
def test_a_bad_run_in_a_link_gives_its_notes_in_chinese(query):
    """Issue 21's notes (a run's syntax, a setting a run does not take, a schedule's steps and milestones, a warm-up
    past its period, a bad label) are messages of the tables: said in Chinese, with no English sentence left."""
    english = Lesson.from_query(query)[1]
    notes = Lesson.from_query(query, lang="zh")[1]
    assert notes and len(notes) == len(english)
    for en, zh in zip(english, notes, strict=True):
        assert isinstance(zh, Message) and zh == en.to("zh") and zh.to("en") == en
        assert CJK.search(zh) and not ENGLISH_PROSE.search(_prose(zh)), zh
        assert ENGLISH_PROSE.search(_prose(en)), en  # the check above can fail: English prose is found


@pytest.mark.parametrize(("query", "chinese"), [
    ("run=gd:eta=0.4&run=gd:eta=0.6", ("梯度下降 η=0.4", "梯度下降 η=0.6")),
    ("run=sgd:sigma=0.5,seed=3&run=sgd:sigma=0.5,seed=4", ("随机梯度下降 种子3", "随机梯度下降 种子4")),
    ("run=sgd:sigma=0.5,spread=5&run=sgd:sigma=0.5,spread=8", ("随机梯度下降 5个种子", "随机梯度下降 8个种子")),
    ("run=momentum:schedule=cosine&run=momentum&run=adam:label=mine", ("动量法 余弦", "动量法 常数", "mine")),
    ("run=adam:bias_correction=0&run=adam", ("Adam算法 偏差校正关闭", "Adam算法 偏差校正开启")),
])
def test_a_made_label_is_said_in_chinese_and_stays_the_name_in_english(query, chinese):
    lesson = Lesson.from_query(query)[0]
    assert lesson.said_labels("zh") == chinese
    assert lesson.said_labels("en") == lesson.labels and not any(CJK.search(label) for label in lesson.labels)


def test_lang_in_a_link_is_the_pages_not_the_lessons():
    assert Lesson.from_query("optimizer=gd&lang=zh") == Lesson.from_query("optimizer=gd")
    assert link_lang("optimizer=gd&lang=zh") == "zh" and link_lang("lang=en") == "en"
    assert link_lang("lang=fr") is None and link_lang("optimizer=gd") is None
    lesson, notes = Lesson.from_query("lang=fr", lang="zh")
    assert lesson == Lesson() and notes == ["忽略了lang='fr'：参数“lang”必须是'en', 'zh'之一，收到的是'fr'。"]
    with pytest.raises(ValueError, match="The 'lang' parameter must be one of 'en', 'zh'. Got 'fr' instead."):
        Lesson.from_query("", lang="fr")


def test_the_page_is_sent_both_tables():
    messages = config()["messages"]
    assert messages == tables()


@pytest.mark.parametrize(("formula", "english", "chinese"), [
    ("x1^2 + * x2", "f = x1^2 + * x2: expected a number, x1, x2, a function or '(' at position 8",
     "f = x1^2 + * x2：第8个字符处应为数字、x1、x2、函数或“(”"),
    ("foo(x1)", "unknown name 'foo' at position 1; the names are x1, x2",
     "第1个字符处未知的名称“foo”；可用的名称是x1、x2"),
    ("x1^2 +", "at the end", "末尾处"),
    ("x1 \u00e9", "unexpected character U+00E9 (not ASCII) at position 4",
     "第4个字符处出现意外的字符U+00E9（非ASCII字符）"),
])
def test_a_formulas_message_is_said_in_both_languages(formula, english, chinese):
    from trajectories.formula import FormulaError, parse

    with pytest.raises(FormulaError) as caught:
        parse(formula)
    assert english in str(caught.value)  # the Python API's sentence, in English
    assert chinese in caught.value.message.to("zh")


def test_a_bad_formula_or_window_in_a_link_gives_its_note_in_chinese():
    _, notes = Lesson.from_query("objective=x1^2 * * x2&window=1,2,3", lang="zh")
    assert len(notes) == 2 and all(CJK.search(n) for n in notes), notes
    assert "第8个字符处" in notes[0] and "%2B" in notes[0]  # a space where a '+' was meant: how a link writes it
    assert "参数“window”" in notes[1]
    assert [n.to("en") for n in notes] == Lesson.from_query("objective=x1^2 * * x2&window=1,2,3")[1]


def test_the_animations_alt_text_in_chinese_keeps_the_books_printed_lines():
    from trajectories.animation import alt_text

    lesson = Lesson(optimizers=("gd", "momentum"), steps=5)
    zh, en = alt_text(lesson, lang="zh"), alt_text(lesson)
    assert zh.startswith("动画，每步一帧：梯度下降 (eta 0.4)和动量法 (eta 0.6, beta 0.5)，目标函数为二次函数")
    for name in lesson.optimizers:  # the train_2d line is code output: the same in both editions
        line = lesson.run()[name].book_line()
        assert line in zh and line in en
    with pytest.raises(ValueError, match="'lang' parameter"):
        alt_text(lesson, lang="fr")


def test_a_checks_error_pickles_with_its_message():
    from trajectories.formula import FormulaError, parse

    with pytest.raises(FormulaError) as caught:
        parse("x1^2 + * x2")
    back = pickle.loads(pickle.dumps(caught.value))
    assert type(back) is FormulaError and str(back) == str(caught.value)
    assert back.message.to("zh") == caught.value.message.to("zh")


def test_a_figures_note_on_a_run_that_leaves_it_is_in_the_figures_language():
    lesson = Lesson.from_query("run=gd:eta=0.4&run=gd:eta=0.6")[0]
    zh = figure_bytes(lesson, format="svg", text="text", lang="zh").decode("utf-8")
    en = figure_bytes(lesson, format="svg", text="text").decode("utf-8")
    assert "梯度下降 η=0.6：在第1步离开图" in zh and "leaves" not in zh
    assert "gd η=0.6: leaves at step 1" in en and not CJK.search(en)
