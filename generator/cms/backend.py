"""The local backend of `bantin serve`: Decap's own server in git mode, behind a photo-reducing proxy.

`decap-server` (npm, installed by `npm install --omit=dev`) writes what the
editor saves into the working copy and commits it to the local repository.  It
listens on 127.0.0.1 only, on a port of its own; the editor talks to the proxy
(proxy.py) in front of it, which reduces uploaded photos before they reach git.
Both are started when the preview starts and stopped when it stops.
"""
from __future__ import annotations

import ctypes
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from ..search import BANTIN_HOME
from .admin import LOCAL_ENV
from .config import Local
from .proxy import serve_proxy

log = logging.getLogger("mkdocs.plugins.bantin")

HOST = "127.0.0.1"
SERVER = "node_modules/decap-server/dist/index.js"
START_TIMEOUT = 30.0


class BackendError(RuntimeError):
    """The local backend could not start; worded for the editor."""


def _git(root: Path, *args: str) -> str:
    out = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30)
    return out.stdout.strip() if out.returncode == 0 else ""


def server_script(*bases: Optional[Path]) -> Optional[Path]:
    for base in dict.fromkeys(b for b in (*bases, Path.cwd(), BANTIN_HOME) if b):
        script = Path(base) / SERVER
        if script.is_file():
            return script
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _wait_listening(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BackendError(f"decap-server dừng ngay khi chạy (mã {process.returncode})")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise BackendError(f"decap-server không mở cổng {port} sau {START_TIMEOUT:.0f} giây")


def _die_with_parent() -> None:
    """In the child, before decap-server starts: Linux ends it when the preview dies, even by SIGKILL."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG


@contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """SIGTERM (`kill`, a service manager) ends the preview as Ctrl+C does, so that the backend stops too."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def local_backend(project_dir: Path) -> Iterator[Optional[Local]]:
    """Run the local backend for the site in `project_dir` while the block runs.

    Yields where the editor reaches it, or None (with a warning) when the site is
    not in a git repository on a branch, or decap-server or Node.js is missing:
    the preview then runs without the web editor's backend.
    """
    project_dir = Path(project_dir).resolve()
    root = _git(project_dir, "rev-parse", "--show-toplevel")
    branch = _git(project_dir, "branch", "--show-current") if root else ""
    script, node = server_script(project_dir), shutil.which("node")
    missing = ("thư mục không nằm trong một kho git (not a git repository)" if not root else
               "kho git không ở trên nhánh nào (detached HEAD)" if not branch else
               "chưa cài decap-server: chạy `npm install --omit=dev`" if script is None else
               "không có Node.js (node is missing)" if node is None else "")
    if missing:
        log.warning("Trình soạn thảo web /admin/ không lưu được bài: %s", missing)
        yield None
        return
    port = free_port()
    env = {**os.environ, "MODE": "git", "GIT_REPO_DIRECTORY": root, "PORT": str(port), "BIND_HOST": HOST,
           "LOG_LEVEL": "warn"}
    process = subprocess.Popen([node, str(script)], cwd=root, env=env, stdin=subprocess.DEVNULL,
                               preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
    before = os.environ.get(LOCAL_ENV)
    with _terminate_as_exit():
        yield from _running(process, port, branch, before)


def _running(process: subprocess.Popen, port: int, branch: str, before: Optional[str]) -> Iterator[Local]:
    proxy = None
    try:
        _wait_listening(port, process)
        proxy = serve_proxy(HOST, f"http://{HOST}:{port}")
        threading.Thread(target=proxy.serve_forever, name="bantin-cms-proxy", daemon=True).start()
        local = Local(f"http://{HOST}:{proxy.server_port}/api/v1", branch)
        os.environ[LOCAL_ENV] = json.dumps({"url": local.url, "branch": local.branch})
        yield local
    finally:
        if before is None:
            os.environ.pop(LOCAL_ENV, None)
        else:
            os.environ[LOCAL_ENV] = before
        if proxy is not None:
            proxy.shutdown()
            proxy.server_close()
        _stop(process)
