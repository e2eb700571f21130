"""Moving the test database between migrations, for the tests of a migration's data changes.

A test that migrates back must leave the database at every app's latest migration for the tests that
follow it in the same process: ``migrated_back`` does that, whatever the test migrates to in between.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.apps.registry import Apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets: list[tuple[str, str]]) -> Apps:
    """Migrate the database to ``targets``; the apps' models as they stand there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


@contextmanager
def migrated_back(targets: list[tuple[str, str]]) -> Iterator[Apps]:
    """The models as they stood at ``targets``, on a database migrated back there; forward to the latest after."""
    try:
        yield migrate(targets)
    finally:
        migrate_to_latest()
