"""A link never breaks the page: for any query built from the real keys and hostile values, ``from_query`` returns
a lesson and notes, the lesson runs, and the page's app builds. A lesson's link gives the same lesson back."""

from __future__ import annotations

import json
import math
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trajectories.lesson import MAX_OPTIMIZERS, MAX_RUNS, PAGE_STEPS, Lesson
from trajectories.objectives import OBJECTIVES
from trajectories.specs import CONVENTIONS, RULES, SCHEDULE_SPECS, SCHEDULES, SPECS

# Every setting of a run: the rules' hyperparameters, the schedule and its parameters, the noise, a run's own keys.
HYPER_KEYS = sorted({name for table in SPECS.values() for rule in table.values() for name in rule}
                    | {name for table in SCHEDULE_SPECS.values() for params in table.values() for name in params}
                    | {"schedule", "sigma", "spread", "label"})
PLAIN_KEYS = ["optimizer", "run", "objective", "condition", "angle", "start", "steps", "convention", "seed", "theme",
              "template"]
KEYS = PLAIN_KEYS + HYPER_KEYS + [f"{rule}.{name}" for rule in RULES for name in HYPER_KEYS] + ["", "x.y.z"]

# Also the hostile values of the JavaScript port's golden links (js/test/make_links_golden.py imports this list).
HOSTILE_VALUES = [
    "-1", "0", "1", "-0", "2.5", "1e400", "-1e400", "nan", "NaN", "inf", "-inf", "", " ", "١٢", "٣.٥", "１２",
    "9" * 5000, "1" * 40, "0x10", "1_000", "<script>alert(1)</script>", "';--", "../../etc/passwd", "__import__('os')",
    "true", "off", "None", "1,2", "-5,-2", "1e9,0", "nan,1", ",", "1,2,3", "\x00", "é", "🙂", "2**32", "4294967296",
    "4294967295", "100000", "100001", "501", "500",
] + list(RULES) + list(OBJECTIVES) + list(CONVENTIONS) + ["gd,momentum,adam", "gd,gd", ",".join(RULES), "GD, Adam"] + [
    *SCHEDULES["torch"], "15,30", "30,15", "gd:eta=0.4", "gd:eta=0.6,schedule=cosine,period=8", "adamw:eta=1",
    "momentum:beta=x", "sgd:spread=20,sigma=2,seed=3", "gd:label=a, b", "gd:eta", "gd:eta=1,eta=2", "rmsprop:"]
VALUES = st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(max_size=30),
                   st.floats(allow_nan=True, allow_infinity=True).map(repr),
                   st.integers(min_value=-(2 ** 70), max_value=2 ** 70).map(str))
QUERIES = st.lists(st.tuples(st.sampled_from(KEYS), VALUES), max_size=12).map(urlencode)


def _check(lesson: Lesson, notes: list[str]) -> None:
    assert isinstance(lesson, Lesson) and all(isinstance(n, str) and n for n in notes)
    assert 1 <= len(lesson.runs) <= MAX_RUNS and 1 <= lesson.steps <= PAGE_STEPS
    runs = lesson.run()
    assert list(runs) == list(lesson.labels) and len(set(lesson.labels)) == len(lesson.runs)
    assert hash(lesson) == hash(Lesson.from_query(lesson.to_query())[0])


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(QUERIES)
def test_any_link_gives_a_lesson_that_runs(query):
    lesson, notes = Lesson.from_query(query)
    _check(lesson, notes)


def test_every_key_is_covered():
    # The strategy draws from every key a link can hold: the plain ones and each optimizer's own.
    link_keys = {"optimizer", "objective", "condition", "angle", "start", "steps", "convention", "seed"}
    assert link_keys <= set(KEYS)
    for rule in RULES:
        for convention in CONVENTIONS:
            for name in SPECS[convention][rule]:
                assert name in KEYS and f"{rule}.{name}" in KEYS


@pytest.mark.parametrize("query", ["seed=-1", "optimizer=sgd&seed=-1", "objective=general&condition=0",
                                   "objective=general&angle=999", "optimizer=rmsprop&steps=100000"])
def test_the_issues_links_open_with_a_note(query):
    lesson, notes = Lesson.from_query(query)
    assert len(notes) == 1, notes
    key = query.rsplit("&", 1)[-1].split("=")[0]
    assert key in notes[0]
    _check(lesson, notes)
    if "steps" in query:
        assert lesson.steps == PAGE_STEPS and notes[0].startswith("Capped")
    else:
        assert notes[0].startswith("Ignored") and getattr(lesson, key) == getattr(Lesson(), key)


def _number(spec):
    if spec.scale == "log":
        return st.floats(min_value=math.log10(spec.low), max_value=math.log10(spec.high)).map(lambda e: 10.0 ** e)
    return st.floats(min_value=spec.low, max_value=spec.high)


@st.composite
def lessons(draw):
    convention = draw(st.sampled_from(CONVENTIONS))
    names = draw(st.lists(st.sampled_from(RULES), min_size=1, max_size=MAX_OPTIMIZERS, unique=True))
    hp = {}
    for name in names:
        values = {}
        for key, spec in SPECS[convention][name].items():
            if draw(st.booleans()):
                values[key] = draw(st.sampled_from(spec.choices)) if spec.is_choice else draw(_number(spec))
        hp[name] = values
    objective = draw(st.sampled_from(list(OBJECTIVES)))
    general = objective == "general"
    coordinate = st.floats(min_value=-1e6, max_value=1e6)
    return Lesson(optimizers=tuple(names), hyperparameters=hp, objective=objective,
                  condition=draw(st.floats(min_value=1, max_value=1000)) if general else 20.0,
                  angle=draw(st.floats(min_value=-180, max_value=180)) if general else 0.0,
                  start=(draw(coordinate), draw(coordinate)), steps=draw(st.integers(1, PAGE_STEPS)),
                  convention=convention, seed=draw(st.integers(0, 2 ** 32 - 1)))


@settings(max_examples=300, deadline=None)
@given(lessons())
def test_a_lessons_link_gives_the_same_lesson(lesson):
    again, notes = Lesson.from_query(lesson.to_query())
    assert notes == [] and again == lesson and hash(again) == hash(lesson)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(QUERIES)
def test_the_page_builds_for_any_link(query):
    from trajectories.serve import page

    app = page(query)
    assert app.lesson == Lesson.from_query(query, ignore=("theme", "template"))[0]


# Markup and script a hostile link carries, each setting window.__pwned if it ever ran (tests/test_safety.py loads
# them in Chromium). Not among HOSTILE_VALUES, which also make the JavaScript port's golden links.
PAYLOADS = [
    '"><svg onload="window.__pwned=1">',
    "'><img src=x onerror=window.__pwned=2>",
    "</script><script>window.__pwned=3</script>",
    "<script>window.__pwned=4</script>",
    "javascript:window.__pwned=5",
    '{{7*7}}<iframe srcdoc="<script>parent.__pwned=6</script>">',
]


# Every key a link can hold, each rule's settings under its name; a schedule's parameters under one rule's name (they
# are read alike for every rule: all of them under every name would pass the server's 16 KB limit for a link).
_PARAMS = sorted({name for table in SCHEDULE_SPECS.values() for params in table.values() for name in params})
EVERY_KEY = PLAIN_KEYS + HYPER_KEYS + [
    f"{rule}.{name}" for rule in RULES
    for name in sorted({n for c in SPECS for n in SPECS[c][rule]}) + ["schedule", "sigma", "spread", "label"]
    + (_PARAMS if rule == "sgd" else [])] + ["x.y.z"]


def every_key(payload: str) -> str:
    """A link with ``payload`` as the value of every key a link can hold (Voila's own too), and as a key."""
    return urlencode([(key, payload) for key in EVERY_KEY] + [(payload, "1")])


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_in_every_key_is_only_ever_text(payload):
    """The payload in every key at once: a lesson that runs, with the payload in none of its settings, so the
    page's lesson, its link and the widget's state never carry it; only notes quote it, as text the page shows
    with textContent."""
    from trajectories.handlers import MAX_TARGET
    from trajectories.serve import page
    from trajectories.state import lesson_state

    query = every_key(payload)
    assert len(query) < MAX_TARGET - 100  # the served page gets it (test_safety), not the page for a link too long
    lesson, notes = Lesson.from_query(query)
    _check(lesson, notes)
    assert any(payload in note for note in notes)
    for text in (json.dumps(lesson_state(lesson)), lesson.to_query(), repr(lesson)):
        assert "<" not in text and "pwned" not in text, text
    app = page(query)
    assert app.lesson == Lesson.from_query(query, ignore=("theme", "template"))[0]
    state = {k: v for k, v in app.widget.get_state().items() if k not in ("notes", "_esm", "config", "noise")}
    assert "pwned" not in json.dumps(state, default=str)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(PAYLOADS) | VALUES), max_size=12),
       st.sampled_from(PAYLOADS))
def test_payloads_among_any_values_never_reach_a_lesson(pairs, payload):
    lesson, notes = Lesson.from_query(urlencode([*pairs, ("eta", payload)]))
    _check(lesson, notes)
    assert "pwned" not in repr(lesson) + lesson.to_query()
