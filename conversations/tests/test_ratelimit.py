from conversations.ratelimit import WINDOW_SECONDS, count_request


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
