// The Save control in the top bar (docs/ui.md, "Saved scenes"): save the scene on the server — its config with the
// drawn points, and optionally the trained weights and the loss curves — and get its short link `/s/<id>`; replace
// a saved scene this browser owns; and "My saved scenes", the gallery of the scenes whose edit tokens this browser
// holds (owned_scenes.js), each to open or delete. Every refusal is said at the control, in the server's words.
// The words the user reads are in TEXT, ready to move into the message catalogs.

import { runToResume } from "./connection.js";
import { el } from "./dom.js";
import { deleteScene, ownedInfos, ownedScene, replaceScene, saveScene } from "./owned_scenes.js";
import { clone } from "./state.js";

/** @typedef {import("./state.js").Store} Store */
/** @typedef {{el: HTMLElement}} Curves */

const TEXT = {
  menu: "Save ▾",
  menuTitle: "Save this scene on the server and get a short link",
  title: "title",
  weights: "with the trained weights",
  history: "with the loss curves",
  save: "Save and get a link",
  update: "Update the saved scene",
  saving: "Saving…",
  copy: "Copy",
  copied: "Copied",
  link: "short link",
  mine: "My saved scenes",
  none: "None yet: scenes you save in this browser are listed here.",
  open: "open",
  remove: "delete",
  removeTitle: (title) => `Delete “${title}” from the server (its link stops working)`,
  weightsMark: "weights",
  historyMark: (n) => `${n} epochs of curves`,
  noWeights: "there are no trained weights for this network yet: press play or step first, or save without them",
  nothing: "there is no scene to save yet",
  loading: "Loading…",
  failedList: (why) => `Could not list your saved scenes: ${why}`,
};

const CURVES = ["train_loss", "test_loss", "train_accuracy", "test_accuracy"]; // curves_view.js's trace order

/** A title for a scene the user did not name: its data and its hidden layers. */
function defaultTitle(config) {
  const data = config?.data || {};
  const source = Array.isArray(data.points) ? `${data.points.length} drawn points` : data.dataset || "scene";
  const hidden = config?.network?.hidden;
  return Array.isArray(hidden) && hidden.length ? `${source} · hidden ${hidden.join("-")}` : source;
}

/** The loss and accuracy curves on screen as a saved history (per-epoch lists), or null when empty. */
function curvesHistory(curves) {
  const traces = /** @type {any} */ (curves.el).data;
  if (!Array.isArray(traces) || !traces[0] || !traces[0].x || !traces[0].x.length) return null;
  const history = { epoch: Array.from(traces[0].x) };
  CURVES.forEach((key, k) => {
    const y = traces[k] && traces[k].y;
    if (y && y.length === history.epoch.length && Array.from(y).some((v) => v != null)) {
      history[key] = Array.from(y, (v) => (Number.isFinite(v) ? v : null));
    }
  });
  return Object.keys(history).length > 1 ? history : null;
}

export class SaveControl {
  /**
   * @param {HTMLElement} root where the control goes (the top bar's slot)
   * @param {{store: Store, curves: Curves, opened: {id: string} | null}} deps `opened`: the saved scene the page
   *   opened from its short link, if any
   */
  constructor(root, { store, curves, opened }) {
    this.store = store;
    this.curves = curves;
    this.opened = opened;
    this.titleInput = el("input", { type: "text", maxlength: "200", "data-testid": "save-title", id: "save-title" });
    this.weights = el("input", { type: "checkbox", "data-testid": "save-weights", checked: true });
    this.history = el("input", { type: "checkbox", "data-testid": "save-history", checked: true });
    this.saveButton = el("button", { type: "button", class: "btn primary", "data-testid": "save-scene",
      onclick: () => this.save(null) }, TEXT.save);
    this.updateButton = el("button", { type: "button", class: "btn", "data-testid": "update-scene", hidden: true,
      onclick: () => this.save(this.opened?.id) }, TEXT.update);
    this.error = el("p", { class: "field-error", role: "alert", "data-testid": "save-error" });
    this.result = el("div", { class: "saved-link", "data-testid": "saved-link", hidden: true });
    this.list = el("ul", { class: "my-scenes", "data-testid": "my-scenes" });
    this.menu = el("details", { class: "menu", id: "save-menu", "data-testid": "save-menu",
      ontoggle: () => this.menu.open && this.opening() },
    el("summary", { class: "btn bar-btn", title: TEXT.menuTitle }, TEXT.menu),
    el("div", { class: "menu-body save-body" },
      el("div", { class: "field", "data-field": "title" },
        el("label", { for: "save-title" }, TEXT.title), this.titleInput),
      el("label", { class: "check" }, this.weights, TEXT.weights),
      el("label", { class: "check" }, this.history, TEXT.history),
      el("div", { class: "row" }, this.saveButton, this.updateButton),
      this.error, this.result,
      el("h3", {}, TEXT.mine), this.list));
    root.replaceChildren(this.menu);
  }

  /** The menu opens: a fresh default title, the update button for an owned scene, the gallery. */
  opening() {
    if (!this.titleInput.value) this.titleInput.value = defaultTitle(this.store.config);
    this.updateButton.hidden = !(this.opened && ownedScene(this.opened.id));
    this.refresh();
  }

  /** What to send: the scene's config (drawn points in it) and, when asked and there, weights and curves. */
  body() {
    const { store } = this;
    if (!store.config) throw new Error(TEXT.nothing);
    const config = clone(store.config);
    const body = { title: this.titleInput.value.trim() || defaultTitle(config), config };
    if (this.weights.checked) {
      const run = runToResume(clone(store.applied || config), store.lastFrame);
      if (!run) throw Object.assign(new Error(TEXT.noWeights), { field: "weights" });
      body.weights = run.weights;
    }
    const history = this.history.checked ? curvesHistory(this.curves) : null;
    if (history) body.history = history;
    return body;
  }

  /** Save as a new scene (id null) or replace the owned scene `id`; show the link or the refusal. */
  async save(id) {
    this.error.textContent = "";
    let body;
    try {
      body = this.body();
    } catch (err) {
      this.error.textContent = err.message;
      return;
    }
    const buttons = [this.saveButton, this.updateButton];
    buttons.forEach((b) => { b.disabled = true; });
    this.saveButton.textContent = TEXT.saving;
    try {
      const info = id ? await replaceScene(id, body) : await saveScene(body);
      this.showLink(info.url);
      this.opened = { id: info.id };
      this.updateButton.hidden = false;
      this.refresh();
    } catch (err) {
      this.error.textContent = err.field ? `${err.field}: ${err.message}` : err.message;
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
      this.saveButton.textContent = TEXT.save;
    }
  }

  showLink(path) {
    const url = new URL(path, location.origin).href;
    const field = el("input", { type: "text", readonly: true, value: url, "aria-label": TEXT.link,
      "data-testid": "saved-url", onfocus: () => field.select() });
    const copy = el("button", { type: "button", class: "btn", "data-testid": "copy-saved-link", onclick: async () => {
      try {
        await navigator.clipboard.writeText(url);
        copy.textContent = TEXT.copied;
      } catch {
        field.select(); // no clipboard permission: the link is selected for the user to copy
      }
    } }, TEXT.copy);
    this.result.replaceChildren(field, copy);
    this.result.hidden = false;
  }

  /** Fill "My saved scenes" from the server's metadata of the scenes this browser owns. */
  async refresh() {
    this.list.replaceChildren(el("li", { class: "hint" }, TEXT.loading));
    let infos;
    try {
      infos = await ownedInfos();
    } catch (err) {
      this.list.replaceChildren(el("li", { class: "field-error" }, TEXT.failedList(err.message)));
      return;
    }
    if (!infos.length) {
      this.list.replaceChildren(el("li", { class: "hint" }, TEXT.none));
      return;
    }
    this.list.replaceChildren(...infos.map((info) => this.item(info)));
  }

  item(info) {
    const marks = [new Date(info.updated).toLocaleString(), info.has_weights ? TEXT.weightsMark : null,
      info.history_points ? TEXT.historyMark(info.history_points) : null].filter(Boolean).join(" · ");
    const remove = el("button", { type: "button", class: "link-btn", "data-testid": "delete-scene",
      title: TEXT.removeTitle(info.title), onclick: async () => {
        remove.disabled = true;
        try {
          await deleteScene(info.id);
          this.refresh();
        } catch (err) {
          remove.disabled = false;
          this.error.textContent = err.message;
        }
      } }, TEXT.remove);
    return el("li", { "data-scene": info.id },
      el("a", { href: info.url, "data-testid": "open-scene", title: TEXT.open }, info.title || info.id),
      el("small", {}, marks), remove);
  }
}
