// The teacher's dashboard (docs/classroom.md, "The dashboard"): one tile per learner — their run's thumbnail,
// epoch, loss, test accuracy and settings, refreshed by each summary (every 0.8 s) — sortable, and a click on
// a tile shows that learner on the projector (the spotlight, a large live view of the same summary). With anonymous
// names on, learners show as "Learner 1", "Learner 2", … in the order they joined. The words are in TEXT.

import { el } from "../dom.js";
import { paintThumb } from "./thumb.js";

const TEXT = {
  learner: (k) => `Learner ${k}`,
  epoch: "epoch",
  loss: "loss",
  accuracy: "test acc.",
  waiting: "no run yet",
  away: "left",
  show: (name) => `Show ${name}'s run on the projector`,
  settings: (s) => [s.data, s.hidden && s.hidden.length ? `hidden ${s.hidden.join("-")}` : "no hidden layer",
    s.activation, s.optimizer, s.learning_rate != null ? `lr ${s.learning_rate}` : null].filter(Boolean).join(" · "),
};

const fmt = (v, digits = 3) => (v == null || !Number.isFinite(v) ? "—" : Number(v).toFixed(digits));
const pct = (v) => (v == null || !Number.isFinite(v) ? "—" : `${(100 * v).toFixed(1)} %`);
const lossOf = (s) => s?.metrics?.test_loss ?? s?.metrics?.train_loss ?? null;
const accuracyOf = (s) => s?.metrics?.test_accuracy ?? s?.metrics?.train_accuracy ?? null;

/** Sort keys: a missing value sorts last. */
const SORTS = {
  joined: (a, b) => a.order - b.order,
  name: (a, b) => a.name.localeCompare(b.name),
  epoch: (a, b) => (b.summary?.epoch ?? -1) - (a.summary?.epoch ?? -1),
  loss: (a, b) => (lossOf(a.summary) ?? Infinity) - (lossOf(b.summary) ?? Infinity),
  accuracy: (a, b) => (accuracyOf(b.summary) ?? -1) - (accuracyOf(a.summary) ?? -1),
};

export class Dashboard {
  /**
   * @param {HTMLElement} list the tiles' <ol>
   * @param {{onPick: (id: string) => void}} callbacks
   */
  constructor(list, { onPick }) {
    this.list = list;
    this.onPick = onPick;
    /** @type {Map<string, {id: string, name: string, order: number, summary: any, away: boolean, tile: HTMLElement}>} */
    this.learners = new Map();
    this.sort = "joined";
    this.anonymous = false;
    this.pending = false;
  }

  /** The class's learners as the server lists them (in the order they joined). */
  roster(members) {
    for (const m of members) this.join(m.id, m.name, true);
  }

  join(id, name, away = false) {
    const known = this.learners.get(id);
    if (known) {
      known.away = away && known.away;
      this.update(known);
      return;
    }
    const learner = { id, name, order: this.learners.size + 1, summary: null, away, tile: null };
    learner.tile = el("li", { class: "tile", "data-testid": "tile", "data-member": id });
    this.learners.set(id, learner);
    this.update(learner);
    this.schedule();
  }

  left(id) {
    const learner = this.learners.get(id);
    if (!learner) return;
    learner.away = true;
    this.update(learner);
  }

  summary(s) {
    if (!this.learners.has(s.member)) this.join(s.member, s.name);
    const learner = this.learners.get(s.member);
    learner.summary = s;
    learner.away = false;
    this.update(learner);
    if (this.sort !== "joined" && this.sort !== "name") this.schedule();
  }

  /** The name the dashboard shows: the learner's, or "Learner k" with anonymous names on. */
  nameOf(learner) { return this.anonymous ? TEXT.learner(learner.order) : learner.name; }

  setAnonymous(on) {
    this.anonymous = on;
    for (const learner of this.learners.values()) this.update(learner);
  }

  setSort(key) {
    this.sort = key in SORTS ? key : "joined";
    this.schedule();
  }

  get count() { return this.learners.size; }

  /** Re-order the tiles at the next frame (summaries arrive one by one; one re-order serves them all). */
  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      const order = [...this.learners.values()].sort(SORTS[this.sort] || SORTS.joined);
      this.list.replaceChildren(...order.map((l) => l.tile));
    });
  }

  update(learner) {
    const s = learner.summary;
    const name = this.nameOf(learner);
    const canvas = el("canvas", { class: "thumb", width: "24", height: "24", "aria-hidden": "true" });
    paintThumb(canvas, s?.thumb || null);
    const stats = s ? el("dl", { class: "tile-stats" },
      el("div", {}, el("dt", {}, TEXT.epoch), el("dd", { "data-stat": "epoch" }, String(s.epoch))),
      el("div", {}, el("dt", {}, TEXT.loss), el("dd", { "data-stat": "loss" }, fmt(lossOf(s)))),
      el("div", {}, el("dt", {}, TEXT.accuracy), el("dd", { "data-stat": "accuracy" }, pct(accuracyOf(s)))))
      : el("p", { class: "hint" }, TEXT.waiting);
    const settings = s?.settings ? el("p", { class: "tile-settings" }, TEXT.settings(s.settings)) : null;
    const button = el("button", { type: "button", class: "tile-btn", title: TEXT.show(name),
      onclick: () => this.onPick(learner.id) },
    canvas, el("span", { class: "tile-name", "data-testid": "tile-name" }, name,
      learner.away ? el("small", {}, ` (${TEXT.away})`) : null), stats, settings);
    learner.tile.classList.toggle("away", learner.away);
    learner.tile.replaceChildren(button);
  }
}

/** The projector's view of one learner: a large thumbnail and their numbers, live. */
export class Spotlight {
  /** @param {HTMLElement} root @param {Dashboard} dashboard */
  constructor(root, dashboard) {
    this.root = root;
    this.dashboard = dashboard;
    this.id = null;
  }

  show(id) {
    this.id = id;
    this.render();
  }

  render() {
    const learner = this.id ? this.dashboard.learners.get(this.id) : null;
    this.root.hidden = !learner;
    if (!learner) return;
    const s = learner.summary;
    const canvas = el("canvas", { class: "spot-thumb", width: "24", height: "24", "data-testid": "spotlight-canvas" });
    paintThumb(canvas, s?.thumb || null);
    this.root.querySelector(".spot-body").replaceChildren(canvas,
      el("div", { class: "spot-text" },
        el("h2", { "data-testid": "spotlight-name" }, this.dashboard.nameOf(learner)),
        s ? el("p", { class: "spot-stats" }, `${TEXT.epoch} ${s.epoch} · ${TEXT.loss} ${fmt(lossOf(s))} · ` +
          `${TEXT.accuracy} ${pct(accuracyOf(s))}`) : el("p", {}, TEXT.waiting),
        s?.settings ? el("p", { class: "tile-settings" }, TEXT.settings(s.settings)) : null));
  }
}
