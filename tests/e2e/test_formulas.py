"""Formulas from the catalog are shown with their exponents raised, not as raw `^{…}` text."""

import pytest

from tests.e2e.helpers import open_page

pytestmark = [pytest.mark.browser, pytest.mark.server]


def test_activation_formula_raises_exponents(page, live_server) -> None:
    open_page(page, live_server.url)
    page.select_option("[data-testid=activation]", "tanh")
    formula = page.locator("#activation-formula")
    formula.locator("sup").first.wait_for()
    assert "^" not in formula.inner_text()
    assert formula.locator("sup").all_inner_texts() == ["a", "−a", "a", "−a"]
    page.select_option("[data-testid=activation]", "gaussian")
    page.wait_for_function("() => document.querySelector('#activation-formula').textContent.includes('e')")
    assert formula.locator("sup").all_inner_texts() == ["−a²"]
    assert page.console_errors == []
