"""What keeps a database search's cost flat as the index grows.

An index on the publication date, for a search without a query (newest first) that stops at
the page. On PostgreSQL, a small second tsvector beside the whole text's, with its own GIN
index: the title and 文号 / 索引号 tokens and jieba's words, which the ranking tiers test
without unpacking the body's vector (8 KB on average, stored out of line). Existing rows get
it from the whole text's vector (its A and B weights); jieba's words arrive with the next
rebuild, which a new version of the analysis needs anyway.
"""

from django.db import migrations, models

POSTGRES_CREATE = [
    "ALTER TABLE opengov_search_searchdocument ADD COLUMN IF NOT EXISTS title_vector tsvector",
    "UPDATE opengov_search_searchdocument SET title_vector = ts_filter(search_vector, '{a,b}') "
    "WHERE title_vector IS NULL AND search_vector IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS opengov_search_title_vector_gin "
    "ON opengov_search_searchdocument USING GIN (title_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS opengov_search_title_vector_gin",
    "ALTER TABLE opengov_search_searchdocument DROP COLUMN IF EXISTS title_vector",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("opengov_search", "0006_starting_terms")]

    operations = [
        migrations.AlterField(
            model_name="searchdocument",
            name="date",
            field=models.CharField(
                blank=True, db_index=True, max_length=32, verbose_name="发布日期"
            ),
        ),
        migrations.RunPython(create, drop),
    ]
