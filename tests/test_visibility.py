"""The one rule of what may leave the site, at every exit, for every state that is not public.

Each case starts from an entry that is public and indexed (with a file attached), then puts
it in one state, as an editor or time would, and leaves the search index as it is at that
moment (its update comes after the transaction): every exit must already leave the entry
out. The public state must show it everywhere. The same matrix runs on PostgreSQL in CI
(DATABASE_URL), and its search exit on the OpenSearch node (the ``engine`` case).
"""

import datetime
import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction

from opengov_cms.catalogue.models import EntryAttachment
from opengov_cms.core.models import DisclosureAttribute, NonDisclosureReason, Validity
from opengov_cms.core.visibility import leaving, leaving_page_ids
from opengov_cms.disclosure_requests.models import RequestFormPage
from tests.catalogue.factories import CatalogueIndexPageFactory

pytestmark = pytest.mark.django_db

WORD = "蓝鲸湖湿地"  # searched for: found in the entry only
SHOWN = ("保护的通知", "的草稿")  # what shows of the entry's (or the draft's) title


@pytest.fixture
def site(home_page, organisation, publish_entry, django_capture_on_commit_callbacks):
    """A root section with a subsection holding the entry, a request form, and the entry
    published and indexed, with a PDF attached."""
    root = CatalogueIndexPageFactory(
        parent=home_page, title="信息公开目录", slug="xxgk", organisation=organisation
    )
    sub = CatalogueIndexPageFactory(parent=root, title="通知公告", slug="tzgg", organisation=None)
    form_page = RequestFormPage(title="申请", slug="apply", organisation=organisation)
    home_page.add_child(instance=form_page)
    form_page.save_revision().publish()
    document = get_document_model().objects.create(
        title="附件", file=ContentFile(b"%PDF-1.4 secret\n%%EOF\n", name="fujian.pdf")
    )
    with django_capture_on_commit_callbacks(execute=True):
        entry = publish_entry(
            parent=sub,
            title=f"关于{WORD}保护的通知",
            summary=f"{WORD}保护区管理办法。",
            publication_date=datetime.date(2026, 3, 2),
        )
        revision = entry.save_revision()
        page = revision.as_object()
        page.attachments = [EntryAttachment(document=document)]
        page.save_revision().publish()
    entry.refresh_from_db()
    return {"root": root, "sub": sub, "entry": entry, "form": form_page, "document": document}


# The states ------------------------------------------------------------------------------


def republish(entry, **changes):
    page = entry.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()


def restrict(page, kind, **extra):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, **extra)
    if kind == PageViewRestriction.GROUPS:
        restriction.groups.add(Group.objects.create(name="内部人员"))


def repeal(entry):
    republish(entry, validity=Validity.REPEALED, validity_date=datetime.date(2026, 3, 10))


def new_draft(site, clock):
    """Never published: a new entry with the word, saved as a draft only."""
    from tests.catalogue.factories import DisclosureEntryPageFactory

    site["entry"].unpublish()  # the indexed one leaves; the draft must not come instead
    draft = DisclosureEntryPageFactory.build(
        title=f"关于{WORD}的草稿", organisation=site["entry"].organisation, live=False
    )
    site["sub"].add_child(instance=draft)
    draft.save_revision()


STATES = {
    "draft": new_draft,
    "unpublished": lambda site, clock: site["entry"].unpublish(),
    "scheduled": lambda site, clock: (
        site["entry"].unpublish(),
        republish(site["entry"], go_live_at=timezone.now() + datetime.timedelta(days=3)),
    ),
    "withheld (不予公开)": lambda site, clock: republish(
        site["entry"],
        disclosure_attribute=DisclosureAttribute.NOT_DISCLOSED,
        non_disclosure_reason=NonDisclosureReason.objects.create(name="国家秘密", code="secret"),
    ),
    "on request (依申请公开)": lambda site, clock: republish(
        site["entry"],
        disclosure_attribute=DisclosureAttribute.ON_REQUEST,
        non_disclosure_reason=NonDisclosureReason.objects.create(name="内部事务", code="internal"),
    ),
    "login-restricted": lambda site, clock: restrict(site["entry"], PageViewRestriction.LOGIN),
    "password-restricted": lambda site, clock: restrict(
        site["entry"], PageViewRestriction.PASSWORD, password="s3cret"
    ),
    "group-restricted": lambda site, clock: restrict(site["entry"], PageViewRestriction.GROUPS),
    "ancestor-restricted": lambda site, clock: restrict(site["sub"], PageViewRestriction.LOGIN),
    "expired": lambda site, clock: (
        republish(site["entry"], expire_at=timezone.now() + datetime.timedelta(hours=1)),
        clock.move_to(timezone.now() + datetime.timedelta(hours=2)),
    ),
    "repealed, hidden by the site": lambda site, clock: repeal(site["entry"]),
}


# The exits -------------------------------------------------------------------------------


def body(response):
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8-sig", errors="replace")


def page(client, site):
    response = client.get(site["entry"].url)
    return response.status_code == 200 and WORD in body(response)


def section_list(client, site):
    return WORD in body(client.get(site["root"].url))


def section_feed(client, site):
    url = reverse("opengov_catalogue:feed", args=[site["root"].pk])
    return WORD in body(client.get(url))


def export_csv(client, site):
    url = reverse("opengov_catalogue:export", args=[site["root"].pk, "csv"])
    return WORD in body(client.get(url))


def export_json(client, site):
    url = reverse("opengov_catalogue:export", args=[site["root"].pk, "json"])
    return WORD in body(client.get(url))


def api_list(client, site):
    data = json.loads(body(client.get(reverse("opengov_api:items"))))
    return any(WORD in item["title"] for item in data["items"])


def api_detail(client, site):
    response = client.get(reverse("opengov_api:item", args=[site["entry"].pk]))
    return response.status_code == 200 and WORD in body(response)


def sitemap(client, site):
    index = body(client.get(reverse("opengov_catalogue:sitemap")))
    blocks = [
        client.get(reverse("opengov_catalogue:sitemap_block", args=[n]))
        for n in range(3)
        if f"sitemap-{n}.xml" in index
    ]
    text = "".join(body(r) for r in blocks)
    return site["entry"].url in text


def shows_title(text):
    return any(part in text for part in SHOWN)


def search(client, site):
    return shows_title(body(client.get(reverse("opengov_search:search"), {"q": WORD})))


def search_feed(client, site):
    return shows_title(body(client.get(reverse("opengov_search:feed"), {"q": WORD})))


def request_suggestions(client, site):
    response = client.post(
        site["form"].url, {"action-suggest": "1", "description": f"请公开{WORD}有关文件"}
    )
    return shows_title(body(response))


def file_download(client, site):
    document = site["document"]
    response = client.get(reverse("wagtaildocs_serve", args=[document.pk, document.filename]))
    if response.status_code != 200:
        return False
    return "secret" in body(response)


def front_page_lists(client, site):
    """What a host's front page lists (opengov_cms.catalogue.front), read as the sandbox's
    home page reads it."""
    from opengov_cms.catalogue.front import latest_by_section, latest_items

    listed = latest_items(site["root"]) + [
        item for _, items in latest_by_section(site["root"]) for item in items
    ]
    return any(WORD in item.title for item in listed)


def standard_check(client, site):
    """Staff's standard-catalogue check counts as published only what may leave the site."""
    from opengov_cms.supervision import standards

    catalogue, _created = standards.load_fixture(
        {
            "format": standards.FORMAT,
            "version": standards.VERSION,
            "code": "visibility",
            "domain": "测试",
            "title": "测试目录",
            "items": [{"number": "1", "name": "湿地保护信息", "sections": [site["root"].slug]}],
        }
    )
    (result,) = standards.check(site["root"].organisation, catalogue)
    return result.latest is not None and WORD in result.latest.title


def submission_evidence(client, site):
    """A unit may point to the entry as a published page in its submission."""
    from django.core.exceptions import ValidationError

    from opengov_cms.supervision.forms import resolve_pages

    try:
        return bool(resolve_pages(site["entry"].url))
    except ValidationError:
        return False


EXITS = {
    "page": page,
    "section list": section_list,
    "section feed": section_feed,
    "CSV export": export_csv,
    "JSON export": export_json,
    "API list": api_list,
    "API detail": api_detail,
    "sitemap": sitemap,
    "search": search,
    "search feed": search_feed,
    "request-form suggestions": request_suggestions,
    "file download": file_download,
    "front-page lists": front_page_lists,
    "standard-catalogue check": standard_check,
    "submission evidence": submission_evidence,
}


@pytest.fixture
def anonymous(client):
    client.logout()
    return client


@pytest.mark.parametrize("exit_name", EXITS)
def test_a_public_entry_leaves_by_every_exit(site, anonymous, exit_name):
    assert EXITS[exit_name](anonymous, site), f"{exit_name} does not show the public entry"


@pytest.mark.parametrize("exit_name", EXITS)
@pytest.mark.parametrize("state", STATES)
def test_an_entry_that_is_not_public_leaves_by_no_exit(
    site, anonymous, state, exit_name, clock, settings
):
    settings.OPENGOV_CMS_HIDE_REPEALED = True
    STATES[state](site, clock)
    assert not EXITS[exit_name](anonymous, site), f"{exit_name} shows the entry when {state}"


def test_repealed_documents_stay_listed_unless_the_site_hides_them(site, anonymous, settings):
    repeal(site["entry"])
    assert section_list(anonymous, site) and search(anonymous, site) and page(anonymous, site)
    settings.OPENGOV_CMS_HIDE_REPEALED = True
    assert not section_list(anonymous, site) and not search(anonymous, site)


def test_the_rule_for_pages_of_any_type_follows_the_choice_about_repealed_documents_at_once(
    site, settings
):
    # What the rule says of pages of any type (a search's hits) is built once per process
    # for each choice: a change of the setting still applies to the next query.
    repeal(site["entry"])
    pages = Page.objects.filter(pk=site["entry"].pk)
    assert leaving(pages).exists()
    settings.OPENGOV_CMS_HIDE_REPEALED = True
    assert not leaving(pages).exists()
    settings.OPENGOV_CMS_HIDE_REPEALED = False
    assert leaving(pages).exists()


@pytest.mark.parametrize("state", STATES)
def test_the_rule_by_page_ids_is_the_rule(site, state, clock, settings):
    """A search checks its hits by id with a statement compiled once per number of ids:
    it keeps exactly the pages the rule keeps, whatever their state and however many ids
    it is given, the statement reused with other ids and another time."""
    settings.OPENGOV_CMS_HIDE_REPEALED = True
    pages = [site["root"], site["sub"], site["form"], site["entry"]]
    ids = [page.pk for page in pages]
    assert leaving_page_ids(ids) == set(ids)
    STATES[state](site, clock)
    clock.move_to(timezone.now() + datetime.timedelta(minutes=1))
    for some in (ids, ids[1:], ids[2:], ids[3:], [site["entry"].pk, 10**6]):
        expected = set(leaving(Page.objects.filter(pk__in=some)).values_list("pk", flat=True))
        assert leaving_page_ids(some) == expected, some
    assert site["entry"].pk not in leaving_page_ids(ids)
    assert leaving_page_ids([]) == set()


def test_the_rule_by_page_ids_on_a_site_without_time_zones(site, settings):
    ids = [site["root"].pk, site["entry"].pk]
    republish(site["entry"], expire_at=timezone.now() + datetime.timedelta(days=1))
    settings.USE_TZ = False
    assert leaving_page_ids(ids) == set(ids)
    assert leaving_page_ids(ids, now=datetime.datetime(2030, 1, 1)) == {site["root"].pk}


def test_a_restriction_lifted_brings_the_entry_back_at_once(site, anonymous):
    restrict(site["sub"], PageViewRestriction.LOGIN)
    assert not section_list(anonymous, site) and not file_download(anonymous, site)
    PageViewRestriction.objects.all().delete()
    assert section_list(anonymous, site) and api_detail(anonymous, site)
    assert file_download(anonymous, site)


def test_staff_still_get_the_file_of_a_page_that_is_not_public(site, admin_client):
    site["entry"].unpublish()
    assert file_download(admin_client, site)


def test_a_file_used_by_a_public_page_and_a_private_one_is_served(site, anonymous, publish_entry):
    other = publish_entry(parent=site["sub"], title="另一份通知")
    page = other.get_latest_revision_as_object()
    page.attachments = [EntryAttachment(document=site["document"])]
    page.save_revision().publish()
    site["entry"].unpublish()
    assert file_download(anonymous, site)
    other.unpublish()
    assert not file_download(anonymous, site)


def test_a_file_on_no_page_is_not_served_unless_the_site_says_so(anonymous, settings, db):
    document = get_document_model().objects.create(
        title="未使用", file=ContentFile(b"%PDF-1.4 secret\n", name="unused.pdf")
    )
    site = {"document": document}
    assert not file_download(anonymous, site)
    settings.OPENGOV_CMS_DOCUMENTS_UNUSED_PUBLIC = True
    assert file_download(anonymous, site)


def test_a_served_file_is_a_download_that_is_never_sniffed(site, anonymous):
    document = site["document"]
    response = anonymous.get(reverse("wagtaildocs_serve", args=[document.pk, document.filename]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_the_search_page_checks_its_hits_in_one_query_whatever_their_number(
    site, anonymous, publish_entry, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = anonymous.get(reverse("opengov_search:search"), {"q": WORD})
        assert response.status_code == 200
        return len(captured), response.context["results"].total

    # The chrome, the site's terms and the index's statistics are read once, then kept.
    anonymous.get(reverse("opengov_search:search"), {"q": WORD})
    few, total = queries()
    assert total == 1
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            publish_entry(parent=site["sub"], title=f"{WORD}保护的通知之{n}")
    many, total = queries()
    assert total == 6 and many == few


@pytest.fixture
def engine_search(settings, db):
    """The site's search on the OpenSearch node, for the search exits."""
    from opengov_cms.search.backends import get_search_backend
    from tests.search.conftest import engine_options
    from tests.services import service_url

    pytest.importorskip("opensearchpy")
    settings.OPENGOV_CMS_SEARCH = {
        "BACKEND": "opengov_cms.search.backends.engine.OpenSearchBackend",
        "OPTIONS": engine_options(service_url("opensearch")),
    }
    yield
    get_search_backend().drop()


SEARCH_EXITS = ["search", "search feed", "request-form suggestions"]


@pytest.mark.opensearch
@pytest.mark.parametrize("exit_name", SEARCH_EXITS)
def test_on_the_engine_a_public_entry_is_found(engine_search, site, anonymous, exit_name):
    assert EXITS[exit_name](anonymous, site)


@pytest.mark.opensearch
@pytest.mark.parametrize("exit_name", SEARCH_EXITS)
@pytest.mark.parametrize("state", STATES)
def test_on_the_engine_an_entry_that_is_not_public_is_not_found(
    engine_search, site, anonymous, state, exit_name, clock, settings
):
    settings.OPENGOV_CMS_HIDE_REPEALED = True
    STATES[state](site, clock)
    assert not EXITS[exit_name](anonymous, site), f"{exit_name} shows the entry when {state}"


# Sections: the site's chrome names them ----------------------------------------------------
# The main navigation and the site map (网站地图) name sections, not documents: a section
# that may not leave is in neither, whatever keeps it in.


def section_navigation(client, site):
    return f">{SECTION}</a>" in body(client.get(site["form"].url))


def section_site_map(client, site):
    return f">{SECTION}</a>" in body(client.get(reverse("opengov_core:site_map")))


SECTION = "专题专栏"
SECTION_EXITS = {"main navigation": section_navigation, "site map": section_site_map}
SECTION_STATES = {
    name: STATES[name]
    for name in (
        "unpublished",
        "scheduled",
        "login-restricted",
        "password-restricted",
        "group-restricted",
        "expired",
    )
}


@pytest.fixture
def section_site(site, organisation):
    """A section in menus beside the catalogue, standing in for the entry in the states
    above. (A section under a restricted one: tests/core/test_site_chrome.py.)"""
    section = CatalogueIndexPageFactory(
        parent=site["root"].get_parent(),
        title=SECTION,
        slug="ztzl",
        organisation=organisation,
        show_in_menus=True,
    )
    return {**site, "entry": section}


@pytest.mark.parametrize("exit_name", SECTION_EXITS)
def test_a_public_section_is_named_by_the_chrome(section_site, anonymous, exit_name):
    assert SECTION_EXITS[exit_name](anonymous, section_site)


@pytest.mark.parametrize("exit_name", SECTION_EXITS)
@pytest.mark.parametrize("state", SECTION_STATES)
def test_a_section_that_may_not_leave_is_named_nowhere(
    section_site, anonymous, state, exit_name, clock
):
    SECTION_STATES[state](section_site, clock)
    assert not SECTION_EXITS[exit_name](anonymous, section_site), f"{exit_name}: {state}"
