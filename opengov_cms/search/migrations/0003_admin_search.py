"""The editors' index behind the Wagtail admin's page search (后台检索).

One row per page, and its analysed text made for the database in use, as 0002 does for the
public index: an FTS5 table keyed by page id on SQLite, a tsvector column with a GIN index on
PostgreSQL.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SQLITE_CREATE = """
CREATE VIRTUAL TABLE IF NOT EXISTS opengov_search_admin_fts USING fts5(
    title, numbers, body,
    tokenize = 'unicode61 remove_diacritics 0'
)
"""
SQLITE_DROP = "DROP TABLE IF EXISTS opengov_search_admin_fts"

POSTGRES_CREATE = [
    "ALTER TABLE opengov_search_adminsearchentry ADD COLUMN IF NOT EXISTS search_vector tsvector",
    "CREATE INDEX IF NOT EXISTS opengov_search_admin_vector_gin "
    "ON opengov_search_adminsearchentry USING GIN (search_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS opengov_search_admin_vector_gin",
    "ALTER TABLE opengov_search_adminsearchentry DROP COLUMN IF EXISTS search_vector",
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
    dependencies = [
        ("opengov_search", "0002_fulltext"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
        migrations.swappable_dependency(
            getattr(settings, "WAGTAIL_PAGE_MODEL", "wagtailcore.Page")
        ),
    ]

    operations = [
        migrations.CreateModel(
            name="AdminSearchEntry",
            fields=[
                (
                    "page",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to=getattr(settings, "WAGTAIL_PAGE_MODEL", "wagtailcore.Page"),
                    ),
                ),
                (
                    "document_number_key",
                    models.CharField(blank=True, db_index=True, max_length=200),
                ),
                (
                    "index_number_key",
                    models.CharField(blank=True, db_index=True, max_length=200),
                ),
            ],
            options={
                "verbose_name": "后台检索条目",
                "verbose_name_plural": "后台检索条目",
            },
        ),
        migrations.RunPython(create, drop),
    ]
