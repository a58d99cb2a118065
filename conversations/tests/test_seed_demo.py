import csv
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from catalog.models import BodyType, Vehicle
from catalog.tests.factories import VehicleFactory
from conversations.management.commands.seed_demo import CATALOG_FILE, DEMO_DIR
from conversations.models import FAQ, Assistant, AssistantKind, CannedReply, ChannelNumber

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def demo_rows(name: str) -> list[dict[str, str]]:
    with (DEMO_DIR / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list]:
    return {
        "assistants": list(Assistant.objects.values_list("slug", "updated_at").order_by("slug")),
        "numbers": list(ChannelNumber.objects.values_list("number", "assistant__slug").order_by("number")),
        "faqs": list(FAQ.objects.values_list("pk", "updated_at").order_by("pk")),
        "vehicles": list(Vehicle.objects.values_list("pk", "updated_at").order_by("pk")),
    }


# --- seed_demo ------------------------------------------------------------------------


def test_it_creates_a_sales_and_an_onboarding_assistant():
    seed()
    kinds = dict(Assistant.objects.values_list("slug", "kind"))
    assert kinds == {"kvky": AssistantKind.SALES, "blinky": AssistantKind.ONBOARDING}


def test_it_gives_each_assistant_its_folio_prefix_and_texts():
    seed()
    kvky, blinky = Assistant.objects.get(slug="kvky"), Assistant.objects.get(slug="blinky")
    assert (kvky.name, kvky.folio_prefix, blinky.name, blinky.folio_prefix) == ("KVKy", "KVK", "Blinky", "BLK")
    for assistant in (kvky, blinky):
        assert all([assistant.greeting, assistant.persona, assistant.value_proposition, assistant.help_text])
    assert "Guadalajara" in kvky.locations_text
    assert "https://" in blinky.locations_text


def test_it_gives_kvky_the_default_financing_settings():
    seed()
    kvky = Assistant.objects.get(slug="kvky")
    settings = (kvky.annual_rate, kvky.min_term_months, kvky.max_term_months)
    shares = (kvky.default_down_payment_pct, kvky.min_down_payment_pct)
    assert settings == (Decimal("0.10"), 36, 72)
    assert shares == (Decimal("0.20"), Decimal("0.10"))


def test_it_routes_the_whatsapp_sandbox_number_to_kvky():
    seed()
    assert ChannelNumber.objects.get(number="+14155238886").assistant.slug == "kvky"


def test_it_loads_more_than_60_vehicles_of_every_body_type():
    seed()
    assert Vehicle.objects.count() >= 60
    assert set(Vehicle.objects.values_list("body_type", flat=True)) == set(BodyType.values)


def test_it_loads_the_demo_faqs_of_each_assistant():
    seed()
    assert FAQ.objects.filter(assistant__slug="kvky").count() >= 10
    assert FAQ.objects.filter(assistant__slug="blinky").count() >= 20


def test_it_changes_nothing_when_run_twice():
    seed()
    before = snapshot()
    seed()
    assert snapshot() == before


def test_it_leaves_an_existing_catalog_alone():
    VehicleFactory(stock_id="999001")
    seed()
    assert list(Vehicle.objects.values_list("stock_id", flat=True)) == ["999001"]


def test_it_keeps_staff_edits_to_an_assistant():
    seed()
    Assistant.objects.filter(slug="kvky").update(greeting="¡Qué onda!")
    seed()
    assert Assistant.objects.get(slug="kvky").greeting == "¡Qué onda!"


def test_it_restores_the_demo_texts_with_force():
    seed()
    Assistant.objects.filter(slug="kvky").update(greeting="¡Qué onda!")
    seed("--force")
    assert Assistant.objects.get(slug="kvky").greeting.startswith("¡Hola! Soy KVKy")


def test_it_replaces_the_faqs_with_the_demo_ones_with_force():
    seed()
    blinky = Assistant.objects.get(slug="blinky")
    FAQ.objects.create(assistant=blinky, question="¿Hay gimnasio?", answer="No.")
    seed("--force")
    assert not FAQ.objects.filter(question="¿Hay gimnasio?").exists()
    assert FAQ.objects.filter(assistant=blinky).count() == len(demo_rows("faqs_blinky.csv"))


def test_it_replaces_the_catalog_with_the_demo_one_with_force():
    VehicleFactory(stock_id="999001")
    seed("--force")
    assert not Vehicle.objects.filter(stock_id="999001").exists()
    assert Vehicle.objects.count() == len(demo_vehicles())


def test_it_writes_nothing_at_verbosity_zero():
    out = StringIO()
    call_command("seed_demo", verbosity=0, stdout=out)
    assert out.getvalue() == ""


# --- The demo files themselves -------------------------------------------------------------


def demo_vehicles() -> list[dict[str, str]]:
    return demo_rows(CATALOG_FILE.name)


def test_it_prices_demo_vehicles_in_whole_pesos_between_150k_and_1_2m():
    prices = [row["price"] for row in demo_vehicles()]
    assert all(price.isdigit() and 150_000 <= int(price) <= 1_200_000 for price in prices)


def test_it_dates_demo_vehicles_from_2014_to_2023():
    assert {int(row["year"]) for row in demo_vehicles()} == set(range(2014, 2024))


def test_it_offers_many_makes_in_the_demo_catalog():
    assert len({row["make"] for row in demo_vehicles()}) >= 15


# --- ensure_admin ----------------------------------------------------------------------


def ensure_admin(*args: str) -> str:
    out = StringIO()
    call_command("ensure_admin", *args, stdout=out)
    return out.getvalue()


def printed_password(output: str) -> str:
    return output.split("Contraseña: ")[1].strip()


def test_it_creates_one_superuser_and_prints_a_working_password():
    output = ensure_admin()
    assert "Usuario: admin" in output
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
    assert authenticate(username="admin", password=printed_password(output)) is not None


def test_it_makes_a_different_random_password_each_time():
    first = printed_password(ensure_admin())
    get_user_model().objects.all().delete()
    assert printed_password(ensure_admin()) != first


def test_it_only_says_a_superuser_exists_when_one_does():
    ensure_admin()
    output = ensure_admin()
    assert "Ya existe un superusuario (admin)" in output
    assert "Contraseña" not in output
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_it_uses_the_password_given():
    ensure_admin("--password", "s3creto-de-prueba")
    assert authenticate(username="admin", password="s3creto-de-prueba") is not None


def test_it_refuses_to_turn_an_existing_regular_user_into_the_admin():
    get_user_model().objects.create_user("admin", password="x")
    with pytest.raises(CommandError, match="admin"):
        ensure_admin()


def test_it_loads_the_demo_saved_replies_of_each_assistant():
    seed()

    assert CannedReply.objects.filter(assistant__slug="kvky", title="Agendar visita").exists()
    assert CannedReply.objects.filter(assistant__slug="blinky").count() == 2


def test_it_leaves_the_saved_replies_of_an_assistant_that_has_some():
    seed()
    kvky = Assistant.objects.get(slug="kvky")
    kvky.canned_replies.all().delete()
    CannedReply.objects.create(assistant=kvky, title="Propia", text="La nuestra.")

    seed("--force")

    assert list(kvky.canned_replies.values_list("title", flat=True)) == ["Propia"]
