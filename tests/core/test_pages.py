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
