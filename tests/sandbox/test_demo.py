"""`make demo`'s steps on a fresh sandbox: migrate, demo data (twice), admin, then the site
served with a Celery worker and beat on the broker that needs no server."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SANDBOX = Path(__file__).resolve().parents[2] / "sandbox"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.5)
    return False


@pytest.fixture
def sandbox_env(tmp_path):
    env = {
        **os.environ,
        "SANDBOX_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "sandbox.settings.dev",
        "PYTHON": sys.executable,
    }
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "OPENGOV_SEARCH_BACKEND"):
        env.pop(name, None)
    return env


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=SANDBOX,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


COUNT = (
    "from opengov_cms.policies.models import ConsultationPage as C; "
    "from opengov_cms.core.models import Organisation as O; "
    "from opengov_cms.catalogue.models import DisclosureEntryPage as E; "
    "from opengov_cms.supervision.models import PlanTask as T, Rectification as R; "
    "from opengov_cms.interaction.models import ConcernResponsePage as CR, Message as M; "
    "from opengov_cms.reports.models import AnnualReportPage as A; "
    "from opengov_cms.core.models import Membership as H; "
    "print(C.objects.count(), O.objects.filter(parent=None).count(), E.objects.count(), "
    "T.objects.count(), R.objects.count(), M.objects.count(), CR.objects.count(), "
    "O.objects.filter(parent__is_competent_department=True).count(), "
    "A.objects.filter(covers_organisations_below=True, live=True).count(), "
    "H.objects.filter(role='head', user__groups__name='政务公开办公室负责人').count())"
)

SCHEDULE_AND_SEND = """
from datetime import timedelta
from django.utils import timezone
from opengov_cms.core.tasks import publish_scheduled
from opengov_cms.policies.models import ConsultationPage
from opengov_cms.tasks import enqueue
page = ConsultationPage.objects.get(slug="2019-disclosure-plan-consultation")
page.unpublish()
page.go_live_at = timezone.now() + timedelta(seconds=1)
page.save_revision().publish()
page.refresh_from_db()
assert not page.live
import time; time.sleep(1.5)
enqueue(publish_scheduled)
"""


def test_demo_data_is_idempotent_and_the_site_runs_with_worker_and_beat(sandbox_env, tmp_path):
    manage(sandbox_env, "migrate", "--noinput")
    manage(sandbox_env, "load_demo_data")
    manage(sandbox_env, "load_demo_data")
    # The city office with two departments under it (the bureau and 六安市教育体育局), four
    # entries of the bureau's and one of the second department's; the seed plan's 16
    # numbered items are the tasks of its 责任分解表; eleven messages and one response to a
    # concern; one published city-wide annual report.
    counts = manage(sandbox_env, "shell", "-c", COUNT).splitlines()[-1].split()
    assert counts == ["1", "1", "5", "16", "2", "11", "1", "2", "1", "2"]
    manage(sandbox_env, "load_demo_forms")
    credentials = manage(sandbox_env, "ensure_admin")
    assert "user: admin  password: " in credentials
    assert credentials == manage(sandbox_env, "ensure_admin"), "the password must stay"

    port = free_port()
    demo = subprocess.Popen(
        [str(SANDBOX / "run-demo")],
        env={**sandbox_env, "DEMO_PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    celery_log = tmp_path / "var" / "celery.log"
    try:
        assert wait_for(lambda: fetch(base + "/")[0] == 200, timeout=60), "no home page"
        status, home = fetch(base + "/")
        assert "政务公开实施方案征求意见" in home
        # A 政府信息公开 front page: the site's identity, the entrances, the latest of each
        # section, interpretations, consultations and the annual report.
        for text in (
            '<span class="opengov-site-name">六安市文化和旅游局</span>',
            '<a href="/xxgk/">政府信息公开</a>',
            '<a href="/apply/">政府信息公开申请</a>',
            "主办单位：六安市文化和旅游局",
            "皖ICP备00000000号（示例）",
            '<a href="/xxgk/guide/"><strong>政府信息公开指南</strong>',
            '<a href="/apply/"><strong>依申请公开</strong>',
            '<a href="/xxgk/finance/">财政信息</a></h3>',
            '六安市文化和旅游局2019年部门预算</a> <time datetime="2019-02-23">',
            "《六安市文化和旅游局政务公开工作制度》政策解读</a>",
            "2019年政府信息公开工作年度报告",
            'action="/opengov/search/"',
        ):
            assert text in home, text
        status, site_map = fetch(base + "/opengov/site-map/")
        assert status == 200 and '<a href="/xxgk/finance/budgets/">预算决算</a>' in site_map
        status, page = fetch(base + "/2019-disclosure-plan-consultation/")
        assert status == 200
        # A 2019 document's version history is dated 2019, not the day the demo was loaded.
        status, policy = fetch(base + "/xxgk/documents/normative/2019/disclosure-rules/")
        assert status == 200 and "2019-08-22 09:30" in policy
        for text in (
            "六安市文化和旅游局",
            "2019-06-26 17:25",
            "2019-07-04 10:30",
            "已结束",
            "本征集未收到相关网友反馈信息",
            "国办发〔2019〕14号",
        ):
            assert text in page
        assert fetch(base + "/admin/login/")[0] == 200
        status, catalogue = fetch(base + "/xxgk/finance/budgets/")
        assert status == 200 and "六安市文化和旅游局2019年部门预算" in catalogue
        status, interpretations = fetch(base + "/xxgk/interpretations/")
        assert status == 200 and "政务公开工作制度》政策解读" in interpretations
        status, guide = fetch(base + "/xxgk/guide/")
        assert status == 200 and "0564-3370000" in guide
        # The city-wide annual report of 2019 (汇总下级机构), published by the city office.
        status, city_report = fetch(base + "/szfb/annual-reports/2020/2019-city-annual-report/")
        assert status == 200 and "（汇总下级机构）" in city_report
        status, mailbox = fetch(base + "/mailbox/")
        assert status == 200 and "皋陶文化园周末是否开放" in mailbox
        assert "导游证年审" not in mailbox  # its sender did not allow publication

        assert wait_for(
            lambda: celery_log.exists() and "ready." in celery_log.read_text(), timeout=60
        ), "no worker"
        assert "beat: Starting" in celery_log.read_text()
        # A job sent through the folder broker is run by the worker.
        manage(sandbox_env, "shell", "-c", SCHEDULE_AND_SEND)
        assert wait_for(
            lambda: fetch(base + "/2019-disclosure-plan-consultation/")[0] == 200, timeout=60
        ), "the worker did not publish the page"
    finally:
        os.killpg(demo.pid, signal.SIGTERM)
        output, _ = demo.communicate(timeout=30)
    # The sign-in printed names the port the demo runs on.
    assert f"admin sign-in: http://127.0.0.1:{port}/admin/" in output
