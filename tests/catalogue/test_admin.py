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
