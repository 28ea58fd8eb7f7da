// The transport in the top bar: play / pause, step, reset, the speed slider, and the keyboard — space play/pause,
// s step, r reset, a/m/e/b drawing tools, 1–k the class of new points.

import { $, inputAt } from "../dom.js";

/** @typedef {import("../state.js").Store} Store */
/** @typedef {import("../socket.js").Session} Session */
/** @typedef {import("../catalog.js").Catalog} Catalog */
/** @typedef {import("./commands.js").Commands} Commands */

/** Epochs per second the slider offers; 0 = as fast as possible. */
const SPEEDS = [1, 2, 5, 10, 30, 100, 300, 0];
const DEFAULT_SPEED = 10;
const TOOL_KEYS = { a: "add", m: "move", e: "erase", b: "brush" };

export class Transport {
  /**
   * @param {{store: Store, session: Session, catalog: Catalog, commands: Commands, classes: number}} deps
   *   `classes`: how many classes the class keys reach (the class picker's)
   */
  constructor({ store, session, catalog, commands, classes }) {
    this.store = store;
    this.commands = commands;
    this.classes = classes;
    $("#btn-play").addEventListener("click", () => commands.play());
    $("#btn-pause").addEventListener("click", () => commands.pause());
    $("#btn-step").addEventListener("click", () => commands.step());
    $("#btn-reset").addEventListener("click", () => commands.reset());
    const speed = inputAt("#speed");
    speed.max = String(SPEEDS.length - 1);
    speed.addEventListener("input", () => {
      const value = SPEEDS[Number(speed.value)];
      store.setView({ speed: value });
      session.set({ speed: value });
    });
    const keys = document.getElementById("class-keys");
    if (keys) keys.textContent = String(Math.min(9, classes));
    document.addEventListener("keydown", (e) => this.onKey(e));
    store.on("playing", ({ playing }) => this.showPlaying(playing));
    store.on("view", () => this.showSpeed());
    store.on("config", () => {
      $("#btn-step").title = catalog.classic(store.config) ? "Step one sample (s)" : "Step one epoch (s)";
    });
  }

  /** Play and pause share a place: the one shown takes the focus when the other had it (Enter or space on a
   * button keeps the keyboard where it was). */
  showPlaying(playing) {
    const [shown, hidden] = playing ? [$("#btn-pause"), $("#btn-play")] : [$("#btn-play"), $("#btn-pause")];
    const hadFocus = document.activeElement === hidden;
    shown.hidden = false;
    hidden.hidden = true;
    if (hadFocus) shown.focus();
    document.body.classList.toggle("playing", playing);
  }

  showSpeed() {
    const v = this.store.view.speed;
    const idx = SPEEDS.indexOf(v);
    inputAt("#speed").value = String(idx >= 0 ? idx : SPEEDS.indexOf(DEFAULT_SPEED));
    $("#speed-out").textContent = v === 0 ? "max" : `${v}/s`;
  }

  /** @param {KeyboardEvent} e */
  onKey(e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = /** @type {HTMLElement} */ (e.target);
    const typing = t && (t.isContentEditable || t.tagName === "TEXTAREA" || t.tagName === "SELECT" ||
      (t instanceof HTMLInputElement && !["checkbox", "radio", "range", "button"].includes(t.type)));
    if (typing) return;
    const key = e.key.toLowerCase();
    if (e.key === " " || key === "spacebar") {
      e.preventDefault(); // a focused button must not also be clicked
      this.commands.togglePlay();
    } else if (key === "s") {
      this.commands.step();
    } else if (key === "r") {
      this.commands.reset();
    } else if (Object.hasOwn(TOOL_KEYS, key)) {
      this.store.setView({ tool: TOOL_KEYS[key] });
    } else if (/^[1-9]$/.test(key) && Number(key) <= this.classes) {
      this.store.setView({ cls: Number(key) - 1 });
    }
  }
}
