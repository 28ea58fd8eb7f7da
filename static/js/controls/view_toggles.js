// The view's toggles: discretize the plane, show the test points, the loss curves on a log scale. They change
// only how things are drawn (store.view), never the run.

import { inputAt } from "../dom.js";

/** @typedef {import("../state.js").Store} Store */

const TOGGLES = [["#discretize", "discretize"], ["#show-test", "showTest"], ["#log-scale", "logScale"]];

/** @param {Store} store */
export function initViewToggles(store) {
  for (const [sel, key] of TOGGLES) {
    const box = inputAt(sel);
    box.addEventListener("change", () => store.setView({ [key]: box.checked }));
  }
  const sync = () => {
    for (const [sel, key] of TOGGLES) inputAt(sel).checked = Boolean(store.view[key]);
  };
  store.on("view", sync);
  store.on("config", sync);
}
