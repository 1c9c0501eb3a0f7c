"""Nothing is lost when the broker is down: a change commits without an error, its side
effects wait in the outbox, and each arrives exactly once when the broker is back."""

import shutil
import socket
import subprocess
import time
from datetime import date

import pytest
from celery import Celery, current_app
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import OperationalError
from django.urls import reverse

from opengov_cms.core.models import OutboxMessage
from opengov_cms.search.backends import get_search_backend
from opengov_cms.tasks import hand_on, run
from tests.disclosure_requests.factories import DisclosureRequestFactory
from tests.services import service_url

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Broker:
    """A Redis server of the test's own, to stop and start again."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the test's Redis did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def broker(settings):
    service_url("redis")  # the suite's Redis is installed, and so is redis-server
    broker = Broker()
    if broker.binary is None:
        pytest.skip("redis-server is not installed (ci/redis/start installs it)")
    broker.start()
    settings.OPENGOV_CMS_TASK_RUNNER = "celery"
    app = Celery("opengov_cms_outbox_tests")
    app.conf.update(
        broker_url=broker.url,
        task_ignore_result=True,
        broker_connection_retry_on_startup=False,
        broker_connection_timeout=1,
        broker_transport_options={"max_retries": 1},
        worker_hijack_root_logger=False,
    )
    previous = current_app._get_current_object()
    app.set_current()
    broker.app = app
    yield broker
    previous.set_current()
    broker.stop()


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError:
            pass  # SQLite's shared in-memory test database, locked by the worker's thread
        time.sleep(0.2)
    return False


def found_in_index(word):
    return [hit.id for hit in get_search_backend().search(word).hits]


def test_changes_made_while_the_broker_is_down_lose_nothing_and_run_once(
    broker, admin_client, publish_entry, organisation
):
    entry = publish_entry(title="关于鹭鸶岛保护的通知")
    # The publish's index jobs reached the broker, with no worker yet: run them here. The
    # broker keeps their messages; the worker later finds them done and does nothing.
    for pk in list(OutboxMessage.objects.values_list("pk", flat=True)):
        run(pk)
    assert found_in_index("鹭鸶岛")
    request = DisclosureRequestFactory(
        organisation=organisation, received_on=date(2026, 3, 2), email="lisi@example.com"
    )

    broker.stop()
    # An editor unpublishes the entry, and staff accept an application: both commit.
    response = admin_client.post(reverse("wagtailadmin_pages:unpublish", args=[entry.pk]))
    assert response.status_code == 302
    response = admin_client.post(
        reverse("opengov_requests_admin:action", args=[request.pk, "accept"]),
        {"accept-on": "2026-03-03"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert not entry.live
    waiting = list(OutboxMessage.objects.values_list("task", flat=True))
    assert "opengov_cms.search.index_pages" in waiting
    assert "opengov_cms.requests.notify_applicant" in waiting
    assert mail.outbox == []

    broker.start()
    # The broker is back. A message may now reach the worker twice: once from a hand-on
    # retried by hand and once from the sweep that beat starts every minute.
    with start_worker(broker.app, perform_ping_check=False, shutdown_timeout=30):
        for pk in OutboxMessage.objects.values_list("pk", flat=True):
            hand_on(pk)
        broker.app.send_task("opengov_cms.outbox.deliver")
        assert wait_for(lambda: not OutboxMessage.objects.exists()), "the outbox did not empty"
    assert [m.to for m in mail.outbox] == [["lisi@example.com"]]  # once, not twice
    assert not found_in_index("鹭鸶岛")


def test_a_job_that_fails_stays_for_a_later_try(settings, db):
    from opengov_cms.tasks import JOBS, enqueue, task

    calls = []

    @task(name="opengov_cms.tests.flaky")
    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the engine timed out")

    try:
        settings.OPENGOV_CMS_TASK_RUNNER = "immediate"
        enqueue(flaky)  # outside a transaction: runs at once, and fails
        message = OutboxMessage.objects.get()
        assert message.attempts == 1 and "the engine timed out" in message.last_error
        assert run(message.pk) and not OutboxMessage.objects.exists()
        assert run(message.pk) is False  # gone: a second delivery runs nothing
        assert len(calls) == 2
    finally:
        JOBS.pop("opengov_cms.tests.flaky", None)
