/**
 * Point editing on a Plotly plot: pointer gestures become data-space edits. The plot stays static (no Plotly
 * zoom or drag); this module listens on the plot's element and converts pixels to data coordinates with the
 * axes' own `p2d` over their `_offset`/`_length` in the full layout.
 *
 * Tools: `add` (click adds a point; press on a point and drag moves it), `move` (drag a point), `erase`
 * (click removes the nearest point within a few pixels), `brush` (click or drag scatters a few points).
 * A right click erases in any of these tools; any other tool (say `none`) leaves the points alone.
 */

const TOOLS = new Set(["add", "move", "erase", "brush"]);

/** How close (in pixels) a press must be to a point to grab or erase it. */
const HIT_RADIUS = 10;
/** A press that travels less than this (in pixels) is a click, not a drag. */
const DRAG_SLOP = 3;
/** Points per brush dab, their spread (standard deviation, pixels) and the distance between dabs while dragging. */
const BRUSH = { count: 6, spread: 14, spacing: 26 };

/**
 * Pixel position of the plot area of `el` (a Plotly graph div): `{left, top, width, height}` relative to the
 * element's box, from the full layout's axes.
 */
function plotArea(el) {
  const { xaxis, yaxis } = /** @type {any} */ (el)._fullLayout ?? {};
  if (!xaxis || !yaxis) return null;
  return { left: xaxis._offset, top: yaxis._offset, width: xaxis._length, height: yaxis._length };
}

/**
 * Data coordinates `[x, y]` under a client (viewport) position, or null outside the plot area.
 * @param {HTMLElement} el a Plotly graph div
 */
export function clientToData(el, clientX, clientY) {
  const area = plotArea(el);
  if (!area) return null;
  const box = el.getBoundingClientRect();
  const px = clientX - box.left - area.left;
  const py = clientY - box.top - area.top;
  if (px < 0 || py < 0 || px > area.width || py > area.height) return null;
  const { xaxis, yaxis } = /** @type {any} */ (el)._fullLayout;
  return [xaxis.p2d(px), yaxis.p2d(py)];
}

/**
 * Client (viewport) position `[clientX, clientY]` of the data point `[x, y]` on the plot `el`.
 * @param {HTMLElement} el
 * @param {number[]} point
 */
export function dataToClient(el, [x, y]) {
  const { xaxis, yaxis } = /** @type {any} */ (el)._fullLayout;
  const box = el.getBoundingClientRect();
  return [box.left + xaxis._offset + xaxis.d2p(x), box.top + yaxis._offset + yaxis.d2p(y)];
}

/** Pixels per data unit along x on the plot `el` (equal aspect: the same along y). */
export function pixelsPerUnit(el) {
  const { xaxis } = /** @type {any} */ (el)._fullLayout;
  return Math.abs(xaxis.d2p(1) - xaxis.d2p(0));
}

/** A standard normal sample (Box–Muller). */
function gaussian() {
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}

/**
 * Turns pointer gestures on a Plotly plot into point edits. It owns no points: `getPoints()` tells it what is
 * drawn, the callbacks say what the user did.
 */
export class PointEditor {
  /**
   * @param {HTMLElement} el a Plotly graph div
   * @param {object} options
   *   `getTool() -> {tool, cls}`; `getPoints() -> [{point: [x, y], hidden}]` in index order;
   *   `onAdd(x, y)`, `onMove(index, x, y)` (on release), `onRemove(index)`, `onBrush(points)`;
   *   `onDrag(index | null, x, y)` while a point is dragged (null when the drag ends);
   *   `onHover([x, y] | null)` as the pointer moves over the plot area.
   */
  constructor(el, options) {
    this.el = el;
    this.options = options;
    this.gesture = null;
    el.addEventListener("pointerdown", (e) => this.down(e));
    el.addEventListener("pointermove", (e) => this.move(e));
    el.addEventListener("pointerup", (e) => this.up(e));
    el.addEventListener("pointercancel", () => this.cancel());
    el.addEventListener("pointerleave", () => this.options.onHover(null));
    el.addEventListener("contextmenu", (e) => {
      if (TOOLS.has(this.options.getTool().tool)) e.preventDefault(); // a right click erases
    });
  }

  /** Index of the shown point nearest to the client position, within HIT_RADIUS pixels; -1 if none. */
  nearest(clientX, clientY) {
    let best = -1;
    let bestDistance = HIT_RADIUS;
    this.options.getPoints().forEach(({ point, hidden }, index) => {
      if (hidden) return;
      const [px, py] = dataToClient(this.el, point);
      const distance = Math.hypot(px - clientX, py - clientY);
      if (distance <= bestDistance) [best, bestDistance] = [index, distance];
    });
    return best;
  }

  down(e) {
    const xy = clientToData(this.el, e.clientX, e.clientY);
    const selected = this.options.getTool().tool;
    if (!xy || !TOOLS.has(selected) || (e.button !== 0 && e.button !== 2)) return;
    e.preventDefault();
    const tool = e.button === 2 ? "erase" : selected;
    const hit = this.nearest(e.clientX, e.clientY);
    if (tool === "erase") {
      if (hit >= 0) this.options.onRemove(hit);
      return;
    }
    if (tool === "brush") this.dab(xy);
    if (tool === "move" && hit < 0) return;
    this.el.setPointerCapture?.(e.pointerId);
    this.gesture = { tool, hit, start: [e.clientX, e.clientY], last: [e.clientX, e.clientY], dragging: false };
  }

  move(e) {
    const xy = clientToData(this.el, e.clientX, e.clientY);
    const tool = this.options.getTool().tool;
    if (this.el.dataset.tool !== tool) this.el.dataset.tool = tool; // the cursor follows the tool (viz.css)
    this.options.onHover(xy);
    const g = this.gesture;
    if (!g) return;
    const travelled = Math.hypot(e.clientX - g.start[0], e.clientY - g.start[1]);
    if (g.tool === "brush") {
      if (xy && Math.hypot(e.clientX - g.last[0], e.clientY - g.last[1]) >= BRUSH.spacing) {
        g.last = [e.clientX, e.clientY];
        this.dab(xy);
      }
      return;
    }
    if (g.hit >= 0 && (g.dragging || travelled > DRAG_SLOP)) {
      g.dragging = true;
      const [x, y] = this.clamped(e.clientX, e.clientY);
      this.options.onDrag(g.hit, x, y);
    }
  }

  up(e) {
    const g = this.gesture;
    this.gesture = null;
    if (!g) return;
    if (g.dragging) {
      const [x, y] = this.clamped(e.clientX, e.clientY);
      this.options.onDrag(null, x, y);
      this.options.onMove(g.hit, x, y);
    } else if (g.tool === "add") {
      const xy = clientToData(this.el, e.clientX, e.clientY);
      if (xy) this.options.onAdd(xy[0], xy[1]);
    }
  }

  cancel() {
    if (this.gesture?.dragging) this.options.onDrag(null, 0, 0);
    this.gesture = null;
  }

  /** Data coordinates of a client position, clamped into the plot area (a drag may leave it). */
  clamped(clientX, clientY) {
    const { xaxis, yaxis } = /** @type {any} */ (this.el)._fullLayout;
    const box = this.el.getBoundingClientRect();
    const px = Math.min(Math.max(clientX - box.left - xaxis._offset, 0), xaxis._length);
    const py = Math.min(Math.max(clientY - box.top - yaxis._offset, 0), yaxis._length);
    return [xaxis.p2d(px), yaxis.p2d(py)];
  }

  /**
   * Scatter BRUSH.count points around `[x, y]` (Gaussian, BRUSH.spread pixels), kept inside the axes.
   * @param {number[]} point
   */
  dab([x, y]) {
    const { xaxis, yaxis } = /** @type {any} */ (this.el)._fullLayout;
    const sigma = BRUSH.spread / pixelsPerUnit(this.el);
    const [x0, x1] = [...xaxis.range].sort((a, b) => a - b);
    const [y0, y1] = [...yaxis.range].sort((a, b) => a - b);
    const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);
    const points = Array.from({ length: BRUSH.count }, () => [
      clamp(x + sigma * gaussian(), x0, x1),
      clamp(y + sigma * gaussian(), y0, y1),
    ]);
    this.options.onBrush(points);
  }
}
