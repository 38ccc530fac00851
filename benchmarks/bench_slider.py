"""Slider to pixels on the students' page: a key on the eta slider until the end of the frame that shows the new plot.

    python benchmarks/bench_slider.py [--moves 20] [--cpu-moves 100] [--json out.json] [--no-load] [--press]
    python benchmarks/bench_slider.py --layout [--repeat 3]   # issue 22: the laid-out app at 1280x720, 1920x1080

One command, 7 to 9 minutes on 2 cores. It serves, each with its own Voila and preheated kernels:

- the new app (this checkout on PYTHONPATH, ``trajectories serve``, pool of 2): one optimizer (RMSProp, 20 steps,
  keys on ``.tj-eta``; also with step 3 highlighted, its arrows and the step inspector following each key, and
  with the inspector folded), four optimizers (gd, momentum, rmsprop, adam; keys on ``.tj-rmsprop-eta``) at 20
  and at 500 steps, opened from preset links;
- today's app, the ipympl app at git commit ``c5e3e1a`` (``--baseline-ref``), the last commit before the front
  end moved to the browser: the benchmark checks it out into a temporary ``git worktree add --detach``, serves it
  with ``trajectories serve`` from that checkout, and removes the worktree at the end; the same three pages
  (keys on the noUiSlider handle of ``.tj-eta`` / ``.tj-rmsprop-eta``). It needs git, this repository's history
  and ipympl installed (the new app does not); without them these rows are skipped with a message;
- the naive way, ``ipywidgets.interact`` over a FloatSlider with the inline backend drawing a new figure per move
  (``trajectories.plotting.TraceFigure`` of this checkout), under plain Voila (pool of 1); its moves take
  seconds, so it moves in every 4th round only;
- the floor: a bare local page with one focusable element and one SVG path that gets new points in the next
  animation frame after each key, as the app does with nothing else around it: what this browser on this
  machine needs at least, right now.

Every page has its own browser context (its own renderer) in one headless Chromium. The pages take turns, one
move each per round, so drifting load hits them alike; each page's keys alternate ArrowRight and ArrowLeft, so
eta stays near its default; after each move the page's server must be idle before the next page moves. Then all
of it again with both cores kept busy by two ``while True: pass`` processes that the benchmark starts and always
stops. A move whose change never shows within 15 s is counted as missed (today's app loses about one in 40).

What one move measures, inside the page (the time origin is the page's ``performance.now()``):

- start: a capture-phase ``keydown`` listener on ``window`` takes ``performance.now()`` at the trusted keydown
  (``page.keyboard.down``; the key goes up once the move is measured, as a person's key stays down 50 to 150 ms:
  ``page.keyboard.press`` sends the keyup within a millisecond, before the first frame, and ``--press`` measures
  that way instead);
- the plot changed: for the new app a MutationObserver on the ``d`` attribute of the moved optimizer's path
  (``.tj-plot .tj-trajectory-rmsprop .tj-line``); for today's app any ``drawImage`` onto a canvas of
  ``.tj-plot`` (ipympl paints each new image that way); for the naive app a new or reloaded ``<img>`` in the
  output area;
- end: the end of the first animation frame that contains the change. The page's ``requestAnimationFrame`` is
  wrapped so the bench knows whether a change was made inside a frame's callbacks (the new app renders there:
  that frame paints it) or in a task between frames (ipympl, the naive image: the next frame paints it, so the
  bench asks for that frame). At that frame it posts a MessageChannel message; the message runs as the first
  task after the frame's rendering work (rAF callbacks, style, layout, paint and commit on the main thread), and
  its ``performance.now()`` is the end. Only then is the change checked (path ``d``, canvas pixel hash, image
  ``src`` loaded): a frame whose pixels did not change does not count and the bench waits for the next one.

For the new app the time splits into: waiting for the frame (keydown to the start of the first rAF callback of
the frame), the frame's script up to the path's new ``d`` (``render()``), and the rest of the frame (style,
layout, paint). Medians and p95 per page, and the ratio today's app / new app (and naive / new) in the same run.

Also measured, before the benchmark starts its load:

- kernel + Voila CPU per move: utime + stime from ``/proc`` of the Voila process and all its kernels, before
  and after ``--cpu-moves`` moves on the one-optimizer page (the new app sends the lesson to the kernel when the
  key is released), minus the same server's CPU over the same duration with the same pages open and no moves,
  divided by the number of moves. The same for today's app over a quarter as many moves. The page's own main
  thread CPU per move (Chrome's ThreadTime, including this benchmark's own calls into the page) is printed
  alongside;
- time to interactive of one page on a preheated server: from navigation start (the page's time origin) to the
  first animation frame where the eta slider is in the page and ``.tj-readout`` shows the book's line
  (``epoch 20, x1: -0.010599, x2: 0.000000``), each time in a fresh browser context (empty cache), median of 3
  (today's app: of 2); and of the self-contained HTML file (``trajectories export rmsprop --format html``)
  opened from ``file://`` with every other request aborted, median of 5; both again under load. The page's main
  thread CPU by then is printed alongside;
- memory per student: PSS (``/proc/<pid>/smaps_rollup``) of the kernel serving the one-optimizer page (found
  from the page's kernel websocket), new app vs today's app, and of the Voila process.

Targets (issue 10): median <= 8 ms with one optimizer, <= 12 ms with four, <= 16 ms with four at 500 steps under
load; today's app / new app >= 5x in the same run; kernel + Voila CPU <= 1 ms per move; time to interactive
<= 2 s (page) and <= 0.5 s (HTML file); kernel PSS <= 80 MB per student.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from procstats import TICK, median, memory_mb, percentile, proc_stat, process_cpu  # noqa: E402
from servers import READY_PATH, free_port, start_server, stop_server, wait_ready  # noqa: E402

BASELINE_REF = "c5e3e1a"  # the ipympl app: the last commit before the front end moved to the browser
CHROMIUM = "/usr/bin/chromium"
# The last three keep pages that are not in front as fast as the one that is: several pages stay open.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
                 "--disable-backgrounding-occluded-windows"]
VIEWPORT = {"width": 1280, "height": 900}
BOOK_LINE = "epoch 20, x1: -0.010599, x2: 0.000000"  # RMSProp's printed line in the book
FOUR = "gd,momentum,rmsprop,adam"
LOAD_PROCESSES = 2  # one busy loop per core of this machine
PAGE_TIMEOUT_MS = 180_000
MOVE_TIMEOUT_MS = 15_000

NAIVE_NOTEBOOK = """%matplotlib inline
import ipywidgets as w
import matplotlib.pyplot as plt
from trajectories.lesson import Lesson
from trajectories.plotting import TraceFigure

eta = w.FloatSlider(value=0.4, min=0.05, max=3.0, step=0.05, description="eta")
eta.add_class("tj-eta")

def show(eta):
    lesson = Lesson(optimizers=("rmsprop",), hyperparameters={"rmsprop": {"eta": eta}})
    fig = plt.figure(figsize=(9.0, 4.2))
    TraceFigure.from_lesson(lesson, fig, step=0)
    plt.show()

w.interact(show, eta=eta);"""


@dataclass
class Variant:
    name: str
    label: str
    server: str  # "new", "old" or "naive"
    query: str
    slider: str  # what gets focus and the keys
    kind: str  # how a change shows: "svg" (path d), "canvas" (ipympl pixels), "img" (inline backend)
    watch: str  # what to watch for the change
    ready: str  # JS expression: the page is ready to be measured
    setup: tuple = ()  # keys pressed once the page is ready, (selector, key, times): the step highlighted
    page: Any = None
    context: Any = None
    ws_urls: list[str] = field(default_factory=list)
    viewport: dict = field(default_factory=lambda: dict(VIEWPORT))


NEW_READY = ("(() => {{ const p = document.querySelector('{path}'); const r = document.querySelector('.tj-readout');"
             " return p && p.getAttribute('d') && r && /epoch/.test(r.textContent); }})()")
OLD_READY = ("(() => { const c = document.querySelector('.tj-plot canvas'); const r = document.querySelector("
             "'.tj-readout'); return c && c.width > 0 && r && /epoch/.test(r.textContent); })()")
NAIVE_READY = "(() => { const i = document.querySelector('.jp-OutputArea-output img'); return i && i.complete; })()"
PATH = ".tj-plot .tj-trajectory-rmsprop .tj-line"

# The floor: what this browser on this machine needs at least. A bare page of the plot's size whose focusable
# element, on ArrowRight/ArrowLeft, sets a new 21-point path in the next animation frame, as the app does with
# nothing else on the page.
FLOOR_HTML = """<!doctype html><meta charset="utf-8"><title>floor</title>
<div class="tj-eta" role="slider" tabindex="0" aria-valuenow="0">key</div>
<svg class="tj-plot" width="560" height="420"><g class="tj-trajectory-rmsprop">
<path class="tj-line" fill="none" stroke="#cc79a7" stroke-width="2" d="M0,0"/></g></svg>
<div class="tj-readout">BOOK_LINE</div>
<script>
const path = document.querySelector('.tj-line'), slider = document.querySelector('.tj-eta');
let k = 0, frame = 0;
slider.addEventListener('keydown', (e) => {
  if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
  e.preventDefault();
  k += e.key === 'ArrowRight' ? 1 : -1;
  slider.setAttribute('aria-valuenow', String(k));
  if (!frame) frame = requestAnimationFrame(() => {
    frame = 0;
    let d = '';
    for (let i = 0; i <= 20; i++) d += (i ? 'L' : 'M') + (20 + 25 * i) + ',' + (210 + 150 * Math.sin(i * (1 + k / 7)));
    path.setAttribute('d', d);
  });
});
</script>""".replace("BOOK_LINE", BOOK_LINE)


def variants(with_old: bool) -> list[Variant]:
    out = [
        Variant("floor", "floor: bare page, one SVG path per key", "file", "", ".tj-eta", "svg", PATH,
                "true"),
        Variant("new1", "new app, 1 optimizer, 20 steps", "new", "?optimizer=rmsprop", ".tj-eta", "svg", PATH,
                NEW_READY.format(path=PATH)),
        # the same page at a highlighted step: the arrows and the step inspector follow each key too (folded, the
        # inspector keeps only its one line: what the table itself costs a key)
        Variant("new1_step", "new app, 1 optimizer, 20 steps, step 3 inspected", "new", "?optimizer=rmsprop",
                ".tj-eta", "svg", PATH, NEW_READY.format(path=PATH), setup=((".tj-step", "ArrowRight", 3),)),
        Variant("new1_fold", "new app, 1 optimizer, 20 steps, step 3, inspector folded", "new",
                "?optimizer=rmsprop", ".tj-eta", "svg", PATH, NEW_READY.format(path=PATH),
                setup=((".tj-step", "ArrowRight", 3), (".tj-inspector summary", "Enter", 1))),
        Variant("new4", "new app, 4 optimizers, 20 steps", "new", f"?optimizer={FOUR}", ".tj-rmsprop-eta", "svg",
                PATH, NEW_READY.format(path=PATH)),
        Variant("new4_500", "new app, 4 optimizers, 500 steps", "new", f"?optimizer={FOUR}&steps=500",
                ".tj-rmsprop-eta", "svg", PATH, NEW_READY.format(path=PATH)),
    ]
    if with_old:
        out += [
            Variant("old1", "today's app (ipympl), 1 optimizer", "old", "?optimizer=rmsprop",
                    ".tj-eta .noUi-handle", "canvas", ".tj-plot", OLD_READY),
            Variant("old4", "today's app (ipympl), 4 optimizers", "old", f"?optimizer={FOUR}",
                    ".tj-rmsprop-eta .noUi-handle", "canvas", ".tj-plot", OLD_READY),
            Variant("old4_500", "today's app (ipympl), 4 optimizers, 500 steps", "old", f"?optimizer={FOUR}&steps=500",
                    ".tj-rmsprop-eta .noUi-handle", "canvas", ".tj-plot", OLD_READY),
        ]
    out.append(Variant("naive", f"naive interact + inline (every {NAIVE_EVERY}th round)", "naive", "",
                       ".tj-eta .noUi-handle", "img", ".jp-OutputArea-output img", NAIVE_READY))
    return out


# --layout (issue 22): the app laid out on a projector's and a large screen's viewport, served and as the HTML file
LAYOUT_SCREENS = {"1280x720": {"width": 1280, "height": 720}, "1920x1080": {"width": 1920, "height": 1080}}
LAYOUT_TARGETS_MS = (8.0, 16.7)  # median and p95 of a key with both cores busy: within one frame at 60 Hz


def layout_variants() -> list[Variant]:
    out = [Variant("floor", "floor: bare page, one SVG path per key", "file", "", ".tj-eta", "svg", PATH, "true")]
    for screen, viewport in LAYOUT_SCREENS.items():
        for server, where in (("new", "page"), ("html", "HTML file")):
            out.append(Variant(f"{server}1@{screen}", f"{where}, 1 optimizer, {screen}", server, "?optimizer=rmsprop",
                               ".tj-eta", "svg", PATH, NEW_READY.format(path=PATH), viewport=dict(viewport)))
            out.append(Variant(f"{server}4@{screen}", f"{where}, 4 optimizers, {screen}", server,
                               f"?optimizer={FOUR}", ".tj-rmsprop-eta", "svg", PATH, NEW_READY.format(path=PATH),
                               viewport=dict(viewport)))
    return out


PAIRS = [("old1", "new1"), ("old4", "new4"), ("old4_500", "new4_500"), ("naive", "new1"), ("new1", "floor"),
         ("new1_step", "new1"), ("new1_step", "new1_fold")]
NAIVE_EVERY = 4  # a naive move takes seconds: it takes part in every 4th round only, to keep the run short
TARGETS_MS = {"new1": 8.0, "new4": 12.0, "new4_500": 16.0}  # new4_500's is under load
RATIO_TARGET = 5.0

# Installed in every page before its own scripts run. See the module docstring for what it measures.
INIT_JS = r"""
(() => {
  const b = window.__bench = {armed: false, t0: null, done: null, pending: false, inFrame: false, lastTs: null,
                              frameStart: null, vsync: null, resolve: null};
  const raf = window.requestAnimationFrame.bind(window);
  const channel = new MessageChannel();
  let after = [];
  channel.port1.onmessage = () => { const fns = after; after = []; for (const f of fns) f(); };
  // runs f in the first task after the current one: after a frame's rendering work when called inside it
  const afterTask = (f) => { after.push(f); if (after.length === 1) channel.port2.postMessage(0); };
  window.requestAnimationFrame = (callback) => raf((ts) => {
    if (ts !== b.lastTs) {
      b.lastTs = ts;
      b.vsync = ts;
      b.frameStart = performance.now();
      b.inFrame = true;
      afterTask(() => { b.inFrame = false; });
    }
    return callback(ts);
  });
  window.addEventListener('keydown', (e) => {
    if (!e.isTrusted || !b.armed || b.t0 !== null) return;
    b.t0 = performance.now();
    b.inputDelay = b.t0 - e.timeStamp;
  }, true);

  b.sig = () => {
    if (b.kind === 'svg') { const p = document.querySelector(b.watch); return p ? p.getAttribute('d') : ''; }
    if (b.kind === 'img') {
      const imgs = document.querySelectorAll(b.watch);
      const img = imgs[imgs.length - 1];
      return img && img.complete && img.naturalWidth ? img.src : '';
    }
    let h = 0;
    for (const c of document.querySelectorAll(b.watch + ' canvas')) {
      if (!c.width || !c.height) continue;
      const d = new Uint32Array(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.buffer);
      for (let i = 0; i < d.length; i += 1) h = (h * 31 + d[i]) | 0;
    }
    return String(h);
  };
  const finish = (tChange, tFrame, vsync) => {
    const tEnd = performance.now();
    b.pending = false;
    if (!b.armed || b.sig() === b.base) return;  // this frame did not show a change: wait for the next
    b.armed = false;
    if (b.observer) b.observer.disconnect();
    b.done = {total: tEnd - b.t0, change: tChange - b.t0, frame: tFrame - b.t0, vsync: vsync - b.t0,
              end: tEnd - b.t0, inputDelay: b.inputDelay};
    if (b.resolve) b.resolve(b.done);
  };
  b.trigger = () => {
    if (!b.armed || b.t0 === null || b.pending) return;
    const tChange = performance.now();
    b.pending = true;
    if (b.inFrame) {
      const tFrame = b.frameStart, vsync = b.vsync;
      afterTask(() => finish(tChange, tFrame, vsync));
    } else {
      raf((ts) => { const tFrame = performance.now(); afterTask(() => finish(tChange, tFrame, ts)); });
    }
  };
  for (const name of ['drawImage', 'putImageData']) {
    const original = CanvasRenderingContext2D.prototype[name];
    CanvasRenderingContext2D.prototype[name] = function (...args) {
      const result = original.apply(this, args);
      if (b.armed && b.kind === 'canvas' && this.canvas.isConnected && this.canvas.closest('.tj-plot')) b.trigger();
      return result;
    };
  }
  b.arm = (kind, watch) => {
    b.kind = kind;
    b.watch = watch;
    b.base = b.sig();
    b.t0 = null;
    b.done = null;
    b.pending = false;
    b.resolve = null;
    if (kind === 'svg') {
      b.observer = new MutationObserver(() => b.trigger());
      b.observer.observe(document.querySelector(watch).closest('.tj-plot'),
                         {subtree: true, attributes: true, attributeFilter: ['d']});
    } else if (kind === 'img') {
      b.observer = new MutationObserver(() => {
        const imgs = document.querySelectorAll(watch);
        const img = imgs[imgs.length - 1];
        if (img && !img.complete) img.addEventListener('load', () => b.trigger(), {once: true});
        else b.trigger();
      });
      b.observer.observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
    }
    b.armed = true;
  };
  b.result = (timeout) => new Promise((resolve) => {
    if (b.done) { resolve(b.done); return; }
    b.resolve = resolve;
    setTimeout(() => {
      b.armed = false;
      if (b.observer) b.observer.disconnect();
      const active = document.activeElement;
      resolve(b.done || {missed: true, keydown: b.t0 !== null, pending: b.pending,
                         focus: active ? active.className : null});
    }, timeout);
  });
})();
"""

# Only in the pages that time their load: a check every animation frame would keep a measured page drawing.
TTI_JS = r"""
(() => {
  window.__tti = null;
  // Time to interactive: the first frame where the eta slider is there and the readout shows the book's line.
  const interactive = () => {
    const slider = document.querySelector('.tj-eta[role=slider], .tj-eta .noUi-handle');
    const readout = document.querySelector('.tj-readout');
    return slider && readout && readout.textContent.includes('BOOK_LINE');
  };
  const poll = () => { if (interactive()) window.__tti = performance.now(); else requestAnimationFrame(poll); };
  requestAnimationFrame(poll);
})();
""".replace("BOOK_LINE", BOOK_LINE)


# ---- numbers ----------------------------------------------------------------------------------------------------
def load_text() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


# ---- processes --------------------------------------------------------------------------------------------------
def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (Voila and its kernels)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = proc_stat(int(entry.name))
            if fields:
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def cpu_seconds(pids: list[int]) -> float:
    return sum(cpu_by_pid(pids).values())


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    """CPU seconds so far of each process of ``pids`` still alive."""
    return {pid: cpu for pid in pids if (cpu := process_cpu(pid)) is not None}


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two readings by the processes alive at both: a kernel that exits in between (the
    page of an earlier phase closing) would otherwise take its whole life's CPU off the total."""
    return sum(after[pid] - before[pid] for pid in before.keys() & after.keys())


def kernel_pid(server_pid: int, kernel_id: str) -> int | None:
    for pid in tree(server_pid):
        try:
            if f"kernel-{kernel_id}.json".encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
        except OSError:
            pass
    return None


def settle(servers: dict[str, subprocess.Popen], limit: float = 120.0, window: float = 0.5) -> float:
    """Wait until the servers and their kernels are idle (at most one clock tick of CPU over ``window``): a page
    that took a preheated kernel makes the pool start another one, and today's app may still be drawing the last
    move; neither may run into the next measurement."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        pids = [p for proc in servers.values() for p in tree(proc.pid)]
        before = cpu_seconds(pids)
        time.sleep(window)
        if cpu_seconds(pids) - before <= 1.5 / TICK:
            break
    return time.monotonic() - start


class Load:
    """Busy loops, one per core, started and always stopped by the benchmark."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.procs: list[subprocess.Popen] = []

    def __enter__(self) -> Load:
        for _ in range(self.n):
            self.procs.append(subprocess.Popen([sys.executable, "-c", "while True: pass"]))
        return self

    def __exit__(self, *exc: object) -> None:
        for proc in self.procs:
            proc.kill()
        for proc in self.procs:
            proc.wait()


# ---- servers ----------------------------------------------------------------------------------------------------
def baseline_checkout(ref: str, folder: Path) -> tuple[Path | None, str]:
    """Check ``ref`` out into a detached worktree under ``folder``; (path, "") or (None, why not)."""
    if importlib.util.find_spec("ipympl") is None:
        return None, "ipympl is not installed: today's app (ipympl) cannot run"
    path = folder / "baseline"
    done = subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), ref],
                          capture_output=True, text=True)
    if done.returncode != 0:
        return None, f"git worktree add {ref} failed: {done.stderr.strip()}"
    return path, ""


def remove_checkout(path: Path) -> None:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)], capture_output=True)
    shutil.rmtree(path, ignore_errors=True)
    subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], capture_output=True)


def start_naive(folder: Path, port: int, log: Any) -> subprocess.Popen:
    notebook = folder / "naive.ipynb"
    notebook.write_text(json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "id": "naive", "metadata": {}, "outputs": [],
                   "source": NAIVE_NOTEBOOK}],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5}))
    env = dict(os.environ, PYTHONPATH=str(ROOT), JUPYTER_PATH=str(ROOT / "trajectories"))
    env.pop("PYTHONWARNINGS", None)
    # the app's own Voila template: Voila's default one asks a CDN for MathJax
    cmd = [sys.executable, "-m", "voila", str(notebook), f"--port={port}", "--no-browser", "--Voila.ip=127.0.0.1",
           "--template=trajectories", "--preheat_kernel=True", "--pool_size=1"]
    return subprocess.Popen(cmd, env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


# ---- pages ------------------------------------------------------------------------------------------------------
def open_variant(browser, v: Variant, urls: dict[str, str]) -> None:
    v.context = browser.new_context(viewport=v.viewport)
    v.context.add_init_script(INIT_JS)
    v.page = v.context.new_page()
    v.page.on("websocket", lambda ws: v.ws_urls.append(ws.url))
    v.page.goto(urls[v.server] + v.query, timeout=PAGE_TIMEOUT_MS)
    # polled from here: wait_for_function evaluates its predicate with eval, which the HTML file's CSP forbids
    deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
    while not v.page.evaluate(f"() => {v.ready}"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{v.label} was not ready within {PAGE_TIMEOUT_MS / 1000:g} s")
        time.sleep(0.1)
    for selector, key, times in v.setup:
        v.page.focus(selector)
        for _ in range(times):
            v.page.keyboard.press(key)
    v.page.wait_for_timeout(500)


def kernel_of(v: Variant) -> str | None:
    for url in v.ws_urls:
        if "/api/kernels/" in url:
            return url.split("/api/kernels/", 1)[1].split("/", 1)[0]
    return None


def move(v: Variant, key: str, settle_ms: int, press_at_once: bool) -> dict | None:
    page = v.page
    page.bring_to_front()
    if not page.evaluate("(s) => document.activeElement === document.querySelector(s)", v.slider):
        page.focus(v.slider)
    page.wait_for_timeout(120)  # the focus change and the switch of page draw their frames first
    page.evaluate("([k, w]) => window.__bench.arm(k, w)", [v.kind, v.watch])
    result = press(page, key, press_at_once)
    page.wait_for_timeout(settle_ms)
    return result


def press(page, key: str, at_once: bool) -> dict | None:
    """A trusted key press, and what the page measured. A person holds a key 50 to 150 ms, so its keyup never
    lands in the frame that answers the keydown: the key goes up once that frame is measured. ``at_once``
    (``--press``) uses ``page.keyboard.press`` instead, whose keyup follows the keydown within a millisecond and
    is handled before the first frame (the new app then renders and syncs in between)."""
    if at_once:
        page.keyboard.press(key)
        return page.evaluate("(t) => window.__bench.result(t)", MOVE_TIMEOUT_MS)
    page.keyboard.down(key)
    try:
        return page.evaluate("(t) => window.__bench.result(t)", MOVE_TIMEOUT_MS)
    finally:
        page.keyboard.up(key)


SETTLE_MS = {"file": 100, "html": 100, "new": 100, "old": 200, "naive": 200}  # then the server must be idle too


def rounds(vs: list[Variant], servers: dict[str, subprocess.Popen], n: int, press_at_once: bool,
           warmup: int = 2) -> dict[str, dict]:
    """n rounds, one move on every page per round (the naive page every NAIVE_EVERY rounds), ArrowRight and
    ArrowLeft in turn; the first ``warmup`` rounds are not counted (the first moves compile the page's code
    paths). After each move the page's server must go idle before the next page moves."""
    out: dict[str, dict] = {v.name: {"times": [], "parts": [], "missed": 0} for v in vs}
    start = time.monotonic()
    pressed = {v.name: 0 for v in vs}
    for r in range(n + warmup):
        if r % 8 == 7:
            print(f"  round {r + 1} of {n + warmup}, {time.monotonic() - start:.0f} s", file=sys.stderr)
        for v in vs:
            if v.name == "naive" and r % NAIVE_EVERY != 0 and r >= warmup:
                continue
            key = "ArrowRight" if pressed[v.name] % 2 == 0 else "ArrowLeft"
            pressed[v.name] += 1
            result = move(v, key, SETTLE_MS[v.server], press_at_once)
            if v.server in servers:
                settle({v.server: servers[v.server]}, limit=30, window=0.15)
            if r < warmup:
                continue
            if result is None or result.get("missed"):
                out[v.name]["missed"] += 1
                print(f"  {v.name}: no change within {MOVE_TIMEOUT_MS / 1000:g} s after {key}: {result}",
                      file=sys.stderr)
            else:
                out[v.name]["times"].append(result["total"])
                out[v.name]["parts"].append(result)
    return out


def cpu_per_move(v: Variant, server: subprocess.Popen, moves: int) -> dict:
    """Server (Voila + kernels) CPU and page main-thread time per move, net of the same duration idle."""
    page = v.page
    page.bring_to_front()
    page.focus(v.slider)
    page.wait_for_timeout(300)
    cdp = v.context.new_cdp_session(page)
    cdp.send("Performance.enable")

    def task_seconds() -> float:  # CPU time of the page's main thread
        return next(m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] == "ThreadTime")

    pids = tree(server.pid)
    voila = [server.pid]
    c0, v0, p0, t0 = cpu_by_pid(pids), cpu_seconds(voila), task_seconds(), time.monotonic()
    missed = 0
    for i in range(moves):
        page.evaluate("([k, w]) => window.__bench.arm(k, w)", [v.kind, v.watch])
        result = press(page, "ArrowRight" if i % 2 == 0 else "ArrowLeft", False)
        if result is None or result.get("missed"):
            missed += 1
        page.wait_for_timeout(100 if v.server == "new" else 250)
    page.wait_for_timeout(1000)  # the last lesson reaches the kernel
    duration = time.monotonic() - t0
    c1, v1, p1 = cpu_by_pid(pids), cpu_seconds(voila), task_seconds()
    busy, busy_voila, busy_page = cpu_spent(c0, c1), v1 - v0, p1 - p0
    time.sleep(duration)
    idle, idle_voila, idle_page = cpu_spent(c1, cpu_by_pid(pids)), cpu_seconds(voila) - v1, task_seconds() - p1
    cdp.detach()
    return {"moves": moves, "missed": missed, "seconds": duration,
            "server_busy_s": busy, "server_idle_s": idle, "per_move_ms": 1000 * (busy - idle) / moves,
            "voila_per_move_ms": 1000 * (busy_voila - idle_voila) / moves,
            "page_per_move_ms": 1000 * (busy_page - idle_page) / moves}


def tti_page(browser, url: str, servers: dict[str, subprocess.Popen] | None) -> dict | None:
    """Seconds from navigation start to interactive in a fresh context (the pool refilled and idle before), and
    the page's main thread CPU seconds by then (what the page costs, whatever else the machine is doing)."""
    if servers:
        settle(servers)
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(TTI_JS)
    if url.startswith("file:"):
        context.route(lambda u: not u.startswith("file:"), lambda route: route.abort())
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    try:
        page.goto(url, timeout=PAGE_TIMEOUT_MS)
        # polled from here: wait_for_function evaluates its predicate with eval, which the HTML file's CSP forbids
        deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
        while time.monotonic() < deadline:
            tti = page.evaluate("() => window.__tti")
            if tti:
                metrics = cdp.send("Performance.getMetrics")["metrics"]
                return {"s": tti / 1000, "cpu": next(m["value"] for m in metrics if m["name"] == "ThreadTime")}
            time.sleep(0.05)
        raise TimeoutError("not interactive within the page timeout")
    except Exception as exc:  # noqa: BLE001 - a page that never gets there is reported, not fatal
        print(f"  time to interactive of {url}: {exc}", file=sys.stderr)
        return None
    finally:
        context.close()


# ---- the run ----------------------------------------------------------------------------------------------------
def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--moves", type=int, default=20, help="counted moves per page and per phase (default 20)")
    p.add_argument("--cpu-moves", type=int, default=100, help="moves for kernel + Voila CPU per move (default 100)")
    p.add_argument("--baseline-ref", default=BASELINE_REF, help=f"git ref of today's app (default {BASELINE_REF})")
    p.add_argument("--no-load", action="store_true", help="skip the second pass under CPU load")
    p.add_argument("--press", action="store_true", help="keys with page.keyboard.press (keyup at once, see press())")
    p.add_argument("--json", type=Path, help="also write every number to this file")
    p.add_argument("--layout", action="store_true", help="only the laid-out app (issue 22): served page and HTML "
                   "file at 1280x720 and 1920x1080, 1 and 4 optimizers, quiet and with both cores busy")
    p.add_argument("--repeat", type=int, default=1, help="--layout: run the rounds this many times (the spread)")
    args = p.parse_args()
    if args.layout:
        return main_layout(args)
    from playwright.sync_api import sync_playwright

    report: dict[str, Any] = {"load_at_start": load_text(), "moves": args.moves}
    began = time.monotonic()
    print(f"bench_slider: load average at start {report['load_at_start']} (1, 5, 15 min; {os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory(prefix="bench-slider-") as tmp_name:
        tmp = Path(tmp_name)
        old_root, why = baseline_checkout(args.baseline_ref, tmp)
        if old_root is None:
            print(f"bench_slider: today's app is skipped: {why}")
        servers: dict[str, subprocess.Popen] = {}
        urls: dict[str, str] = {}
        logs = {name: open(tmp / f"{name}.log", "w") for name in ("new", "old", "naive")}  # noqa: SIM115
        try:
            port = free_port()
            servers["new"] = start_server(port, root=ROOT, extra=("--pool-size=2",), log=logs["new"])
            urls["new"] = f"http://127.0.0.1:{port}/"
            if old_root is not None:
                port = free_port()
                servers["old"] = start_server(port, root=old_root, extra=("--pool-size=2",), log=logs["old"])
                urls["old"] = f"http://127.0.0.1:{port}/"
            port = free_port()
            servers["naive"] = start_naive(tmp, port, logs["naive"])
            urls["naive"] = f"http://127.0.0.1:{port}/"
            for name, proc in servers.items():
                wait_ready(urls[name] + READY_PATH, timeout=120, proc=proc)
            floor = tmp / "floor.html"
            floor.write_text(FLOOR_HTML)
            urls["file"] = floor.as_uri()
            html = tmp / "app.html"
            subprocess.run([sys.executable, "-m", "trajectories", "export", "rmsprop", "--format", "html", "-o",
                            str(html)], check=True, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                           stdout=subprocess.DEVNULL)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                try:
                    run_all(args, browser, servers, urls, html.as_uri(), report)
                finally:
                    browser.close()
        finally:
            for proc in servers.values():
                stop_server(proc)
            for log in logs.values():
                log.close()
            if old_root is not None:
                remove_checkout(old_root)
    report["load_at_end"] = load_text()
    report["minutes"] = (time.monotonic() - began) / 60
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    print_report(report)
    return 0


def main_layout(args) -> int:
    """--layout: a key to the frame that shows it, on the app as issue 22 lays it out."""
    from playwright.sync_api import sync_playwright

    report: dict[str, Any] = {"load_at_start": load_text(), "moves": args.moves, "runs": []}
    began = time.monotonic()
    print(f"bench_slider --layout: load average at start {report['load_at_start']} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory(prefix="bench-layout-") as tmp_name:
        tmp = Path(tmp_name)
        servers: dict[str, subprocess.Popen] = {}
        log = open(tmp / "new.log", "w")  # noqa: SIM115 - closed below
        try:
            port = free_port()
            servers["new"] = start_server(port, root=ROOT, extra=("--pool-size=4",), log=log)
            urls = {"new": f"http://127.0.0.1:{port}/"}
            wait_ready(urls["new"] + READY_PATH, timeout=120, proc=servers["new"])
            floor = tmp / "floor.html"
            floor.write_text(FLOOR_HTML)
            urls["file"] = floor.as_uri()
            html = tmp / "app.html"
            subprocess.run([sys.executable, "-m", "trajectories", "export", "rmsprop", "--format", "html", "-o",
                            str(html)], check=True, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                           stdout=subprocess.DEVNULL)
            urls["html"] = html.as_uri()
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                try:
                    vs = layout_variants()
                    for v in vs:
                        open_variant(browser, v, urls)
                    settle(servers)
                    for i in range(args.repeat):
                        run: dict[str, Any] = {"load_quiet": load_text()}
                        print(f"run {i + 1} of {args.repeat}, quiet; load {run['load_quiet']}")
                        run["quiet"] = rounds(vs, servers, args.moves, args.press)
                        if not args.no_load:
                            with Load(LOAD_PROCESSES):
                                time.sleep(3)
                                run["load_loaded"] = load_text()
                                print(f"run {i + 1} of {args.repeat}, both cores busy; load {run['load_loaded']}")
                                run["loaded"] = rounds(vs, servers, args.moves, args.press)
                                run["load_loaded_end"] = load_text()
                        report["runs"].append(run)
                finally:
                    browser.close()
        finally:
            for proc in servers.values():
                stop_server(proc)
            log.close()
    report["load_at_end"] = load_text()
    report["minutes"] = (time.monotonic() - began) / 60
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    print_layout(report)
    return 0


def print_layout(r: dict) -> None:
    labels = {v.name: v.label for v in layout_variants()}
    median_target, p95_target = LAYOUT_TARGETS_MS
    print()
    print(f"Key to the frame that shows it, the app as laid out for issue 22; {r['moves']} moves per page and phase "
          "(median / p95, ms; wait for the frame | script | style, layout, paint)")
    for i, run in enumerate(r["runs"]):
        for phase in ("quiet", "loaded"):
            if phase not in run:
                continue
            load = run[f"load_{phase}"] + (f" -> {run['load_loaded_end']}" if phase == "loaded" else "")
            print(f"  run {i + 1}, {phase} (load {load}):")
            for name, d in run[phase].items():
                times, parts = d["times"], d["parts"]
                if not times:
                    print(f"    {labels[name]:40s} no move measured ({d['missed']} missed)")
                    continue
                m, p95 = median(times), percentile(times, 0.95)
                wait = median([q["frame"] for q in parts])
                script = median([q["change"] - q["frame"] for q in parts])
                rest = median([q["end"] - q["change"] for q in parts])
                split = f"{wait:5.1f} | {script:5.1f} | {rest:5.1f}"
                goal = ""
                if phase == "loaded" and name != "floor":
                    goal = (f"  median <= {median_target:g}: {verdict(m <= median_target)}, p95 <= {p95_target:g}: "
                            f"{verdict(p95 <= p95_target)}")
                missed = f" ({d['missed']} missed)" if d["missed"] else ""
                print(f"    {labels[name]:40s} {m:6.1f} / {p95:6.1f}   [{split}]{missed}{goal}")
    print(f"\nload average at start {r['load_at_start']}, at end {r['load_at_end']}; {r['minutes']:.1f} min")


def run_all(args, browser, servers, urls, html_url, report) -> None:
    settle(servers)
    print(f"servers idle; load {load_text()}; time to interactive (quiet)")
    tti: dict[str, list] = {"new page": [], "old page": [], "HTML file": []}
    for i in range(3):
        tti["new page"].append(tti_page(browser, urls["new"] + "?optimizer=rmsprop", servers))
        if "old" in servers and i < 2:
            tti["old page"].append(tti_page(browser, urls["old"] + "?optimizer=rmsprop", servers))
    for _ in range(5):
        tti["HTML file"].append(tti_page(browser, html_url, None))
    report["tti_quiet"] = tti

    vs = variants("old" in servers)
    print(f"opening {len(vs)} pages; load {load_text()}")
    for v in vs:
        open_variant(browser, v, urls)
    settle(servers)

    memory = {}
    for v in vs:
        kid = kernel_of(v)
        pid = kernel_pid(servers[v.server].pid, kid) if kid else None
        if pid:
            memory[f"kernel of {v.name}"] = memory_mb(pid)
    for name, proc in servers.items():
        memory[f"Voila ({name})"] = memory_mb(proc.pid)
    report["memory"] = memory

    print(f"kernel + Voila CPU per move; load {load_text()}")
    by_name = {v.name: v for v in vs}
    cpu = {"new1": cpu_per_move(by_name["new1"], servers["new"], args.cpu_moves)}
    if "old1" in by_name:
        settle(servers)
        cpu["old1"] = cpu_per_move(by_name["old1"], servers["old"], max(1, args.cpu_moves // 4))
    report["cpu"] = cpu

    settle(servers)
    report["load_quiet"] = load_text()
    print(f"slider, quiet: {args.moves} moves per page; load {report['load_quiet']}")
    report["quiet"] = rounds(vs, servers, args.moves, args.press)
    report["load_quiet_end"] = load_text()
    if args.no_load:
        return
    with Load(LOAD_PROCESSES):
        time.sleep(3)
        report["load_loaded"] = load_text()
        print(f"slider, under load ({LOAD_PROCESSES} busy loops): {args.moves} moves per page; "
              f"load {report['load_loaded']}")
        report["loaded"] = rounds(vs, servers, args.moves, args.press)
        tti = {"new page": [tti_page(browser, urls["new"] + "?optimizer=rmsprop", servers)],
               "HTML file": [tti_page(browser, html_url, None) for _ in range(3)]}
        report["tti_loaded"] = tti
        report["load_loaded_end"] = load_text()


# ---- the report -------------------------------------------------------------------------------------------------
def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def print_report(r: dict) -> None:
    phases = [p for p in ("quiet", "loaded") if p in r]
    names = list(r["quiet"])
    labels = {v.name: v.label for v in variants(True)}
    print()
    print(f"Slider to pixels: keydown -> end of the first frame showing the change; {r['moves']} moves per page "
          f"and phase (median / p95, ms)")
    print(f"  load average (1 min) quiet {r['load_quiet']} -> {r['load_quiet_end']}; "
          + (f"loaded {r['load_loaded']} -> {r['load_loaded_end']}" if "loaded" in r else "no loaded pass"))
    head = f"  {'page':48s}" + "".join(f" {p + ' median / p95':>22s}" for p in phases) + "  target"
    print(head)
    for name in names:
        row = f"  {labels[name]:48s}"
        for phase in phases:
            d = r[phase][name]
            missed = f" ({d['missed']} missed)" if d["missed"] else ""
            row += f" {median(d['times']):9.1f} / {percentile(d['times'], 0.95):7.1f}{missed}"
        if name in TARGETS_MS:
            phase = "loaded" if name == "new4_500" and "loaded" in r else "quiet"
            m = median(r[phase][name]["times"])
            row += f"  <= {TARGETS_MS[name]:g} ms ({phase}): {verdict(m <= TARGETS_MS[name])}"
        print(row)
    print("  ratios in the same run (baseline median / new median):")
    for base, new in PAIRS:
        if base not in r["quiet"]:
            continue
        parts = []
        ok = True
        for phase in phases:
            ratio = median(r[phase][base]["times"]) / median(r[phase][new]["times"])
            parts.append(f"{phase} {ratio:6.1f}x")
            ok = ok and ratio >= RATIO_TARGET
        goal = f"  >= {RATIO_TARGET:g}x: {verdict(ok)}" if base.startswith("old") else ""
        print(f"    {base + ' / ' + new:20s} " + ", ".join(parts) + goal)
    print("  where the new app's time goes (medians, ms): wait for the frame | frame's script up to the new path "
          "| rest of the frame (style, layout, paint)")
    for phase in phases:
        for name in names:
            if not (name.startswith("new") or name == "floor"):
                continue
            parts = r[phase][name]["parts"]
            wait = median([q["frame"] for q in parts])
            script = median([q["change"] - q["frame"] for q in parts])
            rest = median([q["end"] - q["change"] for q in parts])
            delay = median([q["inputDelay"] for q in parts])
            print(f"    {phase:6s} {name:9s} {wait:6.1f} | {script:6.1f} | {rest:6.1f}   "
                  f"(input queue before keydown {delay:.1f})")
    print()
    print("Kernel + Voila CPU per move (net of the same duration idle, same pages open):")
    for name, c in r["cpu"].items():
        limit = f"  <= 1 ms: {verdict(c['per_move_ms'] <= 1.0)}" if name == "new1" else ""
        print(f"  {labels[name]:48s} {c['per_move_ms']:7.2f} ms per move over {c['moves']} moves "
              f"(Voila {c['voila_per_move_ms']:.2f}; busy {c['server_busy_s']:.2f} s, idle {c['server_idle_s']:.2f} s "
              f"in {c['seconds']:.0f} s; page main thread {c['page_per_move_ms']:.2f} ms per move){limit}")
    print()
    print("Time to interactive (navigation start -> eta slider there and the readout shows the book's line), s; "
          "in brackets the page's main thread CPU s by then:")
    for phase in ("tti_quiet", "tti_loaded"):
        for what, values in r.get(phase, {}).items():
            ok_values = [x for x in values if x is not None]
            if not ok_values:
                continue
            m = median([x["s"] for x in ok_values])
            limit = {"new page": 2.0, "HTML file": 0.5}.get(what)
            goal = f"  <= {limit:g} s: {verdict(m <= limit)}" if limit and phase == "tti_quiet" else ""
            each = ", ".join(f"{x['s']:.2f} [{x['cpu']:.2f}]" for x in ok_values)
            print(f"  {phase[4:]:6s} {what:10s} median {m:5.2f} of {len(ok_values)} ({each}){goal}")
    print()
    print("Memory per process, MB (PSS / USS / RSS), every page open:")
    for key, m in r["memory"].items():
        goal = f"  PSS <= 80 MB: {verdict(m['pss'] <= 80)}" if key == "kernel of new1" else ""
        print(f"  {key:22s} {m['pss']:7.1f} / {m['uss']:7.1f} / {m['rss']:7.1f}{goal}")
    print(f"\nload average at start {r['load_at_start']}, at end {r['load_at_end']}; {r['minutes']:.1f} min")


if __name__ == "__main__":
    sys.exit(main())
