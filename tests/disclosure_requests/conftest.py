import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def clear_rate_limits():
    """Rate-limit counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def form_page(home_page):
    from opengov_cms.disclosure_requests.models import RequestFormPage
    from tests.factories import OrganisationFactory

    page = RequestFormPage(
        title="政府信息公开申请",
        slug="apply",
        organisation=OrganisationFactory(name="六安市文化和旅游局"),
        intro="<p>请如实填写。</p>",
    )
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page
