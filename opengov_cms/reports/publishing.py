"""Making a report exactly once, and deciding which reports are due.

A report of an organisation and period exists at most once: the report page models carry
a unique constraint on (organisation, period). :func:`make_report` checks, then creates,
files and publishes (or submits) the page in one transaction that first locks the
organisation's row, so concurrent makers on PostgreSQL wait for each other and find the
report made; wherever the lock is not enough (SQLite, a report added in the admin
meanwhile) the constraint refuses the second and the maker returns the first. A maker
killed half-way leaves nothing, since nothing is committed until the page is complete.

The scheduled jobs run often and ask :func:`due_quarters` and :func:`due_year` what is
due today, so a scheduler that was down makes the missing reports at its next run, once.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opengov_cms.conf import opengov_settings
from opengov_cms.reports.statistics import Period

logger = logging.getLogger(__name__)

#: How far back the quarterly job looks for a missing report: one year of quarters.
CATCH_UP_QUARTERS = 4
PUBLICATIONS = ("live", "review")
#: Taxonomy codes (core defaults) a new report is classified with, where they exist.
REPORT_TOPIC, REPORT_GENRE, REPORT_KIND = "general-affairs-03", "report", "other"


def report_model(period, model=None):
    """``model``, or the report page type of the statutory tables for ``period``."""
    if model is not None:
        return model
    from opengov_cms.reports.models import AnnualReportPage, QuarterlyReportPage

    return AnnualReportPage if period.is_annual else QuarterlyReportPage


def existing_report(organisation, period, model=None, city_wide=False):
    """The report page (live or not) of the organisation and period, or None; with
    ``city_wide``, its annual report covering the organisations below it (汇总下级机构)."""
    reports = report_model(period, model).objects.filter(
        organisation=organisation, report_year=period.year
    )
    if not period.is_annual:
        reports = reports.filter(quarter=period.quarter)
    elif any(f.name == "covers_organisations_below" for f in reports.model._meta.fields):
        # A city-wide report of the same organisation is another report.
        reports = reports.filter(covers_organisations_below=city_wide)
    return reports.first()


def catalogue_roots():
    """Each organisation's catalogue root (the shallowest catalogue page bound to it), for
    the organisations that have one: ``{organisation_id: page}``."""
    from opengov_cms.catalogue.models import CatalogueIndexPage

    roots = {}
    pages = (
        CatalogueIndexPage.objects.filter(organisation__isnull=False)
        .select_related("organisation")
        .order_by("depth", "path")
    )
    for page in pages:
        roots.setdefault(page.organisation_id, page)
    return roots


def catalogue_root(organisation):
    return catalogue_roots().get(organisation.pk)


def report_section(root, period, model=None):
    """The section a report is filed in: the one its type names (by default the one named by
    the setting), else the root."""
    from opengov_cms.catalogue.models import CatalogueIndexPage

    slug = report_model(period, model).report_section_slug(period)
    if slug:
        section = CatalogueIndexPage.objects.descendant_of(root).filter(slug=slug).first()
        if section is not None:
            return section
    return root


def free_slug(parent, slug):
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def new_report(organisation, period, today, model=None, city_wide=False):
    from opengov_cms.core.models import DocumentKind, Genre, Topic

    model = report_model(period, model)
    fields = {"quarter": period.quarter} if not period.is_annual else {}
    title, slug, summary = (
        model.report_title(organisation, period),
        model.report_slug(period),
        model.report_summary(organisation, period),
    )
    if city_wide:
        fields["covers_organisations_below"] = True
        title, slug, summary = (
            model.city_report_title(organisation, period),
            model.city_report_slug(period),
            model.city_report_summary(organisation, period),
        )
    page = model(
        title=title,
        slug=slug,
        organisation=organisation,
        report_year=period.year,
        written_date=today,
        summary=summary,
        topic=Topic.objects.filter(code=REPORT_TOPIC).first(),
        genre=Genre.objects.filter(code=REPORT_GENRE).first(),
        document_kind=DocumentKind.objects.filter(code=REPORT_KIND).first(),
        live=False,
        **fields,
    )
    page.refresh_statistics()
    return page


def submit_for_review(page):
    """Start the page's workflow (the 三审 workflow opengov_setup puts on the catalogue);
    without one the report stays a draft."""
    workflow = page.get_workflow()
    if workflow is None:
        logger.warning("Report page %s has no workflow; it stays a draft.", page.pk)
        return False
    workflow.start(page, None)
    return True


def make_report(
    organisation,
    period,
    *,
    model=None,
    root=None,
    publication=None,
    today=None,
    city_wide=False,
):
    """Make the report of ``organisation`` for ``period`` unless it exists; ``model`` is the
    report page type, by default the statutory tables' for the period (a registered one,
    opengov_cms.reports.registry, for another kind of quarterly report). With ``city_wide``
    (annual reports only) it is the report covering the organisation and every organisation
    under it (汇总下级机构), a report of its own beside the organisation's own one.

    A quarterly report is published or submitted for review (``publication``, by default
    OPENGOV_CMS_REPORTS_QUARTERLY_PUBLICATION); an annual report is made as a draft for
    staff to write its text parts. Returns ``(page, created)``. Any number of calls, at the
    same time or one after another, leave one report.
    """
    today = today or timezone.localdate()
    model = report_model(period, model)
    if city_wide and not period.is_annual:
        raise ValueError("Only an annual report covers the organisations below.")
    found = existing_report(organisation, period, model, city_wide)
    if found is not None:
        return found, False
    root = root or catalogue_root(organisation)
    if root is None:
        raise LookupError(f"{organisation} has no catalogue to file its reports in.")
    publication = publication or opengov_settings.REPORTS_QUARTERLY_PUBLICATION
    from opengov_cms.catalogue.filing import filing_year, year_folder
    from opengov_cms.core.models import Organisation

    try:
        with transaction.atomic():
            # Serialises the makers of one organisation's reports on databases with row
            # locks; the check below then sees what the one before committed.
            list(Organisation.objects.select_for_update().filter(pk=organisation.pk).values("pk"))
            found = existing_report(organisation, period, model, city_wide)
            if found is not None:
                return found, False
            page = new_report(organisation, period, today, model, city_wide)
            publish_now = not period.is_annual and publication == "live"
            if publish_now:
                page.publication_date = today
            folder = year_folder(report_section(root, period, model), filing_year(page))
            page.slug = free_slug(folder, page.slug)
            folder.add_child(instance=page)
            revision = page.save_revision(log_action=True)
            if publish_now:
                revision.publish()
            elif not period.is_annual:
                submit_for_review(page)
    except (IntegrityError, ValidationError):
        # Made by someone else in the meantime: the constraint kept it to one.
        found = existing_report(organisation, period, model, city_wide)
        if found is None:
            raise
        return found, False
    logger.info("Made the %s %s of organisation %s.", period, model.__name__, organisation.pk)
    return model.objects.get(pk=page.pk), True


def rebuild_report(page, *, user=None):
    """Count a report's figures again and save them as a new revision: published at once
    when the report is live, so the public tables change; a draft otherwise."""
    page = page.specific
    page.refresh_statistics()
    revision = page.save_revision(user=user, log_action=True)
    if page.live:
        revision.publish(user=user)
    return type(page).objects.get(pk=page.pk)


# What is due -------------------------------------------------------------------------------


def quarterly_due_on(period):
    """The day a quarter's report is due: the set day of the month after the quarter."""
    first = period.end + timedelta(days=1)
    return first.replace(day=min(opengov_settings.REPORTS_QUARTERLY_DAY, 28))


def due_quarters(today, since):
    """The quarters of the last year whose report is due by ``today``, that ended on or
    after ``since`` (when the organisation's catalogue went live), oldest first."""
    due = []
    period = Period.quarter_of(today).previous()
    for _step in range(CATCH_UP_QUARTERS):
        if period.end < since:
            break
        if quarterly_due_on(period) <= today:
            due.append(period)
        period = period.previous()
    return due[::-1]


def due_year(today, since):
    """The year whose annual report is due to be drafted by ``today``, or None: the past
    year, from the set day of January, if it ended on or after ``since``."""
    year = Period(today.year - 1)
    if today < date(today.year, 1, opengov_settings.REPORTS_ANNUAL_DRAFT_DAY):
        return None
    return year if year.end >= since else None


def organisations_with_catalogues():
    """(organisation, root, since) for every organisation whose catalogue is live."""
    for root in catalogue_roots().values():
        if root.live and root.first_published_at is not None:
            yield root.organisation, root, timezone.localdate(root.first_published_at)


def make_due_quarterly_reports(today=None):
    """Make every quarterly report due and missing, of every quarterly report page type
    (the request results and those registered, opengov_cms.reports.registry); returns the
    pages made."""
    from opengov_cms.reports.registry import quarterly_report_models

    today = today or timezone.localdate()
    models = quarterly_report_models()
    made = []
    for organisation, root, since in organisations_with_catalogues():
        for period in due_quarters(today, since):
            for model in models:
                if not model.report_is_due(organisation, period):
                    continue
                page, created = make_or_log(organisation, period, root, today, model)
                if created:
                    made.append(page)
    return made


def make_or_log(organisation, period, root, today, model=None, city_wide=False):
    """make_report, except that a report refused as invalid is logged and skipped, so one
    organisation's data does not hold up the others' reports. A database that is busy still
    raises, for the job to be retried."""
    try:
        return make_report(
            organisation, period, model=model, root=root, today=today, city_wide=city_wide
        )
    except ValidationError as error:
        logger.error(
            "The %s report of organisation %s was not made: %s",
            period,
            organisation.pk,
            "; ".join(error.messages),
        )
        return None, False


def make_due_annual_reports(today=None):
    """Draft every annual report due and missing, and remind the office of those not
    published by the reminder day; returns the pages made.

    A competent department (政府信息公开工作主管部门, Art. 3 and Art. 49 ¶2: the local
    government's general office) also gets the government's own report, the sum of it and
    every organisation under it (汇总下级机构), drafted on the same day as the departments'
    reports. The departments' are due by 31 January, the government's by 31 March (Art. 49),
    so the departments' figures are in by the time it is finished; staff count it again
    before they publish it."""
    today = today or timezone.localdate()
    made = []
    for organisation, root, since in organisations_with_catalogues():
        period = due_year(today, since)
        if period is None:
            continue
        page, created = make_or_log(organisation, period, root, today)
        if created:
            made.append(page)
        if organisation.is_competent_department:
            city_page, created = make_or_log(organisation, period, root, today, city_wide=True)
            if created:
                made.append(city_page)
        if page is not None and today >= date(
            today.year, 1, opengov_settings.REPORTS_ANNUAL_REMINDER_DAY
        ):
            remind(organisation, page, today)
    return made


def remind(organisation, page, today):
    """Email the office once about an annual report not yet published (Art. 49: by 31
    January). The record and the email commit together, so a failed send is tried again at
    the next run rather than lost."""
    from opengov_cms.reports.models import AnnualReportReminder

    if page.live:
        return False
    recipients = list(dict.fromkeys([*opengov_settings.REQUESTS_OFFICE_EMAILS, organisation.email]))
    recipients = [address for address in recipients if address]
    if not recipients:
        return False
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    context = {
        "organisation": organisation,
        "page": page,
        "year": page.report_year,
        "deadline": date(page.report_year + 1, 1, 31),
        "overdue": today > date(page.report_year + 1, 1, 31),
        "edit_url": base + reverse("wagtailadmin_pages:edit", args=[page.pk]),
        "figures_url": base + reverse("wagtailsnippets_opengov_reports_annualfigures:list"),
    }
    try:
        with transaction.atomic():
            AnnualReportReminder.objects.create(organisation=organisation, year=page.report_year)
            send_mail(
                _("请按时发布%(year)s年政府信息公开工作年度报告（%(organisation)s）")
                % {"year": page.report_year, "organisation": organisation.name},
                render_to_string("opengov_reports/email/annual_reminder.txt", context),
                settings.DEFAULT_FROM_EMAIL,
                recipients,
            )
    except IntegrityError:
        return False
    return True
