"""Words in two languages, English and Chinese (the book's two editions): one table of messages per language.

The tables are data, ``trajectories/locales/en.json`` and ``zh.json``: flat keys, ``{{name}}`` placeholders (the
JSON form i18next reads, with its key separator off). Python reads them here; the page gets them in
``state.config()`` and reads them with ``js/src/core/i18n.js``, so a message has one home and both sides say the
same words. ``tests/test_i18n.py`` checks that both tables have the same keys with the same placeholders.

A :class:`Message` is a ``str`` (the text in one language) that keeps its key and parameters, so a note made in
Python (a link's ignored value) can be shown by the page in the page's own language. A :class:`MessageError` is
the ``ValueError`` of a check whose sentence is such a message: the Python API says it in English, and a link's
note gives it in the page's language.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from importlib import resources
from typing import Any

LANGUAGES = ("en", "zh")
DEFAULT = "en"
HTML_LANG = {"en": "en", "zh": "zh-CN"}  # <html lang=...>: the book's Chinese edition is Simplified Chinese
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


@functools.cache
def tables() -> dict[str, dict[str, str]]:
    """Every language's table of messages, key -> template, as the files hold them."""
    folder = resources.files("trajectories") / "locales"
    return {lang: json.loads((folder / f"{lang}.json").read_text(encoding="utf-8")) for lang in LANGUAGES}


def check_lang(value: Any, parameter: str = "lang", *, none: bool = False) -> str | None:
    """``value`` if it is one of :data:`LANGUAGES` (or None when ``none``), else one sentence."""
    if none and value is None:
        return None
    if isinstance(value, str) and value in LANGUAGES:
        return value
    allowed = ", ".join(repr(a) for a in LANGUAGES)
    kind = f"None or one of {allowed}" if none else f"one of {allowed}"
    raise ValueError(f"The '{parameter}' parameter must be {kind}. Got {value!r} instead.")


def placeholders(template: str) -> set[str]:
    """The names of a template's ``{{name}}`` placeholders."""
    return set(PLACEHOLDER.findall(template))


def text(key: str, lang: str = DEFAULT, /, **params: Any) -> str:
    """The message ``key`` in ``lang`` with its placeholders filled (a :class:`Message` parameter in ``lang`` too).

    >>> text("control.objective", "zh")
    '目标函数'
    """
    table = tables()[check_lang(lang)]
    if key not in table:
        raise KeyError(f"No message {key!r} in the {lang} table.")
    values = {name: value.to(lang) if isinstance(value, Message) else value for name, value in params.items()}

    def fill(match: re.Match) -> str:
        return str(values[match.group(1)])

    return PLACEHOLDER.sub(fill, table[key])


def name(kind: str, value: str, lang: str = DEFAULT) -> str:
    """The name of an optimizer or an objective (``kind``: "optimizer", "objective") in ``lang``, as the book's
    edition writes it (梯度下降, AdaGrad算法); a name the tables do not know (a typed formula) is said as it is."""
    key = f"{kind}.{value}"
    return text(key, lang) if key in tables()[check_lang(lang)] else str(value)


class Message(str):
    """A message of the tables in one language: a ``str`` that keeps its key and parameters.

    Parameters are strings, already written the way the message shows them (``repr`` of a link's value, a
    number as Python prints it), or messages, which are said in the same language.
    """

    key: str
    params: dict[str, Any]
    lang: str

    def __new__(cls, key: str, lang: str = DEFAULT, /, **params: Any) -> Message:
        for name, value in params.items():
            if not isinstance(value, str):
                raise TypeError(f"The '{name}' parameter of message {key!r} must be a string or a Message. "
                                f"Got {value!r} instead.")
        self = super().__new__(cls, text(key, lang, **params))
        self.key, self.params, self.lang = key, dict(params), lang
        return self

    def to(self, lang: str) -> Message:
        """The same message in ``lang``."""
        return self if lang == self.lang else Message(self.key, lang, **self.params)

    def data(self) -> dict[str, Any]:
        """``{"key": ..., "params": {...}}``: what the page gets to say it in its own language."""
        return {"key": self.key, "params": {k: v.data() if isinstance(v, Message) else str(v)
                                            for k, v in self.params.items()}}

    def __reduce__(self) -> tuple:
        return _message, (self.key, self.lang, self.params)


def _message(key: str, lang: str, params: dict[str, Any]) -> Message:
    return Message(key, lang, **params)


class MessageError(ValueError):
    """A check's ValueError whose one sentence is a message of the tables (in English as the exception's text)."""

    def __init__(self, key: str, **params: Any) -> None:
        self.message = Message(key, DEFAULT, **params)
        super().__init__(str(self.message))

    def __reduce__(self) -> tuple:  # pickled by its key and parameters (its args hold the English sentence only)
        return _error, (type(self), self.message.key, self.message.params)


def _error(cls: type, key: str, params: dict[str, Any]) -> MessageError:
    return cls(key, **params)


def reason(exc: BaseException) -> str:
    """Why a value was refused: the exception's message (a :class:`Message` where it has one)."""
    if isinstance(exc, MessageError):
        return exc.message
    return str(exc) or type(exc).__name__


def note_data(note: str) -> Any:
    """A note for the page: a message as data (the page says it in its language), any other text as it is."""
    if isinstance(note, Message):
        return note.data()
    if isinstance(note, str):
        return note
    raise ValueError(f"The 'notes' parameter must hold strings. Got {note!r} instead.")


def say(note: Any, lang: str = DEFAULT) -> str:
    """A note as the page shows it in ``lang``: text as it is, a message's data (``{"key", "params"}``) said in
    ``lang`` (js/src/core/i18n.js's say)."""
    if isinstance(note, str):
        return note
    if isinstance(note, dict) and isinstance(note.get("key"), str):
        params = {k: say(v, lang) if isinstance(v, dict) else str(v) for k, v in (note.get("params") or {}).items()}
        return text(note["key"], lang, **params)
    raise ValueError(f"The 'note' parameter must be text or a message's data. Got {note!r} instead.")


def in_language(notes: Iterable[str], lang: str) -> list[str]:
    """Notes said in ``lang`` (plain text stays as it is)."""
    return [n.to(lang) if isinstance(n, Message) else n for n in notes]


def pick(languages: Iterable[str]) -> str:
    """The first of a reader's languages (``Accept-Language`` or ``navigator.languages`` order) that the app
    speaks, by its primary subtag (zh-CN, zh-TW, zh-Hans -> zh); English if none. js/src/core/i18n.js's pickLanguage
    is the same rule."""
    for tag in languages:
        primary = str(tag).strip().lower().replace("_", "-").split("-")[0]
        if primary in LANGUAGES:
            return primary
    return DEFAULT
