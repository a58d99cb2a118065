"""The language the engine knows, read from data files: one YAML file per concern and locale.

Everything a reviewer should be able to read without reading code lives under
`nlu/resources/<locale>/`: word lists, aliases, cue patterns and the intent examples.
A file holds up to four sections:

    fragments:  named pieces of regex, reused in patterns as <<name>>
    patterns:   name → a regex or a list of alternatives (compiled as one alternation)
    words:      name → a list of words (a frozenset)
    tables:     name → a mapping (aliases, canonical forms, weights)

Files are validated when first loaded (and all of them by `validate_all`, which the site
calls at start-up), so a typo in a pattern fails loudly, naming the file and the entry.
"""

import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

RESOURCES = Path(__file__).resolve().parent / "resources"
DEFAULT_LOCALE = "es_mx"
SECTIONS = frozenset({"fragments", "patterns", "words", "tables"})
FRAGMENT = re.compile(r"<<(\w+)>>")
INTENT_EXAMPLES = "intents"
KINDS = frozenset({"sales", "onboarding", "both"})

# libyaml's safe loader when PyYAML was built with it (ten times faster at start-up), else the pure-Python one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_lock = threading.Lock()


class LanguageDataError(ValueError):
    """A language data file is missing, malformed, or holds a pattern that does not compile."""


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    # "sales", "onboarding" or "both": the flavour the writer meant, kept for review; each kind's model
    # trains on every example of the intents its pipeline declares (a greeting is a greeting).
    kind: str



class Resource:
    """One data file: its fragments, patterns, word lists and tables."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.name = path.stem
        self._data = data
        self._compiled: dict[str, re.Pattern[str]] = {}

    def pattern(self, name: str, flags: int = 0) -> re.Pattern[str]:
        """The named pattern as one compiled alternation."""
        key = f"{name}/{flags}"
        if key not in self._compiled:
            self._compiled[key] = self._compile(name, flags)
        return self._compiled[key]

    def alternatives(self, name: str) -> list[str]:
        """The named pattern's alternatives with their fragments filled in (to build a larger regex)."""
        raw = self._section("patterns").get(name)
        if raw is None:
            raise LanguageDataError(f"{self.path}: no pattern named {name!r}")
        items = [raw] if isinstance(raw, str) else list(raw)
        return [self._expand(str(item), name) for item in items]

    def words(self, name: str) -> frozenset[str]:
        raw = self._section("words").get(name)
        if raw is None:
            raise LanguageDataError(f"{self.path}: no word list named {name!r}")
        return frozenset(str(word) for word in raw)

    def table(self, name: str) -> dict[str, Any]:
        raw = self._section("tables").get(name)
        if raw is None:
            raise LanguageDataError(f"{self.path}: no table named {name!r}")
        return dict(raw)

    def names(self, section: str) -> list[str]:
        return list(self._section(section))

    def validate(self) -> None:
        unknown = set(self._data) - SECTIONS
        if unknown:
            raise LanguageDataError(f"{self.path}: unknown sections {sorted(unknown)}; allowed: {sorted(SECTIONS)}")
        for section in SECTIONS:
            if not isinstance(self._section(section), dict):
                raise LanguageDataError(f"{self.path}: section {section!r} must be a mapping")
        for name in self.names("patterns"):
            self.pattern(name)
        for name, raw in self._section("words").items():
            if not isinstance(raw, list) or not all(isinstance(word, str | int) for word in raw):
                raise LanguageDataError(f"{self.path}: word list {name!r} must be a list of words")
        for name, raw in self._section("tables").items():
            if not isinstance(raw, dict):
                raise LanguageDataError(f"{self.path}: table {name!r} must be a mapping")

    def _section(self, section: str) -> dict[str, Any]:
        value = self._data.get(section) or {}
        return value

    def _compile(self, name: str, flags: int) -> re.Pattern[str]:
        alternatives = self.alternatives(name)
        source = alternatives[0] if len(alternatives) == 1 else "|".join(f"(?:{item})" for item in alternatives)
        try:
            return re.compile(source, flags)
        except re.error as error:
            raise LanguageDataError(f"{self.path}: pattern {name!r} does not compile: {error}") from error

    def _expand(self, source: str, name: str, depth: int = 0) -> str:
        if depth > 5:
            raise LanguageDataError(f"{self.path}: fragments nest too deep in {name!r}")
        fragments = self._section("fragments")

        def fill(match: re.Match[str]) -> str:
            fragment = fragments.get(match.group(1))
            if fragment is None:
                raise LanguageDataError(f"{self.path}: {name!r} uses unknown fragment <<{match.group(1)}>>")
            return self._expand(str(fragment), name, depth + 1)

        return FRAGMENT.sub(fill, source)


def locale_dir(locale: str = DEFAULT_LOCALE) -> Path:
    return RESOURCES / locale


@cache
def load(name: str, locale: str = DEFAULT_LOCALE) -> Resource:
    """The data file `name` of a locale, parsed and validated once per process."""
    path = locale_dir(locale) / f"{name}.yaml"
    with _lock:
        resource = Resource(path, _read_yaml(path))
        resource.validate()
    return resource


def resource_files(locale: str = DEFAULT_LOCALE) -> list[Path]:
    """Every data file of a locale: the resources and the intent examples."""
    return sorted(locale_dir(locale).glob("*.yaml")) + example_files(locale)


def example_files(locale: str = DEFAULT_LOCALE) -> list[Path]:
    return sorted((locale_dir(locale) / INTENT_EXAMPLES).glob("*.yaml"))


def intent_examples(locale: str = DEFAULT_LOCALE, extra_dirs: tuple[Path, ...] = ()) -> tuple[Example, ...]:
    """The intent examples of a locale, plus those of any extra folder (same file format)."""
    files = example_files(locale) + [path for folder in extra_dirs for path in sorted(folder.glob("*.yaml"))]
    return tuple(example for path in files for example in _read_examples(path))


def validate_all(locale: str = DEFAULT_LOCALE) -> int:
    """Load every data file of a locale; raise LanguageDataError on the first bad one. Returns the file count."""
    for path in sorted(locale_dir(locale).glob("*.yaml")):
        load(path.stem, locale)
    examples = intent_examples(locale)
    if not examples:
        raise LanguageDataError(f"{locale_dir(locale) / INTENT_EXAMPLES}: no intent examples")
    return len(resource_files(locale))


def _read_examples(path: Path) -> list[Example]:
    data = _read_yaml(path)
    intent = data.get("intent")
    items = data.get("examples")
    if not isinstance(intent, str) or not isinstance(items, list):
        raise LanguageDataError(f"{path}: an examples file needs 'intent' and a list of 'examples'")
    examples = []
    for index, item in enumerate(items, start=1):
        text, kind = (item, "both") if isinstance(item, str) else (item.get("text"), item.get("kind", "both"))
        if not isinstance(text, str) or not text.strip() or kind not in KINDS:
            raise LanguageDataError(f"{path}: example {index} needs a text and a kind in {sorted(KINDS)}")
        examples.append(Example(text=text.strip(), intent=intent, kind=kind))
    return examples


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=SAFE_LOADER)
    except FileNotFoundError as error:
        raise LanguageDataError(f"{path}: language data file missing") from error
    except yaml.YAMLError as error:
        raise LanguageDataError(f"{path}: not valid YAML: {error}") from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise LanguageDataError(f"{path}: the top level must be a mapping")
    return data
