"""The project's SQLite backend queues write transactions on a file lock (kvky_site/sqlite/base.py).

With the busy timeout at zero SQLite itself would refuse a second writer at once ("database is
locked"): only the queue can make these concurrent writers succeed.
"""

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections, transaction

ALIAS = "write_queue_test"
WRITERS = 4
ROWS_PER_WRITER = 25


@pytest.fixture
def queued_database(tmp_path: Path, django_db_blocker) -> Iterator[Path]:
    """A file database on the project's backend, reachable as `ALIAS`, that never waits in SQLite's busy handler."""
    path = tmp_path / "queue.sqlite3"
    options = {"timeout": 0, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    database = {"ENGINE": "kvky_site.sqlite", "NAME": str(path), "OPTIONS": options}
    connections.settings[ALIAS] = connections.configure_settings({"default": database})["default"]
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE row (writer INTEGER, n INTEGER)")
        yield path
        connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


def _write_rows(writer: int, failures: list[Exception]) -> None:
    try:
        for n in range(ROWS_PER_WRITER):
            with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM row")
                cursor.execute("INSERT INTO row VALUES (%s, %s)", [writer, n])
    except Exception as error:
        failures.append(error)
    finally:
        connections[ALIAS].close()


def _count_rows() -> int:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM row")
        return cursor.fetchone()[0]


def test_it_lets_concurrent_writers_take_turns_instead_of_failing(queued_database: Path) -> None:
    failures: list[Exception] = []
    threads = [threading.Thread(target=_write_rows, args=(writer, failures)) for writer in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (failures, _count_rows()) == ([], WRITERS * ROWS_PER_WRITER)


def test_it_frees_the_queue_when_a_transaction_rolls_back(queued_database: Path) -> None:
    with pytest.raises(RuntimeError), transaction.atomic(using=ALIAS):
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("INSERT INTO row VALUES (0, 0)")
        raise RuntimeError("the turn failed")
    failures: list[Exception] = []
    other = threading.Thread(target=_write_rows, args=(1, failures))
    other.start()
    other.join(timeout=30)
    assert (other.is_alive(), failures, _count_rows()) == (False, [], ROWS_PER_WRITER)


def test_it_keeps_the_lock_file_beside_the_database(queued_database: Path) -> None:
    with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
        cursor.execute("INSERT INTO row VALUES (0, 0)")
    assert Path(f"{queued_database}.lock").exists()

