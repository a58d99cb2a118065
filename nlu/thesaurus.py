"""A general Spanish thesaurus (OpenOffice/MyThes format, Debian's mythes-es) for FAQ matching.

The .dat file starts with its encoding on the first line; then each entry is `word|n`
followed by n sense lines `(pos)|syn1|syn2|...`. It is read once per process, on first use,
into folded headword -> sense lines; a word's synonyms are split out only when asked for
(the FAQ index asks for the few hundred words its FAQs use). Multi-word phrases and
figurative senses ("vil (fig.)") are left out: they are noise for matching single words.

A missing file is no error: FAQ matching works without synonyms, and one warning says
what is missing and how to install it. Which file is read is set by `configure(path)` (Django's
side calls it with settings.THESAURUS_PATH); until then there is no thesaurus.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

_ANNOTATION = re.compile(r"\s*\((?:[^)]*)\)")  # "(NoRAE)", "(fig.)", "(antónimo)"
_FIGURATIVE = "(fig"
_ANTONYM = "(antónimo"


class Thesaurus:
    """Direct synonyms of single words, folded by the caller's `fold`."""

    def __init__(self, senses: dict[str, list[str]], spread: Counter[str], fold: Callable[[str], str]) -> None:
        self._senses = senses
        self._spread = spread
        self._fold = fold
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[str, ...]] = {}

    def __len__(self) -> int:
        return len(self._senses)

    def __contains__(self, word: str) -> bool:
        return word in self._senses

    def headwords(self) -> list[str]:
        return list(self._senses)

    def spread(self, word: str) -> int:
        """In how many entries a (folded) word is listed as a synonym: high means vague."""
        return self._spread.get(word, 0)

    def synonyms(self, word: str) -> tuple[str, ...]:
        """The folded single-word synonyms of a folded word, in the file's order, without repeats."""
        with self._lock:
            found = self._cache.get(word)
        if found is not None:
            return found
        seen: dict[str, None] = {}
        for line in self._senses.get(word, ()):
            for raw in line.split("|")[1:]:
                if _FIGURATIVE in raw or _ANTONYM in raw:
                    continue
                synonym = self._fold(_ANNOTATION.sub("", raw).strip())
                if synonym and " " not in synonym and "-" not in synonym and synonym != word:
                    seen.setdefault(synonym, None)
        found = tuple(seen)
        with self._lock:
            self._cache[word] = found
        return found


def parse(text: str, fold: Callable[[str], str]) -> Thesaurus:
    lines = text.split("\n")
    senses: dict[str, list[str]] = {}
    spread: Counter[str] = Counter()
    i = 1  # line 0 names the encoding
    while i < len(lines):
        head, _, count = lines[i].rpartition("|")
        if not head or not count.isdigit():
            i += 1
            continue
        n = int(count)
        entry = lines[i + 1 : i + 1 + n]
        i += 1 + n
        if " " in head:
            continue  # a phrase: never one word of a message
        senses.setdefault(fold(head), []).extend(entry)
        spread.update({raw for line in entry for raw in line.split("|")[1:]})
    folded_spread: Counter[str] = Counter()
    for raw, n in spread.items():
        folded_spread[fold(_ANNOTATION.sub("", raw).strip())] += n
    return Thesaurus(senses, folded_spread, fold)


def load(path: Path, fold: Callable[[str], str]) -> Thesaurus:
    raw = path.read_bytes()
    first = raw.split(b"\n", 1)[0].decode("ascii", errors="replace").strip() or "utf-8"
    encoding = {"ISO8859-1": "iso-8859-1"}.get(first.upper(), first)
    return parse(raw.decode(encoding, errors="replace"), fold)


_missing_warned = False
_warn_lock = threading.Lock()
_load_lock = threading.Lock()
_path = ""  # set by configure(); empty means no thesaurus


def configure(path: str | Path) -> None:
    """Read the thesaurus from `path` from now on ("" for none); it is loaded on first use."""
    global _path
    with _load_lock:
        _path = str(path)


@lru_cache(maxsize=4)
def _cached(path: str, fold: Callable[[str], str]) -> Thesaurus | None:
    global _missing_warned
    file = Path(path)
    if not file.is_file():
        with _warn_lock:
            if not _missing_warned:
                _missing_warned = True
                logger.warning(
                    "Spanish thesaurus %s not found: FAQ matching runs without synonyms. "
                    "Install it with `apt-get install mythes-es` or set THESAURUS_PATH.",
                    path,
                )
        return None
    started = time.perf_counter()
    thesaurus = load(file, fold)
    logger.info("Loaded thesaurus %s: %d words in %.2f s", path, len(thesaurus), time.perf_counter() - started)
    return thesaurus


def get_thesaurus(fold: Callable[[str], str]) -> Thesaurus | None:
    """The configured thesaurus, loaded once per process; None when none is configured or installed."""
    with _load_lock:  # several threads building indexes at start-up read the file once
        if not _path:
            return None
        return _cached(_path, fold)


def reset() -> None:
    """Forget the loaded thesaurus (after the configured path changes)."""
    global _missing_warned
    _cached.cache_clear()
    with _warn_lock:
        _missing_warned = False
