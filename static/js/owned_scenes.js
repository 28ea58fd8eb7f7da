// The saved scenes this browser owns: there are no accounts, so a scene's owner is whoever holds its edit token
// (docs/api.md, "Saved scenes"). The tokens live in localStorage under one key, newest first, each with the
// scene's id and title; the server keeps only their hashes. The REST calls of /api/scenes are here too.

import { requestJSON } from "./api.js";

const KEY = "nnlive.saved-scenes";
const MOST = 100; // the server's lookup takes at most this many ids (app/schemas.py LOOKUP_IDS)

/** @typedef {{id: string, token: string, title: string, saved: string}} Owned */
/** @typedef {{id: string, url: string, title: string, size: number, has_weights: boolean,
 *   history_points: number, created: string, updated: string}} SceneInfo */

/** @returns {Owned[]} the scenes this browser holds a token for, newest first */
export function ownedScenes() {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) || "[]");
    return Array.isArray(list) ? list.filter((s) => s && typeof s.id === "string" && typeof s.token === "string") : [];
  } catch {
    return []; // storage blocked or damaged: the gallery is empty, saving still works for this visit
  }
}

/** @param {Owned[]} list */
function keep(list) {
  try {
    localStorage.setItem(KEY, JSON.stringify(list.slice(0, MOST)));
  } catch {
    // storage full or blocked: the link still works, only the gallery forgets it
  }
}

/** @param {string} id @returns {Owned | undefined} */
export const ownedScene = (id) => ownedScenes().find((s) => s.id === id);

/** @param {string} id */
export const forgetScene = (id) => keep(ownedScenes().filter((s) => s.id !== id));

/**
 * Save a new scene; its token is kept in this browser.
 * @param {{title: string, config: any, weights?: any, history?: any}} body
 * @returns {Promise<SceneInfo & {edit_token: string}>}
 */
export async function saveScene(body) {
  const created = await requestJSON("/api/scenes", { method: "POST", body });
  keep([{ id: created.id, token: created.edit_token, title: created.title, saved: created.created },
    ...ownedScenes().filter((s) => s.id !== created.id)]);
  return created;
}

/** Replace a scene this browser owns (its link stays). @returns {Promise<SceneInfo>} */
export async function replaceScene(id, body) {
  const owned = ownedScene(id);
  const info = await requestJSON(`/api/scenes/${encodeURIComponent(id)}`, { method: "PUT", body, token: owned?.token });
  keep(ownedScenes().map((s) => (s.id === id ? { ...s, title: info.title } : s)));
  return info;
}

/** Delete a scene this browser owns; a scene already gone is forgotten all the same. */
export async function deleteScene(id) {
  const owned = ownedScene(id);
  try {
    await requestJSON(`/api/scenes/${encodeURIComponent(id)}`, { method: "DELETE", token: owned?.token });
  } catch (err) {
    if (err.status !== 404) throw err;
  }
  forgetScene(id);
}

/** The metadata of the scenes this browser owns, newest first; scenes deleted elsewhere are forgotten.
 * @returns {Promise<SceneInfo[]>} */
export async function ownedInfos() {
  const owned = ownedScenes();
  if (!owned.length) return [];
  const { scenes } = await requestJSON("/api/scenes/lookup", { method: "POST", body: { ids: owned.map((s) => s.id) } });
  const found = new Set(scenes.map((s) => s.id));
  if (found.size < owned.length) keep(owned.filter((s) => found.has(s.id)));
  return scenes;
}

/** The whole saved scene: config, weights, history and metadata. */
export const fetchScene = (id) => requestJSON(`/api/scenes/${encodeURIComponent(id)}`);
