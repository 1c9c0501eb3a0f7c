"""Importing a legacy catalogue: dry run, row errors by line, nothing half-imported, resume."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from opengov_cms.catalogue.models import CatalogueItem, DisclosureEntryPage, ImportedRow
from opengov_cms.core.models import IndexNumber
from tests.catalogue.factories import GenreFactory, TopicFactory

HEADER = "标题,索引号,文号,发布机构,主题分类,文种,文件类型,成文日期,发布日期,有效性,内容概述,正文\n"


def write_csv(tmp_path, lines, encoding="utf-8-sig", name="legacy.csv"):
    path = tmp_path / name
    path.write_bytes((HEADER + "".join(lines)).encode(encoding))
    return path


def good_lines(count, start=1):
    return [
        f"关于第{n}批文化项目的通知,,六文旅[2019]{n}号,六安市文化和旅游局,文化,通知,,"
        f"2019-03-{(n % 27) + 1:02d},2019/04/01,有效,项目安排,第一段\n"
        for n in range(start, start + count)
    ]


@pytest.fixture
def taxonomies(db):
    TopicFactory(name="文化", code="culture")
    GenreFactory(name="通知", code="notice")


def run(path, section, **options):
    call_command("opengov_import", str(path), section=section.pk, verbosity=0, **options)


def test_a_good_file_is_imported_in_bulk_and_listed(tmp_path, section, taxonomies, client):
    path = write_csv(tmp_path, good_lines(30))
    run(path, section, batch_size=7)
    assert DisclosureEntryPage.objects.count() == 30
    assert CatalogueItem.objects.count() == 30
    page = DisclosureEntryPage.objects.get(title="关于第5批文化项目的通知")
    assert page.live and page.get_parent().slug == "2019"
    assert page.document_number == "六文旅〔2019〕5号"
    assert page.publication_date == datetime.date(2019, 4, 1)
    assert page.index_number.startswith("11341500MB1234567K/2019-")
    assert IndexNumber.objects.filter(page_id=page.pk).exists()
    # The tree is sound: Wagtail can add to it and serve what was imported.
    assert client.get(page.url).status_code == 200
    listing = client.get(section.get_url()).context["listing"]
    assert len(listing.items) == 20
    from wagtail.models import Page

    assert Page.find_problems() == ([], [], [], [], [])


def test_an_import_reads_the_site_root_paths_once_per_batch(tmp_path, section, taxonomies):
    """The listing rows of imported pages carry their URLs, made without a round trip to
    the cache for each page."""
    from unittest import mock

    from wagtail.models import Site

    with mock.patch.object(
        Site, "get_site_root_paths", wraps=Site.get_site_root_paths
    ) as read_paths:
        run(write_csv(tmp_path, good_lines(30)), section, batch_size=10)
    assert read_paths.call_count <= 3 + 1  # a batch each, and the year folder made once
    page = DisclosureEntryPage.objects.get(title="关于第5批文化项目的通知")
    assert CatalogueItem.objects.get(page_id=page.pk).url == page.url


def test_a_dry_run_writes_nothing(tmp_path, section, taxonomies, capsys):
    run(write_csv(tmp_path, good_lines(3)), section, dry_run=True)
    assert DisclosureEntryPage.objects.count() == 0
    assert "3 row(s) would be imported" in capsys.readouterr().out


def test_row_errors_name_their_lines_and_nothing_is_imported(tmp_path, section, taxonomies, capsys):
    lines = good_lines(2) + [
        "坏日期的通知,,,六安市文化和旅游局,,,,2019-13-45,,有效,,\n",
        "未知机构的通知,,,不存在的局,,,,,,有效,,\n",
        "重复索引号一,X/2019-1,,六安市文化和旅游局,,,,,,有效,,\n",
        "重复索引号二,X/2019-1,,六安市文化和旅游局,,,,,,有效,,\n",
        "错误文种,,,六安市文化和旅游局,,公函,,,,过期,,\n",
    ]
    with pytest.raises(CommandError, match="nothing was imported"):
        run(write_csv(tmp_path, lines), section)
    err = capsys.readouterr().err
    assert "第4行 成文日期：日期“2019-13-45”无法识别" in err
    assert "第5行 发布机构：找不到机构“不存在的局”" in err
    assert "第7行 索引号：与第6行重复" in err
    assert "第8行 文种：没有名为“公函”的文种" in err
    assert "第8行 有效性" in err
    assert DisclosureEntryPage.objects.count() == 0


def test_bad_encoding_names_the_line(tmp_path, section, taxonomies):
    path = write_csv(tmp_path, good_lines(2), encoding="gb18030")
    with pytest.raises(CommandError, match="第1行不是 utf-8-sig 编码"):
        run(path, section)
    run(path, section, encoding="gb18030")
    assert DisclosureEntryPage.objects.count() == 2


def test_missing_columns_and_wrong_section_are_reported(tmp_path, section, taxonomies):
    path = tmp_path / "bad.csv"
    path.write_text("名称,日期\n一,二\n", encoding="utf-8")
    with pytest.raises(CommandError, match="缺少必需的列：标题、发布机构"):
        run(path, section)
    with pytest.raises(CommandError, match="No catalogue section with page id 999999"):
        call_command("opengov_import", str(path), section=999999)


def test_an_index_number_used_before_is_refused(tmp_path, section, taxonomies, publish_entry):
    used = publish_entry().index_number
    line = f"沿用旧索引号,{used},,六安市文化和旅游局,,,,,,有效,,\n"
    with pytest.raises(CommandError):
        run(write_csv(tmp_path, [line]), section)


def test_an_interrupted_import_is_finished_by_running_it_again(tmp_path, section, taxonomies):
    first_half = write_csv(tmp_path, good_lines(5), name="part.csv")
    run(first_half, section)  # as if the run had stopped after these rows
    whole = write_csv(tmp_path, good_lines(12), name="whole.csv")
    run(whole, section)
    assert DisclosureEntryPage.objects.count() == 12
    assert ImportedRow.objects.count() == 12
    run(whole, section)
    assert DisclosureEntryPage.objects.count() == 12


def test_xlsx_with_real_dates(tmp_path, section, taxonomies):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["标题", "发布机构", "成文日期", "文号"])
    sheet.append(
        ["表格导入的通知", "六安市文化和旅游局", datetime.datetime(2020, 5, 6), "六文旅(2020)8号"]
    )
    path = tmp_path / "legacy.xlsx"
    workbook.save(path)
    run(path, section)
    page = DisclosureEntryPage.objects.get()
    assert page.written_date == datetime.date(2020, 5, 6)
    assert page.document_number == "六文旅〔2020〕8号"


def test_no_statement_of_a_large_import_passes_the_databases_parameter_limit(
    tmp_path, section, taxonomies
):
    """SQLite before 3.32 refuses a statement of more than 999 parameters, and every
    version keeps each distinct statement it compiled: a thousand pages in one statement
    cost megabytes of memory that the importing process never gives back."""
    from django.db import connection

    limit = connection.features.max_query_params
    largest = [0]

    def measure(execute, sql, params, many, context):
        if not many:
            largest[0] = max(largest[0], len(params or ()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(measure):
        run(write_csv(tmp_path, good_lines(120)), section, batch_size=120)
    assert DisclosureEntryPage.objects.count() == 120
    assert largest[0] > 100, "the pages went in a few statements, not one each"
    if limit:
        assert largest[0] <= limit
