// The fork form of the side-by-side panel (compare.js): what to change — a menu of fork.js's parameters — and the
// new value, a menu of its choices or a text box prefilled with a sensible change, then **Fork**. A value that
// cannot be read says so under the form.

import { el } from "./dom.js";
import { forkParameters, parseValue } from "./fork.js";
import { getPath } from "./state.js";

/** @typedef {import("./state.js").Store} Store */
/** @typedef {import("./catalog.js").Catalog} Catalog */

export class ForkForm {
  /**
   * @param {{store: Store, catalog: Catalog, error: HTMLElement,
   *   onFork: (path: string, value: any, label: string) => any}} deps `error`: where a bad value is said
   */
  constructor({ store, catalog, error, onFork }) {
    this.store = store;
    this.catalog = catalog;
    this.error = error;
    this.onFork = onFork;
    this.params = forkParameters(catalog);
    this.param = el("select", { "data-testid": "fork-param", "aria-label": "What to change",
      onchange: () => this.valueEditor() });
    this.param.append(...this.params.map((p) => el("option", { value: p.path, text: p.label })));
    this.valueBox = el("span", { class: "fork-value" });
    const button = el("button", { type: "button", class: "btn", "data-testid": "fork", text: "Fork",
      title: "Start a second run of this scene with the one change", onclick: () => this.submit() });
    this.box = /** @type {HTMLDetailsElement} */ (el("details", { class: "fork-more" },
      el("summary", { text: "Fork this scene with one change…" }),
      el("div", { class: "fork-form" }, this.param, this.valueBox, button)));
    this.box.open = true;
    this.valueEditor();
  }

  current() {
    return this.params.find((p) => p.path === this.param.value) || this.params[0];
  }

  /** The value input for the chosen parameter: a menu of its choices, or a text box prefilled with a change. */
  valueEditor() {
    const p = this.current();
    const now = getPath(this.store.config, p.path);
    let input;
    if (p.choices && p.choices.length) {
      input = el("select", { "data-testid": "fork-value", "aria-label": `New ${p.label}` });
      const select = /** @type {HTMLSelectElement} */ (input);
      input.append(...p.choices.map((c) => el("option", { value: c, text: c })));
      const other = p.choices.find((c) => c !== now);
      if (other) select.value = other;
    } else {
      input = el("input", { type: "text", inputmode: "decimal", "data-testid": "fork-value", "aria-label": `New ${p.label}`,
        autocomplete: "off", spellcheck: "false" });
      if (p.kind === "layers") input.value = Array.isArray(now) ? [...now, now.length ? now[now.length - 1] : 8].join(", ") : "8";
      else if (p.path === "training.learning_rate" && typeof now === "number") input.value = String(now * 10);
      else if (p.path === "seed") input.value = String((now || 0) + 1);
      else if (p.path === "training.momentum") input.value = "0.9";
      else if (typeof now === "number") input.value = String(now);
    }
    this.valueBox.replaceChildren(input);
    this.valueInput = /** @type {HTMLInputElement} */ (input);
  }

  /** Read the value and fork (null when it cannot be read: the error says why). */
  submit() {
    this.error.textContent = "";
    const p = this.current();
    let value;
    try {
      value = parseValue(p, this.valueInput.value);
    } catch (err) {
      this.error.textContent = err.message;
      return null;
    }
    const base = this.store.config;
    const classicBase = base && this.catalog.classic(base);
    const note = p.path === "network.hidden" && Array.isArray(value) && value.length && classicBase ? " (backprop)" : "";
    const label = `${p.label} = ${Array.isArray(value) ? value.join("-") || "none" : value}${note}`;
    return this.onFork(p.path, value, label);
  }
}
