"""``trajectories serve``: Voila's command line, the shipped notebook, errors, and what the served HTML contains."""

from __future__ import annotations

import fnmatch
import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from trajectories.cli import main
from trajectories.display import Display
from trajectories.i18n import say
from trajectories.lesson import Lesson
from trajectories.serve import (
    CSP_FILTER,
    DEFAULT_CULL_IDLE,
    DEFAULT_PORT,
    LANG_VARIABLE,
    TEMPLATE,
    lesson_for_query,
    notebook_path,
    voila_argv,
)

ROOT = Path(__file__).resolve().parent.parent


def test_voila_argv_defaults():
    argv = voila_argv()
    assert argv[0] == str(notebook_path())
    flags = set(argv[1:])
    assert f"--port={DEFAULT_PORT}" in flags and DEFAULT_PORT == 8866
    assert "--Voila.ip=127.0.0.1" in flags
    assert "--Voila.port_retries=0" in flags
    assert "--Voila.open_browser=True" in flags
    assert "--theme=light" in flags
    assert "--strip_sources=True" in flags and "--show_tracebacks=False" in flags
    assert "--preheat_kernel=True" in flags and "--pool_size=2" in flags
    assert f"--MappingKernelManager.cull_idle_timeout={DEFAULT_CULL_IDLE}" in flags and DEFAULT_CULL_IDLE == 60
    assert "--MappingKernelManager.cull_interval=10" in flags
    assert "--VoilaConfiguration.allow_template_override=NO" in flags


def test_voila_argv_options():
    argv = voila_argv(port=9000, ip="0.0.0.0", open_browser=False, theme="dark", pool_size=0, cull_idle=0)
    assert {"--port=9000", "--Voila.ip=0.0.0.0", "--Voila.open_browser=False", "--theme=dark",
            "--preheat_kernel=False", "--MappingKernelManager.cull_idle_timeout=0"} <= set(argv)
    assert not any(a.startswith("--pool_size") for a in argv)


def test_voila_argv_frees_the_kernels_of_closed_pages_only():
    """The unload beacon gets through, culling spares connected and busy kernels, and the culler cannot trip."""
    flags = set(voila_argv()[1:])
    assert {"--Voila.tornado_settings=disable_check_xsrf=True",
            "--MappingKernelManager.cull_connected=False",
            "--MappingKernelManager.cull_busy=False",
            "--MappingKernelManager.kernel_manager_class=trajectories.kernels.SafeServerKernelManager",
            "--VoilaConfiguration.multi_kernel_manager_class=trajectories.kernels.SafeMappingKernelManager"} <= flags
    short = set(voila_argv(cull_idle=3))
    assert {"--MappingKernelManager.cull_idle_timeout=3", "--MappingKernelManager.cull_interval=1"} <= short
    assert "--MappingKernelManager.cull_idle_timeout=0" in voila_argv(cull_idle=0)


def test_every_flag_is_one_voila_knows():
    """Voila ignores unknown --Class.trait flags silently, so check each against its own --help-all."""
    out = subprocess.run([sys.executable, "-m", "voila", "--help-all"], capture_output=True, text=True,
                         timeout=120).stdout
    for flag in voila_argv()[1:]:
        name = flag.split("=", 1)[0]
        if name.startswith("--MappingKernelManager."):  # configures jupyter_server's manager, Voila's base class
            from jupyter_server.services.kernels.kernelmanager import MappingKernelManager, ServerKernelManager
            assert name.split(".", 1)[1] in MappingKernelManager.class_trait_names(config=True)
            if name.endswith(".kernel_manager_class"):  # a dotted path the server imports: it must exist
                from traitlets.utils.importstring import import_item
                assert issubclass(import_item(flag.split("=", 1)[1]), ServerKernelManager)
        elif name.startswith("--KernelManager."):  # jupyter_client's, the base of every kernel's manager
            from jupyter_client.manager import KernelManager
            trait_name = name.split(".", 1)[1]
            assert trait_name in KernelManager.class_trait_names(config=True)
            trait = KernelManager.class_traits()[trait_name]
            if hasattr(trait, "values"):
                assert flag.split("=", 1)[1] in trait.values
        else:
            assert f"\n{name}=" in out, name
        if name == "--VoilaConfiguration.multi_kernel_manager_class":
            from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
            from traitlets.utils.importstring import import_item
            assert issubclass(import_item(flag.split("=", 1)[1]), AsyncMappingKernelManager)


@pytest.mark.parametrize("kwargs, words", [
    (dict(port=0), ["'port'", "[1, 65535]", "Got 0"]),
    (dict(port=70000), ["'port'", "Got 70000"]),
    (dict(port="8866"), ["'port'", "Got '8866'"]),
    (dict(theme="blue"), ["'theme'", "light, dark", "Got 'blue'"]),
    (dict(pool_size=-1), ["'pool_size'", "[0, 64]", "Got -1"]),
    (dict(cull_idle=-5), ["'cull_idle'", "Got -5"]),
    (dict(ip=""), ["'ip'", "Got ''"]),
    (dict(ip="1.2.3.4 --debug"), ["'ip'"]),
])
def test_voila_argv_rejects(kwargs, words):
    with pytest.raises(ValueError) as err:
        voila_argv(**kwargs)
    message = str(err.value)
    assert all(w in message for w in words), message
    assert message.count(". ") <= 1


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trajectories", *args], capture_output=True, text=True,
                          timeout=60, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


@pytest.mark.parametrize("args", [["--port", "70000"], ["--port", "x"], ["--theme", "blue"],
                                  ["--pool-size", "99"], ["--ip", "203.0.113.7"]])
def test_cli_errors_are_one_line_exit_2(args):
    r = _run_cli("serve", "--no-browser", *args)
    assert r.returncode == 2, r
    assert r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, r.stderr


def test_cli_port_in_use_is_one_line_exit_2(capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert main(["serve", "--no-browser", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"Got {port}, which is in use" in err and len(err.strip().splitlines()) == 1


def test_shipped_notebook_is_a_few_lines_that_show_the_app():
    path = notebook_path()
    assert path.parent.name == "notebooks" and path.parent.parent.name == "trajectories"
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert len(code) == 1 and all(not c["outputs"] for c in code)
    source = "".join(code[0]["source"])
    assert "from trajectories.serve import page" in source and source.rstrip().endswith("page()")
    assert len(source.splitlines()) <= 5
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_package_data_names_the_notebook():
    """pyproject's package-data globs match the shipped notebook's path inside the package."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    globs = config["tool"]["setuptools"]["package-data"]["trajectories"]
    relative = notebook_path().relative_to(ROOT / "trajectories").as_posix()
    assert any(fnmatch.fnmatch(relative, g) and g.count("/") == relative.count("/") for g in globs), globs
    deps = " ".join(config["project"]["dependencies"])
    assert "ipykernel>=" in deps and "voila>=" in deps


def test_package_build_ships_the_notebook_the_bundle_and_the_template(tmp_path):
    """``pip install .`` must carry the notebook: run setuptools' build_py on a copy and look at what it built.

    (build_py applies the same package-data rules as a wheel, without needing the wheel package.)
    """
    import setuptools

    needed = re.search(r'"setuptools>=([0-9]+)', (ROOT / "pyproject.toml").read_text())
    if needed and int(setuptools.__version__.split(".")[0]) < int(needed.group(1)):
        pytest.skip(f"setuptools {setuptools.__version__} here cannot read this pyproject "
                    f"(needs >={needed.group(1)}); pip's isolated build fetches a newer one")
    src = tmp_path / "src"
    shutil.copytree(ROOT / "trajectories", src / "trajectories", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    r = subprocess.run([sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py",
                        "--build-lib", str(tmp_path / "lib")], cwd=src, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    built = tmp_path / "lib" / "trajectories"
    assert (built / "notebooks" / "app.ipynb").is_file()
    # and the teacher's notebook that `trajectories notebook` writes
    assert (built / "teacher.ipynb").read_bytes() == (ROOT / "app.ipynb").read_bytes()
    # the front end and the Voila template travel with it: pip install . needs no Node and no network
    assert (built / "static" / "app.js").read_bytes() == (ROOT / "trajectories" / "static" / "app.js").read_bytes()
    for name in ("conf.json", "index.html.j2"):
        assert (built / "voila" / "templates" / "trajectories" / name).is_file()
    assert (built / "hub" / "jupyterhub_config.py").is_file()  # the JupyterHub recipe of docs/beyond-one-machine.md
    for name in ("conf.json", "index.html.j2"):  # jupyter nbconvert --to trajectories (docs/live-figures.md)
        assert (built / "nbconvert_templates" / "trajectories" / name).is_file()


def test_lesson_for_query_drops_voila_keys_silently():
    lesson, display, notes = lesson_for_query("?theme=dark&template=lab&optimizer=momentum&eta=0.1&beta=0.25")
    assert notes == [] and display == Display()
    assert lesson.optimizers == ("momentum",)
    assert lesson.resolved("momentum")["eta"] == 0.1 and lesson.resolved("momentum")["beta"] == 0.25


def test_lesson_for_query_keeps_the_display_options_apart_from_the_lesson():
    lesson, display, notes = lesson_for_query("optimizer=momentum&eta=0.1&presenter=1&controls=eta,beta&panels=none"
                                              "&view=window")
    assert notes == []
    assert lesson == Lesson.from_query("optimizer=momentum&eta=0.1")[0]
    assert display == Display(presenter=True, controls=("eta", "beta"), panels=False, view="window")
    _, display, notes = lesson_for_query("optimizer=gd&presenter=maybe&controls=eta,etaa")
    assert display == Display(controls=("eta",)) and len(notes) == 2 and "etaa" in notes[1]


def test_lesson_for_query_notes_bad_values():
    lesson, _, notes = lesson_for_query("optimizer=rmsprop&eta=banana&steps=-3&zeta=1")
    assert lesson.optimizers == ("rmsprop",)
    assert lesson.steps == 20  # the default, kept
    joined = " ".join(notes)
    assert "eta='banana'" in joined and "steps='-3'" in joined and "'zeta'" in joined and len(notes) == 3


def test_served_page_shows_no_source(server):
    """strip_sources: the notebook's code is not in the HTML a student receives."""
    html = urllib.request.urlopen(server.url, timeout=120).read().decode()
    # the notebook's comment line; with --strip_sources=False it appears verbatim in the page
    assert "runs this with Voila; the lesson comes from the link" not in html
    # the static file used for readiness starts no kernel, the page itself is served by Voila
    assert "voila" in html.lower()


def _scripts(html: str) -> list[tuple[str, str]]:
    """Every script element of a page: its attributes and its text."""
    return re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)


def test_served_page_allows_only_its_own_inline_scripts(server):
    """The policy comes before any script, names a nonce drawn for this page alone, forbids inline script
    without it, and every inline script the page runs carries it; the data blocks (JSON) need none."""
    pages = [urllib.request.urlopen(server.url + "?optimizer=gd", timeout=120).read().decode() for _ in range(2)]
    nonces = []
    for html in pages:
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
        assert policy and policy.start() < html.index("<script")
        script_src = next(d for d in policy.group(1).split("; ") if d.startswith("script-src "))
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
        nonce = re.search(r"'nonce-([A-Za-z0-9_-]{24})'", script_src).group(1)
        nonces.append(nonce)
        inline = [(attrs, body) for attrs, body in _scripts(html) if "src=" not in attrs
                  and not re.search(r'type="application/(json|vnd\.voila\.cell-output\+json)"', attrs)]
        assert len(inline) >= 5 and all(attrs == f' nonce="{nonce}"' for attrs, _ in inline), inline
        assert "mermaid" not in html and "cdnjs" not in html
    assert nonces[0] != nonces[1]


def test_the_theme_and_the_template_are_the_servers(server):
    """Voila's own query keys no longer reach the page: its template wrote ?theme= unescaped into the body."""
    payload = '"><svg onload="window.__pwned=2">'
    html = urllib.request.urlopen(server.url + "?theme=" + urllib.parse.quote(payload) + "&template=lab",
                                  timeout=120).read().decode()
    assert 'data-jp-theme-name="JupyterLab Light"' in html and "pwned" not in html
    assert "--VoilaConfiguration.allow_theme_override=NO" in voila_argv()
    assert "--VoilaConfiguration.allow_template_override=NO" in voila_argv()
    template = (ROOT / "trajectories" / "voila" / "templates" / TEMPLATE / "index.html.j2").read_text()
    assert f"'{CSP_FILTER}' is filter" in template and f"| {CSP_FILTER}" in template
    assert f"--TemplateExporter.filters={CSP_FILTER}=trajectories.handlers.page_csp" in voila_argv()


def test_served_files_are_compressed(server):
    """The page's scripts cross the network gzipped when the browser accepts it, and as they are when it does not."""
    html = urllib.request.urlopen(server.url, timeout=120).read().decode()
    script = re.search(r'src="([^"]*voila\.js)"', html).group(1)
    url = server.url.rstrip("/") + script if script.startswith("/") else server.url + script
    plain = urllib.request.urlopen(url, timeout=60)
    body = plain.read()
    assert plain.headers.get("Content-Encoding") is None and len(body) > 10_000
    packed = urllib.request.urlopen(urllib.request.Request(url, headers={"Accept-Encoding": "gzip"}), timeout=60)
    assert packed.headers.get("Content-Encoding") == "gzip"
    data = packed.read()
    assert len(data) < len(body) / 2 and gzip.decompress(data) == body


def _fetch_all(app, requests: list[tuple[str, dict]]) -> list:
    """Serve ``app`` on a free loopback port and fetch each (path, headers) in turn, gzip left as sent."""
    import asyncio
    import concurrent.futures

    from tornado.httpclient import AsyncHTTPClient
    from tornado.httpserver import HTTPServer
    from tornado.netutil import bind_sockets

    async def fetch() -> list:
        [sock] = bind_sockets(0, "127.0.0.1")
        server = HTTPServer(app)
        server.add_sockets([sock])
        client = AsyncHTTPClient(force_instance=True)
        try:
            return [await client.fetch(f"http://127.0.0.1:{sock.getsockname()[1]}{path}", headers=headers,
                                       decompress_response=False, raise_error=False) for path, headers in requests]
        finally:
            client.close()
            server.stop()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # a loop of its own, whatever the session's holds
        return pool.submit(asyncio.run, fetch()).result()


def test_static_files_are_compressed_once(tmp_path, monkeypatch):
    """A static file is gzipped the first time a client that accepts gzip asks for it, then served from the cache
    until the file changes; a client without gzip gets the file as it is, and one asking for a range its range."""
    from tornado.web import Application, StaticFileHandler

    from trajectories import handlers

    monkeypatch.setattr(handlers, "_GZIPPED", {})
    made = []
    compress = gzip.compress
    monkeypatch.setattr(gzip, "compress", lambda data, *a, **k: made.append(len(data)) or compress(data, *a, **k))
    script = tmp_path / "app.js"
    script.write_text("const a = 1;\n" * 4000)
    app = Application([(r"/static/(.*)", handlers._gzip_once(StaticFileHandler), {"path": str(tmp_path)})],
                      compress_response=True)
    gz = {"Accept-Encoding": "gzip, deflate, br, zstd"}
    url = "/static/app.js"
    first, again, plain, part = _fetch_all(app, [(url, gz), (url, gz), (url, {}), (url, {**gz, "Range": "bytes=0-99"})])
    for r in (first, again):
        assert r.code == 200 and r.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in r.headers["Vary"]
        assert gzip.decompress(r.body) == script.read_bytes()
        assert int(r.headers["Content-Length"]) == len(r.body) < script.stat().st_size / 10
    assert made == [script.stat().st_size]  # compressed once for both
    assert plain.code == 200 and "Content-Encoding" not in plain.headers and plain.body == script.read_bytes()
    # a range is cut from the file, not from the cached gzip (tornado may still compress the piece it sends)
    piece = gzip.decompress(part.body) if part.headers.get("Content-Encoding") == "gzip" else part.body
    assert part.code == 206 and piece == script.read_bytes()[:100]
    script.write_text("const b = 2;\n" * 5000)  # an edited file is compressed again
    [changed] = _fetch_all(app, [("/static/app.js", gz)])
    assert gzip.decompress(changed.body) == script.read_bytes() and len(made) == 2


def test_voila_compiles_its_page_templates_once(monkeypatch):
    """Every preheated kernel's renderer gets an exporter of its own; the lab template is compiled for the first
    only, and the others load it compiled (Jinja checks it against the template's source)."""
    import jinja2
    from voila import notebook_renderer
    from voila.paths import collect_template_paths

    from trajectories import handlers, serve

    monkeypatch.setattr(notebook_renderer, "VoilaExporter", notebook_renderer.VoilaExporter)
    handlers._compile_templates_once()
    exporter = notebook_renderer.VoilaExporter
    assert exporter.__name__ == "VoilaExporter" and exporter._trajectories_cache is not None
    compiled = []
    original = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda env, *a, **k: compiled.append(1) or original(env, *a, **k))
    monkeypatch.setenv("JUPYTER_PATH", str(serve.jupyter_path()))  # as serve() sets it, so our template is found
    paths = collect_template_paths(["voila", "nbconvert"], serve.TEMPLATE)
    first = exporter(template_paths=paths).environment.get_template("index.html.j2")
    n = len(compiled)
    second = exporter(template_paths=paths).environment.get_template("index.html.j2")
    assert n > 0 and len(compiled) == n and first is not second


@pytest.mark.server
def test_the_pool_refills_once_students_stop_arriving(tmp_path):
    """Pages taking preheated kernels less than REFILL_QUIET_S apart start no replacement kernel while they arrive
    (Voila's own pool starts one a second after each page); once they stop, the pool fills up again."""
    if not Path("/proc").is_dir():
        pytest.skip("needs /proc to see the server's kernels")
    import threading

    from servers import READY_PATH, free_port, kernel_pids, start_server, stop_server, wait_ready

    from trajectories.kernels import SafeMappingKernelManager

    pool, gap, after = 4, 0.5, 1.0  # pages this far apart, watched this long after the last one
    assert gap < after < SafeMappingKernelManager.REFILL_QUIET_S
    port = free_port()
    with open(tmp_path / "voila.log", "wb") as log:
        proc = start_server(port, extra=(f"--pool-size={pool}",), log=log, root=ROOT)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_ready(url + READY_PATH, timeout=90, proc=proc)
        deadline = time.monotonic() + 120
        while len(kernel_pids(proc.pid)) < pool and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(kernel_pids(proc.pid)) == pool
        time.sleep(3)  # the pool's kernels have run the notebook
        pages = [threading.Thread(target=lambda: urllib.request.urlopen(url + "?optimizer=gd", timeout=120).read())
                 for _ in range(pool)]
        t0 = time.monotonic()
        for i, page in enumerate(pages):
            time.sleep(max(0.0, t0 + i * gap - time.monotonic()))
            page.start()
        counts = []
        while time.monotonic() < t0 + (pool - 1) * gap + after:
            counts.append(len(kernel_pids(proc.pid)))
            time.sleep(0.1)
        assert max(counts) == pool, counts  # the class's kernels, and no replacement started meanwhile
        for page in pages:
            page.join(120)
        while len(kernel_pids(proc.pid)) < 2 * pool and time.monotonic() < deadline:
            time.sleep(0.5)
        assert len(kernel_pids(proc.pid)) == 2 * pool  # the pages' kernels and a full pool again
        assert "Traceback" not in (tmp_path / "voila.log").read_text(errors="replace")
    finally:
        stop_server(proc)


def test_a_large_class_has_sockets_and_files_enough():
    """ZeroMQ's 1023 sockets per context held about 200 pages; the kernels' context now allows what the process may
    open, and the server asks the system for 65536 descriptors (or its most) instead of a common 1024."""
    import resource

    import zmq

    from trajectories import serve
    from trajectories.kernels import SafeMappingKernelManager

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(1024, hard), hard))
        serve._more_open_files()
        raised = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        assert raised == (serve.OPEN_FILES if hard == resource.RLIM_INFINITY else min(serve.OPEN_FILES, hard))
        table = SafeMappingKernelManager()
        try:
            assert table.context.get(zmq.MAX_SOCKETS) == min(raised, table.context.get(zmq.SOCKET_LIMIT))
            assert table.context.get(zmq.MAX_SOCKETS) > 1023 or hard <= 1024
        finally:
            table.context.term()
            table._created_context = False
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_pool_kernel_waits_for_a_busy_server_to_accept_its_query_socket(monkeypatch):
    """A preheated kernel asks Voila for its page's request over a websocket; a server busy with a class may take
    seconds to accept it (it took more than 5 s with 300 students arriving), and the kernel must still get the
    page's query, not give up and show the default lesson."""
    import asyncio
    import concurrent.futures
    import threading

    from tornado.httpserver import HTTPServer
    from tornado.netutil import bind_sockets
    from tornado.web import Application
    from tornado.websocket import WebSocketHandler

    from trajectories import serve

    accepted = threading.Event()

    class Busy(WebSocketHandler):
        async def get(self, *args, **kwargs):
            await asyncio.sleep(6)  # the handshake answered late, as by a server serving a class
            await super().get(*args, **kwargs)

        def open(self, kernel_id):
            accepted.set()
            self.write_message({"QUERY_STRING": "optimizer=adam", "SERVER_NAME": "127.0.0.1"})

    async def serve_once(port_box, stop):
        [sock] = bind_sockets(0, "127.0.0.1")
        server = HTTPServer(Application([(r"/voila/query/(.*)", Busy)]))
        server.add_sockets([sock])
        port_box.set_result(sock.getsockname()[1])
        while not stop.is_set():
            await asyncio.sleep(0.1)
        server.stop()

    for key in ("QUERY_STRING", "SERVER_NAME"):
        monkeypatch.setenv(key, "")
    monkeypatch.setenv("VOILA_KERNEL_ID", "0" * 8)
    monkeypatch.setenv("VOILA_SERVER_URL", "/")
    port_box, stop = concurrent.futures.Future(), threading.Event()
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        running = pool.submit(asyncio.run, serve_once(port_box, stop))
        try:
            monkeypatch.setenv("VOILA_APP_PORT", str(port_box.result(10)))
            serve._wait_for_page()
        finally:
            stop.set()
            running.result(10)
    assert accepted.is_set()
    assert os.environ["QUERY_STRING"] == "optimizer=adam"


@pytest.mark.server
def test_idle_kernel_of_a_closed_page_is_culled(tmp_path):
    """A page fetched and never connected (a student who left while it loaded) loses its kernel, after the five
    times --cull-idle a loading page gets; the waiting pool stays."""
    if not Path("/proc").is_dir():
        pytest.skip("needs /proc to see the server's kernels")
    from servers import READY_PATH, free_port, kernel_pids, start_server, stop_server, wait_ready

    port = free_port()
    with open(tmp_path / "voila.log", "wb") as log:
        proc = start_server(port, extra=("--cull-idle=3", "--pool-size=1"), log=log, root=ROOT)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_ready(url + READY_PATH, timeout=90, proc=proc)
        html = urllib.request.urlopen(url, timeout=120).read().decode()
        kernel_id = re.search(r'"kernelId": "([0-9a-f-]+)"', html).group(1)
        deadline = time.monotonic() + 60
        log_text = ""
        culled: list[str] = []
        while time.monotonic() < deadline and not culled:
            time.sleep(0.5)
            log_text = (tmp_path / "voila.log").read_text(errors="replace")
            culled = [line for line in log_text.splitlines() if "Culling" in line and kernel_id in line]
        assert "Culling kernels with idle durations > 3 seconds at 1 second intervals" in log_text
        assert culled, log_text[-3000:]
        idle = int(re.search(r"due to (\d+) seconds of inactivity", culled[0]).group(1))
        assert idle >= 5 * 3, culled  # SafeMappingKernelManager.PAGE_LOAD_FACTOR times --cull-idle
        time.sleep(2)
        assert len(kernel_pids(proc.pid)) >= 1  # the preheated kernel waiting for the next student is kept
        assert f"Kernel shutdown: {kernel_id}" in (tmp_path / "voila.log").read_text(errors="replace")
    finally:
        stop_server(proc)


@pytest.mark.server
def test_ctrl_c_stops_cleanly(tmp_path):
    """Ctrl+C (SIGINT) stops the server and its kernels, without a traceback on the teacher's console."""
    import signal

    from servers import READY_PATH, free_port, start_server, stop_server, wait_ready

    port = free_port()
    with open(tmp_path / "voila.log", "wb") as log:
        proc = start_server(port, extra=("--pool-size=1",), log=log, root=ROOT)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_ready(url + READY_PATH, timeout=90, proc=proc)
        urllib.request.urlopen(url, timeout=120).read()  # one student, one preheated kernel waiting
        deadline = time.monotonic() + 60
        while "Kernel pool of app.ipynb is filled" not in (tmp_path / "voila.log").read_text(errors="replace"):
            assert time.monotonic() < deadline, "the pool never filled"
            time.sleep(0.5)
        time.sleep(3)  # the refilled pool kernel is now waiting for a student
        proc.send_signal(signal.SIGINT)
        assert proc.wait(60) == 0
    finally:
        stop_server(proc)
    text = (tmp_path / "voila.log").read_text(errors="replace")
    assert "Stopping..." in text and "Kernel shutdown" in text
    assert "Traceback" not in text and "ERROR" not in text, text[-3000:]


@pytest.mark.server
def test_the_teacher_sees_one_line_saying_where_the_page_is(tmp_path):
    """`trajectories serve` as a teacher types it, on a machine with no browser to open (a server, ssh): the console
    shows where the page is, once, and none of Voila's warnings that ask nothing of the teacher (the shipped
    notebook "is not trusted", "No web browser found")."""
    import os
    import signal

    from servers import READY_PATH, free_port, stop_server, wait_ready

    from trajectories.serve import where_line

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER", "PYTHONWARNINGS")}
    env.update(PYTHONPATH=str(ROOT), PATH=str(Path(sys.executable).parent))  # no browser on this PATH
    with open(tmp_path / "console.txt", "wb") as console:
        proc = subprocess.Popen([sys.executable, "-m", "trajectories", "serve", f"--port={port}", "--pool-size=1"],
                                env=env, cwd=tmp_path, stdout=console, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_ready(url + READY_PATH, timeout=90, proc=proc)
        assert "tj-" in urllib.request.urlopen(url, timeout=120).read().decode()  # a student: the notebook is read
        proc.send_signal(signal.SIGINT)
        assert proc.wait(60) == 0
    finally:
        stop_server(proc)
    lines = (tmp_path / "console.txt").read_text(errors="replace").splitlines()
    assert lines[0] == where_line("127.0.0.1", port) == f"trajectories: the students' page is at {url} (Ctrl+C stops)"
    assert [line for line in lines if "http" in line] == lines[:1], lines
    assert not [line for line in lines if "WARNING" in line or "trusted" in line or "browser" in line], lines


def test_on_a_class_network_the_line_gives_the_address_students_type(monkeypatch):
    from trajectories import serve

    monkeypatch.setattr(serve, "_lan_address", lambda: "192.168.1.20")
    assert serve.where_line("0.0.0.0", 8866) == ("trajectories: the students' page is at http://192.168.1.20:8866/ "
                                                 "(on this machine http://127.0.0.1:8866/); Ctrl+C stops")
    monkeypatch.setattr(serve, "_lan_address", lambda: "")
    assert "http://<this machine's address>:8866/" in serve.where_line("0.0.0.0", 8866)
    assert serve.where_line("::1", 9000) == "trajectories: the students' page is at http://[::1]:9000/ (Ctrl+C stops)"


@pytest.mark.parametrize("env, expected", [
    ({"SERVER_NAME": "10.0.0.5", "SERVER_PORT": "8866", "SCRIPT_NAME": "/"}, "http://10.0.0.5:8866/"),
    ({"SERVER_NAME": "class.example.org", "SERVER_PORT": "", "SCRIPT_NAME": "/",
      "HTTP_X_FORWARDED_PROTO": "https"}, "https://class.example.org/"),
    ({"SERVER_NAME": "::1", "SERVER_PORT": "8866", "SCRIPT_NAME": "/"}, "http://[::1]:8866/"),
    ({"SERVER_NAME": "h", "SERVER_PORT": "1", "SCRIPT_NAME": "/", "HTTP_X_FORWARDED_PROTO": "javascript"},
     "http://h:1/"),
    ({}, ""),
])
def test_page_url_from_the_request(monkeypatch, env, expected):
    from trajectories.serve import _page_url

    for key in ("SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME", "HTTP_X_FORWARDED_PROTO"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert _page_url() == expected


def test_page_builds_the_app_from_a_query(monkeypatch):
    """What the notebook does, in-process: lesson from the query, notes shown, link and readout filled."""
    from trajectories import run
    from trajectories.serve import page

    monkeypatch.setenv("SERVER_NAME", "10.1.2.3")
    monkeypatch.setenv("SERVER_PORT", "8866")
    monkeypatch.setenv("SCRIPT_NAME", "/")
    app = page("optimizer=momentum&eta=0.3&beta=oops&theme=dark")
    assert app.lesson.optimizers == ("momentum",) and app.lesson.resolved("momentum")["eta"] == 0.3
    notes = [say(n) for n in app.widget.notes]
    assert len(notes) == 1 and "beta='oops'" in notes[0] and "theme" not in notes[0]
    assert say(app.widget.notes[0], "zh").startswith("忽略了beta='oops'：momentum的参数“beta”必须是")
    assert app.widget.link_base == "http://10.1.2.3:8866/"
    assert app.link.startswith("http://10.1.2.3:8866/?optimizer=momentum") and "lang=" not in app.link
    assert app.lang is None  # the page speaks each student's browser language
    zh = page("optimizer=momentum&lang=zh")
    assert zh.lang == "zh" and zh.link.endswith("&lang=zh") and zh.widget.notes == []
    monkeypatch.setenv(LANG_VARIABLE, "zh")  # trajectories serve --lang zh
    assert page("optimizer=gd").lang == "zh" and page("optimizer=gd&lang=en").lang == "en"
    assert app.readout() == {"momentum": run("momentum", eta=0.3, beta=0.5).book_line()}
    with pytest.raises(ValueError, match="'query' parameter must be a string"):
        page(b"optimizer=gd")
