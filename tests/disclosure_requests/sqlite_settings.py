"""Settings of the SQLite load run (tests/disclosure_requests/sqlite_load.py): the test
settings on a database file with the options the package recommends for SQLite."""

import os

import opengov_cms
from tests.settings import *  # noqa: F403

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["OPENGOV_SQLITE_FILE"],
        "OPTIONS": {**opengov_cms.SQLITE_OPTIONS},
    }
}
# Many submitters from one address: the per-address limit is not what is tested here.
OPENGOV_CMS_REQUESTS_SUBMIT_RATE = (10_000, 3600)
