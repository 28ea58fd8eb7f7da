// Messages for the user: errors in the banner ([data-testid=error]) and next to the control that caused them
// (matched by the error's dotted `field`), notices ([data-testid=notice]) that fade after a few seconds.

import { $ } from "../dom.js";

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

  /** Hide the error banner; a sticky one (a broken link) stays until clicked (or `force`). */
  clearBanner(force = false) {
    const banner = $("#error");
    if (banner.dataset.sticky === "true" && !force) return;
    banner.dataset.sticky = "false";
    banner.hidden = true;
    banner.textContent = "";
  }
}
