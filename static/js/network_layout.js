// The network diagram's geometry and painting: where every node and link goes, the canvas of links for big
// networks, and the neuron tiles (each neuron's uint8 plane painted through a colour table, colors.js).

import { byteColours, divergingCSS, paintBytes } from "./colors.js";

/** @typedef {import("./types.js").Weights} Weights */
/** @typedef {import("./types.js").Block} Block */
/** @typedef {import("./scales.js").Scale} Scale */

/**
 * Paints the neuron tiles into one canvas under the diagram's SVG: each tile's uint8 plane goes through a colour
 * table into a small ImageData (one pixel per sample) and is drawn scaled, with smoothing, at its node. No image
 * URLs, no element per tile.
 */
export class TilePainter {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    /** @type {Map<number, {canvas: HTMLCanvasElement, ctx: CanvasRenderingContext2D, image: ImageData, pixels: Uint32Array}>} */
    this.scratch = new Map();
    this.colours = new Uint32Array(256);
    /** Tiles painted (pixels written), for the page's stats. */
    this.painted = 0;
  }

  /** Size the canvas to width × height CSS pixels at the screen's density (this clears it). */
  resize(width, height) {
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.ctx.imageSmoothingEnabled = true;
    this.ctx.imageSmoothingQuality = "medium";
  }

  /**
   * Paint plane `index` of `block` (shape [planes, n, n] or [n, n]) with a continuous `scale` into the square of
   * side `s` at (x, y), CSS pixels.
   * @param {Block} block
   * @param {number} index
   * @param {Scale} scale
   */
  paint(block, index, scale, x, y, s) {
    if (scale.kind !== "continuous") return;
    const n = block.shape[block.shape.length - 1];
    const tile = this.tile(n);
    byteColours(block.range, scale.lut, scale.centre, scale.halfWidth, this.colours);
    paintBytes(tile.pixels, block.bytes, index * n * n, n, n, this.colours);
    tile.ctx.putImageData(tile.image, 0, 0);
    this.ctx.drawImage(tile.canvas, x, y, s, s);
    this.painted += 1;
  }

  /** A reusable n × n canvas and its ImageData. */
  tile(n) {
    let tile = this.scratch.get(n);
    if (!tile) {
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = n;
      const ctx = canvas.getContext("2d");
      const image = ctx.createImageData(n, n);
      tile = { canvas, ctx, image, pixels: new Uint32Array(image.data.buffer) };
      this.scratch.set(n, tile);
    }
    return tile;
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

/** Strength levels links are drawn at (a stroke per sign and level, not one per link). */
const LEVELS = 16;

/**
 * The links on a canvas, coloured by sign and thick by strength, as one stroke per sign and strength level (per
 * layer) instead of one per link: cheap enough to draw every frame. `few` (a network whose links can be hovered
 * in the SVG above): each link as the SVG would draw it; else weak links faint and the more links a layer has, the
 * fainter each one, both signs at each strength so neither covers the other.
 * @param {CanvasRenderingContext2D} ctx
 * @param {NetworkLayout} layout
 * @param {Weights} weights
 * @param {number} scale the weight drawn at full strength
 * @param {boolean} few
 */
export function drawCanvasLinks(ctx, layout, weights, scale, few) {
  ctx.clearRect(0, 0, layout.width, layout.height);
  ctx.lineCap = "round";
  weights.forEach(({ W }, L) => {
    const buckets = Array.from({ length: 2 * LEVELS }, () => new Path2D());
    W.forEach((row, i) => row.forEach((w, j) => {
      const v = w / scale;
      const level = Math.min(LEVELS - 1, Math.floor(Math.abs(v) * LEVELS));
      const path = buckets[(v < 0 ? 0 : LEVELS) + level];
      const [a, y1, m, , , y2, b] = layout.link(L, i, j);
      path.moveTo(a, y1);
      path.bezierCurveTo(m, y1, m, y2, b, y2);
    }));
    const density = Math.min(1, Math.sqrt(600 / (W.length * (W[0]?.length ?? 1))));
    for (let level = 0; level < LEVELS; level++) {
      const magnitude = (level + 0.5) / LEVELS;
      const style = few ? linkStyle(magnitude) : { alpha: (0.06 + 0.5 * magnitude * magnitude) * density,
        width: 0.3 + 1.7 * magnitude };
      ctx.globalAlpha = style.alpha;
      ctx.lineWidth = style.width;
      for (const sign of [-1, 1]) {
        ctx.strokeStyle = divergingCSS(sign * (0.3 + 0.7 * magnitude));
        ctx.stroke(buckets[(sign < 0 ? 0 : LEVELS) + level]);
      }
    }
  });
  ctx.globalAlpha = 1;
}

/**
 * How a link of strength |w| / scale = `magnitude` ∈ [0, 1] is drawn in a small network (and highlighted).
 * @param {number} magnitude
 */
export function linkStyle(magnitude) {
  return { alpha: 0.85, width: 0.6 + 3.9 * Math.min(1, magnitude) };
}
