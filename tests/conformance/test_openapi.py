"""The JSON API under OpenAPI fuzzing (schemathesis, every check), and read through a client
generated from its OpenAPI document by a maintained generator (openapi-python-client)."""

import datetime
import importlib
import json
import os
import subprocess
import sys
import urllib.request

import pytest

from tests.catalogue.factories import GenreFactory, TopicFactory
from tests.conformance.conftest import BIN, need, tool_path

pytestmark = pytest.mark.django_db(transaction=True)

SPEC = "/api/opengov/v1/openapi.json"
#: Bounded and repeatable: the same cases on every run.
SEED = "20261204"
MAX_EXAMPLES = "40"


@pytest.fixture
def catalogue(publish_entry):
    topic, genre = TopicFactory(code="culture"), GenreFactory(code="notice")
    return [
        publish_entry(
            title=f"第{n}号通知",
            publication_date=datetime.date(2024, 2, n),
            topic=topic,
            genre=genre,
        )
        for n in range(1, 5)
    ]


def test_fuzzing_the_api_finds_no_server_error_no_undocumented_answer(
    live_server, catalogue, tmp_path
):
    schemathesis = tool_path("schemathesis")
    need("schemathesis", schemathesis)
    run = subprocess.run(
        [
            str(schemathesis),
            "run",
            f"{live_server.url}{SPEC}",
            "--checks",
            "all",
            "--seed",
            SEED,
            "--generation-deterministic",
            "--max-examples",
            MAX_EXAMPLES,
            "--workers",
            "1",
            "--report-dir",
            str(tmp_path),
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "failure" not in run.stdout.splitlines()[-1].lower()


def test_a_generated_client_reads_the_api(live_server, catalogue, tmp_path):
    generator = tool_path("openapi-python-client")
    need("openapi-python-client", generator)
    spec = tmp_path / "openapi.json"
    with urllib.request.urlopen(f"{live_server.url}{SPEC}") as response:
        spec.write_text(json.dumps(json.loads(response.read())), encoding="utf-8")
    package = tmp_path / "opengov_api_client"
    run = subprocess.run(
        [str(generator), "generate", "--path", str(spec), "--output-path", str(package)]
        + ["--meta", "none"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    assert run.returncode == 0 and package.exists(), run.stdout + run.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        client_module = importlib.import_module("opengov_api_client")
        list_items = importlib.import_module("opengov_api_client.api.default.list_items")
        get_item = importlib.import_module("opengov_api_client.api.default.get_item")
        models = importlib.import_module("opengov_api_client.models")
        client = client_module.Client(base_url=live_server.url, raise_on_unexpected_status=True)

        first = list_items.sync(client=client, limit=2, topic=models.ListItemsTopic("culture"))
        assert isinstance(first, models.ItemPage)
        assert [item.title for item in first.items] == ["第4号通知", "第3号通知"]
        assert first.next_.startswith(live_server.url)

        detail = get_item.sync(client=client, id=first.items[0].id)
        assert isinstance(detail, models.ItemDetail)
        assert detail.publication_date == datetime.date(2024, 2, 4)
        assert detail.organisation.name == catalogue[0].organisation.name

        missing = get_item.sync(client=client, id=999_999)
        assert isinstance(missing, models.Error) and missing.error
        refused = list_items.sync(client=client, limit=2, year=2008)
        assert isinstance(refused, models.ItemPage) and refused.items == []
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n.startswith("opengov_api_client")]:
            del sys.modules[name]
