"""A class of students on one ``trajectories serve``: N pages open at once, each moving the eta slider.

For each class size N (default 5, 10, 20, 30) the benchmark starts a fresh ``trajectories serve`` (this
checkout on PYTHONPATH, default options: a pool of 2 preheated kernels), opens N pages at the same moment in one
headless Chromium (one browser context per student), and has every student press ArrowRight on ``tj-eta`` a few
times, all at once, with a short pause between presses. It prints, per N:

- time to interactive: from the start of navigation until the eta handle is on screen, the link field is filled
  and the plot canvas shows a figure (median, p95);
- slider to pixels under load: from the page's own keydown event to the first paint of the plot canvas that
  changes its pixels (median, p95);
- server memory: proportional set size (PSS) of the Voila process and all its kernels with the N pages open,
  and the median PSS of one kernel;
- cores busy: CPU seconds per wall second of the Voila process and of the live kernels while the class runs;
- errors: pages that did not become interactive, presses whose pixels never changed, uncaught page errors,
  error text on the page, and a readout that does not follow the link (must all be 0).

A single student (N=1) is measured first in the same run as the baseline; ratios are to it. Browser and server
share this machine, so the numbers are for server plus clients on the same cores: pessimistic for the server.

Every wait is bounded and the server is stopped at the end of each class size; loopback only.

Usage::

    python benchmarks/bench_class.py [--students 5,10,20,30] [--moves 3] [--pool-size 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from servers import READY_PATH, free_port, start_server, stop_server, wait_ready  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
                 "--disable-backgrounding-occluded-windows"]
PAGE_TIMEOUT_MS = 300_000  # a page of the 30th student may wait for 28 kernels to start on 2 cores
MOVE_TIMEOUT_MS = 60_000
LEVEL_DEADLINE_S = 900  # one class size never runs longer than this

# In the page: every drawImage onto the plot's visible canvas is time-stamped (ipympl paints each new frame that
# way). After a keydown, the first such draw that leaves the plot's pixels different from before the key is the
# moment the student sees the change; the pixels are only compared when a draw happened, so waiting costs little.
PAGE_JS = """
() => {
  const b = window.__bench = {t0: null, base: null, lastDraw: 0, checked: 0};
  document.addEventListener('keydown', () => { b.t0 = performance.now(); }, true);
  const draw = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    const result = draw.apply(this, args);
    if (this.canvas.isConnected && this.canvas.closest('.tj-plot')) b.lastDraw = performance.now();
    return result;
  };
  b.sig = () => {
    let h = 0;
    for (const c of document.querySelectorAll('.tj-plot canvas')) {
      if (!c.width || !c.height) continue;
      const d = new Uint32Array(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.buffer);
      for (let i = 0; i < d.length; i += 1) h = (h * 31 + d[i]) | 0;
    }
    return h;
  };
  b.arm = () => { b.t0 = null; b.base = b.sig(); b.checked = performance.now(); };
  b.wait = (timeout) => new Promise((resolve) => {
    const start = performance.now();
    const tick = () => {
      const now = performance.now();
      if (b.t0 !== null && b.lastDraw > b.t0 && b.lastDraw > b.checked) {
        const at = b.lastDraw;
        b.checked = at;
        if (b.sig() !== b.base) { resolve(at - b.t0); return; }
      }
      if (now - start > timeout) { resolve(null); return; }
      setTimeout(tick, 10);
    };
    tick();
  });
}
"""

READY_JS = """
() => {
  const handle = document.querySelector('.tj-eta .noUi-handle');
  const link = document.querySelector('.tj-link input');
  const c = document.querySelector('.tj-plot canvas');
  if (!handle || !link || !link.value.includes('?optimizer=') || !c || !c.width || !c.height) return false;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let dark = 0;
  for (let i = 0; i < d.length; i += 4 * 13) if (d[i + 3] > 0 && d[i] < 128) dark += 1;
  return dark > 50;
}
"""

ERROR_WORDS = ("Traceback", "Error", "Exception")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def _children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(entry.name))
    return kids


def _pss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def server_cpu(server_pid: int) -> dict[int, float]:
    """CPU seconds used so far by the Voila process and by each live kernel, by pid."""
    cpu = {}
    stack = [server_pid]
    while stack:
        pid = stack.pop()
        if pid not in cpu:
            cpu[pid] = _cpu_s(pid)
            stack += _children(pid)
    return cpu


def server_memory(server_pid: int) -> tuple[float, list[float]]:
    """PSS in MB of the whole server (Voila and every descendant) and of each kernel."""
    voila = [server_pid] + _children(server_pid)  # `python -m trajectories serve` runs Voila in-process
    total, kernels = 0.0, []
    seen: set[int] = set()
    stack = list(voila)
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        mb = _pss_mb(pid)
        total += mb
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            cmd = b""
        if b"ipykernel_launcher" in cmd:
            kernels.append(mb)
        stack += _children(pid)
    return total, kernels


class Student:
    def __init__(self, index: int) -> None:
        self.index = index
        self.tti: float | None = None
        self.moves: list[float] = []
        self.errors: list[str] = []


async def student(browser, url: str, s: Student, moves: int, start: asyncio.Event, done: asyncio.Event) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = await context.new_page()
        page.on("pageerror", lambda exc: s.errors.append(f"page error: {exc}"))
        await start.wait()
        t0 = time.monotonic()
        try:
            await page.goto(url, timeout=PAGE_TIMEOUT_MS)
            await page.wait_for_function(READY_JS, timeout=PAGE_TIMEOUT_MS, polling=100)
        except Exception as exc:  # Playwright's TimeoutError and navigation errors
            s.errors.append(f"not interactive: {str(exc).splitlines()[0]}")
            return
        s.tti = time.monotonic() - t0
        await page.evaluate(PAGE_JS)
        await page.focus(".tj-eta .noUi-handle")
        for _ in range(moves):
            await asyncio.sleep(0.5 + 0.1 * (s.index % 5))  # a student's pause, staggered across the class
            before = await page.input_value(".tj-link input")
            await page.evaluate("window.__bench.arm()")
            await page.keyboard.press("ArrowRight")
            dt = await page.evaluate(f"window.__bench.wait({MOVE_TIMEOUT_MS})")
            if dt is None:
                s.errors.append("no new pixels after a key press")
                continue
            s.moves.append(dt)
            try:
                await page.wait_for_function(f"() => document.querySelector('.tj-link input').value !== {before!r}",
                                             timeout=MOVE_TIMEOUT_MS, polling=50)
            except Exception:
                s.errors.append("the link did not follow the slider")
        text = await page.inner_text("body")
        s.errors += [f"{w!r} on the page" for w in ERROR_WORDS if w in text]
        # link and readout arrive as separate widget messages: give the readout time to catch up (bounded)
        for _ in range(60):
            readout = (await page.inner_text(".tj-readout")).strip()
            link = await page.input_value(".tj-link input")
            problems = _check_readout(link, readout)
            if not problems:
                break
            await asyncio.sleep(0.5)
        s.errors += problems
        await done.wait()  # keep the page (and its kernel) open until memory is measured
    finally:
        await context.close()


def _check_readout(link: str, readout: str) -> list[str]:
    """The final point shown must be the engine's for the settings in the link."""
    from urllib.parse import urlsplit

    from trajectories import run
    from trajectories.lesson import Lesson

    lesson, notes = Lesson.from_query(urlsplit(link).query)
    if notes:
        return [f"link notes: {notes}"]
    expected = "\n".join(f"{name}: " + run(name, objective=lesson.objective_function(), start=lesson.start,
                                          steps=lesson.steps, convention=lesson.convention, seed=lesson.seed,
                                          **lesson.resolved(name)).book_line() for name in lesson.optimizers)
    return [] if readout == expected else [f"readout {readout!r} is not the engine's {expected!r}"]


async def one_class(browser, n: int, moves: int, pool_size: int, log) -> dict:
    port = free_port()
    log.flush()
    log_start = len(Path(log.name).read_text(errors="replace"))
    proc = start_server(port, extra=(f"--pool-size={pool_size}",), log=log, root=ROOT)
    try:
        wait_ready(f"http://127.0.0.1:{port}/{READY_PATH}", timeout=120, proc=proc)
        # the preheated pool fills before the class arrives, as it would before a lesson
        deadline = time.monotonic() + 180
        def pool_filled() -> bool:
            return "Kernel pool of app.ipynb is filled" in Path(log.name).read_text(errors="replace")[log_start:]

        while pool_size and not pool_filled():
            if time.monotonic() > deadline:
                raise RuntimeError("the preheated kernel pool did not fill within 180 s")
            await asyncio.sleep(0.5)
        await asyncio.sleep(3)  # the last pool kernel finishes its imports and waits for a student
        idle_mb, _ = server_memory(proc.pid)
        start, done = asyncio.Event(), asyncio.Event()
        students = [Student(i) for i in range(n)]
        tasks = [asyncio.create_task(student(browser, f"http://127.0.0.1:{port}/", s, moves, start, done))
                 for s in students]
        await asyncio.sleep(0.5)  # contexts created; now everyone opens the page at once
        cpu0 = server_cpu(proc.pid)
        t_class = time.monotonic()
        start.set()

        async def all_moved() -> None:
            while not all(s.errors or len(s.moves) == moves for s in students) and not all(t.done() for t in tasks):
                await asyncio.sleep(0.5)

        try:
            await asyncio.wait_for(all_moved(), LEVEL_DEADLINE_S)
        except asyncio.TimeoutError:
            for s in students:
                if not s.errors and len(s.moves) < moves:
                    s.errors.append("did not finish within the deadline")
        await asyncio.sleep(2)  # readout and link checks of the last students
        total_mb, kernels = server_memory(proc.pid)
        cpu = server_cpu(proc.pid)
        voila_cpu = cpu[proc.pid] - cpu0[proc.pid]
        kernel_cpu = sum(c - cpu0.get(pid, 0.0) for pid, c in cpu.items() if pid != proc.pid)
        elapsed = time.monotonic() - t_class
        done.set()
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 120)
    finally:
        stop_server(proc)
    ttis = [s.tti for s in students if s.tti is not None]
    lat = [m for s in students for m in s.moves]
    errors = [e for s in students for e in s.errors]
    return {"n": n, "tti_med": statistics.median(ttis) if ttis else float("nan"), "tti_p95": percentile(ttis, 0.95),
            "lat_med": statistics.median(lat) if lat else float("nan"), "lat_p95": percentile(lat, 0.95),
            "idle_mb": idle_mb, "total_mb": total_mb, "kernels": len(kernels),
            "kernel_mb": statistics.median(kernels) if kernels else float("nan"), "errors": errors,
            "voila_cpu": voila_cpu / elapsed, "kernel_cpu": kernel_cpu / elapsed}


async def main_async(sizes: list[int], moves: int, pool_size: int) -> list[dict]:
    from playwright.async_api import async_playwright

    results = []
    log_path = Path(tempfile.gettempdir()) / "bench_class_voila.log"
    print(f"# server log: {log_path}", file=sys.stderr)
    with open(log_path, "wb") as log:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                for n in [1, *sizes]:
                    t = time.monotonic()
                    r = await one_class(browser, n, moves, pool_size, log)
                    r["wall"] = time.monotonic() - t
                    results.append(r)
                    print(f"N={n:3d} done in {r['wall']:.0f} s, errors {len(r['errors'])}", file=sys.stderr,
                          flush=True)
                    for e in r["errors"][:5]:
                        print(f"    {e}", file=sys.stderr)
            finally:
                await browser.close()
    return results


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--students", default="5,10,20,30", help="class sizes, comma separated (default 5,10,20,30)")
    p.add_argument("--moves", type=int, default=3, help="key presses on eta per student (default 3)")
    p.add_argument("--pool-size", type=int, default=2, help="trajectories serve --pool-size (default 2)")
    args = p.parse_args()
    sizes = [int(v) for v in args.students.split(",") if v.strip()]
    if not sizes or any(not 1 <= n <= 60 for n in sizes):
        p.error(f"--students must list class sizes in [1, 60]. Got {args.students!r} instead.")
    if not 1 <= args.moves <= 20:
        p.error(f"--moves must be in [1, 20]. Got {args.moves} instead.")
    load = os.getloadavg()
    print(f"# machine: {os.cpu_count()} cores, load average before the run {load[0]:.2f} {load[1]:.2f} "
          f"{load[2]:.2f}; pool size {args.pool_size}; {args.moves} presses per student")
    results = asyncio.run(main_async(sizes, args.moves, args.pool_size))
    base = results[0]
    print("| students | time to interactive median / p95 (s) | slider to pixels median / p95 (ms) | "
          "ratio to 1 student (TTI / slider) | server PSS (MB) | kernels | PSS per kernel (MB) | "
          "cores busy: Voila / kernels | errors |")
    print("|---:|---|---|---|---:|---:|---:|---|---:|")
    for r in results:
        print(f"| {r['n']} | {r['tti_med']:.1f} / {r['tti_p95']:.1f} | {r['lat_med']:.0f} / {r['lat_p95']:.0f} | "
              f"{r['tti_med'] / base['tti_med']:.1f}x / {r['lat_med'] / base['lat_med']:.1f}x | "
              f"{r['total_mb']:.0f} | {r['kernels']} | {r['kernel_mb']:.0f} | "
              f"{r['voila_cpu']:.2f} / {r['kernel_cpu']:.2f} | {len(r['errors'])} |")
    print(f"# idle server before the class (Voila + {args.pool_size} preheated kernels): "
          f"{statistics.median(r['idle_mb'] for r in results):.0f} MB PSS (median over the runs)")
    load = os.getloadavg()
    print(f"# load average after the run {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if any(r["errors"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
