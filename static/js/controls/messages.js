// Messages for the user: errors in the banner ([data-testid=error]) and next to the control that caused them
// (matched by the error's dotted `field`), notices ([data-testid=notice]) that fade after a few seconds.
// `wording` is the one way an error about a value reads — the server's (a ConfigError, or a malformed message in
// the same shape) and the page's own checks alike: the control's name, what was given, what is allowed, in the
// page's language. The server's problems carry a `code` and its `params` (docs/api.md, "Error codes"): a value
// outside a parameter's range ("not_allowed", with the parameter's description) and the engine's combinations
// (a loss that needs another output, a rule that needs one neuron …) read from the catalog's `error.<code>`;
// a problem of another code shows the server's English sentence.

import { $ } from "../dom.js";
import { allowedWords } from "../catalog.js";
import { has, t, tOr } from "../i18n.js";
import { paramLabel } from "./fields.js";

/** @typedef {{field?: string | null, value?: any, allowed?: string, message?: string, code?: string,
 *   params?: {[key: string]: any}}} Problem */

/** Fields named by the thing they hold, numbered from 1 when indexed: "network.hidden[1]" → "hidden layer 2". */
const NUMBERED = new Set(["network.hidden", "data.labels", "data.points"]);

/** A dotted field as the control that sets it is called: "training.learning_rate" → "learning rate",
 * "network.hidden[1]" → "hidden layer 2". */
export function fieldName(field) {
  const index = /\[(\d+)\]$/.exec(field);
  const bare = field.replace(/\[\d+\]/g, "");
  const name = paramLabel(bare.split(".").pop());
  return index && NUMBERED.has(bare) ? t("error.numbered", { name, n: Number(index[1]) + 1 }) : name;
}

/** A combination's parameters with the engine's names as the page calls them (a rule, a loss, an output). */
function named(params) {
  const out = { ...params };
  if (params.rule) out.rule = tOr(`rule.${params.rule}`, params.rule);
  if (params.loss) out.loss = tOr(`menu.loss.${params.loss}`, params.loss);
  for (const key of ["output", "need"]) if (params[key]) out[key] = tOr(`menu.activation.${params[key]}`, params[key]);
  return out;
}

/** What was given, as the user typed or chose it. */
function given(value) {
  if (value === null || value === undefined || value === "") return t("error.empty");
  return typeof value === "string" ? t("error.quoted", { value }) : String(value);
}

/**
 * The one wording of an error about a value: "epochs: “abc” is not allowed — must be an integer in [1, 100000]."
 * A problem the catalog words by its code reads so; another (a sentence the server wrote) is shown as it is.
 * @param {Problem} problem
 */
export function wording({ field, value, allowed, message, code, params = {} }) {
  const standard = !message || (field && message.startsWith(`${field}: `) && message.includes(" is not allowed; "));
  const own = code && code !== "not_allowed" && has(`error.${code}`) ? t(`error.${code}`, named(params)) : null;
  if (own && !standard) return own; // a sentence of its own (the rule that needs one neuron)
  const spec = code === "not_allowed" && params.spec ? params.spec : null;
  if (!field || !allowed || !standard) return message || allowed || t("error.refused");
  const terms = (own || (spec ? allowedWords(spec) : allowed)).replace(/\.$/, "").replace("or null (", "or empty (");
  return t("error.not_allowed", { field: fieldName(field), value: given(value), allowed: terms });
}

/** @typedef {import("../state.js").Store} Store */

const NOTICE_MS = 6000;

export class Messages {
  /** @param {Store} store its "message" events are shown here */
  constructor(store) {
    /** Fields whose error came from a live change (`set`): kept until corrected. */
    this.liveErrors = new Set();
    /** @type {"live" | "config" | null} what put the error banner up */
    this.bannerFrom = null;
    this.noticeTimer = null;
    store.on("message", (m) => this.show(m));
    $("#error").addEventListener("click", () => this.clearBanner(true));
  }

  /** Find the field box for a dotted error field: exact, then without indices, then by prefix. */
  fieldBox(field) {
    if (!field) return null;
    const candidates = [field, field.replace(/\[\d+\]/g, "")];
    let f = field.replace(/\[\d+\]/g, "");
    while (f.includes(".")) {
      f = f.slice(0, f.lastIndexOf("."));
      candidates.push(f);
    }
    if (/^training\.(l1|l2)$/.test(field)) candidates.unshift("training.l2");
    if (/^data\.(points|labels)/.test(field)) candidates.push("data.labels");
    if (/^data\./.test(field)) candidates.push("data.dataset");
    for (const c of candidates) {
      const box = /** @type {HTMLElement | null} */ (document.querySelector(`.field[data-field="${CSS.escape(c)}"]`));
      if (box) return box;
    }
    return null;
  }

  /** @param {{text: string, kind: string, field?: string | null, sticky?: boolean}} message */
  show({ text, kind, field, sticky = false }) {
    if (kind === "error") {
      const banner = $("#error");
      banner.textContent = text;
      banner.hidden = false;
      banner.dataset.sticky = String(Boolean(sticky));
      banner.title = t("error.dismiss");
      const box = this.fieldBox(field);
      if (box) {
        box.classList.add("has-error");
        const p = box.querySelector(".field-error");
        if (p) p.textContent = text;
      }
    } else {
      const notice = $("#notice");
      notice.textContent = text;
      notice.hidden = false;
      clearTimeout(this.noticeTimer);
      this.noticeTimer = setTimeout(() => { notice.hidden = true; }, NOTICE_MS);
    }
  }

  /** An error came from a live change: its field keeps the message until the value is corrected. */
  markLive(field) {
    const box = this.fieldBox(field);
    if (box) this.liveErrors.add(box.dataset.field);
  }

  clearFieldError(field) {
    const box = /** @type {HTMLElement | null} */ (document.querySelector(`.field[data-field="${CSS.escape(field)}"]`))
      || this.fieldBox(field);
    if (!box) return;
    this.liveErrors.delete(box.dataset.field);
    box.classList.remove("has-error");
    const p = box.querySelector(".field-error");
    if (p) p.textContent = "";
  }

  /** A configure (or points edit) succeeded: errors of live changes stay until corrected, the others go. */
  clearAnswered() {
    for (const node of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(".field.has-error"))) {
      if (!this.liveErrors.has(node.dataset.field)) this.clearFieldError(node.dataset.field);
    }
    if (this.bannerFrom !== "live") this.clearBanner();
  }

  /** Hide the information notice (a new run: what it said was about the last one). */
  clearNotice() {
    clearTimeout(this.noticeTimer);
    $("#notice").hidden = true;
  }

  /** Hide the error banner; a sticky one (a broken link) stays until clicked (or `force`). */
  clearBanner(force = false) {
    const banner = $("#error");
    if (banner.dataset.sticky === "true" && !force) return;
    banner.dataset.sticky = "false";
    banner.hidden = true;
    banner.textContent = "";
  }
}
