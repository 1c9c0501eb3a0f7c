"""RUM indexes in place of the GIN ones, on PostgreSQL when the extension ``rum`` is there.

A RUM index of a tsvector with the row id attached (``rum_tsvector_addon_ops``, ordered by
it) gives the matches of a query newest first from the index: a search reads its 200 newest
candidates without reading every matching row, however many documents match
(docs/scaling.md). It answers every query the GIN index answered, so the GIN indexes are
dropped: with both, PostgreSQL's planner, underestimating a query of several tokens, would
read the matches through GIN and sort them instead.

The extension is made here when the server has it and the migrating role may create it (a
superuser); otherwise the GIN indexes stay, and a database administrator can run
``CREATE EXTENSION rum`` and then the SQL of this migration (docs/scaling.md).
"""

from django.db import migrations

TABLE = "opengov_search_searchdocument"
POSTGRES_CREATE = [
    f"CREATE INDEX IF NOT EXISTS opengov_search_vector_rum ON {TABLE} "
    "USING rum (search_vector rum_tsvector_addon_ops, id) "
    "WITH (attach = 'id', to = 'search_vector', order_by_attach = true)",
    f"CREATE INDEX IF NOT EXISTS opengov_search_title_vector_rum ON {TABLE} "
    "USING rum (title_vector rum_tsvector_addon_ops, id) "
    "WITH (attach = 'id', to = 'title_vector', order_by_attach = true)",
]
GIN_CREATE = [
    f"CREATE INDEX IF NOT EXISTS opengov_search_vector_gin ON {TABLE} USING GIN (search_vector)",
    f"CREATE INDEX IF NOT EXISTS opengov_search_title_vector_gin ON {TABLE} "
    "USING GIN (title_vector)",
]
GIN_DROP = [
    "DROP INDEX IF EXISTS opengov_search_vector_gin",
    "DROP INDEX IF EXISTS opengov_search_title_vector_gin",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS opengov_search_vector_rum",
    "DROP INDEX IF EXISTS opengov_search_title_vector_rum",
]


def rum_installed(cursor):
    """Whether the extension is in this database, making it when the server has it and the
    role may (as a superuser may; anyone else gets False and the GIN indexes)."""
    cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum')")
    if cursor.fetchone()[0]:
        return True
    cursor.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum'), "
        "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
    )
    available, superuser = cursor.fetchone()
    if not (available and superuser):
        return False
    cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
    return True


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if not rum_installed(cursor):
            return
    for statement in [*POSTGRES_CREATE, *GIN_DROP]:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in [*GIN_CREATE, *POSTGRES_DROP]:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("opengov_search", "0007_title_vector_and_date_index")]

    operations = [migrations.RunPython(create, drop)]
