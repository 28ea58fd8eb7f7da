"""The page in Korean (issue 15), in a real Chromium against a real server: a Korean browser gets the Korean
page, whose visible text has no English word outside an allow-list of names and symbols; the language menu
switches the page and the URL keeps the choice and the scene; a lesson runs end to end in Korean; a server
error reads in Korean at its control.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.helpers import WAIT, enter_value, set_speed_max

pytestmark = [pytest.mark.browser, pytest.mark.server]

SLOW = 90_000

#: Latin words a Korean page may show: names (of people, gates, functions, optimizers, the app), units and
#: symbols of the formulas. Anything else Latin in visible text is a string that did not go through a catalog.
ALLOWED = {
    *("nnlive", "json", "csv", "png"),
    *("relu", "leaky", "tanh", "gelu", "elu", "silu", "sigmoid", "softmax", "step", "sign"),
    *("sin", "cos", "exp", "ln", "log", "max", "min", "mean", "lr", "logits", "nesterov"),  # formula symbols
    *("xor", "and", "or", "nand", "nor", "mse", "mae", "bce"),
    *("sgd", "adam", "adamw", "rmsprop", "adagrad", "amsgrad", "xavier", "glorot", "he", "kaiming"),
    *("mcculloch", "pitts", "rosenblatt", "minsky", "papert", "rumelhart", "hinton", "williams", "hebb"),
    *("widrow", "hoff", "cauchy", "polyak", "kingma", "ba", "oja", "novikoff"),
}
LATIN = re.compile(r"[A-Za-z]{2,}")

VISIBLE_TEXT = """() => {
  const seen = (el) => el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || !node.textContent.trim() || el.closest("script, style, option, kbd")) continue;
    if (el.closest(".menu:not([open]) > .menu-body")) continue;  // a closed menu's body
    if (seen(el)) out.push([el.closest("[id]")?.id || el.tagName, node.textContent.trim()]);
  }
  for (const select of document.querySelectorAll("select")) {
    if (seen(select) && select.selectedOptions[0]) out.push([select.id, select.selectedOptions[0].text]);
  }
  return out;
}"""


def english_words(page: Any) -> list[tuple[str, str]]:
    """(where, text) of every visible text with a Latin word outside the allow-list."""
    return [
        (where, text)
        for where, text in page.evaluate(VISIBLE_TEXT)
        if any(w.lower() not in ALLOWED for w in LATIN.findall(text))
    ]


@pytest.fixture
def korean(browser: Any) -> Iterator[Any]:
    """`korean(width, height)`: a page whose browser prefers Korean (navigator.languages, Accept-Language)."""
    contexts = []

    def open_at(width: int = 1280, height: int = 720) -> Any:
        phone = width < 500
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="ko-KR", is_mobile=phone, has_touch=phone
        )
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
        page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
        return page

    yield open_at
    for context in contexts:
        context.close()


def open_ready(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#app[data-ready=true]", timeout=WAIT)
    page.wait_for_selector("[data-testid=status][data-state=live]", timeout=WAIT)
    page.wait_for_function(
        "() => window.nnlive.store.lastFrame && window.nnlive.store.lastFrame.grid", timeout=WAIT
    )
    page.wait_for_timeout(300)


def test_a_korean_browser_gets_the_page_in_korean_with_no_english_left(korean: Any, live_server: Any) -> None:
    page = korean()
    open_ready(page, live_server.url + "/")
    assert page.evaluate("() => [document.documentElement.lang, navigator.languages[0]]") == ["ko", "ko-KR"]
    assert page.text_content("[data-testid=status]") == "연결됨"
    assert page.text_content("#panel-training h2") == "학습"
    assert page.input_value("[data-testid=lang]") == "ko"
    assert (words := english_words(page)) == [], words
    page.click("[data-testid=play]")  # a running page: the readouts, curves and event in Korean too
    page.wait_for_function("() => window.nnlive.store.lastFrame.epoch >= 5", timeout=WAIT)
    page.click("[data-testid=pause]")
    page.wait_for_timeout(300)
    assert (words := english_words(page)) == [], words
    assert page.console_errors == []


def test_the_language_menu_switches_the_page_and_the_link_keeps_it(korean: Any, live_server: Any) -> None:
    page = korean()
    # the first address is the lesson link too, before the lesson's scene runs: wait for its load to end
    lesson_link = (
        "() => location.hash === '#lesson=xor-breaks-a-perceptron'"
        " && document.getElementById('lessons').dataset.loading === 'false'"
    )
    open_ready(page, live_server.url + "/#lesson=xor-breaks-a-perceptron")
    page.wait_for_function(lesson_link, timeout=WAIT)  # the address names the lesson once its scene runs
    assert page.text_content("[data-testid=lesson-title]") == "2. XOR 앞에서 무너지는 단층 퍼셉트론"
    with page.expect_navigation():
        page.select_option("[data-testid=lang]", "en")
    page.wait_for_selector("#app[data-ready=true]", timeout=WAIT)
    page.wait_for_selector("[data-testid=lesson-title]", timeout=WAIT)
    page.wait_for_function(lesson_link, timeout=WAIT)
    assert page.evaluate("() => document.documentElement.lang") == "en"
    assert "lang=en" in page.url and page.url.endswith("#lesson=xor-breaks-a-perceptron")
    assert page.text_content("[data-testid=lesson-title]") == "2. XOR breaks a single perceptron"
    with page.expect_navigation():
        page.select_option("[data-testid=lang]", "ko")
    page.wait_for_selector("[data-testid=lesson-title]", timeout=WAIT)
    page.wait_for_function(lesson_link, timeout=WAIT)
    assert "lang=ko" in page.url and page.evaluate("() => document.documentElement.lang") == "ko"
    assert page.text_content("[data-testid=lesson-title]") == "2. XOR 앞에서 무너지는 단층 퍼셉트론"
    assert page.console_errors == []


def test_an_english_browser_follows_a_korean_link(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/?lang=ko")
    page.wait_for_selector("#app[data-ready=true]", timeout=WAIT)
    assert page.evaluate("() => [document.documentElement.lang, navigator.languages[0]]") == ["ko", "en-US"]
    assert page.text_content("#panel-data h2") == "데이터"


def test_a_lesson_runs_end_to_end_in_korean(korean: Any, live_server: Any) -> None:
    page = korean(1280, 720)
    open_ready(page, live_server.url + "/#lesson=optimizers-race")
    page.wait_for_selector("#lessons[data-loading=false]", state="attached", timeout=WAIT)
    assert page.text_content("[data-testid=lesson-title]") == "8. 옵티마이저 경주"
    assert "재생을 누르고" in page.text_content("[data-testid=lesson-try]")
    labels = page.locator("[data-testid=compare-run] .run-label").all_inner_texts()
    assert labels == ["모멘텀", "RMSProp", "Adam"]
    claim = page.locator("[data-testid=claim-check]")
    assert "화면에서: 아직 아님" in claim.inner_text()
    set_speed_max(page)
    page.click("[data-testid=play]")
    page.wait_for_selector("[data-testid=claim-check][data-holds=true]", timeout=SLOW)
    text = claim.inner_text()
    assert "✓ 지금 화면에서 확인됨" in text and "Adam: SGD 손실의 절반 미만" in text
    assert page.text_content("#speed-out") == "최대"
    assert (words := english_words(page)) == [], words
    assert page.console_errors == []


def test_a_refused_value_reads_in_korean_at_its_control(korean: Any, live_server: Any) -> None:
    page = korean()
    open_ready(page, live_server.url + "/")
    enter_value(page, "[data-testid=learning-rate]", "100")
    box = page.locator(".field[data-field='training.learning_rate'] .field-error")
    box.wait_for(timeout=WAIT)
    assert box.inner_text() == "학습률: 100은(는) 쓸 수 없습니다 — 0 초과 10 이하의 수여야 합니다."
    # the server's own check of a combination, worded from its code: softmax with a loss it cannot take
    page.evaluate(
        "() => window.nnlive.session.configure({...window.nnlive.store.config,"
        " network: {...window.nnlive.store.config.network, output_activation: 'softmax'},"
        " training: {...window.nnlive.store.config.training, loss: 'hinge'}})"
    )
    # the banner still shows the learning rate's message until the server's answer comes
    answered = "() => document.querySelector('[data-testid=error]').textContent.startsWith('손실 함수:')"
    page.wait_for_function(answered, timeout=WAIT)
    banner = page.text_content("[data-testid=error]")
    assert "소프트맥스 출력에는" in banner and "“hinge”" in banner, banner
    assert page.console_errors == []
