"""Admin query parameters Django itself would answer with a 500."""

import pytest
from django.urls import reverse

from conversations.tests.backoffice.users import StaffUserFactory, logged_in
from conversations.tests.factories import AssistantFactory

pytestmark = pytest.mark.django_db


def test_it_answers_400_to_an_empty_to_field_on_a_change_page():
    client = logged_in(StaffUserFactory(username="jefa", is_superuser=True))
    page = reverse("admin:conversations_assistant_change", args=[AssistantFactory().pk])
    assert client.get(page + "?_to_field=").status_code == 400
