"""A general Spanish dictionary (Hunspell's es_MX, Debian's hunspell-es) read with spylls: is a word Spanish?

The catalog matcher reads a word no catalog name has as a misspelt or by-ear name only if it is no Spanish
word ("entra" is no Sentra, "cadera" no Carrera). Hunspell knows every inflected form through its affix
rules, which a thesaurus of headwords does not. Messages reach the matchers without accents and with ñ as n,
so a word is looked up as written and with each accent or ñ it may have lost ("atras" → "atrás").

Like the thesaurus, the file is optional: without it a warning says what is missing and how to install it,
and only the thesaurus and the stop words guard the loose matching. `configure(path)` sets the file (the
.dic and .aff share it without their extension); Django's side calls it with settings.SPANISH_DICTIONARY_PATH.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import lru_cache
from pathlib import Path

from spylls.hunspell import Dictionary

from nlu import language

logger = logging.getLogger(__name__)

_marks = language.load("dictionary")
_ACCENTS: dict[str, str] = _marks.table("accents")
_TILDES: dict[str, str] = _marks.table("tildes")

_lock = threading.Lock()
_load_lock = threading.Lock()  # threads that ask at once read the file once
_path = ""  # set by configure(); empty means no dictionary
_missing_warned = False


def configure(path: str | Path) -> None:
    """Read the dictionary at `path` (without .dic / .aff) from now on ("" for none); loaded on first use."""
    global _path, _missing_warned
    with _lock:
        _path = str(path)
        _missing_warned = False
    _loaded.cache_clear()
    is_word.cache_clear()


@lru_cache(maxsize=2)
def _loaded(path: str) -> Dictionary | None:
    global _missing_warned
    if not (Path(f"{path}.dic").is_file() and Path(f"{path}.aff").is_file()):
        with _lock:
            if not _missing_warned:
                _missing_warned = True
                logger.warning(
                    "Spanish dictionary %s.dic not found: misspelt car names are told from Spanish words by the "
                    "thesaurus alone. Install it with `apt-get install hunspell-es` or set SPANISH_DICTIONARY_PATH.",
                    path,
                )
        return None
    started = time.perf_counter()
    dictionary = Dictionary.from_files(path)
    logger.info("Loaded Spanish dictionary %s in %.2f s", path, time.perf_counter() - started)
    return dictionary


def get_dictionary() -> Dictionary | None:
    with _lock:
        path = _path
    if not path:
        return None
    with _load_lock:
        return _loaded(path)


def warm_up() -> None:
    get_dictionary()


def _spellings(word: str) -> list[str]:
    """The word, then with the accent it may have lost, with a lost tilde, and with a tilde and an accent."""

    def marked(text: str, marks: dict[str, str]) -> list[str]:
        return [text[:i] + marks[ch] + text[i + 1 :] for i, ch in enumerate(text) if ch in marks]

    with_tilde = marked(word, _TILDES)
    both = [spelled for text in with_tilde for spelled in marked(text, _ACCENTS)]
    return [word, *marked(word, _ACCENTS), *with_tilde, *both]


@lru_cache(maxsize=50_000)
def is_word(word: str) -> bool:
    """Whether a lower-case word without accents is a Spanish word, in some spelling with its accents."""
    dictionary = get_dictionary()
    if dictionary is None or not word.isalpha():
        return False
    return any(dictionary.lookup(spelled) for spelled in _spellings(word))
