// The neurons' heatmaps in the network diagram: every tile painted per frame straight from the frame's uint8 grids
// through its layer's scale (scales.js) into one canvas under the diagram's SVG (TilePainter, network_layout.js),
// the tiles' colour legend, and a tile's map as the plane shows it when the tile is hovered or pinned (a MapFocus,
// plane_view.js): the same bytes and the same scale, only larger.

import { featureFunction } from "./features.js";
import { fmt } from "./format.js";
import { Legend } from "./legend.js";
import { TilePainter } from "./network_layout.js";
import { outputReading } from "./outputs.js";
import { featureScale, layerScale, outputTileScale } from "./scales.js";
import { t, tOr } from "./i18n.js";

/** @typedef {import("./catalog.js").Catalog} Catalog */
/** @typedef {import("./types.js").Block} Block */
/** @typedef {import("./types.js").Config} Config */
/** @typedef {import("./types.js").Grid} Grid */
/** @typedef {import("./network_layout.js").NetworkLayout} NetworkLayout */
/** @typedef {import("./plane_view.js").MapFocus} MapFocus */

/** Grid points per side of the input features' tiles (computed here, they change only with the extent). */
const INPUT_GRID = 24;

export class NetworkTiles {
  /**
   * @param {HTMLElement} el the diagram's element: the tiles' canvas and legend go into it
   * @param {Catalog} catalog activation ranges, how the output is read, the features' formulas and labels
   */
  constructor(el, catalog) {
    this.catalog = catalog;
    this.labels = Object.fromEntries(catalog.features.map((f) => [f.name, f.label]));
    this.canvas = document.createElement("canvas");
    this.canvas.className = "viz-tiles-canvas";
    Object.assign(this.canvas.style, { position: "absolute", left: "0", top: "0", pointerEvents: "none" });
    this.painter = new TilePainter(this.canvas);
    const legend = document.createElement("div");
    legend.dataset.testid = "network-legend";
    this.legend = new Legend(legend);
    this.legend.show(null);
    el.append(this.canvas, legend);
    this.enabled = false;
    /** @type {NetworkLayout | null} */
    this.layout = null;
    /** @type {Config | null} */
    this.config = null;
    /** @type {Block[]} the input features over the plane, as bytes */
    this.inputs = [];
  }

  /** Tiles painted so far (pixels written). */
  get painted() {
    return this.painter.painted;
  }

  /**
   * A new structure (or size, or extent): clear the canvas and paint the input tiles.
   * @param {NetworkLayout} layout
   * @param {Config} config
   * @param {number[]} extent
   * @param {boolean} enabled false when the network is too big or the nodes too small for heatmaps
   */
  build(layout, config, extent, enabled) {
    this.layout = layout;
    this.config = config;
    this.enabled = enabled;
    this.painter.resize(layout.width, layout.height);
    this.inputs = config.features.map((name) => featureBlock(featureFunction(name, this.catalog.axes), extent));
    this.inputs.forEach((block, u) => {
      if (block) this.paintNode(0, u, block, 0, featureScale(block.range[1]));
    });
    if (!enabled) this.legend.show(null);
  }

  /**
   * Paint every hidden and output tile from `grid` (nothing without a grid: the last tiles stay).
   * @param {Grid | null | undefined} grid
   */
  paint(grid) {
    if (!this.enabled || !grid || !this.layout) return;
    const activation = this.config.network.activation;
    const bounded = this.catalog.boundedRange(activation);
    const layers = grid.layers ?? [];
    layers.forEach((block, l) => {
      const scale = layerScale(bounded, block);
      for (let u = 0; u < block.shape[0]; u++) this.paintNode(l + 1, u, block, u, scale);
    });
    const output = grid.output;
    const column = this.layout.columns.length - 1;
    if (output) {
      const reading = outputReading(this.catalog, this.config, null);
      const outBounded = this.catalog.boundedRange(this.catalog.outputActivation(this.config));
      const units = output.shape.length === 3 ? output.shape[0] : 1;
      for (let u = 0; u < units; u++) this.paintNode(column, u, output, u, outputTileScale(reading, outBounded, output, u));
    }
    this.showLegend(layers, bounded, activation);
  }

  /** Paint one node's tile, if the layout has that node. */
  paintNode(column, unit, block, index, scale) {
    const centre = this.layout.columns[column]?.[unit];
    if (!centre) return;
    const s = this.layout.size;
    this.painter.paint(block, index, scale, centre[0] - s / 2, centre[1] - s / 2, s);
  }

  /** The hidden layers' scale: one bar for a bounded activation; an unbounded one lists each layer's reach. */
  showLegend(layers, bounded, activation) {
    if (!layers.length) {
      this.legend.show(null);
      return;
    }
    const scales = layers.map((block) => layerScale(bounded, block));
    const widest = scales.reduce((a, b) => (b.halfWidth > a.halfWidth ? b : a));
    const note = bounded ? "" : t("tiles.by_layer", { scales: scales.map((s) => `±${fmt(s.halfWidth, 2)}`).join(" · ") });
    this.legend.show(widest, { caption: t("tiles.caption", { activation: tOr(`menu.activation.${activation}`, activation) }), note });
  }

  /**
   * The map of the node in `column` (0 = the inputs), `unit`, as the plane shows it; null for an output node (the
   * plane shows the output already) or without heatmaps.
   * @param {number} column
   * @param {number} unit
   * @param {boolean} pinned
   * @returns {MapFocus | null}
   */
  focus(column, unit, pinned) {
    if (!this.enabled || !this.layout || column >= this.layout.columns.length - 1) return null;
    if (column === 0) {
      const block = this.inputs[unit];
      if (!block) return null;
      const name = this.config.features[unit];
      return { key: `input-${unit}`, label: t("network.input", { name: this.labels[name] ?? name }), pinned,
        source: () => ({ block, index: 0 }), scale: (b) => featureScale(b.range[1]) };
    }
    const layer = column - 1;
    const activation = this.config.network.activation;
    const bounded = this.catalog.boundedRange(activation);
    return {
      key: `neuron-${layer}-${unit}`, label: t("network.layer_neuron", { layer: layer + 1, unit: unit + 1 }),
      unit: tOr(`menu.activation.${activation}`, activation), pinned,
      source: (grid) => {
        const block = grid?.layers?.[layer];
        return block && unit < block.shape[0] ? { block, index: unit } : null;
      },
      scale: (block) => layerScale(bounded, block),
    };
  }
}

/**
 * A feature's values over the plane as a byte block, symmetric around 0 (null for a feature the page cannot
 * compute).
 * @param {((x: number, y: number) => number) | null} f
 * @param {number[]} extent
 * @returns {Block | null}
 */
function featureBlock(f, [x0, x1, y0, y1]) {
  if (!f) return null;
  const n = INPUT_GRID;
  const values = new Float64Array(n * n);
  let top = 1e-9;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = f(x0 + ((x1 - x0) * j) / (n - 1), y0 + ((y1 - y0) * i) / (n - 1));
      values[i * n + j] = v;
      if (Math.abs(v) > top) top = Math.abs(v);
    }
  }
  const bytes = new Uint8Array(n * n);
  for (let p = 0; p < bytes.length; p++) bytes[p] = Math.round(((values[p] + top) / (2 * top)) * 255);
  return { bytes, shape: [n, n], range: [-top, top] };
}
