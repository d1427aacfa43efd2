"""Operations that migrations share."""

from django.db import migrations


def run_on_postgresql(forward: list[str], backward: list[str]) -> migrations.RunPython:
    """SQL for PostgreSQL only (indexes, statistics, functions it alone has); nothing on SQLite,
    which `make run` uses."""
    return migrations.RunPython(_statements(forward), _statements(backward))


def _statements(statements: list[str]):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply
