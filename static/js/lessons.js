// The lessons panel (docs/lessons.md): the story from Rosenblatt's perceptron to deep networks as prepared scenes.
// Lists the lessons (GET /api/lessons), shows the current one — what to try, what to look for, the claim — and
// loads its scene into the page (GET /api/lessons/<id>): the config, the speed, hand-set starting weights, the
// side-by-side runs (compare.js, through the `nnlive:lesson` event) and, for lesson 9, the loss landscape.
//
// A lesson opens from the URL: `/#lesson=<id>`. While the scene is untouched the URL stays `#lesson=<id>`; the
// first change the user makes turns it into the page's own scene link (state.js).
//
// Events on `document`: `nnlive:lesson` (detail: the lesson) when a scene is loaded; timeline.js sends
// `nnlive:replay` (detail: {frame} or {frame: null} when back to live), which the landscape follows.

import { getLesson, getLessons } from "./api.js";
import { el, targetOf } from "./dom.js";
import { LessonExtras } from "./lesson_extras.js";
import { clone } from "./state.js";

/** @typedef {import("./state.js").Store} Store */
/** @typedef {import("./socket.js").Session} Session */
/** @typedef {import("./catalog.js").Catalog} Catalog */
/** @typedef {import("./live_view.js").LiveView} LiveView */
/** @typedef {import("./controls/messages.js").Messages} Messages */
/**
 * @typedef {{store: Store, session: Session, catalog: Catalog, liveView: LiveView, messages: Messages,
 *   ready: Promise<void>}} LessonDeps `ready` resolves once the first scene runs
 */

const HASH = /^#lesson=([a-z0-9-]+)$/;
const FOCUS = {
  plane: ".plane-wrap", network: ".network-wrap", neuron: "#panel-neuron", curves: "#panel-curves",
  compare: "#compare", timeline: "#timeline",
};
// The address the page was opened with, read before anything (the store) rewrites the hash.
const OPENED_WITH = typeof location === "undefined" ? "" : location.hash;

/** The lesson id in a URL hash (`#lesson=<id>`), or null. */
export function lessonFromHash(hash = location.hash) {
  const match = HASH.exec(hash || "");
  return match ? match[1] : null;
}

const close = (a, b) => (typeof a === "number" && typeof b === "number" ? Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)) : a === b);

/** Does the server's normalized config carry every value the lesson's config sets (weights and view aside)? */
export function carries(normalized, raw, path = "") {
  if (raw === null || typeof raw !== "object") return close(normalized, raw);
  if (normalized === null || typeof normalized !== "object") return false;
  if (Array.isArray(raw)) {
    return Array.isArray(normalized) && raw.length === normalized.length && raw.every((v, i) => carries(normalized[i], v));
  }
  const skip = new Set(["network.weights", "view"]); // weights come separately; view follows the page's toggles
  return Object.entries(raw).every(([key, value]) => skip.has(path + key)
    || carries(normalized[key], value, `${path}${key}.`));
}

/**
 * The lessons panel; it opens the lesson of a `#lesson=<id>` URL.
 * @param {LessonDeps} deps
 */
export function initLessons(deps) {
  const root = document.getElementById("lessons");
  if (!root) return null;
  const panel = new LessonsPanel(deps, root);
  panel.start();
  return panel;
}

class LessonsPanel {
  /**
   * @param {LessonDeps} deps
   * @param {HTMLElement} root
   */
  constructor(deps, root) {
    this.deps = deps;
    this.root = root;
    this.list = [];
    this.cache = new Map();
    this.current = null; // the lesson whose text is shown
    this.loaded = null; // the lesson whose scene was loaded last
    this.lastStep = 0;
    this.resetAsked = false;
    this.build();
  }

  /** The loss landscape a lesson shows (lesson 9), or null. */
  get landscape() { return this.extras.landscape; }

  build() {
    this.root.classList.add("panel", "lessons-panel");
    this.root.dataset.testid = "lessons";
    this.select = el("select", { "data-testid": "lesson-select", "aria-label": "Lesson",
      onchange: () => this.go(this.select.value) });
    this.prev = el("button", { type: "button", class: "icon-btn small", "data-testid": "lesson-prev",
      title: "Previous lesson", "aria-label": "Previous lesson", text: "‹", onclick: () => this.move(-1) });
    this.next = el("button", { type: "button", class: "icon-btn small", "data-testid": "lesson-next",
      title: "Next lesson", "aria-label": "Next lesson", text: "›", onclick: () => this.move(1) });
    this.era = el("p", { class: "lesson-era" });
    this.title = el("h3", { class: "lesson-title", "data-testid": "lesson-title" });
    this.story = el("p", { class: "lesson-story" });
    this.tryText = el("p", { "data-testid": "lesson-try" });
    this.lookText = el("p", { "data-testid": "lesson-look" });
    this.claim = el("p", { class: "lesson-claim", "data-testid": "lesson-claim" });
    this.load = el("button", { type: "button", class: "btn primary", "data-testid": "lesson-load",
      text: "Load this scene", onclick: () => this.current && this.loadScene(this.current) });
    this.link = el("a", { class: "lesson-link", href: "#", title: "A link that opens this lesson", text: "link" });
    this.state = el("span", { class: "lesson-state", "data-testid": "lesson-state", "aria-live": "polite" });
    this.extras = new LessonExtras(this.deps, el("div", { class: "lesson-extra" }));
    this.article = el("article", { class: "lesson", "data-testid": "lesson" },
      this.era, this.title, this.story,
      el("h4", { text: "Try" }), this.tryText,
      el("h4", { text: "Look for" }), this.lookText,
      this.claim,
      el("div", { class: "lesson-actions" }, this.load, this.link, this.state),
      this.extras.box);
    this.root.replaceChildren(
      el("h2", { class: "lessons-head" }, el("span", { text: "Lessons" }),
        el("span", { class: "lessons-nav" }, this.prev, this.select, this.next)),
      this.article);
    this.article.hidden = true;
  }

  async start() {
    try {
      this.list = (await getLessons()).lessons;
    } catch (err) {
      this.root.append(el("p", { class: "lesson-error", text: `The lessons could not be loaded: ${err.message}` }));
      return;
    }
    this.select.replaceChildren(...this.list.map((l) => el("option", { value: l.id, text: `${l.number}. ${l.title}` })));
    window.addEventListener("hashchange", () => {
      const id = lessonFromHash(); // (our own history.replaceState does not fire this: a change here is a request)
      if (id) this.open(id, { load: true });
    });
    this.deps.store.on("frame", (frame) => this.keepStart(frame));
    const asked = () => { this.resetAsked = true; };
    document.addEventListener("click", (e) => { if (targetOf(e).closest?.("[data-testid=reset]")) asked(); }, true);
    document.addEventListener("keydown", (e) => {
      if (e.key === "r" && !targetOf(e).closest?.("input, select, textarea")) asked();
    }, true);
    document.addEventListener("nnlive:replay", (/** @type {CustomEvent} */ e) => {
      this.extras.landscape?.showUpTo(e.detail && e.detail.frame ? e.detail.frame.epoch : Infinity);
    });
    const id = lessonFromHash(OPENED_WITH);
    if (id) {
      await this.deps.ready;
      this.dismissHashBanner();
      await this.open(id, { load: true });
      this.root.scrollIntoView({ block: "start" }); // the panel sits low in its column: bring the text into view
    } else {
      await this.open(this.list[0].id, { load: false });
    }
  }

  /** main.js reads the hash as a scene first; `#lesson=` is ours, so its "not a scene" banner does not apply. */
  dismissHashBanner() {
    const banner = document.getElementById("error");
    if (banner && !banner.hidden && /not in a format nnlive understands/.test(banner.textContent)) {
      this.deps.messages.clearBanner(true);
    }
  }

  move(step) {
    if (!this.current) return;
    const k = this.list.findIndex((l) => l.id === this.current.id) + step;
    if (k >= 0 && k < this.list.length) this.go(this.list[k].id);
  }

  /** Show and load a lesson, and put it in the URL. */
  go(id) {
    this.open(id, { load: true });
  }

  async lesson(id) {
    if (!this.cache.has(id)) this.cache.set(id, getLesson(id));
    try {
      return await this.cache.get(id);
    } catch (err) {
      this.cache.delete(id);
      throw err;
    }
  }

  async open(id, { load }) {
    let lesson;
    try {
      lesson = await this.lesson(id);
    } catch (err) {
      this.deps.store.message(`${err.message}`, { kind: "error" });
      return;
    }
    this.show(lesson);
    if (load) await this.loadScene(lesson);
  }

  show(lesson) {
    this.current = lesson;
    this.article.hidden = false;
    this.article.dataset.lesson = lesson.id;
    this.select.value = lesson.id;
    const k = this.list.findIndex((l) => l.id === lesson.id);
    this.prev.disabled = k <= 0;
    this.next.disabled = k >= this.list.length - 1;
    this.era.textContent = lesson.era || "";
    this.era.hidden = !lesson.era;
    this.title.textContent = `${lesson.number}. ${lesson.title}`;
    this.story.textContent = lesson.story || "";
    this.tryText.textContent = lesson.try;
    this.lookText.textContent = lesson.look_for;
    this.claim.replaceChildren(el("strong", { text: "Claim " }), lesson.claim,
      el("span", { class: "lesson-checked", title: "tests/lessons/test_claims.py runs this scene in the engine and checks it",
        text: " ✓ checked by a test" }));
    this.link.href = `#lesson=${lesson.id}`;
    const runs = lesson.variants.length ? [lesson.base_label || "this run", ...lesson.variants.map((v) => v.label)] : [];
    this.state.textContent = runs.length ? `side by side: ${runs.join(" · ")}` : "";
    if (!this.loaded || this.loaded.id !== lesson.id) this.extras.clear();
  }

  /** Load the lesson's scene into the page: config, speed, starting weights, side-by-side runs, extras. */
  async loadScene(lesson) {
    const { store, session, liveView } = this.deps;
    this.show(lesson);
    this.loaded = lesson;
    this.extras.clear();
    liveView.replaying = false;
    this.root.dataset.loading = "true";
    const applied = this.whenApplied(lesson.config);
    store.setConfig(clone(lesson.config));
    const speed = lesson.display && lesson.display.speed;
    if (typeof speed === "number") {
      store.setView({ speed });
      session.set({ speed });
    }
    document.dispatchEvent(new CustomEvent("nnlive:lesson", { detail: lesson }));
    this.focus(lesson.display && lesson.display.focus);
    const ok = await applied;
    if (this.loaded !== lesson) return; // another lesson was chosen meanwhile
    if (ok) this.sendWeights(lesson.config.network && lesson.config.network.weights);
    if (lesson.display && lesson.display.landscape) this.extras.showLandscape(lesson);
    if (lesson.display && lesson.display.gallery) this.extras.showGallery();
    await this.markURL(lesson);
    this.root.dataset.loading = "false";
  }

  /** Resolves true at the first `data` message that carries the lesson's config (false after 10 s). */
  whenApplied(config) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { off(); resolve(false); }, 10000);
      const off = this.deps.store.on("data", (msg) => {
        if (msg.config && carries(msg.config, config)) {
          clearTimeout(timer);
          off();
          resolve(true);
        }
      });
    });
  }

  /** The page's store drops `network.weights` from a config, so a hand-set start is sent weight by weight. */
  sendWeights(weights) {
    if (!Array.isArray(weights)) return;
    weights.forEach((layer, k) => {
      layer.W.forEach((row, i) => row.forEach((value, j) => this.deps.session.weights(k, "W", i, j, value)));
      layer.b.forEach((value, j) => this.deps.session.weights(k, "b", 0, j, value));
    });
  }

  /** A new run of the lesson's own network (a reset, a new optimizer, …) starts from the lesson's hand-set
   * weights again, as long as the network, its inputs and the seed are the lesson's. */
  keepStart(frame) {
    const previous = this.lastStep;
    const reset = this.resetAsked;
    this.lastStep = frame.step;
    this.resetAsked = false;
    const lesson = this.loaded;
    const weights = lesson && lesson.config.network && lesson.config.network.weights;
    if (!weights || this.root.dataset.loading === "true" || !(frame.step === 0 && (previous > 0 || reset))) return;
    const applied = this.deps.store.applied;
    const c = lesson.config;
    const same = applied && carries(applied.network.hidden, c.network.hidden || [])
      && carries(applied.features, c.features || this.deps.catalog.defaults.features) && applied.seed === (c.seed || 0);
    if (same) this.sendWeights(weights);
  }

  /** Keep `#lesson=<id>` in the URL while the scene is the lesson's own. */
  async markURL(lesson) {
    const { store } = this.deps;
    await new Promise((r) => setTimeout(r, 200)); // let the normalized config settle into the store
    try {
      await store.flushHash();
    } catch {
      // the store keeps its own URL; ours is only a nicer name for the same scene
    }
    if (this.loaded === lesson) history.replaceState(null, "", `#lesson=${lesson.id}`);
  }

  focus(names) {
    for (const name of names || []) {
      const node = document.querySelector(FOCUS[name] || "#none");
      if (!node) continue;
      node.classList.remove("lesson-focus");
      void node.offsetWidth; // restart the animation
      node.classList.add("lesson-focus");
      setTimeout(() => node.classList.remove("lesson-focus"), 2600);
    }
  }
}
