"""Helpers for the tests and the benchmarks: a real ``trajectories serve`` in a subprocess, importing a checkout.

Not part of the package: a student's server has no use for them. The benchmarks import this file by path.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from trajectories.serve import DEFAULT_IP, READY_PATH
from trajectories.specs import check_int

ROOT = Path(__file__).resolve().parent.parent

__all__ = ["NO_SERVER_ENV", "READY_PATH", "ROOT", "free_port", "kernel_pids", "start_server", "stop_server",
           "wait_ready"]

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
