"""What the browser tests share: Debian's Chromium, launched headless with no network chatter."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium")
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """One headless Chromium per test module."""
    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API keeps an event loop in this thread, which Django takes for async code.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            expect.set_options(timeout=TIMEOUT_MS)
            yield chromium
            chromium.close()
