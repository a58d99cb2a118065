"""Import every production module (all but tests) with the interpreter that runs this: an import that needs a
package requirements.txt does not pin fails here, not on the first customer message."""

import importlib
import os
import pkgutil
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvky_site.settings")

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["catalog", "conversations", "financing", "leads", "kvky_site", "nlu"]
# Imported the way the libraries import them at run time: Celery's Redis transport, gunicorn's workers.
RUNTIME_MODULES = ["kombu.transport.redis", "celery.backends.redis", "gunicorn.workers.gthread", "psycopg"]


def production_modules() -> list[str]:
    names = []
    for package in PACKAGES:
        for module in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
            if ".tests" not in module.name and not module.name.endswith(".tests"):
                names.append(module.name)
    return [*PACKAGES, *sorted(names)]


def main() -> int:
    sys.path.insert(0, str(ROOT))
    django.setup()
    failures = []
    modules = [*production_modules(), *RUNTIME_MODULES]
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as error:
            failures.append(f"{name}: {type(error).__name__}: {error}")
    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"{len(modules) - len(failures)} of {len(modules)} production modules import.")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
