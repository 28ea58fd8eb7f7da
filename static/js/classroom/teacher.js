// The teacher's page `/class` (docs/classroom.md): create a class (or go back to one this browser teaches), show its
// code and join link, run it — release, pause all, broadcast (the visualizer opened as `/?teach=<code>` is the
// broadcast), push a saved scene, collect snapshots, anonymous names — and watch every learner's run on the
// dashboard (dashboard.js), one of them large on the projector. The teacher's token stays in this browser
// (link.js); every command goes over the class socket and comes back as the class's new state, so two screens of
// the same teacher (laptop and projector) stay in step. The words are in TEXT.

import { requestJSON } from "../api.js";
import { el } from "../dom.js";
import { ownedInfos } from "../owned_scenes.js";
import { ClassSocket } from "./class_socket.js";
import { Dashboard, Spotlight } from "./dashboard.js";
import { keepTaught, taughtClasses } from "./link.js";

const TEXT = {
  create: "New class",
  title: "title",
  anonymous: "anonymous names on the dashboard",
  make: "Create the class",
  yours: "Your classes",
  code: "class code",
  link: "join link",
  copy: "Copy",
  modes: { free: "Release: everyone runs their own", paused: "Pause all", watching: "Broadcast my run" },
  broadcastPage: "Open my broadcast run ↗",
  collect: "Collect snapshots",
  push: "Push to everyone",
  pushLabel: "a saved scene",
  noScenes: "(save a scene with Save ▾ first)",
  learners: (n) => `Learners (${n})`,
  sort: "sort by",
  sorts: { joined: "joining", name: "name", epoch: "epoch", loss: "loss", accuracy: "accuracy" },
  snapshots: "Snapshots",
  close: "Close",
  status: { live: "live", reconnecting: "reconnecting…" },
};

const $ = (sel) => /** @type {HTMLElement} */ (document.querySelector(sel));

function createForm(onCreated) {
  const title = el("input", { type: "text", id: "class-title", maxlength: "200", "data-testid": "class-title" });
  const anonymous = el("input", { type: "checkbox", "data-testid": "class-anonymous" });
  const error = el("p", { class: "field-error", role: "alert", "data-testid": "create-error" });
  const form = el("form", { class: "create-form" },
    el("h2", {}, TEXT.create),
    el("label", { for: "class-title" }, TEXT.title), title,
    el("label", { class: "check" }, anonymous, TEXT.anonymous), error,
    el("button", { type: "submit", class: "btn primary", "data-testid": "create" }, TEXT.make));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    try {
      const made = await requestJSON("/api/classes", { method: "POST",
        body: { title: title.value.trim(), anonymous: anonymous.checked } });
      keepTaught({ code: made.code, title: made.title, token: made.teacher_token });
      onCreated(made.code);
    } catch (err) {
      error.textContent = err.message;
    }
  });
  const taught = taughtClasses();
  const list = taught.length ? el("div", { class: "taught" }, el("h2", {}, TEXT.yours),
    el("ul", {}, taught.map((c) => el("li", {}, el("a", { href: `/class?code=${c.code}` }, `${c.title || c.code} (${c.code})`)))))
    : null;
  $("#create").replaceChildren(form, list || "");
}

class Room {
  /** @param {{code: string, title: string, token: string}} taught */
  constructor(taught) {
    this.taught = taught;
    this.state = null;
    const joinUrl = new URL(`/c/${taught.code}`, location.origin).href;
    this.error = el("p", { class: "field-error", role: "alert", "data-testid": "class-error" });
    this.status = el("span", { class: "class-status", "data-testid": "class-status" });
    this.modeButtons = Object.entries(TEXT.modes).map(([mode, label]) => el("button", { type: "button", class: "btn",
      "data-testid": `mode-${mode}`, "data-mode": mode, "aria-pressed": "false",
      onclick: () => this.send({ type: "mode", mode }) }, label));
    this.anonymous = el("input", { type: "checkbox", "data-testid": "anonymous",
      onchange: () => this.send({ type: "anonymous", on: this.anonymous.checked }) });
    this.pushSelect = el("select", { "data-testid": "push-select", "aria-label": TEXT.pushLabel });
    this.sort = el("select", { "data-testid": "sort", "aria-label": TEXT.sort,
      onchange: () => this.dashboard.setSort(this.sort.value) },
    Object.entries(TEXT.sorts).map(([key, label]) => el("option", { value: key }, label)));
    this.count = el("h2", {}, TEXT.learners(0));
    this.tiles = el("ol", { class: "tiles", "data-testid": "tiles" });
    this.snapshots = el("ul", { class: "snapshots", "data-testid": "snapshots" });
    const spot = el("section", { class: "spotlight", "data-testid": "spotlight", hidden: true },
      el("div", { class: "spot-body" }),
      el("button", { type: "button", class: "btn", "data-testid": "spotlight-close",
        onclick: () => this.send({ type: "spotlight", member: null }) }, TEXT.close));
    this.dashboard = new Dashboard(this.tiles, { onPick: (id) => this.send({ type: "spotlight", member: id }) });
    this.spotlight = new Spotlight(spot, this.dashboard);
    $("#room").replaceChildren(
      el("div", { class: "room-head" },
        el("h2", { class: "room-title" }, taught.title || taught.code),
        el("div", { class: "code-box" }, el("span", { class: "label" }, TEXT.code),
          el("strong", { class: "code", "data-testid": "class-code" }, taught.code)),
        el("div", { class: "join-box" }, el("span", { class: "label" }, TEXT.link),
          el("input", { type: "text", readonly: true, value: joinUrl, "data-testid": "join-link", "aria-label": TEXT.link }),
          el("button", { type: "button", class: "btn", onclick: () => navigator.clipboard?.writeText(joinUrl) }, TEXT.copy)),
        this.status),
      el("div", { class: "actions", role: "group" }, this.modeButtons,
        el("a", { class: "btn", href: `/?teach=${taught.code}`, target: "_blank", "data-testid": "broadcast-page" },
          TEXT.broadcastPage),
        el("button", { type: "button", class: "btn", "data-testid": "collect", onclick: () => this.send({ type: "collect" }) },
          TEXT.collect),
        el("label", { class: "check" }, this.anonymous, TEXT.anonymous),
        el("span", { class: "push" }, this.pushSelect, el("button", { type: "button", class: "btn", "data-testid": "push",
          onclick: () => this.pushSelect.value && this.send({ type: "push", scene: this.pushSelect.value }) }, TEXT.push))),
      this.error, spot,
      el("div", { class: "dash-head" }, this.count, el("label", {}, `${TEXT.sort} `, this.sort)),
      this.tiles,
      el("h2", {}, TEXT.snapshots), this.snapshots);
    $("#room").hidden = false;
    $("#create").hidden = true;
    this.fillPush();
    this.socket = new ClassSocket(taught.code, `teacher=${encodeURIComponent(taught.token)}`, {
      onMessage: (msg) => this.onMessage(msg),
      onStatus: (s) => { this.status.textContent = TEXT.status[s] || s; this.status.dataset.state = s; },
      onRefused: (msg) => { this.error.textContent = msg.message; },
    });
  }

  send(msg) {
    this.error.textContent = "";
    if (!this.socket.send(msg)) this.error.textContent = TEXT.status.reconnecting;
  }

  async fillPush() {
    try {
      const scenes = await ownedInfos();
      this.pushSelect.replaceChildren(...(scenes.length ? scenes.map((s) => el("option", { value: s.id }, s.title || s.id))
        : [el("option", { value: "" }, TEXT.noScenes)]));
    } catch (err) {
      this.error.textContent = err.message;
    }
  }

  onMessage(msg) {
    const d = this.dashboard;
    if (msg.type === "class") {
      d.roster(msg.members);
      this.setState(msg.state);
      this.loadSnapshots();
    } else if (msg.type === "state") this.setState(msg.state);
    else if (msg.type === "joined") d.join(msg.member, msg.name);
    else if (msg.type === "left") d.left(msg.member);
    else if (msg.type === "summary") {
      d.summary(msg);
      if (msg.member === this.spotlight.id) this.spotlight.render();
    } else if (msg.type === "snapshot") this.addSnapshot(msg.scene, msg.name);
    else if (msg.type === "error") this.error.textContent = msg.message;
    this.count.textContent = TEXT.learners(d.count);
  }

  setState(state) {
    this.state = state;
    for (const b of this.modeButtons) b.setAttribute("aria-pressed", String(b.dataset.mode === state.mode));
    document.body.dataset.classMode = state.mode;
    this.anonymous.checked = state.anonymous;
    this.dashboard.setAnonymous(state.anonymous);
    this.spotlight.show(state.spotlight);
  }

  async loadSnapshots() {
    try {
      const { scenes } = await requestJSON(`/api/classes/${this.taught.code}/snapshots`, { token: this.taught.token });
      this.snapshots.replaceChildren();
      for (const s of scenes) this.addSnapshot(s, s.title);
    } catch (err) {
      this.error.textContent = err.message;
    }
  }

  addSnapshot(scene, name) {
    this.snapshots.append(el("li", {}, el("a", { href: scene.url, target: "_blank", "data-testid": "snapshot" },
      `${name} — ${new Date(scene.created).toLocaleTimeString()}`)));
  }
}

function main() {
  const code = new URLSearchParams(location.search).get("code");
  const taught = code && taughtClasses().find((c) => c.code === code.toUpperCase());
  const open = (c) => {
    history.replaceState(null, "", `/class?code=${c}`);
    window.nnliveClass = new Room(taughtClasses().find((t) => t.code === c));
  };
  if (taught) open(taught.code);
  else createForm(open);
  $("#teacher").dataset.ready = "true";
}

main();
