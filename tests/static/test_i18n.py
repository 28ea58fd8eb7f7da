"""The message catalogs (static/i18n/*.json, app/i18n.py): the same keys in every language, every key the page
uses present, every message well-formed with the same parameters in each language, and the English words of
what a parameter allows equal to the engine's (nncore's Param.allowed). No browser; node runs the page's own
formatter (static/js/i18n.js) where the messages are formatted.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, get_args

import pytest

from app import i18n
from app.lessons_catalog import lessons
from app.protocol import TrainerEvent
from nncore.catalog import catalog

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "static" / "js"
TEMPLATE = ROOT / "templates" / "index.html"
NODE = shutil.which("node")

#: A parameter of a message: "{name}" or "{name, type, …" (a branch's text is not one).
ARGUMENT = re.compile(r"\{\s*([A-Za-z_][\w.]*)\s*[,}]")
#: A key the page asks for by name: t("key" or `key` with no ${…}, in JS and in the template.
LITERAL_KEY = re.compile(r"""\b(?:t|tOr)\(\s*(?:"([\w.-]+)"|`([\w.-]+)`|'([\w.-]+)')""")


def languages() -> dict[str, dict[str, str]]:
    return {lang: i18n.messages(lang) for lang in i18n.LANGUAGES}


def test_every_language_has_exactly_the_keys_of_english() -> None:
    english = set(i18n.messages("en"))
    for lang, messages in languages().items():
        assert sorted(english - set(messages)) == [], f"{lang} lacks these keys"
        assert sorted(set(messages) - english) == [], f"{lang} has keys English does not"


#: Messages whose English is the server's own sentence ({message}); other languages word them from these.
WORDED_HERE = {"event.text.": {"epoch"}}


def test_every_message_takes_the_same_parameters_in_every_language() -> None:
    english = i18n.messages("en")
    for lang, messages in languages().items():
        for key, text in messages.items():
            assert text.strip(), f"{lang}: {key} is empty"
            extra = next((v for k, v in WORDED_HERE.items() if key.startswith(k)), None)
            params, wanted = set(ARGUMENT.findall(text)), set(ARGUMENT.findall(english[key]))
            if extra is not None:
                assert params <= wanted | extra, f"{lang}: {key}"
            else:
                assert params == wanted, f"{lang}: {key}"
            assert text.count("{") == text.count("}"), f"{lang}: {key} has unbalanced braces"


def used_keys() -> dict[str, str]:
    """Every key named literally in static/js and the template → where."""
    out: dict[str, str] = {}
    for path in [*sorted(JS.rglob("*.js")), TEMPLATE]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in LITERAL_KEY.finditer(line):
                out[next(g for g in match.groups() if g)] = f"{path.relative_to(ROOT)}:{number}"
    return out


def test_every_key_the_page_names_is_in_the_catalogs() -> None:
    used = used_keys()
    assert len(used) > 150, "the search finds the page's keys"
    for lang, messages in languages().items():
        missing = {key: where for key, where in used.items() if key not in messages}
        assert missing == {}, f"{lang} lacks keys the page uses"


def test_every_name_the_page_builds_a_key_from_is_in_the_catalogs() -> None:
    """Keys made from the engine's names (t(`dataset.${name}`) …): one for every name the catalog has."""
    c = catalog()
    names = {
        "dataset": c["datasets"],
        "menu.activation": c["activations"],
        "menu.loss": c["losses"],
        "menu.optimizer": c["optimizers"],
        "menu.init": c["initializers"],
        "rule": c["rules"],
    }
    params = set(c["datasets"]["circle"]["params"])
    for spec in c["datasets"].values():
        params |= set(spec["params"])
    for spec in c["optimizers"].values():
        params |= set(spec["hyper"])
    for group, fields in c["fields"].items():
        params |= {group} if group == "seed" else set(fields)
    events = {*get_args(TrainerEvent), "paused", "playing", "stopped"}
    metrics = ["train_loss", "test_loss", "train_accuracy", "test_accuracy", "mistakes", "weight_norm"]
    keys = [f"{prefix}.{name}" for prefix, group in names.items() for name in group]
    keys += [f"param.{name}" for name in params]
    keys += [f"event.{e}" for e in events] + [
        f"event.text.{e}" for e in events if e not in ("paused", "playing")
    ]
    keys += [f"card.{m}" for m in metrics]
    keys += [f"status.{s}" for s in ("connecting", "live", "reconnecting", "offline")]
    for lang, messages in languages().items():
        assert sorted(k for k in keys if k not in messages) == [], lang


def test_the_engine_and_lesson_words_have_stable_keys() -> None:
    """English comes from nncore's catalog and the lesson files, under keys the other languages translate."""
    engine = i18n.engine_messages(catalog())
    assert engine["engine.rule.perceptron.title"] == catalog()["rules"]["perceptron"]["title"]
    assert engine["engine.dataset_param.n"] == "number of points"
    words = i18n.lesson_messages(lessons())
    assert words["lesson.going-deep.variant.0"] == "3 hidden layers"
    assert i18n.messages("ko")["lesson.one-neuron-is-a-line.title"] == "뉴런 하나는 직선 하나"


@pytest.mark.parametrize(
    ("query", "header", "lang"),
    [
        ("ko", "en-US,en;q=0.9", "ko"),
        (None, "ko-KR,ko;q=0.9,en-US;q=0.8", "ko"),
        (None, "en-US,ko;q=0.9", "en"),
        (None, "fr-FR,ko;q=0.5,en;q=0.3", "ko"),
        ("xx", None, "en"),
        (None, "ko;q=0.2,en;q=0.8", "en"),
    ],
)
def test_the_page_language_follows_the_link_then_the_browser(
    query: str | None, header: str | None, lang: str
) -> None:
    assert i18n.pick(query, header) == lang


# ---- the page's formatter, in node ---------------------------------------------------------------------

HARNESS = """
const [lang, messages, specs] = JSON.parse(process.argv[1]);
const page = { lang, languages: [], messages };
globalThis.document = { getElementById: () => ({ textContent: JSON.stringify(page) }) };
const i18n = await import(new URL("static/js/i18n.js", process.argv[2]));
const { allowedWords } = await import(new URL("static/js/catalog.js", process.argv[2]));
const failed = {};
for (const key of Object.keys(messages)) {
  try {
    i18n.t(key, { n: 2, epoch: 3, wait: 0, stride: 1, step: 4 });
  } catch (err) {
    failed[key] = String(err);
  }
}
const samples = {
  plural: i18n.t("readout.epoch_title", { epoch: 7, step: 1 }),
  plurals: i18n.t("readout.epoch_title", { epoch: 7, step: 1200 }),
  retry: i18n.t("connection.retry", { wait: 0, attempt: 2, epoch: 0 }),
};
console.log(JSON.stringify({ failed, samples, allowed: specs.map((s) => allowedWords(s)) }));
"""


def run_formatter(lang: str, specs: list[dict[str, Any]]) -> dict[str, Any]:
    """Every message of `lang` formatted by i18n.js, and `allowedWords` of each spec (its `nullable` in
    `lang`, as the page's catalog.js gives it)."""
    if NODE is None:
        pytest.skip("node is not installed (make test installs it with the page's type check)")
    messages = i18n.messages(lang)
    until = messages["engine.field.training.epochs.nullable"]
    specs = [{**s, "nullable": until} if s.get("nullable") else s for s in specs]
    arg = json.dumps([lang, messages, specs])
    done = subprocess.run(
        [NODE, "--input-type=module", "-e", HARNESS, arg, ROOT.as_uri() + "/"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


def every_param() -> list[dict[str, Any]]:
    c = catalog()
    out = [p for spec in c["datasets"].values() for p in spec["params"].values()]
    out += [p for spec in c["optimizers"].values() for p in spec["hyper"].values()]
    out += [p for group, fields in c["fields"].items() if group != "seed" for p in fields.values()]
    return [*out, c["fields"]["seed"]]


def test_every_message_formats_and_english_allows_in_the_engines_words() -> None:
    params = every_param()
    result = run_formatter("en", params)
    assert result["failed"] == {}
    assert result["allowed"] == [p["allowed"] for p in params]
    assert result["samples"]["plural"] == "epoch 7, 1 update"
    assert result["samples"]["plurals"] == "epoch 7, 1,200 updates"
    assert result["samples"]["retry"].startswith("Trying again now (attempt 2);")
    assert "the scene is kept when the server answers" in result["samples"]["retry"]


def test_korean_formats_every_message_and_says_what_is_allowed_in_korean() -> None:
    params = every_param()
    result = run_formatter("ko", params)
    assert result["failed"] == {}
    epochs = next(i for i, p in enumerate(params) if p.get("nullable"))
    assert (
        result["allowed"][epochs]
        == "1 이상 100000 이하의 정수여야 합니다. 비워 두어도 됩니다(일시 정지할 때까지)"
    )
    rate = next(i for i, p in enumerate(params) if p.get("above_min"))
    assert result["allowed"][rate].startswith("0 초과 10 이하의 수")
    assert result["samples"]["plurals"] == "에포크 7, 갱신 1,200회"
    assert result["samples"]["retry"].startswith("지금 다시 연결해 봅니다(2번째 시도)")


def test_the_catalog_is_served_for_pages_that_do_not_embed_it() -> None:
    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.settings import Settings

    client = TestClient(create_app(Settings()))
    body = client.get("/api/messages/ko").json()
    assert body["lang"] == "ko" and body["messages"] == i18n.messages("ko")
    assert body["languages"] == [["en", "English"], ["ko", "한국어"]]
    refused = client.get("/api/messages/xx")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["params"] == {"spec": {"kind": "choice", "choices": ["en", "ko"]}}


def test_the_keyboard_helps_markup_is_the_same_in_every_language() -> None:
    """The ⌨ menu's messages carry markup (the template renders them as HTML): the same keys in <kbd>, and the
    element the class keys' count goes into (transport.js), in every language."""
    tags = re.compile(r"<kbd[^>]*>([^<]*)</kbd>|<(?!/?kbd)")
    english = i18n.messages("en")
    for lang, messages in languages().items():
        for key in (k for k in english if k.startswith("keys.")):
            assert tags.findall(messages[key]) == tags.findall(english[key]), f"{lang}: {key}"
    assert all('<kbd id="class-keys">' in m["keys.tools"] for m in languages().values())
