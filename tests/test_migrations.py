"""The package's migrations run on every Wagtail it supports.

makemigrations writes what the installed Wagtail has: under Wagtail 8, a dependency on its
newest wagtailcore migration and ``settings.WAGTAIL_PAGE_MODEL``, which Wagtail 7.2 lacks,
so a site on 7.2 could not migrate at all. The oldest versions' leg of ``make test-all``
finds that too, but only at its end; this finds it in every run."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MIGRATIONS = sorted(
    [*ROOT.glob("opengov_cms/*/migrations/0*.py"), *ROOT.glob("sandbox/*/migrations/0*.py")]
)
# The newest wagtailcore migration of Wagtail 7.2, the oldest Wagtail setup.cfg allows.
NEWEST_IN_OLDEST_WAGTAIL = "0096"


def wagtailcore_dependencies(tree):
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Tuple)
            and len(node.elts) == 2
            and all(isinstance(e, ast.Constant) for e in node.elts)
            and node.elts[0].value == "wagtailcore"
        ):
            yield node.elts[1].value


def test_there_are_migrations_to_check():
    assert len(MIGRATIONS) > 20


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_migration_needs_nothing_the_oldest_wagtail_lacks(path):
    source = path.read_text(encoding="utf-8")
    assert "settings.WAGTAIL_PAGE_MODEL" not in source, (
        "name the page model as getattr(settings, 'WAGTAIL_PAGE_MODEL', 'wagtailcore.Page')"
    )
    too_new = [
        name
        for name in wagtailcore_dependencies(ast.parse(source))
        if name[:4] > NEWEST_IN_OLDEST_WAGTAIL
    ]
    assert not too_new, f"depend on wagtailcore {NEWEST_IN_OLDEST_WAGTAIL} or older: {too_new}"
