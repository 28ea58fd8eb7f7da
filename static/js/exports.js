// Share and keep: copy the scene's link, export the plots as one PNG, the weights + config as JSON (a config that
// POST /api/train and `configure` accept, with the trained weights as its initial weights), the points as CSV;
// import a CSV of points (x1,x2,label — a header line is optional; integer labels 0–7 make a classification
// set, any other numbers a regression set).

import { MAX_CLASSES, clone } from "./state.js";

const MAX_POINTS = 5000;
const $ = (sel) => document.querySelector(sel);

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

function baseName(ctx) {
  const c = ctx.store.config || {};
  const data = c.data || {};
  const name = Array.isArray(data.points) ? "drawn" : data.dataset || "scene";
  const epoch = ctx.store.lastFrame ? ctx.store.lastFrame.epoch : 0;
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

/** One PNG with the output plane, the loss curves and (when it can draw itself) the network diagram. */
export async function plotsPNG(ctx) {
  const sources = [];
  for (const view of [ctx.plane, ctx.curves, ctx.network]) {
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

/** The run as JSON: the normalized config with the current weights as its initial weights, plus the metrics. */
export function runJSON(ctx) {
  const config = clone(ctx.store.applied || ctx.store.config);
  const frame = ctx.store.lastFrame;
  if (frame && frame.weights && config && config.network) config.network.weights = clone(frame.weights);
  return {
    nnlive: document.querySelector("#app").dataset.version,
    exported: new Date().toISOString(),
    epoch: frame ? frame.epoch : 0,
    step: frame ? frame.step : 0,
    metrics: frame ? frame.metrics : null,
    config,
  };
}

/** The points as CSV: x1,x2,label,split (train/test as the server split them). */
export function pointsCSV(ctx) {
  const d = ctx.store.data;
  const rows = ["x1,x2,label,split"];
  if (d) {
    for (const [split, part] of [["train", d.train], ["test", d.test]]) {
      if (!part) continue;
      part.points.forEach((p, k) => rows.push(`${p[0]},${p[1]},${part.labels[k]},${split}`));
    }
  }
  return rows.join("\n") + "\n";
}

/** Parse a CSV of points; returns {points, labels, task} or throws an Error naming the line and the column. */
export function parsePointsCSV(text) {
  const lines = String(text).split(/\r?\n/);
  const points = [];
  const labels = [];
  lines.forEach((raw, n) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const cells = line.split(/[,;\t]/).map((c) => c.trim());
    if (points.length === 0 && labels.length === 0 && cells.some((c) => c !== "" && Number.isNaN(Number(c))) &&
        /x|label|class|y/i.test(line)) return; // the header
    if (cells.length < 3) throw new Error(`line ${n + 1}: expected x1,x2,label — found ${cells.length} value(s)`);
    const names = ["x1", "x2", "label"];
    const values = cells.slice(0, 3).map((c, k) => {
      const v = Number(c);
      if (c === "" || !Number.isFinite(v)) throw new Error(`line ${n + 1}: ${names[k]} ${JSON.stringify(c)} is not a number`);
      return v;
    });
    points.push([values[0], values[1]]);
    labels.push(values[2]);
  });
  if (!points.length) throw new Error("the file has no points (expected lines of x1,x2,label)");
  if (points.length > MAX_POINTS) throw new Error(`the file has ${points.length} points; at most ${MAX_POINTS} are allowed`);
  const classification = labels.every((l) => Number.isInteger(l) && l >= 0 && l < MAX_CLASSES);
  return { points, labels, task: classification ? "classification" : "regression" };
}

async function copyLink(ctx) {
  await ctx.store.flushHash();
  const url = location.href;
  try {
    await navigator.clipboard.writeText(url);
    ctx.store.message("Link copied: it restores this scene, your points included.", { kind: "info" });
  } catch {
    window.prompt("Copy this link:", url);
  }
}

export function initExports(ctx) {
  const menu = $("#export-menu");
  const close = () => { if (menu) menu.open = false; };
  const guard = (fn) => async () => {
    close();
    try {
      await fn();
    } catch (err) {
      ctx.store.message(`Export failed: ${err.message}`, { kind: "error" });
    }
  };
  $("#copy-link").addEventListener("click", guard(() => copyLink(ctx)));
  $("#export-png").addEventListener("click", guard(async () => {
    const url = await plotsPNG(ctx);
    download(`${baseName(ctx)}.png`, await (await fetch(url)).blob());
  }));
  $("#export-json").addEventListener("click", guard(() => {
    download(`${baseName(ctx)}.json`, new Blob([JSON.stringify(runJSON(ctx), null, 1)], { type: "application/json" }));
  }));
  $("#export-csv").addEventListener("click", guard(() => {
    download(`${baseName(ctx)}.csv`, new Blob([pointsCSV(ctx)], { type: "text/csv" }));
  }));
  $("#import-csv").addEventListener("change", async (e) => {
    const file = e.target.files && e.target.files[0];
    e.target.value = "";
    close();
    if (!file) return;
    try {
      const { points, labels, task } = parsePointsCSV(await file.text());
      const c = clone(ctx.store.config);
      c.data = { points, labels, test_fraction: c.data && c.data.test_fraction !== undefined ? c.data.test_fraction : 0, task };
      if (ctx.controls) ctx.controls.harmonize(c, task === "regression" ? { task: "regression", classes: null } : null,
        task === "regression" ? null : labels);
      ctx.store.setConfig(c);
      ctx.store.message(`Imported ${points.length} points from ${file.name}.`, { kind: "info" });
    } catch (err) {
      ctx.store.message(`Could not import ${file.name}: ${err.message}`, { kind: "error", field: "data.labels" });
    }
  });
  // for the tests and the console
  ctx.exports = { plotsPNG: () => plotsPNG(ctx), runJSON: () => runJSON(ctx), pointsCSV: () => pointsCSV(ctx), parsePointsCSV };
}
