"""Running migrations back and forth in a test (transactional tests only), for data migrations:

latest = latest_nodes()          # before going back: every app's newest migration
old = migrate(BEFORE).loader.project_state(BEFORE).apps.get_model("app", "Model")
…rows as they were…
migrate(latest)                  # the apps above were unapplied too
"""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def latest_nodes() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def table_columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}
