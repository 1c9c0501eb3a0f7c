"""Fixtures of the report tests: an organisation with its catalogue, and requests that went
through the workflow the way staff handle them."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from opengov_cms.disclosure_requests.choices import ApplicantType, Outcome
from opengov_cms.disclosure_requests.workflow import perform
from tests.disclosure_requests.factories import DisclosureRequestFactory


@pytest.fixture
def catalogue(organisation, home_page):
    """The organisation's catalogue root with the sections reports use, the taxonomies and
    the 三审 workflow, made by opengov_setup's own steps; live since 1 July 2025."""
    from wagtail.models import WorkflowPage

    from opengov_cms.catalogue.models import CatalogueIndexPage
    from opengov_cms.core.defaults import CATALOGUE_SLUG
    from opengov_cms.core.management.commands.opengov_setup import Command

    setup = Command()
    setup.load_taxonomies()
    workflow = setup.load_workflow()
    root = setup.child(
        home_page, CatalogueIndexPage, CATALOGUE_SLUG, "政府信息公开", organisation=organisation
    )
    for slug, title in (("on-request", "依申请公开"), ("annual-reports", "公开年报")):
        setup.child(root, CatalogueIndexPage, slug, title)
    setup.child(
        setup.child(root, CatalogueIndexPage, "documents", "法规文件"),
        CatalogueIndexPage,
        "rules",
        "规章",
    )
    WorkflowPage.objects.create(page=root, workflow=workflow)
    set_up_on(root, date(2025, 7, 1))
    return root


def set_up_on(root, day):
    """Date the catalogue's first publication, which bounds the periods reports are due for."""
    moment = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    type(root).objects.filter(pk=root.pk).update(first_published_at=moment)
    root.first_published_at = moment


# Columns of table 3 as (applicant type, organisation subtype).
APPLICANTS = {
    "natural_person": (ApplicantType.NATURAL_PERSON, ""),
    "commercial": (ApplicantType.ORGANISATION, "commercial"),
    "research": (ApplicantType.ORGANISATION, "research"),
    "public_welfare": (ApplicantType.ORGANISATION, "public_welfare"),
    "legal_services": (ApplicantType.ORGANISATION, "legal_services"),
    "other": (ApplicantType.ORGANISATION, "other"),
    "unspecified": (ApplicantType.ORGANISATION, ""),  # counted under 其他
}


def make_request(organisation, column, received, outcome=None, closed=None):
    """A request received on ``received`` by ``organisation`` and, with ``outcome``,
    brought to it on ``closed`` through the workflow actions that lead there."""
    applicant_type, subtype = APPLICANTS[column]
    fields = {"organisation": organisation, "received_on": received}
    fields["applicant_type"] = applicant_type
    fields["organisation_subtype"] = subtype
    if applicant_type == ApplicantType.ORGANISATION:
        fields.update(organisation_name="六安某某有限公司", applicant_name="")
    request = DisclosureRequestFactory(**fields)
    if outcome is None:
        perform(request, "accept", on=received)
        return request
    if outcome == Outcome.OTHER_NO_CORRECTION:
        request = perform(request, "request_correction", on=received, days=1)
        assert request.pending_until < closed
        return perform(request, "close_no_correction", on=closed)
    if outcome == Outcome.OTHER_FEE_UNPAID:
        perform(request, "accept", on=received)
        perform(
            request,
            "send_fee_notice",
            on=received,
            method="per_page",
            quantity=40,
            payment="现场缴纳",
        )
        request.refresh_from_db()
        assert request.pending_until < closed
        return perform(request, "close_fee_unpaid", on=closed)
    if outcome == Outcome.OTHER:
        return perform(request, "withdraw", on=closed)
    perform(request, "accept", on=received)
    reasons = [Outcome.WITHHELD_THIRD_PARTY] if outcome == Outcome.PARTIAL else []
    return perform(request, "reply", on=closed, outcome=outcome, reasons=reasons)


# Every outcome once, new in 2025Q3 and handled in it, spread over every applicant column.
Q3_OUTCOMES = [
    ("natural_person", Outcome.DISCLOSED),
    ("commercial", Outcome.PARTIAL),
    ("research", Outcome.WITHHELD_STATE_SECRET),
    ("public_welfare", Outcome.WITHHELD_PROHIBITED),
    ("legal_services", Outcome.WITHHELD_SECURITY),
    ("other", Outcome.WITHHELD_THIRD_PARTY),
    ("natural_person", Outcome.WITHHELD_INTERNAL),
    ("commercial", Outcome.WITHHELD_PROCESS),
    ("research", Outcome.WITHHELD_ENFORCEMENT),
    ("public_welfare", Outcome.WITHHELD_QUERY),
    ("legal_services", Outcome.UNAVAILABLE_NOT_HELD),
    ("unspecified", Outcome.UNAVAILABLE_CREATION),
    ("natural_person", Outcome.UNAVAILABLE_UNCLEAR),
    ("commercial", Outcome.NOT_PROCESSED_PETITION),
    ("research", Outcome.NOT_PROCESSED_REPEATED),
    ("public_welfare", Outcome.NOT_PROCESSED_PUBLICATION),
    ("legal_services", Outcome.NOT_PROCESSED_EXCESSIVE),
    ("other", Outcome.NOT_PROCESSED_CONFIRMATION),
    ("natural_person", Outcome.OTHER_NO_CORRECTION),
    ("commercial", Outcome.OTHER_FEE_UNPAID),
    ("research", Outcome.OTHER),
    ("natural_person", Outcome.DISCLOSED),
]


@pytest.fixture
def requests_2025(organisation):
    """Requests of 2025 (and late 2024) covering every row and column of table 3."""
    from tests.factories import OrganisationFactory

    made = []
    for index, (column, outcome) in enumerate(Q3_OUTCOMES):
        received = date(2025, 7, 1) + timedelta(days=index)
        made.append(make_request(organisation, column, received, outcome, date(2025, 9, 10)))
    # Received in the second quarter: two carried over into the third, one closed before it.
    made.append(
        make_request(
            organisation, "natural_person", date(2025, 6, 20), Outcome.DISCLOSED, date(2025, 7, 10)
        )
    )
    made.append(make_request(organisation, "commercial", date(2025, 6, 25)))
    made.append(
        make_request(
            organisation,
            "legal_services",
            date(2025, 6, 27),
            Outcome.WITHHELD_STATE_SECRET,
            date(2025, 6, 30),
        )
    )
    made.append(
        make_request(
            organisation, "research", date(2025, 4, 10), Outcome.PARTIAL, date(2025, 4, 20)
        )
    )
    # Received in the third quarter, still open at its end.
    made.append(make_request(organisation, "legal_services", date(2025, 9, 25)))
    made.append(
        make_request(
            organisation,
            "public_welfare",
            date(2025, 9, 29),
            Outcome.DISCLOSED,
            date(2025, 10, 9),
        )
    )
    # After the third quarter; and from 2024, one carried into 2025 and one closed in 2024.
    made.append(
        make_request(
            organisation,
            "natural_person",
            date(2025, 10, 15),
            Outcome.DISCLOSED,
            date(2025, 10, 20),
        )
    )
    made.append(
        make_request(
            organisation,
            "natural_person",
            date(2024, 12, 20),
            Outcome.DISCLOSED,
            date(2025, 1, 8),
        )
    )
    made.append(
        make_request(
            organisation, "research", date(2024, 11, 1), Outcome.DISCLOSED, date(2024, 11, 20)
        )
    )
    # Another organisation's request is never counted.
    make_request(
        OrganisationFactory(name="六安市另一局"),
        "natural_person",
        date(2025, 8, 1),
        Outcome.DISCLOSED,
        date(2025, 8, 5),
    )
    return made
