import pytest

from catalog.tests.factories import VehicleFactory
from catalog.vocabulary import get_vocabulary, invalidate_vocabulary


@pytest.mark.django_db
def test_it_builds_the_vocabulary_from_the_catalog() -> None:
    invalidate_vocabulary()
    VehicleFactory(make="Chevrolet", model="Onix")
    assert get_vocabulary().find("hay onix").model == "Onix"


@pytest.mark.django_db
def test_it_sees_a_vehicle_added_after_the_vocabulary_was_built() -> None:
    VehicleFactory(make="Chevrolet", model="Onix")
    get_vocabulary()
    VehicleFactory(make="Toyota", model="Corolla")
    assert get_vocabulary().find("un corolla").model == "Corolla"


@pytest.mark.django_db
def test_it_sees_a_vehicle_renamed_after_the_vocabulary_was_built() -> None:
    vehicle = VehicleFactory(make="Chevrolet", model="Onix")
    get_vocabulary()
    vehicle.model = "Aveo"
    vehicle.save()
    assert get_vocabulary().find("un aveo").model == "Aveo"


@pytest.mark.django_db
def test_it_reuses_the_vocabulary_while_the_catalog_is_unchanged() -> None:
    VehicleFactory(make="Chevrolet", model="Onix")
    assert get_vocabulary() is get_vocabulary()


@pytest.mark.django_db
def test_it_builds_an_empty_vocabulary_from_an_empty_catalog() -> None:
    vocabulary = get_vocabulary()
    assert (vocabulary.makes, vocabulary.find("tienen onix").model) == ([], None)
