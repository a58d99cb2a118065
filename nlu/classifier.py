"""Intent from examples: a linear model over word and character n-grams, served with numpy alone.

Trained (nlu/training.py, scikit-learn) from the example files of `nlu/resources/<locale>/intents/`
and any taught examples, one model per assistant kind over the intents its pipeline declares
(nlu/resources/pipelines.yaml). Training is deterministic and takes about a second; the fitted model
is kept per process, keyed by a fingerprint of its examples, and saved as a file when a folder is
configured, so a worker starting from a trained image loads arrays instead of training (and never
imports scikit-learn). Character n-grams read misspellings, word n-grams read phrasing.
"""

import hashlib
import itertools
import logging
import math
import os
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from nlu.language import Example

logger = logging.getLogger(__name__)

Prepare = Callable[[str], str]
WORD = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
MODEL_VERSION = "1"  # bump when the features or the file layout change


@dataclass(frozen=True)
class IntentGuess:
    intent: str
    probability: float
    probabilities: dict[str, float]


@dataclass(frozen=True)
class ExampleSet:
    """The examples a model is trained from, with a fingerprint computed once."""

    examples: tuple[Example, ...]

    @cached_property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(MODEL_VERSION.encode())
        for example in self.examples:
            digest.update(f"{example.intent}\x1f{example.kind}\x1f{example.text}\x1e".encode())
        return digest.hexdigest()


def word_grams(text: str) -> Iterator[str]:
    """Words and word pairs, as scikit-learn's word analyzer with ngram_range (1, 2)."""
    tokens = WORD.findall(text.lower())
    yield from tokens
    for first, second in itertools.pairwise(tokens):
        yield f"{first} {second}"


def char_grams(text: str, low: int = 2, high: int = 5) -> Iterator[str]:
    """Character n-grams inside word boundaries, as scikit-learn's char_wb analyzer."""
    for word in text.lower().split():
        padded = f" {word} "
        for size in range(low, high + 1):
            if len(padded) <= size:  # a short word counts once, whole
                yield padded
                break
            for start in range(len(padded) - size + 1):
                yield padded[start : start + size]


ANALYZERS: dict[str, Callable[[str], Iterator[str]]] = {"words": word_grams, "chars": char_grams}


class _Block:
    """One tf-idf feature block: its terms, their idf and the model's weights for them."""

    def __init__(self, name: str, terms: np.ndarray, idf: np.ndarray, weights: np.ndarray) -> None:
        self.name = name
        self._analyse = ANALYZERS[name]
        self._index = {str(term): position for position, term in enumerate(terms)}
        self._idf = idf
        self._weights = weights  # rows: this block's terms; columns: intents

    def logits(self, text: str) -> np.ndarray | None:
        counts = Counter(position for gram in self._analyse(text) if (position := self._index.get(gram)) is not None)
        if not counts:
            return None
        indices = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        tf = np.fromiter((1.0 + math.log(count) for count in counts.values()), dtype=float, count=len(counts))
        values = tf * self._idf[indices]
        values /= np.linalg.norm(values)
        return values @ self._weights[indices]


class IntentClassifier:
    """A fitted model: `predict` gives each intent's probability for a text."""

    def __init__(self, arrays: dict[str, np.ndarray], prepare: Prepare) -> None:
        self._arrays = arrays
        self._prepare = prepare
        self.intents: tuple[str, ...] = tuple(str(intent) for intent in arrays["intents"])
        self._bias = np.asarray(arrays["bias"], dtype=float)
        self._blocks = [
            _Block(name, arrays[f"{name}.terms"], arrays[f"{name}.idf"], arrays[f"{name}.weights"])
            for name in ANALYZERS
        ]

    @classmethod
    def train(cls, examples: Iterable[Example], *, kind: str, prepare: Prepare) -> "IntentClassifier":
        # scikit-learn is imported only to train: it and SciPy cost about 100 MB in every process.
        from nlu import training

        features, model = training.fit(examples, kind=kind, prepare=prepare)
        return cls(training.model_arrays(features, model), prepare)

    @classmethod
    def load(cls, path: Path, prepare: Prepare) -> "IntentClassifier":
        with np.load(path, allow_pickle=False) as stored:
            return cls({name: stored[name] for name in stored.files}, prepare)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.stem}.{os.getpid()}.{threading.get_ident()}.partial.npz")
        np.savez(partial, **self._arrays)
        partial.replace(path)  # readers see the old file or the whole new one

    def decision(self, text: str, *, prepared: bool = False) -> np.ndarray:
        """The model's raw score per intent (the order of `intents`)."""
        prepared_text = text if prepared else self._prepare(text)
        logits = self._bias.copy()
        for block in self._blocks:
            block_logits = block.logits(prepared_text)
            if block_logits is not None:
                logits += block_logits
        return logits

    def predict(self, text: str, *, prepared: bool = False) -> IntentGuess:
        # One-vs-rest log-loss models: each intent's sigmoid, normalised (as sklearn's predict_proba does).
        sigmoid = 1.0 / (1.0 + np.exp(-self.decision(text, prepared=prepared)))
        probabilities = sigmoid / sigmoid.sum()
        best = int(probabilities.argmax())
        return IntentGuess(
            intent=self.intents[best],
            probability=float(probabilities[best]),
            probabilities={intent: float(p) for intent, p in zip(self.intents, probabilities, strict=True)},
        )


class ClassifierCache:
    """One fitted classifier per kind in this process, from a saved file when one matches its examples,
    trained otherwise (and saved when a folder is configured); retrained only when the examples change."""

    def __init__(self, prepare: Prepare, directory: Path | None = None) -> None:
        self._prepare = prepare
        self.directory = directory
        self._lock = threading.Lock()
        self._models: dict[str, tuple[str, IntentClassifier]] = {}

    def get(self, kind: str, examples: ExampleSet) -> IntentClassifier:
        cached = self._models.get(kind)
        if cached and cached[0] == examples.fingerprint:
            return cached[1]
        with self._lock:
            cached = self._models.get(kind)
            if cached and cached[0] == examples.fingerprint:
                return cached[1]
            classifier = self._load_or_train(kind, examples)
            self._models[kind] = (examples.fingerprint, classifier)
            return classifier

    def save(self, kind: str, examples: ExampleSet) -> Path | None:
        """Write the kind's model to its file (trained or loaded first if needed); None without a folder."""
        path = self.path(kind, examples)
        if path is not None:
            self.get(kind, examples).save(path)
        return path

    def path(self, kind: str, examples: ExampleSet) -> Path | None:
        return self.directory / f"intents-{kind}-{examples.fingerprint[:20]}.npz" if self.directory else None

    def _load_or_train(self, kind: str, examples: ExampleSet) -> IntentClassifier:
        path = self.path(kind, examples)
        if path is not None and path.is_file():
            try:
                return IntentClassifier.load(path, self._prepare)
            except (OSError, ValueError, KeyError) as error:
                logger.warning("Intent model %s unreadable (%s): training again", path, error)
        classifier = IntentClassifier.train(examples.examples, kind=kind, prepare=self._prepare)
        if path is not None:
            try:
                classifier.save(path)
            except OSError as error:  # a read-only image: keep the model in memory
                logger.info("Intent model not saved to %s: %s", path, error)
        return classifier
