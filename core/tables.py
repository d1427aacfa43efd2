from django.db import connections


def has_table(model, using: str = "default") -> bool:
    """For post_migrate handlers: not after migrating back past the table, nor elsewhere."""
    tables = connections[using].introspection.table_names()
    return using == "default" and model._meta.db_table in tables
