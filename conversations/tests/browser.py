"""What the browser tests share: Debian's Chromium, launched headless with no network chatter; and, where
it is missing, a plain line in the test report saying how many browser tests were skipped for it."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

# KVKY_CHROMIUM points elsewhere (a test of the missing-Chromium line uses a path that does not exist).
CHROMIUM = Path(os.environ.get("KVKY_CHROMIUM", "/usr/bin/chromium"))
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
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium is not installed at {CHROMIUM}")
# How long a wait on the page's state may last before it fails: not a delay (each wait ends as soon as the
# state is there). A turn on two cores shared with other test runs, the first after seed_demo rebuilding the
# engine's caches, took more than 10 s.
TIMEOUT_MS = 30_000


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


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Say plainly that browser tests were skipped for want of Chromium, rather than among the other skips."""
    if CHROMIUM.exists():
        return
    skipped = {report.nodeid for report in terminalreporter.stats.get("skipped", []) if "browser" in report.keywords}
    if not skipped:
        return
    count = len(skipped)
    tests = "1 prueba" if count == 1 else f"{count} pruebas"
    terminalreporter.write_sep("=", "Chromium", yellow=True, bold=True)
    terminalreporter.write_line(
        f"Chromium no está instalado ({CHROMIUM}): se omiten {tests} de navegador. "
        "Instálalo con «apt-get install chromium» para correrlas.",
        yellow=True,
        bold=True,
    )
