"""Policy documents and interpretations through the admin an editor uses."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from opengov_cms.policies.models import HeldPublication, InterpretationPage, PolicyDocumentPage


def add_url(model, parent):
    return reverse("wagtailadmin_pages:add", args=["opengov_policies", model, parent.pk])


def metadata(organisation, **extra):
    return {
        "organisation": organisation.pk,
        "disclosure_attribute": "proactive",
        "validity": "valid",
        **extra,
    }


@pytest.fixture
def held_policy(section, organisation, admin_client):
    data = nested_form_data(
        {
            "title": "六安市文化市场管理办法",
            "slug": "market-rules",
            **metadata(organisation, document_number="六文旅(2024)9号"),
            "needs_interpretation": "on",
            "body": rich_text("<p>第一条 为规范文化市场管理，制定本办法。</p>"),
            "drafting_explanation": rich_text(""),
            "attachments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    response = admin_client.post(add_url("policydocumentpage", section), data, follow=True)
    assert response.status_code == 200
    return PolicyDocumentPage.objects.get(slug="market-rules"), response


def test_publishing_a_policy_that_needs_an_interpretation_holds_it_with_a_warning(held_policy):
    policy, response = held_policy
    assert not policy.live
    assert HeldPublication.objects.filter(page_id=policy.pk).exists()
    html = response.content.decode()
    assert "将在关联的政策文件或解读审核通过后同步发布" in html
    # Only the package's message: never Wagtail's "created and published" beside it.
    assert "created and published" not in html and "已创建并发布" not in html
    assert "has been published" not in html
    assert policy.document_number == "六文旅〔2024〕9号"


def test_publishing_its_interpretation_in_the_admin_publishes_both(
    held_policy, section, organisation, admin_client
):
    policy, _response = held_policy
    data = nested_form_data(
        {
            "title": "《六安市文化市场管理办法》政策解读",
            "slug": "market-rules-interpretation",
            "interpreted_documents": inline_formset([{"document": policy.pk}], min=1),
            "form": "text",
            "interpreter": "市文旅局政策法规科",
            **metadata(organisation),
            "body": streamfield([("text", rich_text("<p>一、制定背景</p>"))]),
            "action-publish": "action-publish",
        }
    )
    response = admin_client.post(add_url("interpretationpage", section), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    policy.refresh_from_db()
    interpretation = InterpretationPage.objects.get(slug="market-rules-interpretation")
    assert policy.live and interpretation.live
    assert not HeldPublication.objects.exists()


def test_the_admin_compares_two_revisions_of_a_policy(held_policy, admin_client, make_policy):
    page = make_policy(title="比较版本的办法")
    first = page.latest_revision
    page.body = "<p>第一条 修改后的条文。</p>"
    second = page.save_revision()
    second.publish()
    url = reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, first.pk, second.pk])
    html = admin_client.get(url).content.decode()
    assert "修改后的条文" in html
