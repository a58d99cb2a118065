"""Satisfaction answers: a CSAT score 1–5 or an NPS score 0–10, as people type them."""

import re

from nlu import language

_cues = language.load("ratings")
SCALES = {"csat": (1, 5), "nps": (0, 10)}
_SCORE = _cues.pattern("score")
_NUMBER_WORDS: dict[str, int] = _cues.table("number_words")
_STARS = re.compile(r"^(⭐+)$")


def parse_score(text: str, scale: str) -> int | None:
    """The score a short answer gives on the scale ("5", "un 4", "10/10", "⭐⭐⭐"), or None."""
    low, high = SCALES[scale]
    stars = _STARS.match(text.strip())
    if stars:
        value = len(stars.group(1))
    else:
        digits = " ".join(str(_NUMBER_WORDS.get(word, word)) for word in text.strip(" .!¡").split())
        match = _SCORE.match(digits)
        if not match:
            return None
        value = int(match.group(1))
    return value if low <= value <= high else None
