"""What the benchmarks read from /proc (Linux) and how they summarise it; shared by bench_slider and bench_class."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values``, linear between neighbours; NaN for no values."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def proc_stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (so field 1 is the parent pid), or None if gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def process_cpu(pid: int, *, reaped: bool = False) -> float | None:
    """utime + stime of ``pid`` in seconds (with ``reaped``, also of its children that exited and were waited
    for), or None if the process is gone."""
    fields = proc_stat(pid)
    if fields is None:
        return None
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if reaped else 0)
    return ticks / TICK


def memory_mb(pid: int) -> dict[str, float]:
    """PSS (shared pages split between the processes that map them), USS (this process's own pages: what its
    exit frees) and RSS, in MB. Raises OSError if the process is gone."""
    kb = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        kb[name] = int(value.split()[0])
    return {"pss": kb["Pss"] / 1024, "uss": (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024,
            "rss": kb["Rss"] / 1024}


def medians_ms(fns: list, repeats: int) -> list[float]:
    """Median time of each function; the functions take turns, so load on a shared machine hits them alike."""
    for fn in fns:
        fn()  # warm: fonts, glyph caches, an encoder's first start
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for fn, ts in zip(fns, times, strict=True):
            t = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t)
    return [1000 * statistics.median(ts) for ts in times]
