"""A customer's stated name: "me llamo Juan Pérez", "soy Ana", "mi nombre es María de la Luz".

Cues and word lists live in resources/es_mx/names.yaml. The name keeps the customer's spelling; a name
typed all in lower or upper case is written with capitals ("juan pérez" -> "Juan Pérez").
"""

import re
from dataclasses import dataclass

from nlu import language
from nlu.normalise import normalise
from nlu.vocabulary import is_spanish_word

_cues = language.load("names")
STATED = _cues.pattern("stated", re.IGNORECASE)
SOY = _cues.pattern("soy", re.IGNORECASE)
NAME_ENDS = frozenset(normalise(word) for word in _cues.words("name_ends"))
PARTICLES = _cues.words("particles")
NOT_A_NAME = frozenset(normalise(word) for word in _cues.words("not_a_name"))
BARE_NAME_READS_AS = sorted(_cues.words("bare_name_reads_as"))[0]
NAME_PUNCTUATION = " \t\n,.;:!¡?¿"  # what may be left of a message that only gave a name
WORD = re.compile(r"\S+")
MIN_NAME_LETTERS = 2
MAX_NAME_LENGTH = 120


@dataclass(frozen=True)
class StatedName:
    name: str
    start: int  # where the cue starts ("me llamo …")
    end: int  # where the name's last word ends


def stated_name(text: str) -> str | None:
    """The name the message states, or None ("soy de Monterrey" and "me llamo" alone state none)."""
    found = find_stated_name(text)
    return found.name if found else None


def without_stated_name(text: str) -> str:
    """The message less its name statement: "me llamo Ana y busco un Aveo" -> "y busco un Aveo"."""
    found = find_stated_name(text)
    return text if found is None else f"{text[: found.start]} {text[found.end :]}".strip()


def find_stated_name(text: str) -> StatedName | None:
    if match := STATED.search(text):
        return _stated(match)
    if match := SOY.search(text):
        first = normalise(match.group("name").split()[0])
        if first in NOT_A_NAME or is_spanish_word(first):
            return None
        return _stated(match)
    return None


def _stated(match: re.Match[str]) -> StatedName | None:
    words: list[re.Match[str]] = []
    for word in WORD.finditer(match.group("name")):
        folded = normalise(word.group())
        if folded in NAME_ENDS and folded not in PARTICLES:
            break
        if folded in NOT_A_NAME and not words:
            return None
        words.append(word)
    while words and normalise(words[-1].group()) in PARTICLES:  # "Juan de …": the particle joined nothing
        words.pop()
    if not words or len(words[0].group().strip("'’-")) < MIN_NAME_LETTERS:
        return None
    name = _capitalised(" ".join(word.group() for word in words))[:MAX_NAME_LENGTH]
    return StatedName(name, match.start("cue"), match.start("name") + words[-1].end())


def _capitalised(name: str) -> str:
    if name != name.lower() and name != name.upper():
        return name  # the customer's own capitals ("McAllister", "de la Garza")
    return " ".join(
        word.lower() if index and word.lower() in PARTICLES else word[:1].upper() + word[1:].lower()
        for index, word in enumerate(name.split())
    )
