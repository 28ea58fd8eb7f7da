"""Browser bench: does the page keep up with the frames the server sends? (`make bench`; not a test.)

Starts a real server (`python -m app serve`, from this checkout; `--baseline` adds another checkout's) on a
free loopback port and drives Debian's headless Chromium with Playwright (the launch arguments of
tests/conftest.py). For each scene and speed it opens the page on the scene (a `#j=` link: the config and the
speed), presses play, lets it warm up and then measures, in windows of `--window` seconds over `--seconds`:

- frames received: binary WebSocket messages the page got (counted by Playwright, outside the page);
- frames painted: `window.nnlive.stats.painted`, counted where the plane's heatmap pixels are written; a page
  without it (the code before issue 13) is counted by its plane's `Plotly.react` calls, each of which
  repainted the heatmap;
- main-thread busy: the CPU time of the page's renderer main thread (/proc/<pid>/task/<pid>/stat) over the
  window — what the page's work costs, whatever else the machine runs; also its task time on the wall clock
  (CDP `Performance.getMetrics` TaskDuration, which grows when other processes take the CPU) and the time in
  long tasks (> 50 ms, PerformanceObserver) per second;
- JS heap: the used JS heap after a forced garbage collection (CDP) at the start of the measurement and every
  30 s, and the array buffers' backing stores (the frames' bytes live there).

Scenes: `default` (the page's default scene; it trains until paused) and `big` (spiral_k with 5
arms, 6 hidden layers of 16 tanh units, softmax). Speeds: 10, 30, 100 epochs/s and max. With `--baseline ROOT`
each measurement is made on ROOT's server too, right before or after this checkout's (alternating), so both
see the same machine load. Method and results: docs/performance.md ("The page").

    .venv/bin/python bench/browser.py [--quick] [--seconds 120] [--window 5] [--baseline /path/to/main]
        [--scenes default,big] [--speeds 10,30,100,max] [--json results.json]
    .venv/bin/python bench/browser.py --summarize run1.json run2.json run3.json   # median and range of runs
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM_ARGS, LiveServer, chromium_path  # noqa: E402

SCENES: dict[str, dict[str, Any]] = {
    "default": {"training": {"epochs": None}},  # until paused; the rest from the server's defaults
    "big": {
        "data": {"dataset": "spiral_k", "k": 5, "n": 500, "test_fraction": 0.3},
        "network": {"hidden": [16] * 6, "activation": "tanh", "output_activation": "softmax"},
        "training": {"loss": "cross_entropy", "epochs": None},
    },
}
SPEEDS = {"10": 10, "30": 30, "100": 100, "max": 0}
HEAP_EVERY = 30.0  # seconds between heap samples
VIEWPORT = {"width": 1280, "height": 800}

COUNT_LONG_TASKS = """
window.__longTaskMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTaskMs += entry.duration;
}).observe({ type: "longtask", buffered: true });
"""
# Before issue 13 the page had no paint counter: count the plane's Plotly.react calls (each repainted it).
COUNT_PLANE_RENDERS = """() => {
  if (window.nnlive.stats) return "stats";
  const P = window.Plotly, react = P.react;
  window.__planeRenders = 0;
  P.react = function (gd, ...rest) {
    const done = react.call(this, gd, ...rest);
    if (gd && gd.dataset && gd.dataset.testid === "plane") {
      Promise.resolve(done).then(() => { window.__planeRenders++; });
    }
    return done;
  };
  return "plotly";
}"""
PAINTED = "() => (window.nnlive.stats ? window.nnlive.stats.painted : window.__planeRenders)"
PROBE = f"""() => ({{painted: ({PAINTED})(), longTaskMs: window.__longTaskMs,
  epoch: window.nnlive.store.lastFrame.epoch}})"""


@dataclass
class Result:
    scene: str
    speed: str
    code: str
    received: list[float] = field(default_factory=list)  # frames per second, per window
    painted: list[float] = field(default_factory=list)
    busy: list[float] = field(default_factory=list)  # main-thread CPU time over the window (/proc)
    tasks: list[float] = field(
        default_factory=list
    )  # main-thread task time over the window (wall clock, CDP)
    long_tasks: list[float] = field(default_factory=list)  # ms of long tasks per second
    heap: list[tuple[float, float, float]] = field(default_factory=list)  # (s, used JS heap MB, buffers MB)
    load: list[float] = field(default_factory=list)  # 1-minute load average at the start and the end
    epochs: list[float] = field(default_factory=list)  # epochs trained per second (the page's epoch readout)


TICKS = os.sysconf("SC_CLK_TCK")


def descendants(root: int) -> set[int]:
    """Every process below `root` (from /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    out, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - out
        out |= frontier
    return out


def renderers() -> set[int]:
    """The Chromium renderer processes this bench started."""
    found = set()
    for pid in descendants(os.getpid()):
        try:
            if b"--type=renderer" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.add(pid)
        except OSError:
            pass
    return found


def main_thread_cpu(pid: int) -> float:
    """CPU seconds of a process's main thread (its thread id is its pid): user + system."""
    fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def scene_link(scene: dict[str, Any], speed: int) -> str:
    text = json.dumps({"v": 1, "config": scene, "view": {"speed": speed}})
    return "#j=" + base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def metrics(cdp: Any) -> dict[str, float]:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}


def heap(cdp: Any) -> tuple[float, float]:
    """Used JS heap and array buffers' backing stores (MB) after a garbage collection."""
    cdp.send("HeapProfiler.collectGarbage")
    usage = cdp.send("Runtime.getHeapUsage")
    return usage["usedSize"] / 2**20, usage.get("backingStorageSize", 0) / 2**20


class FrameCount:
    """Binary WebSocket messages a page received (counted by Playwright, outside the page)."""

    def __init__(self, page: Any) -> None:
        self.frames = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self.received))

    def received(self, payload: Any) -> None:
        if not isinstance(payload, str):
            self.frames += 1


def measure(
    browser: Any, server: LiveServer, code: str, scene: str, speed: str, args: argparse.Namespace
) -> Result:
    result = Result(scene, speed, code, load=[load_average()])
    before = renderers()
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.add_init_script(COUNT_LONG_TASKS)
    count = FrameCount(page)
    page.goto(server.url + "/" + scene_link(SCENES[scene], SPEEDS[speed]))
    page.wait_for_function(
        "() => window.nnlive && window.nnlive.store.data && window.nnlive.store.lastFrame", timeout=60_000
    )
    page.evaluate(COUNT_PLANE_RENDERS)
    candidates = {pid: main_thread_cpu(pid) for pid in renderers() - before}
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.click("[data-testid=play]")
    page.wait_for_timeout(args.warmup * 1000)  # (Playwright delivers the frame events while it waits)
    renderer = max(candidates, key=lambda pid: main_thread_cpu(pid) - candidates[pid])  # the page's: it works
    start = time.monotonic()
    result.heap.append((0.0, *heap(cdp)))
    while time.monotonic() - start < args.seconds:
        t0, c0, f0 = time.monotonic(), main_thread_cpu(renderer), count.frames
        m0, p0 = metrics(cdp), page.evaluate(PROBE)
        page.wait_for_timeout(args.window * 1000)
        t1, c1, f1 = time.monotonic(), main_thread_cpu(renderer), count.frames
        m1, p1 = metrics(cdp), page.evaluate(PROBE)
        span = t1 - t0
        result.received.append((f1 - f0) / span)
        result.painted.append((p1["painted"] - p0["painted"]) / span)
        result.busy.append((c1 - c0) / span)
        result.tasks.append((m1["TaskDuration"] - m0["TaskDuration"]) / span)
        result.long_tasks.append((p1["longTaskMs"] - p0["longTaskMs"]) / span)
        result.epochs.append((p1["epoch"] - p0["epoch"]) / span)
        if t1 - start >= HEAP_EVERY * len(result.heap):  # between windows: the collection is in no window
            result.heap.append((t1 - start, *heap(cdp)))
    elapsed = time.monotonic() - start
    if result.heap[-1][0] < elapsed - 1:
        result.heap.append((elapsed, *heap(cdp)))
    result.load.append(load_average())
    context.close()
    return result


def spread(values: list[float], scale: float = 1.0, digits: int = 1) -> str:
    """Median (min–max) of `values`."""
    if not values:
        return "—"
    v = [x * scale for x in values]
    return f"{statistics.median(v):.{digits}f} ({min(v):.{digits}f}–{max(v):.{digits}f})"


def report(results: list[Result]) -> str:
    columns = [
        "scene", "speed", "code", "received /s", "painted /s", "painted / received", "main thread CPU",
        "main thread tasks (wall)", "long tasks ms/s", "epochs/s", "JS heap MB (start; 30 s → end)",
        "buffers MB", "load",
    ]  # fmt: skip
    head = "| " + " | ".join(columns) + " |\n" + "|---" * len(columns) + "|\n"
    rows = []
    for r in results:
        ratio = [p / q for p, q in zip(r.painted, r.received, strict=True) if q > 0]
        heaps = [h[1] for h in r.heap]
        at30 = heaps[min(1, len(heaps) - 1)]
        heap_text = f"{heaps[0]:.1f}; {at30:.1f} → {heaps[-1]:.1f}"
        rows.append(
            f"| {r.scene} | {r.speed} | {r.code} | {spread(r.received)} | {spread(r.painted)} | "
            f"{spread(ratio, digits=2)} | {spread(r.busy, 100, 0)} % | {spread(r.tasks, 100, 0)} % | "
            f"{spread(r.long_tasks, digits=0)} | "
            f"{spread(r.epochs, digits=0)} | {heap_text} | "
            f"{r.heap[0][2]:.1f} → {r.heap[-1][2]:.1f} | {r.load[0]:.2f} → {r.load[-1]:.2f} |"
        )
    return head + "\n".join(rows)


def over_runs(values: list[list[float]], scale: float = 1.0, digits: int = 1) -> str:
    """Median (min–max) of each run's median."""
    return spread([statistics.median(v) for v in values if v], scale, digits)


def summary(runs: list[list[Result]]) -> str:
    """Several runs' results in one table: per scene, speed and code, the median of the runs' medians and
    their range (min–max over the runs), the JS heap's median start and end, and the load averages seen."""
    columns = [
        "scene", "speed", "code", "received /s", "painted /s", "painted / received", "main thread CPU %",
        "long tasks ms/s", "JS heap MB (start → end)", "load",
    ]  # fmt: skip
    rows = []
    for first in runs[0]:
        same = [
            r
            for run in runs
            for r in run
            if (r.scene, r.speed, r.code) == (first.scene, first.speed, first.code)
        ]

        ratio = [[p / q for p, q in zip(r.painted, r.received, strict=True) if q > 0] for r in same]
        busy, long_tasks = [r.busy for r in same], [r.long_tasks for r in same]
        heap_start = statistics.median(r.heap[0][1] for r in same)
        heap_end = statistics.median(r.heap[-1][1] for r in same)
        loads = [x for r in same for x in r.load]
        rows.append(
            f"| {first.scene} | {first.speed} | {first.code} | {over_runs([r.received for r in same])} | "
            f"{over_runs([r.painted for r in same])} | {over_runs(ratio, digits=2)} | "
            f"{over_runs(busy, 100, 0)} | {over_runs(long_tasks, digits=0)} | "
            f"{heap_start:.1f} → {heap_end:.1f} | {min(loads):.1f}–{max(loads):.1f} |"
        )
    return "| " + " | ".join(columns) + " |\n" + "|---" * len(columns) + "|\n" + "\n".join(rows)


def load_results(path: Path) -> list[Result]:
    return [Result(**{**r, "heap": [tuple(h) for h in r["heap"]]}) for r in json.loads(path.read_text())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run: 15 s per measurement")
    parser.add_argument("--seconds", type=float, default=120.0, help="measured seconds per scene and speed")
    parser.add_argument("--window", type=float, default=5.0, help="seconds per window")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of play before measuring")
    parser.add_argument("--scenes", default=",".join(SCENES))
    parser.add_argument("--speeds", default=",".join(SPEEDS))
    parser.add_argument("--baseline", type=Path, help="another checkout (e.g. main) measured the same way")
    parser.add_argument("--json", type=Path, help="write the raw results here")
    parser.add_argument(
        "--summarize",
        type=Path,
        nargs="+",
        metavar="JSON",
        help="measure nothing: one table of several runs' --json",
    )
    args = parser.parse_args()
    if args.summarize:
        print(summary([load_results(path) for path in args.summarize]))
        return
    if args.quick:
        args.seconds, args.warmup = 15.0, 3.0
    executable = chromium_path()
    if executable is None:
        sys.exit("no Chromium found (install Debian's chromium or set NNLIVE_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    codes = {"this": LiveServer()}
    if args.baseline:
        codes = {"baseline": LiveServer(root=args.baseline.resolve()), **codes}
    results: list[Result] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            turn = 0
            for scene in args.scenes.split(","):
                for speed in args.speeds.split(","):
                    order = list(codes.items())
                    if turn % 2:
                        order.reverse()
                    turn += 1
                    for code, server in order:
                        result = measure(browser, server, code, scene, speed, args)
                        print(report([result]).splitlines()[-1], flush=True)
                        results.append(result)
            browser.close()
    finally:
        for server in codes.values():
            server.stop()
    results.sort(
        key=lambda r: (list(SCENES).index(r.scene), list(SPEEDS).index(r.speed), r.code != "baseline")
    )
    print()
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=1))


if __name__ == "__main__":
    main()
