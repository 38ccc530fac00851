"""Record once what a student's browser does to ``trajectories serve``, for ``students.py`` to replay at scale.

Starts a ``trajectories serve`` of this checkout (a pool of one kernel), opens ``/?optimizer=gd,momentum`` in
headless Chromium (Playwright, Debian's ``/usr/bin/chromium``), and writes to ``benchmarks/data/student.json``:

- every HTTP request the page makes: method, path (the kernel's id and the cache-buster replaced by placeholders),
  the request headers Chromium sent (``Accept-Encoding`` included, so the replay gets gzip as the browser does),
  the status and encoding of the answer, and when it started and ended after the navigation began (the replay
  starts a request only once the requests that had ended before it started in the browser have ended);
- the kernel websocket: its path, the subprotocol the page asked for and got, and every message the page sent,
  in order, grouped by what the student did (open the page, five ArrowRight presses on eta, Export SVG), each with
  the message it waited for (a kernel_info_reply, the widgets' states) and the message that ends the step; the
  widget's comm id is replaced by a placeholder the replay fills in from the kernel's own states;
- the request the page makes when it is left (Voila's unload beacon that shuts its kernel down).

Run it again when Voila, JupyterLab's front end or the app's messages change (``tests/test_students.py`` fails
when a recorded file is no longer served).

Usage::

    python benchmarks/record_student.py            # writes benchmarks/data/student.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from kernel_ws import PROTOCOL, comm_method, decode  # noqa: E402
from pages import READY  # noqa: E402
from servers import READY_PATH, free_port, start_server, stop_server, wait_ready  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUERY = "optimizer=gd,momentum"
PRESSES = 5
OUT = ROOT / "benchmarks" / "data" / "student.json"
KEEP_HEADERS_OUT = {"host", "cookie", "content-length", "connection"}
# The page's websockets: what it asked for, what the server agreed to speak, and when (ms since navigation start).
WS_JS = """
(() => {
  window.__recorded = [];
  const WS = window.WebSocket;
  window.WebSocket = class extends WS {
    constructor(url, protocols) {
      super(url, protocols);
      const entry = { url: String(url), asked: protocols, t: performance.now(), protocol: null };
      window.__recorded.push(entry);
      this.addEventListener('open', () => { entry.protocol = this.protocol; });
    }
  };
})();
"""
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def placeholders(path: str, kernel_id: str) -> str:
    """A recorded path with this page's kernel id and a cache-buster (``?<milliseconds>``) made general."""
    path = path.replace(kernel_id, "{kernel_id}")
    path = re.sub(r"session_id=" + UUID, "session_id={session_id}", path)
    return re.sub(r"\?\d{12,14}$", "?{now_ms}", path)


def headers(raw: dict[str, str], origin: str, kernel_id: str) -> dict[str, str]:
    """The request headers Chromium sent, with the server's address (in Referer, Origin) made a placeholder."""
    return {k: placeholders(v.replace(origin, "{origin}"), kernel_id) for k, v in raw.items()
            if k.lower() not in KEEP_HEADERS_OUT and not k.startswith(":")}


def step_of(marks: list[tuple[int, str]], index: int) -> str:
    """The student's action a sent message belongs to: the last mark at or before it."""
    step = "open"
    for at, name in marks:
        if at <= index:
            step = name
    return step


def pattern(message: dict) -> dict[str, str]:
    """What identifies a message the replay waits for: its msg_type, and its widget method if it has one."""
    p = {"msg_type": message["header"]["msg_type"]}
    if comm_method(message):
        p["method"] = comm_method(message)
    return p


def record(out: Path) -> dict:
    from playwright.sync_api import sync_playwright

    port = free_port()
    proc = start_server(port, extra=("--pool-size=1",), root=ROOT)
    requests: list = []
    frames: list[tuple[str, bytes | str]] = []  # ("sent" | "recv" | "mark:<step>", payload)
    ws_info: dict = {}
    try:
        wait_ready(f"http://127.0.0.1:{port}/{READY_PATH}", timeout=120, proc=proc)
        time.sleep(5)  # the pool's kernel has run the notebook up to its wait for a page
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            # the context's requests, not the page's: the unload beacon outlives the page
            context.on("request", lambda r: requests.append(r) if r.url.startswith("http://") else None)
            page = context.new_page()

            def on_ws(ws) -> None:
                ws_info["url"] = ws.url
                ws.on("framesent", lambda p: frames.append(("sent", p)))
                ws.on("framereceived", lambda p: frames.append(("recv", p)))

            page.on("websocket", on_ws)
            page.add_init_script(WS_JS)
            page.goto(f"http://127.0.0.1:{port}/?{QUERY}", wait_until="commit")
            page.wait_for_function(READY, timeout=120_000)
            origin = page.evaluate("() => performance.timeOrigin")
            page.focus(".tj-eta")

            def wait_for(method: str, count: int) -> None:
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    got = [f for d, f in frames if d == "recv" and isinstance(f, bytes)
                           and b'"' + method.encode() + b'"' in f]
                    if len(got) >= count:
                        return
                    page.wait_for_timeout(50)
                raise TimeoutError(f"no {method} from the kernel within 30 s")

            for k in range(PRESSES):
                frames.append((f"mark:press {k + 1}", b""))
                page.keyboard.press("ArrowRight")
                wait_for("echo_update", k + 1)
                page.wait_for_timeout(300)
            frames.append(("mark:export", b""))
            with page.expect_download(timeout=120_000) as download:
                page.click(".tj-export")
            export_name = download.value.suggested_filename
            wait_for("download", 1)
            page.wait_for_timeout(500)
            settled = len(requests)
            sockets = page.evaluate("() => window.__recorded")
            frames.append(("mark:leave", b""))
            timings = [(r, r.timing, r.all_headers(), r.response()) for r in requests]
            page.close(run_before_unload=True)  # as a tab closed: Voila's page posts its shutdown beacon
            context.new_page().wait_for_timeout(1500)
            # the page is gone: its last request's actual headers can no longer be asked for, Chromium's own can
            timings += [(r, r.timing, r.headers, None) for r in requests[settled:]]
            version = browser.version
            browser.close()
    finally:
        stop_server(proc)

    document = timings[0]
    html_path = urlsplit(document[0].url)
    kernel_id = re.search(UUID, ws_info["url"]).group(0)
    t0 = document[1]["startTime"]  # ms since the epoch, like performance.timeOrigin
    recorded_requests = []
    leave = []
    for i, (r, timing, sent, response) in enumerate(timings):
        url = urlsplit(r.url)
        path = placeholders(url.path + (f"?{url.query}" if url.query else ""), kernel_id)
        entry = {"method": r.method, "path": path, "headers": headers(sent, f"http://127.0.0.1:{port}", kernel_id),
                 "status": response.status if response else None, "type": r.resource_type,
                 "encoding": (response.headers.get("content-encoding") if response else None),
                 "start_ms": round(timing["startTime"] - t0, 1),
                 "end_ms": round(timing["startTime"] - t0 + timing["responseEnd"], 1)}
        if r.method == "POST":
            entry["body"] = r.post_data
        if i == 0:
            entry["first_byte_ms"] = round(timing["responseStart"], 1)
        if i >= settled:
            del entry["start_ms"], entry["end_ms"], entry["status"], entry["encoding"]
            leave.append(entry)
        else:
            recorded_requests.append(entry)
    if len(sockets) != 1 or sockets[0]["protocol"] != PROTOCOL:
        raise ValueError(f"The page must open one kernel websocket speaking {PROTOCOL}. Got {sockets} instead.")

    # the websocket: what the page sent, per step, with what each send waited for
    comm_ids: dict[str, str] = {}
    marks: list[tuple[int, str]] = []
    messages: list[tuple[str, dict]] = []
    for direction, payload in frames:
        if direction.startswith("mark:"):
            marks.append((len(messages), direction[5:]))
            continue
        if not isinstance(payload, bytes):
            raise ValueError("The page sent a text frame: it did not speak the v1 protocol.")
        m = decode(payload)
        if m["header"]["msg_type"] == "comm_msg" and comm_method(m) == "update_states":
            for model_id, s in m["content"]["data"]["states"].items():
                comm_ids[model_id] = s["model_name"]
        messages.append((direction, m))
    steps: list[dict] = []
    waiting_for: dict | None = None
    for index, (direction, m) in enumerate(messages):
        name = step_of(marks, index)
        if not steps or steps[-1]["name"] != name:
            steps.append({"name": name, "send": [], "until": None})
            waiting_for = None
        step = steps[-1]
        if direction == "recv":
            if m["header"]["msg_type"] != "status":
                waiting_for = pattern(m)
                step["until"] = waiting_for
            continue
        content = json.loads(json.dumps(m["content"]))
        comm = content.get("comm_id")
        if comm in comm_ids:
            content["comm_id"] = "{model:" + comm_ids[comm] + "}"
        elif comm:
            content["comm_id"] = "{new_comm}"
        header = {k: v for k, v in m["header"].items() if k not in ("msg_id", "session", "date")}
        step["send"].append({"after": waiting_for, "channel": m["channel"], "header": header,
                             "metadata": m["metadata"], "content": content, "buffers": len(m["buffers"])})
    data = {
        "about": "What one student's Chromium did to `trajectories serve` (benchmarks/record_student.py); replayed by "
                 "benchmarks/students.py.",
        "recorded": {"date": time.strftime("%Y-%m-%d"), "chromium": version, "query": QUERY,
                     "export": export_name, "page": html_path.path},
        "requests": recorded_requests,
        "websocket": {"path": placeholders(urlsplit(ws_info["url"]).path + "?" + urlsplit(ws_info["url"]).query,
                                           kernel_id),
                      "protocol": sockets[0]["protocol"],
                      "start_ms": round(origin + sockets[0]["t"] - t0, 1),
                      "steps": steps},
        "leave": leave,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1) + "\n")
    return data


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-o", "--output", type=Path, default=OUT, help=f"where to write (default {OUT.relative_to(ROOT)})")
    args = p.parse_args()
    data = record(args.output)
    print(f"{args.output}: {len(data['requests'])} requests, "
          f"{sum(len(s['send']) for s in data['websocket']['steps'])} websocket messages in "
          f"{len(data['websocket']['steps'])} steps, {len(data['leave'])} on leaving")


if __name__ == "__main__":
    main()
