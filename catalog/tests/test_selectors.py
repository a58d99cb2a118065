from decimal import Decimal

import pytest

from catalog.models import Availability
from catalog.selectors import (
    VehicleFilters,
    vehicle_alternatives,
    vehicle_card,
    vehicle_get,
    vehicle_search,
    vehicles_by_stock_ids,
    vehicles_matching,
)
from catalog.tests.factories import VehicleFactory

pytestmark = pytest.mark.django_db


def _stock_ids(vehicles) -> list[str]:
    return [vehicle.stock_id for vehicle in vehicles]


# --- VehicleFilters ------------------------------------------------------------


def test_it_builds_filters_from_slots_ignoring_unrelated_keys():
    slots = {"make": "Chevrolet", "max_price": 300000, "term_months": 48, "down_payment": 60000}
    assert VehicleFilters.from_slots(slots) == VehicleFilters(make="Chevrolet", max_price=300000)


def test_it_turns_feature_slots_into_true_filters():
    filters = VehicleFilters.from_slots({"features": ["bluetooth", "car_play"]})
    assert (filters.bluetooth, filters.car_play) == (True, True)


def test_it_reads_numbers_given_as_floats_or_text():
    filters = VehicleFilters.from_slots({"max_price": 300000.0, "year_min": "2019", "max_km": Decimal("50000")})
    assert (filters.max_price, filters.year_min, filters.max_km) == (300000, 2019, 50000)


def test_it_reads_a_single_year_as_both_bounds():
    filters = VehicleFilters.from_slots({"year": 2020})
    assert (filters.year_min, filters.year_max) == (2020, 2020)


def test_it_treats_blank_slots_as_absent():
    assert VehicleFilters.from_slots({"make": "  ", "model": None, "max_price": ""}).is_empty()


def test_it_is_not_empty_with_any_filter():
    assert not VehicleFilters(car_play=True).is_empty()


# --- vehicle_search --------------------------------------------------------------


def test_it_finds_vehicles_of_a_make_cheapest_first():
    VehicleFactory(stock_id="B", make="Chevrolet", price=Decimal("200000"))
    VehicleFactory(stock_id="A", make="Chevrolet", price=Decimal("150000"))
    VehicleFactory(stock_id="C", make="Nissan", price=Decimal("100000"))
    assert _stock_ids(vehicle_search(VehicleFilters(make="Chevrolet")).vehicles) == ["A", "B"]


def test_it_finds_vehicles_of_any_make_asked_for():
    VehicleFactory(stock_id="A", make="Mazda")
    VehicleFactory(stock_id="B", make="KIA")
    VehicleFactory(stock_id="C", make="Nissan")
    filters = VehicleFilters(make="mazda", other_makes=("Kia",))
    assert sorted(_stock_ids(vehicle_search(filters).vehicles)) == ["A", "B"]


def test_it_is_empty_without_makes():
    assert VehicleFilters(other_makes=()).is_empty()


def test_it_breaks_price_ties_by_stock_id():
    VehicleFactory(stock_id="2", price=Decimal("150000"))
    VehicleFactory(stock_id="1", price=Decimal("150000"))
    assert _stock_ids(vehicle_search(VehicleFilters(make="Chevrolet")).vehicles) == ["1", "2"]


def test_it_matches_make_and_model_ignoring_case():
    VehicleFactory(stock_id="1", make="Mazda", model="CX-5")
    assert _stock_ids(vehicle_search(VehicleFilters(make="mazda", model="cx-5")).vehicles) == ["1"]


def test_it_matches_the_model_exactly_not_as_a_prefix():
    VehicleFactory(stock_id="1", make="Mazda", model="Mazda 3")
    VehicleFactory(stock_id="2", make="Mazda", model="Mazda 3 Hatchback")
    assert _stock_ids(vehicle_search(VehicleFilters(model="Mazda 3")).vehicles) == ["1"]


@pytest.mark.parametrize("status", [Availability.SOLD, Availability.RESERVED])
def test_it_leaves_out_vehicles_that_are_not_available(status):
    VehicleFactory(stock_id="1")
    VehicleFactory(stock_id="2", status=status)
    result = vehicle_search(VehicleFilters(make="Chevrolet"))
    assert (_stock_ids(result.vehicles), result.total) == (["1"], 1)


def test_it_includes_both_price_bounds():
    for stock_id, price in [("low", 99999), ("min", 100000), ("max", 300000), ("high", 300001)]:
        VehicleFactory(stock_id=stock_id, price=Decimal(price))
    found = vehicle_search(VehicleFilters(min_price=100000, max_price=300000)).vehicles
    assert _stock_ids(found) == ["min", "max"]


def test_it_filters_by_year_range():
    for year in (2017, 2018, 2020, 2021):
        VehicleFactory(stock_id=str(year), year=year)
    found = vehicle_search(VehicleFilters(year_min=2018, year_max=2020)).vehicles
    assert sorted(_stock_ids(found)) == ["2018", "2020"]


def test_it_filters_by_mileage_and_body_type():
    VehicleFactory(stock_id="suv-low", body_type="suv", km=40000)
    VehicleFactory(stock_id="suv-high", body_type="suv", km=90000)
    VehicleFactory(stock_id="sedan-low", body_type="sedan", km=10000)
    found = vehicle_search(VehicleFilters(body_type="suv", max_km=50000)).vehicles
    assert _stock_ids(found) == ["suv-low"]


def test_it_filters_by_features():
    VehicleFactory(stock_id="both", bluetooth=True, car_play=True)
    VehicleFactory(stock_id="bt", bluetooth=True, car_play=False)
    assert _stock_ids(vehicle_search(VehicleFilters(bluetooth=True, car_play=True)).vehicles) == ["both"]


def test_it_counts_every_match_beyond_the_limit():
    VehicleFactory.create_batch(7)
    result = vehicle_search(VehicleFilters(make="Chevrolet"), limit=3)
    assert (len(result.vehicles), result.total) == (3, 7)


def test_it_finds_nothing_for_an_absent_make():
    VehicleFactory()
    result = vehicle_search(VehicleFilters(make="Ferrari"))
    assert (result.vehicles, result.total) == ([], 0)


@pytest.mark.parametrize("count", [6, 60])
def test_it_runs_a_constant_number_of_queries(count, django_assert_num_queries):
    VehicleFactory.create_batch(count)
    with django_assert_num_queries(2):  # the page and the count
        vehicle_search(VehicleFilters(make="Chevrolet"), limit=5)


def test_it_skips_the_count_when_the_page_holds_every_match(django_assert_num_queries):
    VehicleFactory.create_batch(3)
    with django_assert_num_queries(1):
        assert vehicle_search(VehicleFilters(make="Chevrolet"), limit=5).total == 3


# --- single vehicles ----------------------------------------------------------------


def test_it_gets_a_vehicle_by_stock_id():
    vehicle = VehicleFactory(stock_id="311726")
    assert vehicle_get(" 311726 ") == vehicle


def test_it_gets_nothing_for_an_unknown_stock_id():
    assert vehicle_get("nope") is None


def test_it_gets_a_sold_vehicle_unless_asked_for_available_only():
    VehicleFactory(stock_id="1", status=Availability.SOLD)
    assert (vehicle_get("1") is not None, vehicle_get("1", available_only=True)) == (True, None)


def test_it_returns_vehicles_by_stock_id_in_the_order_asked():
    VehicleFactory(stock_id="1", price=Decimal("100000"))
    VehicleFactory(stock_id="2", price=Decimal("200000"))
    VehicleFactory(stock_id="3", status=Availability.SOLD)
    assert _stock_ids(vehicles_by_stock_ids(["2", "3", "missing", "1"])) == ["2", "1"]


def test_it_renders_a_card_with_json_ready_values():
    vehicle = VehicleFactory(
        stock_id="311726", price=Decimal("226999.00"), photo_url="https://example.com/onix.jpg", car_play=False
    )
    assert vehicle_card(vehicle) == {
        "stock_id": "311726",
        "make": "Chevrolet",
        "model": "Onix",
        "year": 2021,
        "version": "1.0 LS A",
        "km": 28430,
        "price": 226999,
        "body_type": "sedan",
        "bluetooth": True,
        "car_play": False,
        "transmission": "automatic",
        "length_mm": None,
        "width_mm": None,
        "height_mm": None,
        "photo_url": "https://example.com/onix.jpg",
    }


def test_it_rounds_a_card_price_to_whole_pesos():
    assert vehicle_card(VehicleFactory(price=Decimal("226999.50")))["price"] == 227000


# --- vehicles_matching ---------------------------------------------------------------


def test_it_lists_the_vehicles_of_a_model_cheapest_first():
    VehicleFactory(stock_id="2017", make="Chevrolet", model="Aveo", year=2017, price=Decimal("138999"))
    VehicleFactory(stock_id="2016", make="Chevrolet", model="Aveo", year=2016, price=Decimal("151999"))
    VehicleFactory(stock_id="onix", make="Chevrolet", model="Onix")
    assert _stock_ids(vehicles_matching("chevrolet", "aveo")) == ["2017", "2016"]


def test_it_narrows_matching_vehicles_to_a_year():
    VehicleFactory(stock_id="2017", model="Aveo", year=2017)
    VehicleFactory(stock_id="2016", model="Aveo", year=2016)
    assert _stock_ids(vehicles_matching(None, "Aveo", 2016)) == ["2016"]


def test_it_matches_nothing_without_make_or_model():
    VehicleFactory()
    assert vehicles_matching(None, None, 2021) == []


def test_it_leaves_sold_vehicles_out_of_matches():
    VehicleFactory(model="Aveo", status=Availability.SOLD)
    assert vehicles_matching("Chevrolet", "Aveo") == []


# --- vehicle_alternatives ------------------------------------------------------------


def test_it_offers_other_models_of_the_same_make_first():
    VehicleFactory(stock_id="spark", make="Chevrolet", model="Spark", price=Decimal("142999"))
    VehicleFactory(stock_id="versa", make="Nissan", model="Versa", price=Decimal("250000"))
    found = vehicle_alternatives(VehicleFilters(make="Chevrolet", model="Camaro", max_price=250000))
    assert _stock_ids(found) == ["spark"]


def test_it_offers_other_makes_when_the_make_has_nothing_in_budget():
    VehicleFactory(stock_id="bmw", make="BMW", model="Serie 3", price=Decimal("600000"))
    VehicleFactory(stock_id="versa", make="Nissan", model="Versa", price=Decimal("250000"))
    found = vehicle_alternatives(VehicleFilters(make="BMW", max_price=300000))
    assert _stock_ids(found) == ["versa"]


def test_it_orders_alternatives_by_closeness_to_the_budget():
    for stock_id, price in [("far", 100000), ("near", 290000), ("mid", 220000)]:
        VehicleFactory(stock_id=stock_id, make="Nissan", price=Decimal(price))
    found = vehicle_alternatives(VehicleFilters(make="Ferrari", max_price=300000))
    assert _stock_ids(found) == ["near", "mid", "far"]


def test_it_widens_the_budget_by_a_fifth_before_dropping_other_wishes():
    VehicleFactory(stock_id="suv-360k", body_type="suv", price=Decimal("360000"))
    VehicleFactory(stock_id="suv-361k", body_type="suv", price=Decimal("361000"))
    VehicleFactory(stock_id="sedan-200k", body_type="sedan", price=Decimal("200000"))
    found = vehicle_alternatives(VehicleFilters(body_type="suv", max_price=300000))
    assert _stock_ids(found) == ["suv-360k"]


def test_it_drops_the_years_before_the_body_type():
    VehicleFactory(stock_id="old-suv", body_type="suv", year=2012)
    VehicleFactory(stock_id="new-sedan", body_type="sedan", year=2022)
    found = vehicle_alternatives(VehicleFilters(body_type="suv", year_min=2020))
    assert _stock_ids(found) == ["old-suv"]


def test_it_drops_the_mileage_before_the_body_type():
    VehicleFactory(stock_id="worn-pickup", body_type="pickup", km=150000)
    VehicleFactory(stock_id="new-sedan", body_type="sedan", km=1000)
    found = vehicle_alternatives(VehicleFilters(body_type="pickup", max_km=30000))
    assert _stock_ids(found) == ["worn-pickup"]


def test_it_ends_with_the_vehicles_closest_to_the_budget_when_nothing_else_matches():
    VehicleFactory(stock_id="cheap", price=Decimal("150000"))
    VehicleFactory(stock_id="dear", price=Decimal("900000"))
    found = vehicle_alternatives(VehicleFilters(body_type="minivan", max_price=50000), limit=1)
    assert _stock_ids(found) == ["cheap"]


def test_it_never_offers_unavailable_alternatives():
    VehicleFactory(stock_id="sold", make="Nissan", status=Availability.SOLD)
    VehicleFactory(stock_id="open", make="Nissan", price=Decimal("900000"))
    assert _stock_ids(vehicle_alternatives(VehicleFilters(make="Ferrari", max_price=200000))) == ["open"]


def test_it_caps_the_number_of_alternatives():
    VehicleFactory.create_batch(8, make="Nissan")
    assert len(vehicle_alternatives(VehicleFilters(make="Ferrari"), limit=5)) == 5


def test_it_offers_no_alternatives_from_an_empty_catalog():
    assert vehicle_alternatives(VehicleFilters(make="Ferrari", max_price=100000)) == []
