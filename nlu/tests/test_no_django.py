"""nlu is plain Python: importing any of its modules loads neither Django nor the project's Django apps."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Imports every module of the nlu package in a fresh interpreter, then lists what got loaded.
SCRIPT = """
import importlib, json, pkgutil, sys
import nlu
names = sorted(info.name for info in pkgutil.walk_packages(nlu.__path__, "nlu."))
for name in names:
    importlib.import_module(name)
print(json.dumps({"imported": names, "loaded": sorted(sys.modules)}))
"""

PROJECT_APPS = ("conversations", "catalog", "leads", "financing", "kvky_site")


def _is_under(name: str, package: str) -> bool:
    return name == package or name.startswith(f"{package}.")


@pytest.fixture(scope="module")
def loaded() -> dict[str, list[str]]:
    # A clean environment: no DJANGO_SETTINGS_MODULE from pytest-django leaks in.
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env={"PYTHONPATH": str(ROOT)}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_it_imports_every_module_of_the_package(loaded: dict[str, list[str]]) -> None:
    assert {"nlu.pipeline", "nlu.faq", "nlu.thesaurus", "nlu.vocabulary"} <= set(loaded["imported"])


def test_it_loads_no_django_module(loaded: dict[str, list[str]]) -> None:
    assert [name for name in loaded["loaded"] if name.startswith("django")] == []


def test_it_loads_none_of_the_projects_django_apps(loaded: dict[str, list[str]]) -> None:
    assert [name for name in loaded["loaded"] if any(_is_under(name, app) for app in PROJECT_APPS)] == []
