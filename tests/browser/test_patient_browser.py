"""The patient page in Chromium, as a patient on a phone, a tablet or a desktop sees it, and
as it prints."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import axe_violations, no_horizontal_scroll
from tests.publishing_helpers import make_live

BODY = (
    "## What the test is\n\nA short test of your blood.\n\n"
    "| Result | What it means |\n| --- | --- |\n"
    "| Below 5.7% | Normal |\n| 6.5% or higher | Diabetes |\n\n"
    "* Eat as usual.\n* Bring your list of medicines.\n"
)


@pytest.mark.parametrize("width", [320, 768, 1280])
def test_a_patient_reads_the_page_at_any_width(
    new_page: Callable[..., Any], staff: dict[str, Any], width: int
) -> None:
    make_live(**staff, slug="a1c", title="Your A1C test", body=BODY)
    page = new_page(width=width)

    page.goto("/en/a1c/")

    assert page.locator("h1").inner_text() == "Your A1C test"
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    assert page.csp_violations == []


def test_the_printed_page_shows_its_address_and_no_navigation(
    new_page: Callable[..., Any], staff: dict[str, Any]
) -> None:
    make_live(**staff, slug="a1c", title="Your A1C test", body=BODY)
    page = new_page()
    page.goto("/en/a1c/")
    assert page.locator("nav.tools").is_visible()

    page.emulate_media(media="print")

    assert not page.locator("nav.tools").is_visible()
    assert not page.get_by_role("button", name="Print this page").is_visible()
    assert page.locator(".address").is_visible()
    assert page.locator(".address").inner_text().endswith("/en/a1c/")


def test_the_print_button_and_the_handout_links_work(
    new_page: Callable[..., Any], staff: dict[str, Any]
) -> None:
    make_live(**staff, slug="a1c", title="Your A1C test", body=BODY)
    page = new_page()
    page.goto("/en/a1c/")
    # A function, so Playwright runs it once (an expression whose value is a function, as an
    # assignment of one is, would be called too).
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")

    page.get_by_role("button", name="Print this page").click()

    assert page.evaluate("window.printed") == 1
    for name in ("Printable handout (PDF)", "Large print (PDF)"):
        href = page.get_by_role("link", name=name).get_attribute("href")
        response = page.request.get(href)
        assert response.status == 200, name
        assert response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF-")
