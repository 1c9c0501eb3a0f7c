"""The full-text part of the database backend, made for the database in use.

SQLite: an FTS5 table whose rowid is the SearchDocument's id. PostgreSQL: a tsvector column
on SearchDocument with a GIN index. Django's models do not describe either, so they are
made here with SQL, and other databases get neither (the database backend then refuses to
search, with a message saying so).
"""

from django.db import migrations

SQLITE_CREATE = """
CREATE VIRTUAL TABLE IF NOT EXISTS opengov_search_fts USING fts5(
    title, numbers, summary, body, words,
    tokenize = 'unicode61 remove_diacritics 0'
)
"""
SQLITE_DROP = "DROP TABLE IF EXISTS opengov_search_fts"

POSTGRES_CREATE = [
    "ALTER TABLE opengov_search_searchdocument ADD COLUMN IF NOT EXISTS search_vector tsvector",
    "CREATE INDEX IF NOT EXISTS opengov_search_vector_gin "
    "ON opengov_search_searchdocument USING GIN (search_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS opengov_search_vector_gin",
    "ALTER TABLE opengov_search_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        for statement in POSTGRES_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("opengov_search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
