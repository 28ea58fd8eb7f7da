// Editing the weights from the keyboard, on the focused network diagram (docs/ui.md, "Keyboard"): ← and → step
// through every weight and bias (layer by layer: each neuron's incoming weights, then its bias), ↑ and ↓ jump to
// the neuron before or after, Enter opens the diagram's own editor on the chosen one (network_view.js), and the
// focus comes back here when it closes. The chosen weight is outlined and named under the diagram.

import { fixed } from "./format.js";
import { t } from "./i18n.js";

/** @typedef {import("./network_view.js").NetworkView} NetworkView */
/** @typedef {{kind: "W" | "b", L: number, i: number | null, j: number}} Item */

/**
 * Every editable number of a network's weights, in order: for each layer L and neuron j, W[L][i][j] for every
 * input i, then b[L][j].
 * @param {{W: number[][], b: number[]}[]} weights
 * @returns {Item[]}
 */
export function editableItems(weights) {
  const items = [];
  weights.forEach(({ W, b }, L) => {
    b.forEach((_, j) => {
      W.forEach((_row, i) => items.push({ kind: "W", L, i, j }));
      items.push({ kind: "b", L, i: null, j });
    });
  });
  return items;
}

export class WeightKeys {
  /** @param {{network: NetworkView, canEdit: () => boolean}} deps `canEdit`: false while nothing can be sent */
  constructor({ network, canEdit }) {
    this.network = network;
    this.canEdit = canEdit;
    this.el = network.el;
    this.at = 0;
    this.key = document.getElementById("network-key");
    this.el.addEventListener("keydown", (e) => this.onKey(e));
    this.el.addEventListener("focus", () => this.show());
    this.el.addEventListener("blur", () => this.clear());
  }

  items() {
    const weights = this.network.frame?.weights;
    return weights ? editableItems(weights) : [];
  }

  /** @param {KeyboardEvent} e */
  onKey(e) {
    if (e.target !== this.el || e.ctrlKey || e.metaKey || e.altKey) return;
    const items = this.items();
    if (!items.length) return;
    const item = items[Math.min(this.at, items.length - 1)];
    const sameNeuron = (it) => it.L === item.L && it.j === item.j;
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      this.at = (this.at + (e.key === "ArrowRight" ? 1 : -1) + items.length) % items.length;
    } else if (e.key === "ArrowDown") {
      const next = items.findIndex((it, k) => k > this.at && !sameNeuron(it));
      this.at = next >= 0 ? next : 0;
    } else if (e.key === "ArrowUp") {
      const first = items.findIndex(sameNeuron);
      const before = first > 0 ? items[first - 1] : items[items.length - 1];
      this.at = items.findIndex((it) => it.L === before.L && it.j === before.j);
    } else if (e.key === "Enter") {
      if (this.canEdit()) this.edit(item);
    } else {
      return; // the page's keys (space, s, r, …) go on to the page
    }
    e.preventDefault();
    e.stopPropagation();
    this.show();
  }

  /** The diagram's editor on `item`, next to it; the focus returns to the diagram when it closes. */
  edit(item) {
    const layout = this.network.layout;
    if (!layout) return;
    const [x, y] = item.kind === "W" ? this.linkMiddle(item) : layout.columns[item.L + 1][item.j];
    this.network.openEditor({ kind: item.kind, L: item.L, i: item.i, j: item.j }, x, y);
    const input = this.network.editor.box?.querySelector("input");
    input?.addEventListener("blur", () => setTimeout(() => this.el.focus({ preventScroll: true }), 0), { once: true });
  }

  linkMiddle(item) {
    const [a, y1, , , , y2, b] = this.network.layout.link(item.L, item.i, item.j);
    return [(a + b) / 2, (y1 + y2) / 2];
  }

  clear() {
    this.el.querySelector(".key-chosen")?.classList.remove("key-chosen", "hover");
    this.network.chooseLink(null);
    if (this.key && !this.network.editor.open) this.key.textContent = "";
  }

  /** Outline the chosen weight or bias and name it, with its value. */
  show() {
    const items = this.items();
    this.clear();
    if (!items.length || !this.key) return;
    this.at = Math.min(this.at, items.length - 1);
    const item = items[this.at];
    const weights = this.network.frame.weights[item.L];
    const value = item.kind === "W" ? weights.W[item.i][item.j] : weights.b[item.j];
    const id = item.kind === "W" ? `link-${item.L}-${item.i}-${item.j}` : `neuron-${item.L}-${item.j}`;
    this.el.querySelector(`[data-testid="${id}"]`)?.classList.add("key-chosen", "hover");
    if (item.kind === "W") this.network.chooseLink({ L: item.L, i: item.i ?? 0, j: item.j }); // links live on a canvas
    const name = item.kind === "W" ? `w[${item.L}][${item.i}→${item.j}]` : `b[${item.L}][${item.j}]`;
    this.key.textContent = t("keys.weight", { name, value: fixed(value) });
  }
}
