"""Several ``trajectories serve`` behind nginx: the nginx block of docs/beyond-one-machine.md, run by Debian's nginx
on loopback ports.

The configuration is that block itself, with the backends' and the listen addresses replaced by free ports
on 127.0.0.1, inside a minimal main configuration whose logs, pid and temp files live in a temp folder (no root-only
paths). Without nginx the test is skipped, unless ``CI`` is set: then it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time

import pytest
from pages import TIMEOUT_MS, expected_lines, link, link_lesson, open_app, path_d, readout, value
from servers import READY_PATH, ROOT, free_port, start_server, stop_server, wait_ready

DOC_BACKENDS = ("10.0.0.11:8866", "10.0.0.12:8866")
DOC_LISTEN = "listen 80;"

MAIN = """worker_processes 1;
{user}events {{ worker_connections 256; }}
http {{
  log_format upstream '$upstream_addr $request';
  access_log {tmp}/access.log upstream;
  client_body_temp_path {tmp}/client_body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
{site}
}}
"""


DOC = ROOT / "docs" / "beyond-one-machine.md"  # where the README sends a teacher for nginx


def documented_block() -> str:
    blocks = re.findall(r"```nginx\n(.*?)```", DOC.read_text(), re.S)
    assert len(blocks) == 1, f"{DOC.name} shows one nginx configuration"
    return blocks[0]


def site_config(block: str, backends: tuple[str, str], listen: str) -> str:
    """The documented block with its example addresses replaced; each must appear exactly once."""
    for old in (*DOC_BACKENDS, DOC_LISTEN):
        assert block.count(old) == 1, old
    for old, new in zip(DOC_BACKENDS, backends, strict=True):
        block = block.replace(old, new)
    return block.replace(DOC_LISTEN, f"listen {listen};")


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set and nginx is not installed")
        pytest.skip("nginx is not installed")
    return found


@pytest.fixture
def nginx(tmp_path, server):
    """The session's server and one more behind nginx; yields nginx's address, its folder and the backends."""
    binary = nginx_binary()
    port = free_port()
    with open(tmp_path / "second.log", "wb") as fh:
        second = start_server(port, extra=("--pool-size=1",), log=fh, root=ROOT)
    backends = (server.url.split("/")[2], f"127.0.0.1:{port}")
    listen = f"127.0.0.1:{free_port()}"
    # nginx run by root starts its workers as nobody, who cannot enter pytest's private temp folder, where they
    # buffer a large response that the browser reads more slowly than the backend sends it
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = tmp_path / "nginx.conf"
    conf.write_text(MAIN.format(user=user, tmp=tmp_path, site=site_config(documented_block(), backends, listen)))
    proc = None
    try:
        wait_ready(f"http://{backends[1]}/{READY_PATH}", timeout=90, proc=second)
        proc = subprocess.Popen([binary, "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log"),
                                 "-g", f"daemon off; pid {tmp_path}/nginx.pid;"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://{listen}/"
        wait_ready(url + READY_PATH, timeout=30, proc=proc)
        yield url, tmp_path, backends
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGQUIT)  # graceful: the master waits for its workers
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        stop_server(second)


def test_the_documented_block_becomes_the_tested_config():
    site = site_config(documented_block(), ("127.0.0.1:1", "127.0.0.1:2"), "127.0.0.1:3")
    for line in ("ip_hash;", "server 127.0.0.1:1;", "server 127.0.0.1:2;", "listen 127.0.0.1:3;",
                 "proxy_set_header Upgrade $http_upgrade;", "proxy_set_header Connection $connection_upgrade;",
                 "proxy_set_header Host $http_host;", "proxy_set_header X-Forwarded-Proto $scheme;"):
        assert line in site, line


def test_the_app_through_nginx_answers_a_key_and_links_to_the_proxy(page, nginx):
    url, folder, backends = nginx
    access_log = folder / "access.log"
    open_app(page, url + "?optimizer=gd,momentum&momentum.eta=0.6")
    assert value(page, ".tj-momentum-eta") == 0.6
    before, before_link = path_d(page, "momentum"), link(page)
    assert before_link.startswith(url + "?")  # the address students use, not a backend's
    page.focus(".tj-momentum-eta")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(d) => document.querySelector('.tj-plot .tj-trajectory-momentum .tj-line')"
                           ".getAttribute('d') !== d", arg=before, timeout=TIMEOUT_MS)
    page.wait_for_function("(q) => document.querySelector('.tj-link').value !== q", arg=before_link,
                           timeout=TIMEOUT_MS)
    moved = link_lesson(page)
    assert value(page, ".tj-momentum-eta") > 0.6
    assert moved.resolved("momentum")["eta"] == value(page, ".tj-momentum-eta")
    assert readout(page) == expected_lines(moved) and link(page).startswith(url + "?")
    assert page.errors == []
    # The page, its kernel's websocket and its widget messages all went to one backend (ip_hash). nginx logs the
    # websocket when it closes.
    page.close()
    deadline = time.monotonic() + 30
    while "/channels" not in access_log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    lines = access_log.read_text().splitlines()
    assert any("/api/kernels/" in line and "/channels" in line for line in lines), lines[-20:]
    upstreams = {line.split()[0] for line in lines}
    assert len(upstreams) == 1 and upstreams <= set(backends), upstreams
    assert not re.search(r"\[(emerg|alert|crit|error)\]", (folder / "error.log").read_text())
