// The inputs the control groups share: menus filled from catalog lists, a labelled input for a parameter
// description (nncore/params.py: kind, default, min, max, choices, doc), and reading an input's value.

import { el } from "../dom.js";
import { fmt } from "../format.js";
import { getPath } from "../state.js";

/** @typedef {import("../types.js").ParamSpec} ParamSpec */
/** @typedef {import("../types.js").Config} Config */

/** Human label for an identifier: "learning_rate" → "learning rate". */
export const human = (name) => String(name).replace(/_/g, " ");

/**
 * Fill a menu with catalog entries `{name, …}` (the title shows the formula or the description).
 * @param {HTMLSelectElement} select
 * @param {{name: string, [key: string]: any}[]} items
 */
export function fillSelect(select, items, label = (it) => it.label || human(it.name)) {
  select.replaceChildren(...items.map((it) => el("option", { value: it.name, title: it.formula || it.doc || it.description },
    label(it))));
}

/** Show `value` in a menu, adding it when the menu lacks it (an alias, or a name the server will refuse). */
export function setSelect(select, value) {
  if (value === undefined || value === null) return;
  if (![...select.options].some((o) => o.value === value)) select.append(el("option", { value }, human(value)));
  select.value = value;
}

/**
 * A labelled input for one config path.
 * @param {string} path the dotted config path it edits
 * @param {ParamSpec} spec
 * @param {{label?: string, live?: string | null, backpropOnly?: boolean, slider?: boolean}} options
 *   `live`: the key a live `set` sends (the change applies without a reset)
 */
export function paramField(path, spec, { label, live = null, backpropOnly = false, slider = false } = {}) {
  const id = "f-" + path.replace(/[^a-z0-9]+/gi, "-");
  const kind = spec.kind || "float";
  let input;
  if (kind === "bool") {
    input = el("input", { type: "checkbox", id });
  } else if (kind === "choice") {
    input = el("select", { id }, (spec.choices || []).map((c) => el("option", { value: c }, human(c))));
  } else if (slider && kind === "float" && spec.min !== undefined && spec.max !== undefined) {
    input = el("input", { type: "range", id, min: spec.min, max: spec.max, step: (spec.max - spec.min) / 100 });
  } else {
    input = el("input", { type: "number", id, min: spec.min, max: spec.max, step: kind === "int" ? 1 : "any",
      inputmode: kind === "int" ? "numeric" : "decimal" });
  }
  input.dataset.path = path;
  input.dataset.kind = kind;
  if (live) input.dataset.live = live;
  const name = label || human(path.split(".").pop());
  const out = input instanceof HTMLInputElement && input.type === "range" ? el("output", { for: id }) : null;
  return el("div", { class: `field param${kind === "bool" ? " check" : ""}${backpropOnly ? " backprop-only" : ""}`,
    dataset: { field: path }, title: spec.doc || "" },
  kind === "bool" ? el("label", { for: id }, input, " ", name)
    : [el("label", { for: id }, name, live ? el("small", {}, " (live)") : null, " ", out), input],
  el("p", { class: "field-error", role: "alert" }));
}

/**
 * The value of an input: a boolean, a choice, or a number — text that is not a number is sent as typed, and the
 * server's error names the field and the allowed range.
 * @param {HTMLInputElement | HTMLSelectElement} input
 */
export function readInput(input) {
  if (input.dataset.kind === "bool") return /** @type {HTMLInputElement} */ (input).checked;
  if (input.dataset.kind === "choice") return input.value;
  const text = String(input.value).trim();
  const value = Number(text);
  return text !== "" && Number.isFinite(value) ? value : text;
}

/**
 * Show the config's values in the parameter inputs under `root` (not the one being typed in, nor one whose value
 * the server refused: the user's text stays until corrected).
 * @param {ParentNode} root
 * @param {Config} config
 */
export function syncParams(root, config) {
  for (const input of /** @type {NodeListOf<HTMLInputElement>} */ (root.querySelectorAll(".params [data-path]"))) {
    if (document.activeElement === input || input.closest(".has-error")) continue;
    const value = getPath(config, input.dataset.path);
    if (input.dataset.kind === "bool") input.checked = Array.isArray(value) ? value.some(Boolean) : Boolean(value);
    else if (value !== undefined && value !== null) input.value = String(value);
    const out = input.closest(".field").querySelector("output");
    if (out && value !== undefined && value !== null) out.textContent = fmt(Number(value), 2);
  }
}

/**
 * Listen to the parameter inputs inside `box`: a change is sent live (`onLive(path, value, key)`) or becomes the
 * config's (`onChange(path, value)`); a slider shows its value as it moves.
 * @param {HTMLElement} box
 */
export function onParams(box, { onChange, onLive }) {
  box.addEventListener("change", (e) => {
    const input = /** @type {HTMLInputElement} */ (/** @type {HTMLElement} */ (e.target).closest("[data-path]"));
    if (!input || !input.dataset.kind) return;
    const value = readInput(input);
    if (input.dataset.live) onLive(input.dataset.path, value, input.dataset.live);
    else onChange(input.dataset.path, value);
  });
  box.addEventListener("input", (e) => {
    const input = /** @type {HTMLInputElement} */ (e.target);
    if (input.type !== "range") return;
    const out = input.closest(".field").querySelector("output");
    if (out) out.textContent = fmt(Number(input.value), 2);
  });
}
