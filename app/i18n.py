"""The page's languages: one message catalog per language (static/i18n/<lang>.json) and the page's choice.

A catalog is a flat JSON object, key → message in an ICU-like syntax (`{n}`, `{n, number}`,
`{n, plural, one {# epoch} other {# epochs}}`) that static/js/i18n.js formats. English has two sources, each
written once: static/i18n/en.json for the page's own words, and the engine's descriptions (rules, datasets,
optimizers, parameters: nncore's catalog, which API users read too) under `engine.*` keys (`engine_messages`).
Every other language translates both in one file. The lessons' words are the lesson files' (English) and
`lesson.<id>.<field>` keys of the other catalogs (`lesson_messages`).

The language comes from `?lang=` when it names one of `LANGUAGES`, else from the browser's preference
(Accept-Language, which the browser derives from `navigator.languages`), else English.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from app.paths import STATIC_DIR

LANGUAGES: tuple[str, ...] = ("en", "ko")  # the first is the fallback
I18N_DIR = STATIC_DIR / "i18n"


@cache
def _catalog_file(lang: str) -> dict[str, str]:
    data = json.loads((I18N_DIR / f"{lang}.json").read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("//")}  # "//…" keys are notes to translators


def engine_messages(catalog: dict[str, Any]) -> dict[str, str]:
    """The engine's English descriptions under stable keys: `engine.rule.<name>.title|doc|equation`,
    `engine.dataset.<name>.description|noise`, `engine.dataset_param.<param>` (a parameter one dataset
    describes in its own words: `engine.dataset.<name>.param.<param>`), `engine.optimizer.<name>`,
    `engine.optimizer_param.<param>`, `engine.field.<path>` (and `.nullable`, what null means)."""
    out: dict[str, str] = {}

    def shared(prefix: str, own: str, name: str, text: str) -> None:
        key = f"{prefix}.{name}"
        if out.setdefault(key, text) != text:
            out[f"{own}.{name}"] = text

    for name, rule in catalog["rules"].items():
        out[f"engine.rule.{name}.title"] = rule["title"]
        out[f"engine.rule.{name}.doc"] = rule["doc"]
        out[f"engine.rule.{name}.equation"] = rule["equation"]
    for name, spec in catalog["datasets"].items():
        out[f"engine.dataset.{name}.description"] = spec["description"]
        out[f"engine.dataset.{name}.noise"] = spec["noise"]
        for param, desc in spec["params"].items():
            shared("engine.dataset_param", f"engine.dataset.{name}.param", param, desc["doc"])
    for name, spec in catalog["optimizers"].items():
        out[f"engine.optimizer.{name}"] = spec["description"]
        for param, desc in spec["hyper"].items():
            shared("engine.optimizer_param", f"engine.optimizer.{name}.param", param, desc["doc"])
    fields = catalog["fields"]
    paths = {
        f"{group}.{k}": v for group, items in fields.items() if group != "seed" for k, v in items.items()
    }
    for path, desc in {**paths, "seed": fields["seed"]}.items():
        out[f"engine.field.{path}"] = desc["doc"]
        if desc.get("nullable"):
            out[f"engine.field.{path}.nullable"] = desc["nullable"]
    return out


def lesson_messages(lessons: list[dict[str, Any]]) -> dict[str, str]:
    """The lessons' English words under `lesson.<id>.<field>` (title, era, story, try, look_for, claim,
    base_label, variant.<n>, check.<n>): the keys a translation gives."""
    out: dict[str, str] = {}
    for lesson in lessons:
        key = f"lesson.{lesson['id']}"
        for field in ("title", "era", "story", "try", "look_for", "claim", "base_label"):
            if lesson.get(field):
                out[f"{key}.{field}"] = lesson[field]
        for n, variant in enumerate(lesson.get("variants") or []):
            out[f"{key}.variant.{n}"] = variant["label"]
        for n, cond in enumerate(lesson.get("check") or []):
            out[f"{key}.check.{n}"] = cond["label"]
    return out


def english() -> dict[str, str]:
    """Every English message: the page's, the engine's and the lessons'."""
    from app.lessons_catalog import lessons
    from nncore.catalog import catalog

    return {**_catalog_file("en"), **engine_messages(catalog()), **lesson_messages(lessons())}


@cache
def messages(lang: str) -> dict[str, str]:
    """The catalog the page gets in `lang` (English: `english()`; another language: its file)."""
    return english() if lang == LANGUAGES[0] else dict(_catalog_file(lang))


def pick(query: str | None, accept_language: str | None) -> str:
    """The page's language: `?lang=` if it is one of `LANGUAGES`, else the first of Accept-Language's
    languages (by q, then order) that is, else English."""
    if query in LANGUAGES:
        return query
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept_language or "").split(",")):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        ranked.append((-weight, i, tag.split("-")[0].lower()))
    return next((tag for _, _, tag in sorted(ranked) if tag in LANGUAGES), LANGUAGES[0])


def page_data(lang: str) -> dict[str, Any]:
    """What the page gets: its language, the languages offered (code, own name) and its catalog."""
    names = [[code, messages(code)["lang.name"]] for code in LANGUAGES]
    return {"lang": lang, "languages": names, "messages": messages(lang)}


def translate(lang: str, key: str) -> str:
    """A message with no parameters (the page's static words in templates/index.html)."""
    return messages(lang)[key]
