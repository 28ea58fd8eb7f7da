// The scene the page opens with: the one in the URL (`#s=…`, state.js), else the saved scene of a short link
// `/s/<id>` (the server puts its id in `#app[data-scene-id]`; its trained weights, if saved, are the run's initial
// weights), else the server's default, which the page trains until paused (its `training.epochs` is null, as
// TensorFlow Playground does; docs/config.md). A link whose scene the server refuses falls back to the default with
// the reason; a scene link pasted into the open tab loads like a fresh page would.

import { $ } from "./dom.js";
import { fetchScene } from "./owned_scenes.js";
import { clone, decodeScene } from "./state.js";
import { t } from "./i18n.js";
import { wording } from "./controls/messages.js";

/** @typedef {import("./state.js").Store} Store */
/** @typedef {import("./controls/commands.js").Commands} Commands */

const sentence = (text) => `${text[0].toUpperCase()}${text.slice(1)}`;

export class Scenes {
  /** @param {{store: Store, commands: Commands, defaults: import("./types.js").Config}} deps */
  constructor({ store, commands, defaults }) {
    this.store = store;
    this.commands = commands;
    this.defaults = clone(defaults);
    this.defaults.training = { ...this.defaults.training, epochs: null }; // until paused
    this.linkId = null; // the configure of a link's scene: its error brings the default scene
  }

  /** Show the URL's scene (decoded before anything could rewrite the hash) or the default one. */
  start({ scene, error, weights = null, saved = null }) {
    const { store } = this;
    if (saved) {
      const what = weights ? " with its trained weights" : "";
      store.message(`Opened the saved scene “${saved.title || saved.id}”${what}.`, { kind: "info" });
    }
    if (error) {
      store.message(t("scene.link_failed", { reason: sentence(error.message) }), { kind: "error", sticky: true });
      store.setConfig(clone(this.defaults), { source: "default" });
    } else if (scene) {
      this.load(scene, weights);
    } else {
      store.setConfig(clone(this.defaults), { source: "default" });
    }
    window.addEventListener("hashchange", () => this.pasted());
  }

  load(scene, weights = null) {
    this.store.loadScene(scene);
    this.linkId = this.commands.flushConfigure({ weights });
  }

  async pasted() {
    const hash = location.hash.replace(/^#/, "");
    if (!/^[sj]=/.test(hash) || this.store.wroteHash(hash)) return;
    try {
      const next = await decodeScene(location.hash);
      if (next) this.load(next);
    } catch (err) {
      this.store.message(t("scene.paste_failed", { reason: sentence(err.message) }), { kind: "error" });
    }
  }

  /** The server refused a link's scene: show the default one, with the reason. True when it was that. */
  onError(msg) {
    if (msg.id === undefined || msg.id !== this.linkId) return false;
    this.linkId = null;
    const reason = wording(msg).replace(/\.?$/, ".");
    this.store.message(t("scene.refused", { reason }),
      { kind: "error", field: msg.field, sticky: true });
    this.store.setConfig(clone(this.defaults));
    return true;
  }
}

/** The scene in the URL, read before anything can overwrite the hash — the hash's, else the short link's saved
 * scene: `{scene, weights, saved}` (scene null without one; `saved`: the saved scene's metadata) or `{error}`. */
export async function sceneFromURL() {
  try {
    const scene = await decodeScene(location.hash);
    const id = $("#app").dataset.sceneId;
    if (scene || !id) return { scene, weights: null, saved: null, error: null };
    const saved = await fetchScene(id);
    return { scene: { config: saved.config }, weights: saved.weights, saved, error: null };
  } catch (error) {
    return { scene: null, weights: null, saved: null, error };
  }
}
