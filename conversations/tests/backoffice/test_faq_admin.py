"""FAQs per assistant: HR staff order and disable them, and try a question against the engine's own index."""

import pytest
from django.urls import reverse

from conversations.backoffice.faq_trial import faq_try
from conversations.models import FAQ
from conversations.tests.factories import FAQFactory

pytestmark = pytest.mark.django_db

TRY_URL = reverse("admin:conversations_faq_try")
LIST_URL = reverse("admin:conversations_faq_changelist")


@pytest.fixture
def pay_and_vacation(blinky) -> tuple[FAQ, FAQ]:
    pay = FAQFactory(assistant=blinky, question="¿Cuándo me pagan?", answer="Los días 15 y 30 de cada mes.")
    vacation = FAQFactory(assistant=blinky, question="¿Cuántos días de vacaciones tengo?", answer="12 días.")
    return pay, vacation


def test_it_shows_which_faq_a_question_hits_and_how_sure_it_is(hr_client, blinky, pay_and_vacation):
    pay, _ = pay_and_vacation

    page = hr_client.get(TRY_URL, {"assistant": blinky.pk, "question": "¿qué día cae la quincena?"})

    assert page.status_code == 200
    best = page.context["trial"].best
    assert best.id == pay.id
    assert page.context["trial"].answered
    assert f"Blinky respondería con «{pay.question}»" in page.text
    assert f"confianza {round(best.score * 100)} %" in page.text


def test_it_says_the_bot_would_not_know_below_the_threshold(hr_client, blinky, pay_and_vacation):
    page = hr_client.get(TRY_URL, {"assistant": blinky.pk, "question": "¿cuál es la capital de Francia?"})

    assert not page.context["trial"].answered
    assert "diría que no sabe" in page.text


def test_it_leaves_a_disabled_faq_out_of_the_trial(blinky, pay_and_vacation):
    pay, _ = pay_and_vacation
    FAQ.objects.filter(pk=pay.pk).update(is_active=False)

    trial = faq_try(blinky, "¿cuándo me pagan?")

    assert pay.id not in [match.id for match in trial.matches]


def test_it_refuses_to_try_a_question_on_another_roles_assistant(hr_client, kvky, blinky):
    FAQFactory(assistant=kvky, question="¿Tienen garantía?")

    page = hr_client.get(TRY_URL, {"assistant": kvky.pk, "question": "¿tienen garantía?"})

    assert page.context["trial"] is None
    assert "assistant" in page.context["form"].errors


def test_it_disables_faqs_with_the_admin_action(hr_client, pay_and_vacation):
    pay, vacation = pay_and_vacation

    hr_client.post(LIST_URL, {"action": "deactivate", "_selected_action": [pay.pk]})

    assert FAQ.objects.get(pk=pay.pk).is_active is False
    assert FAQ.objects.get(pk=vacation.pk).is_active is True


def test_it_reorders_faqs_from_the_list(hr_client, pay_and_vacation):
    pay, vacation = pay_and_vacation
    form = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "_save": "Guardar",
        "form-0-id": str(pay.pk),
        "form-0-position": "2",
        "form-0-is_active": "on",
        "form-1-id": str(vacation.pk),
        "form-1-position": "1",
        "form-1-is_active": "on",
    }

    response = hr_client.post(LIST_URL, form)

    assert response.status_code == 302
    assert list(FAQ.objects.order_by("position").values_list("pk", flat=True)) == [vacation.pk, pay.pk]


def test_it_adds_a_faq_only_to_an_assistant_of_the_users_role(hr_client, kvky, blinky):
    add_url = reverse("admin:conversations_faq_add")
    fields = {"question": "¿Hay estacionamiento?", "answer": "Sí, en el sótano.", "position": 0, "is_active": "on"}

    refused = hr_client.post(add_url, {**fields, "assistant": kvky.pk})
    accepted = hr_client.post(add_url, {**fields, "assistant": blinky.pk})

    assert refused.status_code == 200 and "assistant" in refused.context["adminform"].form.errors
    assert accepted.status_code == 302
    assert FAQ.objects.get(question="¿Hay estacionamiento?").assistant == blinky
