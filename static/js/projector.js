// Projector mode (docs/ui.md, "Projector mode"): larger type for a class watching one screen, and the panels the
// teacher chooses hidden, like TensorFlow Playground's URL flags. A toggle in the top bar, and URL flags that a
// teacher can bookmark: `?projector=1` turns it on (hiding the Data, Network and Training panels), and
// `?projector=1&hide=data,training,timeline` hides exactly those. The flags live in the query string, so they stay
// when the scene in the hash changes.

import { $, el } from "./dom.js";

/** What the projector can hide, in the order the menu lists it: flag → what the teacher reads. */
export const HIDEABLE = {
  data: "Data panel", network: "Network panel", training: "Training panel", neuron: "Neuron panel",
  curves: "Loss and accuracy", diagram: "Network diagram", timeline: "History bar", lessons: "Lessons panel",
  "side-by-side": "Side-by-side runs", readouts: "Numbers in the top bar", share: "Share menu",
};
/** Hidden when projector mode is switched on without flags: the settings a class need not see. */
const DEFAULT_HIDE = ["data", "network", "training"];

/** `{on, hide}` from a query string (`location.search`). */
export function readFlags(search) {
  const params = new URLSearchParams(search);
  const on = params.has("projector") && params.get("projector") !== "0";
  const hide = params.has("hide") ? params.get("hide").split(",").filter((h) => h in HIDEABLE) : DEFAULT_HIDE;
  return { on, hide };
}

/** The query string for `{on, hide}` (`?projector=1&hide=data,network`), keeping every other parameter. */
export function writeFlags(search, { on, hide }) {
  const params = new URLSearchParams(search);
  params.delete("projector");
  params.delete("hide");
  const parts = params.toString() ? [params.toString()] : [];
  if (on) parts.push(`projector=1&hide=${hide.join(",")}`);
  return parts.length ? `?${parts.join("&")}` : "";
}

export class Projector {
  constructor() {
    this.toggle = $("#projector-toggle");
    this.menu = /** @type {HTMLDetailsElement} */ ($("#projector-menu"));
    const flags = readFlags(location.search);
    this.on = flags.on;
    this.hide = new Set(flags.hide);
    $("#projector-hide").replaceChildren(...Object.entries(HIDEABLE).map(([flag, label]) => el("label",
      { class: "check" }, el("input", { type: "checkbox", "data-testid": `hide-${flag}`, dataset: { hide: flag },
        onchange: (/** @type {Event} */ e) => this.setHidden(flag, /** @type {HTMLInputElement} */ (e.target).checked) }),
      label)));
    this.toggle.addEventListener("click", () => this.set(!this.on));
    this.apply();
  }

  set(on) {
    this.on = on;
    this.apply();
  }

  setHidden(flag, hidden) {
    if (hidden) this.hide.add(flag);
    else this.hide.delete(flag);
    this.apply();
  }

  /** The body's class and flags, the menu, and the URL's query string (the hash, the scene, stays). */
  apply() {
    const body = document.body;
    document.documentElement.classList.toggle("projector", this.on); // rem sizes grow with the root's font
    body.classList.toggle("projector", this.on);
    body.dataset.hide = this.on ? [...this.hide].join(" ") : "";
    this.toggle.setAttribute("aria-pressed", String(this.on));
    this.menu.hidden = !this.on;
    for (const box of /** @type {NodeListOf<HTMLInputElement>} */ (this.menu.querySelectorAll("[data-hide]"))) {
      box.checked = this.hide.has(box.dataset.hide);
    }
    const search = writeFlags(location.search, { on: this.on, hide: [...this.hide] });
    if (search !== location.search) history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
    window.dispatchEvent(new Event("resize")); // the plots fit their new boxes
  }
}
