"""Every public page type of the demo site in headless Chromium, in normal and care mode:
no serious or critical axe-core violation, one h1 and headings in order, the care-mode
switch, nothing wider than a phone; screenshots at desktop and phone width for the docs."""

import re

import pytest

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    invalid_fields,
    screenshot,
)

pytestmark = pytest.mark.browser

ENTRY = "/xxgk/finance/budgets/2019/六安市文化和旅游局2019年部门预算/"
POLICY = "/xxgk/documents/normative/2019/disclosure-rules/"
INTERPRETATION = "/xxgk/interpretations/2019/disclosure-rules-interpretation/"
OPEN_CONSULTATION = "/disclosure-rules-revision-consultation/"
REQUEST_FORM = "/apply/"
MESSAGE_BOX = "/mailbox/"

# (name of the screenshots, path) of one page of each public type.
PAGE_TYPES = [
    ("home", "/"),
    ("site-map", "/opengov/site-map/"),
    ("accessibility", "/opengov/accessibility/"),
    ("catalogue-index", "/xxgk/"),
    ("catalogue-section", "/xxgk/finance/budgets/"),
    ("catalogue-year", "/xxgk/finance/budgets/2019/"),
    ("entry", ENTRY),
    ("guide", "/xxgk/guide/"),
    ("policy-document", POLICY),
    ("interpretation", INTERPRETATION),
    ("interpretations-list", "/xxgk/interpretations/"),
    ("consultation-open", OPEN_CONSULTATION),
    ("consultation-closed", "/2019-disclosure-plan-consultation/"),
    ("request-form", REQUEST_FORM),
    ("request-status", "/opengov/requests/status/"),
    ("search-results", "/opengov/search/?q=预算"),
    # The public's messages (opengov_cms/interaction): the box with its published replies,
    # its form, its statistics, the lookup, and a response to a public concern.
    ("message-box", MESSAGE_BOX),
    ("message-form", MESSAGE_BOX + "write/"),
    ("message-statistics", MESSAGE_BOX + "statistics/"),
    ("message-status", "/opengov/interaction/status/"),
    ("concern-response", "/xxgk/concerns/2019/scenic-area-ticket-prices/"),
]

# Report pages (opengov_cms/reports), as the demo files them: section / year / report.
REPORT_PAGES = [
    ("quarterly-report", "/xxgk/on-request/2019/2019-q3-requests/"),
    ("annual-report", "/xxgk/annual-reports/2020/2019-annual-report/"),
]

# Page types whose demo page is filed by the date the demo was loaded on (the message
# statistics of the last quarter): found by type.
DATED_PAGE_TYPES = [
    ("message-quarterly-report", "opengov_interaction.InteractionQuarterlyReportPage")
]

# Pages of the demo that are not the package's: the tree root and the sandbox's home page.
NOT_THE_PACKAGES = {"wagtailcore.Page", "home.HomePage"}


def check_page_type(visitor, name, path):
    page = visitor.page
    response = visitor.goto(path)
    assert response.status == 200, f"{path}: HTTP {response.status}"
    assert page.locator("header").get_by_role("link", name=re.compile("^关怀版")).is_visible()
    assert_accessible(page, name)
    screenshot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    assert fits_the_width(page), f"{name} scrolls sideways on a phone"
    screenshot(page, f"{name}-phone")

    visitor.set_care_mode(True)
    page.reload()
    assert "opengov-care" in page.evaluate("document.documentElement.className")
    assert page.locator("header").get_by_role("link", name="退出关怀版").is_visible()
    assert fits_the_width(page), f"{name} in care mode scrolls sideways on a phone"
    assert_accessible(page, f"{name} in care mode")
    screenshot(page, f"{name}-phone-care")
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"{name}-desktop-care")


def fits_the_width(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(("name", "path"), PAGE_TYPES, ids=[name for name, _ in PAGE_TYPES])
def test_page_type(visitor, name, path):
    check_page_type(visitor, name, path)


@pytest.mark.parametrize(("name", "path"), REPORT_PAGES, ids=[name for name, _ in REPORT_PAGES])
def test_report_page_type(visitor, name, path):
    check_page_type(visitor, name, path)


@pytest.mark.parametrize(
    ("name", "label"), DATED_PAGE_TYPES, ids=[name for name, _ in DATED_PAGE_TYPES]
)
def test_dated_page_type(visitor, sandbox, name, label):
    paths = [path for path, model in sandbox.pages.items() if model == label]
    assert paths, f"the demo has no {label}"
    check_page_type(visitor, name, paths[0])


def test_published_message(visitor):
    """A published message with its reply, reached from the box's list."""
    visitor.goto(MESSAGE_BOX)
    link = visitor.page.get_by_role("link", name="皋陶文化园周末是否开放？")
    path = link.get_attribute("href")
    check_page_type(visitor, "message", path)
    assert "9:00—17:00" in visitor.page.inner_text("main")


def test_every_page_type_of_the_demo_is_checked(sandbox):
    checked = {sandbox.pages.get(path) for _, path in PAGE_TYPES + REPORT_PAGES}
    checked |= {label for _, label in DATED_PAGE_TYPES}
    unchecked = set(sandbox.pages.values()) - checked - NOT_THE_PACKAGES
    assert not unchecked, f"add a page of each of {sorted(unchecked)} to PAGE_TYPES or REPORT_PAGES"


def test_request_form_error_state(visitor):
    """Sent empty: a summary linking to each field, and each field described by its error."""
    page = visitor.page
    visitor.goto(REQUEST_FORM)
    with page.expect_navigation() as sent:
        page.get_by_role("button", name="提交申请").click()
    assert sent.value.status == 400
    summary = page.get_by_role("alert")
    assert "申请表有5处需要修改" in summary.inner_text()
    fields = {f["name"]: f["description"] for f in invalid_fields(page)}
    assert set(fields) == {
        "applicant_type",
        "phone",
        "description",
        "provision_form",
        "delivery_method",
    }
    assert all("请填写此项" in description for description in fields.values()), fields
    assert_accessible(page, "request form with errors")
    screenshot(page, "request-form-errors-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "request-form-errors-phone")
    # The summary's links lead to the fields.
    summary.get_by_role("link", name=re.compile("^联系电话")).click()
    assert page.url.endswith("#id_phone")


def test_message_form_error_state(visitor):
    """Sent empty: a summary linking to each field, and each field described by its error."""
    page = visitor.page
    visitor.goto(MESSAGE_BOX + "write/")
    with page.expect_navigation() as sent:
        page.get_by_role("button", name="提交留言").click()
    assert sent.value.status == 400
    summary = page.get_by_role("alert")
    assert "留言有6处需要修改" in summary.inner_text()
    fields = {f["name"]: f["description"] for f in invalid_fields(page)}
    assert set(fields) == {"category", "organisation", "subject", "body", "name", "phone"}
    assert all("请填写此项" in description for description in fields.values()), fields
    assert_accessible(page, "message form with errors")
    screenshot(page, "message-form-errors-desktop")
    summary.get_by_role("link", name=re.compile("^留言标题")).click()
    assert page.url.endswith("#id_subject")
