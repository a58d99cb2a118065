"""The test suite's settings: the site's own, with a throwaway SECRET_KEY when the environment gives none.

pytest-django loads the settings before any conftest runs, so this is where the suite gets a key that is not
the built-in development one (which the site refuses with DEBUG off, as tests run). The servers the tests
start in subprocesses inherit it through the environment.
"""

import os
import secrets

os.environ.setdefault("SECRET_KEY", f"kvky-tests-only-{secrets.token_urlsafe(32)}")

from kvky_site.settings import *  # noqa: F403

# Models trained by tests (taught examples included) stay in memory, not in the checkout's var/nlu.
NLU_MODEL_DIR = ""
