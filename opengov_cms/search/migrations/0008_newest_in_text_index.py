"""The text indexes hold each row's id too, on PostgreSQL.

A search ranks the newest matches of its tokens (the candidates). For a word held by a few
per cent of a million rows, the plain GIN index finds every match and PostgreSQL then visits
each one's page to keep the newest 200. With the row id as a second column of the same GIN
index (the ``btree_gin`` extension, shipped with PostgreSQL and trusted since version 13, so
the database's owner may create it), the index answers "matches among the newest rows" by
itself, and the search asks it for the newest rows, then wider ranges (docs/scaling.md).

Where the extension cannot be created, the plain indexes stay, searches give the same
results in their own time, and the check ``opengov_cms.W804`` says what to run.
"""

from django.db import DatabaseError, migrations, transaction

TABLE = "opengov_search_searchdocument"
# (index kept, index it replaces, column)
INDEXES = [
    ("opengov_search_vector_id_gin", "opengov_search_vector_gin", "search_vector"),
    ("opengov_search_title_vector_id_gin", "opengov_search_title_vector_gin", "title_vector"),
]


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    except DatabaseError:
        return  # opengov_cms.W804 says what to run; the plain indexes serve meanwhile
    for name, replaced, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} USING GIN ({column}, id)"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {replaced}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, replaced, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {replaced} ON {TABLE} USING GIN ({column})"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("opengov_search", "0007_title_vector_and_date_index")]

    operations = [migrations.RunPython(create, drop)]
