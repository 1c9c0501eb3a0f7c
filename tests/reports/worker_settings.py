"""Settings of the real Celery worker (and beat) the report integration tests start in
another process: the test suite's settings, on the test's database and private queue."""

import os

import dj_database_url

from opengov_cms.schedule import BEAT_SCHEDULE
from tests.settings import *  # noqa: F403

DATABASES = {"default": dj_database_url.parse(os.environ["OPENGOV_WORKER_DATABASE_URL"])}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two workers share one file: a writer waits for the other rather than failing at once.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}

CELERY_BROKER_URL = os.environ["OPENGOV_WORKER_BROKER_URL"]
CELERY_TASK_DEFAULT_QUEUE = os.environ["OPENGOV_WORKER_QUEUE"]
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Every key of this run under its own prefix, so other runs on the server are untouched.
    "global_keyprefix": os.environ["OPENGOV_WORKER_KEY_PREFIX"],
    # A message whose worker died is handed out again after two seconds, not an hour.
    "visibility_timeout": 2,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = False
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The package's report jobs, every second instead of every hour.
CELERY_BEAT_SCHEDULE = {
    name: {**entry, "schedule": 1.0}
    for name, entry in BEAT_SCHEDULE.items()
    if name.startswith("opengov_cms.reports.")
}
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get("OPENGOV_WORKER_BEAT_FILE", "")

OPENGOV_CMS_REPORTS_QUARTERLY_PUBLICATION = "live"
OPENGOV_CMS_REPORTS_QUARTERLY_DAY = 1
