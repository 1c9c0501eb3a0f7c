"""The staff dashboard: panels on the admin home, each with the right counts and a link to
the list it counts, costing the same few queries whatever the amount of data."""

import datetime
import itertools
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opengov_cms.catalogue.filing import add_to_section
from opengov_cms.disclosure_requests.models import DisclosureRequest
from opengov_cms.policies.models import HeldPublication, PolicyDocumentPage
from opengov_cms.reports.models import QuarterlyReportPage
from opengov_cms.reports.publishing import make_report
from opengov_cms.reports.statistics import Period
from opengov_cms.supervision import dashboard, workflow
from opengov_cms.supervision.models import PlanTask, Submission
from tests.disclosure_requests.factories import DisclosureRequestFactory

pytestmark = pytest.mark.django_db


def home(client):
    return client.get(reverse("wagtailadmin_home")).content.decode()


def panel(page, id_):
    """The text of the dashboard panel ``id_`` on the admin home, links with their URLs."""
    match = re.search(rf'<section[^>]*id="{id_}-section".*?</section>', page, re.S)
    return match.group(0) if match else None


def counted(html):
    """{label: (count, url)} of a panel's counts."""
    return {
        label: (int(count), url.replace("&amp;", "&"))
        for url, label, count in re.findall(
            r'<a href="([^"]+)">([^<：]+)：<strong>(\d+)</strong></a>', html
        )
    }


def test_my_tasks(client, clock, budget_task, units, finance_user, office_user):
    client.force_login(finance_user)
    assert panel(home(client), "opengov-supervision-my-tasks") is None  # nothing due yet
    clock.move_to("2026-03-24 09:00")
    mine = counted(panel(home(client), "opengov-supervision-my-tasks"))
    assert mine["即将到期的报送"][0] == 1  # the unit's own, not the 办公室's
    assert mine["逾期未报"][0] == 0
    url = mine["即将到期的报送"][1]
    assert url.endswith("?scope=mine&due=soon")
    listing = client.get(url).content.decode()
    rows = re.findall(r'href="/admin/supervision/submissions/\d+/"', listing)
    assert len(rows) == 1 and "2026年第1季度" in listing

    clock.move_to("2026-04-02 09:00")
    client.force_login(finance_user)  # the session of 18 March has expired
    workflow.add_rectification(
        budget_task.plan.organisation,
        units["财务审计科"],
        "预算说明不全",
        datetime.date(2026, 4, 1),
        office_user,
    )
    mine = counted(panel(home(client), "opengov-supervision-my-tasks"))
    assert mine["逾期未报"][0] == 1 and mine["逾期未整改"][0] == 1
    listing = client.get(mine["逾期未整改"][1]).content.decode()
    assert "预算说明不全" in listing


def test_the_offices_overdue_panel(client, clock, budget_task, units, office_user, finance_user):
    clock.move_to("2026-03-30 09:00")
    client.force_login(office_user)
    office = counted(panel(home(client), "opengov-supervision-overdue"))
    assert office["逾期未报的材料"][0] == 2
    assert office["逾期未销号的整改事项"][0] == 0
    listing = client.get(office["逾期未报的材料"][1]).content.decode()
    assert "办公室" in listing and "财务审计科" in listing
    # A unit's staff do not get the office's panel.
    client.force_login(finance_user)
    assert panel(home(client), "opengov-supervision-overdue") is None


@pytest.fixture
def busy_site(bureau, catalogue, publish_entry, section):
    """Something for every panel: requests due, a held publication, empty and stale
    sections, and a report whose table fails the check rule."""

    numbers = itertools.count()

    def add(n=1):
        for _ in range(n):
            i = next(numbers)
            soon = DisclosureRequestFactory(
                organisation=bureau, received_on=datetime.date(2026, 3, 2)
            )
            late = DisclosureRequestFactory(
                organisation=bureau, received_on=datetime.date(2026, 2, 2)
            )
            DisclosureRequest.objects.filter(pk=soon.pk).update(due_date=datetime.date(2026, 3, 20))
            DisclosureRequest.objects.filter(pk=late.pk).update(due_date=datetime.date(2026, 3, 10))
            policy = add_to_section(
                section,
                PolicyDocumentPage(
                    organisation=bureau,
                    title=f"待解读的办法{i}",
                    slug=f"policy-{i}",
                    body="<p>第一条 为规范管理，制定本办法。</p>",
                    written_date=datetime.date(2026, 3, 1),
                    needs_interpretation=True,
                    live=False,
                ),
            )
            policy.save_revision().publish()
            publish_entry(
                parent=catalogue["culture"],
                title=f"旧信息{i}",
                slug=f"old-{i}",
                publication_date=datetime.date(2024, 1, 5),
            )

    add()
    report, _ = make_report(
        bureau,
        Period(2025, 4),
        root=catalogue["root"],
        publication="live",
        today=datetime.date(2026, 1, 10),
    )
    statistics = report.statistics
    statistics["requests"]["new"]["total"] += 1
    QuarterlyReportPage.objects.filter(pk=report.pk).update(statistics=statistics)
    return add


def test_the_whole_dashboard_for_the_office(admin_client, busy_site, budget_task, clock):
    clock.move_to("2026-03-18 10:00")
    page = home(admin_client)
    requests = counted(panel(page, "opengov-supervision-requests-due"))
    assert requests["5个工作日内到期"] == (1, "/admin/opengov_requests_admin/?due=soon")
    assert requests["已逾期"] == (1, "/admin/opengov_requests_admin/?due=overdue")
    inbox = admin_client.get(requests["已逾期"][1]).content.decode()
    assert inbox.count('href="/admin/opengov_requests_admin/') >= 1

    held = counted(panel(page, "opengov-supervision-held"))
    assert held["等待配套解读的发布"][0] == HeldPublication.objects.count() == 1
    listing = admin_client.get(held["等待配套解读的发布"][1]).content.decode()
    assert "待解读的办法0" in listing

    sections = counted(panel(page, "opengov-supervision-sections"))
    # Finance, budgets, key-areas, normative, heritage and the 法规文件 section (whose
    # policy waits for its interpretation) have nothing; the root has the report.
    assert sections["没有信息的栏目"][0] == 6
    assert sections["90天未更新的栏目"][0] == 1  # 公共文化, with an entry of 2024
    assert sections["没有信息的栏目"][1] == reverse("opengov_stale_sections")

    checks = counted(panel(page, "opengov-supervision-report-checks"))
    assert checks["不符合勾稽关系的报告"][0] == 1
    listing = admin_client.get(checks["不符合勾稽关系的报告"][1]).content.decode()
    assert f'href="/admin/pages/{QuarterlyReportPage.objects.get().pk}/edit/"' in listing
    assert "<td>总计</td>" in listing


def test_panels_cost_the_same_however_much_data(
    admin_client, django_user_model, busy_site, budget_task, units, office_user, finance_user
):
    admin = django_user_model.objects.get(username="admin")
    for user in (admin, office_user, finance_user):
        user = django_user_model.objects.get(pk=user.pk)
        dashboard.panels_for(user)  # the holiday calendar is read once per process
    counts = {}
    for round_ in ("few", "many"):
        if round_ == "many":
            busy_site(5)
            for number in range(4, 10):
                task = PlanTask.objects.create(
                    plan=budget_task.plan,
                    section_number=2,
                    number=number,
                    text=f"任务{number}",
                    lead_unit=units["财务审计科"],
                )
                task.cooperating_units.set([units["办公室"]])
        Submission.objects.update(due_date=datetime.date(2026, 3, 1))
        for user in (admin, office_user, finance_user):
            user = django_user_model.objects.get(pk=user.pk)
            with CaptureQueriesContext(connection) as queries:
                panels = dashboard.panels_for(user)
                html = "".join(p.render_html({}) for p in panels)
            counts[(round_, user.username)] = len(queries)
            assert html
    for user in (admin, office_user, finance_user):
        assert counts[("few", user.username)] == counts[("many", user.username)], counts


def test_no_panel_without_a_role(client, django_user_model, budget_task):
    user = django_user_model.objects.create_user("reader", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    page = home(client)
    assert "opengov-supervision" not in page
