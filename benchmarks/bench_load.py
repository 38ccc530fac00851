"""How many students one ``trajectories serve`` seats: classes of protocol-level students, no browsers.

For each class size N (default 10, 30, 100, 300), arriving at the same second and then evenly over 60 s, on the
server's two cores and then with the server limited to one (``taskset -c 0``), this starts a fresh server of this
checkout with a pool of preheated kernels the size of the class (at most 64, and no more than the memory left once
the class has its own kernels: what a server for such a class should keep), waits until the pool is ready and
quiet, and lets N
students of ``students.py`` arrive (the page, its 95 files with gzip, the kernel websocket, the app's state).
Then each student sends the lessons of five key presses on eta about a second apart and waits for the kernel's
echo, two students export the SVG, and all leave as closed tabs do.

Reported per class: time to ready (from a student's first request to the app's state arriving) median and p95;
server CPU (Voila and all its kernels, live or exited, from /proc) per arrival, from the first request until
every student is ready and the server is quiet again (so the pool's refill is counted), and per key press, net of
what the connected class costs idle; the server's memory (PSS) per student, with the class connected, over the
idle server with its pool; errors (a student not ready, a file not served as recorded, a press not echoed, an
Export misnamed). Then the largest class that seats with p95 <= 20 s, per number of cores, and a plot of time to
ready against students (``--plot``).

The students run in this process, on the same machine: with the server on one core they are kept on the other
(``taskset``); on two cores they share them, and their own CPU per arrival is printed. Bounded: every wait has a
timeout, a class that runs out of time is stopped, and a class is not started (or is stopped) when the machine's
available memory would fall under ``--memory-floor`` GB (300 kernels of about 50 MB each, plus the pool, is most of
this machine's 24 GB). Only 127.0.0.1.

Usage::

    python benchmarks/bench_load.py                                  # the whole curve, table and plot
    python benchmarks/bench_load.py --students 30 --spread 0 --cores 2   # one class: 30 at once, two cores
    python benchmarks/bench_load.py --students 30 --spread 0 --cores 2 --root /tmp/other-checkout  # compare
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_class import load, pss_mb, server_cpu, server_pss  # noqa: E402
from procstats import median, percentile, process_cpu  # noqa: E402
from servers import READY_PATH, free_port, kernel_pids, start_server, stop_server, wait_ready  # noqa: E402
from students import Replay, load_recording  # noqa: E402

from trajectories.serve import MAX_POOL_SIZE  # noqa: E402

TARGET_P95_S = 20.0
CLASS_TIMEOUT_S = 900  # one class, from the first arrival to the last export
STUDENT_TIMEOUT_S = 600  # one student's wait for the page and the app's state
EXPORTS = 2
MEMORY_MARGIN_GB = 2.0  # kept free for the machine's other work, over --memory-floor, when sizing the pool
QUIET_TIMEOUT_S = 600  # a pool of 64 kernels starting, or refilling, on one core


def available_gb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 2**20
    return float("nan")


def own_cpu() -> float:
    return process_cpu(os.getpid()) or 0.0


async def quiet(pid: int, kernels: int, timeout: float = QUIET_TIMEOUT_S) -> float:
    """Wait until the server has ``kernels`` kernels and spends no more than an idle server of that many kernels
    (2% of a core, plus 0.5 ms a second per kernel: Voila polls each kernel's process and heartbeat; 164 idle
    kernels measured 46 ms a second); return the wait. A kernel starting spends hundreds of ms a second."""
    t0 = time.monotonic()
    history: list[float] = []
    while time.monotonic() - t0 < timeout:
        history.append(sum(server_cpu(pid)))
        if (len(history) > 4 and history[-1] - history[-5] < 2 * (0.02 + 0.0005 * kernels)
                and len(kernel_pids(pid)) == kernels):
            break
        await asyncio.sleep(0.5)
    return time.monotonic() - t0


class OutOfMemory(RuntimeError):
    pass


async def watch_memory(floor_gb: float, stop: asyncio.Event) -> None:
    """Stop the class when the machine's available memory falls under ``floor_gb``."""
    while not stop.is_set():
        if available_gb() < floor_gb:
            raise OutOfMemory(f"available memory fell under {floor_gb:g} GB")
        await asyncio.sleep(0.5)


def pool_size(n: int, kernel_mb: float, floor_gb: float) -> int:
    """The pool a server for ``n`` students should keep: the class size, at most MAX_POOL_SIZE, and no more kernels
    than the memory left once the class has its own (with ``floor_gb`` and 2 GB for the machine's other work)."""
    room = int((available_gb() - floor_gb - MEMORY_MARGIN_GB) * 1024 / kernel_mb) - n
    return max(0, min(n, MAX_POOL_SIZE, room))


async def one_class(n: int, spread: float, cores: int, pool: int, presses: int, root: Path, log_path: Path,
                    floor_gb: float, kernel_mb: float) -> dict:
    r: dict = {"n": n, "spread": spread, "cores": cores, "pool": pool, "load": [load()], "errors": [],
               "stopped": None}
    need_gb = (n + pool) * kernel_mb / 1024
    if available_gb() - need_gb < floor_gb:
        r["stopped"] = (f"not started: {n} students and a pool of {pool} need about {need_gb:.1f} GB, "
                        f"{available_gb():.1f} GB is available and {floor_gb:g} GB must stay free")
        return r
    prefix = ("taskset", "-c", "0") if cores == 1 else ()
    if cores == 1:
        os.sched_setaffinity(0, {1})  # the students on the other core
    port = free_port()
    with open(log_path, "ab") as log:
        t_start = time.monotonic()
        proc = start_server(port, extra=(f"--pool-size={pool}",), log=log, root=root, prefix=prefix)
    rec = load_recording()
    students = [Replay(f"http://127.0.0.1:{port}/", rec, i, timeout=STUDENT_TIMEOUT_S) for i in range(n)]
    stop = asyncio.Event()
    watchdog = asyncio.ensure_future(watch_memory(floor_gb, stop))
    try:
        wait_ready(f"http://127.0.0.1:{port}/{READY_PATH}", timeout=120, proc=proc)
        await quiet(proc.pid, pool, timeout=QUIET_TIMEOUT_S)
        r["pool_ready_s"] = time.monotonic() - t_start
        r["idle_mb"], _ = server_pss(proc.pid)

        async def arrive(s: Replay) -> None:
            await asyncio.sleep(spread * s.s.index / n)
            await s.arrive()

        async def body() -> None:
            cpu0, me0, t0 = server_cpu(proc.pid), own_cpu(), time.monotonic()
            await asyncio.gather(*(arrive(s) for s in students))
            r["arrival_s"] = time.monotonic() - t0
            r["ready"] = [s.s.ready for s in students if s.s.ready is not None]
            r["html"] = [s.s.html for s in students if s.s.html is not None]
            await quiet(proc.pid, n + pool, timeout=QUIET_TIMEOUT_S)  # the pool refilled: part of the arrivals' cost
            cpu1 = server_cpu(proc.pid)
            r["voila_per_arrival"] = (cpu1[0] - cpu0[0]) / n
            r["kernels_per_arrival"] = (cpu1[1] - cpu0[1]) / n
            r["students_per_arrival"] = (own_cpu() - me0) / n
            r["mb_per_student_wire"] = median([s.s.bytes for s in students]) / 2**20
            r["load"].append(load())

            # key presses, net of what the connected, idle class costs over the same time
            c0, t0 = sum(server_cpu(proc.pid)), time.monotonic()
            await asyncio.sleep(5)
            idle_rate = (sum(server_cpu(proc.pid)) - c0) / (time.monotonic() - t0)

            async def press(s: Replay) -> None:
                await asyncio.sleep(3 * s.s.index / n)
                for k in range(1, presses + 1):
                    if k > 1:
                        await asyncio.sleep(0.8 + 0.04 * (s.s.index % 10))
                    await s.press(k)

            c0, t0 = sum(server_cpu(proc.pid)), time.monotonic()
            await asyncio.gather(*(press(s) for s in students))
            await asyncio.sleep(1)
            done = sum(len(s.s.presses) for s in students)
            spent = sum(server_cpu(proc.pid)) - c0 - idle_rate * (time.monotonic() - t0)
            r["ms_per_press"] = 1000 * spent / done if done else float("nan")
            r["press_ms"] = [m for s in students for m in s.s.presses]
            r["total_mb"], r["kernels"] = server_pss(proc.pid)
            r["per_student_mb"] = (r["total_mb"] - r["idle_mb"]) / n
            await asyncio.gather(*(s.export() for s in students[:: max(1, n // EXPORTS)][:EXPORTS]))
            r["load"].append(load())

        work = asyncio.ensure_future(body())
        finished, _ = await asyncio.wait({work, watchdog}, timeout=CLASS_TIMEOUT_S,
                                         return_when=asyncio.FIRST_COMPLETED)
        if work in finished:
            work.result()
        elif watchdog in finished:
            work.cancel()
            r["stopped"] = f"stopped: {watchdog.exception()}"
        else:
            work.cancel()
            r["stopped"] = f"stopped: the class took more than {CLASS_TIMEOUT_S} s"
    finally:
        stop.set()
        watchdog.cancel()
        await asyncio.gather(*(s.leave() for s in students), return_exceptions=True)
        stop_server(proc)
        if cores == 1:
            os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    r["errors"] = [e for s in students for e in s.s.errors]
    if r["stopped"]:
        r["errors"].append(r["stopped"])
    return r


def kernel_size_mb(root: Path, log_path: Path) -> float:
    """PSS of one preheated kernel, measured on a server with a pool of 4: about what each student's costs."""
    port = free_port()
    with open(log_path, "ab") as log:
        proc = start_server(port, extra=("--pool-size=4",), log=log, root=root)
    try:
        wait_ready(f"http://127.0.0.1:{port}/{READY_PATH}", timeout=120, proc=proc)
        asyncio.run(quiet(proc.pid, 4))
        kernels = kernel_pids(proc.pid)
        return sum(pss_mb(k) for k in kernels) / max(1, len(kernels))
    finally:
        stop_server(proc)


# ---- the report ------------------------------------------------------------------------------------------------
def _s(values: list[float]) -> str:
    return f"{median(values):.1f} / {percentile(values, 0.95):.1f}" if values else "none"


def who(r: dict) -> str:
    return f"{r['n']} at once" if not r["spread"] else f"{r['n']} over {r['spread']:g} s"


def report(results: list[dict]) -> None:
    def num(r: dict, key: str, fmt: str) -> str:
        return format(r[key], fmt) if key in r else "-"

    print()
    print("| cores | students | pool | time to ready median / p95 (s) | server CPU per arrival, Voila + kernels (s) | "
          "server CPU per key press (ms) | server memory (PSS) per student (MB) | errors | load 1 min: before, "
          "after arrival, after presses |")
    print("|---:|---|---:|---|---|---:|---:|---:|---|")
    for r in results:
        cpu = (f"{r['voila_per_arrival']:.2f} + {r['kernels_per_arrival']:.2f} = "
               f"{r['voila_per_arrival'] + r['kernels_per_arrival']:.2f}" if "voila_per_arrival" in r else "-")
        ready = _s(r["ready"]) + ("" if len(r["ready"]) == r["n"] else f" ({len(r['ready'])} ready)") \
            if r.get("ready") else "none"
        errors = f"{len(r['errors'])}" + (f" ({r['stopped']})" if r["stopped"] else "")
        print(f"| {r['cores']} | {who(r)} | {r['pool']} | {ready} | {cpu} | {num(r, 'ms_per_press', '.0f')} | "
              f"{num(r, 'per_student_mb', '.0f')} | {errors} | {', '.join(x.split()[0] for x in r['load'])} |")
    for cores in sorted({r["cores"] for r in results}, reverse=True):
        print(f"\n{cores} core{'s' if cores > 1 else ''}: {seats(results, cores)}")
    for r in results:
        if "students_per_arrival" in r:
            print(f"\n{who(r)}, {r['cores']} core(s), pool {r['pool']}: pool ready and quiet {r['pool_ready_s']:.0f} s "
                  f"after the server started; arrival took {r['arrival_s']:.0f} s; HTML received "
                  f"{_s(r['html'])} s; {r['mb_per_student_wire']:.2f} MB on the wire per student; the students' "
                  f"own CPU {r['students_per_arrival']:.2f} s per arrival; key press round trip "
                  f"{_s([m / 1000 for m in r['press_ms']])} s.")


def seats(results: list[dict], cores: int) -> str:
    """The largest class arriving at once that was ready at p95 <= 20 s with no error, and between which sizes
    the limit lies (linear between the measured p95s)."""
    rows = sorted((r for r in results if r["cores"] == cores and not r["spread"]), key=lambda r: r["n"])
    ok = [r for r in rows if r.get("ready") and not r["errors"] and percentile(r["ready"], 0.95) <= TARGET_P95_S
          and len(r["ready"]) == r["n"]]
    if not ok:
        return f"no class size measured was ready at p95 <= {TARGET_P95_S:g} s"
    best = max(ok, key=lambda r: r["n"])
    above = [r for r in rows if r["n"] > best["n"]]
    text = f"the largest class measured that is ready at p95 <= {TARGET_P95_S:g} s: {best['n']} at once"
    if above and above[0].get("ready") and len(above[0]["ready"]) == above[0]["n"]:
        a, b = best, above[0]
        pa, pb = percentile(a["ready"], 0.95), percentile(b["ready"], 0.95)
        if pb > pa:
            limit = a["n"] + (TARGET_P95_S - pa) * (b["n"] - a["n"]) / (pb - pa)
            text += (f" ({b['n']}: p95 {pb:.0f} s; linear between the two, about {limit:.0f} students reach "
                     f"{TARGET_P95_S:g} s)")
    return text


def plot(results: list[dict], path: Path, title: str) -> None:
    """Time to ready (median and p95) against students, one line per cores and way of arriving."""
    plot_points([(r["cores"], bool(r["spread"]), r["n"], median(r["ready"]), percentile(r["ready"], 0.95))
                 for r in results if r.get("ready")], path, title)


def plot_points(points: list[tuple[int, bool, int, float, float]], path: Path, title: str) -> None:
    """The plot from (cores, over a minute, students, median, p95) points."""
    import textwrap

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.4), layout="constrained")
    styles = {(2, False): ("#0072b2", "-"), (2, True): ("#0072b2", "--"), (1, False): ("#d55e00", "-"),
              (1, True): ("#d55e00", "--")}
    for (cores, spread), (colour, line) in styles.items():
        rows = sorted((p for p in points if p[0] == cores and p[1] == spread), key=lambda p: p[2])
        if not rows:
            continue
        label = f"{cores} core{'s' if cores > 1 else ''}, {'over 60 s' if spread else 'at once'}"
        xs = [p[2] for p in rows]
        ax.plot(xs, [p[4] for p in rows], line, color=colour, marker="o", label=label + ", p95")
        ax.plot(xs, [p[3] for p in rows], line, color=colour, marker=".", alpha=0.45, label=label + ", median")
    ax.axhline(TARGET_P95_S, color="#555555", lw=0.8, ls=":")
    ax.text(min(p[2] for p in points), TARGET_P95_S * 1.08, f"{TARGET_P95_S:g} s", color="#555555", fontsize=8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    sizes = sorted({p[2] for p in points})
    ax.set_xticks(sizes, [str(n) for n in sizes])
    ax.minorticks_off()
    ax.set_xlabel("students")
    ax.set_ylabel("time to ready (s)")
    ax.set_title("\n".join(textwrap.wrap(title, 90)), fontsize=8)
    ax.legend(fontsize=7, ncols=2)
    ax.grid(alpha=0.25, which="both")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> None:
    # Ctrl+C, and SIGTERM, stop the class under way cleanly (its server and kernels too), also when started in the
    # background, where a shell leaves SIGINT ignored.
    signal.signal(signal.SIGINT, _interrupted)
    signal.signal(signal.SIGTERM, _interrupted)
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--students", default="10,30,100,300", help="class sizes (default 10,30,100,300)")
    p.add_argument("--spread", type=float, default=60, help="also each class arriving evenly over this many seconds "
                                                            "(default 60; 0: only at once)")
    p.add_argument("--cores", default="2,1", help="the server's cores: 2 (both), 1 (taskset -c 0); default 2,1")
    p.add_argument("--pool-size", type=int, help=f"trajectories serve --pool-size (default: the class size, at most "
                                                 f"{MAX_POOL_SIZE} and what memory holds)")
    p.add_argument("--presses", type=int, default=5, help="key presses per student (default 5, at most the recorded)")
    p.add_argument("--memory-floor", type=float, default=3.0, help="GB of memory that must stay available "
                                                                   "(default 3)")
    p.add_argument("--plot", type=Path, default=ROOT / "assets" / "class-curve.png", help="where to write the plot "
                   "(default assets/class-curve.png; 'none': no plot)")
    p.add_argument("--root", type=Path, default=ROOT, help="the checkout the server runs (default: this one)")
    args = p.parse_args()
    try:
        sizes = [int(v) for v in args.students.split(",") if v.strip()]
        cores = [int(v) for v in args.cores.split(",") if v.strip()]
    except ValueError:
        p.error(f"--students and --cores must list numbers. Got {args.students!r} and {args.cores!r} instead.")
    if not sizes or any(not 1 <= n <= 400 for n in sizes):
        p.error(f"--students must list class sizes in [1, 400]. Got {args.students!r} instead.")
    if not cores or any(c not in (1, 2) for c in cores) or (1 in cores and (os.cpu_count() or 1) < 2):
        p.error(f"--cores must list 1 and/or 2 on a machine of 2 cores or more. Got {args.cores!r} instead.")
    recorded = len([s for s in load_recording()["websocket"]["steps"] if s["name"].startswith("press")])
    if not 0 <= args.presses <= recorded:
        p.error(f"--presses must be in [0, {recorded}]. Got {args.presses} instead.")
    if not 0 <= args.spread <= 600:
        p.error(f"--spread must be in [0, 600] seconds. Got {args.spread} instead.")
    header = (f"{time.strftime('%Y-%m-%d %H:%M %Z')}: {os.cpu_count()} cores, load average {load()} (1, 5, 15 min), "
              f"{available_gb():.1f} GB available; python benchmarks/bench_load.py {' '.join(sys.argv[1:])}")
    print(f"# {header}", flush=True)
    log_path = Path(tempfile.gettempdir()) / "bench_load_voila.log"
    log_path.write_bytes(b"")
    print(f"# server log: {log_path}", file=sys.stderr)
    kernel_mb = kernel_size_mb(args.root, log_path)
    print(f"# one preheated kernel (with its share of the server): {kernel_mb:.0f} MB PSS", file=sys.stderr)
    t = time.monotonic()
    results = []
    for c in cores:
        for spread in [0.0, *([args.spread] if args.spread else [])]:
            for n in sizes:
                pool = pool_size(n, kernel_mb, args.memory_floor) if args.pool_size is None else args.pool_size
                t1 = time.monotonic()
                r = asyncio.run(one_class(n, spread, c, pool, args.presses, args.root, log_path, args.memory_floor,
                                          kernel_mb))
                results.append(r)
                ready = r.get("ready") or []
                print(f"# {c} core(s), {who(r)}, pool {pool}: {time.monotonic() - t1:.0f} s, ready p95 "
                      f"{percentile(ready, 0.95):.1f} s, {len(r['errors'])} errors, load {load()}",
                      file=sys.stderr, flush=True)
                for e in sorted(set(r["errors"]), key=r["errors"].index)[:6]:
                    print(f"#    x{r['errors'].count(e)} {e}", file=sys.stderr)
    report(results)
    print(f"\n# {time.monotonic() - t:.0f} s in all; load average at the end {load()}")
    if str(args.plot) != "none":
        plot(results, args.plot, f"trajectories serve, protocol-level students ({header.split(';')[0]})")
        print(f"# plot: {args.plot}")


if __name__ == "__main__":
    main()
