"""How a page shows its lesson (trajectories.display): presenter, compact controls, panels and view, by link, by
App(...) and by ``trajectories export --format html``; never part of the lesson."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trajectories import cli
from trajectories.display import CONTROLS, HYPERPARAMETERS, KEYS, Display, check_controls, control_names
from trajectories.lesson import Lesson
from trajectories.specs import SPECS
from trajectories.state import config


def test_the_default_writes_nothing_and_reads_back():
    assert Display().to_query() == ""
    assert Display.from_query("") == (Display(), [])
    assert Display.from_query("optimizer=gd&eta=0.3") == (Display(), [])  # the lesson's keys are not its business


@pytest.mark.parametrize("display", [
    Display(presenter=True), Display(controls=("eta", "beta")), Display(controls=()), Display(panels=False),
    Display(view="window"), Display(True, ("momentum.eta", "steps", "step"), False, "window"),
])
def test_a_link_carries_the_options_and_reads_back_the_same(display):
    assert Display.from_query(display.to_query()) == (display, [])
    assert Display.from_state(json.loads(json.dumps(display.to_state()))) == display


def test_the_links_words():
    assert Display(presenter=True, controls=("eta", "beta"), panels=False).to_query() == \
        "presenter=1&controls=eta,beta&panels=none"
    assert Display(controls=()).to_query() == "controls=none"
    assert Display.from_query("controls=all")[0] == Display()
    assert Display.from_query("presenter=true&panels=all&view=WINDOW")[0] == Display(presenter=True, view="window")


def test_bad_values_are_dropped_with_a_note_each():
    display, notes = Display.from_query("presenter=2&controls=eta,zeta&panels=some&view=zoom")
    assert display == Display(controls=("eta",))
    assert len(notes) == 4 and all(n.startswith("Ignored ") for n in notes)
    assert any("'zeta'" in n for n in notes) and any("view='zoom'" in n for n in notes)
    # a link whose every control is a typo keeps every control, not none
    assert Display.from_query("controls=etaa")[0] == Display()


def test_the_options_are_not_the_lessons():
    query = "optimizer=momentum&eta=0.5&presenter=1&controls=eta&panels=none&view=window"
    lesson, notes = Lesson.from_query(query, ignore=KEYS)
    assert notes == [] and lesson == Lesson.from_query("optimizer=momentum&eta=0.5")[0]


def test_the_vocabulary_comes_from_the_spec_table_and_reaches_the_page():
    names = {n for table in SPECS.values() for rule in table.values() for n in rule}
    assert set(HYPERPARAMETERS) == names
    assert {"momentum.eta", "adadelta.eta", "adam.bias_correction"} <= set(control_names())
    sent = config()["display"]
    assert sent["keys"] == list(KEYS) and sent["controls"] == CONTROLS and sent["default"] == Display().to_state()
    assert check_controls("eta,beta") == ("eta", "beta") and check_controls("none") == ()


def test_bad_arguments_raise_one_sentence():
    for kw, words in [({"presenter": "yes"}, "'presenter' parameter"), ({"panels": None}, "'panels' parameter"),
                      ({"view": "all"}, "'view' parameter"), ({"controls": ("eta", 3)}, "'controls' parameter"),
                      ({"controls": ("etaa",)}, "Got 'etaa' instead")]:
        with pytest.raises(ValueError, match=words):
            Display(**kw)
    with pytest.raises(ValueError, match="'display' parameter"):
        Display.from_state({"zoom": 2})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([*KEYS, "optimizer", "eta"]), st.text(max_size=30)), max_size=6))
def test_any_options_in_a_link_parse_to_options_and_notes(pairs):
    from urllib.parse import urlencode

    display, notes = Display.from_query(urlencode(pairs))
    assert isinstance(display, Display) and all(isinstance(n, str) and n for n in notes)


# ---- the command line -----------------------------------------------------------------------------------------
def state_of(html: str) -> dict:
    return json.loads(re.search(r'id="trajectories-state">(.*?)</script>', html, re.S).group(1))


def test_export_html_takes_the_options_from_flags_and_from_a_link(tmp_path):
    out = tmp_path / "lesson.html"
    assert cli.main(["export", "momentum", "--format", "html", "--presenter", "--controls", "eta,beta",
                     "--panels", "none", "-o", str(out)]) == 0
    assert state_of(out.read_text())["display"] == {"presenter": True, "controls": ["eta", "beta"], "panels": False,
                                                    "view": "fit"}
    assert cli.main(["export", "--link", "optimizer=momentum&presenter=1&view=window", "--controls", "none",
                     "-o", str(out)]) == 0
    assert state_of(out.read_text())["display"] == {"presenter": True, "controls": [], "panels": True,
                                                    "view": "window"}


def test_a_figure_takes_the_links_view_and_refuses_page_flags(tmp_path, capsys):
    fig = tmp_path / "f.svg"
    assert cli.main(["export", "--link", "optimizer=momentum&presenter=1&view=window", "-o", str(fig)]) == 0
    assert fig.exists()
    assert cli.main(["export", "momentum", "--presenter", "-o", str(tmp_path / "g.svg")]) == 2
    assert "--format html and mjs only" in capsys.readouterr().err and not (tmp_path / "g.svg").exists()
    html = str(tmp_path / "h.html")
    assert cli.main(["export", "momentum", "--controls", "zeta", "--format", "html", "-o", html]) == 2
    assert "'zeta'" in capsys.readouterr().err
    assert cli.main(["export", "--link", "optimizer=gd&presenter=9", "-o", str(tmp_path / "i.svg")]) == 2
    assert "presenter='9'" in capsys.readouterr().err


def test_a_course_site_keeps_a_links_options(tmp_path):
    assert cli.main(["site", str(tmp_path / "site"), "--link", "optimizer=adam&presenter=1&controls=eta"]) == 0
    index = (tmp_path / "site" / "index.html").read_text()
    assert "presenter=1&amp;controls=eta" in index
