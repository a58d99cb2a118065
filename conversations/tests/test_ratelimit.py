"""Rate windows in the database, the store of the embedded default (no REDIS_URL)."""

import time

import pytest

from conversations.models import RateWindow
from conversations.ratelimit import WINDOW_SECONDS, count_request, delete_expired_windows
from conversations.tests.channels.servers import free_port
from conversations.tests.factories import RateWindowFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_redis(settings) -> None:
    settings.REDIS_URL = ""


def test_it_counts_requests_of_a_key_in_its_window():
    counts = [count_request("test", "+5215500000001").count for _ in range(3)]
    assert counts == [1, 2, 3]


def test_it_counts_each_scope_and_key_apart():
    count_request("test", "a")
    assert count_request("other", "a").count == 1
    assert count_request("test", "b").count == 1


def test_it_says_how_long_until_the_window_closes():
    window = count_request("test", "c")
    assert 1 <= window.retry_after <= WINDOW_SECONDS


def test_it_is_over_the_limit_only_past_it_and_never_without_one():
    windows = [count_request("test", "d") for _ in range(3)]
    assert [window.over(2) for window in windows] == [False, False, True]
    assert not windows[-1].over(0)


def test_it_keeps_the_count_in_the_database_that_every_process_shares():
    for _ in range(3):
        count_request("test", "+5215500000002")
    assert list(RateWindow.objects.values_list("scope", "count")) == [("test", 3)]


def test_it_stores_no_sender_in_the_clear():
    count_request("test", "+5215500000003")
    assert "+5215500000003" not in RateWindow.objects.get().key_hash


def test_it_starts_a_new_window_once_the_last_has_passed():
    for _ in range(3):
        count_request("test", "e", window_seconds=0.2)
    time.sleep(0.3)
    assert count_request("test", "e", window_seconds=0.2).count == 1


def test_it_keeps_counting_in_a_window_that_has_not_passed():
    count_request("test", "f", window_seconds=5)
    time.sleep(0.1)
    assert count_request("test", "f", window_seconds=5).count == 2


def test_it_refuses_a_window_longer_than_the_windows_it_cleans_up_after():
    with pytest.raises(ValueError):
        count_request("test", "g", window_seconds=WINDOW_SECONDS + 1)


def test_it_deletes_the_windows_that_have_passed():
    RateWindowFactory(window_start=time.time() - WINDOW_SECONDS - 1)
    live = RateWindowFactory()
    assert delete_expired_windows() == 1
    assert list(RateWindow.objects.all()) == [live]


def test_it_counts_in_the_database_while_redis_is_unavailable(settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nobody listens there

    counts = [count_request("test", "g").count for _ in range(2)]

    assert counts == [1, 2]
    assert RateWindow.objects.get(scope="test").count == 2
