"""nlu's body-type words (plain Python) name only the catalog's body types (a Django model's choices)."""

from catalog.models import BodyType
from nlu.body_types import BODY_TYPE_WORDS, MODEL_BODY_TYPES


def test_it_maps_words_only_to_the_catalog_body_types() -> None:
    assert set(BODY_TYPE_WORDS.values()) <= set(BodyType.values)


def test_it_knows_models_only_by_the_catalog_body_types() -> None:
    bodies = {body for models in MODEL_BODY_TYPES.values() for body in models.values()}
    assert bodies <= set(BodyType.values)
