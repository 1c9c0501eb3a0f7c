"""An index on each facet's value and the row id, for a search narrowed by a facet: the
database can read the value's rows newest first instead of testing matches for the value
one by one (docs/scaling.md). Each is built in a few seconds at a million rows, while
writes to the search table wait.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("opengov_search", "0008_newest_in_text_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(fields=["organisation", "id"], name="opengov_search_org_newest"),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(fields=["topic", "id"], name="opengov_search_topic_newest"),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(fields=["genre", "id"], name="opengov_search_genre_newest"),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(fields=["year", "id"], name="opengov_search_year_newest"),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(fields=["validity", "id"], name="opengov_search_validity_newest"),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(fields=["content_type", "id"], name="opengov_search_ctype_newest"),
        ),
    ]
