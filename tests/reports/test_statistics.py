"""The figures of the statutory tables against counts worked out by hand."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opengov_cms.disclosure_requests.choices import Outcome
from opengov_cms.disclosure_requests.models import DisclosureRequest
from opengov_cms.reports.statistics import (
    APPLICANT_COLUMNS,
    REQUEST_ROWS,
    Period,
    check_rule_failures,
    compute,
    document_statistics,
    request_statistics,
)
from tests.disclosure_requests.factories import DisclosureRequestFactory
from tests.reports.conftest import APPLICANTS

pytestmark = pytest.mark.django_db

NP, CO, RE, PW, LS, OT = APPLICANT_COLUMNS[:6]


def expected(**rows):
    """A full table from the non-zero counts given per row; totals are added up here."""
    table = {row: dict.fromkeys(APPLICANT_COLUMNS, 0) for row in REQUEST_ROWS}
    for row, counts in rows.items():
        table[row.replace("__", ".")].update(counts)
    for counts in table.values():
        counts["total"] = sum(v for k, v in counts.items() if k != "total")
    return table


def outcome_row(code, **counts):
    return {code.value.replace(".", "__"): counts}


def test_a_quarter_and_its_year_count_every_row_and_column(organisation, requests_2025):
    table = request_statistics(organisation, Period(2025, 3))
    want = expected(
        new={NP: 5, CO: 4, RE: 4, PW: 4, LS: 4, OT: 3},
        carried_over={NP: 1, CO: 1},
        handled={NP: 6, CO: 4, RE: 4, PW: 3, LS: 3, OT: 3},
        carried_forward={CO: 1, PW: 1, LS: 1},
        **outcome_row(Outcome.DISCLOSED, **{NP: 3}),
        **outcome_row(Outcome.PARTIAL, **{CO: 1}),
        **outcome_row(Outcome.WITHHELD_STATE_SECRET, **{RE: 1}),
        **outcome_row(Outcome.WITHHELD_PROHIBITED, **{PW: 1}),
        **outcome_row(Outcome.WITHHELD_SECURITY, **{LS: 1}),
        **outcome_row(Outcome.WITHHELD_THIRD_PARTY, **{OT: 1}),
        **outcome_row(Outcome.WITHHELD_INTERNAL, **{NP: 1}),
        **outcome_row(Outcome.WITHHELD_PROCESS, **{CO: 1}),
        **outcome_row(Outcome.WITHHELD_ENFORCEMENT, **{RE: 1}),
        **outcome_row(Outcome.WITHHELD_QUERY, **{PW: 1}),
        **outcome_row(Outcome.UNAVAILABLE_NOT_HELD, **{LS: 1}),
        **outcome_row(Outcome.UNAVAILABLE_CREATION, **{OT: 1}),
        **outcome_row(Outcome.UNAVAILABLE_UNCLEAR, **{NP: 1}),
        **outcome_row(Outcome.NOT_PROCESSED_PETITION, **{CO: 1}),
        **outcome_row(Outcome.NOT_PROCESSED_REPEATED, **{RE: 1}),
        **outcome_row(Outcome.NOT_PROCESSED_PUBLICATION, **{PW: 1}),
        **outcome_row(Outcome.NOT_PROCESSED_EXCESSIVE, **{LS: 1}),
        **outcome_row(Outcome.NOT_PROCESSED_CONFIRMATION, **{OT: 1}),
        **outcome_row(Outcome.OTHER_NO_CORRECTION, **{NP: 1}),
        **outcome_row(Outcome.OTHER_FEE_UNPAID, **{CO: 1}),
        **outcome_row(Outcome.OTHER, **{RE: 1}),
    )
    assert table == want
    # The check rule: new + carried over = handled + carried forward, in every column.
    assert table["new"]["total"] + table["carried_over"]["total"] == 26
    assert table["handled"]["total"] + table["carried_forward"]["total"] == 26
    assert check_rule_failures(table) == []

    # What the second quarter carries forward, the third carries over.
    second = request_statistics(organisation, Period(2025, 2))
    assert second["carried_forward"] == table["carried_over"]

    # The year: carried over from 2024, carried forward into 2026.
    table = request_statistics(organisation, Period(2025))
    assert table["new"] == {NP: 7, CO: 5, RE: 5, PW: 4, LS: 5, OT: 3, "total": 29}
    assert table["carried_over"] == {**dict.fromkeys(APPLICANT_COLUMNS, 0), NP: 1, "total": 1}
    assert table["handled"] == {NP: 8, CO: 4, RE: 5, PW: 4, LS: 4, OT: 3, "total": 28}
    assert table["carried_forward"] == {
        **dict.fromkeys(APPLICANT_COLUMNS, 0),
        CO: 1,
        LS: 1,
        "total": 2,
    }
    assert table[Outcome.DISCLOSED] == {
        **dict.fromkeys(APPLICANT_COLUMNS, 0),
        NP: 5,
        PW: 1,
        "total": 6,
    }
    assert table[Outcome.PARTIAL][RE] == 1 and table[Outcome.PARTIAL]["total"] == 2
    assert table[Outcome.WITHHELD_STATE_SECRET][LS] == 1
    assert check_rule_failures(table) == []


def test_the_check_rule_finds_a_table_that_does_not_add_up():
    table = expected(
        new={NP: 2, PW: 1},
        handled={NP: 2, PW: 1},
        **outcome_row(Outcome.DISCLOSED, **{NP: 2, PW: 1}),
    )
    assert check_rule_failures(table) == []
    table["new"][PW] += 1
    table[Outcome.DISCLOSED][NP] -= 1
    assert check_rule_failures(table) == [NP, PW]


@pytest.mark.parametrize("count", [5, 50])
def test_counting_takes_the_same_queries_for_any_number_of_requests(organisation, count):
    # Registered like the form does; closed in bulk, the workflow is tested elsewhere.
    columns = list(APPLICANTS)
    for index in range(count):
        applicant_type, subtype = APPLICANTS[columns[index % len(columns)]]
        DisclosureRequestFactory(
            organisation=organisation,
            received_on=date(2025, 7, 1 + index % 28),
            applicant_type=applicant_type,
            organisation_subtype=subtype,
        )
    closed = sorted(DisclosureRequest.objects.values_list("pk", flat=True))[::3]
    DisclosureRequest.objects.filter(pk__in=closed).update(
        state="replied", outcome=Outcome.DISCLOSED, closed_on=date(2025, 8, 1)
    )
    with CaptureQueriesContext(connection) as queries:
        table = request_statistics(organisation, Period(2025, 3))
    assert table["new"]["total"] == count
    assert table[Outcome.DISCLOSED]["total"] == len(closed)
    assert table["carried_forward"]["total"] == count - len(closed)
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        data = compute(organisation, Period(2025))
    assert data["requests"]["new"]["total"] == count
    assert len(queries) == 3


def test_periods_parse_and_name_themselves():
    assert Period.parse("2026Q3") == Period(2026, 3)
    assert Period.parse("2026q4").end == date(2026, 12, 31)
    assert Period.parse(" 2026 ").start == date(2026, 1, 1)
    assert Period(2026, 2).end == date(2026, 6, 30)
    assert Period(2026, 1).previous() == Period(2025, 4)
    assert str(Period(2026, 3).label) == "2026年第三季度"
    for bad, message in [
        ("2026Q5", "Q5: a quarter is Q1, Q2, Q3 or Q4"),
        ("26Q1", "is not a period"),
        ("1999", "is not a reporting year"),
    ]:
        with pytest.raises(ValueError, match=message):
            Period.parse(bad)
    with pytest.raises(ValueError, match="an annual report needs a year"):
        Period.parse("2026Q1", annual=True)


def policy(section, organisation, kind, written, publish=True, **fields):
    from opengov_cms.catalogue.filing import add_to_section
    from opengov_cms.core.models import DocumentKind
    from opengov_cms.policies.models import PolicyDocumentPage

    page = PolicyDocumentPage(
        title=f"{kind} {written} {fields.get('validity', 'valid')}",
        organisation=organisation,
        document_kind=DocumentKind.objects.get(code=kind),
        written_date=written,
        body="<p>第一条</p>",
        live=False,
        **fields,
    )
    add_to_section(section, page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


def test_rules_and_normative_documents_issued_repealed_and_valid(organisation, catalogue):
    from opengov_cms.catalogue.models import CatalogueIndexPage
    from tests.factories import OrganisationFactory

    section = CatalogueIndexPage.objects.get(slug="rules")
    r1 = policy(section, organisation, "rule", date(2025, 3, 1))
    policy(
        section,
        organisation,
        "rule",
        date(2023, 5, 1),
        validity="repealed",
        validity_date=date(2025, 6, 1),
        repealed_by=r1,
    )
    policy(section, organisation, "rule", date(2024, 1, 1))
    policy(
        section,
        organisation,
        "normative",
        date(2025, 2, 1),
        validity="expired",
        validity_date=date(2025, 8, 1),
        expiry_date=date(2025, 8, 1),
    )
    n2 = policy(section, organisation, "normative", date(2025, 11, 1))
    policy(section, organisation, "normative", date(2026, 1, 10))
    policy(
        section,
        organisation,
        "normative",
        date(2024, 6, 1),
        validity="amended",
        validity_date=date(2025, 5, 1),
        amended_by=n2,
    )
    policy(section, organisation, "normative", date(2025, 4, 1), publish=False)
    policy(
        section,
        organisation,
        "normative",
        date(2022, 1, 1),
        validity="repealed",
        validity_date=date(2026, 2, 1),
        repealed_by=n2,
    )
    policy(section, organisation, "other", date(2025, 3, 3))
    policy(section, OrganisationFactory(name="另一局"), "rule", date(2025, 3, 3))
    # Shown in a second section too: still one document.
    r1.create_alias(parent=section.get_parent(), update_slug="r1-alias")

    with CaptureQueriesContext(connection) as queries:
        table = document_statistics(organisation, 2025)
    assert len(queries) == 1
    assert table == {
        "rule": {"issued": 1, "repealed": 1, "valid": 2},
        "normative": {"issued": 2, "repealed": 0, "valid": 3},
    }


def test_the_yearly_figures_staff_enter_fill_tables_two_and_four(organisation):
    from opengov_cms.reports.models import AnnualFigures

    data = compute(organisation, Period(2025))
    assert data["entered"] is False and data["fees"] == "0"
    AnnualFigures.objects.create(
        organisation=organisation,
        year=2025,
        licensing=1203,
        penalty=57,
        enforcement=3,
        fees="12.5000",
        review_upheld=2,
        review_corrected=1,
        review_pending=1,
        litigation_direct_other=1,
        litigation_after_review_upheld=1,
    )
    AnnualFigures.objects.create(organisation=organisation, year=2024, licensing=9)
    data = compute(organisation, Period(2025))
    assert data["entered"] is True
    assert data["decisions"] == {"licensing": 1203, "penalty": 57, "enforcement": 3}
    assert data["fees"] == "12.5"
    assert data["reviews"] == {
        "review": {"upheld": 2, "corrected": 1, "other": 0, "pending": 1, "total": 4},
        "litigation_direct": {"upheld": 0, "corrected": 0, "other": 1, "pending": 0, "total": 1},
        "litigation_after_review": {
            "upheld": 1,
            "corrected": 0,
            "other": 0,
            "pending": 0,
            "total": 1,
        },
    }
    assert "documents" in data and "reviews" not in compute(organisation, Period(2025, 1))


def test_a_closed_request_without_a_known_outcome_counts_under_other(organisation):
    # Closed in the quarter with no outcome recorded, or one no row names (data from an
    # older version): the outcome rows must still add up to the handled total.
    for outcome in ("", "no-longer-a-code"):
        DisclosureRequestFactory(organisation=organisation, received_on=date(2025, 7, 2))
        DisclosureRequest.objects.filter(outcome="", closed_on__isnull=True).update(
            state="closed", outcome=outcome, closed_on=date(2025, 8, 1)
        )
    table = request_statistics(organisation, Period(2025, 3))
    assert table["handled"]["total"] == 2
    assert table[Outcome.OTHER]["total"] == 2
    assert check_rule_failures(table) == []


def test_statistics_query_one_organisation_and_accept_its_id(organisation):
    from tests.factories import OrganisationFactory

    other = OrganisationFactory(name="另一局")
    DisclosureRequestFactory(organisation=organisation, received_on=date(2025, 7, 2))
    DisclosureRequestFactory(organisation=other, received_on=date(2025, 7, 3))
    by_instance = request_statistics(organisation, Period(2025, 3))
    assert by_instance["new"]["total"] == 1
    assert request_statistics(organisation.pk, Period(2025, 3)) == by_instance
