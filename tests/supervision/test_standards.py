"""The standard catalogue as data: the fixture format and its errors, and an organisation
checked against a fixture item by item, with the self-check sheet."""

import copy
import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import PageViewRestriction

from opengov_cms.supervision import standards
from opengov_cms.supervision.choices import ItemStatus, TimeLimitKind
from opengov_cms.supervision.models import StandardCatalogue, StandardItemSections
from tests.clock import UNKNOWN_YEAR
from tests.supervision.conftest import refused

pytestmark = pytest.mark.django_db


def item(number, name, sections=(), **extra):
    return {
        "number": number,
        "category": "公共服务",
        "name": name,
        "content": ["机构名称", "开放时间"],
        "basis": ["《中华人民共和国政府信息公开条例》"],
        "time_limit": {"text": "信息形成或者变更之日起20个工作日内公开", "working_days": 20},
        "subject": "县级文化和旅游行政部门",
        "channels": ["政府网站"],
        "sections": list(sections),
        **extra,
    }


FIXTURE = {
    "format": "opengov_cms.standard_catalogue",
    "version": 1,
    "code": "test-culture",
    "domain": "公共文化服务",
    "title": "测试用公共文化服务标准目录",
    "source": {"title": "测试", "document_number": "测〔2026〕1号", "date": "2026-01-05"},
    "items": [
        item("1", "按时公开的事项", ["budgets"]),
        item("2", "超过时限公开的事项", ["normative"]),
        item("3", "长期未更新的事项", ["culture"]),
        item("4", "未公开的事项", ["heritage"]),
        item("5", "未对应栏目的事项"),
        item(
            "6",
            "按自然日计、未填成文日期的事项",
            ["finance"],
            time_limit={"text": "7日内", "days": 7},
        ),
        item("7", "节假日安排未知的事项", ["key-areas"]),
    ],
}


def test_the_shipped_example_loads_and_says_it_is_an_example():
    (path,) = standards.shipped_fixtures()
    catalogue, created = standards.load_fixture(path.read_bytes())
    assert created and catalogue.is_example
    assert "未能找到原文" in catalogue.note
    first, second = catalogue.items.all()
    assert (first.number, first.name) == ("1", "公共文化机构免费开放信息")
    assert first.content.splitlines() == [
        "机构名称",
        "开放时间",
        "机构地址",
        "联系电话",
        "临时停止开放信息",
    ]
    assert (first.time_limit_kind, first.time_limit_days) == (TimeLimitKind.WORKING_DAYS, 20)
    assert first.default_section_slugs == ["key-areas"]
    assert second.name == "特殊群体公共文化服务信息" and second.default_section_slugs == []
    # Loaded again: the same catalogue, the same items.
    again, created = standards.load_fixture(path.read_bytes())
    assert not created and again.pk == catalogue.pk and again.items.count() == 2


def test_every_error_of_a_fixture_is_named_and_nothing_changes():
    catalogue, _ = standards.load_fixture(json.dumps(FIXTURE))
    broken = copy.deepcopy(FIXTURE)
    broken["items"][0]["name"] = ""
    broken["items"][1]["time_limit"] = {"working_days": 0}
    broken["items"][2]["number"] = "1"
    broken["items"][3]["content"] = {"不是": "文字"}
    broken["items"][4]["sections"] = "budgets"
    del broken["items"][5]
    with pytest.raises(standards.FixtureError) as raised:
        standards.load_fixture(json.dumps(broken, ensure_ascii=False).encode())
    assert raised.value.errors == [
        "第1项（序号1）name：不能为空",
        "第2项（序号2）time_limit.working_days：应为 1 到 3660 之间的整数",
        "第3项（序号1）number：与第1项重复",
        "第4项（序号4）content：应为文字或文字的列表",
        "第5项（序号5）sections：应为栏目短名称（slug）的列表",
    ]
    assert catalogue.items.count() == 7 and catalogue.items.filter(name="").count() == 0
    with pytest.raises(standards.FixtureError, match="第2行第1列：不是有效的 JSON"):
        standards.load_fixture(b'{"format":\n}')
    with pytest.raises(standards.FixtureError, match="format 应为"):
        standards.load_fixture({**FIXTURE, "format": "other"})


@pytest.fixture
def culture(catalogue):
    loaded, _ = standards.load_fixture(json.dumps(FIXTURE))
    return loaded


@pytest.fixture
def published(catalogue, publish_entry, bureau):
    def publish(section, title, written, published):
        return publish_entry(
            parent=catalogue[section],
            title=title,
            written_date=written,
            publication_date=published,
        )

    publish("budgets", "2026年部门预算", datetime.date(2026, 2, 2), datetime.date(2026, 2, 10))
    publish("normative", "迟发的规范性文件", datetime.date(2025, 12, 1), datetime.date(2026, 2, 20))
    publish("culture", "公共文化设施名录", datetime.date(2024, 9, 20), datetime.date(2024, 10, 1))
    hidden = publish(
        "heritage", "不公开的文件", datetime.date(2026, 3, 1), datetime.date(2026, 3, 2)
    )
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    entry = publish("finance", "未填成文日期的信息", None, datetime.date(2026, 3, 1))
    entry.written_date = None
    entry.save_revision().publish()
    day = datetime.date(UNKNOWN_YEAR, 1, 6)
    publish("key-areas", "未知年份的信息", day, day)


def test_each_item_as_the_organisation_publishes_it(bureau, culture, published):
    results = standards.check(bureau, culture, datetime.date(2026, 3, 18))
    found = {r.item.number: (r.status, r.latest.title if r.latest else None) for r in results}
    assert found == {
        "1": (ItemStatus.ON_TIME, "2026年部门预算"),
        "2": (ItemStatus.LATE, "迟发的规范性文件"),
        "3": (ItemStatus.STALE, "公共文化设施名录"),
        "4": (ItemStatus.MISSING, None),  # its only entry may not leave the site
        "5": (ItemStatus.UNMAPPED, None),
        "6": (ItemStatus.PUBLISHED, "未填成文日期的信息"),
        "7": (ItemStatus.UNKNOWN, "未知年份的信息"),
    }
    late = results[1]
    assert late.note.startswith("成文日期2025-12-01，应于") and "2026-02-20才公开" in late.note
    assert str(UNKNOWN_YEAR) in results[6].note
    assert standards.summary(results)[0] == ("on_time", "按时公开", 1)


def test_the_organisations_own_sections_replace_the_defaults(bureau, culture, published, catalogue):
    unmapped = culture.items.get(number="5")
    mapping = StandardItemSections.objects.create(organisation=bureau, item=unmapped)
    mapping.sections.set([catalogue["budgets"]])
    late = culture.items.get(number="2")
    StandardItemSections.objects.create(organisation=bureau, item=late)  # mapped to nothing
    results = {r.item.number: r for r in standards.check(bureau, culture)}
    assert results["5"].status == ItemStatus.ON_TIME
    assert results["2"].status == ItemStatus.UNMAPPED


def test_another_organisations_sections_do_not_count(culture, published, other_bureau):
    results = standards.check(other_bureau["organisation"], culture)
    assert {r.status for r in results} == {ItemStatus.UNMAPPED}


def test_the_check_costs_the_same_however_many_entries(
    bureau, culture, published, publish_entry, catalogue
):
    standards.check(bureau, culture)  # the holiday calendar is read once per process
    with CaptureQueriesContext(connection) as few:
        standards.check(bureau, culture)
    for n in range(15):
        for section in ("budgets", "normative", "culture", "key-areas"):
            publish_entry(
                parent=catalogue[section],
                title=f"更多信息{section}{n}",
                written_date=datetime.date(2023, 1, 2),
                publication_date=datetime.date(2023, 1, 3),
            )
    with CaptureQueriesContext(connection) as many:
        results = standards.check(bureau, culture)
    assert len(many) == len(few)
    assert results[0].latest.title == "2026年部门预算"


def test_the_self_check_sheet(bureau, culture, published):
    culture.title = "=危险标题"
    results = standards.check(bureau, culture, datetime.date(2026, 3, 18))
    content = standards.self_check_workbook(bureau, culture, results, datetime.date(2026, 3, 18))
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "六安市文化和旅游局《=危险标题》自查表"
    assert rows[1][0] == "自查日期：2026-03-18"
    header = rows.index(next(r for r in rows if r and r[0] == "序号"))
    body = rows[header + 1 : header + 8]
    assert [(r[0], r[2], r[12]) for r in body] == [
        ("1", "按时公开的事项", "按时公开"),
        ("2", "超过时限公开的事项", "超过时限公开"),
        ("3", "长期未更新的事项", "长期未更新"),
        ("4", "未公开的事项", "未公开"),
        ("5", "未对应栏目的事项", "未对应栏目"),
        ("6", "按自然日计、未填成文日期的事项", "已公开（无法核对时限）"),
        ("7", "节假日安排未知的事项", "无法判断（缺少节假日安排）"),
    ]
    assert body[0][8] == "预算决算" and body[0][11] == datetime.datetime(2026, 2, 10)
    summary = [r[0] for r in rows[header + 8 :] if r and r[0]]
    assert summary == [
        "按时公开：1",
        "已公开（无法核对时限）：1",
        "超过时限公开：1",
        "长期未更新：1",
        "未公开：1",
        "未对应栏目：1",
        "无法判断（缺少节假日安排）：1",
    ]


def test_the_admin_screens(client, bureau, culture, published, office_user, finance_user):
    url = reverse("opengov_supervision_check:index")
    client.force_login(finance_user)
    assert refused(client.get(url))
    client.force_login(office_user)
    query = f"?organisation={bureau.pk}&catalogue={culture.pk}"
    page = client.get(url + query).content.decode()
    assert "超过时限公开" in page and "2026年部门预算" in page and "未对应栏目" in page
    sheet = client.get(url + query + "&export=xlsx")
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(url + "?organisation=999999&catalogue=1").status_code == 400

    imports = reverse("opengov_supervision_standards:import")
    broken = json.dumps({**FIXTURE, "items": [item("1", "")]}).encode()
    response = client.post(imports, {"file": SimpleUploadedFile("目录.json", broken)})
    assert response.status_code == 400
    assert "第1项（序号1）name：不能为空" in response.content.decode()
    response = client.post(imports, {"shipped": "public-culture-example.json"})
    assert response.status_code == 302
    assert StandardCatalogue.objects.filter(code="public-culture-example").exists()
    client.force_login(finance_user)
    assert refused(client.post(imports, {"shipped": "public-culture-example.json"}))


def test_the_setup_command_makes_the_groups_and_loads_the_shipped_catalogues(db):
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from opengov_cms.supervision.setup import OFFICE_GROUP, UNIT_GROUP

    for _ in range(2):
        call_command("opengov_supervision_setup", verbosity=0)
    office, unit = Group.objects.get(name=OFFICE_GROUP), Group.objects.get(name=UNIT_GROUP)
    assert set(unit.permissions.values_list("codename", flat=True)) == {
        "access_admin",
        "submit_submission",
        "report_rectification",
    }
    assert {"review_submission", "close_rectification", "change_plantask"} <= set(
        office.permissions.values_list("codename", flat=True)
    )
    assert StandardCatalogue.objects.get().code == "public-culture-example"
