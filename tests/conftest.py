import time

import pytest
import time_machine

from opengov_cms.catalogue.filing import add_to_section
from opengov_cms.core import aging
from tests.catalogue.factories import CatalogueIndexPageFactory, DisclosureEntryPageFactory
from tests.clock import TEST_NOW, Clock, at
from tests.factories import OrganisationFactory


def pytest_configure(config):
    config.addinivalue_line(
        "markers", 'now(when): run the test from this instant ("YYYY-MM-DD[ HH:MM]") on'
    )


@pytest.fixture(autouse=True)
def clock(request):
    """Every test starts at a fixed instant (tests/clock.py), never at the real date."""
    marker = request.node.get_closest_marker("now")
    start = at(marker.args[0]) if marker else TEST_NOW
    with time_machine.travel(start, tick=True) as traveller:
        yield Clock(traveller)


class ProcessClock:
    """The clock what a process keeps ages by (opengov_cms.core.aging), stopped: it moves
    only when a test moves it, and by a day at the start of each test."""

    #: Longer than any period a process keeps something for.
    BETWEEN_TESTS = 24 * 3600

    def __init__(self, start):
        self.value = start

    def __call__(self):
        return self.value

    def advance(self, seconds):
        self.value += seconds


# Installed for the whole run (fixtures of a wider scope and teardowns included), from after
# what was kept before any test.
_process_clock = ProcessClock(time.monotonic())
aging._source = _process_clock


@pytest.fixture(autouse=True)
def process_clock():
    """What a process keeps by time (the holiday calendar, the search dictionary, the
    index's statistics, a form page) expires by this clock, not by the suite's pace. Each
    test starts with every such copy out of date, so its first use reads it again whatever
    ran before (a rolled-back row included); none expires between two requests a test
    compares; a test about an expiry moves the clock on. The holiday years a process keeps
    are forgotten too: a change an earlier test made (and its rollback undid) leaves them
    unsettled, read again at every lookup, until a transaction ends outside the tests'."""
    from opengov_cms.core import calendar

    _process_clock.advance(ProcessClock.BETWEEN_TESTS)
    calendar.clear_cache()
    return _process_clock


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: what an earlier test kept (the site's identity,
    its menu, a page's kept parts) was of rows its rollback took away."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files of a test go to a folder of its own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


@pytest.fixture
def home_page(db):
    """The default site's root page; made anew when a transactional test flushed it."""
    from wagtail.models import Locale, Page, Site

    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(language_code="zh-hans")
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.get_children().first()
    if home is None:
        home = root.add_child(instance=Page(title="首页", slug="home"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    else:
        Site.objects.filter(pk=site.pk).update(root_page=home)
    return home


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="六安市文化和旅游局", credit_code="11341500MB1234567K")


@pytest.fixture
def section(home_page, organisation):
    return CatalogueIndexPageFactory(
        parent=home_page, title="法规文件", slug="documents", organisation=organisation
    )


@pytest.fixture
def publish_entry(section, organisation):
    """Create and publish an entry in ``section`` the way an editor's publish does."""

    def publish(parent=None, **fields):
        fields.setdefault("organisation", organisation)
        page = DisclosureEntryPageFactory.build(**fields)
        add_to_section(parent or section, page)
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    return publish
