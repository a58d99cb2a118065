"""Which components read a message for each kind of assistant: `nlu/resources/pipelines.yaml`.

The assistants choose their pipeline by configuration (snips-nlu style): the code asks what the
pipeline has ("does it read a catalog?", "which intents can it give?"), never which kind it is.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from nlu.language import SAFE_LOADER, LanguageDataError

PIPELINES = Path(__file__).resolve().parent / "resources" / "pipelines.yaml"
COMPONENTS = frozenset({"catalog", "references", "faq", "intent"})


@dataclass(frozen=True)
class PipelineConfig:
    kind: str
    components: tuple[str, ...]
    intents: frozenset[str]
    faq_needs_a_match: bool
    faq_reads_meaning: bool

    @property
    def reads_catalog(self) -> bool:
        return "catalog" in self.components

    def runs(self, component: str) -> bool:
        return component in self.components


@cache
def pipeline_config(kind: str) -> PipelineConfig:
    """The configuration of a kind of assistant; LanguageDataError for a kind the file does not declare."""
    declared = _read()
    if kind not in declared:
        raise LanguageDataError(f"{PIPELINES}: no pipeline for assistant kind {kind!r}")
    return declared[kind]


def kinds() -> tuple[str, ...]:
    return tuple(_read())


@cache
def _read() -> dict[str, PipelineConfig]:
    with PIPELINES.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=SAFE_LOADER)
    configs = {}
    for kind, entry in (data or {}).items():
        components = tuple(entry.get("components", ()))
        unknown = set(components) - COMPONENTS
        if unknown:
            raise LanguageDataError(f"{PIPELINES}: {kind}: unknown components {sorted(unknown)}")
        configs[kind] = PipelineConfig(
            kind=kind,
            components=components,
            intents=frozenset(entry.get("intents", ())),
            faq_needs_a_match=bool(entry.get("faq_needs_a_match", False)),
            faq_reads_meaning=bool(entry.get("faq_reads_meaning", False)),
        )
    return configs
