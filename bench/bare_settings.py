"""Bench-only settings: the project's settings plus a bare JSON view (bench/bare_urls.py).

Only the benchmark servers load this module (bench/bare_wsgi.py); production never routes to the bare view.
"""

from kvky_site.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_urls"
