"""The catalogue's admin screens."""

import datetime

import pytest

from tests.catalogue.factories import CatalogueIndexPageFactory


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "a@example.com", "pw")
    client.force_login(user)
    return client


def test_the_entry_listing_filters_by_validity_and_section(
    publish_entry, section, home_page, admin_client
):
    publish_entry(title="有效的通知")
    publish_entry(title="废止的办法", validity="repealed", validity_date=datetime.date(2024, 5, 1))
    other = CatalogueIndexPageFactory(parent=home_page, title="别的栏目", slug="other")
    publish_entry(parent=other, title="别处的通知")
    response = admin_client.get("/admin/opengov_entries/", {"validity": "repealed"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "废止的办法" in html and "有效的通知" not in html
    html = admin_client.get("/admin/opengov_entries/", {"section": other.pk}).content.decode()
    assert "别处的通知" in html and "有效的通知" not in html


def test_the_report_lists_empty_and_stale_sections(
    publish_entry, section, home_page, admin_client, settings
):
    settings.OPENGOV_CMS_STALE_SECTION_DAYS = 30
    fresh = CatalogueIndexPageFactory(parent=home_page, title="常更新栏目", slug="fresh")
    publish_entry(parent=fresh, title="新通知", publication_date=datetime.date.today())
    publish_entry(title="旧通知", publication_date=datetime.date(2020, 1, 1))
    CatalogueIndexPageFactory(parent=home_page, title="空栏目", slug="empty")
    html = admin_client.get("/admin/reports/opengov-stale-sections/").content.decode()
    assert "空栏目" in html and section.title in html
    assert "常更新栏目" not in html


def copy_in_admin(client, page, parent, slug, **options):
    from django.urls import reverse

    return client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {
            "new_title": f"{page.title}（{slug}）",
            "new_slug": slug,
            "new_parent_page": parent.pk,
            **options,
        },
    )


def test_a_copied_entry_gets_an_index_number_of_its_own(publish_entry, section, admin_client):
    from opengov_cms.catalogue.models import CatalogueItem

    entry = publish_entry(title="关于印发工作要点的通知")
    response = copy_in_admin(admin_client, entry, section, "copy", publish_copies="on")
    assert response.status_code == 302
    copy = type(entry).objects.get(slug="copy")
    assert copy.live and copy.index_number and copy.index_number != entry.index_number
    assert set(CatalogueItem.objects.values_list("index_number", flat=True)) == {
        entry.index_number,
        copy.index_number,
    }


def test_an_alias_shows_its_source_and_is_listed_once(
    publish_entry, section, home_page, admin_client, client
):
    from opengov_cms.catalogue.models import CatalogueItem
    from opengov_cms.search.indexing import search_document

    entry = publish_entry(title="关于印发工作要点的通知")
    elsewhere = CatalogueIndexPageFactory(parent=home_page, title="专题", slug="topic")
    response = copy_in_admin(admin_client, entry, elsewhere, "alias", alias="on")
    assert response.status_code == 302
    alias = type(entry).objects.get(alias_of=entry)
    assert alias.index_number == entry.index_number
    # The source published again updates its alias.
    entry.title = "关于印发2025年工作要点的通知"
    entry.save_revision().publish()
    alias.refresh_from_db()
    assert alias.title == entry.title and alias.index_number == entry.index_number
    assert entry.index_number in client.get(alias.url).content.decode()
    assert list(CatalogueItem.objects.values_list("page_id", flat=True)) == [entry.pk]
    assert search_document(alias) is None and search_document(entry) is not None
