"""The sandbox served on loopback with its demo data, and headless Chromium driven by
Playwright, for the browser tests; axe-core checks each page.

Chromium is Debian's package and axe-core comes from the npm registry (ci/browser/install
installs both). Without them the tests skip under ``make test`` and fail under
``make test-all`` (OPENGOV_REQUIRE_SERVICES=1), like the other services.
"""

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.services import services_required

REPO = Path(__file__).resolve().parents[2]
SANDBOX = REPO / "sandbox"
AXE_JS = REPO / "ci" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "docs" / "screenshots"
SCHEMA_CACHE = Path(os.environ.get("OPENGOV_CI_STATE") or REPO / ".ci-state") / "browser"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
CARE_COOKIE = "opengov_care"
# Impacts that fail a page; minor and moderate findings are reported but do not fail.
FAILING_IMPACTS = ("serious", "critical")

# Prepares the sandbox in one process (each manage.py start costs seconds), then prints
# every live page's path and model so the tests can check that each page type is covered.
# Migrating an empty database takes a minute (Django renders the model states of some 200
# migrations), so the migrated database is kept in OPENGOV_SCHEMA_CACHE, under a key made of
# every migration file; any change to one migrates afresh.
SETUP = """
import hashlib, json, os, shutil, sys
from pathlib import Path
from urllib.parse import unquote
import django, wagtail
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

loader = MigrationLoader(None, ignore_no_migrations=True)
digest = hashlib.sha256(f"{django.__version__} {wagtail.__version__}".encode())
for key in sorted(loader.disk_migrations):
    digest.update(repr(key).encode())
    digest.update(Path(sys.modules[loader.disk_migrations[key].__module__].__file__).read_bytes())
cached = Path(os.environ["OPENGOV_SCHEMA_CACHE"]) / f"sandbox-{digest.hexdigest()[:20]}.sqlite3"
database = Path(settings.DATABASES["default"]["NAME"])
connection.close()
if cached.exists():
    shutil.copyfile(cached, database)
call_command("migrate", interactive=False, verbosity=0)
if not cached.exists():
    connection.close()
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_name(f"{cached.name}.{os.getpid()}")
    shutil.copyfile(database, partial)
    os.replace(partial, cached)
    for stale in cached.parent.glob("sandbox-*.sqlite3"):
        if stale != cached:
            stale.unlink(missing_ok=True)
call_command("load_demo_data", verbosity=0)
call_command("load_demo_forms", verbosity=0)
from wagtail.models import Page, Site
root = Site.objects.get(is_default_site=True).root_page
pages = {}
for page in Page.objects.live().descendant_of(root).specific().iterator():
    pages[unquote(page.url)] = page._meta.label
print("PAGES=" + json.dumps(pages, ensure_ascii=False))
"""


def chromium_path():
    return os.environ.get("OPENGOV_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def missing_tools():
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright Python package (pip install -e '.[dev]')")
    if not Path(chromium_path()).exists():
        missing.append("Chromium (apt-get install chromium)")
    if not AXE_JS.exists():
        missing.append("axe-core (npm ci in ci/browser)")
    return missing


def require_browser():
    missing = missing_tools()
    if not missing:
        return
    message = f"browser tests need {', '.join(missing)}: run ci/browser/install"
    if services_required():
        pytest.fail(message)
    pytest.skip(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, headers=None, follow=True):
    """(status, headers, text) of a GET; redirects are followed only when ``follow``."""
    request = urllib.request.Request(url, headers=headers or {})
    opener = urllib.request.build_opener(*([] if follow else [NoRedirect()]))
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


class Sandbox:
    def __init__(self, base_url, pages, env=None):
        self.base_url = base_url
        #: {path: "app_label.ModelName"} of every live page of the demo site.
        self.pages = pages
        #: The environment the sandbox runs in, for a test to run manage.py commands on it.
        self.env = env

    def manage(self, *args):
        """stdout of ``manage.py *args`` on the running sandbox's database."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=SANDBOX,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def url(self, path):
        return self.base_url + path


@pytest.fixture(scope="package")
def sandbox(tmp_path_factory):
    """The sandbox as `make demo` serves it (web server, Celery worker and beat) on a free
    loopback port, with a temporary SQLite database and var folder; started once for all
    the browser tests and stopped after the last one."""
    require_browser()
    var = tmp_path_factory.mktemp("sandbox-var")
    env = {
        **os.environ,
        "SANDBOX_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "sandbox.settings.dev",
        "PYTHON": sys.executable,
        "OPENGOV_SCHEMA_CACHE": str(SCHEMA_CACHE),
    }
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "OPENGOV_SEARCH_BACKEND"):
        env.pop(name, None)
    setup = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SETUP],
        cwd=SANDBOX,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr
    pages = json.loads(setup.stdout.rsplit("PAGES=", 1)[1])
    port = free_port()
    log = open(var / "run-demo.log", "w")  # noqa: SIM115 - open while the server runs
    demo = subprocess.Popen(
        [str(SANDBOX / "run-demo")],
        env={**env, "DEMO_PORT": str(port)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if fetch(base_url + "/opengov/health/")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            if demo.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("the sandbox did not start:\n" + (var / "run-demo.log").read_text())
            time.sleep(0.3)
        yield Sandbox(base_url, pages, env)
    finally:
        os.killpg(demo.pid, signal.SIGTERM)
        demo.wait(timeout=30)
        log.close()


@pytest.fixture(scope="package")
def browser(sandbox):
    """Headless Chromium from the system (never a browser Playwright downloads)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path())
        yield chromium
        chromium.close()


class Visitor:
    """One browser context: a visitor with their own cookies, in Simplified Chinese."""

    def __init__(self, browser, sandbox, *, javascript=True, viewport=DESKTOP):
        self.sandbox = sandbox
        self.context = browser.new_context(
            viewport=viewport, locale="zh-CN", java_script_enabled=javascript
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.problems = []
        # A dialog is a pop-up the visitor did not ask for; a script error breaks the page.
        self.page.on(
            "dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss())
        )
        self.page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))

    def goto(self, path):
        response = self.page.goto(self.sandbox.url(path))
        assert response is not None
        return response

    def set_care_mode(self, on):
        if on:
            self.context.add_cookies(
                [{"name": CARE_COOKIE, "value": "1", "url": self.sandbox.base_url}]
            )
        else:
            self.context.clear_cookies(name=CARE_COOKIE)

    def close(self):
        self.context.close()


@pytest.fixture
def visitor(browser, sandbox):
    visitor = Visitor(browser, sandbox)
    yield visitor
    visitor.close()
    assert not visitor.problems


@pytest.fixture
def visitor_without_js(browser, sandbox):
    visitor = Visitor(browser, sandbox, javascript=False)
    yield visitor
    visitor.close()
    assert not visitor.problems


def axe_violations(page):
    """axe-core's violations of the page as it is now, every rule axe enables by default."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


# Checks axe leaves to people: one h1, no skipped heading level, the three landmarks, every
# table with a caption and header cells, every aria-describedby pointing at something.
STRUCTURE = """() => {
  const problems = [];
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const h1s = [...document.querySelectorAll('h1')].filter(visible);
  if (h1s.length !== 1) problems.push(`${h1s.length} visible h1 elements`);
  let level = 0;
  for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const next = Number(h.tagName[1]);
    if (level && next > level + 1) problems.push(`h${next} after h${level}: ${h.textContent}`);
    level = next;
  }
  for (const selector of ['header', 'main', 'footer']) {
    if (document.querySelectorAll(selector).length !== 1) problems.push(`not one <${selector}>`);
  }
  for (const table of document.querySelectorAll('table')) {
    if (!table.querySelector('caption')) problems.push('a table without a caption');
    if (!table.querySelector('th')) problems.push('a table without header cells');
  }
  for (const el of document.querySelectorAll('[aria-describedby]')) {
    for (const id of el.getAttribute('aria-describedby').split(/\\s+/).filter(Boolean)) {
      if (!document.getElementById(id)) problems.push(`${el.name || el.id}: no #${id}`);
    }
  }
  return problems;
}"""


def assert_accessible(page, label):
    """No serious or critical axe violation, and the structure checks above pass."""
    violations = axe_violations(page)
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    report = "\n".join(
        f"  [{v['impact']}] {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in failing
    )
    assert not failing, f"axe on {label} ({page.url}):\n{report}"
    structure = page.evaluate(STRUCTURE)
    assert not structure, f"structure of {label} ({page.url}): {structure}"
    return violations


def invalid_fields(page):
    """Each field marked invalid, with the text of what describes it (its error message)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[aria-invalid="true"]:not([type=hidden])')]
          .map((el) => ({
          name: el.name,
          description: (el.getAttribute('aria-describedby') || '').split(/\\s+/)
            .map((id) => document.getElementById(id)).filter(Boolean)
            .map((d) => d.textContent.trim()).join(' '),
        }))"""
    )


def screenshot(page, name):
    """What a visitor sees first: the viewport, not the whole page, in 32 colours (text
    stays sharp, a file is 10-30 kB); the same page gives the same bytes."""
    from PIL import Image

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    shot = Image.open(io.BytesIO(page.screenshot(animations="disabled", caret="hide")))
    shot = shot.convert("RGB").quantize(
        colors=32, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    shot.save(path, optimize=True)
    return path
