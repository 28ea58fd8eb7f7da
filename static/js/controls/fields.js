// The inputs the control groups share: menus filled from catalog lists, a labelled input for a parameter
// description (nncore/params.py: kind, default, min, max, choices, nullable, allowed, doc), and reading and
// checking an input's value. Numbers are typed into text fields, so what the user typed ("abc") is what an error
// quotes; the check uses the engine's own words for what is allowed (the catalog's `allowed`).

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
 * Give an input what `readInput` and `checkInput` need: its config path and the parameter's kind, range and words.
 * @param {HTMLInputElement | HTMLSelectElement} input
 * @param {string} path
 * @param {ParamSpec} spec
 */
export function describeInput(input, path, spec) {
  input.dataset.path = path;
  input.dataset.kind = spec.kind || "float";
  for (const key of ["min", "max"]) if (spec[key] !== undefined) input.dataset[key] = String(spec[key]);
  if (spec.above_min) input.dataset.aboveMin = "true";
  if (spec.nullable) input.dataset.nullable = spec.nullable;
  if (spec.allowed) input.dataset.allowed = spec.allowed;
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
    input = el("input", { type: "text", id, inputmode: kind === "int" ? "numeric" : "decimal", autocomplete: "off",
      spellcheck: "false", placeholder: spec.nullable || null });
  }
  describeInput(input, path, spec);
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
 * The value of an input: a boolean, a choice, or a number — text that is not a number is returned as typed (and
 * `checkInput` says what is wrong with it). An empty field of a nullable number is null ("until paused").
 * @param {HTMLInputElement | HTMLSelectElement} input
 */
export function readInput(input) {
  if (input.dataset.kind === "bool") return /** @type {HTMLInputElement} */ (input).checked;
  if (input.dataset.kind === "choice") return input.value;
  const text = String(input.value).trim();
  if (text === "" && input.dataset.nullable) return null;
  const value = Number(text);
  return text !== "" && Number.isFinite(value) ? value : text;
}

/**
 * Check a number field before anything is sent: null when its value is allowed, else the problem
 * `{field, value, allowed}` in the engine's terms (the catalog's `allowed` text for the parameter).
 * @param {HTMLInputElement | HTMLSelectElement} input
 * @returns {{field: string, value: any, allowed: string} | null}
 */
export function checkInput(input) {
  const { kind, min, max, aboveMin, allowed } = input.dataset;
  if (kind !== "int" && kind !== "float") return null;
  const value = readInput(input);
  if (value === null) return null;
  const lo = min === undefined ? -Infinity : Number(min);
  const hi = max === undefined ? Infinity : Number(max);
  const ok = typeof value === "number" && (kind !== "int" || Number.isInteger(value))
    && (aboveMin ? value > lo : value >= lo) && value <= hi;
  return ok ? null : { field: input.dataset.path, value, allowed: allowed || `must be ${kind === "int" ? "an integer" : "a number"}` };
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
    else if (value === null && input.dataset.nullable) input.value = "";
    const out = input.closest(".field").querySelector("output");
    if (out && value !== undefined && value !== null) out.textContent = fmt(Number(value), 2);
  }
}

/**
 * Listen to the parameter inputs inside `box`: a change is checked (`onInvalid(problem)` when it is not allowed),
 * then sent live (`onLive(path, value, key)`) or becomes the config's (`onChange(path, value)`); a slider shows its
 * value as it moves; Enter in a text field applies it.
 * @param {HTMLElement} box
 * @param {{onChange: (path: string, value: any) => void, onLive: (path: string, value: any, key: string) => void,
 *   onInvalid: (problem: {field: string, value: any, allowed: string}) => void}} handlers
 */
export function onParams(box, { onChange, onLive, onInvalid }) {
  box.addEventListener("keydown", (e) => {
    const input = /** @type {HTMLElement} */ (e.target);
    if (e.key === "Enter" && input instanceof HTMLInputElement && input.type === "text") input.blur();
  });
  box.addEventListener("change", (e) => {
    const input = /** @type {HTMLInputElement} */ (/** @type {HTMLElement} */ (e.target).closest("[data-path]"));
    if (!input || !input.dataset.kind) return;
    const problem = checkInput(input);
    if (problem) {
      onInvalid(problem);
      return;
    }
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
