// A lesson's words in the page's language: the lesson file's English, or its translation in the page's message
// catalog (`lesson.<id>.<field>`, `lesson.<id>.variant.<n>`, `lesson.<id>.check.<n>`; app/i18n.py). A run keeps
// its label as its name (the claim's conditions and the cards go by it); only what the page shows is translated.

import { t, tOr } from "./i18n.js";

/** @typedef {{id: string, base_label?: string, variants?: {label: string}[], [field: string]: any}} LessonLike */

/** A text field of a lesson ("title", "story", "try", "look_for", "claim", "era", "base_label"). */
export const said = (/** @type {LessonLike} */ lesson, /** @type {string} */ field) =>
  tOr(`lesson.${lesson.id}.${field}`, lesson[field] || "");

/**
 * What a run of a lesson is called on screen: its base label or a variant's, translated; "" is the main run.
 * @param {LessonLike | null} lesson
 * @param {string} label
 */
export function runLabel(lesson, label) {
  if (!lesson || !label) return label || t("lessons.this_run");
  if (label === lesson.base_label) return said(lesson, "base_label");
  const n = (lesson.variants || []).findIndex((v) => v.label === label);
  return n >= 0 ? tOr(`lesson.${lesson.id}.variant.${n}`, label) : label;
}
