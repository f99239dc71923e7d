"""Headless Chromium from Debian's package, driven by Playwright (no browser download)."""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CASEFLOW_CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself (fixtures) are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core in the page and return its violations (empty means none)."""
    # Evaluated over the DevTools protocol, not added as a <script>: the pages' CSP
    # (script-src 'self') rightly blocks injected inline scripts, and stays on in tests.
    page.wait_for_load_state()
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate("async () => await axe.run(document)")
    return result["violations"]


def shows(page, *texts: str) -> None:
    """Wait until the page in front of the user shows every text, then for it to finish
    loading. A click that navigates returns before the next page arrives; reading
    page.content() straight after it races the navigation (CI read an empty page)."""
    from playwright.sync_api import expect

    body = page.locator("body")
    for text in texts:
        expect(body).to_contain_text(text)
    page.wait_for_load_state()
