// How the visualizer page takes part in a class (docs/classroom.md). A learner opens `/c/<code>` (the server puts
// the code in `#app[data-class-code]`): the first time, a dialog asks their name and joins; the member id is kept in
// localStorage, so a reload stays in the class. The teacher's broadcast is the page opened as `/?teach=<code>` in a
// browser holding that class's teacher token (teacher.js keeps it). Either way the live session's socket carries
// the class (`/ws/train?class=…`), so the class sees the run. The words the user reads are in TEXT.

import { requestJSON } from "../api.js";
import { el } from "../dom.js";
import { defaultUrl } from "../socket.js";

const MEMBERS = "nnlive.class-members"; // {code: {id, name}}
const TEACHING = "nnlive.classes"; // [{code, title, token}], newest first

const TEXT = {
  title: (title, code) => `Join ${title ? `“${title}”` : "the class"} (${code})`,
  name: "your name",
  hint: "The teacher sees it next to your run.",
  join: "Join",
  joining: "Joining…",
  unknown: (code) => `No class has the code ${code}: check it with your teacher.`,
};

function readJSON(key, fallback) {
  try {
    return JSON.parse(localStorage.getItem(key) || "null") ?? fallback;
  } catch {
    return fallback;
  }
}

function writeJSON(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage blocked: the class works for this visit
  }
}

/** @returns {{code: string, title: string, token: string}[]} the classes this browser teaches, newest first */
export const taughtClasses = () => readJSON(TEACHING, []);

/** Keep a class this browser teaches (its token rules it). */
export function keepTaught(entry) {
  writeJSON(TEACHING, [entry, ...taughtClasses().filter((c) => c.code !== entry.code)].slice(0, 20));
}

/** @returns {{id: string, name: string} | null} this browser's membership of class `code` */
export const membership = (code) => readJSON(MEMBERS, {})[code] || null;

function keepMembership(code, member) {
  writeJSON(MEMBERS, { ...readJSON(MEMBERS, {}), [code]: { id: member.id, name: member.name } });
}

/** The name dialog: resolves with the membership once the server took the name. */
function joinDialog(klass) {
  return new Promise((resolve) => {
    const input = el("input", { type: "text", id: "join-name", required: true, maxlength: "40", autocomplete: "nickname",
      "data-testid": "join-name" });
    const error = el("p", { class: "field-error", role: "alert", "data-testid": "join-error" });
    const button = el("button", { type: "submit", class: "btn primary", "data-testid": "join" }, TEXT.join);
    const form = el("form", { class: "join-form" },
      el("h2", {}, TEXT.title(klass.title, klass.code)),
      el("label", { for: "join-name" }, TEXT.name), input, el("p", { class: "hint" }, TEXT.hint), error, button);
    const dialog = el("dialog", { class: "join-dialog", "data-testid": "join-dialog" }, form);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      button.disabled = true;
      button.textContent = TEXT.joining;
      error.textContent = "";
      try {
        const member = await requestJSON(`/api/classes/${klass.code}/members`, { method: "POST",
          body: { name: input.value } });
        keepMembership(klass.code, member);
        dialog.close();
        dialog.remove();
        resolve(member);
      } catch (err) {
        error.textContent = err.message;
        button.disabled = false;
        button.textContent = TEXT.join;
      }
    });
    dialog.addEventListener("cancel", (event) => event.preventDefault()); // the page needs a name first
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}

/**
 * The page's part in a class, before its live session opens: null (no class), a learner (after the name dialog if
 * this browser has not joined yet) or the teacher's broadcast.
 * @returns {Promise<null | {role: "learner" | "teacher", code: string, title: string, member?: {id: string, name: string},
 *   trainUrl: string}>}
 */
export async function classLink() {
  const app = document.querySelector("#app");
  const learnerCode = app instanceof HTMLElement ? app.dataset.classCode : "";
  const teach = new URLSearchParams(location.search).get("teach");
  if (teach) {
    const taught = taughtClasses().find((c) => c.code === teach.toUpperCase());
    if (!taught) return null;
    return { role: "teacher", code: taught.code, title: taught.title,
      trainUrl: `${defaultUrl()}?class=${taught.code}&teacher=${encodeURIComponent(taught.token)}` };
  }
  if (!learnerCode) return null;
  const klass = await requestJSON(`/api/classes/${learnerCode}`);
  const member = membership(klass.code) || await joinDialog(klass);
  return { role: "learner", code: klass.code, title: klass.title, member,
    trainUrl: `${defaultUrl()}?class=${klass.code}&member=${member.id}` };
}
