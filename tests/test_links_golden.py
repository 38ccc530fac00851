"""The page with no server reads links in JavaScript (js/src/core/link.js), tested against the lessons Python makes
from the same links in js/test/links.json; these tests keep that file the answers of this checkout's Python."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_links_golden", ROOT / "js" / "test" / "make_links_golden.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _same_lines(actual: str, expected: str, what: str) -> None:
    """Equal texts, else a short failure naming the first line that differs (a full diff would be megabytes)."""
    if actual == expected:
        return
    a, b = actual.splitlines(), expected.splitlines()
    i = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    pytest.fail(f"{what} is out of date (run python js/test/make_links_golden.py): line {i + 1} is "
                f"{(a[i] if i < len(a) else '<missing>')[:300]!r}, Python now writes "
                f"{(b[i] if i < len(b) else '<missing>')[:300]!r}.")


def test_the_golden_links_are_pythons_answers_today(generator):
    _same_lines(generator.OUT.read_text(encoding="utf-8"), generator.golden(), "js/test/links.json")


def test_the_check_sees_a_changed_answer(generator):
    text = generator.OUT.read_text(encoding="utf-8")
    changed = text.replace('"note.ignored_optimizer"', '"note.ignored_optimiser"', 1)
    with pytest.raises(pytest.fail.Exception, match="out of date"):
        _same_lines(changed, text, "js/test/links.json")


def test_a_links_numbers_are_ascii_on_both_sides():
    """Other scripts' digits and spaces, which Python's float() would read and a browser's parsing not, are ignored
    with a note on the served page too, so both pages make the same lesson of the same link."""
    from trajectories.lesson import Lesson

    for query, key in [("steps=١٢", "steps"), ("eta=٣.٥", "eta"), ("start=١,٢", "start"), ("seed=\u00a05", "seed"),
                       ("objective=general&condition=１２", "condition")]:
        lesson, notes = Lesson.from_query(query)
        assert lesson == Lesson(objective=lesson.objective) and len(notes) == 1 and notes[0].startswith(
            f"Ignored {key}="), (query, notes)
