// Share and keep: copy the scene's link, export the plots as one PNG, the weights + config as JSON (a config that
// POST /api/train and `configure` accept, with the trained weights as its initial weights), the points as CSV;
// import a CSV of points (x1,x2,label — a header line is optional; whole numbers are class indices, which must be
// below the catalog's class limit; numbers with fractions, or a header x1,x2,target, make a regression set; at most
// the catalog's point limit).

import { dataChanged } from "./controls/intent.js";
import { $, inputAt } from "./dom.js";
import { clone } from "./state.js";

/** @typedef {import("./state.js").Store} Store */
/** @typedef {import("./catalog.js").Catalog} Catalog */
/** @typedef {{toPNG?: () => Promise<string>}} View */

function download(filename, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** @param {Store} store */
function baseName(store) {
  const data = store.config?.data || {};
  const name = Array.isArray(data.points) ? "drawn" : data.dataset || "scene";
  const epoch = store.lastFrame ? store.lastFrame.epoch : 0;
  return `nnlive-${name}-epoch${epoch}`;
}

function loadImage(src) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error("could not render an image"));
    img.src = src;
  });
}

/**
 * One PNG with the views side by side (those that can draw themselves: the output plane, the loss curves).
 * @param {View[]} views
 */
export async function plotsPNG(views) {
  const sources = [];
  for (const view of views) {
    if (view && typeof view.toPNG === "function") {
      try {
        sources.push(await view.toPNG());
      } catch (err) {
        console.warn("nnlive: a view could not export itself", err);
      }
    }
  }
  const images = await Promise.all(sources.map(loadImage));
  if (!images.length) throw new Error("no plot to export yet");
  const gap = 16;
  const height = Math.max(...images.map((i) => i.height));
  const width = images.reduce((w, i) => w + i.width, 0) + gap * (images.length + 1);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height + 2 * gap;
  const g = canvas.getContext("2d");
  g.fillStyle = "#ffffff";
  g.fillRect(0, 0, canvas.width, canvas.height);
  let x = gap;
  for (const img of images) {
    g.drawImage(img, x, gap + (height - img.height) / 2);
    x += img.width + gap;
  }
  return canvas.toDataURL("image/png");
}

/**
 * The run as JSON: the normalized config with the current weights as its initial weights, plus the metrics.
 * @param {Store} store
 */
export function runJSON(store) {
  const config = clone(store.applied || store.config);
  const frame = store.lastFrame;
  if (frame && frame.weights && config && config.network) config.network.weights = clone(frame.weights);
  return {
    nnlive: $("#app").dataset.version,
    exported: new Date().toISOString(),
    epoch: frame ? frame.epoch : 0,
    step: frame ? frame.step : 0,
    metrics: frame ? frame.metrics : null,
    config,
  };
}

/**
 * The points as CSV: x1,x2,label,split (train/test as the server split them).
 * @param {Store} store
 * @param {string[]} axes the coordinates' names (the catalog's)
 */
export function pointsCSV(store, axes) {
  const d = store.data;
  const rows = [`${axes.join(",")},label,split`];
  if (d) {
    for (const [split, part] of [["train", d.train], ["test", d.test]]) {
      if (!part) continue;
      part.points.forEach((p, k) => rows.push(`${p[0]},${p[1]},${part.labels[k]},${split}`));
    }
  }
  return rows.join("\n") + "\n";
}

/**
 * Parse a CSV of points; returns {points, labels, task} or throws an Error naming the line and the column.
 * @param {string} text
 * @param {{axes: string[], limits: Object<string, number>}} catalog
 */
export function parsePointsCSV(text, { axes, limits }) {
  const lines = String(text).split(/\r?\n/);
  const points = [];
  const labels = [];
  let targets = false; // a header naming the third column "target" says: regression targets, not classes
  lines.forEach((raw, n) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const cells = line.split(/[,;\t]/).map((c) => c.trim());
    if (points.length === 0 && labels.length === 0 && cells.some((c) => c !== "" && Number.isNaN(Number(c))) &&
        /x|label|class|y|target/i.test(line)) {
      targets = /^target$/i.test(cells[2] || "");
      return; // the header
    }
    if (cells.length < 3) throw new Error(`line ${n + 1}: expected ${axes.join(",")},label — found ${cells.length} value(s)`);
    const names = [...axes, "label"];
    const values = cells.slice(0, 3).map((c, k) => {
      const v = Number(c);
      if (c === "" || !Number.isFinite(v)) throw new Error(`line ${n + 1}: ${names[k]} ${JSON.stringify(c)} is not a number`);
      return v;
    });
    points.push([values[0], values[1]]);
    labels.push(values[2]);
  });
  if (!points.length) throw new Error("the file has no points (expected lines of x1,x2,label)");
  if (points.length > limits.points) throw new Error(`the file has ${points.length} points; at most ${limits.points} are allowed`);
  const whole = labels.every((l) => Number.isInteger(l));
  if (whole && !targets) {
    const bad = labels.findIndex((l) => l < 0 || l >= limits.classes);
    if (bad >= 0) {
      throw new Error(`label ${labels[bad]} (point ${bad + 1}) is not a class: class labels are 0 to ${limits.classes - 1}. ` +
        "For regression targets, start the file with the header line x1,x2,target");
    }
  }
  return { points, labels, task: whole && !targets ? "classification" : "regression" };
}

/** @param {Store} store */
async function copyLink(store) {
  await store.flushHash();
  const url = location.href;
  try {
    await navigator.clipboard.writeText(url);
    store.message("Link copied: it restores this scene, your points included.", { kind: "info" });
  } catch {
    window.prompt("Copy this link:", url);
  }
}

/**
 * The Share menu: copy link, PNG, JSON, CSV, import CSV.
 * @param {{store: Store, catalog: Catalog, views: View[]}} deps
 * @returns the exports as functions (for the console and the tests)
 */
export function initExports({ store, catalog, views }) {
  const menu = /** @type {HTMLDetailsElement} */ ($("#export-menu"));
  const close = () => { if (menu) menu.open = false; };
  const guard = (fn) => async () => {
    close();
    try {
      await fn();
    } catch (err) {
      store.message(`Export failed: ${err.message}`, { kind: "error" });
    }
  };
  $("#copy-link").addEventListener("click", guard(() => copyLink(store)));
  $("#export-png").addEventListener("click", guard(async () => {
    const url = await plotsPNG(views);
    download(`${baseName(store)}.png`, await (await fetch(url)).blob());
  }));
  $("#export-json").addEventListener("click", guard(() => {
    download(`${baseName(store)}.json`, new Blob([JSON.stringify(runJSON(store), null, 1)], { type: "application/json" }));
  }));
  $("#export-csv").addEventListener("click", guard(() => {
    download(`${baseName(store)}.csv`, new Blob([pointsCSV(store, catalog.axes)], { type: "text/csv" }));
  }));
  const importer = inputAt("#import-csv");
  importer.addEventListener("change", async () => {
    const file = importer.files && importer.files[0];
    importer.value = "";
    close();
    if (!file) return;
    try {
      const { points, labels, task } = parsePointsCSV(await file.text(), catalog);
      const c = clone(store.config);
      const before = catalog.dataKind(c.data);
      c.data = { points, labels, test_fraction: c.data && c.data.test_fraction !== undefined ? c.data.test_fraction : 0, task };
      store.setConfig(dataChanged(c, before, catalog.dataKind(c.data)));
      store.message(`Imported ${points.length} points from ${file.name}.`, { kind: "info" });
    } catch (err) {
      store.message(`Could not import ${file.name}: ${err.message}`, { kind: "error", field: "data.labels" });
    }
  });
  return {
    plotsPNG: () => plotsPNG(views), runJSON: () => runJSON(store), pointsCSV: () => pointsCSV(store, catalog.axes),
    parsePointsCSV: (text) => parsePointsCSV(text, catalog),
  };
}
