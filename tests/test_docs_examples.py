"""Every curl command and Python example in README.md and docs/*.md runs as written against a real server.

The examples say `localhost:8000` or `127.0.0.1:8000` (what `make run` serves); here they go to a real server
on a free port instead, and nothing else about them changes. Which text is an example:

- in a ```sh / ```console block, every command that starts with `curl` (a `$ ` prompt is dropped; a command
  continues over lines ending in `\\` or inside an open quote). In a console block, the lines after a command
  up to the next prompt are its shown output: when that is JSON, the answer must match it (numbers to 1e-9
  relative, a string shown ending in "..." or "…" by its beginning); when it is shortened JSON, the answer
  must have every key it shows. A command without shown output must answer JSON that is not an error (a
  pipeline: anything), and `POST /api/train` must answer the trained result. A command that uses `$SCENE`
  and `$TOKEN` (docs/api.md, "Saved scenes") gets them as the docs say to set them: the `id` and
  `edit_token` of a scene just saved with `POST /api/scenes` (the one saved there);
- every ```python block, run in order in one namespace per file (as in a notebook: docs/api.md's first block
  makes the `api` client the others use), except a block whose fence says `python reference`: a listing of
  signatures or shapes, not code to run.
"""

from __future__ import annotations

import json
import math
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT, LiveServer

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)([^\n]*)\n(.*?)^```[ \t]*$", re.M | re.S)
HOSTS = re.compile(r"\b(?:localhost|127\.0\.0\.1):8000\b")
SHELL = ("sh", "console", "bash", "shell")
ABBREVIATED = ("...", "…")

pytestmark = pytest.mark.server


@dataclass(frozen=True)
class Block:
    path: Path
    line: int
    lang: str
    info: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


@dataclass(frozen=True)
class Command:
    where: str
    text: str
    shown: str  # the output the docs show after it ("" when none)


def blocks(path: Path) -> list[Block]:
    """The fenced code blocks of a Markdown file, with the line of their opening fence."""
    source = path.read_text(encoding="utf-8")
    return [
        Block(path, source.count("\n", 0, m.start()) + 1, m.group(1), m.group(2).strip(), m.group(3))
        for m in FENCE.finditer(source)
    ]


def _complete(command: str) -> bool:
    if command.rstrip().endswith("\\"):
        return False
    try:
        shlex.split(command)
    except ValueError:  # an open quote: the command goes on
        return False
    return True


def commands(block: Block) -> list[Command]:
    """The curl commands of a shell block, each with the output shown after it."""
    lines = block.text.splitlines()
    prompt = block.lang == "console"
    found: list[Command] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if prompt and not line.startswith("$ "):
            i += 1
            continue
        start, text = i, line.removeprefix("$ ")
        while not _complete(text) and i + 1 < len(lines):
            i += 1
            text += "\n" + lines[i]
        i += 1
        shown = []
        while prompt and i < len(lines) and not lines[i].startswith("$ "):
            shown.append(lines[i])
            i += 1
        if text.lstrip().startswith("curl"):
            where = f"{block.path.relative_to(ROOT)}:{block.line + start + 1}"
            found.append(Command(where, text, "\n".join(shown).strip()))
    return found


def _examples() -> tuple[list[Command], list[list[Block]]]:
    curls, pythons = [], []
    for path in DOCS:
        mine = blocks(path)
        curls += [c for b in mine if b.lang in SHELL for c in commands(b)]
        runnable = [b for b in mine if b.lang == "python" and "reference" not in b.info.split()]
        if runnable:
            pythons.append(runnable)
    return curls, pythons


CURLS, PYTHONS = _examples()


def test_the_docs_have_examples_to_run() -> None:
    """The extraction finds them (so the tests below cannot pass by finding nothing)."""
    assert len(CURLS) >= 8 and sum(len(b) for b in PYTHONS) >= 8
    readme = [c for c in CURLS if c.where.startswith("README.md")]
    assert any("/api/train" in c.text for c in readme), "the README shows POST /api/train with curl"
    assert any(b[0].path.name == "README.md" for b in PYTHONS)


# ---- comparing an answer with what the docs show ---------------------------------------------------------


def matches(shown: Any, actual: Any) -> bool:
    """`actual` is what `shown` shows: same structure, numbers to 1e-9, "..."-shortened strings by prefix."""
    if isinstance(shown, dict):
        return (
            isinstance(actual, dict)
            and shown.keys() == actual.keys()
            and all(matches(shown[k], actual[k]) for k in shown)
        )
    if isinstance(shown, list):
        return isinstance(actual, list) and len(shown) == len(actual) and all(map(matches, shown, actual))
    if isinstance(shown, str):
        for mark in ABBREVIATED:
            if shown.endswith(mark):
                return isinstance(actual, str) and actual.startswith(shown.removesuffix(mark).rstrip())
        return shown == actual
    if isinstance(shown, bool) or shown is None:
        return shown is actual
    if isinstance(shown, (int, float)):
        ok = isinstance(actual, (int, float)) and not isinstance(actual, bool)
        return ok and math.isclose(shown, actual, rel_tol=1e-9, abs_tol=1e-12)
    return False


def keys(value: Any) -> set[str]:
    """Every key of every object in a JSON value."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


def _parse(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def check_answer(command: Command, output: str) -> None:
    assert output.strip(), f"{command.where}: no answer"
    shown = _parse(command.shown) if command.shown else None
    if shown is not None:
        assert matches(shown, _parse(output)), (
            f"{command.where}: the docs show\n{command.shown}\ngot\n{output}"
        )
        return
    if command.shown and not command.shown.lstrip().startswith(("{", "[")):  # plain text: shown as is
        assert output.strip() == command.shown.strip(), (
            f"{command.where}: the docs show\n{command.shown}\ngot\n{output}"
        )
        return
    if command.shown:  # shortened JSON: the keys it shows are there
        shown_keys = set(re.findall(r'"(\w+)":', command.shown))
        answer = _parse(output)
        assert answer is not None, f"{command.where}: not JSON: {output[:500]}"
        assert shown_keys <= keys(answer), f"{command.where}: missing keys {shown_keys - keys(answer)}"
        return
    if "|" in command.text:  # a pipeline: its own output, only non-empty
        return
    answer = _parse(output)
    assert isinstance(answer, dict) and "detail" not in answer, f"{command.where}: {output[:500]}"
    if "/api/train" in command.text:
        assert {"weights", "history", "events", "config"} <= answer.keys()
        assert answer["events"][-1]["type"] == "finished", answer["events"]


# ---- the tests -----------------------------------------------------------------------------------------


def _on(server: LiveServer, text: str) -> str:
    return HOSTS.sub(f"127.0.0.1:{server.port}", text)


def _scene_variables(server: LiveServer, text: str) -> dict[str, str]:
    """SCENE and TOKEN of a freshly saved scene (docs/api.md's), for a command that uses them."""
    if "$SCENE" not in text and "$TOKEN" not in text:
        return {}
    drawn = {"points": [[0, 0], [0, 1], [1, 0], [1, 1]], "labels": [0, 1, 1, 0]}
    scene = {"title": "XOR by hand", "config": {"data": drawn, "network": {"hidden": [2]}}}
    saved = httpx.post(f"{server.url}/api/scenes", json=scene, timeout=30).json()
    return {"SCENE": saved["id"], "TOKEN": saved["edit_token"]}


@pytest.mark.parametrize("command", CURLS, ids=[c.where for c in CURLS])
def test_curl_example_runs_as_written(command: Command, live_server: LiveServer) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.update(_scene_variables(live_server, command.text))
    done = subprocess.run(
        ["bash", "-c", _on(live_server, command.text)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{command.where}: exit {done.returncode}: {done.stderr}"
    check_answer(command, done.stdout)


@pytest.mark.parametrize("file_blocks", PYTHONS, ids=[b[0].path.name for b in PYTHONS])
def test_python_examples_run_as_written(file_blocks: list[Block], live_server: LiveServer) -> None:
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    for block in file_blocks:
        code = compile(_on(live_server, block.text), block.where, "exec")
        exec(code, namespace)  # the docs' own code, as a reader would paste it
    client = namespace.get("api")
    if client is not None:
        client.close()


def test_the_host_rewrite_changes_only_the_address() -> None:
    class Fake:
        port = 4321

    text = "curl localhost:8000/api/health http://127.0.0.1:8000/x 127.0.0.1:80001 localhost:8000a"
    assert _on(Fake(), text) == (  # type: ignore[arg-type]
        "curl 127.0.0.1:4321/api/health http://127.0.0.1:4321/x 127.0.0.1:80001 localhost:8000a"
    )
