"""Playwright driving Debian's Chromium against pytest-django's live server, and axe-core.

`make test` installs both first (scripts/ensure-browser.sh): Chromium from Debian's
packages, launched through `executable_path` (Playwright never downloads a browser here),
and axe-core from tests/browser/package-lock.json.
"""

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from contentapi.models import User

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "a password for the browser tests"

# Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are
# synchronous and never run inside that loop, so Django's guard against it does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists() or not AXE.exists():
        pytest.fail(
            f"The browser tests need {CHROMIUM} and {AXE}: run scripts/ensure-browser.sh "
            "(make test does)."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """Pages in fresh browser contexts (no cookies shared), 1280 px wide unless told."""
    contexts = []

    def make(*, width: int = 1280, javascript: bool = True) -> Any:
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": 900},
            java_script_enabled=javascript,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.csp_violations = []
        page.on(
            "console",
            lambda message: (
                page.csp_violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    # The live server runs in this process: it sees the same settings.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def with_password(user: User) -> User:
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto("/review/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it stands.

    The script is evaluated through the DevTools protocol, which the page's content
    security policy does not govern, so the page is checked with its real policy on.
    """
    page.evaluate(AXE.read_text())
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
            }));
        }"""
    )
    if os.environ.get("AXE_REPORT"):  # every finding, any impact, for a person to read
        with open(os.environ["AXE_REPORT"], "a") as report:
            report.write(f"{page.url}\n{json.dumps(found, indent=1)}\n")
    return [v for v in found if v["impact"] in ("serious", "critical")]


def no_horizontal_scroll(page: Any) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
