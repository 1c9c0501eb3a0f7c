"""The package installs into a brand-new site exactly as docs/install.md says.

The site comes from Wagtail's own project template (`wagtail start`). The package is
installed from its built wheel, so this also proves the wheel carries what a site needs.
Wagtail 8's template pins a Django that needs Python 3.12 in requirements.txt; the site
uses the Django and Wagtail already installed here instead of that file.
"""

import json
import os
import re
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
INSTALL_DOC = ROOT / "docs" / "install.md"


def run(*args, cwd, env=None, timeout=600):
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-w",
        out,
        ".",
        cwd=ROOT,
    )
    (path,) = out.glob("opengov_cms-*.whl")
    return path


def test_the_wheel_carries_templates_static_and_migrations_only(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "opengov_cms/policies/templates/opengov_policies/consultation_page.html" in names
    assert "opengov_cms/core/templates/opengov_cms/base.html" in names
    assert "opengov_cms/core/static/opengov_cms/opengov.css" in names
    assert "opengov_cms/core/migrations/0001_initial.py" in names
    assert "opengov_cms/policies/migrations/0001_initial.py" in names
    assert not [n for n in names if n.split("/")[0] in ("sandbox", "tests", "docs", "bench", "ci")]


def documented_snippets():
    """The code blocks of docs/install.md, by the language tag after the fence."""
    text = INSTALL_DOC.read_text(encoding="utf-8")
    return re.findall(r"```(\w+) title=\"([^\"]+)\"\n(.*?)```", text, re.S)


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


def test_a_new_wagtail_site_installs_the_package_as_documented(wheel, tmp_path):
    snippets = {title: code for _, title, code in documented_snippets()}
    apps_snippet = snippets["settings/base.py: INSTALLED_APPS"]
    urls_snippet = snippets["urls.py"]

    # A virtual environment that sees Django and Wagtail from this one, but not the
    # package under test, which it gets from the wheel like any site would.
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    site_packages = run(
        python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=tmp_path
    ).strip()
    Path(site_packages, "host-site.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run(python, "-m", "pip", "install", "--no-deps", "--no-index", wheel, cwd=tmp_path)
    env = {**os.environ, "PYTHONPATH": "", "DJANGO_SETTINGS_MODULE": "mysite.settings.dev"}
    env.pop("DATABASE_URL", None)

    site = tmp_path / "site"
    site.mkdir()
    # The `wagtail` command lives in the environment that installed Wagtail; call its entry
    # point with this environment's Python.
    run(
        python,
        "-c",
        "import sys; from wagtail.bin.wagtail import main; sys.exit(main())",
        "start",
        "mysite",
        site,
        cwd=tmp_path,
        env=env,
    )

    # Step 2 of the guide: the apps.
    settings_file = site / "mysite" / "settings" / "base.py"
    settings_text = settings_file.read_text()
    settings_text = settings_text.replace(
        "INSTALLED_APPS = [\n", "INSTALLED_APPS = [\n" + apps_snippet, 1
    )
    # Step 3: the size-limit middleware, first.
    settings_text = settings_text.replace(
        "MIDDLEWARE = [\n", "MIDDLEWARE = [\n" + snippets["settings/base.py: MIDDLEWARE"], 1
    )
    # Step 4: checked uploads.
    settings_text += "\n" + snippets["settings/base.py: documents"]
    # Step 5: Chinese in the admin's page search.
    settings_text += "\n" + snippets["settings/base.py: search"]
    settings_file.write_text(settings_text)
    # Step 3: the URLs, before Wagtail's catch-all page serving.
    urls_file = site / "mysite" / "urls.py"
    urls_text = urls_file.read_text()
    anchor = '    path("documents/", include(wagtaildocs_urls)),\n'
    assert anchor in urls_text
    urls_file.write_text(urls_text.replace(anchor, anchor + urls_snippet, 1))
    # Step 6: migrate.
    run(python, "manage.py", "migrate", "--noinput", cwd=site, env=env)
    check = run(python, "manage.py", "check", cwd=site, env=env)
    assert "no issues" in check

    where = run(python, "-c", "import opengov_cms; print(opengov_cms.__file__)", cwd=site, env=env)
    assert where.startswith(site_packages), "the site must use the installed wheel"

    # An editor adds a consultation under the home page.
    run(python, "manage.py", "shell", "-c", CREATE_PAGE, cwd=site, env=env)

    port = free_port()
    server = subprocess.Popen(
        [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=site,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = fetch(base + "/opengov/health/")
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "the new site did not start"
                time.sleep(0.3)
        assert status == 200 and json.loads(body)["status"] == "ok"
        status, body = fetch(base + "/draft-rules/")
        assert status == 200
        assert "关于文化市场管理办法的征求意见" in body
        # A site made by `wagtail start` speaks English (LANGUAGE_CODE "en-us"); the
        # package's English catalogue is shipped in the wheel.
        assert 'class="opengov-status opengov-status--open">Open</span>' in body
        assert "征集中" not in body
        assert "/static/opengov_cms/opengov.css" in body
        status, css = fetch(base + "/static/opengov_cms/opengov.css")
        assert status == 200 and ".opengov" in css
        status, _ = fetch(base + "/admin/login/")
        assert status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


CREATE_PAGE = """
from datetime import timedelta
from django.utils import timezone
from wagtail.models import Site
from opengov_cms.core.models import Organisation
from opengov_cms.policies.models import ConsultationPage
org = Organisation.objects.create(name="某市文化和旅游局", credit_code="91350100M000100Y43")
home = Site.objects.get(is_default_site=True).root_page
page = ConsultationPage(
    title="关于文化市场管理办法的征求意见", slug="draft-rules", organisation=org,
    opens_at=timezone.now() - timedelta(days=1), closes_at=timezone.now() + timedelta(days=9),
    body="<p>征求意见稿。</p>",
)
home.add_child(instance=page)
page.save_revision().publish()
"""
