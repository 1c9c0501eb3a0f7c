from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import ConsultationPageFactory


@pytest.fixture
def site_root(home_page):
    return home_page


def test_status_follows_the_period(site_root):
    now = timezone.now()
    page = ConsultationPageFactory(
        parent=site_root, opens_at=now + timedelta(hours=1), closes_at=now + timedelta(days=7)
    )
    assert page.status.label == "未开始"
    assert page.status_at(now + timedelta(days=2)).label == "征集中"
    assert page.status_at(now + timedelta(days=7)).label == "已结束"


def test_the_period_must_end_after_it_starts(site_root):
    page = ConsultationPageFactory(parent=site_root)
    page.closes_at = page.opens_at
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert "征集结束时间应晚于开始时间" in str(excinfo.value)


def test_the_public_page_shows_organisation_period_and_status(site_root, client):
    page = ConsultationPageFactory(parent=site_root, results="<p>本征集未收到相关反馈。</p>")
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert page.organisation.name in html
    assert "征集中" in html
    assert "本征集未收到相关反馈。" in html
    assert html.count("<h1") == 1
