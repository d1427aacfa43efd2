"""JSON fields stored as PostgreSQL `json` or `text`: the exact text, not parsed into a tree.

`jsonb` parses every document into a binary tree on the way in, which cost more than half of
PostgreSQL's time per event in the import (docs/benchmarks.md) for a column nothing indexes or
filters on. `json` keeps the text as it came (key order, spacing, numbers as written) and only
checks that it is JSON. In Python the field reads and writes like a JSONField; the lookups that
need `jsonb` operators (has_key, contains, ...) cast the column, which is fine for the rare
query that inspects documents and no worse than the full scan it would be anyway.

The event's whole document goes one step further, as `text` (JSONDocumentField): checking that
it is JSON was a quarter of PostgreSQL's time per event in a first import (docs/benchmarks.md),
and the only writers of the column are the import, which parsed the text a moment before, and
the ORM, which writes JSON it made itself.
"""

from django.db import models
from django.db.models.fields.json import ContainedBy, DataContains, HasAnyKeys, HasKey, HasKeys


class JSONTextField(models.JSONField):
    postgresql_type = "json"

    def db_type(self, connection):
        return self.postgresql_type

    def from_db_value(self, value, expression, connection):
        # psycopg2 hands `json` values over already parsed (unlike `jsonb`, which Django asks
        # for as text); `text` comes as a string.
        if not isinstance(value, str):
            return value
        return super().from_db_value(value, expression, connection)


class JSONDocumentField(JSONTextField):
    """JSON kept as PostgreSQL `text`, unchecked by the database (see above)."""

    postgresql_type = "text"


class _OnJsonb:
    """Compares as `jsonb`, whose operators (? ?| ?& @> <@) `json` does not have."""

    def process_lhs(self, compiler, connection, lhs=None):
        sql, params = super().process_lhs(compiler, connection, lhs)
        return f"({sql})::jsonb", params


for _lookup in (HasKey, HasKeys, HasAnyKeys, DataContains, ContainedBy):
    JSONTextField.register_lookup(type(_lookup.__name__, (_OnJsonb, _lookup), {}))
