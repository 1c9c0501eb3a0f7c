"""Real Celery workers and beat, on Redis, in their own processes, make each report once:
when the schedule fires from two beats at once, when a job is delivered twice or retried
after a database error, and when the worker is killed while it holds its work."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.db import connection
from django.utils import timezone

from opengov_cms.disclosure_requests.choices import Outcome
from opengov_cms.reports.models import AnnualReportPage, QuarterlyReportPage
from opengov_cms.reports.statistics import Period
from tests.clock import environment as clock_environment
from tests.reports.conftest import make_request, set_up_on
from tests.services import service_url

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
QUARTERLY = "opengov_cms.reports.publish_quarterly"


def wait_for(condition, timeout, message):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(message)


class Workers:
    """Starts ``celery worker`` processes on the test's database and a private queue."""

    def __init__(self, tmp_path):
        self.tmp = tmp_path
        self.control = tmp_path / "control"
        self.control.mkdir(parents=True)
        self.prefix = f"opengov-reports-{uuid.uuid4().hex[:12]}:"
        self.queue = "opengov-reports-tests"
        self.broker = service_url("redis")
        self.processes = []
        self.database_url = self.share_database()
        self.redis = redis.Redis.from_url(self.broker)
        self.app = Celery("opengov_reports_test_client")
        self.app.conf.update(
            broker_url=self.broker,
            broker_transport_options={"global_keyprefix": self.prefix},
            task_default_queue=self.queue,
            broker_connection_retry_on_startup=False,
        )

    def share_database(self):
        """A URL the workers reach the test's database at. An in-memory SQLite database is
        copied to a file, and copied back by :meth:`collect`."""
        settings = connection.settings_dict
        if connection.vendor == "sqlite":
            self.sqlite_file = self.tmp / "db.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(self.sqlite_file) as target:
                connection.connection.backup(target)
            target.close()
            return f"sqlite:///{self.sqlite_file}"
        self.sqlite_file = None
        return (
            f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
            f"{settings['PORT']}/{settings['NAME']}"
        )

    def start(self, name, *options):
        env = {
            **clock_environment(),
            "DJANGO_SETTINGS_MODULE": "tests.reports.worker_settings",
            "OPENGOV_WORKER_DATABASE_URL": self.database_url,
            "OPENGOV_WORKER_BROKER_URL": self.broker,
            "OPENGOV_WORKER_QUEUE": self.queue,
            "OPENGOV_WORKER_KEY_PREFIX": self.prefix,
            "OPENGOV_WORKER_CONTROL": str(self.control),
            "OPENGOV_WORKER_BEAT_FILE": str(self.tmp / f"beat-{name}"),
        }
        log = self.tmp / f"{name}.log"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.reports.worker_app",
                "worker",
                "--loglevel=INFO",
                f"--hostname={name}@%h",
                "--without-gossip",
                "--without-mingle",
                *options,
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log = log
        self.processes.append(process)
        return process

    def wait_ready(self, *processes):
        """Wait until the workers, started side by side, take jobs."""
        for process in processes:
            wait_for(
                lambda p=process: "ready." in p.log.read_text() or p.poll() is not None,
                timeout=60,
                message=f"worker {process.args} did not start",
            )
            assert process.poll() is None, process.log.read_text()

    def send(self, *args):
        self.app.send_task(QUARTERLY, args=list(args))

    def idle(self):
        """Nothing waits in the queue and nothing is taken but unacknowledged (a retry
        waiting for its countdown is held unacknowledged by its worker)."""
        return not self.redis.llen(self.prefix + self.queue) and not self.redis.hlen(
            self.prefix + "unacked"
        )

    def markers(self, prefix):
        return sorted(p.name for p in self.control.iterdir() if p.name.startswith(prefix))

    def kill(self, process):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=20)

    def count(self, model, **filters):
        """Rows the workers committed, read from the shared database."""
        if self.sqlite_file is None:
            return model.objects.filter(**filters).count()
        table = model._meta.db_table
        where = " AND ".join(f"{field} = ?" for field in filters) or "1 = 1"
        with sqlite3.connect(self.sqlite_file, timeout=20) as db:
            return db.execute(
                f"SELECT COUNT(*) FROM {table} WHERE {where}", list(filters.values())
            ).fetchone()[0]

    def collect(self):
        """Stop the workers and bring what they wrote back into the test's database."""
        self.stop()
        if self.sqlite_file is not None:
            with sqlite3.connect(self.sqlite_file) as source:
                source.backup(connection.connection)
            source.close()
        leftovers = self.redis.keys(f"{self.prefix}*")
        if leftovers:
            self.redis.delete(*leftovers)


@pytest.fixture
def workers(tmp_path):
    service_url("redis")
    started = []

    def make():
        pool = Workers(tmp_path / f"run{len(started)}")
        started.append(pool)
        return pool

    yield make
    for pool in started:
        pool.stop()


@pytest.fixture
def quarter_2025q3(catalogue, organisation):
    """The catalogue live since 1 July 2025 (so 2025Q3 is the one period due on 10 October)
    and one request of the quarter."""
    make_request(organisation, "commercial", date(2025, 7, 2), Outcome.DISCLOSED, date(2025, 7, 20))
    return organisation


def test_a_job_delivered_twice_and_retried_after_a_database_error_makes_one_report(
    workers, quarter_2025q3
):
    pool = workers()
    (pool.control / "fail-once").touch()
    pool.wait_ready(pool.start("one", "--pool=solo"), pool.start("two", "--pool=solo"))
    # The same job, twice at once, then once more while the first attempt is retried.
    pool.send("2025-10-10")
    pool.send("2025-10-10")
    wait_for(
        lambda: pool.count(QuarterlyReportPage, report_year=2025, quarter=3) == 1,
        timeout=60,
        message="no report was made",
    )
    pool.send("2025-10-10")
    wait_for(pool.idle, timeout=60, message="the jobs did not finish")
    pool.collect()
    assert not (pool.control / "fail-once").exists(), "the failing attempt never ran"
    # The attempt that failed rolled back; the retry or the duplicate made the report.
    assert len(pool.markers("attempt-")) >= 2
    page = QuarterlyReportPage.objects.get()
    assert page.live and page.period == Period(2025, 3)
    assert page.statistics["requests"]["handled"]["commercial"] == 1


@pytest.mark.slow
def test_a_worker_killed_while_it_holds_the_work_is_recovered_with_one_report(
    workers, quarter_2025q3
):
    pool = workers()
    (pool.control / "hold").touch()
    first = pool.start("first", "--pool=solo")
    pool.wait_ready(first)
    pool.send("2025-10-10")
    wait_for(lambda: pool.markers("holding-"), timeout=60, message="the job never started")
    # Killed in the middle: the report published inside a transaction not yet committed,
    # the message taken from the queue but not acknowledged.
    pool.kill(first)
    assert pool.count(QuarterlyReportPage) == 0
    (pool.control / "hold").unlink()
    pool.wait_ready(pool.start("second", "--pool=solo"))
    wait_for(
        lambda: pool.count(QuarterlyReportPage) == 1,
        timeout=60,
        message="the job was not delivered again after the worker died",
    )
    wait_for(pool.idle, timeout=60, message="the job was not acknowledged")
    pool.collect()
    assert len(pool.markers("attempt-")) == 2
    assert QuarterlyReportPage.objects.get().live


@pytest.mark.slow
def test_two_beats_fire_the_schedule_and_each_due_report_is_made_once(
    workers, catalogue, organisation
):
    today = timezone.localdate()
    due = Period.quarter_of(today).previous()
    # Live since the start of the last quarter: that quarter, and (in a first quarter) the
    # past year, are due; nothing before.
    set_up_on(catalogue, due.start)
    pool = workers()
    pool.wait_ready(
        pool.start("north", "--pool=solo", "--beat"), pool.start("south", "--pool=solo", "--beat")
    )
    wait_for(
        lambda: pool.count(QuarterlyReportPage) >= 1,
        timeout=60,
        message="the beat schedule did not fire the quarterly job",
    )
    time.sleep(3)  # a few more beats from both schedulers
    pool.collect()
    sent = sum(
        process.log.read_text().count(f"Scheduler: Sending due task {QUARTERLY}")
        for process in pool.processes
    )
    assert sent >= 4, "both beats should have sent the job several times"
    assert list(QuarterlyReportPage.objects.values_list("report_year", "quarter")) == [
        (due.year, due.quarter)
    ]
    annual = list(AnnualReportPage.objects.values_list("report_year", flat=True))
    assert annual == ([today.year - 1] if due.quarter == 4 else [])
