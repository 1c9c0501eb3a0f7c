"""Every public page type of the demo, and the error states of its forms, through the Nu Html
Checker (vnu.jar, from the npm registry): no error."""

import http.cookiejar
import json
import re
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.browser.test_pages import OPEN_CONSULTATION, PAGE_TYPES, REPORT_PAGES, REQUEST_FORM
from tests.services import services_required

pytestmark = [pytest.mark.browser, pytest.mark.conformance]

VNU = Path(__file__).resolve().parents[2] / "ci/conformance/node_modules/vnu-jar/build/dist/vnu.jar"


class Browser:
    """Plain HTTP with cookies, as a browser without JavaScript sends forms."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def open(self, path, data=None):
        if not path.startswith("http"):
            path = urllib.parse.quote(path, safe="/?=&%:#")
        request = urllib.request.Request(
            self.base_url + path if not path.startswith("http") else path,
            data=urllib.parse.urlencode(data).encode() if data is not None else None,
            headers={"Referer": self.base_url + "/"},
        )
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post_form(self, path, fields):
        _status, html = self.open(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        action = re.search(r'<form method="post" action="([^"]+)"', html)
        target = action.group(1) if action else path
        return self.open(target, {"csrfmiddlewaretoken": token, **fields})


def error_states(browser):
    """(name, status, HTML) of each form sent wrong, and of bad addresses."""
    yield ("request-form-empty", *browser.post_form(REQUEST_FORM, {}))
    yield (
        "request-form-half",
        *browser.post_form(REQUEST_FORM, {"applicant_type": "organisation", "phone": "123"}),
    )
    yield ("comment-empty", *browser.post_form(OPEN_CONSULTATION, {"body": ""}))
    yield (
        "status-unknown",
        *browser.post_form(
            "/opengov/requests/status/", {"tracking_number": "NOPE", "query_code": "X"}
        ),
    )
    yield ("section-bad-filter", *browser.open("/xxgk/finance/budgets/?year=1066"))
    yield ("search-bad-page", *browser.open("/opengov/search/?q=预算&page=x"))


def test_every_page_type_and_form_error_is_valid_html(sandbox, tmp_path):
    if not VNU.exists():
        message = "vnu.jar is not installed: run ci/conformance/install"
        if services_required():
            pytest.fail(message)
        pytest.skip(message)
    browser = Browser(sandbox.base_url)
    documents = {}
    for name, path in PAGE_TYPES + REPORT_PAGES:
        status, html = browser.open(path)
        assert status == 200, (name, status)
        documents[name] = html
    for name, status, html in error_states(browser):
        assert 400 <= status < 500, (name, status)
        documents[name] = html
    files = []
    for name, html in documents.items():
        file = tmp_path / f"{name}.html"
        file.write_text(html, encoding="utf-8")
        files.append(str(file))
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stderr or "{}").get("messages", [])
    errors = [
        f"{Path(m.get('url', '')).stem}:{m.get('lastLine')}: {m.get('message')} "
        f"[{m.get('extract', '').strip()[:120]}]"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], "\n".join(errors)
    assert len(files) >= len(PAGE_TYPES) + 6
