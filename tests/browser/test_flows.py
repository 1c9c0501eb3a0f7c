"""The main flows clicked through as a visitor would, with JavaScript turned off (lists,
filters and forms need none), and the application form filled in with the keyboard alone."""

import re
import time

import pytest

from tests.browser.conftest import assert_accessible, fetch
from tests.browser.test_pages import MESSAGE_BOX, OPEN_CONSULTATION, REQUEST_FORM

pytestmark = pytest.mark.browser

BUDGET = "六安市文化和旅游局2019年部门预算"
POLICY_TITLE = "六安市文化和旅游局政务公开工作制度"
INTERPRETATION_TITLE = "《六安市文化和旅游局政务公开工作制度》政策解读"


def wait_for_search_index(sandbox, timeout=90):
    """The demo's pages are indexed by the Celery worker beside the web server."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (
            'href="/xxgk/finance/budgets/2019/'
            in fetch(sandbox.url("/opengov/search/?q=%E9%A2%84%E7%AE%97"))[2]
        ):
            return
        time.sleep(0.5)
    pytest.fail("the worker did not index the demo pages")


def heading(page):
    return page.get_by_role("heading", level=1).inner_text()


def test_browse_a_section_and_filter_it(visitor_without_js):
    page = visitor_without_js.page
    visitor_without_js.goto("/")
    page.get_by_role("link", name="政府信息公开", exact=True).click()
    sections = page.get_by_role("navigation", name="栏目")
    sections.get_by_role("link", name="财政信息").click()
    page.get_by_role("navigation", name="栏目").get_by_role("link", name="预算决算").click()
    assert heading(page) == "预算决算"
    listing = page.get_by_role("table", name="信息列表")
    assert BUDGET in listing.inner_text()

    page.get_by_label("年份").select_option("2019")
    page.get_by_label("有效性").select_option(label="已废止")
    page.get_by_role("button", name="筛选", exact=True).click()
    assert "year=2019" in page.url and "validity=repealed" in page.url
    assert page.get_by_text("暂无符合条件的信息。").is_visible()
    assert page.get_by_label("年份").input_value() == "2019"

    page.get_by_label("有效性").select_option("")
    page.get_by_role("button", name="筛选", exact=True).click()
    assert BUDGET in page.get_by_role("table", name="信息列表").inner_text()
    page.get_by_role("link", name="清除筛选").click()
    assert "?" not in page.url


def test_open_an_entry_and_follow_it_to_its_interpretation(visitor_without_js):
    page = visitor_without_js.page
    visitor_without_js.goto("/xxgk/documents/normative/")
    page.get_by_role("table", name="信息列表").get_by_role("link", name=POLICY_TITLE).click()
    assert heading(page) == POLICY_TITLE
    assert "六文旅〔2019〕45号" in page.get_by_role("table", name="信息索引").inner_text()
    interpretations = page.locator("section", has=page.get_by_role("heading", name="政策解读"))
    interpretations.get_by_role("link", name=INTERPRETATION_TITLE).click()
    assert heading(page) == INTERPRETATION_TITLE
    page.get_by_role("link", name=POLICY_TITLE).click()
    assert heading(page) == POLICY_TITLE


def test_search_and_open_a_result(visitor_without_js, sandbox):
    wait_for_search_index(sandbox)
    page = visitor_without_js.page
    visitor_without_js.goto("/xxgk/")
    page.get_by_role("searchbox", name="站内检索").fill("部门预算")
    page.get_by_role("search", name="站内检索").get_by_role("button", name="检索").click()
    assert page.get_by_role("status").inner_text().startswith("共找到")
    assert page.get_by_label("检索词").input_value() == "部门预算"
    page.locator(".opengov-results").get_by_role("link", name=BUDGET).click()
    assert heading(page) == BUDGET


def fill_application(page, name, id_number):
    page.get_by_label("自然人", exact=True).check()
    page.get_by_label(re.compile(r"^姓名\*?$")).fill(name)
    page.get_by_label("证件类型").select_option(label="护照")
    page.get_by_label("证件号码").fill(id_number)
    page.get_by_label("联系电话").fill("13800138000")
    page.get_by_label("所需信息的内容描述").fill(
        "请提供本局2019年部门预算的编制说明和三公经费明细。"
    )
    page.get_by_label("电子数据").check()
    page.get_by_label("网上获取").check()


def read_row(page, label):
    return page.locator("tr", has=page.locator("th", has_text=label)).locator("td").inner_text()


def test_submit_a_request_and_look_it_up(visitor_without_js, sandbox):
    wait_for_search_index(sandbox)
    page = visitor_without_js.page
    visitor_without_js.goto(REQUEST_FORM)
    fill_application(page, "王小明", "E12345678")
    # Already disclosed information is suggested first; what was typed stays.
    page.get_by_role("button", name="先查找已公开的相关信息").click()
    suggestions = page.locator(
        "section", has=page.get_by_role("heading", name="可能已经公开的信息")
    )
    assert BUDGET in suggestions.inner_text()
    assert page.get_by_label(re.compile(r"^姓名\*?$")).input_value() == "王小明"
    assert page.get_by_label("网上获取").is_checked()

    page.get_by_role("button", name="提交申请").click()
    assert heading(page) == "申请已提交"
    tracking_number, query_code = read_row(page, "申请编号"), read_row(page, "查询码")
    assert re.fullmatch(r"\S+-\d{4}-\d{5}", tracking_number), tracking_number

    page.get_by_role("link", name="查询办理进度").click()
    page.get_by_label("申请编号").fill(tracking_number)
    page.get_by_label("查询码").fill(query_code)
    page.get_by_role("button", name="查询").click()
    result = page.get_by_role("heading", name=f"申请{tracking_number}的办理情况")
    assert result.is_visible()
    assert read_row(page, "受理机关") == "六安市文化和旅游局"
    assert read_row(page, "办理状态")
    assert "王小明" not in page.content() and "E12345678" not in page.content()

    page.get_by_label("查询码").fill("wrong-code")
    page.get_by_label("申请编号").fill(tracking_number)
    page.get_by_role("button", name="查询").click()
    assert "申请编号或查询码不正确" in page.get_by_role("alert").inner_text()


def test_write_a_message_read_the_replies_and_look_it_up(visitor_without_js):
    page = visitor_without_js.page
    visitor_without_js.goto(MESSAGE_BOX)
    # The published replies, filtered by category.
    page.get_by_label("留言类别").select_option(label="投诉")
    page.get_by_role("button", name="筛选", exact=True).click()
    assert "category=complaint" in page.url
    assert "某景区停车场乱收费" in page.content()
    assert "皋陶文化园周末是否开放" not in page.content()
    page.get_by_role("link", name="某景区停车场乱收费").click()
    assert heading(page) == "某景区停车场乱收费"
    assert "公示收费标准" in page.get_by_role("main").inner_text()

    visitor_without_js.goto(MESSAGE_BOX)
    page.get_by_role("link", name="写留言").click()
    page.get_by_label("建议", exact=True).check()
    page.get_by_label("留言对象").select_option(label="六安市文化和旅游局办公室")
    page.get_by_label("留言标题").fill("建议增加博物馆讲解场次")
    page.get_by_label("留言内容").fill("周末参观的人多，建议增加讲解场次。我的手机13912345678。")
    page.get_by_role("textbox", name=re.compile("^姓名")).fill("陈女士")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("同意公开我的留言和答复（不公开姓名和联系方式）").check()
    page.get_by_role("button", name="提交留言").click()
    assert heading(page) == "留言已提交"
    number, code = read_row(page, "留言编号"), read_row(page, "查询码")
    assert re.fullmatch(r"\S+-LY-\d{4}-\d{5}", number), number

    page.get_by_role("link", name="查询留言办理情况").click()
    page.get_by_label("留言编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    assert page.get_by_role("heading", name=f"留言{number}的办理情况").is_visible()
    assert read_row(page, "办理状态") == "待办理"
    assert read_row(page, "承办单位") == "六安市文化和旅游局办公室"
    assert "陈女士" not in page.content() and "13912345678" not in page.content()


def test_comment_on_an_open_consultation(visitor_without_js):
    page = visitor_without_js.page
    visitor_without_js.goto(OPEN_CONSULTATION)
    assert "征集中" in page.get_by_role("table", name="征集信息").inner_text()
    page.get_by_label("姓名或单位（选填）").fill("李女士")
    page.get_by_label("意见内容").fill("建议在第三条中写明关怀版的开启方式，并提供电话咨询渠道。")
    page.get_by_role("button", name="提交意见").click()
    assert page.get_by_role("status").inner_text() == "您的意见已提交，经审核后公开。感谢参与！"
    # Held for moderation: not shown to the public yet.
    assert "关怀版的开启方式" not in page.content()


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching ``selector`` has the focus; every element the
    focus passes on the way must show where the focus is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """(selector) => {
              const el = document.activeElement;
              const style = getComputedStyle(el);
              return {
                target: el.matches(selector),
                ring: style.outlineStyle !== 'none' && style.outlineWidth !== '0px',
                what: el.outerHTML.slice(0, 80),
              };
            }""",
            selector,
        )
        assert focused["ring"], f"no visible focus on {focused['what']}"
        if focused["target"]:
            return
    pytest.fail(f"Tab never reached {selector}")


def test_apply_and_look_up_with_the_keyboard_alone(visitor):
    page = visitor.page
    visitor.goto(REQUEST_FORM)
    tab_to(page, ".opengov-skip")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "opengov-main"

    tab_to(page, "#id_applicant_type_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_applicant_name")
    page.keyboard.type("赵大爷")
    tab_to(page, "#id_id_document_type")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#id_id_number")
    page.keyboard.type("G87654321")
    tab_to(page, "#id_phone")
    page.keyboard.type("0564-3370000")
    tab_to(page, "#id_description")
    page.keyboard.type("请提供2019年全市公共文化设施名录。")
    tab_to(page, "#id_provision_form_0")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#id_delivery_method_0")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    tab_to(page, "button:not([name])")
    assert page.evaluate("document.activeElement.textContent") == "提交申请"
    page.keyboard.press("Enter")
    page.wait_for_url("**/apply/?submitted=1")
    assert heading(page) == "申请已提交"
    assert_accessible(page, "request confirmation")

    # On to the status page, and the lookup, still with the keyboard.
    tracking_number, query_code = read_row(page, "申请编号"), read_row(page, "查询码")
    tab_to(page, "a[href$='/opengov/requests/status/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/opengov/requests/status/")
    tab_to(page, "#id_tracking_number")
    page.keyboard.type(tracking_number)
    tab_to(page, "#id_query_code")
    page.keyboard.type(query_code)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=f"申请{tracking_number}的办理情况").wait_for()
    assert read_row(page, "受理机关") == "六安市文化和旅游局"
    assert_accessible(page, "request status")
