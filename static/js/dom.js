// Small DOM helpers shared by the page's modules.

/**
 * Create an element: `el("button", {class: "primary", onclick: go, "data-testid": "play"}, "Play")`.
 * Attributes: `class`, `text` (textContent), `dataset` (an object), `on<event>` (a listener); `true` sets an empty
 * attribute, and `false`, `null` and `undefined` leave it out. Children may be nodes, strings or arrays of them.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

/** Show a catalog formula with its exponents raised: "e^{−a}" and "x^2" become e<sup>−a</sup> and x<sup>2</sup>. */
export function showFormula(node, text) {
  const parts = String(text ?? "").split(/\^(\{[^}]*\}|[^\s{])/);
  node.replaceChildren(...parts.map((part, i) => (i % 2 ? el("sup", {}, part.replace(/^\{|\}$/g, "")) : part)));
}

/**
 * The element matching `sel` (the page's own markup: it is there).
 * @param {string} sel
 * @returns {HTMLElement}
 */
export const $ = (sel) => /** @type {HTMLElement} */ (document.querySelector(sel));

/**
 * The input matching `sel`.
 * @param {string} sel
 * @returns {HTMLInputElement}
 */
export const inputAt = (sel) => /** @type {HTMLInputElement} */ (document.querySelector(sel));

/**
 * The select matching `sel`.
 * @param {string} sel
 * @returns {HTMLSelectElement}
 */
export const selectAt = (sel) => /** @type {HTMLSelectElement} */ (document.querySelector(sel));

/**
 * The element an event happened on, as an HTMLElement (for `closest`, `dataset`).
 * @param {Event} e
 * @returns {HTMLElement}
 */
export const targetOf = (e) => /** @type {HTMLElement} */ (e.target);
