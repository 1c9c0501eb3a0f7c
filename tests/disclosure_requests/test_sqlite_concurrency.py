"""SQLite is enough for a small bureau: with opengov_cms.SQLITE_OPTIONS, 20 applicants
submitting at once while an editor republishes pages get no error, and every application
gets its own tracking number."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from opengov_cms.disclosure_requests.models import DisclosureRequest, RequestFormPage

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_twenty_submitters_and_a_publishing_editor_on_sqlite(
    home_page, organisation, publish_entry, tmp_path
):
    if connection.vendor != "sqlite":
        pytest.skip("this is about SQLite (the PostgreSQL pass has its own concurrency tests)")
    form_page = RequestFormPage(title="申请", slug="apply", organisation=organisation)
    home_page.add_child(instance=form_page)
    form_page.save_revision().publish()
    entries = [publish_entry(title=f"通知{n}") for n in range(3)]
    database = tmp_path / "site.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(database) as target:
        connection.connection.backup(target)
    target.close()

    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.disclosure_requests.sqlite_load",
            form_page.url,
            *[str(entry.pk) for entry in entries],
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.disclosure_requests.sqlite_settings",
            "OPENGOV_SQLITE_FILE": str(database),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    outcome = json.loads(run.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == []
    assert outcome["statuses"] == [302] * 40

    with sqlite3.connect(database) as db:
        numbers = [
            row[0]
            for row in db.execute(f"SELECT tracking_number FROM {DisclosureRequest._meta.db_table}")
        ]
        journal = db.execute("PRAGMA journal_mode").fetchone()[0]
    assert len(numbers) == len(set(numbers)) == 40
    assert journal == "wal"
