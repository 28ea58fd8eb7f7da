// The points as the plane shows them: the server's train and test points (train filled, test hollow) with the
// user's edits that the server has not confirmed yet (added, moved, removed, being dragged), and the Plotly scatter
// traces that draw them. Plotly redraws them only when they change (plane_view.js).

import { PALETTE, VIRIDIS_SCALE } from "./colors.js";

/** @typedef {import("./types.js").DataMessage} DataMessage */
/** @typedef {import("./outputs.js").Reading} Reading */
/** @typedef {{split: "train" | "test", splitIndex: number, point: number[], label: number}} PointInfo */
/**
 * @typedef {{added: {point: number[], label: number}[], moved: Map<number, number[]>, removed: Set<number>,
 *   dragging: {index: number, point: number[]} | null}} Edits
 */
/** @typedef {PointInfo & {hidden: boolean}} ShownPoint */

/** @returns {Edits} no edits */
export function emptyEdits() {
  return { added: [], moved: new Map(), removed: new Set(), dragging: null };
}

/**
 * The points as drawn, in callback-index order (train then test), with the edits not yet confirmed.
 * @param {DataMessage | null} data
 * @param {Edits} local
 * @param {boolean} showTest
 * @returns {ShownPoint[]}
 */
export function displayedPoints(data, local, showTest) {
  const out = [];
  if (!data) return out;
  /** @type {["train" | "test", {points: number[][], labels: number[]}][]} */
  const splits = [["train", data.train], ["test", data.test]];
  for (const [split, part] of splits) {
    (part?.points ?? []).forEach((point, splitIndex) => {
      const index = out.length;
      const moved = local.dragging?.index === index ? local.dragging.point : local.moved.get(index);
      const hidden = local.removed.has(index) || (split === "test" && !showTest);
      out.push({ point: moved ?? point, label: part.labels[splitIndex], split, splitIndex, hidden });
    });
  }
  return out;
}

/**
 * `{split, splitIndex, point, label}` of a point by callback index, as the server last sent it.
 * @param {DataMessage} data
 * @param {number} index
 * @returns {PointInfo}
 */
export function pointInfo(data, index) {
  const trainCount = data.train.points.length;
  const split = index < trainCount ? "train" : "test";
  const splitIndex = split === "train" ? index : index - trainCount;
  const part = data[split];
  return { split, splitIndex, point: part.points[splitIndex], label: part.labels[splitIndex] };
}

/**
 * Three scatter traces: train points (filled), test points (hollow), points added here but not yet confirmed.
 * @param {ShownPoint[]} displayed
 * @param {{point: number[], label: number}[]} added
 * @param {Reading} reading a regression colours its points by value
 */
export function pointTraces(displayed, added, reading) {
  const shown = displayed.filter((p) => !p.hidden);
  const count = shown.length + added.length;
  const size = count > 600 ? 5 : count > 60 ? 8 : 11;
  const colourOf = (label) => (reading.kind === "regression" ? label : PALETTE[Math.max(0, label | 0) % PALETTE.length]);
  const regression = reading.kind === "regression" ? { colorscale: VIRIDIS_SCALE, cmin: reading.lo, cmax: reading.hi } : {};
  const trace = (points, style) => {
    const colours = points.map((p) => colourOf(p.label));
    const marker = { size, ...regression, ...style(colours) };
    return {
      type: "scatter", mode: "markers", hoverinfo: "skip", marker,
      x: points.map((p) => p.point[0]), y: points.map((p) => p.point[1]),
    };
  };
  const train = shown.filter((p) => p.split === "train");
  const test = shown.filter((p) => p.split === "test");
  return [
    trace(train, (colours) => ({ color: colours, line: { color: "#ffffff", width: 1.2 } })),
    trace(test, (colours) => ({ color: "rgba(255,255,255,0.85)", line: { color: colours, width: 2.2, ...regression } })),
    trace(added, (colours) => ({ color: colours, opacity: 0.55, line: { color: "#ffffff", width: 1.2 } })),
  ];
}
