"""Real services for the tests: Redis, PostgreSQL and an HAProxy balancer, each started on a free loopback
port in a temporary directory and stopped after (the programs are Debian's packages: scripts/ensure-services).

Fixtures: `redis_server` and `postgres_server` (one per test session), and `Balancer` for tests that put
HAProxy in front of their own app processes. Where a program is missing the test skips with the reason, except
under CI=true, where it fails: CI installs everything.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS, free_port


def need(program: str) -> str:
    """The path of `program`, or skip (fail under CI=true) naming the package to install."""
    path = shutil.which(program) or next(
        (p for p in (f"/usr/sbin/{program}", f"/usr/bin/{program}") if Path(p).exists()), None
    )
    if path is None:
        reason = f"{program} is not installed (scripts/ensure-services installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must have it")
        pytest.skip(reason)
    return path


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 30.0) -> None:
    """Wait until something accepts TCP connections on 127.0.0.1:`port` (the process must stay alive)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited early; see {log}:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s; see {log}")


class Service:
    """A program run in the foreground by the test session, logging to test-artifacts/."""

    name = "service"

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix=f"nnlive-{self.name}-"))
        ARTIFACTS.mkdir(exist_ok=True)
        self.log = ARTIFACTS / f"{self.name}-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def _spawn(self, args: list[str], user: str | None = None) -> None:
        if user is not None and os.geteuid() == 0:  # PostgreSQL refuses to run as root
            args = ["runuser", "-u", user, "--", *args]
        with self.log.open("w") as out:
            self.process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, cwd=self.dir)
        wait_for_port(self.port, self.process, self.log)

    def stop(self) -> None:
        """Stop the program and remove its directory."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class RedisServer(Service):
    """redis-server on a free port, nothing persisted. `url` is what REDIS_URL takes."""

    name = "redis"

    def __init__(self) -> None:
        super().__init__()
        program = need("redis-server")
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._spawn(
            [program, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        )


class PostgresServer(Service):
    """A throw-away PostgreSQL cluster (trust auth, fsync off) with database `nnlive`. `url` is what
    DATABASE_URL takes."""

    name = "postgres"

    def __init__(self) -> None:
        super().__init__()
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            need("initdb")  # skips or fails with the reason
        bindir = Path(found[-1]).parent
        user = "postgres" if os.geteuid() == 0 else None
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        data = self.dir / "data"
        initdb = [str(bindir / "initdb"), "-D", str(data), "-U", "nnlive", "--auth=trust", "-E", "UTF8"]
        if user is not None:
            initdb = ["runuser", "-u", user, "--", *initdb]
        subprocess.run(initdb, check=True, capture_output=True, cwd=self.dir)
        self._spawn(
            [
                str(bindir / "postgres"),
                "-D",
                str(data),
                "-p",
                str(self.port),
                "-k",
                str(self.dir),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "full_page_writes=off",
            ],
            user=user,
        )
        self._ready(bindir)
        self.url = f"postgresql://nnlive@127.0.0.1:{self.port}/nnlive"

    def _ready(self, bindir: Path) -> None:
        """Wait for the server to accept queries, then create the `nnlive` database."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            probe = [str(bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "nnlive"]
            if subprocess.run(probe, capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        psql = ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "nnlive", "-d", "postgres", "-q"]
        subprocess.run([*psql, "-c", "CREATE DATABASE nnlive"], check=True, capture_output=True)


class Balancer(Service):
    """HAProxy in front of `backends` (host:port of app processes): WebSockets proxied, round robin, an
    active health check on /api/health every `check_ms`. `url` is the front door; `status()` reads each
    backend's state from HAProxy's own statistics."""

    name = "haproxy"

    def __init__(self, backends: list[str], check_ms: int = 500) -> None:
        super().__init__()
        program = need("haproxy")
        self.stats_port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        servers = "\n".join(
            f"    server app{k} {b} check inter {check_ms} fall 2 rise 2" for k, b in enumerate(backends)
        )
        config = self.dir / "haproxy.cfg"
        config.write_text(
            f"""global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h
    retries 2
    option redispatch
frontend front
    bind 127.0.0.1:{self.port}
    default_backend apps
frontend stats
    bind 127.0.0.1:{self.stats_port}
    stats enable
    stats uri /stats
backend apps
    balance roundrobin
    option httpchk GET /api/health
    http-check expect status 200
{servers}
"""
        )
        self._spawn([program, "-f", str(config), "-db"])

    def status(self) -> dict[str, str]:
        """Each backend server's state as HAProxy's health checks see it ("UP", "DOWN", …)."""
        import httpx

        text = httpx.get(f"http://127.0.0.1:{self.stats_port}/stats;csv", timeout=5).text
        rows = [line.split(",") for line in text.splitlines() if line and not line.startswith("#")]
        servers = [row for row in rows if row[0] == "apps" and row[1].startswith("app")]
        return {row[1]: row[17].split(" ")[0] for row in servers}


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One real Redis for the test session."""
    server = RedisServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One real PostgreSQL (database `nnlive`) for the test session."""
    server = PostgresServer()
    yield server
    server.stop()
