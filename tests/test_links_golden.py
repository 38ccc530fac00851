"""The JavaScript port of links (js/src/link.js) is tested against Python's answers in js/test/links.json; these
tests keep those answers, and the Unicode tables written into link.js, the ones this checkout's Python gives."""

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


def test_link_js_holds_this_pythons_unicode_tables(generator):
    source = generator.LINK_JS.read_text(encoding="utf-8")
    _same_lines(source, generator.with_tables(source, generator.tables_block(generator.unicode_tables())),
                "The TABLES block of js/src/link.js")


def test_the_check_sees_a_changed_answer(generator):
    text = generator.OUT.read_text(encoding="utf-8")
    changed = text.replace("Ignored optimizer ", "Ignored optimiser ", 1)
    with pytest.raises(pytest.fail.Exception, match="out of date"):
        _same_lines(changed, text, "js/test/links.json")
