// The page's words in the learner's language (docs/ui.md, "Languages"). The server puts one message catalog into
// the page (`<script id="i18n" type="application/json">`: {lang, languages, messages}, app/i18n.py), chosen by
// `?lang=` or the browser's preferred languages; this module formats its messages:
//
//   t(key, params)   a message with its parameters filled in, in a subset of ICU MessageFormat:
//                    {name}  {name, number}  {name, number, percent}
//                    {n, plural, =0 {…} one {# epoch} other {# epochs}}   (Intl.PluralRules; # is n, formatted)
//                    {kind, select, int {…} other {…}}
//   number(v, opts)  Intl.NumberFormat in the page's language
//   lang, languages  the page's language and the ones it offers
//
// Hand-written rather than a library (FormatJS's intl-messageformat): the page has no build step and that
// package comes as a tree of bare-specifier modules; this subset is the whole of what the catalogs use, and
// tests/static/test_i18n.py checks every message of every catalog parses.

/** @typedef {{[key: string]: any}} Params */

/** The catalog the server put into the page; a page without one (the views' bench, static/viz_demo.html) asks
 * GET /api/messages/<lang> (`?lang=`, else English). */
async function load() {
  const source = document.getElementById("i18n");
  if (source) return JSON.parse(source.textContent || "{}");
  const lang = new URLSearchParams(location.search).get("lang") || "en";
  const response = await fetch(`/api/messages/${encodeURIComponent(lang)}`);
  return response.json();
}

const data = await load();

/** The page's language ("en", "ko"), as `<html lang>` says. */
export const lang = /** @type {string} */ (data.lang);
/** The languages the page offers, each with its own name: [["en", "English"], ["ko", "한국어"]]. */
export const languages = /** @type {[string, string][]} */ (data.languages);
/** @type {{[key: string]: string}} */
const messages = data.messages;

const plurals = new Intl.PluralRules(lang);
const numbers = new Map();

/** `v` formatted for the page's language (grouping, decimal sign); `options` as Intl.NumberFormat's. */
export function number(v, options = {}) {
  const id = JSON.stringify(options);
  if (!numbers.has(id)) numbers.set(id, new Intl.NumberFormat(lang, { maximumFractionDigits: 6, ...options }));
  return numbers.get(id).format(v);
}

// ---- parsing: a message becomes a list of parts (text, or an argument with its branches) ------------------

/** @typedef {string | {name: string, type: string, style: string, branches: {[k: string]: Part[]}}} Part */

/** Parse `text` from `i`; stops at an unmatched "}" (the end of a branch). @returns {[Part[], number]} */
function parse(text, i = 0, inPlural = false) {
  /** @type {Part[]} */
  const parts = [];
  let buf = "";
  while (i < text.length) {
    const ch = text[i];
    if (ch === "}") break;
    if (ch === "#" && inPlural) {
      if (buf) parts.push(buf);
      buf = "";
      parts.push({ name: "#", type: "", style: "", branches: {} });
      i += 1;
    } else if (ch === "{") {
      if (buf) parts.push(buf);
      buf = "";
      const [arg, next] = parseArg(text, i + 1);
      parts.push(arg);
      i = next;
    } else {
      buf += ch;
      i += 1;
    }
  }
  if (buf) parts.push(buf);
  return [parts, i];
}

/** An argument after its "{": name, type, style and (plural/select) branches, up to its "}". */
function parseArg(text, i) {
  const head = /^\s*([\w.]+)\s*(?:,\s*(\w+)\s*)?(?:,\s*)?/.exec(text.slice(i));
  if (!head) throw new Error(`bad message argument at ${i}: ${text}`);
  const [matched, name, type = ""] = head;
  i += matched.length;
  const branches = {};
  let style = "";
  if (type === "plural" || type === "select") {
    for (;;) {
      const sel = /^\s*(=?[\w-]+)\s*\{/.exec(text.slice(i));
      if (!sel) break;
      const [body, end] = parse(text, i + sel[0].length, type === "plural");
      branches[sel[1]] = body;
      i = end + 1;
    }
    if (!branches.other) throw new Error(`a ${type} needs an 'other' branch: ${text}`);
  } else {
    const rest = /^([^}]*)/.exec(text.slice(i));
    style = rest ? rest[1].trim() : "";
    i += style.length + (rest ? rest[1].length - style.length : 0);
  }
  while (text[i] === " ") i += 1;
  if (text[i] !== "}") throw new Error(`unclosed argument '${name}' in: ${text}`);
  return [{ name, type, style, branches }, i + 1];
}

const parsed = new Map();

/** The parts of message `key` (parsed once). */
function partsOf(key) {
  if (!parsed.has(key)) parsed.set(key, parse(messages[key])[0]);
  return parsed.get(key);
}

/** @param {Part[]} parts @param {Params} params @param {number | null} count the plural's number, for # */
function render(parts, params, count = null) {
  let out = "";
  for (const part of parts) {
    if (typeof part === "string") {
      out += part;
      continue;
    }
    if (part.name === "#") {
      out += number(/** @type {number} */ (count));
      continue;
    }
    const value = params[part.name];
    if (part.type === "plural") {
      const branch = part.branches[`=${value}`] || part.branches[plurals.select(value)] || part.branches.other;
      out += render(branch, params, value);
    } else if (part.type === "select") {
      out += render(part.branches[String(value)] || part.branches.other, params, count);
    } else if (part.type === "number") {
      out += number(value, part.style === "percent" ? { style: "percent", maximumFractionDigits: 1 } : {});
    } else {
      out += value === undefined || value === null ? "" : String(value);
    }
  }
  return out;
}

/** Whether the catalog has `key`. */
export const has = (key) => Object.prototype.hasOwnProperty.call(messages, key);

/**
 * Message `key` with `params` filled in. A missing key is a bug the catalog tests catch; the page shows the key.
 * @param {string} key
 * @param {Params} [params]
 */
export function t(key, params = {}) {
  if (!has(key)) return key;
  return render(partsOf(key), params);
}

/** `key`'s message if the catalog has it, else `fallback` (a name the catalog need not translate: "relu"). */
export const tOr = (key, fallback, params = {}) => (has(key) ? t(key, params) : fallback);

/** "a, b and c" in the page's language. @param {string[]} items */
export const listOf = (items) => new Intl.ListFormat(lang, { type: "conjunction" }).format(items);

/** The page's address in language `code` (the scene, the lesson and the other flags stay). */
export function urlFor(code) {
  const url = new URL(location.href);
  url.searchParams.set("lang", code);
  return url.toString();
}

/** The language menu in the top bar: choosing a language reloads the page in it (the URL keeps the scene). */
export function initLanguagePick() {
  const select = /** @type {HTMLSelectElement | null} */ (document.getElementById("lang"));
  if (select) select.addEventListener("change", () => location.assign(urlFor(select.value)));
}
