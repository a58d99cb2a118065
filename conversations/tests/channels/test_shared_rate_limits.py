"""Rate counts every process shares: two real processes count one key in the database (the embedded
default) or in a real redis-server, and a limit of N lets exactly N through across them."""

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from conversations.models import RateWindow
from conversations.ratelimit import count_request
from conversations.tests.channels.servers import ROOT, site_env

REQUESTS_EACH = 60
LIMIT = REQUESTS_EACH  # half of what the two processes send together
# Each process waits for the same moment before counting, so their requests interleave.
COUNT_AT_ONCE = """
import json, time
from conversations.ratelimit import count_request
time.sleep(max(0.0, {start_at} - time.time()))
print(json.dumps([count_request("api", "+5215500000001").count for _ in range({n})]))
"""


def counts_from_two_processes(env: dict[str, str]) -> list[int]:
    script = COUNT_AT_ONCE.format(start_at=time.time() + 6, n=REQUESTS_EACH)
    command = [sys.executable, "manage.py", "shell", "-c", script]
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    counts = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        counts += json.loads(out.strip().splitlines()[-1])
    return counts


def test_it_shares_one_count_between_processes_in_the_database(site_database: Path):
    counts = counts_from_two_processes(site_env(site_database))
    assert sorted(counts) == list(range(1, 2 * REQUESTS_EACH + 1))
    assert sum(count <= LIMIT for count in counts) == LIMIT


def test_it_deletes_windows_that_have_passed_as_it_counts(site_database: Path):
    with sqlite3.connect(site_database) as database:
        database.execute(
            f"INSERT INTO {RateWindow._meta.db_table} (scope, key_hash, window_start, count) VALUES ('old', 'x', 0, 9)"
        )
    counts_from_two_processes(site_env(site_database))
    with sqlite3.connect(site_database) as database:
        scopes = database.execute(f"SELECT scope FROM {RateWindow._meta.db_table}").fetchall()
    assert scopes == [("api",)]


def test_it_shares_one_count_between_processes_in_redis(site_database: Path, redis_url: str):
    counts = counts_from_two_processes(site_env(site_database, REDIS_URL=f"{redis_url}/2"))
    assert sorted(counts) == list(range(1, 2 * REQUESTS_EACH + 1))
    assert sum(count <= LIMIT for count in counts) == LIMIT


@pytest.fixture
def in_redis(settings, redis_url: str) -> redis.Redis:
    settings.REDIS_URL = f"{redis_url}/3"
    return redis.Redis.from_url(settings.REDIS_URL)


@pytest.mark.django_db
def test_it_counts_in_redis_and_not_in_the_database_when_redis_is_configured(in_redis):
    assert [count_request("test", "a").count for _ in range(3)] == [1, 2, 3]
    assert len(in_redis.keys("rate:test:*")) == 1
    assert not RateWindow.objects.exists()


def test_it_expires_the_redis_window_with_the_window(in_redis):
    count_request("test", "b", window_seconds=5)
    [key] = in_redis.keys("rate:test:*")
    assert 4000 < in_redis.pttl(key) <= 5000


def test_it_says_how_long_until_the_redis_window_closes(in_redis):
    count_request("test", "c", window_seconds=5)
    assert count_request("test", "c", window_seconds=5).retry_after == 5


def test_it_starts_a_new_redis_window_once_the_last_has_passed(in_redis):
    for _ in range(3):
        count_request("test", "d", window_seconds=0.2)
    time.sleep(0.3)
    assert count_request("test", "d", window_seconds=0.2).count == 1
