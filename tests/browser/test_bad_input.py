"""Hostile input typed into the public pages through the browser: every answer is the page
with a visible message, never an error page, and nothing typed runs as script."""

import re
from urllib.parse import quote

import pytest

from tests.browser.conftest import invalid_fields
from tests.browser.test_pages import OPEN_CONSULTATION, REQUEST_FORM

pytestmark = pytest.mark.browser

SCRIPT = "<script>alert('x')</script><img src=x onerror=alert(1)>"
HOSTILE_QUERIES = [
    '预算 & | ! ( ) " ~ * :',
    '"政务公开" AND (预算 OR !决算) ~2 title:* \\',
    SCRIPT,
    "预算\x00\x01\x7f\u200b\ufeff",
    "公开" * 3000,
    "' OR 1=1 --",
]


def drop_maxlength(page):
    """What a script (or an old browser) can do: the server must still refuse long input."""
    page.evaluate(
        "document.querySelectorAll('[maxlength]').forEach(e => e.removeAttribute('maxlength'))"
    )


def sent(page, click):
    """Click, wait for the page that answers, and return its HTTP status."""
    with page.expect_navigation() as navigation:
        click()
    return navigation.value.status


def assert_no_error_page(page, status):
    assert status < 500, f"HTTP {status} at {page.url}"
    assert page.get_by_role("heading", level=1).count() == 1
    assert "Traceback" not in page.content()


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_hostile_search_queries(visitor, query):
    page = visitor.page
    visitor.goto("/opengov/search/")
    page.get_by_label("检索词").fill(query)
    status = sent(page, page.locator("form.opengov-search-form button").click)
    assert_no_error_page(page, status)
    assert page.get_by_role("status").inner_text().startswith("共找到")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=abc", "所选的年份不存在"),
        ("year=99999999999999999999", "所选的年份不存在"),
        ("organisation=-1", "所选的发布机构不存在"),
        ("topic=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "所选的主题分类不存在"),
        ("validity=%00", "所选的有效性不存在"),
        ("sort=date%27%3B--", "所选的排序不存在"),
        ("after=%21%21not-a-cursor", "翻页参数不正确"),
        ("after=" + quote("W10"), "翻页参数不正确"),
    ],
)
def test_invalid_filters_in_the_address(visitor, query, message):
    page = visitor.page
    response = visitor.goto(f"/xxgk/finance/budgets/?{query}")
    assert_no_error_page(page, response.status)
    assert response.status == 400
    assert message in page.locator("form.opengov-filters").inner_text()
    for field in invalid_fields(page):
        assert field["description"], f"{field['name']} is not described by its error"


def test_invalid_ids_in_the_address_are_not_found(visitor):
    for path in (
        "/opengov/catalogue/999999/feed/",
        "/opengov/catalogue/abc/feed/",
        "/opengov/requests/documents/999999/",
        "/xxgk/no-such-section/",
    ):
        response = visitor.goto(path)
        assert response.status == 404, path


def test_hostile_application(visitor):
    page = visitor.page
    visitor.goto(REQUEST_FORM)
    page.get_by_label("自然人", exact=True).check()
    page.get_by_label(re.compile(r"^姓名\*?$")).fill(SCRIPT[:50])
    page.get_by_label("证件类型").select_option(label="居民身份证")
    page.get_by_label("证件号码").fill("11010519491231002\x00")
    page.get_by_label("联系电话").fill("!(~*:)|&")
    page.get_by_label("电子邮箱").fill("a@b")
    drop_maxlength(page)
    page.get_by_label("所需信息的内容描述").fill("长" * 6000)
    page.get_by_label("纸质", exact=True).check()
    page.get_by_label("邮寄", exact=True).check()
    status = sent(page, page.get_by_role("button", name="提交申请").click)
    assert_no_error_page(page, status)
    assert status == 400
    fields = {f["name"]: f["description"] for f in invalid_fields(page)}
    assert "内容过长，最多5000个字符。" in fields["description"]
    assert "请填写11位手机号码" in fields["phone"]
    assert "电子邮箱" in fields["email"]
    assert fields["id_number"] and fields["address"] and fields["postcode"]
    summary = page.get_by_role("alert").inner_text()
    assert "需要修改" in summary and "联系电话" in summary
    # What was typed comes back as text, never as markup.
    assert page.get_by_label(re.compile(r"^姓名\*?$")).input_value() == SCRIPT[:50]


def test_hostile_status_lookup(visitor):
    page = visitor.page
    visitor.goto("/opengov/requests/status/")
    page.get_by_label("申请编号").fill(SCRIPT)
    drop_maxlength(page)
    page.get_by_label("查询码").fill("x" * 500 + "\x00")
    status = sent(page, page.get_by_role("button", name="查询").click)
    assert_no_error_page(page, status)
    fields = {f["name"]: f["description"] for f in invalid_fields(page)}
    assert "内容过长，请核对。" in fields["query_code"]

    page.get_by_label("申请编号").fill("' OR 1=1 --")
    page.get_by_label("查询码").fill("&|!()~*:")
    status = sent(page, page.get_by_role("button", name="查询").click)
    assert_no_error_page(page, status)
    assert "申请编号或查询码不正确" in page.get_by_role("alert").inner_text()


def test_hostile_comment(visitor):
    page = visitor.page
    visitor.goto(OPEN_CONSULTATION)
    page.get_by_label("姓名或单位（选填）").fill(SCRIPT[:100])
    drop_maxlength(page)
    page.get_by_label("意见内容").fill("意" * 2500)
    status = sent(page, page.get_by_role("button", name="提交意见").click)
    assert_no_error_page(page, status)
    fields = {f["name"]: f["description"] for f in invalid_fields(page)}
    assert "意见内容不能超过2000字" in fields["body"]
    assert "不超过2000字" in fields["body"], "the help text stays tied to the field"
