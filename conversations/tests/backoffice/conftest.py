import pytest
from django.test import Client

from conversations.models import Assistant
from conversations.tests.backoffice.users import StaffUserFactory, hr_user, logged_in, sales_manager
from conversations.tests.factories import AssistantFactory, OnboardingAssistantFactory


@pytest.fixture
def kvky(db) -> Assistant:
    return AssistantFactory()


@pytest.fixture
def blinky(db) -> Assistant:
    return OnboardingAssistantFactory()


@pytest.fixture
def sales_client(db) -> Client:
    return logged_in(sales_manager())


@pytest.fixture
def hr_client(db) -> Client:
    return logged_in(hr_user())


@pytest.fixture
def super_client(db) -> Client:
    return logged_in(StaffUserFactory(username="jefa", is_superuser=True))
