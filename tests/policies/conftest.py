"""Fixtures for policy documents and interpretations made the way editors make them."""

import datetime

import pytest
from django.core.cache import cache

from opengov_cms.catalogue.filing import add_to_section
from opengov_cms.policies.models import InterpretationLink, InterpretationPage, PolicyDocumentPage


@pytest.fixture(autouse=True)
def clear_cache():
    """The filter form's options are cached; each test starts with an empty cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_policy(section, organisation):
    def make(publish=True, **fields):
        fields.setdefault("title", "六安市文化市场管理办法")
        fields.setdefault("body", "<p>第一条 为规范文化市场管理，制定本办法。</p>")
        fields.setdefault("written_date", datetime.date(2024, 3, 1))
        section.refresh_from_db()  # a page may have been added to it through the admin
        page = add_to_section(
            section, PolicyDocumentPage(organisation=organisation, live=False, **fields)
        )
        revision = page.save_revision()
        if publish:
            revision.publish()
        page.refresh_from_db()
        return page

    return make


@pytest.fixture
def make_interpretation(section, organisation):
    def make(*documents, publish=True, **fields):
        fields.setdefault("title", "《六安市文化市场管理办法》政策解读")
        page = InterpretationPage(
            organisation=organisation, written_date=datetime.date(2024, 3, 2), live=False, **fields
        )
        page.interpreted_documents = [InterpretationLink(document=d) for d in documents]
        add_to_section(section, page)
        revision = page.save_revision()
        if publish:
            revision.publish()
        page.refresh_from_db()
        return page

    return make
