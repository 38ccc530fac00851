"""The server's kernel managers and kernel websockets: jupyter_server's own, minus the races that close pages and
its idle-kernel culler run into, and minus what a hostile client could make of them.

``trajectories serve`` names these classes to Voila by their dotted paths
(``--VoilaConfiguration.multi_kernel_manager_class``, ``--MappingKernelManager.kernel_manager_class`` and
``--Voila.kernel_websocket_connection_class``), and its Voila application (:mod:`trajectories.handlers`) puts the
two websocket handlers in place of Voila's; they run in the server process, never in a kernel. Without them the
culler can shut down the kernel of a page that is still loading, the server logs an ERROR with a traceback now
and then during a class, one websocket message can take the whole server down (:class:`QuietChannelsConnection`)
and anyone holding a kernel's id can read its page's query (:class:`KernelQueryHandler`).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import os
import time
from asyncio import Future
from datetime import datetime, timedelta, timezone
from typing import Any

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager, ServerKernelManager
from tornado import web
from tornado.websocket import WebSocketClosedError
from traitlets import default
from voila.request_info_handler import RequestInfoSocketHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from .proof import HEADER, query_proof

# The kernel websocket protocol the page (JupyterLab's services, in Voila's page) speaks: binary frames whose
# first 8 bytes count the offsets that follow. A client that does not ask for it gets jupyter_server's "legacy"
# protocol, which Voila's handler misreads (docs/upstream/voila-binary-websocket.md); it is refused.
PROTOCOL = "v1.kernel.websocket.jupyter.org"
REFUSED = 1002  # the websocket close code for "protocol error" (RFC 6455)
MALFORMED = 1007  # "invalid frame payload data"
TOO_SLOW = 1008  # "policy violation": the page left more unread than MAX_UNSENT
MAX_MESSAGE = 1 << 20  # bytes in one message from a page (tornado's websocket_max_message_size): a lesson is < 4 KB
MAX_UNSENT = 16 << 20  # bytes the server holds for one page that does not read (an export is < 1 MB)


def read_frame(message: Any) -> tuple[str, list[bytes]] | None:
    """A v1 kernel websocket frame's channel and parts, or None if ``message`` is not a well-formed frame.

    The format (jupyter_server's ``serialize_msg_to_ws_v1``): 8 bytes counting n offsets, the n offsets (8 bytes
    each, little-endian), the channel's name, and the message's parts, the offsets marking where each begins and
    the last where the frame ends. The count is checked against the frame's length before anything is built:
    Voila's and jupyter_server's readers trust it, and a count of 2**64 - 1 made them build a list without end.
    """
    if not isinstance(message, bytes) or len(message) < 8:
        return None
    count = int.from_bytes(message[:8], "little")
    table = 8 * (count + 1)
    # channel + header, parent header, metadata, content (+ buffers): at least 6 offsets
    if count < 6 or table > len(message):
        return None
    offsets = [int.from_bytes(message[8 * (i + 1):8 * (i + 2)], "little") for i in range(count)]
    ascending = all(a <= b for a, b in zip(offsets, offsets[1:], strict=False))
    if offsets[0] != table or offsets[-1] != len(message) or not ascending:
        return None
    try:
        channel = message[offsets[0]:offsets[1]].decode("ascii")
    except UnicodeDecodeError:
        return None
    return channel, [message[a:b] for a, b in zip(offsets[1:], offsets[2:], strict=False)]


class SafeMappingKernelManager(AsyncMappingKernelManager):
    """jupyter_server's table of kernels, whose culler waits for a page to arrive and passes over kernels that are
    already going away.

    **A page still loading keeps its kernel.** The culler shuts down a kernel with no websocket connected and
    no activity for ``cull_idle_timeout`` seconds. A page's kernel is ready (the notebook has run, its last
    activity) some time before the page opens its websocket: Voila still renders and sends the page, and the
    browser loads 5 MB of scripts. Measured in tests/test_culling.py's setting (2 shared cores, load ~10,
    Chromium on the same machine): up to 21 s. A kernel that has never had a page connected is therefore culled
    only after ``PAGE_LOAD_FACTOR`` times the timeout (5 minutes for the default 60 s); from its first connection
    on, the timeout itself applies. (Blocking in ``get_query_string()`` covers the same gap for the time a
    preheated kernel waited in the pool; this covers the page's own load.)

    **Kernels going away are left alone.** ``cull_kernels`` walks a copy of the table and awaits each shutdown it
    decides on, one after another (a second or more each on a busy machine). A kernel shut down meanwhile by its
    page's unload beacon has left the table by the time the walk reaches it, and jupyter_server's
    ``cull_kernel_if_idle`` fails on ``self._kernels[kernel_id]`` with a ``KeyError`` logged as an ERROR with a
    traceback ("The following exception was encountered while checking the idle duration of kernel ..."); seen
    when pages close together. The same walk would also start a second shutdown of a kernel whose beacon shutdown
    is still under way. No upstream issue for it was found; the timing is described by a maintainer in
    jupyter-server/enterprise_gateway#1262 (jupyter_server 2.21.1 still has the code).
    """

    PAGE_LOAD_FACTOR = 5
    REFILL_QUIET_S = 2.0  # no page taking a kernel or connecting to it for this long: the class has arrived
    REFILL_LATEST_S = 30.0  # a server that never goes quiet still refills its pool this long after a page took one
    # kernels started together, as many as the cores this server may use (taskset counts)
    REFILL_BATCH = max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    REFILL_PAUSE_S = 1.0  # after a batch has started: a kernel runs the notebook up to its wait in about 0.3 s of CPU

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._had_page: set[str] = set()  # ids of kernels that have had a websocket connected
        self._arrived = time.monotonic()  # the last time a page took a kernel or connected to one
        self._refill: tuple[float, Any, dict, dict] | None = None  # since when, and Voila's arguments
        self._refilling: asyncio.Task | None = None
        self._closing = False
        if callable(getattr(self, "fill_if_needed", None)):  # Voila's pool of preheated kernels
            self._voila_fill = self.fill_if_needed
            self.fill_if_needed = self._fill_when_quiet

    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)
        self._had_page.add(kernel_id)
        self._arrived = time.monotonic()

    @default("context")
    def _context_default(self) -> Any:
        """The ZeroMQ context of every kernel's sockets, allowed as many sockets as the process may open files.

        ZeroMQ allows a context 1023 sockets by default, and each page connected costs about five (its kernel's
        iopub, shell, stdin and control channels, and the manager's own): with 300 students arriving
        (benchmarks/bench_load.py), the 200th page's websocket failed with "ZMQError: Too many open files" and a
        traceback, and the pages after it never loaded, while the process had thousands of descriptors to spare.
        """
        import resource

        import zmq

        context = super()._context_default()
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
        limit = int(context.get(zmq.SOCKET_LIMIT))
        context.set(zmq.MAX_SOCKETS, max(int(context.get(zmq.MAX_SOCKETS)),
                                         min(limit, soft if soft != resource.RLIM_INFINITY else limit)))
        return context

    # ---- the pool's refill -------------------------------------------------------------------------------
    # Voila refills its pool one second after a page takes a kernel: with a class arriving at once, the class's
    # replacement kernels start (about 0.5 s of CPU each) while the class's own pages are still being served, and
    # every student waits for both. Here the refill waits until no page has taken a kernel or connected to one for
    # REFILL_QUIET_S, then starts REFILL_BATCH kernels at a time (as many as the cores), one batch after the other,
    # and waits again while students arrive. A page that finds the pool empty meanwhile gets a kernel
    # started for it, as Voila does without a pool.
    def _fill_when_quiet(self, delay: float | None = None, notebook_name: Any = None,
                         extra_kernel_env_variables: dict | None = None, **kwargs: Any) -> None:
        if delay is not None:  # the first fill, at start: at once
            self._voila_fill(delay=delay, notebook_name=notebook_name,
                             extra_kernel_env_variables=extra_kernel_env_variables or {}, **kwargs)
            return
        now = time.monotonic()
        self._arrived = now
        since = self._refill[0] if self._refill else now
        self._refill = (since, notebook_name, extra_kernel_env_variables or {}, kwargs)
        if self._refilling is None or self._refilling.done():
            self._refilling = asyncio.ensure_future(self._refill_when_quiet())

    async def _refill_when_quiet(self) -> None:
        while self._refill is not None and not self._closing:
            await asyncio.sleep(0.5)
            since, name, extra, kwargs = self._refill
            now = time.monotonic()
            if now - self._arrived < self.REFILL_QUIET_S and now - since < self.REFILL_LATEST_S:
                continue
            config = self.kernel_pools_config
            size = config.get(name, config.get("default", {})).get("pool_size", 0)
            pool = self._pools.get(name, [])
            if len(pool) >= size or self._closing:
                self._refill = None
                return
            # Voila's fill starts kernels up to the configured size: for one batch, that size is lowered a while
            entry = config.setdefault(name, dict(config.get("default", {})))
            entry["pool_size"] = min(size, len(pool) + self.REFILL_BATCH)
            try:
                self._voila_fill(delay=0, notebook_name=name, extra_kernel_env_variables=extra, **kwargs)
            finally:
                entry["pool_size"] = size
            # the batch's kernels started, then a moment for them to run the notebook up to their wait for a page
            await asyncio.gather(*self._pools.get(name, []), return_exceptions=True)
            await asyncio.sleep(self.REFILL_PAUSE_S)
            self._refill = (time.monotonic(), name, extra, kwargs) if len(self._pools.get(name, [])) < size else None

    async def shutdown_all(self, now: bool = False) -> None:
        self._closing = True
        if self._refilling is not None:
            self._refilling.cancel()
        await super().shutdown_all(now=now)

    def remove_kernel(self, kernel_id: str) -> Any:
        self._had_page.discard(kernel_id)
        return super().remove_kernel(kernel_id)

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        if kernel_id not in self:
            return
        kernel = self.get_kernel(kernel_id)
        if kernel.shutting_down:  # jupyter_client's flag, set when a shutdown begins
            return
        if kernel_id not in self._had_page and self.cull_idle_timeout > 0:
            waited = datetime.now(timezone.utc) - kernel.last_activity
            if waited < timedelta(seconds=self.PAGE_LOAD_FACTOR * self.cull_idle_timeout):
                return
        await super().cull_kernel_if_idle(kernel_id)


class SafeServerKernelManager(ServerKernelManager):
    """A ``ServerKernelManager`` whose ``last_activity`` reads as its creation time until the server sets it.

    jupyter_server declares ``last_activity = Instance(datetime)`` with no default and sets it in
    ``MappingKernelManager._async_start_kernel`` right after jupyter_client has put the new manager in the
    kernel table; a culler tick that lands between the two reads the trait and raises ``TraitError: The
    'last_activity' trait of a ServerKernelManager instance expected a datetime, not the NoneType None``. The
    culler's guard, ``hasattr(kernel, "last_activity")`` in ``cull_kernel_if_idle``, dates from the time the
    attribute was monkey-patched on (jupyter/notebook#5345) and only swallows ``AttributeError``, not the
    ``TraitError`` the trait raises since jupyter_server 2.0 (PR jupyter-server/jupyter_server#1101). The
    culler logs the error with its traceback and goes on; the kernel is unaffected. With a pool refilling after
    every page and a culler running every few seconds, the window is hit now and then. No upstream issue for this
    message was found (jupyter_server 2.21.1 still has the code).

    A default of "now" is what the server writes a moment later anyway, so the culler sees a kernel that has
    just started, which it leaves alone.
    """

    @default("last_activity")
    def _default_last_activity(self) -> datetime:
        return datetime.now(timezone.utc)  # aware, like jupyter_server._tz.utcnow(): the culler subtracts it


class QuietChannelsConnection(ZMQChannelsWebsocketConnection):
    """jupyter_server's bridge between a page's websocket and its kernel, which trusts nothing a client frames,
    holds a bounded amount for a page that does not read, and for which a page that has gone away is normal, not
    an error.

    **Only the page's protocol.** A client that does not ask for the :data:`PROTOCOL` subprotocol (a plain
    ``new WebSocket(url)`` does not) is closed at once with code 1002 (:data:`REFUSED`) and a one-line reason,
    before it is registered with the kernel. Such a client gets jupyter_server's "legacy" protocol, in which a
    kernel message carrying a binary buffer (the app's Export reply) is sent in a format that Voila's websocket
    handler reads as a v1 frame: the first 8 bytes then count about 8.6e17 offsets, and the server builds that
    list until the machine's memory is gone, answering nothing meanwhile (one message took a class's server down;
    docs/upstream/voila-binary-websocket.md is the report for Voila). Every page in a browser asks for
    :data:`PROTOCOL`.

    **Frames are checked before they are read.** jupyter_server's v1 reader trusts the count of offsets in the
    frame's first 8 bytes as Voila's does; a frame is first checked by :func:`read_frame`, and a malformed one
    (or one whose header is not a message) closes the connection with code 1007 and one line in the log. One
    message from a page is at most :data:`MAX_MESSAGE` bytes (the Voila application's
    ``websocket_max_message_size``), and the server holds at most :data:`MAX_UNSENT` bytes for a page that does
    not read what its kernel sends: past that the connection is closed (code 1008), so asking for exports without
    reading them cannot fill the server's memory.

    **A page closing is not an error.** Tornado's ``write_message`` queues the frame and returns a future that
    fails with ``WebSocketClosedError`` when the connection closes before the frame is sent. jupyter_server never
    looks at that future, so when a page closes (a student reloads, closes the tab, or the unload beacon shuts the
    kernel down) while the kernel is still sending, asyncio logs "Task exception was never retrieved" with two
    tracebacks when the future is garbage-collected. Seen in the server's log in CI, after pages had closed
    (tests/test_page.py); reported to Voila in 2019 (voila-dashboards/voila#237, closed as an upstream matter) and
    still in jupyter_server 2.21.1 with tornado 6.6. A write to a connection already known to be closed raises the
    same error at once, which some of jupyter_server's callers do not catch either (tornadoweb/tornado#3359). Here
    each write's outcome is read: a closed connection is logged as one DEBUG line (the page is gone, and its
    messages have nobody to go to), and any other failure as the ERROR it is.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._refused = False  # a client that does not speak PROTOCOL: closed, never registered with the kernel
        self._closing = False  # closed by this side (malformed frame, unread messages): nothing more is sent
        self._unsent = 0  # bytes handed to tornado for the page and not yet written to its socket

    async def prepare(self) -> None:
        offered = self.websocket_handler.request.headers.get("Sec-WebSocket-Protocol", "")
        self._refused = PROTOCOL not in {p.strip() for p in offered.split(",")}
        if not self._refused:
            await super().prepare()

    def connect(self) -> Future | None:
        if self._refused or self.subprotocol != PROTOCOL:
            self._refused = True
            self.log.warning("Refused a websocket to kernel %s from %s: it does not speak %s.", self._kernel(),
                             self.websocket_handler.request.remote_ip, PROTOCOL)
            self.websocket_handler.close(REFUSED, f"This server speaks only the {PROTOCOL} protocol.")
            done: Future = Future()
            done.set_result(None)
            return done
        return super().connect()

    def disconnect(self) -> None:
        if not self._refused:  # a refused client was never counted: its close must not uncount the page
            super().disconnect()

    def handle_incoming_message(self, incoming_msg: Any) -> None:
        if self._refused or self._closing:
            return
        try:
            if read_frame(incoming_msg) is None:
                raise ValueError("not a v1 frame")
            super().handle_incoming_message(incoming_msg)
        except (ValueError, KeyError, TypeError, IndexError, AssertionError) as exc:  # UnicodeError is a ValueError
            self._close(MALFORMED, "Malformed message.",
                        f"it sent a malformed message ({type(exc).__name__}: {str(exc)[:80]})")

    def write_message(self, message: Any, binary: bool = False) -> Future | None:  # a property upstream
        if self._closing:
            return None
        size = len(message) if isinstance(message, (bytes, str)) else 0
        if self._unsent + size > MAX_UNSENT:
            self._close(TOO_SLOW, "The page did not read its messages.",
                        f"it left more than {MAX_UNSENT >> 20} MB unread")
            return None
        try:
            sent = self.websocket_handler.write_message(message, binary=binary)
        except WebSocketClosedError:
            self._page_gone()
            return None
        if sent is not None:
            self._unsent += size
            sent.add_done_callback(lambda done: self._read_outcome(done, size))
        return sent

    def _read_outcome(self, sent: Future, size: int = 0) -> None:
        self._unsent -= size
        if sent.cancelled():
            return
        failure = sent.exception()
        if isinstance(failure, WebSocketClosedError):
            self._page_gone()
        elif failure is not None:
            self.log.error("A message to the page of kernel %s was not sent.", self._kernel(), exc_info=failure)

    def _close(self, code: int, reason: str, why: str) -> None:
        self._closing = True
        self.log.warning("Closed a websocket to kernel %s from %s: %s.", self._kernel(),
                         self.websocket_handler.request.remote_ip, why)
        self.websocket_handler.close(code, reason)

    def _kernel(self) -> str:
        return str(getattr(self.parent, "kernel_id", "?"))

    def _page_gone(self) -> None:
        self.log.debug("A message for a page that has closed its websocket was dropped.")


class PageKernelWebsocketHandler(VoilaKernelWebsocketHandler):
    """Voila's kernel websocket handler, reading the header of a binary message only once :func:`read_frame` has
    checked its offsets.

    Voila's handler drops ``execute_input`` messages on their way to the page (the page shows no code), and reads
    each binary message's header for that with ``read_header_from_binary_message``, which trusts the frame's first
    8 bytes as a count of offsets: a message framed otherwise (jupyter_server's legacy protocol, which
    :class:`QuietChannelsConnection` now refuses) made it build a list of about 8.6e17 offsets
    (docs/upstream/voila-binary-websocket.md). The same filter here, on checked frames; and a kernel that does not
    exist is a 404, not jupyter_server's KeyError.
    """

    async def get(self, kernel_id: str) -> None:  # type: ignore[override]
        if kernel_id not in self.kernel_manager:  # jupyter_server's own handler fails on a KeyError
            raise web.HTTPError(404)
        await super().get(kernel_id)

    def write_message(self, message: Any, binary: bool = False) -> Any:
        header: Any = None
        if isinstance(message, bytes):
            frame = read_frame(message)
            if frame is not None:
                try:
                    header = json.loads(frame[1][0])
                except ValueError:
                    header = None
        elif isinstance(message, dict):
            header = message.get("header")
        if isinstance(header, dict) and header.get("msg_type") == "execute_input":
            return None
        return super(VoilaKernelWebsocketHandler, self).write_message(message, binary)


class KernelQueryHandler(RequestInfoSocketHandler):
    """Voila's ``voila/query/<kernel id>`` websocket, which hands a page's request (its query string, the server's
    name and port) to the preheated kernel that page took: here only to that kernel, and only once.

    Voila's handler answers whoever connects with a kernel's id, and keeps every page's request for good: the id
    is in the page's HTML, so anyone holding it could read the page's query, and a client connecting first to a
    pooled kernel's id took its place as the waiter, so the kernel never learned its page's lesson. Here the
    client must prove that it is the kernel (:mod:`trajectories.proof`: an HMAC of the kernel's id under the
    kernel's own message key, which only the server and the kernel read); anything else is refused with a 403
    before the websocket opens. The request is sent once, then forgotten, and the connection closed.
    """

    def get(self, *args: Any, **kwargs: Any) -> Any:
        kernel_id = args[0] if args else kwargs.get("kernel_id", "")
        manager = self.settings.get("kernel_manager")
        try:
            key = manager.get_kernel(kernel_id).session.key
        except (KeyError, AttributeError):
            key = None
        proof = self.request.headers.get(HEADER, "")
        if not key or not hmac.compare_digest(proof.encode("latin-1"), query_proof(key, kernel_id).encode()):
            raise web.HTTPError(403, "only the kernel may read its page's request")
        return super().get(*args, **kwargs)

    def open(self, kernel_id: str) -> None:  # type: ignore[override]
        waiters, cache = RequestInfoSocketHandler._waiters, RequestInfoSocketHandler._cache
        manager = self.settings.get("kernel_manager")
        for gone in [k for k in cache if manager is not None and k not in manager]:
            cache.pop(gone, None)  # requests for kernels that died before they asked
        if kernel_id in cache:
            self.write_message(cache.pop(kernel_id))
        else:
            waiters[kernel_id] = self  # RequestInfoSocketHandler.send_updates writes to it

    def write_message(self, message: Any, binary: bool = False) -> Any:
        sent = super().write_message(message, binary)
        self.close()  # once
        return sent

    def on_close(self) -> None:
        waiters = RequestInfoSocketHandler._waiters
        for kernel_id in [k for k, waiter in waiters.items() if waiter is self]:
            del waiters[kernel_id]

