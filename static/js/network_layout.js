// The network diagram's geometry and painting: where every node and link goes, the canvas of links for big
// networks, and the neuron tiles (small heatmaps painted through colour tables, colors.js).

import { divergingCSS, paintRows } from "./colors.js";

/** @typedef {import("./types.js").Weights} Weights */

/** Paints value rows into a reusable canvas per size and returns PNG data URLs. */
export class TilePainter {
  constructor() {
    this.canvases = new Map();
  }

  url(rows, lut, centre, halfWidth) {
    const n = rows.length;
    if (!this.canvases.has(n)) {
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = n;
      const ctx = canvas.getContext("2d");
      this.canvases.set(n, { canvas, ctx, image: ctx.createImageData(n, n) });
    }
    const { canvas, ctx, image } = this.canvases.get(n);
    paintRows(image, rows, lut, centre, halfWidth);
    ctx.putImageData(image, 0, 0);
    return canvas.toDataURL();
  }
}

/** Where everything goes: node centres per column, node size, and the link path between two nodes. */
export class NetworkLayout {
  constructor(sizes, width, height) {
    const labelRoom = 62;
    const right = sizes[sizes.length - 1] > 1 ? 64 : 40;
    const top = 24;
    const bottom = 10;
    const columns = sizes.length;
    const gap = (width - labelRoom - right) / Math.max(1, columns - 1);
    const most = Math.max(...sizes);
    const usable = height - top - bottom;
    this.size = Math.max(3, Math.min(36, usable / (most * 1.35), gap * 0.42));
    // Columns with few units spread out a little more (labels stay readable beside a wide layer of tiny nodes).
    const spacing = Math.max(this.size * 1.5, 24);
    this.columns = sizes.map((n, c) => {
      const x = labelRoom + c * gap;
      const step = n > 1 ? Math.min(spacing, (usable - this.size) / (n - 1)) : 0;
      return Array.from({ length: n }, (_, u) => [x, top + usable / 2 + (u - (n - 1) / 2) * step]);
    });
    this.gap = gap;
    this.width = width;
    this.height = height;
  }

  /** The SVG path of the link from node i of column L to node j of column L + 1. */
  link(L, i, j) {
    const [x1, y1] = this.columns[L][i];
    const [x2, y2] = this.columns[L + 1][j];
    const a = x1 + this.size / 2;
    const b = x2 - this.size / 2;
    const m = (a + b) / 2;
    return [a, y1, m, y1, m, y2, b, y2];
  }
}

/**
 * Many links: per layer, one canvas stroke per bucket (sign × 8 strengths) instead of one per link. Weak links
 * go first and faint, strong ones last and clearer, both signs at each strength so neither covers the other;
 * the more links a layer has, the fainter each one.
 * @param {CanvasRenderingContext2D} ctx
 * @param {NetworkLayout} layout
 * @param {Weights} weights
 * @param {number} scale the weight drawn at full strength
 */
export function drawCanvasLinks(ctx, layout, weights, scale) {
  const levels = 8;
  ctx.clearRect(0, 0, layout.width, layout.height);
  weights.forEach(({ W }, L) => {
    const buckets = Array.from({ length: 2 * levels }, () => new Path2D());
    W.forEach((row, i) => row.forEach((w, j) => {
      const v = w / scale;
      const level = Math.min(levels - 1, Math.floor(Math.abs(v) * levels));
      const path = buckets[(v < 0 ? 0 : levels) + level];
      const [a, y1, m, , , y2, b] = layout.link(L, i, j);
      path.moveTo(a, y1);
      path.bezierCurveTo(m, y1, m, y2, b, y2);
    }));
    const density = Math.min(1, Math.sqrt(600 / (W.length * (W[0]?.length ?? 1))));
    for (let level = 0; level < levels; level++) {
      const magnitude = (level + 0.5) / levels;
      ctx.globalAlpha = (0.06 + 0.5 * magnitude * magnitude) * density;
      ctx.lineWidth = 0.3 + 1.7 * magnitude;
      for (const sign of [-1, 1]) {
        ctx.strokeStyle = divergingCSS(sign * (0.3 + 0.7 * magnitude));
        ctx.stroke(buckets[(sign < 0 ? 0 : levels) + level]);
      }
    }
  });
}

/**
 * [centre, halfWidth] for colouring a layer's tiles: a bounded activation's range, else symmetric around 0.
 * @param {number[] | null} range the activation's [lo, hi] when bounded
 * @param {ArrayLike<number>[][]} units each unit's rows
 */
export function tileScale(range, units) {
  if (range) return [(range[0] + range[1]) / 2, (range[1] - range[0]) / 2];
  let top = 1e-9;
  for (const rows of units) for (const row of rows) for (let j = 0; j < row.length; j++) if (Math.abs(row[j]) > top) top = Math.abs(row[j]);
  return [0, top];
}
