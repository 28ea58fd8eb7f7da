"""The page's modules (static/js): no fact of the engine typed in them, and no import cycle.

The page reads every engine fact from GET /api/catalog through static/js/catalog.js. This searches the code
(comments aside) for what the engine defines — the names of its activations, losses, optimizers, rules,
datasets, initializers and features as string literals, the point and batch limits, the number of classes
where classes are counted, the plane's and the datasets' extents, the activations' ranges — and fails on any
it finds, with the file and line. No browser needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from nncore import catalog

JS = Path(__file__).resolve().parents[2] / "static" / "js"

#: Where a string equal to an engine name means something else: (file, literal) → what it is.
NOT_ENGINE_NAMES = {
    ("curves_view.js", "linear"): "Plotly's linear axis type",
    ("socket.js", "step"): "the protocol's `step` message",
}
#: Where an array equal to an activation's range is something else: (file, text) → what it is.
NOT_RANGES = {("network_layout.js", "[-1, 1]"): "the two signs of a weight"}

STRING = re.compile(r"\"((?:[^\"\\\n]|\\.)*)\"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`")
NUMBER = re.compile(r"(?<![\w.$])-?\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?(?![\w.])", re.IGNORECASE)
ARRAY = re.compile(r"\[\s*(-?[\d.]+(?:\s*,\s*-?[\d.]+)+)\s*\]")


def code_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, code) with comments blanked out (block comments keep their line breaks)."""
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group().count("\n"), path.read_text(), flags=re.S)
    for number, line in enumerate(text.splitlines(), 1):
        yield number, re.sub(r"(^|\s)//.*$", r"\1", line)


def sources() -> list[Path]:
    return sorted(JS.rglob("*.js"))


def engine_names() -> set[str]:
    cat = catalog()
    sections = ("activations", "losses", "optimizers", "rules", "datasets", "initializers", "features")
    return {name for section in sections for name in cat[section]}


def test_the_search_covers_the_page() -> None:
    names = {p.relative_to(JS).as_posix() for p in sources()}
    assert {"main.js", "catalog.js", "plane_view.js", "controls/index.js"} <= names


def test_no_engine_name_is_typed_in_the_page() -> None:
    names = engine_names()
    found, used = [], set()
    for path in sources():
        for number, line in code_lines(path):
            for match in STRING.finditer(line):
                literal = next(g for g in match.groups() if g is not None)
                if literal not in names:
                    continue
                if (path.name, literal) in NOT_ENGINE_NAMES:
                    used.add((path.name, literal))
                    continue
                found.append(f"{path.relative_to(JS)}:{number}: {literal!r}")
    assert found == [], "engine names typed in static/js (read them from the catalog):\n" + "\n".join(found)
    assert used == set(NOT_ENGINE_NAMES), "stale exceptions: " + repr(set(NOT_ENGINE_NAMES) - used)


def test_no_engine_limit_or_class_count_is_typed_in_the_page() -> None:
    limits = catalog()["limits"]
    big = {float(limits[k]) for k in ("points", "batch_size")}
    classes = {float(limits["classes"]), float(limits["classes"] - 1)}
    key_range = re.compile(rf"\[1-{limits['classes']}\]")  # a key range such as /^[1-8]$/ spells the count
    found = []
    for path in sources():
        for number, line in code_lines(path):
            text = STRING.sub('""', line)
            values = {float(m.group().replace("_", "")) for m in NUMBER.finditer(text)}
            counting_classes = re.search(r"class|label", text, re.IGNORECASE)
            if values & big or (counting_classes and values & classes) or "MAX_CLASSES" in text:
                found.append(f"{path.relative_to(JS)}:{number}: {line.strip()}")
            if key_range.search(line):
                found.append(f"{path.relative_to(JS)}:{number}: {line.strip()}")
    assert found == [], "engine limits typed in static/js (read catalog.limits):\n" + "\n".join(found)


def test_no_extent_or_activation_range_is_typed_in_the_page() -> None:
    cat = catalog()
    extents = {tuple(cat["plane"]["extent"])} | {tuple(d["extent"]) for d in cat["datasets"].values()}
    extents |= {(-2.0, 2.0, -2.0, 2.0)}  # the gates on ±1 corners (nncore/datasets.py BIPOLAR)
    ranges = {tuple(a["range"]) for a in cat["activations"].values() if None not in a["range"]}
    found, used = [], set()
    for path in sources():
        for number, line in code_lines(path):
            for match in ARRAY.finditer(STRING.sub('""', line)):
                values = tuple(float(v) for v in re.split(r"\s*,\s*", match.group(1)))
                if values not in extents and values not in ranges:
                    continue
                if (path.name, match.group()) in NOT_RANGES:
                    used.add((path.name, match.group()))
                    continue
                found.append(f"{path.relative_to(JS)}:{number}: {match.group()}")
    assert used == set(NOT_RANGES), "stale exceptions: " + repr(set(NOT_RANGES) - used)
    assert found == [], "extents or ranges typed in static/js (read the catalog):\n" + "\n".join(found)


def imports(path: Path) -> set[Path]:
    text = "\n".join(line for _, line in code_lines(path))
    targets = re.findall(r"""(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}/[^"']+)["']""", text)
    return {(path.parent / t).resolve() for t in targets}


def test_the_modules_import_each_other_without_cycles() -> None:
    graph = {p.resolve(): imports(p) for p in sources()}
    for deps in graph.values():
        missing = {d for d in deps if d not in graph}
        assert not missing, f"imports of files that do not exist: {missing}"
    done: set[Path] = set()

    def visit(node: Path, path: list[Path]) -> None:
        if node in path:
            cycle = [*path[path.index(node) :], node]
            pytest.fail("import cycle: " + " → ".join(p.relative_to(JS).as_posix() for p in cycle))
        if node in done:
            return
        for dep in sorted(graph[node]):
            visit(dep, [*path, node])
        done.add(node)

    for node in sorted(graph):
        visit(node, [])
