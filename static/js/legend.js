// A colour legend for a heatmap, drawn from the very scale the heatmap is painted with (scales.js): a bar of the
// scale's colours with the values at its ends and middle, two swatches for a discretized binary output, or one
// swatch per class for per-class planes. It redraws only when what it says changes.

import { PALETTE } from "./colors.js";
import { fmt } from "./format.js";
import { t } from "./i18n.js";

/** @typedef {import("./scales.js").Scale} Scale */
/**
 * @typedef {object} LegendText
 * @property {string} caption what the colours show ("output ŷ", "layer 1 · neuron 3 (tanh)")
 * @property {string} [note] a second line of small print (per-layer ranges, "paler: less sure")
 * @property {string[]} [ends] words for the bar's two ends instead of nothing ("class 0", "class 1")
 */

const BAR_WIDTH = 256;

export class Legend {
  /** @param {HTMLElement} el the element to draw into (it gets the class `viz-legend`) */
  constructor(el) {
    this.el = el;
    this.el.classList.add("viz-legend");
    this.el.dataset.testid ??= "legend";
    this.key = "";
  }

  /**
   * Show `scale` with `text`, or nothing (scale null).
   * @param {Scale | null} scale
   * @param {LegendText} [text]
   */
  show(scale, text = { caption: "" }) {
    const key = scale ? JSON.stringify([scale.kind, keyOf(scale), text]) : "";
    if (key === this.key) return;
    this.key = key;
    this.el.replaceChildren();
    this.el.hidden = !scale;
    delete this.el.dataset.lo;
    delete this.el.dataset.hi;
    if (!scale) return;
    this.el.dataset.kind = scale.kind === "classes" ? "classes" : scale.discrete ? "discrete" : "continuous";
    this.el.append(span("viz-legend-caption", text.caption));
    if (scale.kind === "classes") {
      const swatches = span("viz-legend-classes", "");
      for (let c = 0; c < scale.classes; c++) {
        const swatch = span("viz-legend-swatch", String(c));
        swatch.style.background = PALETTE[c % PALETTE.length];
        swatch.title = t("legend.class", { c });
        swatches.append(swatch);
      }
      this.el.append(swatches);
    } else {
      const lo = scale.centre - scale.halfWidth;
      const hi = scale.centre + scale.halfWidth;
      this.el.dataset.lo = String(lo);
      this.el.dataset.hi = String(hi);
      const [left, right] = text.ends ?? ["", ""];
      this.el.append(span("viz-legend-value", [fmt(lo), left].filter(Boolean).join(" ")), bar(scale),
        span("viz-legend-value", [fmt(hi), right].filter(Boolean).join(" ")));
      this.el.title = scale.discrete
        ? t("legend.discrete", { centre: fmt(scale.centre), left: left || t("legend.low"), right: right || t("legend.high") })
        : `${fmt(lo)} … ${fmt(scale.centre)} … ${fmt(hi)}`;
    }
    if (text.note) this.el.append(span("viz-legend-note", text.note));
  }
}

function keyOf(scale) {
  return scale.kind === "classes" ? [scale.classes, scale.discrete]
    : [scale.centre, scale.halfWidth, scale.discrete, scale.lut[0], scale.lut[383], scale.lut[765]];
}

function span(className, text) {
  const node = document.createElement("span");
  node.className = className;
  node.textContent = text;
  return node;
}

/** The scale's colours from its low end to its high end, one canvas pixel per table entry (scaled by CSS). */
function bar(scale) {
  const canvas = document.createElement("canvas");
  canvas.className = "viz-legend-bar";
  canvas.width = BAR_WIDTH;
  canvas.height = 1;
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(BAR_WIDTH, 1);
  for (let x = 0; x < BAR_WIDTH; x++) {
    const q = scale.discrete ? (x < BAR_WIDTH / 2 ? 0 : 255) : x;
    image.data.set([scale.lut[q * 3], scale.lut[q * 3 + 1], scale.lut[q * 3 + 2], 255], x * 4);
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}
