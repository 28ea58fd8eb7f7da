// Messages for the user: errors in the banner ([data-testid=error]) and next to the control that caused them
// (matched by the error's dotted `field`), notices ([data-testid=notice]) that fade after a few seconds.
// `wording` is the one way an error about a value reads — the server's (a ConfigError, or a malformed message in
// the same shape) and the page's own checks alike: the control's name, what was given, what is allowed.

import { $ } from "../dom.js";

/** @typedef {{field?: string | null, value?: any, allowed?: string, message?: string}} Problem */

const NAMES = { "network.hidden": "hidden layer", "data.labels": "class", "data.points": "point" };

/** A dotted field as the control that sets it is called: "training.learning_rate" → "learning rate",
 * "network.hidden[1]" → "hidden layer 2". */
export function fieldName(field) {
  const index = /\[(\d+)\]$/.exec(field);
  const bare = field.replace(/\[\d+\]/g, "");
  const name = NAMES[bare] || bare.split(".").pop().replace(/_/g, " ");
  return index && NAMES[bare] ? `${name} ${Number(index[1]) + 1}` : name;
}

/** What was given, as the user typed or chose it. */
function given(value) {
  if (value === null || value === undefined || value === "") return "an empty field";
  return typeof value === "string" ? `“${value}”` : String(value);
}

/**
 * The one wording of an error about a value: "epochs: “abc” is not allowed — must be an integer in [1, 100000]."
 * A message of another shape (a sentence the engine wrote for a combination, say) is shown as it is.
 * @param {Problem} problem
 */
export function wording({ field, value, allowed, message }) {
  const standard = !message || (field && message.startsWith(`${field}: `) && message.includes(" is not allowed; "));
  if (!field || !allowed || !standard) return message || allowed || "the server refused that";
  const terms = allowed.replace(/\.$/, "").replace("or null (", "or empty (");
  return `${fieldName(field)}: ${given(value)} is not allowed — ${terms}.`;
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
      banner.title = "click to dismiss";
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
