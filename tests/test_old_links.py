"""Every link of the README and the tests from before lessons became lists of runs still opens the same lesson.

tests/golden/old_links.json holds, for each such link, the lesson the code of that time made (its optimizers and
their hyperparameters, objective, start, steps, convention, seed), the parameters it ignored and the book's line of
each optimizer; tests/golden/make_old_links.py wrote it with that code.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from trajectories.lesson import Lesson
from trajectories.specs import SPECS

GOLDEN = json.loads((Path(__file__).parent / "golden" / "old_links.json").read_text(encoding="utf-8"))["links"]
OLD_MOST = 4  # the old limit of optimizers in a link; a lesson now holds up to six runs


def old_view(lesson: Lesson) -> dict:
    """A lesson in the form the old code stored it: one entry per optimizer, its hyperparameters (and SGD's
    schedule, which was one of them)."""
    hp = {}
    for r in lesson.runs:
        keep = set(SPECS[lesson.convention][r.optimizer]) | ({"schedule"} if r.optimizer == "sgd" else set())
        hp[r.optimizer] = {k: v for k, v in r.hyperparameters.items() if k in keep}
    return {"optimizers": list(lesson.optimizers), "hyperparameters": hp, "objective": lesson.objective,
            "condition": lesson.condition, "angle": lesson.angle, "start": list(lesson.start), "steps": lesson.steps,
            "convention": lesson.convention, "seed": lesson.seed}


def ignored(notes: list[str]) -> list[str]:
    """What each note ignored or capped (``eta``, ``optimizer 'adamw'``): the wording may change, not the choice."""
    return [re.match(r"(?:Ignored|Capped) ([^:=]+)", n).group(1) for n in notes]


def test_the_golden_has_the_readmes_and_the_tests_links():
    queries = [r["query"] for r in GOLDEN]
    assert len(queries) >= 50
    for query in ("optimizer=rmsprop&eta=0.4&gamma=0.9&steps=20", "optimizer=gd,momentum&momentum.eta=0.6",
                  "optimizer=sgd&schedule=polynomial&seed=7&objective=bowl", "optimizer=adam&eta=0.1"):
        assert query in queries


@pytest.mark.parametrize("record", GOLDEN, ids=[r["query"][:60] for r in GOLDEN])
def test_an_old_link_opens_the_same_lesson(record):
    lesson, notes = Lesson.from_query(record["query"])
    old = record["lesson"]
    capped = any(n.startswith(f"Ignored optimizers beyond the first {OLD_MOST}") for n in record["notes"])
    if capped:  # the link asked for more than four: it now gets what it asked for, up to six
        assert lesson.optimizers[:OLD_MOST] == tuple(old["optimizers"])
        lesson = Lesson(runs=lesson.runs[:OLD_MOST], objective=lesson.objective, start=lesson.start,
                        steps=lesson.steps, convention=lesson.convention)
        record = dict(record, notes=[n for n in record["notes"] if "beyond the first" not in n])
    assert old_view(lesson) == old
    assert ignored(notes) == ignored(record["notes"])
    lines = lesson.readout()
    for name, line in record["lines"].items():
        if name != "sgd":  # SGD's noise comes from another generator since: same lesson, other draws
            assert lines[name] == line
