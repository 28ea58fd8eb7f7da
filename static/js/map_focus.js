// Which map the plane shows: the network's output, or the map of a neuron (or input) of the network diagram — the
// node under the pointer or keyboard focus (a preview) before the one pinned by a click or Enter, pinned until it
// is clicked again, another is pinned, or `unpin` (the plane's "back" button, Esc). Listeners hear every change.
// `FocusChip` is the plane's side: it names the map shown and offers the way back.
import { t } from "./i18n.js";

/** @typedef {import("./network_tiles.js").NetworkTiles} NetworkTiles */
/** @typedef {import("./plane_view.js").MapFocus} MapFocus */

export class MapFocusChoice {
  /**
   * @param {NetworkTiles} tiles makes a node's map (null where there is none: the output, no heatmaps)
   * @param {SVGElement} svg the diagram: the pinned node gets the class `pinned`
   */
  constructor(tiles, svg) {
    this.tiles = tiles;
    this.svg = svg;
    /** @type {MapFocus | null} */
    this.pinned = null;
    /** @type {MapFocus | null} */
    this.previewed = null;
    /** @type {((focus: MapFocus | null) => void)[]} */
    this.listeners = [];
  }

  /** @param {(focus: MapFocus | null) => void} fn called with the map to show, null for the output */
  listen(fn) {
    this.listeners.push(fn);
  }

  /**
   * The map of a node element (its `data-column` and `data-feature` or `data-j`), or null.
   * @param {Element | null} node
   * @param {boolean} pinned
   */
  mapOf(node, pinned) {
    if (!(node instanceof SVGElement)) return null;
    const { column, feature, j } = node.dataset;
    return this.tiles.focus(Number(column), Number(feature ?? j), pinned);
  }

  /** Show `node`'s map while it is under the pointer or focused (null: stop); the pinned node shows as pinned. */
  preview(node) {
    const focus = this.mapOf(node, false);
    const next = focus && focus.key !== this.pinned?.key ? focus : null;
    if ((next?.key ?? null) === (this.previewed?.key ?? null)) return;
    this.previewed = next;
    this.changed();
  }

  /** Pin `node`'s map, or unpin it when it is the pinned one. True when `node` has a map. */
  togglePin(node) {
    const focus = this.mapOf(node, true);
    if (!focus) return false;
    this.pinned = focus.key !== this.pinned?.key ? focus : null;
    this.previewed = null;
    this.changed();
    return true;
  }

  /** Back to the output. */
  unpin() {
    if (!this.pinned && !this.previewed) return;
    this.pinned = this.previewed = null;
    this.changed();
  }

  /** The diagram was rebuilt: its nodes are new, nothing is pinned. */
  reset() {
    this.unpin();
  }

  changed() {
    for (const node of this.svg.querySelectorAll(".viz-node.pinned")) node.classList.remove("pinned");
    if (this.pinned) this.svg.querySelector(`[data-testid="${this.pinned.key}"]`)?.classList.add("pinned");
    const focus = this.previewed ?? this.pinned;
    for (const fn of this.listeners) fn(focus);
  }
}

/** The chip on the plane while it shows a map other than the output: its name and a button back to the output. */
export class FocusChip {
  /** @param {() => void} onBack the button (or Esc on it) */
  constructor(onBack) {
    this.el = document.createElement("div");
    this.el.className = "viz-plane-focus";
    this.el.dataset.testid = "plane-focus";
    this.el.hidden = true;
    this.label = document.createElement("span");
    this.back = document.createElement("button");
    this.back.type = "button";
    this.back.className = "viz-plane-back";
    this.back.dataset.testid = "plane-back";
    this.back.textContent = t("focus.back");
    this.back.title = t("focus.back_title");
    this.back.addEventListener("click", () => onBack());
    this.el.addEventListener("keydown", (e) => { if (e.key === "Escape") onBack(); });
    // the chip is on the plane but no part of it: a press on it must not add or move points
    for (const type of ["pointerdown", "pointerup", "pointermove", "contextmenu"]) {
      this.el.addEventListener(type, (e) => e.stopPropagation());
    }
    this.el.append(this.label, this.back);
  }

  /**
   * Name `focus` (the back button only when it is pinned), or hide (null).
   * @param {MapFocus | null} focus
   */
  show(focus) {
    this.el.hidden = !focus;
    if (!focus) return;
    this.label.textContent = `${focus.label}${focus.unit ? ` (${focus.unit})` : ""}`;
    this.back.hidden = !focus.pinned;
  }

  /** Where the chip sits (the plot area's top left corner, in the plane's pixels). */
  place(left, top) {
    Object.assign(this.el.style, { left: `${left + 6}px`, top: `${top + 6}px` });
  }
}
