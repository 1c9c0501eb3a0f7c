"""The Celery app of the report integration tests' worker (``celery -A
tests.reports.worker_app worker``). Marker files in OPENGOV_WORKER_CONTROL let a test make
the next attempt fail with a database error, or stop while it holds its work (inside the
transaction, the report published but not committed) so that the test can kill it there.
Each attempt that reaches publication leaves an ``attempt-*`` file."""

import os
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.reports.worker_settings")

from tests.clock import start_from_environment

start_from_environment()  # the test's day, not the machine's

import django  # noqa: E402

django.setup()

from celery import Celery  # noqa: E402
from django.db import OperationalError  # noqa: E402
from wagtail.signals import page_published  # noqa: E402

import opengov_cms.reports.tasks  # noqa: E402, F401  (registers the package's jobs)
from opengov_cms.reports.models import AbstractReportPage  # noqa: E402

CONTROL = Path(os.environ["OPENGOV_WORKER_CONTROL"])

app = Celery("opengov_reports_tests")
app.config_from_object("django.conf:settings", namespace="CELERY")


def on_published(sender, instance, **kwargs):
    if not isinstance(instance, AbstractReportPage):
        return
    (CONTROL / f"attempt-{os.getpid()}-{time.monotonic_ns()}").touch()
    fail = CONTROL / "fail-once"
    if fail.exists():
        fail.unlink()
        raise OperationalError("database is locked")
    if (CONTROL / "hold").exists():
        (CONTROL / f"holding-{os.getpid()}").touch()
        time.sleep(600)


page_published.connect(on_published, dispatch_uid="opengov_reports_tests_control")
