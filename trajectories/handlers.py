"""The page server: Voila's application with its request handlers hardened, for ``trajectories serve``.

Every byte of a request is hostile until checked. Voila's handlers (and jupyter_server's, which they extend) were
written for a notebook author's own machine; on a class's network, odd requests from anyone reach them. Here:

- every handler is wrapped by :class:`CleanErrors`: a request target longer than :data:`MAX_TARGET` gets a 414 page
  that says what to do, a path with control characters or ``..`` segments a 400 or 404, and every error a short
  page of our own (Voila's error pages need settings Voila does not set, and failed with a second traceback), with
  one line in the log and no traceback;
- the app's page (:class:`PageHandler`) answers only its own address (``/``), ignores Voila's ``theme`` and
  ``template`` query keys (fixed by ``trajectories serve``; a link naming them only took the page past the pool of
  preheated kernels), and never writes an inline script without the page's nonce;
- the kernel websockets are :mod:`trajectories.kernels`'s, the template's static files check their path's form,
  and the logout route goes away where there is no login;
- tornado reads at most :data:`MAX_HEADERS` of request line and headers and :data:`MAX_BODY` of body, and a
  websocket message from a page is at most :data:`~trajectories.kernels.MAX_MESSAGE`.

The page's Content-Security-Policy (:func:`page_csp`) is written by the template
(``voila/templates/trajectories/index.html.j2``) with a nonce drawn when the page is rendered.
"""

from __future__ import annotations

import html
import json
import os
import re
import secrets
from typing import Any, NamedTuple
from urllib.parse import unquote

from jupyter_server.auth.logout import LogoutHandler
from jupyter_server.base.handlers import APIHandler
from tornado import web
from tornado.log import access_log, app_log
from voila.app import Voila as VoilaApp
from voila.request_info_handler import RequestInfoSocketHandler
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from .kernels import MAX_MESSAGE, KernelQueryHandler, PageKernelWebsocketHandler

MAX_TARGET = 16 * 1024  # bytes of path and query; a link the app makes is under 1 KB
# What tornado reads of request line and headers before it can answer at all (its default, 64 KB, closed the
# connection on a longer link without a response): Chromium sends addresses of up to 2 MB.
MAX_HEADERS = 3 * 1024 * 1024
MAX_BODY = 64 * 1024  # the only POST a page makes is its unload beacon, with no body
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
VOILA_HEARTBEAT = "<script>window.voila_heartbeat()</script>\n"  # voila/handler.py, while a kernel starts


class PageCSP(NamedTuple):
    """A served page's Content-Security-Policy and the nonce its own inline scripts carry."""

    nonce: str
    policy: str


def page_csp(_: Any = None) -> PageCSP:
    """A fresh nonce and the policy that allows the page's scripts and no others (a Jinja filter of the template).

    Scripts: the page's own inline scripts (those with the nonce), the server's script files (``'self'``: Voila's
    front end and its extensions), and the app's module, which anywidget imports from a ``blob:`` URL it makes.
    Inline event handlers, ``javascript:`` URLs, ``eval`` and scripts from anywhere else are refused. Styles are
    not restricted: JupyterLab's widgets and the app set inline styles. ``'self'`` covers the kernel's websocket.
    """
    nonce = secrets.token_urlsafe(18)
    policy = (f"default-src 'self'; script-src 'self' 'nonce-{nonce}' blob:; style-src 'self' 'unsafe-inline' data:; "
              "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
              "frame-src 'none'; base-uri 'self'; form-action 'self'")
    return PageCSP(nonce, policy)


ERROR_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{status} {reason}</title>
<style>
:root {{ color-scheme: light dark; }}
body {{ margin: 3em auto; max-width: 40em; padding: 0 1em; font: 16px/1.5 system-ui, sans-serif; }}
</style>
</head>
<body>
<h1>{heading}</h1>
<p>{message}</p>
<p><a href="{home}">Open the app</a></p>
</body>
</html>
"""
MESSAGES = {  # status: (heading, sentence) of the error page
    400: ("Bad address", "The address is malformed."),
    404: ("Not found", "There is nothing at this address."),
    414: ("Link too long", "This link is too long: {size} KB, and the app takes links of up to {limit} KB. A link "
                           "the app makes is far shorter: open the app and set the lesson there, or ask for a new "
                           "link."),
}


class CleanErrors(web.RequestHandler):
    """A mixin for every handler of the page server: odd requests get a short answer and one log line.

    Put first among a handler's bases (:func:`clean`).
    """

    def prepare(self) -> Any:
        if len(self.request.uri or "") > MAX_TARGET:
            raise web.HTTPError(414)
        path = unquote(self.request.path)
        if _CONTROL.search(path):
            raise web.HTTPError(400)
        if ".." in re.split(r"[/\\]", path):
            raise web.HTTPError(404)
        return super().prepare()

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        reason = self._reason
        if isinstance(self, APIHandler):
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps({"message": reason, "reason": None}))
            return
        heading, message = MESSAGES.get(status_code, (reason, "The server did not answer this request."))
        message = message.format(size=max(1, round(len(self.request.uri or "") / 1024)), limit=MAX_TARGET // 1024)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(ERROR_PAGE.format(status=status_code, reason=html.escape(reason), heading=html.escape(heading),
                                      message=html.escape(message),
                                      home=html.escape(self.settings.get("base_url", "/"))))

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, web.HTTPError):
            return  # the access log's line names the request and its status
        request = f"{self.request.method} {(self.request.uri or '')[:120]} ({self.request.remote_ip})"
        app_log.error("%s: %s: %s", request, getattr(typ, "__name__", typ), str(value)[:200])
        app_log.debug("The traceback of the error above:", exc_info=(typ, value, tb))


def log_request(handler: web.RequestHandler) -> None:
    """Tornado's line in the access log for a request, with a long address cut short: a link of 3 MB made a line of
    3 MB."""
    status = handler.get_status()
    log = access_log.info if status < 400 else access_log.warning if status < 500 else access_log.error
    uri = handler.request.uri or ""
    if len(uri) > 200:
        uri = f"{uri[:120]}... ({len(uri) // 1024} KB)"
    log("%d %s %s (%s) %.2fms", status, handler.request.method, uri, handler.request.remote_ip,
        1000.0 * handler.request.request_time())


_CLEAN: dict[type, type] = {}


def clean(handler: type) -> type:
    """``handler`` with :class:`CleanErrors` first among its bases (the same class for the same handler)."""
    if issubclass(handler, CleanErrors):
        return handler
    if handler not in _CLEAN:
        _CLEAN[handler] = type(handler.__name__, (CleanErrors, handler), {"__module__": __name__})
    return _CLEAN[handler]


class PageHandler(TornadoVoilaHandler):
    """Voila's page handler for the app's one page: its own address only, with Voila's own query keys ignored
    and no script written without the page's nonce."""

    @web.authenticated
    async def get(self, path: str | None = None) -> None:
        if path:  # Voila would redirect to voila/files/<path>; the app has no files to serve
            raise web.HTTPError(404)
        for key in ("theme", "template"):  # fixed by `trajectories serve` (voila_argv)
            self.request.arguments.pop(key, None)
            self.request.query_arguments.pop(key, None)
        async for chunk in self.get_generator(path=None):
            # While a kernel starts, Voila writes an inline script every few seconds to keep proxies from closing
            # the response; the page's policy refuses it (no nonce). Plain whitespace keeps them as well.
            self.write("\n" if chunk == VOILA_HEARTBEAT else chunk)
            self.flush()


class TemplateStaticHandler(TemplateStaticFileHandler):
    """Voila's handler of ``voila/templates/<template>/static/<file>``: any other path is a 404, not an
    assertion's traceback."""

    def parse_url_path(self, path: str) -> str:
        parts = path.split("/", 2)
        if len(parts) < 3 or parts[1] != "static" or not re.fullmatch(r"[\w-]+", parts[0]):
            raise web.HTTPError(404)
        try:
            return super().parse_url_path(path)
        except ValueError:  # no template of that name
            raise web.HTTPError(404) from None


class Voila(VoilaApp):  # the same name in the server's log
    """Voila, with responses compressed, its handlers hardened (module docstring) and requests bounded."""

    REPLACED = {TornadoVoilaHandler: PageHandler, TemplateStaticFileHandler: TemplateStaticHandler,
                VoilaKernelWebsocketHandler: PageKernelWebsocketHandler, RequestInfoSocketHandler: KernelQueryHandler}

    def init_settings(self) -> dict:
        _compile_templates_once()
        # The page is 5 MB of JupyterLab's scripts and styles in about 100 files; with gzip about a fifth of that
        # crosses a classroom's Wi-Fi per student. Voila's ``tornado_settings`` are applied after tornado has built
        # its application, too late for ``compress_response``, so the setting goes in with Voila's own settings.
        return {**super().init_settings(), "compress_response": True, "websocket_max_message_size": MAX_MESSAGE,
                "log_function": log_request}

    def init_handlers(self) -> list:
        handlers = []
        for pattern, handler, *rest in super().init_handlers():
            if issubclass(handler, LogoutHandler) and not self.identity_provider.login_available:
                continue  # no login, nothing to log out of (and its page needed settings Voila does not set)
            handler = self.REPLACED.get(handler, handler)
            if issubclass(handler, web.StaticFileHandler):  # compressed once, not for every student
                handler = _gzip_once(handler)
            handlers.append((pattern, clean(handler), *rest))
        return handlers

    def listen(self) -> None:
        listen = self.app.listen

        def bounded(port: int, address: str = "", **kwargs: Any) -> Any:
            return listen(port, address, max_header_size=MAX_HEADERS, max_body_size=MAX_BODY, **kwargs)

        self.app.listen = bounded  # Voila's listen() calls it with the port and address only
        super().listen()


def _compile_templates_once() -> None:
    """Voila's page templates compiled once per server, not once per kernel.

    Each preheated kernel gets a renderer of its own, whose exporter makes a new Jinja environment and compiles the
    lab template (``index.html.j2`` and the templates it extends) from its source again: a quarter of Voila's CPU
    per student, since every student's arrival starts the pool's next kernel (profiled with py-spy under
    benchmarks/bench_load.py). Jinja's bytecode cache, shared here by every environment of Voila's exporter, keeps
    each compiled template keyed by its name and checked against its source, so an edited template is compiled
    again.
    """
    import jinja2
    from voila import exporter, notebook_renderer

    if getattr(notebook_renderer.VoilaExporter, "_trajectories_cache", None) is not None:
        return

    class Compiled(jinja2.BytecodeCache):
        def __init__(self) -> None:
            self.code: dict[str, bytes] = {}

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            if bucket.key in self.code:
                bucket.bytecode_from_string(self.code[bucket.key])

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            self.code[bucket.key] = bucket.bytecode_to_string()

    class VoilaExporter(exporter.VoilaExporter):  # the same name in the server's log
        _trajectories_cache = Compiled()

        def _create_environment(self) -> jinja2.Environment:
            environment = super()._create_environment()
            environment.bytecode_cache = self._trajectories_cache
            return environment

    notebook_renderer.VoilaExporter = VoilaExporter


_GZIPPED: dict[str, tuple[tuple[int, int], bytes]] = {}  # absolute path -> ((mtime_ns, size), gzip of the file)
_GZIPPED_MAX = 64 * 2**20  # bytes of compressed files kept: Voila's page needs about 1.4 MB


def _gzip_once(handler: type) -> type:
    """``handler`` (a tornado ``StaticFileHandler`` of Voila's) serving compressible files gzipped from a cache.

    A file is compressed the first time a client that accepts gzip asks for it (level 6, as tornado's
    ``compress_response``), and again only when its modification time or size changes. Requests with a ``Range``,
    clients without gzip, small files and types tornado would not compress are served as before; tornado's
    transform sees the ``Content-Encoding`` and leaves the cached body alone (it still adds ``Vary``).
    """
    import gzip

    from tornado.web import GZipContentEncoding

    class GzipOnce(handler):  # type: ignore[misc, valid-type]
        def set_extra_headers(self, path: str) -> None:
            super().set_extra_headers(path)
            body = self._gzipped()
            if body is not None:
                self.set_header("Content-Encoding", "gzip")
                # for this request only: tornado's get() asks the instance for the size and the bytes it sends
                self.get_content_size = lambda: len(body)  # type: ignore[method-assign]
                self.get_content = lambda abspath, start=None, end=None: body  # type: ignore[method-assign]

        def _gzipped(self) -> bytes | None:
            if (self.request.headers.get("Range") or "gzip" not in self.request.headers.get("Accept-Encoding", "")
                    or self.absolute_path is None):
                return None
            ctype = (self.get_content_type() or "").split(";")[0]
            stat = os.stat(self.absolute_path)
            if (stat.st_size < GZipContentEncoding.MIN_LENGTH
                    or not (ctype.startswith("text/") or ctype in GZipContentEncoding.CONTENT_TYPES)):
                return None
            version = (stat.st_mtime_ns, stat.st_size)
            hit = _GZIPPED.get(self.absolute_path)
            if hit is not None and hit[0] == version:
                return hit[1]
            with open(self.absolute_path, "rb") as f:
                body = gzip.compress(f.read(), GZipContentEncoding.GZIP_LEVEL, mtime=0)
            if sum(len(b) for _, b in _GZIPPED.values()) + len(body) <= _GZIPPED_MAX:
                _GZIPPED[self.absolute_path] = (version, body)
            return body

    GzipOnce.__name__ = GzipOnce.__qualname__ = handler.__name__  # the same name in the server's log
    return GzipOnce
