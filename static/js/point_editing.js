// Editing the user's points on the plane: add, move, erase, brush. An edit shows at once (the plane draws it
// before the server confirms) and goes to the server as a `points` command, which keeps the running network — or
// as a new configure when the classes change (a third class needs another output) or when a preset's points
// become the user's. With fewer than two classes there is nothing to train: the points are shown locally. A run
// that had ended by itself trains on after an edit (Commands.resumeAfterEdit): "erase the outliers and watch the
// line swing back" works after the epochs ran out too. Nothing is edited while the connection is down.

import { clone } from "./state.js";
import { dataChanged } from "./controls/intent.js";

/** @typedef {import("./state.js").Store} Store */
/** @typedef {import("./socket.js").Session} Session */
/** @typedef {import("./catalog.js").Catalog} Catalog */
/** @typedef {import("./controls/commands.js").Commands} Commands */
/** @typedef {import("./plane_view.js").PointInfo} PointInfo */
/** @typedef {{op: "add", points: number[][], labels: number[]} | {op: "remove", indices: number[]} | {op: "replace"}} Edit */

export class PointEditing {
  /**
   * @param {{store: Store, session: Session, catalog: Catalog, commands: Commands, showLocal: () => void}} deps
   *   `showLocal` draws the drawn points while they cannot be trained (live_view.js)
   */
  constructor({ store, session, catalog, commands, showLocal }) {
    this.store = store;
    this.session = session;
    this.catalog = catalog;
    this.commands = commands;
    this.showLocal = showLocal;
    store.on("config", () => {
      if (store.drawing && !store.drawnReady) showLocal();
    });
  }

  /** The plane's callbacks (plane_view.js `PlaneCallbacks`). */
  planeCallbacks() {
    const cls = () => this.store.view.cls;
    return {
      getTool: () => ({ tool: this.session.connected ? this.store.view.tool : "none", cls: cls() }),
      onAdd: (x, y) => this.edit((pts, labels) => {
        pts.push([x, y]);
        labels.push(cls());
        return { op: "add", points: [[x, y]], labels: [cls()] };
      }),
      onMove: (index, x, y, info) => this.edit((pts) => {
        const k = findDrawn(pts, index, info);
        if (k < 0) return null;
        pts[k] = [x, y];
        return { op: "replace" };
      }),
      onRemove: (index, info) => this.edit((pts, labels) => {
        const k = findDrawn(pts, index, info);
        if (k < 0) return null;
        pts.splice(k, 1);
        labels.splice(k, 1);
        return { op: "remove", indices: [k] };
      }),
      onBrush: (points) => this.edit((pts, labels) => {
        const xy = points.map((p) => [p[0], p[1]]);
        xy.forEach((p) => { pts.push(p); labels.push(cls()); });
        return { op: "add", points: xy, labels: xy.map(() => cls()) };
      }),
    };
  }

  /**
   * Apply an edit of the user's points: locally at once, then to the server.
   * @param {(points: number[][], labels: number[]) => Edit | null} mutate edits the lists in place
   */
  edit(mutate) {
    const { store } = this;
    if (!store.config || !this.session.connected) return; // nothing to edit before the first scene, or offline
    const wasDrawing = store.drawing;
    let points;
    let labels;
    if (wasDrawing) {
      points = clone(store.drawn.points);
      labels = clone(store.drawn.labels);
    } else { // a preset's points (not a regression's) become the user's
      const d = store.data;
      const usable = d && d.task !== "regression";
      points = usable ? [...d.train.points, ...(d.test ? d.test.points : [])].map((p) => [...p]) : [];
      labels = usable ? [...d.train.labels, ...(d.test ? d.test.labels : [])] : [];
    }
    const before = this.catalog.dataKind(wasDrawing ? { labels } : store.config.data);
    const readyBefore = wasDrawing && store.drawnReady;
    const op = mutate(points, labels);
    if (!op) return;
    const after = this.catalog.dataKind({ labels });
    if (!wasDrawing) {
      const c = clone(store.config);
      const preset = store.data && store.data.task !== "regression";
      const extent = store.data?.extent || this.catalog.planeExtent;
      c.data = { points, labels, test_fraction: preset ? c.data.test_fraction ?? 0 : 0, extent };
      store.setConfig(dataChanged(c, before, after));
      return;
    }
    store.setDrawn(points, labels, op);
    if (!store.drawnReady) {
      this.showLocal();
      this.commands.flushConfigure();
      return;
    }
    if (!readyBefore || after.classes !== before.classes) { // a new trainer: the output may change with the classes
      const c = clone(store.config);
      if (JSON.stringify(dataChanged(c, before, after)) !== JSON.stringify(store.config)) store.setConfig(c);
      else this.commands.flushConfigure();
      return;
    }
    if (op.op === "add") this.session.points("add", { points: op.points, labels: op.labels });
    else if (op.op === "remove") this.session.points("remove", { indices: op.indices });
    else this.session.points("replace", { points, labels });
    this.commands.resumeAfterEdit();
  }
}

/**
 * Which of the user's points does the plane's (index, info) mean? Matched by position (the server may split the
 * user's points into train and test).
 * @param {number[][]} pts
 * @param {number} index
 * @param {PointInfo} info
 */
function findDrawn(pts, index, info) {
  const target = info && info.point ? info.point : null;
  if (!target) return index < pts.length ? index : -1;
  let best = -1;
  let bestD = Infinity;
  pts.forEach((p, k) => {
    const d = Math.hypot(p[0] - target[0], p[1] - target[1]);
    if (d < bestD) [best, bestD] = [k, d];
  });
  return best;
}
