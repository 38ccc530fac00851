"""A class on one machine: what ``trajectories serve`` spends per student, and the static page for comparison.

For each class size N (default 5, 10, 20, 30 at the same second, then 30 arriving evenly over 60 s) the benchmark
starts a fresh ``trajectories serve`` of this checkout (``--pool-size`` as asked: by default sized to the class),
waits until its preheated kernels are ready and quiet, and opens N pages of ``/?optimizer=gd,momentum`` in one
headless Chromium, one browser context per student (no cache shared between students). Then every student presses
ArrowRight on the first eta slider a few times, and, for the largest class at once, every page reloads.

Reported per class:

- time to interactive (median, p95): from the page's navigation start (``performance.timeOrigin``) to the first
  moment the plot has its window (``.tj-plot[data-xlim]``) and the readout shows the book's line
  (``tests/pages.py`` READY), checked every 20 ms in the page;
- slider to pixels (median, p95): from the keydown of a trusted ``ArrowRight`` (a capture listener on window,
  ``performance.now()``) to the end of the frame that carries the new path: the path's ``d`` changes in a
  requestAnimationFrame callback, and the time is read in a ``setTimeout(0)`` posted from there, which runs once
  that frame's rendering (style, layout, paint) is done. A change made outside a frame waits for the next one;
- server CPU: user + system seconds of the Voila process and all its kernels, live or exited (/proc: a kernel
  that exited is in Voila's cutime), per arrival (from the first navigation until every page is interactive and
  the server is quiet again, so the refill of the preheated pool is counted) and per key press (net of the rate
  the server spends with the class connected and idle, measured just before);
- browser CPU per page load (Chromium's processes over the arrival), to show what the shared cores carry;
- memory: PSS (/proc/<pid>/smaps_rollup, shared pages counted once) of Voila and all its kernels with the class
  connected, per student = (that - the idle server with its pool) / N;
- errors, which must all be 0: a page not interactive, an uncaught page error or console error, error text on
  the page, a key press whose pixels never changed, a key press the kernel did not answer (each lesson the page
  sends must come back as ipywidgets' echo_update, and the last echo must be the lesson the page's link shows),
  a readout that is not the engine's line for that lesson, and, for two pages per class, an Export SVG whose file
  name (made by the kernel from its own lesson) is not the one for the page's lesson;
- reload: after the largest class at once, every page reloads at the same second; then time to interactive again,
  and memory and kernels once the old pages' kernels are shut down (Voila's unload beacon).

``--static`` also measures the self-contained page: ``trajectories site`` written to a temp folder, served by
Debian's nginx (foreground, on loopback, gzip on as a static host does), N pages opening ``app.html`` at once: time
to interactive, slider to pixels, bytes on the wire per student with and without gzip, the file's size.

The browsers run on the same cores as the server, so every time here is pessimistic for the server. Each phase's
waits are bounded; servers and nginx are stopped at the end; loopback only.

Usage::

    python benchmarks/bench_class.py                       # 5, 10, 20, 30 at once; 30 over 60 s; reload
    python benchmarks/bench_class.py --students 5 --spread 0 --no-reload        # one small class, a minute
    python benchmarks/bench_class.py --students 30 --spread 0 --pool-size 2     # the default pool, for comparison
    python benchmarks/bench_class.py --static-only                              # the static page alone
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pages import ERROR_WORDS, READY, expected_lines  # noqa: E402
from procstats import median, memory_mb, percentile, proc_stat, process_cpu  # noqa: E402
from servers import READY_PATH, free_port, kernel_pids, start_server, stop_server, wait_ready  # noqa: E402

from trajectories.figures import file_name  # noqa: E402
from trajectories.lesson import Lesson  # noqa: E402
from trajectories.state import lesson_from_state  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
# The project's flags (tests/conftest.py), and no throttling of pages that are not in front: 30 headless pages
# are all "in front" for their students.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
                 "--disable-backgrounding-occluded-windows"]
QUERY = "optimizer=gd,momentum"
SLIDER = ".tj-eta"  # the first eta slider: gd's
PAGE_TIMEOUT_S = 300  # the 30th page of a class arriving at once shares 2 cores with 29 other browsers
PRESS_TIMEOUT_S = 30
ECHO_TIMEOUT_S = 60
QUIET_TIMEOUT_S = 180
EXPORT_SAMPLE = 2  # pages per class that press Export SVG (the kernel renders it with matplotlib)

# Runs in every page (and again after a reload) before the page's own scripts.
INIT_JS = r"""
(() => {
  const b = window.__tj = { ready: null, presses: [], t0: null, sent: 0, echoes: 0, lastEcho: null,
                            inFrame: false, kernel: null };
  const ready = READY;  // tests/pages.py
  if (!sessionStorage.getItem('tj-bench-origin')) {
    sessionStorage.setItem('tj-bench-origin', String(performance.timeOrigin));
  }
  const raf = window.requestAnimationFrame.bind(window);
  // Is a DOM change happening inside a frame's requestAnimationFrame callbacks? A MutationObserver's callback is a
  // microtask queued at the change, so it runs before the one queued here, after the callback returns.
  window.requestAnimationFrame = (cb) => raf((t) => {
    b.inFrame = true;
    try { cb(t); } finally { queueMicrotask(() => { b.inFrame = false; }); }
  });
  const stamp = () => { if (b.t0 !== null) { b.presses.push(performance.now() - b.t0); b.t0 = null; } };
  const onPath = (records) => {
    if (b.t0 === null || !records.some((r) => r.target.classList && r.target.classList.contains('tj-line'))) return;
    if (b.inFrame) setTimeout(stamp, 0);  // runs once this frame is rendered
    else raf(() => setTimeout(stamp, 0));
  };
  window.addEventListener('keydown', (e) => { if (e.key === 'ArrowRight') b.t0 = performance.now(); }, true);
  const watch = setInterval(() => {  // every 20 ms: cheaper than observing every change while JupyterLab boots
    if (!ready()) return;
    // since the first navigation of this tab: a page that reloads itself (the Voila template's recovery) counts
    // its first load too
    b.ready = performance.timeOrigin + performance.now() - Number(sessionStorage.getItem('tj-bench-origin'));
    clearInterval(watch);
    new MutationObserver(onPath).observe(document.querySelector('.tj-plot'),
      { subtree: true, attributes: true, attributeFilter: ['d'] });
  }, 20);
  // The kernel's side of a key press: the lesson the page sends, and ipywidgets' echo_update of it from the kernel.
  // Only a comm_msg's content is parsed (the widget's first state, with the 0.5 MB module, is a comm_open).
  const lessonOf = (data, method) => {
    try {
      let msg;
      if (typeof data === 'string') {
        msg = JSON.parse(data);
      } else {  // v1.kernel.websocket.jupyter.org: the number of offsets, the offsets, then the message's parts
        const view = new DataView(data instanceof ArrayBuffer ? data : data.buffer);
        if (Number(view.getBigUint64(0, true)) < 6) return null;
        const at = (i) => Number(view.getBigUint64(8 * (i + 1), true));
        const part = (i) => JSON.parse(new TextDecoder().decode(new Uint8Array(view.buffer, at(i), at(i + 1) - at(i))));
        const header = part(1);
        msg = { header, content: header.msg_type === 'comm_msg' ? part(4) : null };
      }
      const d = msg.header && msg.header.msg_type === 'comm_msg' && msg.content && msg.content.data;
      return d && d.method === method && d.state && d.state.lesson ? d.state.lesson : null;
    } catch (e) { return null; }
  };
  const WS = window.WebSocket;
  window.WebSocket = class extends WS {
    constructor(...args) {
      super(...args);
      const kernel = /kernels\/([0-9a-f-]+)\/channels/.exec(String(args[0]));
      if (kernel) b.kernel = kernel[1];
      this.addEventListener('message', (e) => {
        const lesson = lessonOf(e.data, 'echo_update');
        if (lesson) { b.echoes += 1; b.lastEcho = lesson; }
      });
    }
    send(data) {
      if (lessonOf(data, 'update')) b.sent += 1;
      return super.send(data);
    }
  };
})();
""".replace("READY", READY)


# ---- numbers ---------------------------------------------------------------------------------------------------
def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} {five:.1f} {fifteen:.1f}"


# ---- /proc -----------------------------------------------------------------------------------------------------
def _processes() -> dict[int, tuple[int, bytes]]:
    """Every process: pid -> (parent pid, command line)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = proc_stat(int(entry.name))
            try:
                cmd = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if fields is not None:
                table[int(entry.name)] = (int(fields[1]), cmd)
    return table


def _descendants(pid: int, table: dict[int, tuple[int, bytes]]) -> list[int]:
    out, stack = [], [pid]
    while stack:
        parent = stack.pop()
        kids = [p for p, (pp, _) in table.items() if pp == parent]
        out += kids
        stack += kids
    return out


def cpu_s(pid: int, *, reaped: bool = False) -> float:
    """utime + stime of ``pid``; with ``reaped``, also of its children that exited and were waited for; 0 if gone."""
    return process_cpu(pid, reaped=reaped) or 0.0


def server_cpu(pid: int) -> tuple[float, float]:
    """CPU seconds so far of Voila itself, and of all its kernels (live ones, plus exited ones through cutime)."""
    own = cpu_s(pid)
    return own, cpu_s(pid, reaped=True) - own + sum(cpu_s(k) for k in kernel_pids(pid))


def browser_cpu() -> float:
    """CPU seconds of this benchmark's Chromium processes (live, plus exited renderers through cutime)."""
    table = _processes()
    return sum(cpu_s(p, reaped=True) for p in _descendants(os.getpid(), table) if b"chrom" in table[p][1])


def pss_mb(pid: int) -> float:
    try:
        return memory_mb(pid)["pss"]
    except OSError:
        return 0.0


def server_pss(pid: int) -> tuple[float, int]:
    """PSS in MB of Voila and all its kernels, and the number of kernels."""
    kernels = kernel_pids(pid)
    return pss_mb(pid) + sum(pss_mb(k) for k in kernels), len(kernels)


async def quiet(pid: int, kernels: int, timeout: float = QUIET_TIMEOUT_S) -> float:
    """Wait until the server has ``kernels`` kernels and spends under 2% of a core for 2 s; return the wait."""
    t0 = time.monotonic()
    history: list[float] = []
    while time.monotonic() - t0 < timeout:
        history.append(sum(server_cpu(pid)))
        if len(history) > 4 and history[-1] - history[-5] < 0.04 and len(kernel_pids(pid)) == kernels:
            break
        await asyncio.sleep(0.5)
    return time.monotonic() - t0


# ---- a student -------------------------------------------------------------------------------------------------
class Student:
    def __init__(self, index: int) -> None:
        self.index = index
        self.page = None
        self.context = None
        self.tti: float | None = None
        self.html: float | None = None  # the page's HTML received in full: Voila's part of the arrival
        self.reload_tti: float | None = None
        self.moves: list[float] = []
        self.errors: list[str] = []
        self.bytes = 0
        self.recovered = 0  # "widget model not found": the page reloaded itself (voila/templates/trajectories)


async def new_student(browser, index: int, *, count_bytes: bool = False) -> Student:
    s = Student(index)
    s.context = await browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    await s.context.add_init_script(INIT_JS)
    s.page = await s.context.new_page()
    s.page.on("pageerror", lambda exc: s.errors.append(f"page error: {exc}"))

    def console(m) -> None:
        if m.type != "error":
            return
        if m.text.startswith("Error: widget model not found"):
            s.recovered += 1  # not an error if the page then shows the app: "not interactive" is counted if not
        else:
            s.errors.append(f"console {m.type}: {m.text}")

    s.page.on("console", console)

    async def count(response) -> None:
        try:
            sizes = await response.request.sizes()
            s.bytes += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        except Exception:  # noqa: BLE001 - a response of a page already gone has no sizes; not a student's error
            pass

    if count_bytes:  # a protocol round trip per response: only where the bytes are reported (the static page)
        s.page.on("response", lambda r: asyncio.ensure_future(count(r)))
    return s


async def interactive(s: Student, *, reload: bool = False) -> float | None:
    """Wait until the page is interactive; return the time since its navigation start, in seconds."""
    try:
        await s.page.wait_for_function("() => window.__tj && window.__tj.ready !== null",
                                       timeout=PAGE_TIMEOUT_S * 1000, polling=250)
        s.html = await s.page.evaluate("() => performance.getEntriesByType('navigation')[0].responseEnd") / 1000
        return await s.page.evaluate("() => window.__tj.ready") / 1000
    except Exception as exc:  # Playwright's TimeoutError, or a page that crashed
        s.errors.append(f"not interactive{' after reload' if reload else ''}: {str(exc).splitlines()[0]}")
        return None


async def arrive(s: Student, url: str, delay: float) -> None:
    await asyncio.sleep(delay)
    try:
        await s.page.goto(url, wait_until="commit", timeout=PAGE_TIMEOUT_S * 1000)
    except Exception as exc:  # noqa: BLE001
        s.errors.append(f"navigation failed: {str(exc).splitlines()[0]}")
        return
    s.tti = await interactive(s)


async def press(s: Student, moves: int, n: int) -> None:
    """The class is asked to move eta: each student starts within 3 s and presses about once a second."""
    if s.tti is None:
        return
    await s.page.focus(SLIDER)
    await asyncio.sleep(3 * s.index / n)
    for k in range(moves):
        if k:
            await asyncio.sleep(0.8 + 0.04 * (s.index % 10))
        await s.page.keyboard.press("ArrowRight")
        try:
            await s.page.wait_for_function(f"() => window.__tj.presses.length >= {k + 1}",
                                           timeout=PRESS_TIMEOUT_S * 1000, polling=50)
        except Exception:  # noqa: BLE001
            s.errors.append("a key press changed no pixels within 30 s")
            return
    s.moves = await s.page.evaluate("() => window.__tj.presses")


async def page_lesson(s: Student) -> Lesson:
    lesson, notes = Lesson.from_query(urlsplit(await s.page.input_value(".tj-link")).query)
    if notes:
        s.errors.append(f"the link has notes: {notes}")
    return lesson


async def check_answered(s: Student, moves: int, kernel: bool) -> None:
    """Every lesson sent came back from the kernel, the last one is the page's, and the readout is the engine's."""
    if s.tti is None or len(s.moves) < moves:
        return
    lesson = await page_lesson(s)
    deadline = time.monotonic() + ECHO_TIMEOUT_S
    while kernel:
        b = await s.page.evaluate("() => ({sent: window.__tj.sent, echoes: window.__tj.echoes, "
                                  "last: window.__tj.lastEcho})")
        done = b["sent"] >= 1 and b["echoes"] >= b["sent"] and b["last"] is not None  # presses may share a send
        if done and lesson_from_state(b["last"]) == lesson:
            break
        if time.monotonic() > deadline:
            s.errors.append(f"the kernel did not answer every key press: {b['sent']} lessons sent, {b['echoes']} "
                            f"echoed, last echo {b['last'] and b['last'].get('runs')}")
            break
        await asyncio.sleep(0.25)
    shown = dict(line.split(": ", 1) for line in (await s.page.inner_text(".tj-readout")).strip().splitlines()
                 if ": " in line)
    if shown != expected_lines(lesson):
        s.errors.append(f"readout {shown} is not the engine's {expected_lines(lesson)}")
    text = await s.page.inner_text("body")
    s.errors += [f"{w!r} on the page" for w in ERROR_WORDS if w in text]


async def check_export(s: Student) -> None:
    """Export SVG: the kernel names the file after its own lesson, which must be the page's."""
    if s.tti is None:
        return
    lesson = await page_lesson(s)
    try:
        async with s.page.expect_download(timeout=120_000) as info:
            await s.page.click(".tj-export")
        name = (await info.value).suggested_filename
    except Exception as exc:  # noqa: BLE001
        s.errors.append(f"Export gave no file: {str(exc).splitlines()[0]}")
        return
    if name != file_name(lesson, "svg"):
        s.errors.append(f"Export named {name!r}, the page's lesson is {file_name(lesson, 'svg')!r}")


async def student_kernels(students: list[Student], server: int) -> set[int]:
    """The pids of the kernels the students' pages are connected to (a kernel's command line names its id)."""
    ids = {await s.page.evaluate("() => window.__tj.kernel") for s in students if s.tti is not None}
    table = _processes()
    return {pid for pid in kernel_pids(server)
            if any(f"kernel-{i}.json".encode() in table.get(pid, (0, b""))[1] for i in ids if i)}


async def close_all(students: list[Student]) -> None:
    await asyncio.gather(*(s.context.close() for s in students), return_exceptions=True)


# ---- a class on trajectories serve -----------------------------------------------------------------------------
async def one_class(browser, n: int, spread: float, pool: int, moves: int, reload: bool, log_path: Path,
                    root: Path) -> dict:
    r: dict = {"n": n, "spread": spread, "pool": pool, "load": [load()]}
    port = free_port()
    with open(log_path, "ab") as log:
        t_start = time.monotonic()
        proc = start_server(port, extra=(f"--pool-size={pool}",), log=log, root=root)
    students: list[Student] = []
    try:
        wait_ready(f"http://127.0.0.1:{port}/{READY_PATH}", timeout=120, proc=proc)
        await quiet(proc.pid, pool)
        r["pool_ready_s"] = time.monotonic() - t_start
        r["idle_mb"], _ = server_pss(proc.pid)
        students = list(await asyncio.gather(*(new_student(browser, i) for i in range(n))))
        url = f"http://127.0.0.1:{port}/?{QUERY}"

        # arrival: until every page is interactive and the refilled pool is quiet
        cpu0, b0, t0 = server_cpu(proc.pid), browser_cpu(), time.monotonic()
        await asyncio.gather(*(arrive(s, url, spread * s.index / n) for s in students))
        r["arrival_s"] = time.monotonic() - t0
        await quiet(proc.pid, n + pool)
        cpu1, b1 = server_cpu(proc.pid), browser_cpu()
        r["voila_per_arrival"] = (cpu1[0] - cpu0[0]) / n
        r["kernels_per_arrival"] = (cpu1[1] - cpu0[1]) / n
        r["browser_per_page"] = (b1 - b0) / n
        r["tti"] = [s.tti for s in students if s.tti is not None]
        r["html"] = [s.html for s in students if s.html is not None]
        r["load"].append(load())

        # key presses, net of what the connected, idle class costs over the same time
        c0, t0 = sum(server_cpu(proc.pid)), time.monotonic()
        await asyncio.sleep(5)
        idle_rate = (sum(server_cpu(proc.pid)) - c0) / (time.monotonic() - t0)
        c0, b0, t0 = sum(server_cpu(proc.pid)), browser_cpu(), time.monotonic()
        await asyncio.gather(*(press(s, moves, n) for s in students))
        b1 = browser_cpu()
        await asyncio.gather(*(check_answered(s, moves, kernel=True) for s in students))
        await asyncio.sleep(1)  # the last echoes' own work in Voila
        presses = sum(len(s.moves) for s in students)
        spent = sum(server_cpu(proc.pid)) - c0 - idle_rate * (time.monotonic() - t0)
        r["ms_per_move"] = 1000 * spent / presses if presses else float("nan")
        r["browser_ms_per_move"] = 1000 * (b1 - b0) / presses if presses else float("nan")
        r["idle_rate"] = idle_rate
        r["moves"] = [m for s in students for m in s.moves]
        r["total_mb"], r["kernels"] = server_pss(proc.pid)
        r["per_student_mb"] = (r["total_mb"] - r["idle_mb"]) / n
        await asyncio.gather(*(check_export(s) for s in students[:: max(1, n // EXPORT_SAMPLE)][:EXPORT_SAMPLE]))
        r["load"].append(load())

        if reload:  # every page reloads at once; the old pages' kernels go with their unload beacon
            before = await student_kernels(students, proc.pid)
            t0 = time.monotonic()

            async def again(s: Student) -> None:
                if s.tti is None:
                    return
                try:
                    await s.page.evaluate("() => sessionStorage.removeItem('tj-bench-origin')")
                    await s.page.reload(wait_until="commit", timeout=PAGE_TIMEOUT_S * 1000)
                except Exception as exc:  # noqa: BLE001
                    s.errors.append(f"reload failed: {str(exc).splitlines()[0]}")
                    return
                s.reload_tti = await interactive(s, reload=True)

            await asyncio.gather(*(again(s) for s in students))
            r["reload_tti"] = [s.reload_tti for s in students if s.reload_tti is not None]
            deadline = time.monotonic() + QUIET_TIMEOUT_S
            while before & kernel_pids(proc.pid) and time.monotonic() < deadline:
                await asyncio.sleep(0.5)
            r["old_gone_s"] = time.monotonic() - t0
            r["old_left"] = len(before & kernel_pids(proc.pid))
            await quiet(proc.pid, n + pool)
            r["reload_mb"], r["reload_kernels"] = server_pss(proc.pid)
            r["load"].append(load())
    finally:
        await close_all(students)
        stop_server(proc)
    r["errors"] = [e for s in students for e in s.errors]
    r["recovered"] = sum(s.recovered for s in students)
    return r


async def warm_up(browser, log_path: Path, root: Path) -> None:
    """One page, not measured: Chromium loads its own libraries and fonts once, as a student's browser has."""
    port = free_port()
    with open(log_path, "ab") as log:
        proc = start_server(port, extra=("--pool-size=1",), log=log, root=root)
    s = await new_student(browser, 0)
    try:
        wait_ready(f"http://127.0.0.1:{port}/{READY_PATH}", timeout=120, proc=proc)
        await arrive(s, f"http://127.0.0.1:{port}/?{QUERY}", 0)
    finally:
        await close_all([s])
        stop_server(proc)


# ---- the static page -------------------------------------------------------------------------------------------
NGINX_CONF = """worker_processes 1;
{user}events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/client_body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  server {{ listen 127.0.0.1:{gzip_port}; root {site}; gzip on; gzip_comp_level 6; }}
  server {{ listen 127.0.0.1:{plain_port}; root {site}; gzip off; }}
}}
"""


async def static_class(browser, n: int, moves: int) -> dict:
    r: dict = {"n": n, "load": [load()]}
    binary = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if binary is None:
        raise RuntimeError("nginx is not installed (Debian: apt-get install nginx-light)")
    with tempfile.TemporaryDirectory(prefix="bench-class-static-") as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        subprocess.run([sys.executable, "-m", "trajectories", "site", str(site)], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        raw = (site / "app.html").read_bytes()
        r["file_kb"], r["file_gz_kb"] = len(raw) / 1024, len(gzip.compress(raw, 6)) / 1024
        gzip_port, plain_port = free_port(), free_port()
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(NGINX_CONF.format(user=user, tmp=tmp, site=site, gzip_port=gzip_port, plain_port=plain_port))
        proc = subprocess.Popen([binary, "-p", tmp, "-c", str(conf), "-e", f"{tmp}/error.log",
                                 "-g", f"daemon off; pid {tmp}/nginx.pid;"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.STDOUT, start_new_session=True)
        students: list[Student] = []
        try:
            for port in (gzip_port, plain_port):
                wait_ready(f"http://127.0.0.1:{port}/app.html", timeout=30, proc=proc)
            table = _processes()
            workers = [proc.pid, *_descendants(proc.pid, table)]
            students = list(await asyncio.gather(*(new_student(browser, i, count_bytes=True) for i in range(n + 1))))
            plain, students = students[-1], students[:-1]
            url = f"http://127.0.0.1:{gzip_port}/app.html?{QUERY}"
            n0, b0 = sum(cpu_s(p) for p in workers), browser_cpu()
            await asyncio.gather(*(arrive(s, url, 0) for s in students))
            r["nginx_ms_per_student"] = 1000 * (sum(cpu_s(p) for p in workers) - n0) / n
            r["browser_per_page"] = (browser_cpu() - b0) / n
            r["tti"] = [s.tti for s in students if s.tti is not None]
            r["bytes_gzip"] = median([s.bytes for s in students])
            await arrive(plain, f"http://127.0.0.1:{plain_port}/app.html?{QUERY}", 0)
            await asyncio.sleep(1)
            r["bytes_plain"] = plain.bytes
            r["load"].append(load())
            b0 = browser_cpu()
            await asyncio.gather(*(press(s, moves, n) for s in students))
            presses = sum(len(s.moves) for s in students)
            r["browser_ms_per_move"] = 1000 * (browser_cpu() - b0) / presses if presses else float("nan")
            await asyncio.gather(*(check_answered(s, moves, kernel=False) for s in students))
            r["moves"] = [m for s in students for m in s.moves]
            students.append(plain)
        finally:
            await close_all(students)
            proc.send_signal(signal.SIGQUIT)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    r["errors"] = [e for s in students for e in s.errors]
    r["recovered"] = sum(s.recovered for s in students)
    return r


# ---- the report ------------------------------------------------------------------------------------------------
def _s(values: list[float]) -> str:
    return f"{median(values):.1f} / {percentile(values, 0.95):.1f}"


def _ms(values: list[float]) -> str:
    return f"{median(values):.0f} / {percentile(values, 0.95):.0f}"


def report(results: list[dict], static: dict | None) -> None:
    if results:
        print()
        print("| students | pool | time to interactive median / p95 (s) | HTML received median / p95 (s) | slider to "
              "pixels median / p95 (ms) | server CPU per arrival, Voila + kernels (s) | server CPU per key press (ms) "
              "| browser CPU per page (s) / per key press (ms) | server PSS idle / with the class (MB) | PSS per "
              "student (MB) | kernels | errors | pages that reloaded themselves | load 1 min: before, after arrival, "
              "after presses |")
        print("|---|---:|---|---|---|---|---:|---|---|---:|---:|---:|---:|---|")
    for r in results:
        who = f"{r['n']} at once" if not r["spread"] else f"{r['n']} over {r['spread']:g} s"
        print(f"| {who} | {r['pool']} | {_s(r['tti'])} | {_s(r['html'])} | {_ms(r['moves'])} | "
              f"{r['voila_per_arrival']:.2f} + {r['kernels_per_arrival']:.2f} | {r['ms_per_move']:.0f} | "
              f"{r['browser_per_page']:.1f} / {r['browser_ms_per_move']:.0f} | {r['idle_mb']:.0f} / "
              f"{r['total_mb']:.0f} | {r['per_student_mb']:.0f} | {r['kernels']} | {len(r['errors'])} | "
              f"{r['recovered']} | "
              f"{', '.join(x.split()[0] for x in r['load'][:3])} |")
    for r in results:
        if "reload_tti" in r:
            print(f"\nReload, {r['n']} pages at once: time to interactive {_s(r['reload_tti'])} s (median / p95); "
                  f"the old pages' kernels gone {r['old_gone_s']:.0f} s after the reloads began "
                  f"({r['old_left']} left); then {r['reload_kernels']} kernels, server PSS {r['reload_mb']:.0f} MB "
                  f"(before the reload: {r['kernels']} kernels, {r['total_mb']:.0f} MB); load {r['load'][-1]}.")
    for r in results:
        print(f"\n{r['n']} {'at once' if not r['spread'] else 'over ' + format(r['spread'], 'g') + ' s'}: pool of "
              f"{r['pool']} ready and quiet {r['pool_ready_s']:.0f} s after the server started; arrival took "
              f"{r['arrival_s']:.0f} s; idle server with the class connected: {1000 * r['idle_rate']:.0f} ms of CPU "
              "per second.")
    if static is not None:
        s = static
        print(f"\n| static page, {s['n']} at once | time to interactive median / p95 (s) | slider to pixels median / "
              "p95 (ms) | bytes per student, gzip / plain (KB) | nginx CPU per student (ms) | browser CPU per page "
              "(s) / per key press (ms) | errors | load 1 min: before, after arrival |")
        print("|---|---|---|---|---:|---|---:|---|")
        print(f"| app.html {s['file_kb']:.0f} KB ({s['file_gz_kb']:.0f} KB gzipped) | {_s(s['tti'])} | "
              f"{_ms(s['moves'])} | {s['bytes_gzip'] / 1024:.0f} / {s['bytes_plain'] / 1024:.0f} | "
              f"{s['nginx_ms_per_student']:.1f} | {s['browser_per_page']:.1f} / {s['browser_ms_per_move']:.0f} | "
              f"{len(s['errors'])} | {', '.join(x.split()[0] for x in s['load'])} |")


async def main_async(args) -> tuple[list[dict], dict | None]:
    from playwright.async_api import async_playwright

    results: list[dict] = []
    static = None
    log_path = Path(tempfile.gettempdir()) / "bench_class_voila.log"
    log_path.write_bytes(b"")
    print(f"# server log: {log_path}", file=sys.stderr)
    classes = [] if args.static_only else [(n, 0.0) for n in args.sizes]
    if args.spread and not args.static_only:
        classes.append((max(args.sizes), args.spread))
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            await warm_up(browser, log_path, args.root)
            for n, spread in classes:
                pool = n if args.pool_size is None else args.pool_size
                reload = args.reload and not spread and n == max(args.sizes)
                t = time.monotonic()
                r = await one_class(browser, n, spread, pool, args.moves, reload, log_path, args.root)
                results.append(r)
                print(f"# {n} students{' over ' + str(spread) + ' s' if spread else ''}, pool {pool}: "
                      f"{time.monotonic() - t:.0f} s, {len(r['errors'])} errors, load {load()}", file=sys.stderr,
                      flush=True)
                for e in r["errors"][:8]:
                    print(f"#    {e}", file=sys.stderr)
            if args.static or args.static_only:
                n = max(args.sizes)
                static = await static_class(browser, n, args.moves)
                print(f"# static page, {n} students: {len(static['errors'])} errors, load {load()}", file=sys.stderr)
                for e in static["errors"][:8]:
                    print(f"#    {e}", file=sys.stderr)
        finally:
            await browser.close()
    return results, static


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--students", default="5,10,20,30", help="class sizes arriving at once (default 5,10,20,30)")
    p.add_argument("--spread", type=float, default=60, help="also the largest class arriving evenly over this many "
                                                            "seconds (default 60; 0: not)")
    p.add_argument("--pool-size", type=int, help="trajectories serve --pool-size (default: the class size)")
    p.add_argument("--moves", type=int, default=5, help="key presses on eta per student (default 5)")
    p.add_argument("--no-reload", dest="reload", action="store_false",
                   help="skip the reload of the largest class at once")
    p.add_argument("--static", action="store_true", help="also the static page (nginx), the largest class at once")
    p.add_argument("--static-only", action="store_true", help="only the static page")
    p.add_argument("--root", type=Path, default=ROOT, help="the checkout the server runs (default: this one)")
    args = p.parse_args()
    try:
        args.sizes = [int(v) for v in args.students.split(",") if v.strip()]
    except ValueError:
        p.error(f"--students must list class sizes such as 5,10. Got {args.students!r} instead.")
    if not args.sizes or any(not 1 <= n <= 60 for n in args.sizes):
        p.error(f"--students must list class sizes in [1, 60]. Got {args.students!r} instead.")
    if not 1 <= args.moves <= 20:
        p.error(f"--moves must be in [1, 20]. Got {args.moves} instead.")
    if not 0 <= args.spread <= 600:
        p.error(f"--spread must be in [0, 600] seconds. Got {args.spread} instead.")
    print(f"# {time.strftime('%Y-%m-%d %H:%M %Z')}: {os.cpu_count()} cores, load average {load()} (1, 5, 15 min); "
          f"python benchmarks/bench_class.py {' '.join(sys.argv[1:])}", flush=True)
    t = time.monotonic()
    results, static = asyncio.run(main_async(args))
    report(results, static)
    print(f"\n# {time.monotonic() - t:.0f} s in all; load average at the end {load()}")
    errors = [e for r in [*results, *([static] if static else [])] for e in r["errors"]]
    for e in sorted(set(errors), key=errors.index):
        print(f"# error x{errors.count(e)}: {e}")
    if any(r["errors"] for r in results) or (static is not None and static["errors"]):
        sys.exit(1)


if __name__ == "__main__":
    main()
