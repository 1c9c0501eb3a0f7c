"""What every page type of the package shares (opengov_cms.core.pages)."""

from wagtail.models import Page, PageViewRestriction

from tests.catalogue.factories import CatalogueIndexPageFactory


def restrictions(page):
    return sorted(page.get_view_restrictions().values_list("pk", flat=True))


def wagtails_restrictions(page):
    return sorted(Page.get_view_restrictions(page).values_list("pk", flat=True))


def test_view_restrictions_are_wagtails_read_in_one_query(
    home_page, section, publish_entry, django_assert_num_queries
):
    open_section = CatalogueIndexPageFactory(parent=home_page, title="公开栏目", slug="open")
    inner = CatalogueIndexPageFactory(parent=section, title="内部栏目", slug="internal")
    entry = publish_entry(parent=inner, title="内部通知")
    open_entry = publish_entry(parent=open_section, title="公开通知")
    assert restrictions(entry) == [] and restrictions(open_entry) == []

    on_section = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.PASSWORD, password="a"
    )
    on_inner = PageViewRestriction.objects.create(
        page=inner, restriction_type=PageViewRestriction.LOGIN
    )
    # An alias has its source's own restrictions, and its own ancestors'.
    alias = inner.create_alias(parent=open_section, update_slug="internal-copy")

    for page in (entry, alias, open_entry, inner, section, open_section):
        page = Page.objects.get(pk=page.pk).specific
        with django_assert_num_queries(1):
            found = restrictions(page)
        assert found == wagtails_restrictions(page)
    assert restrictions(entry) == sorted([on_section.pk, on_inner.pk])
    assert restrictions(alias.specific) == [on_inner.pk]
    assert restrictions(open_entry) == []


def test_chunked_reads_bound_both_tables_of_a_page_type(publish_entry):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opengov_cms.catalogue.models import DisclosureEntryPage
    from opengov_cms.core.pages import pages_after
    from opengov_cms.search import admin_index, indexing

    entries = [publish_entry(title=f"第{n}号通知") for n in range(5)]
    ids = sorted(entry.pk for entry in entries)
    read = [p.pk for p in pages_after(DisclosureEntryPage.objects.order_by("pk"), ids[1])]
    assert read == ids[2:]

    with CaptureQueriesContext(connection) as queries:
        documents = [d for _n, chunk in indexing.iter_document_chunks(chunk_size=2) for d in chunk]
        list(admin_index.iter_entry_chunks(chunk_size=2))
    assert sorted(d["id"] for d in documents if d["id"].startswith("page:")) == sorted(
        indexing.document_id(pk) for pk in ids
    )
    # Each chunk of entries says its bound of the page table too, so that PostgreSQL need
    # not read that table from its first row for every chunk.
    chunks = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "opengov_catalogue_disclosureentrypage"' in q["sql"] and " LIMIT 2" in q["sql"]
    ]
    assert len(chunks) == 2 * 4  # 3 chunks and an empty read, by each index
    assert all('"wagtailcore_page"."id" >' in sql for sql in chunks)
