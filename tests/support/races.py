"""Two stations acting at the same moment, raced for real on either database.

``race`` runs actions in threads that start together at a barrier, each with its own database
connection; ``another_station_writing`` holds the database's write lock from a second connection. Both
need ``pytest.mark.django_db(transaction=True)``: the threads must see each other's commits.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection, connections


def race(*actions: Callable[[], object]) -> list[object]:
    """Run the actions at the same moment, each in its own thread and database connection.

    Returns what each returned, or the exception it raised.
    """
    barrier = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def run(index: int, action: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = action()
        except Exception as error:  # noqa: BLE001 - the test looks at what each thread met
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@contextmanager
def another_station_writing(*, wait_seconds: float = 0.2) -> Iterator[None]:
    """Inside: a second connection holds the write lock (SQLite) or every visit's row (PostgreSQL).

    Connections opened inside (this thread's, and a live server's) wait only ``wait_seconds`` for it, so
    that a write gives up as it would after the busy timeout. For ``transaction=True`` tests.
    """
    options = connection.settings_dict["OPTIONS"]  # the dict every thread's connection is made from
    saved = dict(options)
    if connection.vendor == "sqlite":
        options["timeout"] = wait_seconds
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    else:
        options["options"] = f"-c lock_timeout={int(wait_seconds * 1000)}"
        other = connections.create_connection("default")
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute("SELECT id FROM visits_visit FOR UPDATE")
    connection.close()  # reopened with the short wait
    try:
        yield
    finally:
        other.rollback()
        other.close()
        options.clear()
        options.update(saved)
        connection.close()
