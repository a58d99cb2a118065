"""Production installs requirements.txt alone (the Dockerfile): whatever the production code imports must be
pinned there, not arrive by luck as a dependency of a test tool or of another package."""

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_PACKAGES = ["catalog", "conversations", "financing", "leads", "kvky_site", "nlu"]
PRODUCTION_FILES = ["gunicorn.conf.py", "manage.py"]
OURS = {*PRODUCTION_PACKAGES}


def production_sources() -> list[Path]:
    files = [ROOT / name for name in PRODUCTION_FILES]
    for package in PRODUCTION_PACKAGES:
        files += [path for path in (ROOT / package).rglob("*.py") if "tests" not in path.relative_to(ROOT).parts]
    return files


def imported_top_levels(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def third_party_imports() -> set[str]:
    names = set().union(*(imported_top_levels(path) for path in production_sources()))
    return {name for name in names if name not in sys.stdlib_module_names and name not in OURS}


def pinned_distributions() -> set[str]:
    pinned = set()
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)(\[[^\]]*\])?==", line.strip())
        if match:
            pinned.add(canonical(match.group(1)))
    return pinned


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_it_pins_every_distribution_the_production_code_imports():
    providers = packages_distributions()
    pinned = pinned_distributions()
    unpinned = {
        name: providers.get(name, ["(not installed)"])
        for name in third_party_imports()
        if not pinned & {canonical(dist) for dist in providers.get(name, [])}
    }

    assert unpinned == {}, f"imported by production code but not pinned in requirements.txt: {unpinned}"


def test_it_reads_imports_of_production_code_only():
    # The check above is only as good as its file list: test tools must not count, production code must.
    names = third_party_imports()

    assert {"django", "celery", "twilio"} <= names
    assert not names & {"pytest", "factory", "hypothesis", "schemathesis"}
