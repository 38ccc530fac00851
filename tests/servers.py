"""Helpers for the tests and the benchmarks: a real ``trajectories serve`` in a subprocess, importing a checkout.

Not part of the package: a student's server has no use for them. The benchmarks import this file by path.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from trajectories.serve import DEFAULT_IP, READY_PATH
from trajectories.specs import check_int

ROOT = Path(__file__).resolve().parent.parent

__all__ = ["NO_SERVER_ENV", "READY_PATH", "ROOT", "frame", "free_port", "kernel_channels", "kernel_id", "kernel_pids",
           "read", "receive", "rss_mb", "start_jupyterlab", "start_server", "stop_server", "wait_ready"]

# Set by tests/conftest.py while a test that is not marked `server` (or `browser`) runs: it names that test.
NO_SERVER_ENV = "TRAJECTORIES_TEST_WITHOUT_SERVER"


def free_port(ip: str = DEFAULT_IP) -> int:
    """A TCP port that is free on ``ip`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((ip, 0))
        return int(s.getsockname()[1])


def start_server(port: int, *, extra: tuple[str, ...] = (), log: Any = None,
                 root: str | os.PathLike[str] | None = None, prefix: tuple[str, ...] = ()) -> subprocess.Popen:
    """Start ``python -m trajectories serve --no-browser --port PORT`` with PYTHONPATH at ``root``.

    ``root`` is the checkout whose package the server and its kernels import (default: the one holding this
    file); ``prefix`` runs the server through a command that then runs it in the same process, such as
    ``("taskset", "-c", "0")``. The caller stops it with :func:`stop_server`.
    """
    check_int(port, "port", 1, 65535)
    if os.environ.get(NO_SERVER_ENV):
        raise RuntimeError(f"{os.environ[NO_SERVER_ENV]} starts a server: mark it @pytest.mark.server, so that "
                           "the fast loop (pytest -m 'not browser') leaves it out.")
    root = str(root or ROOT)
    env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("PYTHONWARNINGS", None)  # the server's own deprecation chatter is not the tests' concern
    cmd = [*prefix, sys.executable, "-m", "trajectories", "serve", "--no-browser", f"--port={port}", *extra]
    return subprocess.Popen(cmd, env=env, cwd=root, stdout=log or subprocess.DEVNULL,
                            stderr=subprocess.STDOUT if log else subprocess.DEVNULL, start_new_session=True)


LAB_TOKEN = "tj"
LAB_THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}


def start_jupyterlab(folder: Path, cell: str, *, theme: str = "light", log: Any = None,
                     root: str | os.PathLike[str] | None = None) -> tuple[subprocess.Popen, str]:
    """JupyterLab on 127.0.0.1 serving ``folder`` with ``lab.ipynb``, one code cell holding ``cell``, whose kernel
    imports the checkout ``root``; in ``theme`` (light or dark). Returns the process and the notebook's URL, once the
    server answers. The caller stops it with :func:`stop_server`."""
    if os.environ.get(NO_SERVER_ENV):
        raise RuntimeError(f"{os.environ[NO_SERVER_ENV]} starts a server: mark it @pytest.mark.server.")
    folder = Path(folder)
    notebook = {"cells": [{"cell_type": "code", "execution_count": None, "id": "c0", "metadata": {}, "outputs": [],
                           "source": cell}],
                "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
                "nbformat": 4, "nbformat_minor": 5}
    (folder / "lab.ipynb").write_text(json.dumps(notebook))
    settings = folder / "lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "themes.jupyterlab-settings").write_text(json.dumps({"theme": LAB_THEMES[theme]}))
    # no "Would you like to get notified about official Jupyter news?" over the notebook, no request for news
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false",
                                                                           "checkForUpdates": False}))
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(root or ROOT), JUPYTER_CONFIG_DIR=str(folder / "config"),
               JUPYTERLAB_SETTINGS_DIR=str(folder / "lab-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(folder / "lab-workspaces"))
    env.pop("PYTHONWARNINGS", None)
    proc = subprocess.Popen([sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
                             "--ip=127.0.0.1", f"--IdentityProvider.token={LAB_TOKEN}",
                             f"--ServerApp.root_dir={folder}", "--allow-root"], env=env, cwd=folder,
                            stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_ready(url + f"api/status?token={LAB_TOKEN}", timeout=120, proc=proc)
    except BaseException:
        stop_server(proc)
        raise
    return proc, f"{url}lab/tree/lab.ipynb?token={LAB_TOKEN}"


def wait_ready(url: str, *, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    """Wait until ``url`` (e.g. ``http://127.0.0.1:P/voila/static/voila.js``) answers 200; raise if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"The server exited with status {proc.returncode} before {url} answered.")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:g} s.")


def stop_server(proc: subprocess.Popen, timeout: float = 20.0) -> None:
    """SIGTERM (Voila then shuts its kernels down), SIGKILL of the whole process group if that hangs."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
    try:  # kernels started by the server share its process group
        os.killpg(proc.pid, 9)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def kernel_pids(server_pid: int) -> set[int]:
    """The server's kernels: its child processes running ipykernel, read from /proc (Linux only).

    A kernel that has exited (even one not yet reaped) has no command line left, so it is not counted.
    """
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmd = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if ppid == server_pid and b"ipykernel_launcher" in cmd:
            pids.add(int(entry.name))
    return pids


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB, from /proc (Linux only)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise ValueError(f"The 'pid' parameter must be a running process. Got {pid} instead.")


# --- a page's kernel, spoken to as the page speaks to it -----------------------------------------------------------


def kernel_id(url: str, query: str = "optimizer=gd") -> str:
    """Load a page (as a browser would, without running it) and return its kernel's id, which its HTML holds."""
    html = urllib.request.urlopen(url + "?" + query, timeout=120).read().decode()
    return re.search(r'"kernelId": "([0-9a-f-]+)"', html).group(1)


def frame(msg_type: str, content: dict, session: str, channel: str = "shell") -> bytes:
    """A kernel message as the page sends it: a v1 websocket frame (jupyter_server's own serializer)."""
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

    header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session, "username": "student",
              "date": "2026-01-01T00:00:00Z", "version": "5.3"}
    return serialize_msg_to_ws_v1({"header": header, "parent_header": {}, "metadata": {}, "content": content},
                                  channel, pack=lambda part: json.dumps(part).encode())


def read(message: bytes) -> tuple[str, str, dict, list[bytes]]:
    """Channel, message type, content and buffers of a frame from the server."""
    from trajectories.kernels import read_frame  # the server's side: jupyter_server and Voila, not for every test

    channel, parts = read_frame(message)
    return channel, json.loads(parts[0])["msg_type"], json.loads(parts[3]), parts[4:]


def kernel_channels(url: str, kernel: str, session: str, *, as_page: bool = True) -> Any:
    """A websocket to a kernel's channels, asking for the page's protocol as the page does (``as_page=False``: no
    subprotocol, as a plain ``new WebSocket(url)``)."""
    from websockets.sync.client import connect

    from trajectories.kernels import PROTOCOL

    ws_url = url.replace("http://", "ws://") + f"api/kernels/{kernel}/channels?session_id={session}"
    return connect(ws_url, open_timeout=30, subprotocols=[PROTOCOL] if as_page else None, max_size=None,
                   ping_interval=None)


def receive(ws: Any, until: Any, timeout: float = 15.0) -> list[tuple[str, str, dict, list[bytes]]]:
    """Messages from the server until ``until(messages)`` holds or ``timeout`` seconds have passed."""
    got: list = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not until(got):
        try:
            got.append(read(ws.recv(timeout=0.5)))
        except TimeoutError:
            continue
    return got
