"""A page's small reads compiled once: the same rows, in the same Python types, as the
queryset they were compiled from, for every page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageLogEntry

from opengov_cms.core.statements import PageRows

pytestmark = pytest.mark.django_db


def publications(key):
    return (
        PageLogEntry.objects.filter(page_id=key, action="wagtail.publish")
        .order_by("-timestamp", "pk")
        .values_list("timestamp", "label", "page_id")[:3]
    )


def test_rows_are_the_querysets_own_whatever_the_page():
    pages = list(Page.objects.all()[:2])
    assert len(pages) == 2
    start = datetime.datetime(2025, 1, 31, 20, 0, tzinfo=datetime.UTC)
    for number in range(5):
        for page in pages:
            entry = PageLogEntry.objects.log_action(page, "wagtail.publish")
            PageLogEntry.objects.filter(pk=entry.pk).update(
                timestamp=start + datetime.timedelta(hours=number * 7 + page.pk)
            )
    read = PageRows(PageLogEntry, publications)
    for page in pages:
        rows = read(page.pk)
        assert rows == list(publications(page.pk)) and len(rows) == 3
        assert all(timestamp.tzinfo is not None for timestamp, _label, _page in rows)
    assert read(-1) == [] and read(None) == []

    # Compiled once: later reads only run the statement.
    def compile_again(alias):
        raise AssertionError("compiled again")

    read.compile = compile_again
    with CaptureQueriesContext(connection) as queries:
        assert read(pages[1].pk) == list(publications(pages[1].pk))
    assert len(queries) == 2  # the statement, and the queryset it is checked against


def test_a_key_used_twice_is_given_in_both_places():
    page = Page.objects.get(depth=2)
    PageLogEntry.objects.log_action(page, "wagtail.publish")
    read = PageRows(
        PageLogEntry,
        lambda key: PageLogEntry.objects.filter(page_id=key, page__pk=key).values_list("page_id"),
    )
    assert read(page.pk) == [(page.pk,)]


def test_a_read_that_does_not_use_the_key_is_refused_by_name():
    read = PageRows(PageLogEntry, lambda key: PageLogEntry.objects.values_list("pk"))
    with pytest.raises(ValueError, match="PageLogEntry"):
        read(1)


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_the_search_check_is_planned_once_where_the_connection_allows_it():
    """The check of a page of hits (core.visibility.leaving_page_ids) is prepared once the
    connection's prepare_threshold is reached, and never with Django's default (None, which
    keeps connection poolers working); counted as a query either way."""
    from opengov_cms.core.visibility import leaving_page_ids

    ids = list(Page.objects.values_list("pk", flat=True))
    expected = leaving_page_ids(ids)
    assert expected  # the tree's root pages are live and public
    connection.ensure_connection()
    raw = connection.connection
    assert raw.prepare_threshold is None  # Django's default
    for _ in range(3):
        assert leaving_page_ids(ids) == expected
    assert not [s for s in prepared_statements() if "wagtailcore_page" in s]
    raw.prepare_threshold = 1
    try:
        with CaptureQueriesContext(connection) as queries:
            for _ in range(3):
                assert leaving_page_ids(ids) == expected
        assert len(queries) == 3
        assert [s for s in prepared_statements() if "wagtailcore_page" in s]
    finally:
        raw.prepare_threshold = None
        raw.execute("DEALLOCATE ALL")
