"""A hostile or broken client against a real ``trajectories serve``: odd websocket frames, odd paths, a link too long.

The server must keep answering every student: after any of these it answers a GET in under a second, holds no
more memory than before, sends no traceback and logs one line, never a traceback. These tests attack a server of
their own (a regression would take down only that one, not the session's).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import re
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from conftest import Server
from servers import (
    READY_PATH,
    ROOT,
    frame,
    free_port,
    kernel_channels,
    kernel_id,
    receive,
    rss_mb,
    start_server,
    stop_server,
    wait_ready,
)

from trajectories.handlers import MAX_TARGET
from trajectories.kernels import MALFORMED, MAX_MESSAGE, PROTOCOL, REFUSED, read_frame

EXPORT = {"method": "custom", "content": {"type": "export", "kind": "trajectories", "step": None}}  # the app's own


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory):
    port = free_port()
    log = tmp_path_factory.mktemp("hostile") / "voila.log"
    with open(log, "wb") as fh:
        proc = start_server(port, log=fh, root=ROOT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_ready(url + READY_PATH, timeout=90, proc=proc)
        yield Server(url, proc, log)
    finally:
        stop_server(proc)


@pytest.fixture(scope="module")
def kernel(own_server) -> str:
    """The kernel of one page, once the server is quiet again: a page taken from the pool makes the server start
    and render a kernel to refill it, which holds up its answers for a second or so on a busy machine."""
    taken = kernel_id(own_server.url)
    deadline = time.monotonic() + 120
    quick = 0
    while quick < 3 and time.monotonic() < deadline:
        quick = quick + 1 if _get_seconds(own_server.url) < 0.2 else 0
        time.sleep(0.5)
    return taken


def _get_seconds(url: str) -> float:
    """Seconds a GET of a static file takes; fails if the server does not answer within 5 s."""
    t0 = time.perf_counter()
    with urllib.request.urlopen(url + READY_PATH, timeout=5) as r:
        r.read()
    return time.perf_counter() - t0


def _until_closed(ws, timeout: float = 30.0) -> None:
    """Read (status messages of the kernel may come first) until the server closes the connection, which raises
    ConnectionClosed; fail if it has not within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            ws.recv(timeout=1)
        except TimeoutError:
            continue
    pytest.fail(f"the server did not close the connection within {timeout:g} s")


def _app_comms(ws, session: str) -> list[str]:
    ws.send(frame("comm_info_request", {}, session))
    [reply] = [m for m in receive(ws, lambda got: any(m[1] == "comm_info_reply" for m in got))
               if m[1] == "comm_info_reply"]
    return list(reply[2]["comms"])


# --- item 1: one websocket message took the whole server down ---------------------------------------------------


def test_the_legacy_framing_is_what_voilas_reader_misread():
    """Why the server refuses clients of jupyter_server's legacy protocol: there, a message with a binary buffer
    (the Export reply) starts with a 4-byte big-endian count, and Voila's reader takes its first 8 bytes as a
    little-endian count of offsets: about 8.6e17 of them for the app's export. read_frame checks the count against
    the frame's length first, and the page's own frames pass."""
    from jupyter_server.services.kernels.connection.base import serialize_binary_message, serialize_msg_to_ws_v1

    message = {"header": {"msg_type": "comm_msg"}, "parent_header": {}, "metadata": {}, "content": {},
               "buffers": [b"<svg/>" * 100], "channel": "iopub"}
    legacy = serialize_binary_message(message)
    assert int.from_bytes(legacy[:8], "little") > 10 ** 17  # what Voila's read_header_from_binary_message trusts
    assert read_frame(legacy) is None
    parts = [b'{"msg_type": "comm_msg"}', b"{}", b"{}", b"{}", b"<svg/>"]
    assert read_frame(serialize_msg_to_ws_v1(parts, "iopub")) == ("iopub", parts)
    assert read_frame((2 ** 64 - 1).to_bytes(8, "little") + b"\0" * 64) is None


def test_a_client_of_another_protocol_is_refused_and_the_server_stays_up(own_server, kernel):
    """The issue's probe: a plain websocket (no subprotocol, as ``new WebSocket(url)``) to a page's kernel sends
    the app's Export message. It is closed at once with code 1002 and a reason, before anything reaches the
    kernel; the same Export through the page's protocol comes back with its SVG, and the server then answers a GET
    in under a second and holds less than 50 MB more than before (the issue saw 1.5 GB after 10 s)."""
    from websockets.exceptions import ConnectionClosed

    session = uuid.uuid4().hex
    with kernel_channels(own_server.url, kernel, session) as ws:
        comms = _app_comms(ws, session)
    before = rss_mb(own_server.proc.pid)
    with kernel_channels(own_server.url, kernel, uuid.uuid4().hex, as_page=False) as plain, \
            pytest.raises(ConnectionClosed) as closed:
        for comm in comms:  # as the probe sent it: JSON text, jupyter_server's legacy protocol
            plain.send(json.dumps({"header": {"msg_id": uuid.uuid4().hex, "msg_type": "comm_msg",
                                              "session": session, "username": "x", "version": "5.3",
                                              "date": "2026-01-01T00:00:00Z"},
                                   "parent_header": {}, "metadata": {}, "channel": "shell",
                                   "content": {"comm_id": comm, "data": EXPORT}}))
        _until_closed(plain)
    assert closed.value.rcvd.code == REFUSED and PROTOCOL in closed.value.rcvd.reason
    assert "does not speak v1.kernel.websocket.jupyter.org" in own_server.log_text()
    with kernel_channels(own_server.url, kernel, session) as ws:
        for comm in comms:
            ws.send(frame("comm_msg", {"comm_id": comm, "data": EXPORT}, session))
        replies = receive(ws, lambda got: any(m[1] == "comm_msg" and m[3] for m in got), timeout=60)
    [svg] = [m[3][0] for m in replies if m[1] == "comm_msg" and m[3]]
    assert svg.startswith(b"<?xml") and b"<svg" in svg
    time.sleep(2)  # the runaway took 35-50 MB a second
    assert _get_seconds(own_server.url) < 1.0
    assert rss_mb(own_server.proc.pid) - before < 50


@pytest.mark.parametrize("name, message", [
    ("a count of 2**64 - 1 offsets", (2 ** 64 - 1).to_bytes(8, "little") + b"\0" * 64),
    ("offsets past the frame's end", (6).to_bytes(8, "little") + b"".join(
        (56 + k * 1000).to_bytes(8, "little") for k in range(6)) + b"shell"),
    ("the legacy framing", b"\0\0\0\x02\0\0\0\x0c\0\0\0\x0e{}{}"),
    ("a header that is not JSON", None),
    ("text instead of a frame", "x" * 100),
])
def test_a_malformed_frame_closes_its_connection_only(own_server, kernel, name, message):
    """jupyter_server's v1 reader trusts a frame's count as Voila's does; each frame is checked first, and a
    malformed one closes its connection with code 1007, one line in the log, and nothing held."""
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1
    from websockets.exceptions import ConnectionClosed

    if message is None:
        message = serialize_msg_to_ws_v1([b"{not json", b"{}", b"{}", b"{}"], "shell")
    before = rss_mb(own_server.proc.pid)
    with kernel_channels(own_server.url, kernel, uuid.uuid4().hex) as ws, \
            pytest.raises(ConnectionClosed) as closed:
        ws.send(message)
        _until_closed(ws)
    assert closed.value.rcvd.code == MALFORMED, name
    time.sleep(1)
    assert _get_seconds(own_server.url) < 1.0
    assert rss_mb(own_server.proc.pid) - before < 50
    log = own_server.log_text()
    assert "Traceback" not in log and f"Closed a websocket to kernel {kernel}" in log


def test_one_message_is_bounded(own_server, kernel):
    """A message larger than the server takes from a page closes that connection (tornado's code 1009)."""
    from websockets.exceptions import ConnectionClosed

    with kernel_channels(own_server.url, kernel, uuid.uuid4().hex) as ws, \
            pytest.raises(ConnectionClosed) as closed:
        ws.send(b"\0" * (MAX_MESSAGE + 1))
        _until_closed(ws)
    assert closed.value.rcvd.code == 1009
    assert _get_seconds(own_server.url) < 1.0


def test_a_page_that_does_not_read_is_cut_off(caplog):
    """Export replies to a page that never reads would pile up in the server: past MAX_UNSENT bytes held for it,
    its connection is closed (1008), further messages are dropped, and one line says why. A real tornado
    websocket, whose client never reads."""
    from unittest import mock

    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler
    from tornado.httpserver import HTTPServer
    from tornado.netutil import bind_sockets
    from tornado.web import Application
    from tornado.websocket import WebSocketHandler, websocket_connect

    from trajectories.kernels import MAX_UNSENT, TOO_SLOW, QuietChannelsConnection

    async def scenario():
        opened = asyncio.get_running_loop().create_future()

        class Page(WebSocketHandler):
            def open(self):
                opened.set_result(self)

        [sock] = bind_sockets(0, "127.0.0.1")
        server = HTTPServer(Application([("/ws", Page)]))
        server.add_sockets([sock])
        client = await websocket_connect(f"ws://127.0.0.1:{sock.getsockname()[1]}/ws", max_message_size=1 << 30)
        try:
            handler = await opened
            connection = QuietChannelsConnection(websocket_handler=mock.Mock(
                spec=KernelWebsocketHandler, write_message=handler.write_message, close=handler.close,
                request=handler.request))
            sent = [connection.write_message(b"\0" * 4_000_000, binary=True) for _ in range(16)]  # 64 MB
            held = connection._unsent
            while await client.read_message() is not None:  # now read what was sent, up to the close
                pass
            return sent, held, client.close_code
        finally:
            client.close()
            server.stop()

    with caplog.at_level(logging.WARNING):
        sent, held, code = _run(scenario())
    assert held <= MAX_UNSENT
    assert sent[0] is not None and sent[-1] is None and code == TOO_SLOW
    assert len([r for r in caplog.records if "unread" in r.getMessage()]) == 1


def _run(coroutine):
    """``asyncio.run`` in a thread of its own (a session's sync Playwright keeps a loop in the main thread)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# --- items 5 and 6: a link too long, odd paths ------------------------------------------------------------------


def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.read().decode(errors="replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(errors="replace")


def test_a_link_too_long_gets_a_page_that_says_what_to_do(own_server, page):
    """Over tornado's 64 KB of headers a link got an empty response; now up to 3 MB (Chromium's longest address
    is 2 MB) the server reads it and answers 414 with one sentence and a link to the app."""
    status, body = _fetch(own_server.url + "?optimizer=gd&eta=" + "9" * 70_000)
    assert status == 414
    assert "too long: 68 KB" in body and f"up to {MAX_TARGET // 1024} KB" in body and 'href="/"' in body
    status, _ = _fetch(own_server.url + "?optimizer=gd&eta=" + "1" * 2_000_000)
    assert status == 414
    page.goto(own_server.url + "?optimizer=adam&eta=" + "9" * 100_000)
    assert "This link is too long: 98 KB" in page.inner_text("body")
    page.errors.clear()  # the console's line about the 414 itself
    page.get_by_role("link", name="Open the app").click()
    page.wait_for_selector(".tj-readout", timeout=120_000)
    assert page.url == own_server.url and page.errors == []
    log = own_server.log_text()
    assert "414 GET /?optimizer=adam&eta=999" in log and "... (97 KB)" in log and "9" * 200 not in log


ODD_PATHS = [  # the issue's, then more of the same kinds
    "voila/files/app.ipynb%00.png", "voila/templates/..%2f..%2fetc%2fpasswd",
    "voila/templates/trajectories/index.html.j2", "voila/labextensions/%2e%2e/%2e%2e/etc/passwd",
    "voila/api/themes/..%2f..%2fetc%2fpasswd", "logout?next=https://example.com",
    "voila/static/..%2f..%2fetc%2fpasswd", "voila/files/%00", "api/kernels/%00", "voila/api/themes/%00",
    "voila/templates/", "voila/templates/..%2fstatic%2fx", "voila/templates/nope/static/x.js",
    "voila/labextensions/%00", "%00", "%ff", "voila/query/not-a-kernel", "voila/render/app.ipynb",
    "voila/tree/..%2f..", "login?next=//example.com", "app.ipynb", "a%0d%0aSet-Cookie:%20x=1",
    f"api/kernels/{uuid.UUID(int=1)}", f"api/kernels/{uuid.UUID(int=1)}/channels", f"voila/query/{uuid.UUID(int=1)}",
    "voila/api/shutdown/%00", "?theme=../../etc/passwd&template=../../x",
]


@pytest.mark.parametrize("path", ODD_PATHS)
def test_an_odd_request_gets_a_clean_4xx_and_one_log_line(own_server, path):
    before = len(own_server.log_text())
    status, body = _fetch(own_server.url + path)
    time.sleep(0.3)  # the log line is written as the response goes out
    new = own_server.log_text()[before:]
    if path.startswith("?"):  # Voila's own keys are ignored: the app opens
        assert status == 200 and "Traceback" not in new
        return
    assert 400 <= status < 500, (path, status)
    for leak in ("Traceback", str(ROOT), "site-packages", "/etc/passwd", "Set-Cookie"):
        assert leak not in body, (path, leak)
    # one line names the request (other lines may be a kernel's, of other pages), and nothing went wrong
    assert len([line for line in new.splitlines() if "/" + path in line]) == 1, new
    for word in ("Traceback", "Uncaught", "ERROR", "Exception"):
        assert word not in new, new


def test_the_query_websocket_answers_only_the_kernel_and_once(own_server):
    """``voila/query/<kernel id>`` handed a page's request (its query, the server's name) to anyone holding the
    id, which the page's HTML shows. A client without the kernel's proof is refused before the websocket opens;
    even the kernel's own proof gets nothing once the request has been delivered."""
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    from trajectories.proof import HEADER, query_proof

    kernel = kernel_id(own_server.url, "optimizer=adam&eta=0.1")
    url = own_server.url.replace("http://", "ws://") + f"voila/query/{kernel}"
    for headers in ({}, {HEADER: "0" * 64}, {HEADER: query_proof(b"another key", kernel)}):
        with pytest.raises(InvalidStatus) as refused:
            connect(url, open_timeout=10, additional_headers=headers)
        assert refused.value.response.status_code == 403
    connection_file = next(Path(tempfile.gettempdir()).glob(f"voila_*/kernel-{kernel}.json"))
    key = re.search(r'"key": "([^"]+)"', connection_file.read_text()).group(1).encode()
    with connect(url, open_timeout=10, additional_headers={HEADER: query_proof(key, kernel)}) as ws, \
            pytest.raises(TimeoutError):
        ws.recv(timeout=2)
    assert "Traceback" not in own_server.log_text()
