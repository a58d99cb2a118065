"""Intent from examples: a linear model over word and character n-grams.

Trained from the example files of `nlu/resources/<locale>/intents/` (and any taught examples
passed in), one model per assistant kind, over the intents its pipeline declares (nlu/resources/pipelines.yaml).
Training is deterministic and takes a fraction of a second; a fitted model is kept per process
and keyed by a fingerprint of its examples, so new examples mean a new model and nothing else.
Character n-grams read misspellings ("finansiamiento"), word n-grams read phrasing ("me comunicas con").
"""

import hashlib
import math
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import FeatureUnion

from nlu.config import pipeline_config
from nlu.language import Example

Prepare = Callable[[str], str]


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
        digest = hashlib.sha256()
        for example in self.examples:
            digest.update(f"{example.intent}\x1f{example.kind}\x1f{example.text}\x1e".encode())
        return digest.hexdigest()


class _Block:
    """One fitted tf-idf vectoriser as plain data: sklearn's transform, without its per-call checks."""

    def __init__(self, vectorizer: TfidfVectorizer, weights: np.ndarray) -> None:
        self._analyse = vectorizer.build_analyzer()
        self._vocabulary: dict[str, int] = vectorizer.vocabulary_
        self._idf = vectorizer.idf_
        self._weights = weights  # rows: this block's features; columns: intents

    def logits(self, text: str) -> np.ndarray | None:
        counts = Counter(index for gram in self._analyse(text) if (index := self._vocabulary.get(gram)) is not None)
        if not counts:
            return None
        indices = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        tf = np.fromiter((1.0 + math.log(count) for count in counts.values()), dtype=float, count=len(counts))
        values = tf * self._idf[indices]
        values /= np.linalg.norm(values)
        return values @ self._weights[indices]


class IntentClassifier:
    """A fitted model: `predict` gives each intent's probability for a text."""

    def __init__(self, features: FeatureUnion, model: SGDClassifier, prepare: Prepare) -> None:
        self._prepare = prepare
        self.intents: tuple[str, ...] = tuple(str(label) for label in model.classes_)
        weights = np.ascontiguousarray(model.coef_.T)
        self._bias = model.intercept_.copy()
        self._blocks = []
        start = 0
        for _name, vectorizer in features.transformer_list:
            size = len(vectorizer.vocabulary_)
            self._blocks.append(_Block(vectorizer, weights[start : start + size]))
            start += size

    @classmethod
    def train(cls, examples: Iterable[Example], *, kind: str, prepare: Prepare) -> "IntentClassifier":
        features, model = fit(examples, kind=kind, prepare=prepare)
        return cls(features, model, prepare)

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


def fit(examples: Iterable[Example], *, kind: str, prepare: Prepare) -> tuple[FeatureUnion, SGDClassifier]:
    """The sklearn features and model for a kind's examples (deterministic: fixed seed, fixed order)."""
    chosen = [example for example in examples if _allowed(example.intent, kind)]
    if len({example.intent for example in chosen}) < 2:
        raise ValueError(f"not enough intents with examples for kind {kind!r}")
    texts = [prepare(example.text) for example in chosen]
    labels = [example.intent for example in chosen]
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
        ]
    )
    matrix = features.fit_transform(texts)
    model = SGDClassifier(loss="log_loss", alpha=5e-5, max_iter=50, tol=None, random_state=0)
    model.fit(matrix, labels)
    return features, model


class ClassifierCache:
    """One fitted classifier per kind in this process; retrained only when its examples change."""

    def __init__(self, prepare: Prepare) -> None:
        self._prepare = prepare
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
            classifier = IntentClassifier.train(examples.examples, kind=kind, prepare=self._prepare)
            self._models[kind] = (examples.fingerprint, classifier)
            return classifier


def _allowed(intent: str, kind: str) -> bool:
    return intent in pipeline_config(kind).intents
