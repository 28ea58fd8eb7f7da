"""Shared fixtures: a real uvicorn server on a free loopback port, and a real Chromium driven by Playwright.

Browser tests use Debian's Chromium at /usr/bin/chromium (or the path in NNLIVE_CHROMIUM); Playwright never
downloads a browser. Where no browser exists they skip with the reason, except under CI=true, where they fail.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytest_plugins = ["tests.services"]  # redis_server, postgres_server fixtures

# Starlette's TestClient sends `Host: testserver`; the app serves loopback names and the hosts of
# NNLIVE_ALLOWED_HOSTS only (app/hosts.py). Tests of the Host check pass their own `allowed_hosts`.
os.environ.setdefault("NNLIVE_ALLOWED_HOSTS", "testserver")

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
# Saved scenes stay inside the test run: every app and server started by the tests keeps them in this fresh
# folder (the embedded SQLite store), never in the user's data folder nor in a DATABASE_URL of the shell.
SCENES_DIR = Path(tempfile.mkdtemp(prefix="nnlive-test-scenes-"))
os.environ["NNLIVE_DATA_DIR"] = str(SCENES_DIR)
os.environ.pop("DATABASE_URL", None)
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """A `python -m app serve` subprocess on a free loopback port (of this checkout, or of `root`)."""

    def __init__(
        self,
        env: dict[str, str] | None = None,
        args: list[str] | None = None,
        port: int | None = None,
        root: Path = ROOT,
    ) -> None:
        self.port = port or free_port()
        self.env, self.args, self.root = env, args, root
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        self.log = ARTIFACTS / f"server-{self.port}.log"
        ARTIFACTS.mkdir(exist_ok=True)
        self._log_file = self.log.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "app",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                *(args or []),
            ],
            cwd=root,
            env={**os.environ, **(env or {})},
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_healthy()

    def _wait_until_healthy(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early; see {self.log}:\n{self.log.read_text()}")
            try:
                if httpx.get(self.url + "/api/health", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not answer /api/health within {timeout} s; see {self.log}")

    def restart(self) -> None:
        """Start the server again on the same port (after `stop`): to a page, the server comes back."""
        self.__init__(self.env, self.args, self.port, self.root)  # type: ignore[misc]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log_file.close()


@contextlib.contextmanager
def server_pair(env: dict[str, str]) -> Iterator[tuple[LiveServer, LiveServer]]:
    """Two server processes with the same environment (two workers, or two replicas), stopped after."""
    first = LiveServer(env)
    try:
        second = LiveServer(env)
    except BaseException:
        first.stop()
        raise
    try:
        yield first, second
    finally:
        first.stop()
        second.stop()


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    """One real server for the whole test session."""
    server = LiveServer()
    yield server
    server.stop()


def chromium_path() -> str | None:
    """The Chromium executable to drive, or None when there is none."""
    configured = os.environ.get("NNLIVE_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A headless Chromium (Playwright `Browser`); skipped without one, failed without one under CI=true."""
    executable = chromium_path()
    if executable is None:
        reason = "no Chromium found (install Debian's chromium or set NNLIVE_CHROMIUM)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object, live_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh 1280×800 page recording console errors in `page.console_errors`.

    When the test fails, a screenshot is saved to test-artifacts/.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    pw_page = context.new_page()
    errors: list[str] = []
    pw_page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pw_page.on("pageerror", lambda exc: errors.append(str(exc)))
    pw_page.console_errors = errors
    yield pw_page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        pw_page.screenshot(path=str(ARTIFACTS / f"failed-{request.node.name}.png"), full_page=True)
    context.close()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Remove the test run's scenes folder."""
    shutil.rmtree(SCENES_DIR, ignore_errors=True)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """Remember each phase's report on the item so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, "rep_" + report.when, report)
    return report
