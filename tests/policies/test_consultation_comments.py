"""The public comment form of a consultation, moderation and the adoption ledger."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from opengov_cms.policies.models import Adoption, CommentStatus, ConsultationComment
from tests.factories import ConsultationPageFactory


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture
def consultation(home_page):
    return ConsultationPageFactory(parent=home_page, slug="draft")


def post(client, page, **data):
    return client.post(page.url, {"body": "建议增加公共文化设施开放时间。", **data})


def test_a_comment_during_the_period_is_held_for_moderation(consultation, client):
    response = post(client, consultation, name="张三", contact="13800000000")
    assert response.status_code == 302 and response["Location"].endswith("?submitted=1#comment")
    comment = ConsultationComment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert comment.body == "建议增加公共文化设施开放时间。"
    page = client.get(response["Location"]).content.decode()
    assert "您的意见已提交，经审核后公开" in page
    assert "建议增加公共文化设施开放时间" not in page  # not before moderation


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [(1, 5, "尚未开始"), (-5, -1, "已结束")],
)
def test_outside_the_period_nothing_is_stored(home_page, client, opens, closes, message):
    now = timezone.now()
    page = ConsultationPageFactory(
        parent=home_page,
        opens_at=now + timedelta(days=opens),
        closes_at=now + timedelta(days=closes),
    )
    response = post(client, page)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ConsultationComment.objects.exists()


def test_an_empty_or_overlong_comment_is_refused_with_a_message(consultation, client, settings):
    settings.OPENGOV_CMS_CONSULTATION_COMMENT_MAX_LENGTH = 20
    response = post(client, consultation, body="   ")
    assert response.status_code == 400 and "请填写意见内容" in response.content.decode()
    response = post(client, consultation, body="意" * 21)
    html = response.content.decode()
    assert "不能超过20字，当前21字" in html and 'aria-invalid="true"' in html
    assert not ConsultationComment.objects.exists()


def test_html_in_a_comment_is_shown_as_text(consultation, client):
    post(client, consultation, body='<script>alert("x")</script>好')
    comment = ConsultationComment.objects.get()
    comment.status = CommentStatus.PUBLISHED
    comment.save()
    html = client.get(consultation.url).content.decode()
    assert "&lt;script&gt;" in html and '<script>alert("x")' not in html


def test_the_honeypot_stores_nothing_but_looks_the_same(consultation, client):
    response = post(client, consultation, website="http://spam.example")
    assert response.status_code == 302
    assert not ConsultationComment.objects.exists()


def test_too_many_comments_from_one_client_are_refused(consultation, client, settings):
    settings.OPENGOV_CMS_CONSULTATION_COMMENT_RATE = (2, 3600)
    assert post(client, consultation).status_code == 302
    assert post(client, consultation).status_code == 302
    response = post(client, consultation)
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert ConsultationComment.objects.count() == 2


def test_adoption_decisions_need_a_reason_and_are_counted(consultation, client, admin_client):
    for _ in range(3):
        post(client, consultation)
    first, second, third = ConsultationComment.objects.order_by("pk")
    rejected = ConsultationComment(
        consultation=consultation, body="x", adoption=Adoption.NOT_ADOPTED
    )
    with pytest.raises(ValidationError, match="请说明理由"):
        rejected.full_clean()
    response = admin_client.post(
        f"/admin/snippets/opengov_policies/consultationcomment/edit/{first.pk}/",
        {"status": "published", "adoption": "adopted", "reason": ""},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.adoption == Adoption.ADOPTED and first.decided_by is not None
    ConsultationComment.objects.filter(pk=second.pk).update(
        adoption=Adoption.NOT_ADOPTED, reason="与上位法不符"
    )
    html = client.get(consultation.url).content.decode()
    assert "共收到意见 3 条" in html
    assert "<td>1</td><td>0</td><td>1</td>" in html
    assert "与上位法不符" not in html  # the second comment is not published
