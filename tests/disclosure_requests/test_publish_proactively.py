"""Art. 44: a reply others may want too becomes a draft catalogue entry."""

from datetime import date

from django.urls import reverse
from wagtail.models import ModelLogEntry

from opengov_cms.catalogue.models import CatalogueYearPage, DisclosureEntryPage
from opengov_cms.disclosure_requests.workflow import perform
from tests.disclosure_requests.factories import DisclosureRequestFactory


def url(name, *args):
    return reverse(f"opengov_requests_admin:{name}", args=args)


def replied(organisation, outcome="disclosed"):
    request = DisclosureRequestFactory(organisation=organisation, received_on=date(2024, 9, 27))
    perform(request, "accept", on=date(2024, 9, 30))
    perform(request, "reply", on=date(2024, 10, 10), outcome=outcome)
    return request


def test_a_disclosed_reply_becomes_a_draft_entry_in_the_chosen_section(
    organisation, section, admin_client
):
    request = replied(organisation)
    detail = admin_client.get(url("detail", request.pk)).content.decode()
    assert "创建主动公开信息" in detail
    response = admin_client.post(
        url("proactive", request.pk),
        {
            "proactive-section": section.pk,
            "proactive-title": "2024年文化市场执法检查结果",
            "proactive-summary": "全年检查文化市场经营单位的结果。",
        },
    )
    entry = DisclosureEntryPage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[entry.pk])
    assert not entry.live and entry.organisation == organisation
    assert isinstance(entry.get_parent().specific, CatalogueYearPage)
    request.refresh_from_db()
    assert request.proactive_entry_id == entry.pk
    assert request.events.filter(action="publish_proactively").exists()
    assert ModelLogEntry.objects.filter(action="opengov_requests.publish_proactively").exists()
    # A second time is refused; the detail page links the entry instead.
    admin_client.post(
        url("proactive", request.pk),
        {
            "proactive-section": section.pk,
            "proactive-title": "again",
        },
    )
    assert DisclosureEntryPage.objects.count() == 1
    assert (
        "2024年文化市场执法检查结果" in admin_client.get(url("detail", request.pk)).content.decode()
    )


def test_only_disclosed_or_partly_disclosed_replies_qualify(organisation, section, admin_client):
    request = replied(organisation, outcome="unavailable.not_held")
    assert "创建主动公开信息" not in admin_client.get(url("detail", request.pk)).content.decode()
    response = admin_client.post(
        url("proactive", request.pk),
        {"proactive-section": section.pk, "proactive-title": "不应创建"},
        follow=True,
    )
    assert "只有答复为“予以公开”或“部分公开”的申请" in response.content.decode()
    assert not DisclosureEntryPage.objects.exists()
