"""A closed page frees its kernel, an open page keeps it however long it idles, and the server's log stays clean.

The browser test runs a real ``trajectories serve`` with ``--cull-idle=10`` instead of the default 60: the
mechanisms are the same (Voila's unload beacon for a page closed normally, jupyter_server's culler for a page
gone without a word), only the culler's clock is shorter, so the test takes a minute or two instead of three.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import json
import logging
import re
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import watch
from pages import READY, TIMEOUT_MS, value
from servers import READY_PATH, ROOT, free_port, kernel_pids, start_server, stop_server, wait_ready
from traitlets import TraitError

from trajectories.kernels import QuietChannelsConnection, SafeMappingKernelManager, SafeServerKernelManager
from trajectories.serve import voila_argv

CULL_IDLE = 10  # s, for this test only; the default is 60
CULL_INTERVAL = int(next(a for a in voila_argv(cull_idle=CULL_IDLE) if "cull_interval=" in a).split("=")[1])
POOL = 1
STUDENTS = 10  # pages opened and closed: half close their tab, half vanish (tab killed)
BEACON_S = 10  # s from a normal close until its kernel is shut down, on a loaded machine
SHUTDOWN_S = 15  # s a culler tick may take on a loaded machine to shut down the kernels it found idle


def _run(coroutine):
    """``asyncio.run`` in a thread of its own: a session's Playwright (the sync API) keeps an event loop running in
    the main thread once a browser test has run, and ``asyncio.run`` refuses to start under it."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# --- the kernel managers: what jupyter_server's own culler gets wrong --------------------------------------------


def _culler(table_class, **kernels):
    """A kernel table holding unstarted managers, whose shutdowns are only recorded."""
    table = table_class(cull_idle_timeout=CULL_IDLE)
    table.shut = []

    async def shutdown_kernel(kernel_id, now=False, restart=False):
        table.shut.append(kernel_id)

    table.shutdown_kernel = shutdown_kernel
    for kernel_id, km in kernels.items():
        table._kernels[kernel_id] = km  # what jupyter_client's start does, before jupyter_server stamps the kernel
        table._kernel_connections[kernel_id] = 0
    return table


def _old(km, seconds: float = 1e9):
    """The manager of an idle kernel whose last activity was ``seconds`` ago."""
    km.last_activity = datetime.now(timezone.utc) - timedelta(seconds=seconds)
    km.execution_state = "idle"
    return km


def test_a_page_still_loading_keeps_its_kernel():
    """A kernel whose page has not connected yet gets five times the timeout; once a page has come and gone, the
    timeout itself applies."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager, ServerKernelManager

    def kernels(km_class):
        return dict(loading=_old(km_class(kernel_name="python3"), 2 * CULL_IDLE),
                    left=_old(km_class(kernel_name="python3"), 2 * CULL_IDLE),
                    forgotten=_old(km_class(kernel_name="python3"), 6 * CULL_IDLE))

    for table_class, km_class, culled in [(AsyncMappingKernelManager, ServerKernelManager,
                                           ["loading", "left", "forgotten"]),  # jupyter_server's own
                                          (SafeMappingKernelManager, SafeServerKernelManager, ["left", "forgotten"])]:
        table = _culler(table_class, **kernels(km_class))
        table.notify_connect("left")
        table.notify_disconnect("left")
        _run(table.cull_kernels())
        assert table.shut == culled, table_class


def test_the_culler_meets_a_starting_kernel_without_an_error():
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager, ServerKernelManager

    # jupyter_server's own class fails here (if this stops raising, upstream fixed it and kernels.py can shrink)
    table = _culler(AsyncMappingKernelManager, starting=ServerKernelManager(kernel_name="python3"))
    with pytest.raises(TraitError, match="'last_activity' trait .* expected a datetime, not the NoneType None"):
        _run(table.cull_kernel_if_idle("starting"))
    before = datetime.now(timezone.utc)
    km = SafeServerKernelManager(kernel_name="python3")
    table = _culler(SafeMappingKernelManager, starting=km)
    _run(table.cull_kernel_if_idle("starting"))
    assert table.shut == []  # a kernel that has just started is not culled
    assert km.last_activity.tzinfo is not None and before <= km.last_activity <= datetime.now(timezone.utc)


def test_the_culler_passes_over_kernels_already_going_away():
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    with pytest.raises(KeyError):  # jupyter_server's own table, for a kernel that left during the walk
        _run(_culler(AsyncMappingKernelManager).cull_kernel_if_idle("gone"))
    leaving = _old(SafeServerKernelManager(kernel_name="python3"))
    leaving.shutting_down = True  # its page's beacon shutdown is under way
    idle = _old(SafeServerKernelManager(kernel_name="python3"))
    table = _culler(SafeMappingKernelManager, leaving=leaving, idle=idle)
    for kernel_id in ("gone", "leaving", "idle"):
        _run(table.cull_kernel_if_idle(kernel_id))
    assert table.shut == ["idle"]  # the idle kernel with no page is still culled


# --- the kernel websocket: a page that goes away while its kernel sends -------------------------------------------


async def _page_vanishes_while_sent_to(connection_class) -> tuple[list[str], list]:
    """A real tornado websocket, as a page's to its kernel: four large messages are queued for the page, its end
    of the connection closes under them (a tab closed or reloaded), and three more are written after. Returns what
    reached asyncio's exception handler (what the server's log prints with a traceback) and what the three later
    writes gave."""
    from unittest import mock

    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler
    from tornado.httpserver import HTTPServer
    from tornado.netutil import bind_sockets
    from tornado.web import Application
    from tornado.websocket import WebSocketClosedError, WebSocketHandler, websocket_connect

    loop = asyncio.get_running_loop()
    reported: list[str] = []
    loop.set_exception_handler(lambda loop, context: reported.append(context["message"]))
    opened = loop.create_future()

    class Page(WebSocketHandler):
        def open(self):
            opened.set_result(self)

    [sock] = bind_sockets(0, "127.0.0.1")
    server = HTTPServer(Application([("/ws", Page)]))
    server.add_sockets([sock])
    client = await websocket_connect(f"ws://127.0.0.1:{sock.getsockname()[1]}/ws")
    try:
        handler = await opened
        # the connection's only use of its handler is write_message: the real one, on the real socket
        connection = connection_class(websocket_handler=mock.Mock(spec=KernelWebsocketHandler,
                                                                  write_message=handler.write_message,
                                                                  request=handler.request, close=handler.close))
        for _ in range(4):  # more than the socket's buffers hold, less than a page may leave unread (MAX_UNSENT)
            connection.write_message(b"\0" * 3_500_000, binary=True)
        client.protocol.stream.close()  # the page's end goes away without a closing handshake
        await asyncio.sleep(0.5)
        later: list = []
        for _ in range(3):
            try:
                later.append(connection.write_message(b"{}", binary=True))
            except WebSocketClosedError as error:
                later.append(error)
        await asyncio.sleep(0.2)
        gc.collect()  # asyncio reports an unread failure when its task is collected
        await asyncio.sleep(0.1)
        return reported, later
    finally:
        client.close()
        server.stop()


def test_a_page_closing_while_its_kernel_sends_leaves_no_traceback():
    from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
    from tornado.websocket import WebSocketClosedError

    # jupyter_server's own connection (if this stops failing, upstream fixed it and kernels.py can shrink)
    reported, later = _run(_page_vanishes_while_sent_to(ZMQChannelsWebsocketConnection))
    assert reported and set(reported) == {"Task exception was never retrieved"}, reported
    assert all(isinstance(w, WebSocketClosedError) for w in later), later
    reported, later = _run(_page_vanishes_while_sent_to(QuietChannelsConnection))
    assert reported == [] and later == [None, None, None], (reported, later)


def test_a_message_that_fails_for_another_reason_is_still_an_error(caplog):
    """Only a closed page is quiet: any other failure of a write is logged as the ERROR it is."""
    from unittest import mock

    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

    async def write_fails():
        failed = asyncio.get_running_loop().create_future()
        handler = mock.Mock(spec=KernelWebsocketHandler, write_message=lambda message, binary=False: failed)
        connection = QuietChannelsConnection(websocket_handler=handler)
        assert connection.write_message(b"{}", binary=True) is failed
        failed.set_exception(ValueError("frame too large"))
        await asyncio.sleep(0)

    with caplog.at_level(logging.ERROR):
        _run(write_fails())
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "was not sent" in record.getMessage() and isinstance(record.exc_info[1], ValueError)


# --- a class opening and closing pages ------------------------------------------------------------------------


def _wait(predicate, timeout: float, what: str, step: float = 0.25) -> float:
    """Poll until ``predicate()``; return when it became true (time.monotonic())."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(step)
    return time.monotonic()


def _track_kernel(page) -> list[str]:
    """The ids of the kernels the page connects to, in order (from its websockets' addresses)."""
    ids: list[str] = []
    page.on("websocket", lambda ws: ids.extend(re.findall(r"/api/kernels/([0-9a-f-]{36})/channels", ws.url)))
    return ids


def _kernel_model(url: str, kernel_id: str) -> dict:
    """jupyter_server's view of one kernel: last_activity, connections, execution_state."""
    with urllib.request.urlopen(f"{url}api/kernels/{kernel_id}", timeout=30) as r:
        return json.loads(r.read())


@pytest.mark.server
def test_closed_pages_free_their_kernels_and_an_idle_open_page_keeps_its(browser, tmp_path):
    if not Path("/proc").is_dir():
        pytest.skip("needs /proc to count the server's kernels")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log_path = tmp_path / "voila.log"
    with open(log_path, "wb") as log:
        proc = start_server(port, extra=(f"--cull-idle={CULL_IDLE}", f"--pool-size={POOL}"), log=log, root=ROOT)

    def log_text() -> str:
        return log_path.read_text(errors="replace")

    def kernels() -> int:
        return len(kernel_pids(proc.pid))

    contexts = []
    try:
        wait_ready(url + READY_PATH, timeout=90, proc=proc)
        _wait(lambda: "is filled" in log_text() and kernels() == POOL, 90, "the pool to fill")

        # The student who stays: opens the page, then does nothing.
        kept_context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        contexts.append(kept_context)
        kept = watch(kept_context.new_page())
        kept_ids = _track_kernel(kept)
        kept.goto(url, timeout=TIMEOUT_MS)
        kept.wait_for_function(READY, timeout=TIMEOUT_MS)
        kept_id = kept_ids[-1]
        kept_pid = next(p for p in kernel_pids(proc.pid)
                        if f"kernel-{kept_id}.json" in Path(f"/proc/{p}/cmdline").read_text())

        # The class, one student after another, as in the report (ten pages loading at once in this
        # machine's one Chromium would mostly measure Chromium). The first one is reloaded once, as students do.
        students = []
        gaps = []
        for _ in range(STUDENTS):
            context = browser.new_context()
            contexts.append(context)
            page = watch(context.new_page())
            ids = _track_kernel(page)
            students.append((context, page, ids))
            with page.expect_websocket(lambda ws: "/api/kernels/" in ws.url, timeout=TIMEOUT_MS):
                page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
                t_html = time.monotonic()
            gaps.append(time.monotonic() - t_html)
            page.wait_for_function(READY, timeout=TIMEOUT_MS)
        print(f"\nfrom the page's first byte to its websocket: {min(gaps):.1f} to {max(gaps):.1f} s")
        _, reloaded, reloaded_ids = students[0]
        reloaded.reload(timeout=TIMEOUT_MS)
        reloaded.wait_for_function(READY, timeout=TIMEOUT_MS)
        assert len(reloaded_ids) == 2 and reloaded_ids[0] != reloaded_ids[1], reloaded_ids
        _wait(lambda: f"Kernel shutdown: {reloaded_ids[0]}" in log_text(), BEACON_S, "the reload to free its kernel")
        assert all(page.errors == [] for _, page, _ in students), [page.errors for _, page, _ in students]
        _wait(lambda: kernels() == STUDENTS + 1 + POOL, 60, f"{STUDENTS + 1 + POOL} kernels")

        closing, vanishing = students[: STUDENTS // 2], students[STUDENTS // 2:]
        # The closing students move a slider first, as a class does until it leaves: their kernels hear of it (the
        # lesson is synced), so none has been idle for CULL_IDLE when its tab closes, and the culler, whose tick
        # could land between the websocket's close and the beacon, cannot take the beacon's place below.
        for _, page, _ in closing:
            page.focus(".tj-hyper .tj-slider-track[class*='-eta']")
            page.keyboard.press("ArrowRight")
        time.sleep(1)
        t_close = time.monotonic()
        for _, page, _ in closing:
            page.close(run_before_unload=True)  # the student closes the tab: beforeunload sends Voila's beacon
        for context, _, _ in vanishing:
            context.close()  # tab killed, laptop shut, network gone: no beforeunload, no beacon
        closed_ids = [ids[-1] for _, _, ids in closing]
        vanished_ids = [ids[-1] for _, _, ids in vanishing]
        t_beacons = _wait(lambda: all(f"Kernel shutdown: {k}" in log_text() for k in closed_ids), BEACON_S,
                          "the closed pages' kernels to shut down")
        limit = CULL_IDLE + CULL_INTERVAL + SHUTDOWN_S
        t_back = _wait(lambda: kernels() == POOL + 1, limit, f"the kernel count to come back to {POOL + 1}")
        print(f"\nclosed tabs' kernels gone {t_beacons - t_close:.1f} s after the close; all kernels back to the "
              f"pool and the open page {t_back - t_close:.1f} s after it (cull-idle {CULL_IDLE} s, interval "
              f"{CULL_INTERVAL} s)")
        text = log_text()
        for k in closed_ids:  # shut down by the beacon: the culler says "Culling" before its own shutdowns
            ends = [line for line in text.splitlines() if k in line and ("Culling" in line or "shutdown" in line)]
            assert ends[0].endswith(f"Kernel shutdown: {k}"), ends
        for k in vanished_ids:
            assert re.search(rf"Culling 'idle' kernel '\w+' \({k}\) with 0 connections", text), k

        # The page left open has idled for longer than a vanished page's kernel lives, and still has its kernel.
        model = _kernel_model(url, kept_id)
        idle = (datetime.now(timezone.utc) - datetime.fromisoformat(model["last_activity"])).total_seconds()
        if idle < CULL_IDLE + CULL_INTERVAL:
            time.sleep(CULL_IDLE + CULL_INTERVAL - idle + 1)
            idle = CULL_IDLE + CULL_INTERVAL + 1
        assert model["connections"] >= 1, model
        assert kernels() == POOL + 1 and kept_pid in kernel_pids(proc.pid)
        kept.focus(".tj-eta")
        kept.keyboard.press("ArrowRight")
        kept.wait_for_function("document.querySelector('.tj-eta').getAttribute('aria-valuenow') === '0.45'",
                               timeout=30_000)
        with kept.expect_download(timeout=60_000) as download:  # Export is computed by the kernel
            kept.click(".tj-export")
        assert download.value.suggested_filename == "rmsprop_eta0.45_gamma0.9.svg"
        assert value(kept, ".tj-eta") == 0.45 and not kept.locator(".tj-status.tj-shown").count()
        assert kept_ids == [kept_id] and kept_pid in kernel_pids(proc.pid)  # the same kernel, never replaced
        assert f"({kept_id})" not in "".join(line for line in text.splitlines() if "Culling" in line)
        assert kept.errors == []
        print(f"the open page answered after idling {idle:.0f} s")

        text = log_text()
        for word in ("Traceback", "ERROR", " 403 ", "expected a datetime"):
            assert word not in text, f"{word!r} in the server's log:\n{text[-4000:]}"
    finally:
        for context in contexts:
            context.close()
        stop_server(proc)
