// The lessons panel (docs/lessons.md): the story from Rosenblatt's perceptron to deep networks as prepared scenes.
// Lists the lessons (GET /api/lessons) and loads one into the page (GET /api/lessons/<id>): the config, the speed,
// hand-set starting weights, the side-by-side runs (compare.js, through the `nnlive:lesson` event) and, for
// lesson 9, the loss landscape.
//
// Lesson mode (docs/ui.md): while a lesson is open its text — what to try, what to look for, the claim, ticked
// live when the numbers on screen meet it (claim_check.js) — and its landscape or gallery fill the left column
// beside the plane (its side-by-side cards sit beside the curves, compare.js); × leaves it (the scene stays).
// Without a lesson the panel is one line, a menu of the lessons, and a first visit without a link gets a "start
// here" card that opens lesson 1.
//
// A lesson opens from the URL: `/#lesson=<id>`. While the scene is untouched the URL stays `#lesson=<id>`; the
// first change the user makes turns it into the page's own scene link (state.js).
//
// Events on `document`: `nnlive:lesson` (detail: the lesson) when a scene is loaded, `nnlive:lesson-mode` (detail:
// {on}) when the page enters or leaves lesson mode; timeline.js sends `nnlive:replay` (detail: {frame} or
// {frame: null} when back to live), which the landscape follows; compare.js sends `nnlive:run` (detail: {label,
// frame} or {label, event}) for each side-by-side run, which the claim follows.

import { getLesson, getLessons } from "./api.js";
import { ClaimCheck } from "./claim_check.js";
import { $, el } from "./dom.js";
import { LessonExtras } from "./lesson_extras.js";
import { LessonStart } from "./lesson_start.js";
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
/** A story is shown open on a screen at least this tall; shorter ones keep it folded (its title shows). */
const ROOM_FOR_STORY = 1000;
// The address the page was opened with, read before anything (the store) rewrites the hash.
const OPENED_WITH = typeof location === "undefined" ? "" : location.hash;

/** The lesson id in a URL hash (`#lesson=<id>`), or null. */
export function lessonFromHash(hash = location.hash) {
  const match = HASH.exec(hash || "");
  return match ? match[1] : null;
}

/**
 * The lessons panel; it opens the lesson of a `#lesson=<id>` URL.
 * @param {LessonDeps} deps
 */
export function initLessons(deps) {
  const root = document.getElementById("lessons");
  if (!root) return null;
  const panel = new LessonsPanel(deps, root);
  panel.begin();
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
    this.mode = false;
    this.start = new LessonStart(deps, () => (this.root.dataset.loading === "true" ? null : this.loaded));
    this.build();
  }

  /** The loss landscape a lesson shows (lesson 9), or null. */
  get landscape() { return this.extras.landscape; }

  build() {
    this.root.classList.add("panel", "lessons-panel");
    this.root.dataset.testid = "lessons";
    this.root.setAttribute("aria-label", "Lessons");
    this.select = el("select", { "data-testid": "lesson-select", "aria-label": "Lesson",
      onchange: () => this.go(this.select.value) });
    this.prev = el("button", { type: "button", class: "icon-btn small", "data-testid": "lesson-prev",
      title: "Previous lesson", "aria-label": "Previous lesson", text: "‹", onclick: () => this.move(-1) });
    this.next = el("button", { type: "button", class: "icon-btn small", "data-testid": "lesson-next",
      title: "Next lesson", "aria-label": "Next lesson", text: "›", onclick: () => this.move(1) });
    this.leaveButton = el("button", { type: "button", class: "icon-btn small lesson-leave", "data-testid": "lesson-leave",
      title: "Leave the lesson (the scene stays)", "aria-label": "Leave the lesson", text: "×", onclick: () => this.leave() });
    this.intro = el("p", { class: "hint lessons-intro", text: "Twelve prepared scenes, from one neuron to deep networks: pick one." });
    this.era = el("p", { class: "lesson-era" });
    this.title = el("h3", { class: "lesson-title", "data-testid": "lesson-title" });
    this.storyText = el("p", { class: "lesson-story-text" });
    this.story = el("details", { class: "lesson-story" }, el("summary", { text: "Story" }), this.storyText);
    this.tryText = el("p", { "data-testid": "lesson-try" });
    this.lookText = el("p", { "data-testid": "lesson-look" });
    this.claimText = el("span", { class: "claim-text" });
    this.checkBox = el("div", { class: "claim-check", "data-testid": "claim-check" });
    this.claim = el("div", { class: "lesson-claim", "data-testid": "lesson-claim" },
      el("p", {}, el("strong", { text: "Claim " }), this.claimText,
        el("span", { class: "lesson-checked", title: "tests/lessons runs this scene in the engine on 5 seeds",
          text: " (tested on 5 seeds)" })),
      this.checkBox);
    this.load = el("button", { type: "button", class: "btn small", "data-testid": "lesson-load",
      text: "Start the scene again", onclick: () => this.current && this.loadScene(this.current) });
    this.link = el("a", { class: "lesson-link", href: "#", title: "A link that opens this lesson", text: "link to this lesson" });
    this.state = el("span", { class: "lesson-state", "data-testid": "lesson-state", "aria-live": "polite" });
    this.extras = new LessonExtras(this.deps, el("div", { class: "lesson-extra" }));
    this.check = new ClaimCheck(this.checkBox, { landscapeCells: () => this.extras.landscape?.cellsFromMinimum() ?? null });
    this.article = el("article", { class: "lesson", "data-testid": "lesson" },
      this.era, this.title, this.story,
      el("h4", { text: "Try" }), this.tryText,
      el("h4", { text: "Look for" }), this.lookText,
      this.claim,
      el("div", { class: "lesson-actions" }, this.load, this.link, this.state),
      this.extras.box);
    this.root.replaceChildren(
      el("h2", { class: "lessons-head" }, el("span", { text: "Lessons" }),
        el("span", { class: "lessons-nav" }, this.prev, this.select, this.next, this.leaveButton)),
      this.intro, this.article);
    this.article.hidden = true;
    for (const node of [this.leaveButton, this.prev, this.next]) node.hidden = true; // lesson mode's
  }

  async begin() {
    this.startHere();
    try {
      this.list = (await getLessons()).lessons;
    } catch (err) {
      this.root.append(el("p", { class: "lesson-error", text: `The lessons could not be loaded: ${err.message}` }));
      return;
    }
    this.select.replaceChildren(
      el("option", { value: "", text: "choose a lesson…", disabled: true }),
      ...this.list.map((l) => el("option", { value: l.id, text: `${l.number}. ${l.title}` })));
    this.select.value = "";
    window.addEventListener("hashchange", () => {
      const id = lessonFromHash(); // (our own history.replaceState does not fire this: a change here is a request)
      if (id) this.open(id);
    });
    this.followRuns();
    const id = lessonFromHash(OPENED_WITH);
    if (id) {
      await this.deps.ready;
      this.dismissHashBanner();
      await this.open(id);
    }
  }

  /** The first visit (no link in the address): a card that opens lesson 1, or lets the user just play. */
  startHere() {
    const card = document.getElementById("start-here");
    if (!card) return;
    card.hidden = Boolean(OPENED_WITH);
    $("#start-lesson").addEventListener("click", () => this.list.length && this.go(this.list[0].id));
    $("#start-dismiss").addEventListener("click", () => { card.hidden = true; });
  }

  /** The main run's frames and events and the side-by-side runs' (compare.js), for the claim. */
  followRuns() {
    const { store } = this.deps;
    store.on("frame", (frame) => { if (this.mode) this.check.frame("", frame); });
    store.on("event", (msg) => { if (this.mode) this.check.event("", msg.event); });
    document.addEventListener("nnlive:run", (/** @type {CustomEvent} */ e) => {
      if (!this.mode) return;
      const { label, frame, event, closed } = e.detail;
      if (closed) this.check.forget(label);
      else if (frame) this.check.frame(label, frame);
      else if (event) this.check.event(label, event);
    });
    document.addEventListener("nnlive:replay", (/** @type {CustomEvent} */ e) => {
      this.extras.landscape?.showUpTo(e.detail && e.detail.frame ? e.detail.frame.epoch : Infinity);
    });
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

  /** Open a lesson: its text beside the plane and its scene on it. */
  go(id) {
    this.open(id);
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

  async open(id) {
    let lesson;
    try {
      lesson = await this.lesson(id);
    } catch (err) {
      this.deps.store.message(`${err.message}`, { kind: "error" });
      return;
    }
    this.enter();
    this.show(lesson);
    await this.loadScene(lesson);
  }

  /** Lesson mode: the lesson's text fills the left column, beside the plane. */
  enter() {
    const hereCard = document.getElementById("start-here");
    if (hereCard) hereCard.hidden = true;
    if (this.mode) return;
    this.mode = true;
    this.setMode(true);
    if (this.root.parentElement) this.root.parentElement.scrollTop = 0;
  }

  /** Back to the plain page: the scene stays, the lesson's text and its claim go. */
  leave() {
    if (!this.mode) return;
    this.mode = false;
    this.current = null;
    this.loaded = null;
    this.article.hidden = true;
    this.extras.clear();
    this.select.value = "";
    this.setMode(false);
    this.deps.store.flushHash().catch(() => {}); // the address becomes the scene's own link
  }

  setMode(on) {
    document.body.classList.toggle("lesson-mode", on);
    this.leaveButton.hidden = !on;
    this.intro.hidden = on;
    this.prev.hidden = !on;
    this.next.hidden = !on;
    document.dispatchEvent(new CustomEvent("nnlive:lesson-mode", { detail: { on } }));
    window.dispatchEvent(new Event("resize")); // the plots fit their new columns
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
    this.storyText.textContent = lesson.story || "";
    this.story.hidden = !lesson.story;
    this.story.open = window.innerHeight >= ROOM_FOR_STORY;
    this.tryText.textContent = lesson.try;
    this.lookText.textContent = lesson.look_for;
    this.claimText.textContent = lesson.claim;
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
    this.check.start(lesson);
    liveView.replaying = false;
    this.root.dataset.loading = "true";
    const applied = this.start.whenApplied(lesson.config);
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
    if (ok) this.start.sendWeights(lesson.config.network && lesson.config.network.weights);
    if (lesson.display && lesson.display.landscape) this.extras.showLandscape(lesson);
    if (lesson.display && lesson.display.gallery) this.extras.showGallery();
    await this.markURL(lesson);
    this.root.dataset.loading = "false";
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
    if (this.loaded === lesson) history.replaceState(null, "", `${location.pathname}${location.search}#lesson=${lesson.id}`);
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
