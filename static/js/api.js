// The JSON API (docs/api.md): the catalog that every menu is built from, activation curves, dataset previews.
// Errors come back as Error objects whose message is the server's readable detail (it names the field).

async function getJSON(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const detail = body && body.detail;
    const text = typeof detail === "string" ? detail
      : detail && detail.message ? detail.message
      : Array.isArray(detail) ? detail.map((d) => d.msg || d.message || JSON.stringify(d)).join("; ")
      : `${response.status} ${response.statusText}`;
    const err = new Error(text);
    err.status = response.status;
    err.field = detail && detail.field ? detail.field : null;
    throw err;
  }
  return body;
}

/** A catalog section as a list of `{name, ...spec}`, whether the server sent a list or a name → spec map. */
function entries(section) {
  if (!section) return [];
  if (Array.isArray(section)) {
    return section.map((item) => (typeof item === "string" ? { name: item } : { ...item }));
  }
  return Object.entries(section).map(([name, spec]) =>
    spec && typeof spec === "object" && !Array.isArray(spec) ? { name, ...spec }
      : { name, formula: typeof spec === "string" ? spec : undefined });
}

/** Parameter descriptions (Param.describe()) as a list of `{name, kind, default, min, max, choices, doc}`. */
function params(section) {
  return entries(section).map((p) => ({ kind: "float", ...p }));
}

/** The catalog with every section as a list, whatever its wire shape (see GET /api/catalog). */
export function normalizeCatalog(raw) {
  const cat = raw || {};
  const optimizers = entries(cat.optimizers).map((o) => ({
    ...o, hyper: params(o.hyper || o.hyperparameters || o.params),
  }));
  const datasets = entries(cat.datasets).map((d) => ({ ...d, params: params(d.params) }));
  const all = entries(cat.activations);
  const outputs = cat.output_activations ? entries(cat.output_activations)
    : all.filter((a) => a.output === true);
  const fields = {};
  for (const [section, spec] of Object.entries(cat.fields || {})) {
    if (spec && typeof spec === "object" && !("kind" in spec)) fields[section] = params(spec);
  }
  return {
    raw: cat,
    activations: all.filter((a) => a.hidden !== false),
    outputActivations: outputs,
    losses: entries(cat.losses),
    optimizers,
    rules: entries(cat.rules),
    datasets,
    features: entries(cat.features),
    // aliases (same_as) stay out of the menu; a config that names one still shows it
    initializers: entries(cat.initializers).filter((i) => !i.same_as),
    limits: cat.limits || {},
    server: cat.server || {},
    defaults: cat.defaults || cat.default_config || null,
    fields, // section → [{name, kind, default, min, max, doc}] for the config's plain fields
  };
}

export async function getCatalog() {
  return normalizeCatalog(await getJSON("/api/catalog"));
}

/** {name, x, f, df} of an activation for plotting. */
export async function getActivation(name, { lo = -4, hi = 4, n = 161 } = {}) {
  const q = new URLSearchParams({ lo, hi, n });
  const body = await getJSON(`/api/activations/${encodeURIComponent(name)}?${q}`);
  return { ...body, name, x: body.x, f: body.f ?? body.y, df: body.df ?? body.dy ?? null };
}

/** Points and labels of a preset dataset. */
export async function getDataset(name, values = {}) {
  const q = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== undefined && v !== null));
  return getJSON(`/api/datasets/${encodeURIComponent(name)}?${q}`);
}

export const api = { getCatalog, getActivation, getDataset, normalizeCatalog };
