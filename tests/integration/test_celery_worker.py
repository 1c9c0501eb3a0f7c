"""A real Celery worker, on the Redis broker, runs the package's jobs."""

import time
from datetime import timedelta

import pytest
from celery import Celery, current_app
from celery.contrib.testing.worker import start_worker
from django.db import OperationalError, transaction
from django.utils import timezone
from wagtail.models import Page

from opengov_cms.core.tasks import publish_scheduled
from opengov_cms.tasks import enqueue
from tests.factories import ConsultationPageFactory
from tests.services import service_url

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_app(settings):
    settings.OPENGOV_CMS_TASK_RUNNER = "celery"
    app = Celery("opengov_cms_tests")
    app.conf.update(
        broker_url=service_url("redis"),
        task_ignore_result=True,
        broker_connection_retry_on_startup=False,
        worker_hijack_root_logger=False,
    )
    previous = current_app._get_current_object()
    app.set_current()
    # Start from an empty queue: nothing a previous run left behind is consumed here.
    with app.connection_for_write() as connection:
        connection.default_channel.client.delete("celery")
    yield app
    previous.set_current()


def wait_for(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError:
            # SQLite's shared in-memory test database locks whole tables while the
            # worker's thread writes; read again.
            pass
        time.sleep(0.2)
    return False


def scheduled_page(home):
    page = ConsultationPageFactory(parent=home, live=False)
    page.go_live_at = timezone.now() + timedelta(seconds=2)
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live and page.has_unpublished_changes
    # Its publication time arrives.
    assert wait_for(lambda: timezone.now() > page.go_live_at, timeout=5)
    return page


def queued_messages(app):
    with app.connection_for_write() as connection:
        return connection.default_channel.client.llen("celery")


def test_a_job_enqueued_in_a_transaction_is_sent_after_commit(worker_app):
    with transaction.atomic():
        enqueue(publish_scheduled)
        assert queued_messages(worker_app) == 0
    assert queued_messages(worker_app) == 1


def test_the_worker_publishes_a_scheduled_page(worker_app, home_page):
    page = scheduled_page(home_page)
    enqueue(publish_scheduled)
    with start_worker(worker_app, perform_ping_check=False, shutdown_timeout=30, loglevel="INFO"):
        assert wait_for(lambda: Page.objects.get(pk=page.pk).live), "the worker did not publish"
        # Publishing enqueues the search jobs, which the same worker runs too.
        assert wait_for(lambda: queued_messages(worker_app) == 0)
    assert queued_messages(worker_app) == 0
