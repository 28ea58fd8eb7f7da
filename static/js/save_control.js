// The Save control in the top bar (docs/ui.md, "Saved scenes"): save the scene on the server — its config with the
// drawn points, and optionally the trained weights and the loss curves — and get its short link `/s/<id>`; replace
// a saved scene this browser owns; and "My saved scenes", the gallery of the scenes whose edit tokens this browser
// holds (owned_scenes.js), each to open or delete. Every refusal is said at the control, in the server's words.
// The words the user reads come from the message catalogs (save.*, i18n.js).

import { runToResume } from "./connection.js";
import { el } from "./dom.js";
import { lang, t } from "./i18n.js";
import { deleteScene, ownedInfos, ownedScene, replaceScene, saveScene } from "./owned_scenes.js";
import { clone } from "./state.js";

/** @typedef {import("./state.js").Store} Store */
/** @typedef {import("./curves_view.js").CurvesView} Curves */



/** A title for a scene the user did not name: its data and its hidden layers. */
function defaultTitle(config) {
  const data = config?.data || {};
  const source = Array.isArray(data.points) ? t("save.default_points", { n: data.points.length })
    : data.dataset || t("save.default_scene");
  const hidden = config?.network?.hidden;
  return Array.isArray(hidden) && hidden.length ? t("save.default_hidden", { source, layers: hidden.join("-") }) : source;
}

/** The loss and accuracy curves on screen as a saved history (per-epoch lists), or null when empty. */
function curvesHistory(curves) {
  const { x, y, keys } = curves.shown();
  if (!x.length) return null;
  /** @type {{[key: string]: (number | null)[]}} */
  const history = { epoch: x };
  keys.forEach((key, k) => {
    if (y[k].some((v) => v != null)) history[key] = y[k].map((v) => (Number.isFinite(v) ? v : null));
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
      onclick: () => this.save(null) }, t("save.save"));
    this.updateButton = el("button", { type: "button", class: "btn", "data-testid": "update-scene", hidden: true,
      onclick: () => this.save(this.opened?.id) }, t("save.update"));
    this.error = el("p", { class: "field-error", role: "alert", "data-testid": "save-error" });
    this.result = el("div", { class: "saved-link", "data-testid": "saved-link", hidden: true });
    this.list = el("ul", { class: "my-scenes", "data-testid": "my-scenes" });
    this.menu = el("details", { class: "menu", id: "save-menu", "data-testid": "save-menu",
      ontoggle: () => this.menu.open && this.opening() },
    el("summary", { class: "btn bar-btn", title: t("save.menu_title") }, t("save.menu")),
    el("div", { class: "menu-body save-body" },
      el("div", { class: "field", "data-field": "title" },
        el("label", { for: "save-title" }, t("save.title")), this.titleInput),
      el("label", { class: "check" }, this.weights, t("save.weights")),
      el("label", { class: "check" }, this.history, t("save.history")),
      el("div", { class: "row" }, this.saveButton, this.updateButton),
      this.error, this.result,
      el("h3", {}, t("save.mine")), this.list));
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
    if (!store.config) throw new Error(t("save.nothing"));
    const config = clone(store.config);
    const body = { title: this.titleInput.value.trim() || defaultTitle(config), config };
    if (this.weights.checked) {
      const run = runToResume(clone(store.applied || config), store.lastFrame);
      if (!run) throw Object.assign(new Error(t("save.no_weights")), { field: "weights" });
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
    this.saveButton.textContent = t("save.saving");
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
      this.saveButton.textContent = t("save.save");
    }
  }

  showLink(path) {
    const url = new URL(path, location.origin).href;
    const field = el("input", { type: "text", readonly: true, value: url, "aria-label": t("save.link"),
      "data-testid": "saved-url", onfocus: () => field.select() });
    const copy = el("button", { type: "button", class: "btn", "data-testid": "copy-saved-link", onclick: async () => {
      try {
        await navigator.clipboard.writeText(url);
        copy.textContent = t("save.copied");
      } catch {
        field.select(); // no clipboard permission: the link is selected for the user to copy
      }
    } }, t("save.copy"));
    this.result.replaceChildren(field, copy);
    this.result.hidden = false;
  }

  /** Fill "My saved scenes" from the server's metadata of the scenes this browser owns. */
  async refresh() {
    this.list.replaceChildren(el("li", { class: "hint" }, t("save.loading")));
    let infos;
    try {
      infos = await ownedInfos();
    } catch (err) {
      this.list.replaceChildren(el("li", { class: "field-error" }, t("save.failed_list", { why: err.message })));
      return;
    }
    if (!infos.length) {
      this.list.replaceChildren(el("li", { class: "hint" }, t("save.none")));
      return;
    }
    this.list.replaceChildren(...infos.map((info) => this.item(info)));
  }

  item(info) {
    const marks = [new Date(info.updated).toLocaleString(lang), info.has_weights ? t("save.weights_mark") : null,
      info.history_points ? t("save.history_mark", { n: info.history_points }) : null].filter(Boolean).join(" · ");
    const remove = el("button", { type: "button", class: "link-btn", "data-testid": "delete-scene",
      title: t("save.remove_title", { title: info.title }), onclick: async () => {
        remove.disabled = true;
        try {
          await deleteScene(info.id);
          this.refresh();
        } catch (err) {
          remove.disabled = false;
          this.error.textContent = err.message;
        }
      } }, t("save.remove"));
    return el("li", { "data-scene": info.id },
      el("a", { href: info.url, "data-testid": "open-scene", title: t("save.open") }, info.title || info.id),
      el("small", {}, marks), remove);
  }
}
