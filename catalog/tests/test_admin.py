"""The catalog in the admin: filters (make, body type, year, price, availability), search, validation, status."""

import pytest
from django.urls import reverse

from catalog.models import Availability, Vehicle
from catalog.selectors import VehicleFilters, vehicle_search
from catalog.tests.factories import VehicleFactory
from conversations.tests.backoffice.users import logged_in, sales_manager

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:catalog_vehicle_changelist")
ADD_URL = reverse("admin:catalog_vehicle_add")


@pytest.fixture
def client():
    return logged_in(sales_manager())


@pytest.fixture
def lot() -> dict[str, Vehicle]:
    return {
        "onix": VehicleFactory(stock_id="5001", make="Chevrolet", model="Onix", year=2021, price=226999),
        "cx5": VehicleFactory(stock_id="5002", make="Mazda", model="CX-5", body_type="suv", year=2019, price=389000),
        "sold": VehicleFactory(stock_id="5003", make="Mazda", model="Mazda 3", year=2018, price=289000, status="sold"),
    }


def _listed(client, **params) -> set[str]:
    page = client.get(LIST_URL, params)
    assert page.status_code == 200
    return {vehicle.stock_id for vehicle in page.context["cl"].result_list}


def test_it_filters_by_make(client, lot):
    assert _listed(client, make="Mazda") == {"5002", "5003"}


def test_it_filters_by_body_type(client, lot):
    assert _listed(client, body_type__exact="suv") == {"5002"}


def test_it_filters_by_year(client, lot):
    assert _listed(client, year="2021") == {"5001"}


def test_it_filters_by_price_range(client, lot):
    assert _listed(client, precio="200000-300000") == {"5001", "5003"}


def test_it_filters_by_availability(client, lot):
    assert _listed(client, status__exact="sold") == {"5003"}


def test_it_searches_by_model(client, lot):
    assert _listed(client, q="cx-5") == {"5002"}


def test_it_rejects_a_model_year_out_of_range(client):
    form = {"stock_id": "6001", "make": "Kia", "model": "Rio", "year": "1890", "price": "250000", "km": "0",
            "status": "available"}  # fmt: skip

    page = client.post(ADD_URL, form)

    assert "year" in page.context["adminform"].form.errors
    assert not Vehicle.objects.exists()


def test_it_rejects_a_stock_id_with_spaces(client):
    form = {"stock_id": "60 01", "make": "Kia", "model": "Rio", "year": "2020", "price": "250000", "km": "0",
            "status": "available"}  # fmt: skip

    page = client.post(ADD_URL, form)

    assert "stock_id" in page.context["adminform"].form.errors


def test_it_adds_a_vehicle_with_a_photo_url(client):
    form = {"stock_id": "6002", "make": "Kia", "model": "Rio", "year": "2020", "price": "250000", "km": "15000",
            "status": "available", "photo_url": "https://fotos.example.com/6002.jpg"}  # fmt: skip

    assert client.post(ADD_URL, form).status_code == 302
    assert Vehicle.objects.get(stock_id="6002").photo_url == "https://fotos.example.com/6002.jpg"


def test_it_takes_a_vehicle_marked_sold_out_of_the_bots_search(client, lot):
    client.post(LIST_URL, {"action": "mark_sold", "_selected_action": [lot["onix"].pk]})

    assert Vehicle.objects.get(stock_id="5001").status == Availability.SOLD
    assert "5001" not in {vehicle.stock_id for vehicle in vehicle_search(VehicleFilters(make="Chevrolet")).vehicles}


def test_it_offers_a_vehicle_marked_available_again(client, lot):
    client.post(LIST_URL, {"action": "mark_available", "_selected_action": [lot["sold"].pk]})

    assert "5003" in {vehicle.stock_id for vehicle in vehicle_search(VehicleFilters(make="Mazda")).vehicles}
