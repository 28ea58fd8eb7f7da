"""The wheel the Dockerfile installs serves the page and carries the licence; the Dockerfile's commands work
on a real server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import httpx
import pytest

from app.cli import build_parser
from tests.conftest import ROOT, LiveServer, free_port

DOCKERFILE = (ROOT / "Dockerfile").read_text()


def wait_for_health(base: str, server: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """Poll /api/health until it answers 200; fail if the server dies or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server from the wheel exited"
        try:
            if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    pytest.fail(f"the server from the wheel did not answer within {timeout} s")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel exactly as the Dockerfile does (`pip wheel --no-deps .`)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(ROOT)],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("nnlive-*.whl")
    return built


def test_wheel_holds_both_packages_the_page_and_the_entry_point(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "nncore/__init__.py" in names
    assert "app/main.py" in names
    assert "app/templates/index.html" in names
    assert "app/static/js/main.js" in names
    assert "app/store/migrations/0001_scenes.sql" in names  # the scene store's schema
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "nnlive = app.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_wheel_metadata_declares_the_mit_licence_and_carries_its_text(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    dist_info = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA")).rsplit("/", 1)[0]
    metadata = archive.read(f"{dist_info}/METADATA").decode()
    assert re.search(r"^License-Expression: MIT$", metadata, re.M)
    assert re.search(r"^License-File: LICENSE$", metadata, re.M)
    text = archive.read(f"{dist_info}/licenses/LICENSE").decode()
    assert text == (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License") and "Copyright (c) 2026 the nnlive authors" in text
    assert "WITHOUT WARRANTY OF ANY KIND" in text


def test_the_docker_build_has_every_file_the_wheel_needs() -> None:
    """`pip wheel` in the Dockerfile's build stage needs the readme and the licence files pyproject names."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    copied = {
        src for line in re.findall(r"^COPY (?!--from)(.+)$", DOCKERFILE, re.M) for src in line.split()[:-1]
    }
    assert {project["readme"], *project["license-files"]} <= copied


def test_installed_wheel_serves_the_page_without_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    show_paths = "import json, app.paths as p; print(json.dumps([str(p.TEMPLATES_DIR), str(p.STATIC_DIR)]))"
    where = subprocess.run(
        [sys.executable, "-c", show_paths], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    templates_dir, static_dir = json.loads(where.stdout)
    assert templates_dir.startswith(str(site)) and static_dir.startswith(str(site))

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_health(base, server)
        page = httpx.get(base + "/")
        assert page.status_code == 200 and "/vendor/plotly.min.js" in page.text
        assert httpx.get(base + "/static/js/main.js").status_code == 200
        assert httpx.get(base + "/vendor/plotly.min.js").status_code == 200
        saved = httpx.post(base + "/api/scenes", json={"config": {}})  # the schema came with the wheel
        assert saved.status_code == 201 and httpx.get(base + saved.json()["url"]).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_dockerfile_copies_only_what_exists_and_dockerignore_keeps_it() -> None:
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    sources = [
        src for line in re.findall(r"^COPY (?!--from)(.+)$", DOCKERFILE, re.M) for src in line.split()[:-1]
    ]
    assert sources, "the Dockerfile copies the project's files"
    for source in sources:
        assert (ROOT / source).exists(), source
        assert source not in ignored, source


def test_dockerfile_runs_as_non_root_on_all_interfaces_port_8000() -> None:
    assert re.search(r"^USER (?!root)\w+", DOCKERFILE, re.M)
    assert re.search(r"^EXPOSE 8000$", DOCKERFILE, re.M)
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.M).group(1))
    assert cmd[0] == "nnlive"
    args = build_parser().parse_args(cmd[1:])
    assert (args.command, args.host, args.port) == ("serve", "0.0.0.0", 8000)


def test_dockerfile_gives_its_user_a_volume_for_saved_scenes() -> None:
    folder = re.search(r"^ENV NNLIVE_DATA_DIR=(\S+)$", DOCKERFILE, re.M).group(1)
    user = re.search(r"^USER (\w+)$", DOCKERFILE, re.M).group(1)
    assert f"mkdir {folder} && chown {user} {folder}" in DOCKERFILE
    assert re.search(rf"^VOLUME {folder}$", DOCKERFILE, re.M)


def test_dockerfile_healthcheck_passes_against_a_real_server(live_server: LiveServer) -> None:
    check = json.loads(re.search(r"HEALTHCHECK .*\\\n\s+CMD (\[.*\])", DOCKERFILE).group(1))
    check = [part.replace("127.0.0.1:8000", f"127.0.0.1:{live_server.port}") for part in check]
    check[0] = sys.executable
    assert subprocess.run(check, timeout=10).returncode == 0
