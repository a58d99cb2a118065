"""The intent model: trained from the example files, deterministic, and taught by data alone."""

import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from nlu import language, pipeline
from nlu.classifier import ClassifierCache, ExampleSet, IntentClassifier, char_grams, word_grams
from nlu.config import pipeline_config
from nlu.intents import INTENTS
from nlu.normalise import normalise
from nlu.state import DialogueState
from nlu.training import fit, model_arrays
from nlu.vocabulary import Vocabulary

SHIPPED = pipeline.shipped_examples()
ROOT = Path(__file__).resolve().parents[2]
# A coined word no example and no cue knows, so only what is taught can give it a meaning.
COINED = ["quiero un zorblax", "me urge un zorblax ya", "pásame un zorblax porfa", "necesito zorblax", "un zorblax xfa"]


def test_it_ships_at_least_150_examples_per_intent():
    counts = Counter(example.intent for example in SHIPPED.examples)
    assert set(counts) == set(INTENTS)
    assert min(counts.values()) >= 150


def test_it_keeps_sales_intents_out_of_an_onboarding_model():
    classifier = IntentClassifier.train(SHIPPED.examples, kind="onboarding", prepare=normalise)
    assert set(classifier.intents) == pipeline_config("onboarding").intents
    assert "search_vehicles" not in classifier.intents


def test_it_gives_the_same_probabilities_as_sklearn():
    features, model = fit(SHIPPED.examples, kind="sales", prepare=normalise)
    classifier = IntentClassifier(model_arrays(features, model), normalise)
    texts = [normalise(example.text) for example in SHIPPED.examples[::40]]
    expected = model.predict_proba(features.transform(texts))
    guesses = [classifier.predict(text, prepared=True).probabilities for text in texts]
    got = np.array([[guess[intent] for intent in model.classes_] for guess in guesses])
    assert np.allclose(got, expected, atol=1e-9)


def test_it_reads_the_same_n_grams_as_sklearn():
    features, _model = fit(SHIPPED.examples, kind="sales", prepare=normalise)
    words, chars = (vectorizer.build_analyzer() for _name, vectorizer in features.transformer_list)
    for example in SHIPPED.examples[::7]:
        text = normalise(example.text)
        assert (list(word_grams(text)), list(char_grams(text))) == (words(text), chars(text))


def test_it_saves_and_loads_a_model(tmp_path):
    cache = ClassifierCache(prepare=normalise, directory=tmp_path)
    trained = cache.get("onboarding", SHIPPED)
    loaded = IntentClassifier.load(cache.path("onboarding", SHIPPED), normalise)
    assert np.array_equal(trained.decision("¿cuándo pagan?"), loaded.decision("¿cuándo pagan?"))


def test_it_serves_a_saved_model_without_loading_scikit_learn(tmp_path):
    ClassifierCache(prepare=normalise, directory=tmp_path).get("onboarding", SHIPPED)
    script = (
        "import sys; from pathlib import Path; from nlu import pipeline; from nlu.classifier import ClassifierCache;"
        "from nlu.normalise import normalise;"
        f"cache = ClassifierCache(prepare=normalise, directory=Path({str(tmp_path)!r}));"
        "print(cache.get('onboarding', pipeline.shipped_examples()).predict('hola').intent,"
        " any(name.startswith('sklearn') for name in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.split() == ["greet", "False"]


def test_it_trains_again_when_the_saved_model_is_unreadable(tmp_path):
    cache = ClassifierCache(prepare=normalise, directory=tmp_path)
    cache.path("onboarding", SHIPPED).write_bytes(b"not a model")
    assert cache.get("onboarding", SHIPPED).predict("hola").intent == "greet"


def test_it_trains_the_same_model_twice():
    first = IntentClassifier.train(SHIPPED.examples, kind="sales", prepare=normalise)
    second = IntentClassifier.train(SHIPPED.examples, kind="sales", prepare=normalise)
    assert np.array_equal(first.decision("tienen camionetas?"), second.decision("tienen camionetas?"))


def test_it_reads_held_out_examples():
    """Trained on four fifths of the examples, it reads most of the fifth it never saw."""
    examples = list(SHIPPED.examples)
    held_out = examples[::5]
    training = [example for index, example in enumerate(examples) if index % 5]
    classifier = IntentClassifier.train(training, kind="sales", prepare=normalise)
    right = sum(classifier.predict(example.text).intent == example.intent for example in held_out)
    assert right / len(held_out) >= 0.85


def test_it_retrains_when_the_examples_change():
    cache = ClassifierCache(prepare=normalise)
    shipped = cache.get("sales", SHIPPED)
    taught = ExampleSet((*SHIPPED.examples, language.Example("necesito un zorblax", "human_handoff", "both")))
    assert cache.get("sales", SHIPPED) is shipped
    assert cache.get("sales", taught) is not shipped


def _read(text: str, examples: ExampleSet | None = None) -> str:
    vocabulary = Vocabulary.from_pairs([("Chevrolet", "Onix")])
    return pipeline.understand(
        text, state=DialogueState(), vocabulary=vocabulary, faq_index=None, kind="sales", examples=examples
    ).intent


def test_it_changes_a_reading_when_a_data_file_gains_examples(tmp_path):
    message = "oye, ¿me consigues un zorblax?"
    before = _read(message)
    lines = "\n".join(f'  - text: "{text}"\n    kind: both' for text in COINED)
    (tmp_path / "human_handoff.yaml").write_text(f"intent: human_handoff\nexamples:\n{lines}\n", encoding="utf-8")
    taught = ExampleSet(language.intent_examples(extra_dirs=(tmp_path,)))
    assert (before, _read(message, taught)) == ("out_of_scope", "human_handoff")


@pytest.mark.parametrize("kind", ["sales", "onboarding"])
def test_it_refuses_examples_of_one_intent(kind):
    with pytest.raises(ValueError, match="not enough intents"):
        IntentClassifier.train([language.Example("hola", "greet", "both")], kind=kind, prepare=normalise)
