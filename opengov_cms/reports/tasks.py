"""Background jobs of the reports: quarterly request results and the annual report.

Both run often (hourly in the package's beat schedule) and make only what is due and
missing, so running them again, twice at once, or after a crash leaves one report per
organisation and period. They are acknowledged after they finish (acks_late), and a worker
that dies during one gives the message back (reject_on_worker_lost), which is safe because
a rerun repeats nothing. A database that is busy (a lock, a serialisation failure) makes
them retry with backoff.
"""

from datetime import date

from django.db import OperationalError

from opengov_cms.tasks import task

RETRYING = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 8,
    "ignore_result": True,
}


def as_date(today):
    return date.fromisoformat(today) if isinstance(today, str) else today


@task(name="opengov_cms.reports.publish_quarterly", **RETRYING)
def publish_quarterly(today=None):
    """Make the quarterly request results due and missing; returns how many were made."""
    from opengov_cms.reports.publishing import make_due_quarterly_reports

    return len(make_due_quarterly_reports(as_date(today)))


@task(name="opengov_cms.reports.draft_annual", **RETRYING)
def draft_annual(today=None):
    """Draft the past year's annual report from January, and remind the office before the
    31 January deadline; returns how many drafts were made."""
    from opengov_cms.reports.publishing import make_due_annual_reports

    return len(make_due_annual_reports(as_date(today)))
