"""关怀版 (care mode): a plain link on every page turns on larger text, higher contrast and
wider line spacing, remembered for the visitor, with or without JavaScript, while the page
itself stays the same for everyone (so shared caches keep working)."""

import re

import pytest

from tests.browser.conftest import CARE_COOKIE, fetch

pytestmark = pytest.mark.browser

GUIDE = "/xxgk/guide/"


def looks(page):
    return page.evaluate(
        """() => {
          const body = getComputedStyle(document.body);
          return {
            font: parseFloat(getComputedStyle(document.documentElement).fontSize),
            line: parseFloat(body.lineHeight) / parseFloat(body.fontSize),
            text: body.color,
          };
        }"""
    )


def care_cookie(visitor):
    return [c for c in visitor.context.cookies() if c["name"] == CARE_COOKIE]


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_care_mode_is_switched_by_a_link_and_remembered(browser, sandbox, javascript):
    from tests.browser.conftest import Visitor

    visitor = Visitor(browser, sandbox, javascript=javascript)
    page = visitor.page
    try:
        visitor.goto(GUIDE)
        normal = looks(page)
        # The switch comes back to the same address, so wait for the new page itself.
        with page.expect_navigation():
            page.locator("header").get_by_role("link", name=re.compile("^关怀版")).click()
        assert page.url == sandbox.url(GUIDE), "the switch returns to the same page"
        care = looks(page)
        assert care["font"] >= normal["font"] * 1.25
        assert care["line"] >= 2 > normal["line"]
        assert care["text"] == "rgb(0, 0, 0)"
        assert care_cookie(visitor)[0]["value"] == "1"
        assert (
            not page.locator("header").get_by_role("link", name=re.compile("^关怀版")).is_visible()
        )

        # Remembered on the next page, and turned off the same way.
        visitor.goto("/apply/")
        assert looks(page)["font"] == care["font"]
        with page.expect_navigation():
            page.locator("header").get_by_role("link", name="退出关怀版").click()
        assert page.url == sandbox.url("/apply/")
        assert looks(page) == normal
        assert not care_cookie(visitor)
    finally:
        visitor.close()
    assert not visitor.problems


def test_the_page_is_the_same_for_every_visitor(sandbox):
    """Care mode is applied in the browser: the HTML does not vary by the cookie; only the
    small no-script stylesheet does, privately."""
    plain = fetch(sandbox.url(GUIDE))
    with_cookie = fetch(sandbox.url(GUIDE), {"Cookie": f"{CARE_COOKIE}=1"})
    assert plain[0] == with_cookie[0] == 200
    assert plain[2] == with_cookie[2]
    assert "Cookie" not in plain[1].get("Vary", "")

    status, headers, css = fetch(sandbox.url("/opengov/care/style.css"))
    assert status == 200 and css == ""
    status, headers, css = fetch(
        sandbox.url("/opengov/care/style.css"), {"Cookie": f"{CARE_COOKIE}=1"}
    )
    assert "font-size: 125%" in css and "html.opengov-care" not in css
    assert "Cookie" in headers["Vary"] and "private" in headers["Cache-Control"]


@pytest.mark.parametrize(
    "next_url", ["https://elsewhere.example/", "//elsewhere.example/", "javascript:alert(1)"]
)
def test_the_switch_only_returns_to_this_site(sandbox, next_url):
    from urllib.parse import quote

    status, headers, _ = fetch(
        sandbox.url(f"/opengov/care/on/?next={quote(next_url)}"), follow=False
    )
    assert status == 302
    assert headers["Location"] == "/"
