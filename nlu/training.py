"""Training the intent model with scikit-learn: tf-idf word and character n-grams, a linear model.

Only a process that trains imports this module (scikit-learn and SciPy cost about 100 MB a
process); serving reads the fitted model as plain arrays (nlu/classifier.py), from memory or from
the file a previous training saved.
"""

from collections.abc import Callable, Iterable

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import FeatureUnion

from nlu.config import pipeline_config
from nlu.language import Example

# The features: (name, analyzer, n-gram range, minimum document frequency).
FEATURES = (("words", "word", (1, 2), 1), ("chars", "char_wb", (2, 5), 2))


def fit(
    examples: Iterable[Example], *, kind: str, prepare: Callable[[str], str]
) -> tuple[FeatureUnion, SGDClassifier]:
    """The sklearn features and model for a kind's examples (deterministic: fixed seed, fixed order)."""
    allowed = pipeline_config(kind).intents
    chosen = [example for example in examples if example.intent in allowed]
    if len({example.intent for example in chosen}) < 2:
        raise ValueError(f"not enough intents with examples for kind {kind!r}")
    texts = [prepare(example.text) for example in chosen]
    labels = [example.intent for example in chosen]
    features = FeatureUnion(
        [
            (name, TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, sublinear_tf=True, min_df=min_df))
            for name, analyzer, ngrams, min_df in FEATURES
        ]
    )
    matrix = features.fit_transform(texts)
    model = SGDClassifier(loss="log_loss", alpha=5e-5, max_iter=50, tol=None, random_state=0)
    model.fit(matrix, labels)
    return features, model


def model_arrays(features: FeatureUnion, model: SGDClassifier) -> dict[str, np.ndarray]:
    """The fitted model as named arrays (what nlu.classifier.IntentModel reads and saves)."""
    weights = np.ascontiguousarray(model.coef_.T)
    arrays = {"intents": np.array([str(label) for label in model.classes_]), "bias": model.intercept_.copy()}
    start = 0
    for name, vectorizer in features.transformer_list:
        terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
        arrays[f"{name}.terms"] = np.array(terms)
        arrays[f"{name}.idf"] = vectorizer.idf_
        arrays[f"{name}.weights"] = weights[start : start + len(terms)]
        start += len(terms)
    return arrays
