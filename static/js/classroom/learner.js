// The visualizer page in a class (docs/classroom.md, "What learners see"): a badge (bottom left) with the class, the
// learner's name and what the class is doing, and the teacher's decisions carried out as they come over the class
// socket — a pushed scene loads (with its weights), "pause all" pauses the run and holds the transport, "watching"
// shows the teacher's broadcast frame by frame in the page's own views (the learner's run is paused), "release"
// gives each learner their own copy of what they watched (its config and last weights) to run, and "collect"
// sends a snapshot of the learner's scene. The teacher's own broadcasting page gets only the badge.

import { requestJSON } from "../api.js";
import { runToResume } from "../connection.js";
import { el } from "../dom.js";
import { fetchScene } from "../owned_scenes.js";
import { decodeFrame } from "../socket.js";
import { clone } from "../state.js";
import { ClassSocket } from "./class_socket.js";

/** @typedef {import("../state.js").Store} Store */
/** @typedef {import("../controls/commands.js").Commands} Commands */
/** @typedef {import("../scenes.js").Scenes} Scenes */

const TEXT = {
  badge: (code, name) => `Class ${code} · ${name}`,
  teacher: (code) => `Broadcasting to class ${code}`,
  modes: { free: "your own run", paused: "paused by the teacher", watching: "watching the teacher" },
  reconnecting: "reconnecting to the class…",
  refused: (why) => `This page is no longer in the class: ${why}`,
  pushed: "The teacher sent a scene: it is loaded.",
  released: "Your turn: this is your own copy of the teacher's run.",
  collected: "A snapshot of your scene went to the teacher.",
  failed: (why) => `The class could not be followed: ${why}`,
};

export class LearnerClass {
  /**
   * @param {{role: string, code: string, title: string, member?: {id: string, name: string}}} link
   * @param {{store: Store, session: any, commands: Commands, scenes: Scenes}} deps
   */
  constructor(link, { store, session, commands, scenes }) {
    this.link = link;
    this.store = store;
    this.session = session;
    this.commands = commands;
    this.scenes = scenes;
    this.mode = "free";
    this.state = null;
    this.watched = null; // the broadcast's last `data` message
    this.watchedWeights = null; // the broadcast's last frame's weights
    this.badge = el("span", { class: "class-badge", "data-testid": "class-badge", role: "status" });
    document.body.append(this.badge); // a pill of its own: the top bar has no room to spare
    if (link.role === "teacher") {
      this.badge.textContent = TEXT.teacher(link.code);
      this.badge.dataset.mode = "broadcasting";
      return;
    }
    this.show();
    this.socket = new ClassSocket(link.code, `member=${link.member.id}`, {
      onMessage: (msg) => this.onMessage(msg),
      onFrame: (buf) => this.onFrame(buf),
      onStatus: (status) => this.show(status),
      onRefused: (msg) => store.message(TEXT.refused(msg.message), { kind: "error", sticky: true }),
    });
  }

  show(status = "live") {
    const mode = status === "live" ? TEXT.modes[this.mode] : TEXT.reconnecting;
    this.badge.textContent = `${mode[0].toUpperCase()}${mode.slice(1)} · ${TEXT.badge(this.link.code, this.link.member.name)}`;
    this.badge.title = this.badge.textContent;
    this.badge.dataset.mode = this.mode;
  }

  onMessage(msg) {
    if (msg.type === "class" || msg.type === "state") this.follow(msg.state, msg.type === "class").catch((err) => {
      this.store.message(TEXT.failed(err.message), { kind: "error" });
    });
    else if (msg.type === "data") this.onData(msg);
  }

  /** Carry out the class's state: the first one (on connecting) or a change. */
  async follow(state, first) {
    const before = this.state;
    this.state = state;
    if (state.scene && state.scene_version !== before?.scene_version) await this.loadPushed(state.scene);
    if (!first && before && state.collect_version !== before.collect_version) await this.snapshot();
    this.setMode(state.mode);
  }

  setMode(mode) {
    const was = this.mode;
    this.mode = mode;
    if (mode !== "free") this.commands.pause();
    const transport = document.querySelector(".transport");
    const layout = document.querySelector("main.layout");
    if (transport instanceof HTMLElement) transport.inert = mode !== "free";
    if (layout instanceof HTMLElement) layout.inert = mode === "watching";
    document.body.dataset.classMode = mode;
    if (was === "watching" && mode !== "watching" && this.watched) {
      this.scenes.load({ config: clone(this.watched.config) }, this.watchedWeights);
      this.store.message(TEXT.released, { kind: "info" });
    }
    if (mode === "watching" && this.watched) this.handlers().onData?.(this.watched);
    this.show();
  }

  handlers() { return /** @type {any} */ (this.session).handlers; }

  onData(msg) {
    this.watched = msg;
    if (this.mode === "watching") this.handlers().onData?.(msg);
  }

  onFrame(buf) {
    if (this.mode !== "watching" || !this.watched) return;
    const frame = decodeFrame(buf);
    this.watchedWeights = frame.weights;
    this.handlers().onFrame?.(frame);
  }

  async loadPushed(id) {
    const saved = await fetchScene(id);
    this.scenes.load({ config: saved.config }, saved.weights);
    this.store.message(TEXT.pushed, { kind: "info" });
  }

  async snapshot() {
    const { store } = this;
    if (!store.config) return;
    const body = { title: "", config: clone(store.config) };
    const run = runToResume(clone(store.applied || store.config), store.lastFrame);
    if (run) body.weights = run.weights;
    await requestJSON(`/api/classes/${this.link.code}/snapshots`, { method: "POST", body, token: this.link.member.id });
    store.message(TEXT.collected, { kind: "info" });
  }
}
