"""Satisfaction answers: a CSAT score 1–5 or an NPS score 0–10, as people type them."""

import re

SCALES = {"csat": (1, 5), "nps": (0, 10)}
_SCORE = re.compile(
    r"^(?:(?:le |te |les )?(?:doy|pongo|daria|pondria|califico con|seria|mi calificacion es)\s+)?"
    r"(?:un |una |el )?(\d{1,2})(?:\s*(?:/\s*\d+|de \d+|estrellas?|puntos?))?$"
)
_NUMBER_WORDS = {
    "uno": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    "cero": 0,
}
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
