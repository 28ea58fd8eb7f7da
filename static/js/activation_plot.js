// A small plot of an activation f (solid) and its derivative f′ (dashed), beside the activation menu and in the
// lessons' gallery.

import { AXIS_COLOR, PALETTE } from "./colors.js";

/**
 * A small plot of an activation f (solid) and its derivative f′ (dashed) over `x`; `df` may be null (softmax).
 * @param {HTMLElement} el
 * @param {{name: string, x: number[], f: number[], df: number[] | null}} curve
 * @returns {Promise} Plotly's promise.
 */
export function plotActivation(el, { name, x, f, df }) {
  el.classList.add("viz-activation");
  const font = { size: 9, color: AXIS_COLOR };
  const traces = [{ type: "scatter", mode: "lines", x, y: f, name: `${name}(a)`, line: { color: PALETTE[0], width: 2 }, hoverinfo: "skip" }];
  if (df) traces.push({ type: "scatter", mode: "lines", x, y: df, name: `${name}′(a)`, line: { color: PALETTE[1], width: 2, dash: "dash" }, hoverinfo: "skip" });
  const layout = {
    margin: { l: 24, r: 6, t: 18, b: 16 },
    xaxis: { tickfont: font, zeroline: true, zerolinecolor: "#d5dbe1", showgrid: false, fixedrange: true, nticks: 5 },
    yaxis: { tickfont: font, zeroline: true, zerolinecolor: "#d5dbe1", showgrid: false, fixedrange: true, nticks: 4 },
    legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom", font: { size: 9 } },
    showlegend: true, plot_bgcolor: "rgba(0,0,0,0)", paper_bgcolor: "rgba(0,0,0,0)",
  };
  return window.Plotly.react(el, traces, layout, { staticPlot: true, responsive: true });
}
