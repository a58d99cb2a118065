"""Spanish stems (Snowball), safe to take from any thread.

A Snowball stemmer keeps the word it is cutting in the instance: two threads sharing one cut each other's
word (under gunicorn's threads that raised IndexError in a turn, answered 503). Each thread has its own.
"""

import threading
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

_local = threading.local()


def _stemmer():
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("spanish")
    return stemmer


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def stems(words: Iterable[str]) -> list[str]:
    """Stems of many words at once, not remembered (a whole word list would crowd out the message's words)."""
    return _stemmer().stemWords(list(words))
