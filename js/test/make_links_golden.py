"""Write js/test/links.json, how Python reads and writes links, and the Unicode tables of js/src/link.js.

js/src/link.js reads a link as ``Lesson.from_query`` does and writes it as ``Lesson.to_query`` does, for a page
that runs without Python. Run from the repository root after any change to trajectories/lesson.py, specs.py,
state.config(), objectives.general() or this script:

    python js/test/make_links_golden.py

links.json holds, one record per line: Python's lesson (``state.lesson_state``), notes and link for a few
thousand queries drawn from the real keys and hostile values; random valid lessons with their links; the LaTeX of
``general(condition, angle)``; Python's repr, strip, lower, int and float of test strings; repr and :g of test
floats. The queries are drawn with a fixed seed, so the file changes only when Python's answers do.

link.js needs Python's own Unicode tables (which characters are whitespace, decimal digits, printable, how they
lower-case): JavaScript's regular expressions and toLowerCase follow whichever Unicode version the browser has.
This script writes them between the TABLES markers of link.js, from this Python's unicodedata.
tests/test_links_golden.py checks that both files are what this script would write.
"""

from __future__ import annotations

import json
import math
import random
import re
import struct
import sys
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the golden data must come from this checkout's Python, not an installed copy
sys.path.insert(0, str(ROOT / "tests"))  # the hostile values live with the Python property test

from test_links_property import HOSTILE_VALUES, KEYS  # noqa: E402

from trajectories.engine import MAX_STEPS  # noqa: E402
from trajectories.lesson import MAX_OPTIMIZERS, PAGE_STEPS, Lesson  # noqa: E402
from trajectories.objectives import OBJECTIVES, general  # noqa: E402
from trajectories.specs import CONVENTIONS, RULES, SPECS  # noqa: E402
from trajectories.state import config, lesson_state  # noqa: E402

OUT = Path(__file__).with_name("links.json")
LINK_JS = ROOT / "js" / "src" / "core" / "link.js"
BEGIN, END = "// BEGIN TABLES", "// END TABLES"
SEED = 20240607
IGNORE = ("theme", "template")  # serve.lesson_for_query's: Voila's own keys
QUERIES, RAW_QUERIES, LESSONS, LATEX = 2250, 450, 300, 300

# --- Python's Unicode tables --------------------------------------------------------------------------------------

CODE_POINTS = range(0x110000)


def ranges(codes: list[int]) -> list[list[int]]:
    """Sorted code points as [start, end) runs."""
    out: list[list[int]] = []
    for c in codes:
        if out and out[-1][1] == c:
            out[-1][1] = c + 1
        else:
            out.append([c, c + 1])
    return out


def encode_set(codes: list[int]) -> str:
    """Runs as hexadecimal (gap from the previous run's end, length) pairs: small, and decoded in a few lines."""
    parts, end = [], 0
    for a, b in ranges(codes):
        parts += [f"{a - end:x}", f"{b - a:x}"]
        end = b
    return ",".join(parts)


def lower_runs(chars: list[str]) -> tuple[str, dict[str, str]]:
    """str.lower() of single characters: runs (start, count, stride, delta) where each of ``count`` code points,
    ``stride`` apart, lower-cases to itself plus ``delta``; and the few that lower-case to several characters."""
    runs: list[list[int]] = []
    special = {}
    for c in CODE_POINTS:
        low = chars[c].lower()
        if low == chars[c]:
            continue
        if len(low) != 1:
            special[f"{c:x}"] = low
            continue
        delta = ord(low) - c
        if runs and runs[-1][3] == delta:
            start, count, stride, _ = runs[-1]
            if count == 1 and c - start in (1, 2):
                runs[-1][1:3] = [2, c - start]
                continue
            if count > 1 and c == start + count * stride:
                runs[-1][1] += 1
                continue
        runs.append([c, 1, 1, delta])
    parts, previous = [], 0
    for start, count, stride, delta in runs:
        parts += [f"{start - previous:x}", f"{count:x}", f"{stride:x}", f"{delta:x}"]
        previous = start
    return ",".join(parts), special


def final_sigma_tables(chars: list[str]) -> tuple[list[int], list[int]]:
    """The case-ignorable and cased characters of str.lower()'s Final_Sigma rule, read off lower() itself.

    Python lower-cases Σ to ς when a cased character precedes it and none follows, skipping case-ignorable ones.
    So in "AcΣ" Σ is final when c is case-ignorable or cased, in "1cΣ" only when c is cased and not ignorable.
    Only non-ignorable characters are ever asked whether they are cased.
    """
    ignorable, cased = [], []
    for c in CODE_POINTS:
        after_letter = ("A" + chars[c] + "Σ").lower()[-1] == "ς"
        after_digit = ("1" + chars[c] + "Σ").lower()[-1] == "ς"
        if after_letter and not after_digit:
            ignorable.append(c)
        elif after_digit:
            cased.append(c)
    return ignorable, cased


@cache
def unicode_tables() -> dict[str, Any]:
    chars = [chr(c) for c in CODE_POINTS]
    decimal = [c for c in CODE_POINTS if chars[c].isdecimal()]
    for a, b in ranges(decimal):  # link.js reads a digit's value as its distance from the run's start, mod 10
        if (b - a) % 10 or [int(chars[c]) for c in range(a, b)] != [i % 10 for i in range(b - a)]:
            raise ValueError(f"The decimal digits must come in runs of 0 to 9. Got the run {a:#x}-{b:#x} instead.")
    lower, special = lower_runs(chars)
    if list(special) != ["130"]:
        raise ValueError(f"link.js expects only U+0130 to lower-case to two characters. Got {special} instead.")
    ignorable, cased = final_sigma_tables(chars)
    return {"unicode": unicodedata.unidata_version,
            "space": encode_set([c for c in CODE_POINTS if chars[c].isspace()]),
            "decimal": encode_set(decimal),
            "unprintable": encode_set([c for c in CODE_POINTS if not chars[c].isprintable()]),
            "lower": lower, "lowerSpecial": special,
            "caseIgnorable": encode_set(ignorable), "cased": encode_set(cased)}


def tables_block(tables: dict[str, Any]) -> str:
    """The JavaScript between the TABLES markers: long strings cut into lines of at most 120 characters."""
    lines = [BEGIN + " (written by js/test/make_links_golden.py from Python's unicodedata; do not edit)",
             "const TABLES = {"]
    for key, value in tables.items():
        if isinstance(value, dict):
            lines.append(f"  {key}: {json.dumps(value)},")
            continue
        pieces = [value[i:i + 96] for i in range(0, len(value), 96)] or [""]
        lines.append(f"  {key}: {json.dumps(pieces[0])}" + (" +" if len(pieces) > 1 else ","))
        for i, piece in enumerate(pieces[1:], 2):
            lines.append(f"    {json.dumps(piece)}" + (" +" if i < len(pieces) else ","))
    lines += ["};", END]
    return "\n".join(lines)


def with_tables(source: str, block: str) -> str:
    """link.js's text with ``block`` between its markers."""
    start, end = source.index(BEGIN), source.index(END) + len(END)
    return source[:start] + block + source[end:]


# --- values drawn for links ---------------------------------------------------------------------------------------

SPACES = [chr(c) for c in CODE_POINTS if chr(c).isspace()]
NOT_SPACES = ["\ufeff", "\u200b", "\u180e", "\x00", "\x7f", "\u2060"]  # JavaScript's trim or \s disagree on some
DIGIT_ZEROS = [a for a, _ in ranges([c for c in CODE_POINTS if chr(c).isdecimal()])]
TRICKY = ["Σ", "σ", "ς", "İ", "ı", "K", "Å", "ẞ", "ß", "ǅ", "ᾈ", "ͅ", "'", "\u0301", "\u00ad", "Ａ", "ﬀ", "Ω",
          "\U0001e900", "\U00010400", "\u2c2f", "\u2c5f", "\ua7c0", "\U00010570"]
NAMES = list(RULES) + list(OBJECTIVES) + list(CONVENTIONS) + ["constant", "exponential", "polynomial"]
WORDS = ["true", "false", "on", "off", "1", "0", "yes", "no", "True", "FALSE", "On", "YES", "nO", "y", "t", "2"]
EDGES = ["1e-5", "1e-05", "0.00001", "9.99999e-06", "100", "100.0", "1e2", "100.00000000000001", "0", "1", "0.0",
         "-0.0", "1e-12", "9.999999999999999e-13", "1.0000000000000002", "0.9999999999999999", "5e-324", "-5e-324",
         "1.7976931348623157e308", "1.8e308", "2.2250738585072014e-308", "1e16", "1e15", "123456789012345678",
         "0.1", "0.30000000000000004", "1e-7", "1e+22", "1E5", "+1", "-1", ".5", "5.", "1.e5", "1e", "e5", ".",
         "+", "-", "--1", "+-1", "1e+", "1e-", "1.5e-3_0", "1_0.5", "1_0e1_0", "1__0", "_1", "1_", "1._5",
         "Infinity", "-INFINITY", "+inf", "iNf", "infinit", "infinityy", "+nan", "-NaN", "nan(1)", "0x1p3", "0o7",
         "0b1", "1j", "1d5", "1f", "½", "²", "Ⅻ", "①", "〇", "٫", "1٫5", "1,5", "1 000", "1\u00a0000", "4294967295",
         "4294967296", "-0", "00", "007", "0_0", "2**32", "1/2", "7e-1", "1000", "999.999", "180", "-180",
         "180.00000000000003", "-180.00000000000003", "1000.0000000000001", "0.9999999999999999", "1e6", "1e6,1e6",
         "-1e6,-1e6", "1000000.0000000001,0", "1e-320,1e-320", "-0,0", "0,-0", "nan,nan", "inf,0", ",1", "1,",
         "1,,2", " 1 , 2 ", "١,٢", "1;2", "1 2", "1e3,1e3", "501", "500", "499", "0", "100000", "100001"]


def digits_of(rng: random.Random, text: str) -> str:
    """``text`` with its ASCII digits written in one other script's decimal digits."""
    zero = rng.choice(DIGIT_ZEROS)
    return "".join(chr(zero + int(ch)) if ch.isascii() and ch.isdigit() else ch for ch in text)


def decorate(rng: random.Random, text: str) -> str:
    """Spellings Python reads in its own ways: padding, underscores, other scripts' digits, case."""
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(7)
        if kind == 0:
            pad = lambda: "".join(rng.choice(SPACES + NOT_SPACES[:2]) for _ in range(rng.randint(0, 3)))  # noqa: E731
            text = pad() + text + pad()
        elif kind == 1 and len(text) > 1:
            i = rng.randrange(1, len(text))
            text = text[:i] + rng.choice(["_", "_", "__", " ", ","]) + text[i:]
        elif kind == 2:
            text = digits_of(rng, text)
        elif kind == 3:
            text = text.upper() if rng.random() < 0.5 else text.swapcase()
        elif kind == 4:
            text = rng.choice(["+", "-", "", "0"]) + text
        elif kind == 5:
            text = text + rng.choice(["e5", "E-3", "_0", ".", "0", "x", "\x00", "\x1c", "\x85", "\ufeff", "%"])
        else:
            text = rng.choice(SPACES) + text if rng.random() < 0.5 else text + rng.choice(SPACES)
    return text


def random_double(rng: random.Random) -> float:
    kind = rng.randrange(5)
    if kind == 0:
        return struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]  # any double, NaN and inf too
    if kind == 1:
        return rng.uniform(-1000, 1000)
    if kind == 2:
        return rng.choice([-1, 1]) * 10.0 ** rng.uniform(-20, 20)
    if kind == 3:
        return float(f"{rng.uniform(1, 10):.{rng.randint(0, 6)}f}e{rng.randint(-310, 310)}")
    return rng.randint(-10 ** 7, 10 ** 7) / rng.choice([1, 2, 4, 8, 16, 128, 1024, 10, 100, 1000])


def number_text(rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return repr(random_double(rng))
    if kind == 1:
        x = random_double(rng)
        return rng.choice([f"{x:g}", f"{x:e}", f"{x:.17g}", f"{x:.3f}", f"{x:.1E}"])
    if kind == 2:
        return str(rng.randint(-2 ** 70, 2 ** 70))
    if kind == 3:
        return str(rng.randint(-20, 700))
    if kind == 4:
        return str(rng.choice([0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 53 + 1, 2 ** 64, -1]) + rng.randint(-3, 3))
    return rng.choice(EDGES)


def unicode_char(rng: random.Random) -> str:
    kind = rng.randrange(12)
    if kind == 0:
        return chr(rng.randint(0x20, 0x7e))
    if kind == 1:
        return chr(rng.choice([*range(0x20), 0x7f]))
    if kind == 2:
        return chr(rng.randint(0x80, 0x24f))
    if kind == 3:
        return rng.choice(SPACES + NOT_SPACES)
    if kind == 4:
        return chr(rng.choice(DIGIT_ZEROS) + rng.randrange(10))
    if kind == 5:
        return chr(rng.randint(0x370, 0x52f))  # Greek and Cyrillic: cased letters, and Σ
    if kind == 6:
        return chr(rng.randint(0x300, 0x36f))  # combining marks: case-ignorable
    if kind == 7:
        return rng.choice(TRICKY)
    if kind == 8:
        return chr(rng.choice([0x1f600, 0x1f642, 0x1fae8, 0x11f50, 0x1e4f0, 0x31350, 0x2fffe, 0x10fffd, 0xe0001,
                               0x0870, 0x0cf3, 0x1b7f, 0x2e5d, 0xfdd0]) + rng.randrange(3))
    if kind == 9:
        return chr(rng.randint(0x2000, 0x2bff))
    c = rng.randint(0, 0x10ffff)
    return chr(c if not 0xd800 <= c < 0xe000 else c - 0x800)  # no surrogates: a link is UTF-8


def unicode_text(rng: random.Random, low: int = 0, high: int = 12) -> str:
    return "".join(unicode_char(rng) for _ in range(rng.randint(low, high)))


def long_text(rng: random.Random) -> str:
    kind = rng.randrange(8)
    if kind == 0:
        return "9" * rng.randint(4295, 4305)  # int() refuses more than 4300 digits
    if kind == 1:
        return "1" * rng.choice([4300, 4301]) if rng.random() < 0.5 else "0" * 4300 + rng.choice(["", "1", "_1"])
    if kind == 2:
        return "1_" * rng.randint(2148, 2152) + "1"
    if kind == 3:
        return str(rng.getrandbits(rng.randint(200, 3000)))
    if kind == 4:
        return " " * rng.randint(100, 2000) + number_text(rng)
    if kind == 5:
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(300, 800)))
        return f"{digits}e-{rng.randint(300, 900)}"
    if kind == 6:
        return ",".join(rng.choice(NAMES) for _ in range(rng.randint(20, 200)))
    return unicode_text(rng, 100, 300)


def optimizer_list(rng: random.Random) -> str:
    names = rng.sample(RULES, rng.randint(1, len(RULES)))[:rng.choice([1, 2, 3, 4, 4, 5, 8])]
    out = []
    for name in names:
        r = rng.random()
        if r < 0.15:
            name = name.upper() if rng.random() < 0.5 else name.capitalize()
        elif r < 0.25:
            name = rng.choice(SPACES) + name + rng.choice(SPACES + [""])
        elif r < 0.32:
            name = rng.choice(["lbfgs", "Adam", "", " ", "sgd ", "rms prop", "adamw", "ΣGD", "gD", "\u212aeep"])
        elif r < 0.36:
            name = unicode_text(rng, 1, 8)
        out.append(name)
        if rng.random() < 0.08:
            out.append(rng.choice(names))
    return ",".join(out)


def fitting(rng: random.Random, key: str) -> str:
    """A value of the kind ``key`` takes, in range more often than not."""
    target, _, name = key.rpartition(".")
    if key == "optimizer":
        return optimizer_list(rng)
    if key == "objective":
        return rng.choice(list(OBJECTIVES) + ["general"] * 3 + ["General", " bowl", "booth"])
    if key == "convention":
        return rng.choice(["d2l", "torch", "torch", "Torch", " d2l ", "keras"])
    if key == "condition":
        return rng.choice([repr(rng.uniform(1, 1000)), str(rng.randint(0, 1001)), f"{10 ** rng.uniform(0, 3):g}"])
    if key == "angle":
        return rng.choice([repr(rng.uniform(-180, 180)), str(rng.randint(-181, 181)), f"{rng.uniform(-180, 180):g}"])
    if key == "start":
        x = lambda: rng.choice([repr(rng.uniform(-10, 10)), repr(rng.uniform(-1.1e6, 1.1e6)),  # noqa: E731
                                str(rng.randint(-6, 6)), f"{rng.uniform(-1, 1) * 10 ** rng.randint(-9, 7):g}"])
        return f"{x()},{x()}"
    if key == "steps":
        return str(rng.choice([rng.randint(-2, 520), rng.randint(1, 200), rng.randint(400, 100_002), 500, 501]))
    if key == "seed":
        return str(rng.choice([rng.randint(0, 2 ** 32 - 1), rng.randint(-3, 3), 2 ** 32 - 1 + rng.randint(-1, 2)]))
    if key in IGNORE:
        return rng.choice(["dark", "light", "lab", "../x"])
    specs = [s[name] for table in SPECS.values() for rule, s in table.items()
             if name in s and target in ("", rule)]
    if not specs:
        return rng.choice([number_text(rng), unicode_text(rng, 0, 6)])
    spec = rng.choice(specs)
    if spec.choices == (True, False):
        return rng.choice(WORDS)
    if spec.is_choice:
        return rng.choice(list(spec.choices) + ["Constant", "linear", " constant", "exponential "])
    if spec.scale == "log":
        value = 10.0 ** rng.uniform(math.log10(spec.low) - 0.5, math.log10(spec.high) + 0.5)
    else:
        value = rng.uniform(spec.low - 0.1, spec.high + 0.1)
    return rng.choice([repr(value), f"{value:g}", f"{value:.3g}", repr(spec.default), repr(spec.low), repr(spec.high)])


def value_for(rng: random.Random, key: str) -> str:
    r = rng.random()
    if r < 0.35:
        return fitting(rng, key)
    if r < 0.52:
        return rng.choice(HOSTILE_VALUES)
    if r < 0.64:
        return number_text(rng)
    if r < 0.78:
        return unicode_text(rng)
    if r < 0.9975:
        return decorate(rng, fitting(rng, key) if rng.random() < 0.6 else number_text(rng))
    return long_text(rng)


JUNK_KEYS = ["x.y.z", ".eta", "gd.", "momentum.eta.x", "adam.ETA", "Optimizer", " steps ", "eta\t", "\x1ceta",
             "\x85seed", "\ufeffeta", "\u200beta", "unknown", "lr", "alpha", "é", "🙂", "a=b", "a&b", "+", "%",
             "__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "0", "1", "10", "-1",
             "rmsprop.__proto__", "gd.constructor", "__proto__.eta", "Σ.eta", "GD.eta", " gd.eta", "gd .eta"]


def random_key(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.8:
        return rng.choice(KEYS)
    if r < 0.95:
        return rng.choice(JUNK_KEYS)
    return unicode_text(rng, 0, 8)


def random_pairs(rng: random.Random) -> list[tuple[str, str]]:
    count = min(rng.randint(1, 12), rng.randint(1, 12))  # 1 to 12, fewer more often: the file stays small
    pairs = [(random_key(rng), "") for _ in range(count)]
    if rng.random() < 0.6:  # most links name their optimizers, so that dotted keys have something to match
        pairs.insert(rng.randrange(len(pairs) + 1), ("optimizer", ""))
    if rng.random() < 0.3:
        pairs.insert(rng.randrange(len(pairs) + 1), ("objective", "general"))
    return [(k, v or value_for(rng, k)) for k, v in pairs][:12]


def percent(ch: str, rng: random.Random) -> str:
    text = quote(ch, safe="")
    return text.lower() if rng.random() < 0.3 else text


def raw_part(rng: random.Random, text: str) -> str:
    """``text`` written by hand: some characters percent-encoded, some spaces as '+', some broken escapes."""
    out = []
    for ch in text:
        r = rng.random()
        if ch in "&=%+#" or r < 0.25:
            out.append(percent(ch, rng))
        elif ch == " " and r < 0.5:
            out.append("+")
        else:
            out.append(ch)
        if rng.random() < 0.04:
            out.append(rng.choice(["%", "%4", "%zz", "%C3", "%c3%28", "%E2%82", "%ED%A0%80", "%F0%9F%99", "%FF",
                                   "%C0%AF", "%EF%BB%BF", "%F4%90%80%80", "%E0%80%80", "+", "%2", "%%41", "%u0041",
                                   "\ud800", "\udfff", "%00", "%1C", "%C2%85", "%E3%80%80", "%EF%BC%91"]))
    return "".join(out)


def raw_query(rng: random.Random) -> str:
    fields = []
    for key, value in random_pairs(rng):
        r = rng.random()
        if r < 0.08:
            fields.append(raw_part(rng, key))  # no '=': a blank value
        elif r < 0.12:
            fields.append("")  # '&&'
        else:
            fields.append(raw_part(rng, key) + "=" + raw_part(rng, value) + rng.choice(["", "", "", "=", "=x"]))
    return rng.choice(["", "", "?", "??", "&"]) + "&".join(fields) + rng.choice(["", "", "&", "&="])


def handmade_queries() -> list[str]:
    """Links written to hit one rule each: the issue's links, Python's parsing of numbers and text, the notes."""
    sigma = ["ΑΣ", "Σ", "AΣ1", "A'Σ", "ΣΑ", "AΣ'B", "AΣ\u0301", "A\u0301Σ", "1Σ", "ΑΣΣ", "ͅΣ", "AͅΣ", "ǅΣ", "ΣΣΣ",
             "İ", "\u212aeep", "ẞ", "ΐ", "Ａdam", "ＧＤ", "ǲ", "ᾈ"]
    queries = [
        "optimizer=rmsprop&eta=0.4&gamma=0.9&steps=20",
        "optimizer=gd,momentum&momentum.eta=0.6&momentum.beta=0.5",
        "optimizer=gd,momentum,adam&momentum.eta=0.6&adam.bias_correction=off&start=-3,1.5&steps=200",
        "optimizer=adadelta&convention=torch&eta=3&rho=0.5", "optimizer=adadelta&eta=3",
        "optimizer=adadelta,gd&eta=3", "optimizer=adadelta,adagrad&convention=torch&eta=3",
        "optimizer=sgd&schedule=polynomial&seed=7&objective=bowl",
        "optimizer=nesterov&objective=general&condition=50&angle=30",
        "seed=-1", "optimizer=sgd&seed=-1", "objective=general&condition=0", "objective=general&angle=999",
        "optimizer=rmsprop&steps=100000", "condition=5&angle=3", "angle=3&objective=general",
        "objective=general&condition=1000&angle=-180", "objective=general&condition=1&angle=180",
        "objective=general&condition=1e3&angle=-0", "objective=general&condition=nan&angle=inf",
        "optimizer=" + ",".join(RULES), "optimizer=,,,", "optimizer=", "optimizer= , GD ,Adam,gd,adam",
        "optimizer=" + ",".join(sigma), "optimizer=gd&optimizer=adam", "eta=1&optimizer=gd&eta=2",
        "optimizer=gd,momentum&momentum.eta=0.1&eta=0.2", "optimizer=gd,momentum&eta=0.2&momentum.eta=0.1",
        "optimizer=gd,adam&bias_correction=off", "optimizer=adam&adam.bias_correction=YES",
        "optimizer=adam&bias_correction=true%20", "optimizer=adam&bias_correction=%C4%B0",
        "optimizer=sgd&schedule=Constant",
        "optimizer=sgd&schedule=%20constant", "optimizer=sgd,gd&schedule=exponential",
        "start=1e9,0", "start=nan,1", "start=,", "start=1,2,3", "start=-0,0", "start=1e6,-1e6",
        "start=1000000.0000000001,0", "start=%D9%A1,%D9%A2", "eta=-0", "optimizer=momentum&beta=-0",
        "optimizer=momentum&beta=-0.0&eta=1e-5", "eta=100.00000000000001", "eps=1e-12", "eps=9.99999999999999e-13",
        "eta=1234565", "eta=100.0625", "eta=999998.5", "eps=2.5", "eta=1e400", "eta=-1e400", "eta=nan",
        "steps=" + "1" * 4300, "steps=" + "1" * 4301, "steps=" + "0" * 4300 + "1", "steps=" + "0" * 4299 + "1",
        "steps=1_0", "steps=%EF%BC%91%EF%BC%92", "steps=%1C5", "steps=%C2%855", "steps=%E3%80%805",
        "steps=%EF%BB%BF5", "steps=5%00", "steps=-0", "steps=0", "steps=501", "steps=500", "steps=+7",
        "steps=99999999999999999999", "steps=-99999999999999999999", "steps=1e3", "steps=12.0",
        "seed=4294967295", "seed=4294967296", "seed=-0", "seed=0_0", "seed=%D9%A3",
        "%EF%BB%BFoptimizer=gd", "%1Coptimizer=gd", "%C2%85steps=3", "%E2%80%8Bsteps=3", "+steps+=3",
        "?optimizer=gd", "??optimizer=gd", "?", "", "&", "&&", "=", "==", "=&=", "%ZZ=%&&&==&optimizer",
        "theme=dark&template=lab&optimizer=gd", "theme", "optimizer=gd&gd.eta=0.5&momentum.eta=0.5",
        "optimizer=gd&x.y.z=1", "optimizer=gd&.eta=0.5", "optimizer=gd&gd.=1", "optimizer=gd&=1",
        "optimizer=gd&__proto__=1&constructor=2&toString=3", "optimizer=gd&gd.__proto__=1",
        "optimizer=gd&0=1&1=2", "optimizer=adam&ETA=1", "convention=Torch", "convention=%20torch%0A",
        "objective=%20general%20&condition=3", "objective=General", "optimizer=rmsprop&rmsprop.__class__=1",
        "optimizer=rmsprop&eta=1e309&gamma=nan&steps=99999999999999999999", "optimizer=" + "a," * 5000,
        "eta=" + "9" * 5000, "optimizer=gd%00rmsprop&eta=0.1%0a", "optimizer=rmsprop&eta=lambda: 0&gamma={{7*7}}",
        "optimizer=adam&bias_correction=__import__&schedule=os.system", "eta=%C3", "eta=%C3%28",
        "eta=%ED%A0%80", "eta=%F0%9F%99", "eta=%F0%9F%99%82", "eta=%C0%AF", "eta=%F4%90%80%80", "eta=%E0%80%80",
        "eta=%c3%a9", "eta=%C3%A9%", "eta=%%41", "eta=%u0041", "eta=a+b%2Bc", "eta=é%C3%A9", "eta=%C3é%A9",
        "eta=\ud800", "eta=\udfffx", "eta=𝟏", "eta=\U0001d7ce.5", "eta=\u0661\u066b\u0665",
        "optimizer=adam&eps=1e-13&beta1=1.0000000000000002&beta2=-1e-300&eta=1e-5",
    ]
    queries += [f"steps={chr(z + 7)}" for z in DIGIT_ZEROS]  # every script's digits, in steps (int) and eta (float)
    queries += [f"eta={quote(chr(z + 1) + '.' + chr(z + 5))}" for z in DIGIT_ZEROS]
    queries += [f"steps={quote(s)}4" for s in SPACES + NOT_SPACES] + [f"eta=0.{quote(s)}" for s in SPACES + NOT_SPACES]
    queries += [f"optimizer=gd,{quote(s)}adam{quote(s)}" for s in SPACES + NOT_SPACES]
    return queries


# --- records ------------------------------------------------------------------------------------------------------


def query_record(query: str) -> dict[str, Any]:
    lesson, notes = Lesson.from_query(query, ignore=IGNORE)
    return {"query": query, "lesson": lesson_state(lesson), "notes": notes, "link": lesson.to_query()}


def queries() -> list[dict[str, Any]]:
    rng = random.Random(SEED)
    drawn = [urlencode(random_pairs(rng)) for _ in range(QUERIES)] + [raw_query(rng) for _ in range(RAW_QUERIES)]
    return [query_record(q) for q in handmade_queries() + drawn]


def number(rng: random.Random, spec) -> float:
    r = rng.random()
    if r < 0.1:
        return rng.choice([spec.low, spec.high, spec.default])
    if spec.scale == "log":
        value = 10.0 ** rng.uniform(math.log10(spec.low), math.log10(spec.high))
    else:
        value = rng.uniform(spec.low, spec.high)
    if r < 0.4:  # a slider's or a teacher's round number
        value = float(f"{value:.{rng.randint(1, 3)}g}")
    return min(max(value, spec.low), spec.high)


def coordinate(rng: random.Random) -> float:
    r = rng.random()
    if r < 0.3:
        return float(rng.randint(-6, 6))
    if r < 0.5:
        return round(rng.uniform(-6, 6), rng.randint(1, 3))
    if r < 0.7:
        return rng.choice([-1, 1]) * 10.0 ** rng.uniform(-320, 6)
    return rng.uniform(-1e6, 1e6)


def general_params(rng: random.Random) -> tuple[float, float]:
    r = rng.random()
    if r < 0.2:
        return float(rng.choice([1, 2, 5, 10, 20, 50, 100, 1000])), float(rng.choice([-180, -90, -45, 0, 30, 90, 180]))
    if r < 0.4:
        return float(f"{rng.uniform(1, 1000):.3g}"), float(rng.randint(-180, 180))
    return 10.0 ** rng.uniform(0, 3), rng.uniform(-180, 180)


def random_lesson(rng: random.Random) -> Lesson:
    convention = rng.choice(CONVENTIONS)
    names = tuple(rng.sample(RULES, rng.randint(1, MAX_OPTIMIZERS)))
    hp = {}
    for name in names:
        hp[name] = {key: rng.choice(spec.choices) if spec.is_choice else number(rng, spec)
                    for key, spec in SPECS[convention][name].items() if rng.random() < 0.6}
    objective = rng.choice(list(OBJECTIVES))
    condition, angle = general_params(rng) if objective == "general" else (20.0, 0.0)
    start = (coordinate(rng), coordinate(rng)) if rng.random() < 0.8 else (-5.0, -2.0)
    steps = rng.randint(1, PAGE_STEPS) if rng.random() < 0.9 else rng.randint(PAGE_STEPS + 1, MAX_STEPS)
    seed = rng.choice([0, 0, rng.randint(0, 2 ** 32 - 1), 2 ** 32 - 1])
    return Lesson(optimizers=names, hyperparameters=hp, objective=objective, condition=condition, angle=angle,
                  start=start, steps=steps, convention=convention, seed=seed)


def lessons() -> list[dict[str, Any]]:
    rng = random.Random(SEED + 1)
    out = []
    for lesson in [Lesson()] + [random_lesson(rng) for _ in range(LESSONS)]:
        link = lesson.to_query()
        back, notes = Lesson.from_query(link)
        out.append({"lesson": lesson_state(lesson), "link": link, "back": lesson_state(back), "notes": notes})
    return out


def latex() -> list[list[Any]]:
    rng = random.Random(SEED + 2)
    pairs = [(c, a) for c in (1.0, 1.0000001, 2.0, 20.0, 1000.0) for a in (-180.0, -90.0, -45.0, 0.0, -0.0, 1e-9,
                                                                             30.0, 90.0, 135.0, 180.0)]
    pairs += [general_params(rng) for _ in range(LATEX)]
    return [[c, a, general(c, a).latex] for c, a in pairs]


def strings() -> list[list[Any]]:
    """Python's repr, strip, lower, int and float (repr) of test strings; None where int() or float() refuse.

    Besides drawn text, the characters on both sides of each run's ends in the Unicode tables, so a table read
    wrongly by one code point shows."""
    rng = random.Random(SEED + 3)
    tables = unicode_tables()
    edges = []
    for key in ("space", "decimal", "unprintable", "caseIgnorable", "cased"):
        numbers, end = [int(v, 16) for v in tables[key].split(",")], 0
        for gap, length in zip(numbers[::2], numbers[1::2], strict=True):
            start, end = end + gap, end + gap + length
            edges += [c for c in (start - 1, start, end - 1, end) if 0 <= c < 0x110000 and not 0xd800 <= c < 0xe000]
    samples = ["".join(chr(c) for c in edges[i:i + 40]) for i in range(0, len(edges), 40)]
    samples += ["A" + chr(c) + "Σ" + chr(c) + " " + chr(c) + "ΣA" + chr(c) for c in edges[::7]]  # Final_Sigma
    samples += HOSTILE_VALUES + EDGES + TRICKY + WORDS + NAMES
    samples += [decorate(rng, number_text(rng)) for _ in range(300)] + [unicode_text(rng) for _ in range(300)]
    samples += ["'", '"', "'\"", "\\", "a'b", 'a"b', "'\\\"", "\ud800", "a\udfffb", "\x00\x7f\x80\x9f\xa0\xad"]
    return [[s, repr(s), s.strip(), s.lower(), _parsed(int, s), _parsed(float, s)] for s in samples]


def _parsed(kind: type, text: str) -> str | None:
    """repr(kind(text)), or None where Python refuses the text."""
    try:
        return repr(kind(text))
    except ValueError:
        return None


def numbers() -> list[list[Any]]:
    """repr, :g and .4g of floats: exact ties (Python rounds them to even), edges and drawn ones."""
    rng = random.Random(SEED + 4)
    values = [0.0, -0.0, 2.5, 1234565.0, 100.0625, 999999.5, 999998.5, 0.125, 0.375, 12.5, 0.5, 1.5, 1e16, 1e15,
              9999999999999998.0, 1e-4, 1e-5, 0.0001234565, 5e-324, 1.7976931348623157e308, 2.2250738585072014e-308]
    values += [k / 2 ** s for k in (1, 3, 5, 25, 125, 12345, 123455, 1234565, 2469131) for s in range(0, 24, 3)]
    values += [random_double(rng) for _ in range(600)]
    values = [v for v in values if math.isfinite(v)]
    return [[v, repr(v), f"{v:g}", f"{v:.4g}"] for v in values]


def write(data: dict[str, Any]) -> str:
    """Compact JSON with one record per line, so that a change of Python's answers shows as a readable diff.

    Text is written as UTF-8, except lone surrogates (a link's raw text may hold them), which UTF-8 cannot hold."""
    def dumps(value: Any) -> str:
        text = json.dumps(value, separators=(",", ":"), allow_nan=False, ensure_ascii=False)
        return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)

    parts = []
    for key, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], (dict, list)):
            body = "[\n" + ",\n".join(dumps(v) for v in value) + "\n]"
        else:
            body = dumps(value)
        parts.append(f"{json.dumps(key)}:{body}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def golden() -> str:
    data = {"generator": "js/test/make_links_golden.py", "python": f"{sys.version_info.major}.{sys.version_info.minor}",
            "unicode": unicodedata.unidata_version, "ignore": list(IGNORE), "config": config(),
            "queries": queries(), "lessons": lessons(), "latex": latex(), "strings": strings(), "numbers": numbers()}
    return write(data)


def main() -> int:
    text = golden()
    OUT.write_text(text, encoding="utf-8")
    LINK_JS.write_text(with_tables(LINK_JS.read_text(), tables_block(unicode_tables())))
    print(f"wrote {OUT} ({len(text.encode()) // 1024} KB) and the tables of {LINK_JS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
