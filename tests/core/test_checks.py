"""A misconfigured site is told what to fix by a system check naming the setting."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

import opengov_cms
from opengov_cms import checks

ROOT = Path(__file__).resolve().parents[2]


def run_checks():
    with pytest.raises(SystemCheckError) as excinfo:
        call_command("check")
    return str(excinfo.value)


def test_the_test_site_passes_every_check():
    call_command("check")


@pytest.mark.parametrize("missing", [*opengov_cms.INSTALLED_APPS, "wagtail.snippets"])
def test_an_app_missing_from_installed_apps_stops_startup(missing, tmp_path):
    # Wagtail's apps cannot be re-populated in one process, and startup is what this is
    # about: run `manage.py check` on a site whose settings lack the app.
    (tmp_path / "site_without_app.py").write_text(
        "from tests.settings import *  # noqa\n"
        f"INSTALLED_APPS = [a for a in INSTALLED_APPS if a != {missing!r}]\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--settings=site_without_app"],
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert f"INSTALLED_APPS lacks '{missing}'" in result.stderr
    if missing == "opengov_cms.core":
        # The others' models point at it: startup stops before any check can run.
        assert "ImproperlyConfigured" in result.stderr
    else:
        assert "opengov_cms.E001" in result.stderr
        assert "Traceback" not in result.stderr


def test_an_unknown_search_backend_is_named():
    with override_settings(OPENGOV_CMS_SEARCH={"BACKEND": "opengov_cms.search.nope.Backend"}):
        message = run_checks()
    assert "opengov_cms.E002" in message
    assert "OPENGOV_CMS_SEARCH['BACKEND'] = 'opengov_cms.search.nope.Backend'" in message


def test_a_search_setting_of_the_wrong_shape_is_named():
    with override_settings(OPENGOV_CMS_SEARCH="database"):
        message = run_checks()
    assert "OPENGOV_CMS_SEARCH must be a dict" in message


def test_an_unknown_task_runner_is_named():
    with override_settings(OPENGOV_CMS_TASK_RUNNER="cron"):
        message = run_checks()
    assert "opengov_cms.E003" in message
    assert "OPENGOV_CMS_TASK_RUNNER = 'cron'" in message


def test_celery_selected_but_not_installed(monkeypatch):
    real_find_spec = importlib.util.find_spec

    def without_celery(name, *args, **kwargs):
        return None if name == "celery" else real_find_spec(name, *args, **kwargs)

    monkeypatch.setattr(checks.importlib.util, "find_spec", without_celery)
    with override_settings(OPENGOV_CMS_TASK_RUNNER="celery"):
        message = run_checks()
    assert "opengov_cms.E004" in message
    assert "OPENGOV_CMS_TASK_RUNNER = 'celery' but Celery is not installed" in message


def test_celery_selected_and_installed_passes():
    with override_settings(OPENGOV_CMS_TASK_RUNNER="celery"):
        call_command("check")


def test_an_empty_secret_key_is_an_error():
    with override_settings(SECRET_KEY=""):
        message = run_checks()
    assert "opengov_cms.E005" in message
    assert "SECRET_KEY is empty" in message
