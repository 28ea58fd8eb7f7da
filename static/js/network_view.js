// The network diagram, as in TensorFlow Playground: input features on the left, hidden layers, the output on the
// right. Every neuron is a small square showing what it computes over the plane (its own heatmap); links are
// coloured by the weight's sign (blue negative, orange positive) and thick by its size. Hover a link or a neuron
// for its value; click a link, a bias (the small square at a node's corner) or the output node to edit the value
// in place. Hovering a neuron or an input shows its map large on the plane; clicking it (or Enter on it) pins the
// map there until it is clicked again, the plane's "back" button or Esc (`onShowMap`).
//
// An SVG of nodes, labels and invisible link targets (for hover and clicks) over two canvases: the links and the
// neuron tiles (network_tiles.js). The structure is rebuilt only when the topology or the element's size (kept from
// a ResizeObserver: no layout read per frame) changes; a frame repaints the two canvases, the biases' colours at
// most every CANVAS_INTERVAL ms, and nothing else in the SVG (the hovered link alone is drawn in it, highlighted).
// Past SVG_LINK_LIMIT links there are no link targets (no hover or editing) and the links too are redrawn at most
// every CANVAS_INTERVAL ms; past a node count or below a node size the neuron heatmaps are left out: a 8 × 64
// network stays smooth. Geometry: network_layout.js.

import { PALETTE, divergingCSS } from "./colors.js";
import { fixed } from "./format.js";
import { NetworkLayout, drawCanvasLinks, linkStyle } from "./network_layout.js";
import { MapFocusChoice } from "./map_focus.js";
import { NetworkTiles } from "./network_tiles.js";
import { WeightEditor } from "./weight_editor.js";
import { t } from "./i18n.js";

/** @typedef {import("./catalog.js").Catalog} Catalog */
/** @typedef {import("./types.js").Config} Config */
/** @typedef {import("./types.js").Frame} Frame */
/** @typedef {import("./plane_view.js").MapFocus} MapFocus */

const SVG_NS = "http://www.w3.org/2000/svg";
/** More links than this have no hover or editing (and are drawn fainter, at most every CANVAS_INTERVAL ms). */
const SVG_LINK_LIMIT = 1200;
/** Neuron heatmaps need nodes at least this big (px) and at most this many neurons. */
const HEATMAP_MIN_SIZE = 14;
const HEATMAP_MAX_NODES = 200;
/** A big network's links, and any network's bias colours (in the SVG), are redrawn at most this often (ms) while
 * training: a change in the SVG makes the browser record and commit all of it again. */
const CANVAS_INTERVAL = 100;
/** The bias square's clickable area (px, at most; 0.6 of a small node): larger than the square itself. */
const BIAS_HIT = 13;

/** True when `a` and `b` are the same link. */
function sameLink(a, b) {
  return a?.kind === "W" && b?.kind === "W" && a.L === b.L && a.i === b.i && a.j === b.j;
}

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
    this.el.append(this.canvas);
    this.tiles = new NetworkTiles(this.el, catalog);
    this.svg = svg("svg", { class: "viz-network-svg", "aria-label": t("network.svg_aria") });
    this.tooltip = document.createElement("div");
    this.tooltip.className = "viz-tooltip";
    this.tooltip.dataset.testid = "network-tooltip";
    this.tooltip.hidden = true;
    this.el.append(this.svg, this.tooltip);
    this.size = { width: this.el.clientWidth || 640, height: this.el.clientHeight || 320 };
    this.key = null;
    this.editor = new WeightEditor(this.el);
    this.hovered = null;
    /** The link the keyboard chose (weight_keys.js), drawn like a hovered one. */
    this.chosenLink = null;
    /** When the biases and a big network's links were last drawn, and their pending redraws. */
    this.drawn = { bias: 0, links: 0 };
    this.later = { bias: null, links: null };
    this.maps = new MapFocusChoice(this.tiles, this.svg);
    this.svg.addEventListener("pointermove", (e) => this.hover(e));
    this.svg.addEventListener("pointerleave", () => this.hover(null));
    this.svg.addEventListener("click", (e) => this.click(e));
    this.svg.addEventListener("keydown", (e) => this.onKey(e));
    this.svg.addEventListener("focusin", (e) => {
      const node = this.nodeOf(e.target);
      if (node?.matches(":focus-visible")) this.maps.preview(node); // a click's focus: the click decides
    });
    this.svg.addEventListener("focusout", () => this.maps.preview(null));
    new ResizeObserver(([entry]) => {
      const width = Math.round(entry.contentRect.width);
      const height = Math.round(entry.contentRect.height);
      if (!(width > 0 && height > 0) || (width === this.size.width && height === this.size.height)) return;
      this.size = { width, height };
      if (this.config) this.render(this.config, this.frame);
    }).observe(this.el);
  }

  /** Tiles painted so far (the page's stats). */
  get tilesPainted() {
    return this.tiles.painted;
  }

  /**
   * Call `fn` with the map the plane should show instead of the output (a hovered, focused or pinned neuron or
   * input), or null for the output.
   * @param {(focus: MapFocus | null) => void} fn
   */
  onShowMap(fn) {
    this.maps.listen(fn);
  }

  /** Show the output on the plane again (nothing pinned). */
  unpin() {
    this.maps.unpin();
  }

  /** Draw `config`'s network with `frame`'s weights and neuron heatmaps. */
  render(config, frame) {
    this.config = config;
    this.frame = frame;
    const sizes = this.sizes(config, frame);
    const { width, height } = this.size;
    this.extent = frame?.grid?.extent ?? this.extent ?? this.catalog.planeExtent; // frames without grids keep the last one
    const structure = [sizes.join("-"), config.features.join(",")].join("|");
    const key = [structure, width, height, this.extent.join(",")].join("|");
    if (structure !== this.structure) this.maps.reset(); // new nodes: nothing stays pinned (a resize keeps the pin)
    this.structure = structure;
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
    this.editor.close();
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
    this.hovered = null;
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
    this.tiles.build(this.layout, this.config, this.extent, this.heatmaps);
    this.maps.changed(); // the pinned node is a new element
  }

  buildHeadings(sizes) {
    const last = sizes.length - 1;
    this.layout.columns.forEach((column, c) => {
      const short = this.layout.gap < 90;
      const count = short ? String(sizes[c]) : t("network.col_neurons", { n: sizes[c] });
      const text = c === 0 ? t(short ? "network.col_in" : "network.col_features")
        : c === last ? t(short ? "network.col_out" : "network.col_output") : count;
      svg("text", { class: "viz-col-label", x: column[0][0], y: 12, "text-anchor": "middle" }, this.svg).textContent = text;
    });
  }

  buildLink(parent, L, i, j) {
    const g = svg("g", { class: "viz-link", "data-testid": `link-${L}-${i}-${j}`, "data-layer": L, "data-i": i, "data-j": j }, parent);
    const [a, y1, m, , , y2, b] = this.layout.link(L, i, j);
    const d = `M${a},${y1}C${m},${y1} ${m},${y2} ${b},${y2}`;
    svg("path", { class: "viz-link-hit", d }, g);
    const line = svg("path", { class: "viz-link-line", d }, g);
    line.style.stroke = "transparent"; // the canvas draws the links; this one only while hovered
    return line;
  }

  buildNode(parent, c, u, columns) {
    const s = this.layout.size;
    const [x, y] = this.layout.columns[c][u];
    const input = c === 0;
    const output = c === columns - 1;
    const attrs = input
      ? { class: "viz-node viz-input", "data-testid": `input-${u}`, "data-feature": u, "data-column": c }
      : { class: "viz-node", "data-testid": `neuron-${c - 1}-${u}`, "data-layer": c - 1, "data-j": u, "data-column": c };
    const g = svg("g", { ...attrs, transform: `translate(${x - s / 2},${y - s / 2})` }, parent);
    const rect = svg("rect", { class: "viz-node-box", width: s, height: s, rx: Math.min(4, s / 5) }, g);
    const tiled = this.heatmaps || input;
    if (tiled) rect.style.fill = "transparent"; // the tile is painted under the SVG (network_tiles.js)
    let bias = null;
    if (!input) {
      const side = Math.max(8, Math.min(BIAS_HIT, 0.6 * s));
      const hit = svg("rect", { class: "viz-node-bias-hit", x: -side / 2, y: s - 2 - side / 2, width: side, height: side,
        fill: "transparent", "data-testid": `bias-${c - 1}-${u}` }, g);
      hit.style.cursor = "pointer";
      bias = svg("rect", { class: "viz-node-bias", x: -3, y: s - 5, width: 6, height: 6, rx: 1 }, g);
      bias.style.pointerEvents = "none";
    }
    if (input) {
      const name = this.config.features[u];
      const label = svg("text", { class: "viz-node-label", x: -6, y: s / 2, "text-anchor": "end", "dominant-baseline": "central" }, g);
      label.textContent = this.labels[name] ?? name;
    } else if (output) {
      const label = svg("text", { class: "viz-node-label", x: s + 6, y: s / 2, "dominant-baseline": "central" }, g);
      const outputs = this.layout.columns[c].length;
      label.textContent = outputs > 1 ? t("legend.class", { c: u }) : "ŷ";
      if (outputs > 1) label.setAttribute("fill", PALETTE[u % PALETTE.length]);
    }
    if (this.heatmaps || !input) {
      const what = input ? t("network.input", { name: this.labels[this.config.features[u]] ?? this.config.features[u] })
        : output ? (this.layout.columns[c].length > 1 ? t("network.output_class", { c: u }) : t("network.the_output"))
          : t("network.layer_neuron", { layer: c, unit: u + 1 });
      const action = t(this.heatmaps && !output ? "network.pin_action" : "network.bias_action");
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
      g.setAttribute("aria-label", t("network.node_aria", { what, action }));
    }
    return { g, rect, bias, tiled, fill: "" };
  }

  update() {
    const weights = this.frame?.weights;
    if (weights) {
      let scale = 1;
      for (const { W } of weights) for (const row of W) for (const w of row) if (Math.abs(w) > scale) scale = Math.abs(w);
      this.scale = scale;
      this.drawLinks(weights, scale);
      this.updateBiases(weights, scale);
      if (this.hovered?.kind === "W") this.highlightLink(this.hovered, scale);
      if (this.chosenLink) this.highlightLink(this.chosenLink, scale);
    }
    this.tiles.paint(this.frame?.grid);
    if (this.hovered) this.showTooltip(this.hovered);
  }

  /** Draw the links (a big network's at most every CANVAS_INTERVAL ms while training, always the last frame). */
  drawLinks(weights, scale) {
    if (!this.svgLinks && !this.due("links", () => this.drawLinks(this.frame.weights, this.scale))) return;
    drawCanvasLinks(this.canvas.getContext("2d"), this.layout, weights, scale, this.svgLinks);
  }

  /**
   * True when `what` may be drawn now: at most every CANVAS_INTERVAL ms while training (always for a finished
   * run's frame); otherwise `later` draws the newest frame once the interval has passed.
   * @param {"bias" | "links"} what
   * @param {() => void} later
   */
  due(what, later) {
    const now = performance.now();
    const wait = this.drawn[what] + CANVAS_INTERVAL - now;
    if (wait > 0 && !this.frame?.done) {
      this.later[what] ??= setTimeout(() => {
        this.later[what] = null;
        later();
      }, wait);
      return false;
    }
    clearTimeout(this.later[what]);
    this.later[what] = null;
    this.drawn[what] = now;
    return true;
  }

  /**
   * Draw the link `t` in the SVG like a hovered one, as the keyboard's choice (weight_keys.js); null: none.
   * @param {{L: number, i: number, j: number} | null} t
   */
  chooseLink(t) {
    const old = this.chosenLink;
    this.chosenLink = t && { kind: "W", L: t.L, i: t.i, j: t.j };
    if (old && !sameLink(old, this.hovered)) this.hideLink(old);
    if (this.chosenLink && this.scale) this.highlightLink(this.chosenLink, this.scale);
  }

  /** The hovered (or chosen) link, drawn in the SVG over the canvas as the canvas draws it, highlighted by its CSS. */
  highlightLink(t, scale) {
    const line = this.linkEls[t.L]?.[t.i]?.[t.j];
    const w = this.value(t);
    if (!line || w === null) return;
    const v = w / scale;
    line.style.stroke = divergingCSS(Math.sign(v) * (0.3 + 0.7 * Math.min(1, Math.abs(v))));
    line.style.strokeWidth = linkStyle(Math.abs(v)).width.toFixed(2);
  }

  /** Leave the link `t` to the canvas again. */
  hideLink(t) {
    const line = this.linkEls[t.L]?.[t.i]?.[t.j];
    if (line) line.style.stroke = "transparent";
  }

  updateBiases(weights, scale) {
    if (!this.due("bias", () => this.updateBiases(this.frame.weights, this.scale))) return;
    weights.forEach(({ b }, L) => {
      b.forEach((value, j) => {
        const node = this.nodeEls[L + 1]?.[j];
        if (!node) return;
        const colour = divergingCSS(value / scale);
        if (node.fill === colour) return;
        node.fill = colour;
        node.bias.style.fill = colour;
        if (!node.tiled) node.rect.style.fill = colour;
      });
    });
  }

  /** What is under the pointer: `{kind: 'W', L, i, j}`, `{kind: 'b', L, j}` (the bias square), `{kind: 'node',
   * L, j, c}` (a neuron's tile), `{kind: 'input', u, c}` or null. */
  target(e) {
    const link = e.target.closest?.(".viz-link");
    if (link) return { kind: "W", L: +link.dataset.layer, i: +link.dataset.i, j: +link.dataset.j, el: link };
    const node = e.target.closest?.(".viz-node");
    if (!node) return null;
    const c = +node.dataset.column;
    if (node.dataset.feature !== undefined) return { kind: "input", u: +node.dataset.feature, c, el: node };
    const onBias = e.target.closest?.(".viz-node-bias-hit");
    return { kind: onBias ? "b" : "node", L: +node.dataset.layer, j: +node.dataset.j, c, el: node };
  }

  /**
   * The node element an event target belongs to, or null.
   * @returns {SVGElement | null}
   */
  nodeOf(target) {
    return target instanceof Element ? target.closest(".viz-node") : null;
  }

  value(t) {
    const layer = this.frame?.weights?.[t.L];
    if (!layer) return null;
    return t.kind === "W" ? layer.W[t.i][t.j] : layer.b[t.j];
  }

  hover(e) {
    const t = e && this.target(e);
    this.hovered?.el.classList.remove("hover");
    if (this.hovered?.kind === "W" && !sameLink(this.hovered, this.chosenLink)) this.hideLink(this.hovered);
    this.hovered = t ? { ...t, ...this.local(e) } : null;
    this.maps.preview(t && t.kind !== "W" ? t.el : null);
    if (!t) {
      this.tooltip.hidden = true;
      return;
    }
    t.el.classList.add("hover");
    if (t.kind === "W" && this.scale) this.highlightLink(t, this.scale);
    this.showTooltip(this.hovered);
  }

  showTooltip(hit) {
    if (this.editor.open) {
      this.tooltip.hidden = true;
      return;
    }
    let text;
    if (hit.kind === "node") hit = { ...hit, kind: "b" };
    if (hit.kind === "input") {
      const name = this.config.features[hit.u];
      text = t("network.input", { name: this.labels[name] ?? name });
    } else {
      const v = this.value(hit);
      text = hit.kind === "W" ? `w[${hit.L}][${hit.i}→${hit.j}] = ${fixed(v)}` : `b[${hit.L}][${hit.j}] = ${fixed(v)}`;
    }
    this.tooltip.textContent = text;
    this.tooltip.hidden = false;
    this.tooltip.style.left = `${hit.x + 12}px`;
    this.tooltip.style.top = `${hit.y + 12}px`;
  }

  click(e) {
    const t = this.target(e);
    if (!t) return;
    if ((t.kind === "node" || t.kind === "input") && this.maps.togglePin(t.el)) return;
    if (t.kind === "input" || this.value(t) === null) return;
    if (t.kind === "node") this.unpin(); // the output node: its bias, and the plane shows the output
    const { x, y } = this.local(e);
    this.openEditor(t.kind === "node" ? { ...t, kind: "b" } : t, x, y);
  }

  /** Keys on a focused node: Enter or space pins its map (or, on the output, edits its bias); Esc unpins. */
  onKey(e) {
    const node = this.nodeOf(e.target);
    if (!node) return;
    if (e.key === "Escape") {
      this.unpin();
      return;
    }
    if (e.key !== "Enter" && e.key !== " ") return;
    e.preventDefault();
    if (this.maps.togglePin(node)) return;
    const t = { kind: "b", L: +node.dataset.layer, j: +node.dataset.j, el: node };
    if (node.dataset.feature !== undefined || this.value(t) === null) return;
    const [x, y] = this.layout.columns[+node.dataset.column][+node.dataset.j];
    this.openEditor(t, x, y);
  }

  /** A pointer event's position relative to the view's element. */
  local(e) {
    const box = this.el.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  }

  /** The editor of a weight or bias (`t.kind` "W" or "b") at (x, y): Enter applies through onEditWeight. */
  openEditor(t, x, y) {
    this.tooltip.hidden = true;
    this.editor.show({
      name: t.kind === "W" ? `w[${t.L}][${t.i}→${t.j}]` : `b[${t.L}][${t.j}]`, value: this.value(t), x, y,
      width: this.layout.width, height: this.layout.height,
      onApply: (value) => this.onEditWeight(t.L, t.kind, t.kind === "W" ? t.i : null, t.j, value),
    });
  }
}
