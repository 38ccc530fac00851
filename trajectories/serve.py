"""The students' web page: ``trajectories serve`` runs Voila on the app notebook shipped inside the package.

A student opens ``http://<host>:8866/?optimizer=rmsprop&eta=0.4`` and gets the app preset to that lesson, with
no code cells and no way to run code: Voila only forwards widget messages from the page to the kernel.
:func:`page` is what the shipped notebook calls; :func:`serve` is what ``trajectories serve`` calls.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import socket
import sys
import tempfile
import webbrowser
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .i18n import check_lang
from .proof import HEADER, query_proof
from .specs import check_int

if TYPE_CHECKING:
    from .app import App
    from .display import Display
    from .lesson import Lesson

DEFAULT_PORT = 8866
DEFAULT_IP = "127.0.0.1"  # loopback: a class on a LAN needs an explicit --ip 0.0.0.0
THEMES = ("light", "dark")
DEFAULT_POOL_SIZE = 2  # preheated kernels waiting for the next student; each one holds ~50 MB
MAX_POOL_SIZE = 64  # a class of 60 with a few to spare; a typo such as 300 would hold 15 GB
# A kernel whose page is gone (tab killed, laptop asleep, network lost: no unload beacon) is shut down once it has
# had no page connected and no activity for this long. A kernel whose page is open is never culled.
DEFAULT_CULL_IDLE = 60  # seconds
CULL_INTERVAL = 10  # seconds between two looks for idle kernels (less when the timeout itself is shorter)
MAPPING_KERNEL_MANAGER = "trajectories.kernels.SafeMappingKernelManager"  # named to Voila, imported by it
KERNEL_MANAGER = "trajectories.kernels.SafeServerKernelManager"
WEBSOCKET_CONNECTION = "trajectories.kernels.QuietChannelsConnection"
CSP_FILTER = "trajectories_csp"  # the Jinja filter our template writes the page's Content-Security-Policy with
READY_PATH = "voila/static/voila.js"  # a static file: fetching it starts no kernel
QUERY_OPEN_TIMEOUT_S = 120  # a preheated kernel's wait for Voila to accept its query websocket, on a busy server
_VOILA_KEYS = ("theme", "template")  # query keys Voila itself reads; not lesson settings
LANG_VARIABLE = "TRAJECTORIES_LANG"  # serve --lang, for the kernels: the pages' language where a link names none


TEMPLATE = "trajectories"


def jupyter_path() -> Path:
    """The folder inside the package that holds our Voila template (``voila/templates/trajectories``); Voila finds
    templates on ``JUPYTER_PATH``."""
    return Path(str(resources.files("trajectories")))


def notebook_path() -> Path:
    """The app notebook inside the installed package (or the checkout)."""
    path = Path(str(resources.files("trajectories") / "notebooks" / "app.ipynb"))
    if not path.is_file():
        raise OSError(f"The app notebook is missing from the installed package: {path} does not exist.")
    return path


def voila_argv(*, port: int = DEFAULT_PORT, ip: str = DEFAULT_IP, open_browser: bool = True, theme: str = "light",
               pool_size: int = DEFAULT_POOL_SIZE, cull_idle: int = DEFAULT_CULL_IDLE) -> list[str]:
    """Voila's command line for the app page.

    Parameters
    ----------
    port : int, default=8866
        TCP port to listen on, in [1, 65535]; Voila does not fall back to another port.
    ip : str, default="127.0.0.1"
        Address to bind (Voila's ``--Voila.ip``; Voila itself has no ``--ip`` alias).
    open_browser : bool, default=True
        Open the page in the default browser once the server listens.
    theme : {"light", "dark"}, default="light"
        JupyterLab theme of the page.
    pool_size : int, default=2
        Preheated kernels kept ready (the notebook already ran up to the point where it waits for the page's
        query string); 0 turns preheating off. The pool is refilled once students stop arriving (no page has
        taken a kernel or connected to one for 2 s), not during their arrival; a page that finds it empty
        meanwhile gets a kernel started for it.
    cull_idle : int, default=60
        Seconds after which a kernel with no page connected and no activity is shut down; 0 never culls. The
        culler looks every ``min(10, cull_idle // 2)`` seconds (at least 1), so such a kernel lives at most
        ``cull_idle`` plus that after its last activity. A kernel with a page connected is never culled, however
        long the page idles (``cull_connected=False``), nor while it computes (``cull_busy=False``). Preheated
        kernels waiting for a student are never culled either (Voila skips its pool), and a kernel whose page has
        not connected yet (still loading) gets five times ``cull_idle`` to see it arrive.

    Notes
    -----
    A page that is closed normally frees its kernel at once: Voila's page posts a shutdown beacon on
    ``beforeunload``. That post only gets through with ``disable_check_xsrf``, because Voila's page has no
    ``_xsrf`` cookie to send (voila-dashboards/voila#1458). Kernels are managed by the classes of
    :mod:`trajectories.kernels`, which keep jupyter_server's culler away from pages still loading and from
    logging errors about kernels that are starting or already shutting down.

    Returns
    -------
    list of str
        The notebook path followed by Voila's flags.
    """
    check_int(port, "port", 1, 65535)
    if not isinstance(ip, str) or not ip or any(c.isspace() for c in ip):
        raise ValueError(f"The 'ip' parameter must be an address such as 127.0.0.1 or 0.0.0.0. Got {ip!r} instead.")
    if theme not in THEMES:
        raise ValueError(f"The 'theme' parameter must be one of {', '.join(THEMES)}. Got {theme!r} instead.")
    check_int(pool_size, "pool_size", 0, MAX_POOL_SIZE)
    check_int(cull_idle, "cull_idle", 0)
    argv = [
        str(notebook_path()),
        f"--port={port}",
        f"--Voila.ip={ip}",
        "--Voila.port_retries=0",  # the printed link must be the one the teacher asked for
        f"--Voila.open_browser={open_browser}",
        f"--theme={theme}",
        "--strip_sources=True",  # no source cells on the page
        "--show_tracebacks=False",  # a student sees no server paths
        # nbclient's default of 4 s drops the app's output when 20 students arrive at once on 2 cores: the page
        # then loads without the app (seen in benchmarks/bench_class.py)
        "--VoilaExecutor.iopub_timeout=60",
        f"--template={TEMPLATE}",  # Voila's lab template without its requests to a CDN (voila/templates/)
        "--VoilaConfiguration.allow_template_override=NO",  # a link cannot switch to another template
        # nor the theme: Voila's template writes the theme's name into the page unescaped, so ?theme="><svg onload=
        # ...> ran script (only --theme sets it)
        "--VoilaConfiguration.allow_theme_override=NO",
        # the page's Content-Security-Policy and the nonce of its inline scripts, drawn when a page is rendered
        f"--TemplateExporter.filters={CSP_FILTER}=trajectories.handlers.page_csp",
        "--VoilaConfiguration.http_header_envs=X-Forwarded-Proto",  # https behind a proxy, for the link field
        # Culling, for pages that went away without saying so (no beacon). The last two are jupyter_server's
        # defaults, spelled out because the promise rests on them: an open page keeps its kernel however long
        # the student idles, and a kernel busy computing is left to finish.
        f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
        f"--MappingKernelManager.cull_interval={min(CULL_INTERVAL, max(1, cull_idle // 2))}",
        "--MappingKernelManager.cull_connected=False",
        "--MappingKernelManager.cull_busy=False",
        # jupyter_server's managers without three races of the culler (kernels.py): a page still loading, whose
        # kernel has not seen it connect yet, keeps its kernel; and no ERROR with a traceback for a kernel caught
        # between jupyter_client's table and jupyter_server's first timestamp (a TraitError about last_activity)
        # or for one shut down by its page while the culler walks the table (a KeyError)
        f"--VoilaConfiguration.multi_kernel_manager_class={MAPPING_KERNEL_MANAGER}",
        f"--MappingKernelManager.kernel_manager_class={KERNEL_MANAGER}",
        # and jupyter_server's kernel websocket without "Task exception was never retrieved" and its tracebacks
        # when a page closes while its kernel is still sending (kernels.py)
        f"--Voila.kernel_websocket_connection_class={WEBSOCKET_CONNECTION}",
        # Kernels talk to Voila over Unix sockets in Voila's connection folder, not TCP ports on loopback: a class
        # arriving at once starts dozens of kernels, each picking five free ports that another process (the
        # server's own connections, a browser on the same machine) could take before the kernel binds them. Seen
        # in benchmarks/bench_class.py with 30 at once: "Address already in use", a kernel that died at start,
        # and a page that never loaded.
        "--KernelManager.transport=ipc",
        # The page's unload beacon (POST /voila/api/shutdown/<kernel id>) carries no _xsrf token, since Voila's
        # page never gets the _xsrf cookie (voila-dashboards/voila#1458), and was refused with a 403: a closed
        # page's kernel then lived until the culler. What the check guarded: another site, open in a student's
        # browser, posting a form to this server. The POST and DELETE routes Voila has all shut down one kernel
        # named by its random UUID, which such a site cannot know (anyone who knows it can already drive that
        # kernel's websocket); every other POST, PUT, PATCH or DELETE is refused (tests/test_safety.py). A script
        # outside a browser was never stopped by the check: it sets the cookie and the token itself.
        "--Voila.tornado_settings=disable_check_xsrf=True",
    ]
    if pool_size > 0:
        argv += ["--preheat_kernel=True", f"--pool_size={pool_size}"]
    else:
        argv += ["--preheat_kernel=False"]
    return argv


def _port_free(ip: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((ip, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ValueError(f"The 'port' parameter must name a free port on {ip}. Got {port}, which is in use, "
                                 "instead.") from None
            raise ValueError(f"The 'ip' parameter must be an address of this machine. Got {ip!r} instead "
                             f"({exc.strerror}).") from None


def serve(*, port: int = DEFAULT_PORT, ip: str = DEFAULT_IP, open_browser: bool = True, theme: str = "light",
          pool_size: int = DEFAULT_POOL_SIZE, cull_idle: int = DEFAULT_CULL_IDLE, lang: str | None = None) -> None:
    """Run Voila on the app page in this process until Ctrl+C or SIGTERM (parameters as :func:`voila_argv`).

    ``lang`` ("en" or "zh") is the pages' language where their link names none; by default each student's browser
    language. The kernels learn it from the environment they inherit (:data:`LANG_VARIABLE`).
    """
    lang = check_lang(lang, none=True)
    argv = voila_argv(port=port, ip=ip, open_browser=open_browser, theme=theme, pool_size=pool_size,
                      cull_idle=cull_idle)
    _port_free(ip, port)
    if open_browser and not _has_browser():
        # A server, a container, a machine reached over ssh: Voila would warn "No web browser found", which says
        # nothing the teacher must act on. The line below says where the page is.
        argv = voila_argv(port=port, ip=ip, open_browser=False, theme=theme, pool_size=pool_size,
                          cull_idle=cull_idle)
    # A preheated kernel fetches its page's query string over a websocket to VOILA_APP_IP (default 127.0.0.1);
    # bound to one LAN address only, loopback would not answer.
    os.environ["VOILA_APP_IP"] = "127.0.0.1" if ip in ("0.0.0.0", "localhost", "::", "") else ip
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(jupyter_path()), os.environ.get("JUPYTER_PATH")]))
    if lang is None:
        os.environ.pop(LANG_VARIABLE, None)
    else:
        os.environ[LANG_VARIABLE] = lang
    _more_open_files()
    print(where_line(ip, port), flush=True)
    logging.getLogger(_VOILA_LOGGER).addFilter(_not_for_the_teacher)
    with tempfile.TemporaryDirectory(prefix="trajectories-ipython-") as ipython_dir:
        _quiet_kernels(Path(ipython_dir))
        _voila_app().launch_instance(argv=argv)


def where_line(ip: str, port: int) -> str:
    """The one line ``trajectories serve`` prints: where the page is (for a class on a LAN, the address students
    type), and how to stop."""
    if ip in ("0.0.0.0", "::"):
        lan = _lan_address()
        students = f"http://{lan}:{port}/" if lan else f"http://<this machine's address>:{port}/"
        return (f"trajectories: the students' page is at {students} (on this machine http://127.0.0.1:{port}/); "
                "Ctrl+C stops")
    return f"trajectories: the students' page is at http://{_url_host(ip)}:{port}/ (Ctrl+C stops)"


_VOILA_LOGGER = "Voila"  # traitlets names an application's logger after its class (_voila_app keeps the name)
# What Voila and jupyter_server say that does not concern a teacher running this page. "Notebook ... is not
# trusted": trust decides whether a notebook's stored outputs (HTML, scripts) may be shown, and the shipped
# notebook has none; Voila runs it and shows only the fresh outputs, which its exporter marks trusted anyway.
# The startup lines name temporary folders and repeat the address that where_line() already gave.
_STARTUP_LINES = ("Using ", "Storing connection files in ", "Serving static files from ", "Voilà is running at")


def _not_for_the_teacher(record: logging.LogRecord) -> bool:
    message = record.getMessage()
    if record.levelno == logging.WARNING and message.startswith("Notebook ") and message.endswith(" is not trusted"):
        return False
    return not (record.levelno == logging.INFO and message.startswith(_STARTUP_LINES))


def _has_browser() -> bool:
    try:
        webbrowser.get()
    except webbrowser.Error:
        return False
    return True


def _voila_app() -> type:
    """Voila, with its responses compressed, its request handlers hardened and requests bounded (handlers.py)."""
    from .handlers import Voila

    return Voila


def _quiet_kernels(ipython_dir: Path) -> None:
    """Kernels log only critical events to the teacher's console, and report an error to a page in one line.

    Each kernel otherwise warns that it talks over TCP without encryption (on loopback, to this server), and at
    Ctrl+C every preheated kernel still waiting for a student prints a traceback as its sockets close. An error in
    a widget's message handler (ipywidgets shows it with IPython's ``showtraceback``) reaches the page, and
    anyone connected to the kernel, as an error message: in IPython's "Minimal" mode that is the exception's one
    line, without the frames and the server's paths. The kernels get their own IPython directory for this, so the
    teacher's IPython profile does not apply to them.
    """
    profile = ipython_dir / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    config = {"IPKernelApp": {"log_level": "CRITICAL"}, "InteractiveShell": {"xmode": "Minimal"}}
    (profile / "ipython_kernel_config.json").write_text(json.dumps(config))
    os.environ["IPYTHONDIR"] = str(ipython_dir)


OPEN_FILES = 65536  # descriptors the server asks for: a page connected holds about 15 (its connections, sockets)


def _more_open_files() -> None:
    """Raise this process's limit of open files to OPEN_FILES, or to the most the system allows if that is less.

    Many systems start a process with a soft limit of 1024 descriptors, under a hard limit far above; each student's
    page holds about 15 (its HTTP and websocket connections, its kernel's ZeroMQ sockets), so a class of 100 would
    run out. The kernels inherit the limit, which costs nothing until descriptors are opened.
    """
    try:
        import resource
    except ImportError:  # not on Windows
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = OPEN_FILES if hard == resource.RLIM_INFINITY else min(OPEN_FILES, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def _lan_address() -> str:
    """This machine's address on its default route, or "" (a UDP connect sends no packet)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere, only picks the interface
            return str(s.getsockname()[0])
    except OSError:
        return ""


def _url_host(ip: str) -> str:
    return f"[{ip}]" if ":" in ip else ip


def lesson_for_query(query: str) -> tuple[Lesson, Display, list[str]]:
    """The lesson a page's query string asks for, how to show it (:class:`~trajectories.display.Display`), and one
    note per ignored parameter; never raises.

    Voila's own keys (``theme``, ``template``) are not lesson settings and are dropped silently. Nothing taken
    from the query is evaluated, opened or run: values are parsed as numbers or matched against fixed names.
    """
    from .display import KEYS, Display
    from .lesson import Lesson

    query = query if isinstance(query, str) else ""
    lesson, notes = Lesson.from_query(query, ignore=(*_VOILA_KEYS, *KEYS))
    display, more = Display.from_query(query)
    return lesson, display, notes + more


def page(query: str | None = None) -> App:
    """Build the app for the page being served: the lesson comes from the page's query string.

    Called by the shipped notebook. With preheated kernels the imports run before any student arrives and the
    kernel waits for the page's request (as Voila's ``get_query_string()``); outside Voila the query is empty.

    Parameters
    ----------
    query : str, optional
        A query string such as ``"optimizer=rmsprop&eta=0.4"``; by default the page's own.

    Returns
    -------
    trajectories.app.App
        The app (it displays itself as the cell's result).
    """
    from .app import App  # the imports (numpy, anywidget, ipywidgets) happen before the wait for a student
    from .lesson import link_lang

    if query is not None and not isinstance(query, str):
        raise ValueError(f"The 'query' parameter must be a string. Got {type(query).__name__} instead.")
    query = _page_query() if query is None else query
    lesson, display, notes = lesson_for_query(query)
    app = App(lesson, notes=tuple(notes), presenter=display.presenter, controls=display.controls,
              panels=display.panels, view=display.view,
              lang=link_lang(query) or check_lang(os.environ.get(LANG_VARIABLE) or None, LANG_VARIABLE, none=True))
    base = _page_url()
    if base:
        app.link_base = base
    return app


def _page_query() -> str:
    """The page's query string: with preheated kernels, blocks until a page takes this kernel; "" outside Voila."""
    # With preheated kernels this blocks until a page takes the kernel. Keep it blocking: the cell finishing at
    # hand-out is kernel activity, which restarts the culler's idle clock. A pooled kernel that had waited in the
    # pool longer than the culler gives a page to connect (kernels.py) and made no output at hand-out would
    # otherwise be culled in the seconds between leaving the pool and the page opening its websocket (no
    # connection, old last_activity), and the page would stay empty.
    if os.environ.get("VOILA_PREHEAT") == "True":
        _wait_for_page()
    return os.environ.get("QUERY_STRING", "")


def _wait_for_page() -> None:
    """What ``voila.utils.get_query_string()`` does in a preheated kernel, without importing ``voila.utils``.

    Voila's helper lives in a module that imports jupyter_server, jupyterlab_server and nbconvert: 2.3 s of CPU
    and 45 MB in every kernel, for one websocket message. Here: connect to Voila's ``voila/query/<kernel id>``
    with the proof that this is that kernel (:mod:`trajectories.proof`), wait for the request that took this
    kernel (sent once, as JSON: ``QUERY_STRING``, ``SERVER_NAME``, ...) and put it in the environment, as Voila
    does. No keepalive pings: a kernel may wait in the pool for hours, and a ping unanswered during a class's
    arrival (a busy server) would close the connection and lose the page's query.
    The opening handshake may take long for the same reason: with 300 students arriving over a minute
    (benchmarks/bench_load.py, load 46), two pool kernels gave up after 5 s, Voila kept their half-open connections
    as the kernels' and sent the students' requests into them, and those two students got the default lesson
    instead of their link's. Giving up is kept for a server that does not answer at all.
    """
    from websockets.exceptions import WebSocketException
    from websockets.sync.client import connect

    env = os.environ
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    kernel_id = env.get("VOILA_KERNEL_ID", "")
    url = (f"{env.get('VOILA_WS_PROTOCOL', 'ws')}://{env.get('VOILA_APP_IP', '127.0.0.1')}:"
           f"{env.get('VOILA_APP_PORT', '8866')}{base}voila/query/{kernel_id}")
    key = _kernel_key()
    # The server answers only the kernel the page took (kernels.KernelQueryHandler): the id is in the page's HTML,
    # the kernel's message key is not.
    headers = {HEADER: query_proof(key, kernel_id)} if key else {}
    try:
        with connect(url, open_timeout=QUERY_OPEN_TIMEOUT_S, ping_interval=None, proxy=None,
                     additional_headers=headers) as ws:
            info = json.loads(ws.recv())
    except (OSError, ValueError, WebSocketException) as exc:  # Voila's own helper also gives up here
        print(f"trajectories: no request info from {url}: {exc}", file=sys.stderr)
        return
    for key, value in info.items() if isinstance(info, dict) else ():
        if isinstance(key, str) and isinstance(value, str):
            env[key] = value


def _kernel_key() -> bytes:
    """This kernel's message key (the ``key`` of its connection file), or b"" outside a kernel."""
    try:
        from IPython import get_ipython

        key = get_ipython().kernel.session.key
    except (ImportError, AttributeError):
        return b""
    return key if isinstance(key, bytes) else b""


def _page_url() -> str:
    """The page's address without the query, from the request Voila describes in the kernel's environment."""
    host, port, path = (os.environ.get(k, "") for k in ("SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME"))
    if not host:
        return ""
    # Behind an https proxy that sets X-Forwarded-Proto, the link a teacher copies must say https.
    scheme = "https" if os.environ.get("HTTP_X_FORWARDED_PROTO", "").strip().lower() == "https" else "http"
    # Under JupyterHub the page lives in one student's server (/user/<name>/voila/...), which nobody else may open;
    # /hub/user-redirect/ takes whoever opens the link to the same page in their own server.
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "")
    if prefix and path.startswith(prefix):
        path = os.environ.get("JUPYTERHUB_BASE_URL", "/").rstrip("/") + "/hub/user-redirect/" + path[len(prefix):]
    return f"{scheme}://{_url_host(host)}{':' + port if port else ''}{path or '/'}"
