// The network diagram, as in TensorFlow Playground: input features on the left, hidden layers, the output on the
// right. Every neuron is a small square showing what it computes over the plane (its own heatmap); links are
// coloured by the weight's sign (blue negative, orange positive) and thick by its size. Hover a link or a neuron
// for its value; click one to edit the weight or the bias in place.
//
// Plain SVG; the structure is rebuilt only when the topology or the element's size changes, and a frame only
// updates attributes. Past SVG_LINK_LIMIT links the links go to a canvas (no hover) and past a node count or
// below a node size the neuron heatmaps are left out: a 8 × 64 network stays smooth. Geometry and painting:
// network_layout.js.

import { CLASS_LUTS, DIVERGING_LUT, PALETTE, divergingCSS } from "./colors.js";
import { featureFunction } from "./features.js";
import { fixed } from "./format.js";
import { NetworkLayout, TilePainter, drawCanvasLinks, tileScale } from "./network_layout.js";
import { outputReading } from "./outputs.js";

/** @typedef {import("./catalog.js").Catalog} Catalog */
/** @typedef {import("./types.js").Config} Config */
/** @typedef {import("./types.js").Frame} Frame */

const SVG_NS = "http://www.w3.org/2000/svg";
/** More links than this are drawn on a canvas, without hover or editing. */
const SVG_LINK_LIMIT = 1200;
/** Neuron heatmaps need nodes at least this big (px) and at most this many neurons. */
const HEATMAP_MIN_SIZE = 14;
const HEATMAP_MAX_NODES = 200;
/** A canvas of links is redrawn at most this often (ms) while training. */
const CANVAS_INTERVAL = 100;
/** Grid points per side of the input features' heatmaps (computed here, they never change). */
const INPUT_GRID = 24;

function svg(tag, attrs = {}, parent = null) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  parent?.append(el);
  return el;
}

/**
 * The network diagram. `render(config, frame)` draws a normalized config's network with a decoded frame's
 * weights and neuron grids (frame may be null: the bare structure).
 */
export class NetworkView {
  /**
   * @param {HTMLElement} el the element to draw into (it gets the class `viz-network`; give it a height).
   * @param {Catalog} catalog the features' labels and formulas, activation ranges, how the output is read
   * @param {{onEditWeight: (layer: number, kind: 'W'|'b', i: number|null, j: number, value: number) => void}} callbacks
   *   `layer` indexes the weight matrices (0 = inputs → first layer); `i` is null for a bias.
   */
  constructor(el, catalog, { onEditWeight }) {
    this.el = el;
    this.catalog = catalog;
    this.labels = Object.fromEntries(catalog.features.map((f) => [f.name, f.label]));
    this.onEditWeight = onEditWeight;
    this.el.classList.add("viz-network");
    this.canvas = document.createElement("canvas");
    this.canvas.className = "viz-links-canvas";
    this.svg = svg("svg", { class: "viz-network-svg", "aria-label": "network diagram" });
    this.tooltip = document.createElement("div");
    this.tooltip.className = "viz-tooltip";
    this.tooltip.dataset.testid = "network-tooltip";
    this.tooltip.hidden = true;
    this.el.append(this.canvas, this.svg, this.tooltip);
    this.tiles = new TilePainter();
    this.key = null;
    this.editor = null;
    this.hovered = null;
    this.lastCanvasDraw = 0;
    this.svg.addEventListener("pointermove", (e) => this.hover(e));
    this.svg.addEventListener("pointerleave", () => this.hover(null));
    this.svg.addEventListener("click", (e) => this.click(e));
    new ResizeObserver(() => {
      if (this.config) this.render(this.config, this.frame);
    }).observe(this.el);
  }

  /** Draw `config`'s network with `frame`'s weights and neuron heatmaps. */
  render(config, frame) {
    this.config = config;
    this.frame = frame;
    const sizes = this.sizes(config, frame);
    const width = this.el.clientWidth || 640;
    const height = this.el.clientHeight || 320;
    this.extent = frame?.grid?.extent ?? this.extent ?? this.catalog.planeExtent; // frames without grids keep the last one
    const key = [sizes.join("-"), config.features.join(","), width, height, this.extent.join(",")].join("|");
    if (key !== this.key) this.build(sizes, width, height);
    this.key = key;
    this.update();
  }

  /** Units per column: inputs, each hidden layer, outputs. */
  sizes(config, frame) {
    const weights = frame?.weights;
    const outputs = weights?.length ? weights[weights.length - 1].b.length : 1;
    return [config.features.length, ...config.network.hidden, outputs];
  }

  build(sizes, width, height) {
    this.closeEditor();
    this.layout = new NetworkLayout(sizes, width, height);
    const links = sizes.slice(1).reduce((sum, n, L) => sum + n * sizes[L], 0);
    const neurons = sizes.slice(1).reduce((a, b) => a + b, 0);
    this.svgLinks = links <= SVG_LINK_LIMIT;
    this.heatmaps = this.layout.size >= HEATMAP_MIN_SIZE && neurons <= HEATMAP_MAX_NODES;
    this.svg.setAttribute("width", width);
    this.svg.setAttribute("height", height);
    this.svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    // The canvas of links (big networks) at the screen's pixel density, drawn in CSS pixels.
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.canvas.getContext("2d").setTransform(dpr, 0, 0, dpr, 0, 0);
    this.svg.replaceChildren();
    this.buildHeadings(sizes);
    const linkLayer = svg("g", { class: "viz-links" }, this.svg);
    this.linkEls = [];
    if (this.svgLinks) {
      for (let L = 0; L + 1 < sizes.length; L++) {
        const matrix = [];
        for (let i = 0; i < sizes[L]; i++) {
          matrix.push(Array.from({ length: sizes[L + 1] }, (_, j) => this.buildLink(linkLayer, L, i, j)));
        }
        this.linkEls.push(matrix);
      }
    }
    const nodeLayer = svg("g", { class: "viz-nodes" }, this.svg);
    this.nodeEls = this.layout.columns.map((column, c) => column.map((_, u) => this.buildNode(nodeLayer, c, u, sizes.length)));
    this.paintInputs();
  }

  buildHeadings(sizes) {
    const last = sizes.length - 1;
    this.layout.columns.forEach((column, c) => {
      const count = this.layout.gap < 90 ? String(sizes[c]) : `${sizes[c]} neuron${sizes[c] === 1 ? "" : "s"}`;
      const text = c === 0 ? (this.layout.gap < 90 ? "in" : "features") : c === last ? (this.layout.gap < 90 ? "out" : "output") : count;
      svg("text", { class: "viz-col-label", x: column[0][0], y: 12, "text-anchor": "middle" }, this.svg).textContent = text;
    });
  }

  buildLink(parent, L, i, j) {
    const g = svg("g", { class: "viz-link", "data-testid": `link-${L}-${i}-${j}`, "data-layer": L, "data-i": i, "data-j": j }, parent);
    const [a, y1, m, , , y2, b] = this.layout.link(L, i, j);
    const d = `M${a},${y1}C${m},${y1} ${m},${y2} ${b},${y2}`;
    svg("path", { class: "viz-link-hit", d }, g);
    return svg("path", { class: "viz-link-line", d }, g);
  }

  buildNode(parent, c, u, columns) {
    const s = this.layout.size;
    const [x, y] = this.layout.columns[c][u];
    const input = c === 0;
    const attrs = input
      ? { class: "viz-node viz-input", "data-testid": `input-${u}`, "data-feature": u }
      : { class: "viz-node", "data-testid": `neuron-${c - 1}-${u}`, "data-layer": c - 1, "data-j": u };
    const g = svg("g", { ...attrs, transform: `translate(${x - s / 2},${y - s / 2})` }, parent);
    const rect = svg("rect", { class: "viz-node-box", width: s, height: s, rx: Math.min(4, s / 5) }, g);
    const image = this.heatmaps || input ? svg("image", { width: s, height: s, preserveAspectRatio: "none" }, g) : null;
    const bias = input ? null : svg("rect", { class: "viz-node-bias", x: -3, y: s - 5, width: 6, height: 6, rx: 1 }, g);
    if (input) {
      const name = this.config.features[u];
      const label = svg("text", { class: "viz-node-label", x: -6, y: s / 2, "text-anchor": "end", "dominant-baseline": "central" }, g);
      label.textContent = this.labels[name] ?? name;
    } else if (c === columns - 1) {
      const label = svg("text", { class: "viz-node-label", x: s + 6, y: s / 2, "dominant-baseline": "central" }, g);
      const outputs = this.layout.columns[c].length;
      label.textContent = outputs > 1 ? `class ${u}` : "ŷ";
      if (outputs > 1) label.setAttribute("fill", PALETTE[u % PALETTE.length]);
    }
    return { g, rect, image, bias };
  }

  /** The input tiles show each feature over the plane; they change only with the extent. */
  paintInputs() {
    const [x0, x1, y0, y1] = this.extent;
    const n = INPUT_GRID;
    this.config.features.forEach((name, u) => {
      const f = featureFunction(name, this.catalog.axes);
      const { image } = this.nodeEls[0][u];
      if (!f || !image) return;
      const rows = Array.from({ length: n }, (_, i) => Float32Array.from({ length: n }, (_, j) => f(x0 + ((x1 - x0) * j) / (n - 1), y0 + ((y1 - y0) * i) / (n - 1))));
      const top = Math.max(1e-9, ...rows.map((row) => Math.max(...row.map(Math.abs))));
      image.setAttribute("href", this.tiles.url(rows, DIVERGING_LUT, 0, top));
    });
  }

  update() {
    const weights = this.frame?.weights;
    if (weights) {
      const scale = Math.max(1, ...weights.map(({ W }) => Math.max(...W.map((row) => Math.max(...row.map(Math.abs))))));
      if (this.svgLinks) this.updateSvgLinks(weights, scale);
      else this.drawCanvasLinks(weights, scale);
      this.updateBiases(weights, scale);
    }
    this.updateTiles();
    if (this.hovered) this.showTooltip(this.hovered);
  }

  updateSvgLinks(weights, scale) {
    weights.forEach(({ W }, L) => {
      W.forEach((row, i) => row.forEach((w, j) => {
        const line = this.linkEls[L]?.[i]?.[j];
        if (!line) return;
        const v = w / scale;
        line.style.stroke = divergingCSS(Math.sign(v) * (0.3 + 0.7 * Math.abs(v)));
        line.style.strokeWidth = (0.6 + 3.9 * Math.min(1, Math.abs(v))).toFixed(2);
      }));
    });
  }

  /** Draw the links on the canvas, at most every CANVAS_INTERVAL ms while training (always the last frame). */
  drawCanvasLinks(weights, scale) {
    const now = performance.now();
    if (now - this.lastCanvasDraw < CANVAS_INTERVAL && !this.frame?.done) return;
    this.lastCanvasDraw = now;
    drawCanvasLinks(this.canvas.getContext("2d"), this.layout, weights, scale);
  }

  updateBiases(weights, scale) {
    weights.forEach(({ b }, L) => {
      b.forEach((value, j) => {
        const node = this.nodeEls[L + 1]?.[j];
        if (!node) return;
        const colour = divergingCSS(value / scale);
        node.bias.style.fill = colour;
        if (!node.image) node.rect.style.fill = colour;
      });
    });
  }

  /** Each neuron's heatmap from the frame's grids: hidden layers from `grid.layers`, outputs from the output grid. */
  updateTiles() {
    const grid = this.frame?.grid;
    if (!this.heatmaps || !grid) return;
    const hiddenActivation = this.config.network.activation;
    (grid.layers ?? []).forEach((units, l) => {
      const [centre, halfWidth] = tileScale(this.catalog.boundedRange(hiddenActivation), units);
      units.forEach((rows, j) => {
        const image = this.nodeEls[l + 1]?.[j]?.image;
        if (image) image.setAttribute("href", this.tiles.url(rows, DIVERGING_LUT, centre, halfWidth));
      });
    });
    const outputs = this.nodeEls[this.nodeEls.length - 1];
    if (grid.classes) {
      const [centre, halfWidth] = tileScale(this.catalog.boundedRange(this.catalog.outputActivation(this.config)), grid.classes);
      grid.classes.forEach((rows, c) => outputs[c]?.image?.setAttribute("href", this.tiles.url(rows, CLASS_LUTS[c % PALETTE.length], centre, halfWidth)));
    } else if (grid.output && outputs[0]?.image) {
      const reading = outputReading(this.catalog, this.config, null);
      const [centre, halfWidth] = reading.kind === "binary" ? [reading.threshold, reading.halfWidth] : tileScale(null, [grid.output]);
      outputs[0].image.setAttribute("href", this.tiles.url(grid.output, DIVERGING_LUT, centre, halfWidth));
    }
  }

  /** What is under the pointer: `{kind: 'W', L, i, j}`, `{kind: 'b', L, j}`, `{kind: 'input', u}` or null. */
  target(e) {
    const link = e.target.closest?.(".viz-link");
    if (link) return { kind: "W", L: +link.dataset.layer, i: +link.dataset.i, j: +link.dataset.j, el: link };
    const node = e.target.closest?.(".viz-node");
    if (!node) return null;
    if (node.dataset.feature !== undefined) return { kind: "input", u: +node.dataset.feature, el: node };
    return { kind: "b", L: +node.dataset.layer, j: +node.dataset.j, el: node };
  }

  value(t) {
    const layer = this.frame?.weights?.[t.L];
    if (!layer) return null;
    return t.kind === "W" ? layer.W[t.i][t.j] : layer.b[t.j];
  }

  hover(e) {
    const t = e && this.target(e);
    this.hovered?.el.classList.remove("hover");
    this.hovered = t ? { ...t, ...this.local(e) } : null;
    if (!t) {
      this.tooltip.hidden = true;
      return;
    }
    t.el.classList.add("hover");
    this.showTooltip(this.hovered);
  }

  showTooltip(t) {
    if (this.editor) {
      this.tooltip.hidden = true;
      return;
    }
    let text;
    if (t.kind === "input") {
      const name = this.config.features[t.u];
      text = `input ${this.labels[name] ?? name}`;
    } else {
      const v = this.value(t);
      text = t.kind === "W" ? `w[${t.L}][${t.i}→${t.j}] = ${fixed(v)}` : `b[${t.L}][${t.j}] = ${fixed(v)}`;
    }
    this.tooltip.textContent = text;
    this.tooltip.hidden = false;
    this.tooltip.style.left = `${t.x + 12}px`;
    this.tooltip.style.top = `${t.y + 12}px`;
  }

  click(e) {
    const t = this.target(e);
    if (!t || t.kind === "input" || this.value(t) === null) return;
    const { x, y } = this.local(e);
    this.openEditor(t, x, y);
  }

  /** A pointer event's position relative to the view's element. */
  local(e) {
    const box = this.el.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  }

  /** A labelled number input at (x, y): Enter applies through onEditWeight, Escape or leaving it cancels. */
  openEditor(t, x, y) {
    this.closeEditor();
    this.tooltip.hidden = true;
    const name = t.kind === "W" ? `w[${t.L}][${t.i}→${t.j}]` : `b[${t.L}][${t.j}]`;
    const box = document.createElement("label");
    box.className = "viz-weight-editor";
    box.style.left = `${Math.max(0, Math.min(x, this.layout.width - 150))}px`;
    box.style.top = `${Math.max(0, Math.min(y, this.layout.height - 34))}px`;
    const caption = document.createElement("span");
    caption.textContent = `${name} =`;
    const input = document.createElement("input");
    input.type = "number";
    input.step = "any";
    input.dataset.testid = "weight-editor";
    input.value = String(Number(this.value(t).toFixed(4)));
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        const value = Number(input.value);
        if (input.value.trim() !== "" && Number.isFinite(value)) {
          this.closeEditor();
          this.onEditWeight(t.L, t.kind, t.kind === "W" ? t.i : null, t.j, value);
        } else box.classList.add("invalid");
      } else if (e.key === "Escape") this.closeEditor();
    });
    input.addEventListener("blur", () => this.closeEditor());
    box.append(caption, input);
    this.el.append(box);
    this.editor = box;
    input.focus({ preventScroll: true });
    input.select();
  }

  closeEditor() {
    const editor = this.editor;
    this.editor = null;
    editor?.remove();
  }
}
