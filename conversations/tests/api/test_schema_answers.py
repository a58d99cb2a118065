"""Real answers of /api/v1/chat over whole conversations on the demo data, checked against the served schema."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from conversations.api.views import CHAT_REQUEST_EXAMPLES, CHAT_RESPONSE_EXAMPLE
from conversations.tests.api.openapi_validation import response_validator, schema_errors

pytestmark = pytest.mark.django_db

SALES_TURNS = [
    "hola buenas tardes",
    "¿tienen chevys de menos de 300k?",
    "busco una camioneta automática con carplay del 2019 para arriba",
    "¿tienen mazda o kia de menos de 400 mil y menos de 80 mil km?",
    "¿cuánto pagaría al mes por el primero?",
    "¿y a 5 años con 60 mil de enganche?",
    "lo quiero",
    "¿qué me alcanza con 6 mil al mes?",
    "¿tienen audi de menos de 150 mil?",
    "¿dan garantía?",
    "quiero hablar con una persona",
    "¿sigue ahí alguien?",
]
ONBOARDING_TURNS = ["hola", "¿qué días me pagan?", "¿y si cae en domingo?", "¿me recomiendas una pizza?"]


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", stdout=StringIO())


@pytest.fixture
def schema(client) -> dict[str, Any]:
    return client.get("/api/schema/", {"format": "json"}).json()


def converse(post_chat, assistant: str, turns: list[str]) -> list[dict[str, Any]]:
    answers = []
    for text in turns:
        response = post_chat({"assistant": assistant, "from": "+5215512345678", "message": text})
        assert response.status_code == 200, response.content
        answers.append(response.json())
    return answers


@pytest.fixture
def sales_answers(demo, post_chat) -> list[dict[str, Any]]:
    return converse(post_chat, "kvky", SALES_TURNS)


def test_it_answers_a_sales_conversation_as_the_schema_says(sales_answers, schema):
    validator = response_validator(schema, "/api/v1/chat", "post", 200)
    assert {
        text: schema_errors(validator, answer) for text, answer in zip(SALES_TURNS, sales_answers, strict=True)
    } == {text: [] for text in SALES_TURNS}


def test_it_answers_an_onboarding_conversation_as_the_schema_says(demo, post_chat, schema):
    validator = response_validator(schema, "/api/v1/chat", "post", 200)
    answers = converse(post_chat, "blinky", ONBOARDING_TURNS)
    assert [schema_errors(validator, answer) for answer in answers] == [[] for _ in ONBOARDING_TURNS]


def test_it_covers_every_kind_of_answer_the_schema_describes(sales_answers):
    # The check above means something only if the conversation produced each part of the answer.
    seen = {
        "vehicles": any(answer["vehicles"] for answer in sales_answers),
        "alternatives": any(answer["alternatives"] for answer in sales_answers),
        "financing": any(answer["financing"] for answer in sales_answers),
        "faq": any(answer["faq"] for answer in sales_answers),
        "lead": any(answer["lead"] for answer in sales_answers),
        "handoff": any(answer["handoff"] for answer in sales_answers),
    }
    assert seen == dict.fromkeys(seen, True)


def test_it_gives_whole_peso_financing_figures_as_integers(sales_answers):
    plans = [plan for answer in sales_answers for plan in answer["financing"]]
    assert plans and all(isinstance(plan["price"], int) for plan in plans)


def test_it_gives_a_vehicle_every_documented_field(sales_answers, schema):
    vehicle = next(vehicle for answer in sales_answers for vehicle in answer["vehicles"])
    assert set(vehicle) == set(schema["components"]["schemas"]["Vehicle"]["properties"])


def test_it_answers_errors_as_the_schema_says(post_chat, schema):
    validator = response_validator(schema, "/api/v1/chat", "post", 400)
    response = post_chat({"from": "+5215512345678"})
    assert (response.status_code, schema_errors(validator, response.json())) == (400, [])


def test_it_documents_an_answer_example_the_demo_data_really_gives(demo, post_chat, schema):
    answer = post_chat(CHAT_REQUEST_EXAMPLES[0].value).json()

    shown = CHAT_RESPONSE_EXAMPLE
    assert (answer["intent"], answer["slots"], answer["vehicles_total"]) == (
        shown["intent"],
        shown["slots"],
        shown["vehicles_total"],
    )
    assert answer["vehicles"][0] == shown["vehicles"][0]
    assert answer["reply"].startswith(shown["reply"].removesuffix("…"))
    assert schema_errors(response_validator(schema, "/api/v1/chat", "post", 200), shown) == []
