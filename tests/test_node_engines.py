"""`cd js && npm ci` on the Node the README names: js/package.json declares it (``engines``), and every package in
the lock file accepts it, so npm prints no EBADENGINE warning (CI runs ``npm ci --engine-strict``, which fails on
one). Read from the files, so this holds without Node installed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_COMPARATOR = re.compile(r"^(>=|<=|>|<|=|\^|~)?\s*v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?$")


def _satisfies(version: tuple[int, int, int], spec: str) -> bool:
    """Whether ``version`` is in the npm semver range ``spec`` (the subset engines fields use: ``||``, AND by
    spaces, >=, >, <=, <, =, ^, ~, x-ranges). Anything else raises, so an unread range never passes unseen."""
    return any(all(_one(version, c) for c in _comparators(alternative)) for alternative in spec.split("||"))


def _comparators(alternative: str) -> list[str]:
    # ">= 18" is one comparator with a space inside
    parts = re.findall(r"(?:>=|<=|>|<|=|\^|~)?\s*[vV]?[\dxX*][\w.*]*", alternative.strip())
    if not parts and alternative.strip() not in ("", "*"):
        raise ValueError(f"The 'spec' parameter must be an npm semver range. Got {alternative!r} instead.")
    return parts


def _one(version: tuple[int, int, int], comparator: str) -> bool:
    m = _COMPARATOR.match(comparator.strip())
    if not m:
        raise ValueError(f"The 'comparator' parameter must be an npm semver comparator. Got {comparator!r} instead.")
    op, *raw = m.groups()
    wild = [p is None or p in "xX*" for p in raw]
    nums = [0 if w else int(p) for p, w in zip(raw, wild, strict=True)]
    given = next((i for i, w in enumerate(wild) if w), 3)  # how many parts were written
    low = tuple(nums)
    if op in (None, "=") and given < 3:  # "20" or "20.x": that whole major (or minor)
        op = "~" if given == 2 else "^" if given == 1 else None
        if given == 0:
            return True
    if op in (None, "="):
        return version == low
    if op == ">=":
        return version >= low
    if op == ">":
        return version > low if given == 3 else version[:given] > low[:given]
    if op == "<=":
        return version <= low if given == 3 else version[:given] <= low[:given]
    if op == "<":
        return version < low
    if op == "~":  # ~1.2.3: >=1.2.3 <1.3.0; ~1: >=1 <2
        return low <= version and version[:max(1, min(given, 2))] == low[:max(1, min(given, 2))]
    # ^: the left-most non-zero part is fixed
    fixed = next((i for i, n in enumerate(low[:given]) if n != 0), given - 1) + 1
    return low <= version and version[:fixed] == low[:fixed]


@pytest.mark.parametrize(("spec", "inside", "outside"), [
    (">=20", "20.0.0", "18.20.0"), (">= 18", "20.0.0", "16.0.0"), (">=22.12.0", "22.12.0", "20.20.2"),
    ("^16 || ^18 || >=20", "18.3.0", "17.0.0"), ("*", "20.0.0", None), (">= 12.0.0", "20.0.0", "11.9.9"),
    (">=0.1.90", "20.0.0", None), ("^20.9.0", "20.9.0", "21.0.0"), ("~20.1", "20.1.5", "20.2.0"),
    (">=18 <21", "20.0.0", "21.0.0"), ("20.x", "20.3.1", "21.0.0"),
])
def test_the_range_reader_reads_ranges_as_npm_does(spec, inside, outside):
    def version(text):
        return tuple(int(p) for p in text.split("."))

    assert _satisfies(version(inside), spec)
    if outside:
        assert not _satisfies(version(outside), spec)


def test_every_package_in_the_lock_file_runs_on_the_node_package_json_names():
    package = json.loads((ROOT / "js" / "package.json").read_text())
    declared = package["engines"]["node"]
    m = re.fullmatch(r">=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?", declared)
    assert m, f"js/package.json's engines.node should be a lower bound such as '>=20'. Got {declared!r} instead."
    oldest = tuple(int(p or 0) for p in m.groups())
    assert oldest[0] <= 20, "Node 20 is what this machine, CI and many teachers have"
    lock = json.loads((ROOT / "js" / "package-lock.json").read_text())
    assert lock["packages"][""].get("engines", {}).get("node") == declared, "run: cd js && npm install"
    refusing = {name: info["engines"]["node"] for name, info in lock["packages"].items()
                if name and isinstance(info.get("engines"), dict) and "node" in info["engines"]
                and not _satisfies(oldest, info["engines"]["node"])}
    assert refusing == {}, f"these packages want a newer Node than {declared}: npm ci would warn EBADENGINE"
