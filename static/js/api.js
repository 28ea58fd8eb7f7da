// The JSON API (docs/api.md): requests with the server's refusals as readable errors (the catalog itself is read by
// catalog.js), activation curves, lessons and the loss landscape.

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
 * Fetch JSON from the app: GET by default, or `{method: "POST", body}` (sent as JSON); `token` goes as
 * `Authorization: Bearer <token>` (a saved scene's edit token). A failure throws an ApiError whose message is the
 * server's readable detail, with `status` and (when the server names one) `field`. A 204 answers null.
 * @param {string} path
 * @param {{method?: string, body?: any, token?: string}} options
 */
export async function requestJSON(path, { method = "GET", body = undefined, token = undefined } = {}) {
  /** @type {Record<string, string>} */
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
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

/** {name, formula, derivative, output, x, f, df} of an activation for plotting (the server's y and dy as f, df). */
export async function getActivation(name, { lo = -4, hi = 4, n = 161 } = {}) {
  const q = new URLSearchParams({ lo: String(lo), hi: String(hi), n: String(n) });
  const body = await getJSON(`/api/activations/${encodeURIComponent(name)}?${q}`);
  return { ...body, f: body.y, df: body.dy };
}

/** `{lessons: [{id, number, title, era, claim, side_by_side}, …]}` (docs/lessons.md). */
export const getLessons = () => getJSON("/api/lessons");

/** One lesson with its config, display, base_label and variants. */
export const getLesson = (id) => getJSON(`/api/lessons/${encodeURIComponent(id)}`);

/** The loss surface of a single backprop-trained neuron: body `{config, grid, w1_range, w2_range}`. */
export const postLandscape = (body) => requestJSON("/api/landscape", { method: "POST", body });
