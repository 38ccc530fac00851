"""Students without browsers: each one does to ``trajectories serve`` what a student's Chromium does, at the
protocol level, from the recording ``benchmarks/data/student.json`` (``record_student.py``).

A student:

1. asks for the page with the headers Chromium sent (``Accept-Encoding: gzip, ...``), and the page's 95 files in
   the recorded order, at most 6 at a time (Chromium's connections per host over HTTP/1.1), each once the requests
   that had ended before it started in the browser have ended here too; answers are read as they come (gzip is
   not undone: the bytes on the wire are counted) and must have the recorded status and encoding;
2. opens the kernel websocket speaking the page's protocol (``v1.kernel.websocket.jupyter.org``, binary frames)
   and sends what the page sent: a kernel_info_request, then the widget manager's comm to
   ``jupyter.widget.control`` and its ``request_states``; **ready** is when the widgets' states arrive, with the
   app's lesson, which must be the one the page's link asks for (the kernel got the page's query);
3. presses: sends the app's lesson as the page does after each recorded key press and waits for the kernel's
   ``echo_update`` of that lesson (the round trip is timed);
4. on request, presses Export SVG and waits for the file, whose name (made by the kernel from its own lesson) must
   be the recorded one;
5. leaves as a closed tab does: the websocket closes and Voila's unload beacon shuts the kernel down.

Nothing runs in a browser: what the page's scripts cost is left to the students' own laptops, and what is
measured is what the server does for them. Every wait is bounded; only 127.0.0.1 is spoken to.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kernel_ws import PROTOCOL, comm_method, decode, encode, peek

RECORDING = Path(__file__).resolve().parent / "data" / "student.json"
CONNECTIONS = 6  # Chromium's connections per host over HTTP/1.1
KERNEL_ID = re.compile(rb'"kernelId": "([0-9a-f-]{36})"')


def load_recording(path: Path = RECORDING) -> dict[str, Any]:
    data = json.loads(path.read_text())
    for step in data["websocket"]["steps"]:
        for m in step["send"]:
            if m["buffers"]:
                raise ValueError(f"The recording's step {step['name']!r} sends binary buffers, which the replay "
                                 "does not carry. Got a message with buffers.")
    return data


def check_base(base: str) -> str:
    """Only this machine's loopback is spoken to."""
    url = urlsplit(base)
    if url.scheme != "http" or url.hostname != "127.0.0.1" or not url.port:
        raise ValueError(f"The 'base' parameter must be http://127.0.0.1:<port>/. Got {base!r} instead.")
    return f"http://127.0.0.1:{url.port}"


@dataclass
class Student:
    """What one student did and saw. Times in seconds since the student's first request, round trips in ms."""

    index: int
    start: float = 0.0  # time.monotonic() of the first request
    first_byte: float | None = None
    html: float | None = None  # the page's HTML received in full
    files: float | None = None  # every recorded file received
    ready: float | None = None  # the app's state arrived over the kernel websocket
    kernel_id: str = ""
    presses: list[float] = field(default_factory=list)
    export: str | None = None
    bytes: int = 0
    errors: list[str] = field(default_factory=list)


class _Socket:
    """The kernel websocket: a reader that hands each non-status message to whoever waits for its kind."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.seen: list[tuple[dict, float]] = []  # (message, arrival time) of every non-status message
        self.changed = asyncio.Event()
        self.reader = asyncio.ensure_future(self._read())
        self.closed: str | None = None

    async def _read(self) -> None:
        import aiohttp

        try:
            async for frame in self.ws:
                if frame.type != aiohttp.WSMsgType.BINARY:
                    self.closed = f"the server sent a {frame.type.name} frame, not the page's binary protocol"
                    break
                _, msg_type = peek(frame.data)
                if msg_type == "status":
                    continue
                self.seen.append((decode(frame.data), time.monotonic()))
                self.changed.set()
        except Exception as exc:  # noqa: BLE001 - a broken connection is the student's error, reported below
            self.closed = f"websocket failed: {type(exc).__name__}: {exc}"
        if self.closed is None:
            self.closed = "the server closed the kernel websocket"
        self.changed.set()

    async def wait(self, pattern: dict[str, str], since: int, timeout: float) -> tuple[dict, float]:
        """The first message from index ``since`` on matching ``pattern`` (msg_type, widget method)."""
        deadline = time.monotonic() + timeout
        while True:
            self.changed.clear()  # before looking, so a message arriving meanwhile wakes the wait below
            for m, t in self.seen[since:]:
                if m["header"]["msg_type"] == pattern["msg_type"] and comm_method(m) == pattern.get("method"):
                    return m, t
            if self.closed:
                raise ConnectionError(self.closed)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {pattern} from the kernel within {timeout:g} s")
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except asyncio.TimeoutError:
                pass


class Replay:
    """One student's session on a server at ``base``, following ``recording``."""

    def __init__(self, base: str, recording: dict[str, Any], index: int, *, timeout: float = 300.0) -> None:
        self.base = check_base(base)
        self.rec = recording
        self.s = Student(index)
        self.timeout = timeout
        self.session_id = str(uuid.uuid4())
        self.comms: dict[str, str] = {}  # placeholder -> comm id in this kernel
        self.http: Any = None
        self.socket: _Socket | None = None

    # ---- HTTP ---------------------------------------------------------------------------------------------
    def _fill(self, text: str) -> str:
        return (text.replace("{origin}", self.base).replace("{kernel_id}", self.s.kernel_id)
                .replace("{session_id}", self.session_id).replace("{now_ms}", str(int(time.time() * 1000))))

    def _headers(self, recorded: dict[str, str]) -> dict[str, str]:
        return {k: self._fill(v) for k, v in recorded.items()}

    async def _get(self, entry: dict[str, Any]) -> None:
        async with self.http.request(entry["method"], self.base + self._fill(entry["path"]),
                                     headers=self._headers(entry["headers"])) as r:
            body = await r.read()
            self.s.bytes += len(body)
            if r.status != entry["status"] or r.headers.get("Content-Encoding") != entry["encoding"]:
                self.s.errors.append(f"{entry['path']}: {r.status} {r.headers.get('Content-Encoding')}, recorded "
                                     f"{entry['status']} {entry['encoding']}")

    async def _page(self, entry: dict[str, Any], first_byte: asyncio.Future) -> None:
        async with self.http.get(self.base + self._fill(entry["path"]), headers=self._headers(entry["headers"])) as r:
            chunks = []
            async for chunk in r.content.iter_any():
                if not first_byte.done():
                    self.s.first_byte = time.monotonic() - self.s.start
                    first_byte.set_result(None)
                chunks.append(chunk)
            body = b"".join(chunks)
            self.s.bytes += len(body)
            if r.status != 200:
                raise ConnectionError(f"the page answered {r.status}")
            html = gzip.decompress(body) if r.headers.get("Content-Encoding") == "gzip" else body
        found = KERNEL_ID.search(html)
        if not found:
            raise ConnectionError("the page names no kernel")
        self.s.kernel_id = found.group(1).decode()
        self.s.html = time.monotonic() - self.s.start

    async def _load(self) -> None:
        """The page and its files, each once what had ended before it in the browser has ended here."""
        requests = self.rec["requests"]
        ws_start = self.rec["websocket"]["start_ms"]
        ended = [asyncio.get_running_loop().create_future() for _ in requests]
        first_byte = asyncio.get_running_loop().create_future()
        by_end = sorted(range(len(requests)), key=lambda i: requests[i]["end_ms"])

        async def after(start_ms: float) -> None:
            if requests[0]["first_byte_ms"] <= start_ms:
                await first_byte
            for j in by_end:
                if requests[j]["end_ms"] > start_ms:
                    break
                await ended[j]

        async def one(i: int) -> None:
            try:
                await after(requests[i]["start_ms"])
                if i == 0:
                    await self._page(requests[0], first_byte)
                else:
                    await self._get(requests[i])
            finally:
                if not first_byte.done():
                    first_byte.set_result(None)
                ended[i].set_result(None)

        tasks = [asyncio.ensure_future(one(i)) for i in range(len(requests))]
        socket = asyncio.ensure_future(self._open_socket(after(ws_start)))
        try:
            await asyncio.gather(*tasks)
            self.s.files = time.monotonic() - self.s.start
            await socket
        finally:
            for t in [*tasks, socket]:
                t.cancel()

    # ---- the kernel websocket ----------------------------------------------------------------------------
    async def _open_socket(self, after: Any) -> None:
        await after
        rec = self.rec["websocket"]
        headers = {"Origin": self.base, "User-Agent": self.rec["requests"][0]["headers"].get("user-agent", "")}
        ws = await self.http.ws_connect(self.base + self._fill(rec["path"]), protocols=(rec["protocol"],),
                                        headers=headers, max_msg_size=64 * 2**20, autoping=True)
        if ws.protocol != PROTOCOL:
            await ws.close()
            raise ConnectionError(f"the server did not speak {PROTOCOL} (it answered {ws.protocol!r})")
        self.socket = _Socket(ws)
        await self._step(self._steps("open")[0], ready=True)

    def _steps(self, name: str) -> list[dict]:
        return [s for s in self.rec["websocket"]["steps"] if s["name"] == name or s["name"].startswith(name + " ")]

    def _frame(self, m: dict[str, Any]) -> bytes:
        content = json.loads(json.dumps(m["content"]))
        comm = content.get("comm_id")
        if comm == "{new_comm}":
            content["comm_id"] = self.comms.setdefault(comm, uuid.uuid4().hex)
        elif isinstance(comm, str) and comm.startswith("{model:"):
            content["comm_id"] = self.comms[comm]
        header = {**m["header"], "msg_id": uuid.uuid4().hex, "session": self.session_id,
                  "date": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")}
        return encode(m["channel"], header, {}, m["metadata"], content)

    async def _step(self, step: dict[str, Any], *, ready: bool = False) -> tuple[dict, float]:
        assert self.socket is not None
        since = len(self.socket.seen)
        for m in step["send"]:
            if m["after"]:
                await self.socket.wait(m["after"], since, self.timeout)
            await self.socket.ws.send_bytes(self._frame(m))
        reply, at = await self.socket.wait(step["until"], since, self.timeout)
        if ready:
            self._states(reply)
            self.s.ready = at - self.s.start
        return reply, at

    def _states(self, reply: dict[str, Any]) -> None:
        """The widgets' states: learn the app's comm id, and check it shows the lesson the link asked for."""
        states = reply["content"]["data"]["states"]
        for model_id, s in states.items():
            self.comms["{model:" + s["model_name"] + "}"] = model_id
        app = [s["state"] for s in states.values() if "lesson" in s["state"]]
        asked = dict(kv.split("=", 1) for kv in self.rec["recorded"]["query"].split("&"))
        if not app or ",".join(r["optimizer"] for r in app[0]["lesson"]["runs"]) != asked.get("optimizer"):
            raise ConnectionError(f"the app's state is not the lesson the link asked for ({asked})")

    # ---- what the student does ---------------------------------------------------------------------------
    async def arrive(self) -> None:
        import aiohttp

        self.s.start = time.monotonic()
        connector = aiohttp.TCPConnector(limit=CONNECTIONS, limit_per_host=CONNECTIONS)
        self.http = aiohttp.ClientSession(connector=connector, auto_decompress=False,
                                          skip_auto_headers=("User-Agent", "Accept-Encoding"),
                                          timeout=aiohttp.ClientTimeout(total=self.timeout))
        try:
            await asyncio.wait_for(self._load(), self.timeout)
        except Exception as exc:  # noqa: BLE001 - whatever stopped the page is this student's error
            self.s.errors.append(f"not ready: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")

    async def press(self, k: int) -> None:
        """The lesson the page sent after the k-th recorded key press (1-based), and the kernel's echo of it."""
        if self.s.ready is None or self.socket is None:
            return
        step = self._steps(f"press {k}")[0]
        t0 = time.monotonic()
        try:
            reply, at = await self._step(step)
        except Exception as exc:  # noqa: BLE001
            self.s.errors.append(f"press {k} not answered: {type(exc).__name__}: {exc}")
            return
        if reply["content"]["data"]["state"]["lesson"] != step["send"][-1]["content"]["data"]["state"]["lesson"]:
            self.s.errors.append(f"press {k}: the kernel echoed another lesson")
        self.s.presses.append(1000 * (at - t0))

    async def export(self) -> None:
        if self.s.ready is None or self.socket is None:
            return
        try:
            reply, _ = await self._step(self._steps("export")[0])
        except Exception as exc:  # noqa: BLE001
            self.s.errors.append(f"Export gave no file: {type(exc).__name__}: {exc}")
            return
        self.s.export = reply["content"]["data"]["content"].get("name")
        if self.s.export != self.rec["recorded"]["export"]:
            self.s.errors.append(f"Export named {self.s.export!r}, recorded {self.rec['recorded']['export']!r}")

    async def leave(self, *, beacon: bool = True) -> None:
        """Close the websocket, and post the unload beacon as a closed tab does (``beacon``)."""
        try:
            if self.socket is not None:
                await self.socket.ws.close()
                self.socket.reader.cancel()
            if beacon and self.s.kernel_id:
                for entry in self.rec["leave"]:
                    async with self.http.request(entry["method"], self.base + self._fill(entry["path"]),
                                                 headers=self._headers(entry["headers"]),
                                                 data=entry.get("body", "").encode()) as r:
                        await r.read()
        except Exception as exc:  # noqa: BLE001
            self.s.errors.append(f"leaving failed: {type(exc).__name__}: {exc}")
        finally:
            if self.http is not None:
                await self.http.close()
