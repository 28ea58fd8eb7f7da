// The JSON API (docs/api.md): the catalog that every menu is built from, activation curves, dataset previews.
// Errors come back as Error objects whose message is the server's readable detail (it names the field).

/** A readable message from an error body: the app's 422 list (`{field, value, allowed, message}`, the message
 * names the field), FastAPI's own 422 list (`{loc, msg}`), a `{message}` or a plain string. */
function errorText(detail, response) {
  const one = (d) => {
    if (typeof d === "string") return d;
    if (d && d.message) return d.message;
    if (d && d.msg) {
      const where = Array.isArray(d.loc) ? d.loc.filter((k) => k !== "body").join(".") : "";
      return where ? `${where}: ${d.msg}` : d.msg;
    }
    return JSON.stringify(d);
  };
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail) && detail.length) return detail.map(one).join("; ");
  if (detail && typeof detail === "object") return one(detail);
  return `${response.status} ${response.statusText}`;
}

/** A refused request: the server's readable detail, its HTTP status and the field it names (or null). */
export class ApiError extends Error {
  /**
   * @param {string} message
   * @param {number} status
   * @param {string | null} field
   */
  constructor(message, status, field) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

/**
 * Fetch JSON from the app: GET by default, or `{method: "POST", body}` (sent as JSON). A failure throws an
 * ApiError whose message is the server's readable detail, with `status` and (when the server names one) `field`.
 * @param {string} path
 * @param {{method?: string, body?: any}} options
 */
export async function requestJSON(path, { method = "GET", body = undefined } = {}) {
  /** @type {Record<string, string>} */
  const headers = { Accept: "application/json" };
  /** @type {RequestInit} */
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = data && data.detail;
    const first = Array.isArray(detail) ? detail[0] : detail;
    const field = first && typeof first === "object" && first.field ? first.field : null;
    throw new ApiError(errorText(detail, response), response.status, field);
  }
  return data;
}

const getJSON = (path) => requestJSON(path);

/** A catalog section (name → spec, as GET /api/catalog sends every section) as a list of `{name, ...spec}`. */
function entries(section) {
  return Object.entries(section || {}).map(([name, spec]) => ({ name, ...spec }));
}

/**
 * The catalog (nncore.catalog() plus the `server` key) with every section as a list. Activations are split into
 * the hidden ones and the output ones by their `hidden`/`output` flags; features (name → label) become
 * `{name, formula: label}`; `fields` keeps the config sections' plain fields as lists (a top-level field such as
 * `seed` stays in `raw.fields`).
 */
export function normalizeCatalog(raw) {
  const cat = raw || {};
  const activations = entries(cat.activations);
  const fields = {};
  for (const [section, spec] of Object.entries(cat.fields || {})) {
    if (!("kind" in spec)) fields[section] = entries(spec);
  }
  return {
    raw: cat,
    activations: activations.filter((a) => a.hidden),
    outputActivations: activations.filter((a) => a.output),
    losses: entries(cat.losses),
    optimizers: entries(cat.optimizers).map((o) => ({ ...o, hyper: entries(o.hyper) })),
    rules: entries(cat.rules),
    datasets: entries(cat.datasets).map((d) => ({ ...d, params: entries(d.params) })),
    features: Object.entries(cat.features || {}).map(([name, label]) => ({ name, formula: label })),
    // aliases (same_as) stay out of the menu; a config that names one still shows it
    initializers: entries(cat.initializers).filter((i) => !i.same_as),
    limits: cat.limits || {},
    server: cat.server || {},
    defaults: cat.defaults || null,
    fields, // section → [{name, kind, default, min, max, doc}] for the config's plain fields
  };
}

export async function getCatalog() {
  return normalizeCatalog(await getJSON("/api/catalog"));
}

/** {name, formula, derivative, output, x, f, df} of an activation for plotting (the server's y and dy as f, df). */
export async function getActivation(name, { lo = -4, hi = 4, n = 161 } = {}) {
  const q = new URLSearchParams({ lo: String(lo), hi: String(hi), n: String(n) });
  const body = await getJSON(`/api/activations/${encodeURIComponent(name)}?${q}`);
  return { ...body, f: body.y, df: body.dy };
}

/** Points and labels of a preset dataset. */
export async function getDataset(name, values = {}) {
  const q = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== undefined && v !== null));
  return getJSON(`/api/datasets/${encodeURIComponent(name)}?${q}`);
}

/** `{lessons: [{id, number, title, era, claim, side_by_side}, …]}` (docs/lessons.md). */
export const getLessons = () => getJSON("/api/lessons");

/** One lesson with its config, display, base_label and variants. */
export const getLesson = (id) => getJSON(`/api/lessons/${encodeURIComponent(id)}`);

/** The loss surface of a single backprop-trained neuron: body `{config, grid, w1_range, w2_range}`. */
export const postLandscape = (body) => requestJSON("/api/landscape", { method: "POST", body });

export const api = { getCatalog, getActivation, getDataset, normalizeCatalog, getLessons, getLesson, postLandscape };
