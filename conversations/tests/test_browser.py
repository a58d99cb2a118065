"""The test report where Chromium is missing: a plain line with how many browser tests were skipped."""

import os
import re
import subprocess
import sys

from django.conf import settings

WEBCHAT_BROWSER_TESTS = "conversations/tests/webchat/test_browser.py"
SAID = re.compile(r"Chromium no está instalado \(.*no-chromium\): se omiten (\d+) pruebas de navegador")


def test_it_says_plainly_how_many_browser_tests_it_skipped_without_chromium(tmp_path):
    env = {**os.environ, "KVKY_CHROMIUM": str(tmp_path / "no-chromium")}
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "0", "-p", "no:cacheprovider", WEBCHAT_BROWSER_TESTS],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    said = SAID.search(completed.stdout)
    skipped = re.search(r"(\d+) skipped", completed.stdout)
    assert said and skipped and said.group(1) == skipped.group(1) != "0", completed.stdout[-2000:]
