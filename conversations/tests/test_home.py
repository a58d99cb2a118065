import pytest

from conversations.tests.factories import ChannelNumberFactory, OnboardingAssistantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def home_html(client) -> str:
    ChannelNumberFactory(number="whatsapp:+14155238886")  # and with it the kvky assistant
    OnboardingAssistantFactory()
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_says_what_kvky_and_blinky_are(home_html):
    assert "autos seminuevos" in home_html
    assert "onboarding" in home_html


def test_it_lists_the_assistants_from_the_database(home_html):
    assert "<code>kvky</code>" in home_html
    assert "<code>blinky</code>" in home_html


def test_it_shows_the_channel_numbers_of_an_assistant(home_html):
    assert "+14155238886" in home_html


def test_it_links_to_the_admin_the_api_docs_and_the_schema(home_html):
    for href in ('href="/admin/"', 'href="/api/docs/"', 'href="/api/schema/"'):
        assert href in home_html


def test_it_shows_a_curl_example_against_the_chat_api(home_html):
    assert "curl -X POST http://testserver/api/v1/chat" in home_html
    assert "Authorization: Api-Key" in home_html


def test_it_uses_a_local_stylesheet_and_no_script(home_html):
    assert '<link rel="stylesheet" href="/static/conversations/site.' in home_html
    assert "<script" not in home_html


def test_it_serves_the_stylesheet(client):
    assert client.get("/static/conversations/site.css").status_code == 200


def test_it_explains_how_to_seed_when_there_are_no_assistants(client):
    assert "seed_demo" in client.get("/").content.decode()
