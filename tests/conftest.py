"""Shared fixtures: one real build of the demo portal, a local web server, a real browser."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

sys.path.insert(0, str(ROOT / "bench"))
from shared import FEEDCHECK, SEEDS  # noqa: E402  (the workplace's seed articles and feed checker)


def feedcheck_path() -> Path:
    """FEEDCHECK, or a failure that says where it was looked for and how to point at it."""
    if not FEEDCHECK.is_file():
        raise AssertionError(f"the strict feed checker is not at {FEEDCHECK}: put shared/ beside the "
                             "checkout, or set BANTIN_SHARED to the folder holding tools/feedcheck/")
    return FEEDCHECK
SITE_URL = "https://bantin.example.vn/"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def bantin(*args: str, cwd: Path = ROOT, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real `bantin` command as an editor would."""
    result = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True,
                            text=True, env={**os.environ, **(env or {})})
    if check and result.returncode != 0:
        raise AssertionError(f"bantin {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def make_project(dest: Path, content: Path | None = None) -> Path:
    """A copy of the demo project (config, theme, content) that a test may change freely."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "theme_overrides", dest / "theme_overrides")
    shutil.copytree(content or ROOT / "content", dest / "content")
    return dest


@pytest.fixture
def screenshots(tmp_path) -> Path:
    """Where a test puts the README's screenshots: docs/screenshots/ when BANTIN_SCREENSHOTS=1
    (to retake them), else a temporary folder, so that a test run leaves the checkout as it was."""
    if os.environ.get("BANTIN_SCREENSHOTS") == "1":
        folder = ROOT / "docs" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The demo content built once, by `bantin build`, into a fresh folder."""
    out = tmp_path_factory.mktemp("demo") / "site"
    bantin("build", "--quiet", "--site-dir", str(out))
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_dir(directory: Path):
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@contextlib.contextmanager
def serving(directory: Path):
    """A built site over HTTP on loopback, for as long as the block runs: its base URL."""
    server = serve_dir(directory)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def demo_server(demo_site):
    """The demo site over HTTP on loopback; yields its base URL."""
    with serving(demo_site) as base:
        yield base


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("Chromium is not installed: run `sh tests/install-deps.sh` (Debian's chromium package)")


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """Debian's headless Chromium, driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=chromium_path(), headless=True,
            args=[f for f in CHROMIUM_FLAGS if f != "--headless"], locale="vi-VN")
        yield context
        context.close()


@pytest.fixture
def page(browser):
    tab = browser.new_page()
    yield tab
    tab.close()
