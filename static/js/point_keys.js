// Editing the points from the keyboard, on the focused plane (docs/ui.md, "Keyboard"): n / p choose the next /
// previous point, the arrows move it (shift: ten times further), Delete removes it, Escape lets go; with no point
// chosen the arrows move a cursor and Enter adds a point of the chosen class there. A ring marks the point or the
// cursor, and a line under the plane says what is chosen. The edits go the same way as the pointer's
// (point_editing.js): shown at once, then to the server.

import { dataToClient } from "./draw.js";
import { fmt } from "./format.js";

/** @typedef {import("./plane_view.js").PlaneView} PlaneView */
/** @typedef {import("./plane_view.js").PlaneCallbacks} PlaneCallbacks */

/** A move is this share of the plane's width (shift: ten times as much). */
const STEP = 1 / 50;
/** Each arrow's direction on the plane, as (dx, dy). */
const ARROWS = { ArrowLeft: { dx: -1, dy: 0 }, ArrowRight: { dx: 1, dy: 0 }, ArrowUp: { dx: 0, dy: 1 }, ArrowDown: { dx: 0, dy: -1 } };

export class PointKeys {
  /**
   * @param {{plane: PlaneView, callbacks: PlaneCallbacks, canEdit: () => boolean}} deps the plane's callbacks
   *   (the same edits as the pointer's); `canEdit` is false while nothing can be sent (offline)
   */
  constructor({ plane, callbacks, canEdit }) {
    this.plane = plane;
    this.callbacks = callbacks;
    this.canEdit = canEdit;
    this.el = plane.el;
    /** @type {number | null} the chosen point (an index into the plane's points), or null: the cursor */
    this.index = null;
    this.cursor = null; // [x, y]
    this.marker = document.createElement("div");
    this.marker.className = "key-marker";
    this.marker.dataset.testid = "key-marker";
    this.marker.hidden = true;
    this.key = document.getElementById("plane-key");
    this.el.parentElement.append(this.marker);
    this.el.addEventListener("keydown", (e) => this.onKey(e));
    this.el.addEventListener("focus", () => this.show());
    this.el.addEventListener("blur", () => { this.marker.hidden = true; if (this.key) this.key.textContent = ""; });
  }

  points() {
    return this.plane.displayedPoints();
  }

  /** @param {KeyboardEvent} e */
  onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const points = this.points();
    const key = e.key;
    let handled = true;
    if (key === "n" || key === "p") {
      this.choose(points, key === "n" ? 1 : -1);
    } else if (key in ARROWS) {
      this.move(ARROWS[key], e.shiftKey ? 10 : 1);
    } else if ((key === "Delete" || key === "Backspace") && this.index !== null) {
      if (this.canEdit()) {
        const index = this.index;
        this.cursor = points[index]?.point ?? this.cursor;
        this.index = null;
        this.callbacks.onRemove(index, this.plane.pointInfo(index));
      }
    } else if (key === "Enter" && this.index === null) {
      const [x, y] = this.here();
      if (this.canEdit()) this.callbacks.onAdd(x, y);
    } else if (key === "Escape") {
      this.index = null;
    } else {
      handled = false; // everything else (space, s, r, the tools, the classes) is the page's
    }
    if (!handled) return;
    e.preventDefault();
    e.stopPropagation();
    this.show();
  }

  /** The next or previous point (hidden test points skipped). */
  choose(points, direction) {
    const visible = points.map((p, k) => (p.hidden ? -1 : k)).filter((k) => k >= 0);
    if (!visible.length) return;
    const at = this.index === null ? -1 : visible.indexOf(this.index);
    const next = at < 0 ? (direction > 0 ? 0 : visible.length - 1) : (at + direction + visible.length) % visible.length;
    this.index = visible[next];
  }

  /** Where the cursor (or the chosen point) is, in data coordinates. */
  here() {
    const [x0, x1, y0, y1] = this.plane.extent();
    const chosen = this.index !== null ? this.points()[this.index] : null;
    return chosen ? chosen.point : this.cursor ?? [(x0 + x1) / 2, (y0 + y1) / 2];
  }

  move({ dx, dy }, times) {
    const [x0, x1, y0, y1] = this.plane.extent();
    const step = (x1 - x0) * STEP * times;
    const [x, y] = this.here();
    const next = [Math.min(x1, Math.max(x0, x + dx * step)), Math.min(y1, Math.max(y0, y + dy * step))];
    if (this.index === null) {
      this.cursor = next;
    } else if (this.canEdit()) {
      this.callbacks.onMove(this.index, next[0], next[1], this.plane.pointInfo(this.index));
      this.cursor = next;
    }
  }

  /** The ring at the chosen point or the cursor, and the line that says what is chosen. */
  show() {
    const points = this.points();
    if (this.index !== null && this.index >= points.length) this.index = null;
    const chosen = this.index !== null ? points[this.index] : null;
    const at = chosen ? chosen.point : this.here();
    try {
      const [cx, cy] = dataToClient(this.el, at);
      const box = this.el.parentElement.getBoundingClientRect();
      this.marker.style.left = `${cx - box.left}px`;
      this.marker.style.top = `${cy - box.top}px`;
      this.marker.hidden = false;
    } catch {
      this.marker.hidden = true; // the plot is not drawn yet
    }
    if (!this.key) return;
    const where = `(${fmt(at[0], 3)}, ${fmt(at[1], 3)})`;
    this.key.textContent = chosen
      ? `point ${this.index + 1} of ${points.length} ${where}, class ${chosen.label} · arrows move it, Delete removes it`
      : `cursor ${where} · Enter adds a point here · n / p choose a point`;
  }
}
