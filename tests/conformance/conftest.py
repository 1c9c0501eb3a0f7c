"""The conformance leg: the site's public interfaces checked by tools nobody on the project
wrote (schemathesis, a generated OpenAPI client, the Nu Html Checker, the Atom grammar).

The tools come from the package registries through ``ci/conformance/install`` (the
``conformance`` extra, and vnu.jar from the npm registry). Without them the tests skip under
``make test`` and fail under ``make test-all``, like the services.
"""

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from tests.services import services_required

BIN = Path(sys.executable).parent


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.conformance)


def need(tool, found):
    if found:
        return
    message = f"{tool} is not installed: run ci/conformance/install"
    if services_required():
        pytest.fail(message)
    pytest.skip(message)


def tool_path(name):
    path = BIN / name
    return path if path.exists() else shutil.which(name)


def module_available(name):
    return importlib.util.find_spec(name) is not None
