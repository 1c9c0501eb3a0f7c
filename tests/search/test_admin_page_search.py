"""Wagtail's admin page search, in Chinese, through opengov_cms.search.wagtail_backend.

Everything goes through the admin as an editor uses it: the pages search view, the
explorer's search box and the page chooser, logged in with the Django test client; pages are
made and published the way editors make them, and the editors' index follows from the
signals and the jobs they enqueue on commit.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import GroupPagePermission, Page
from wagtail.search.backends import get_search_backend

from opengov_cms.core.models import Membership
from opengov_cms.search import admin_index
from opengov_cms.search.models import AdminSearchEntry
from tests.catalogue.factories import CatalogueIndexPageFactory, DisclosureEntryPageFactory

CHINESE_BACKEND = {"default": {"BACKEND": "opengov_cms.search.wagtail_backend"}}
SEARCH = reverse("wagtailadmin_pages:search")
CHOOSER_SEARCH = reverse("wagtailadmin_choose_page_search")

PLAN = "六安市文化和旅游局2019年政府信息公开工作方案"


@pytest.fixture(autouse=True)
def chinese_admin_search(settings):
    settings.WAGTAILSEARCH_BACKENDS = CHINESE_BACKEND


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what an action enqueues on commit, as after a real request's transaction."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def entry(publish_entry, committed):
    def make(**fields):
        fields.setdefault("summary", "")
        return committed(publish_entry, **fields)

    return make


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def found(response, page):
    assert response.status_code == 200
    return edit_url(page) in response.content.decode()


def test_a_two_character_word_in_a_title_or_body_is_found(admin_client, entry):
    plan = entry(title=PLAN, body="<p>做好非物质文化遗产保护信息的发布。</p>")
    other = entry(title="关于做好防汛抗旱工作的通知", body="<p>各有关单位。</p>")

    response = admin_client.get(SEARCH, {"q": "公开"})
    assert found(response, plan) and not found(response, other)
    # A word only in the body, and one spanning two bigrams.
    assert found(admin_client.get(SEARCH, {"q": "遗产"}), plan)
    assert found(admin_client.get(SEARCH, {"q": "信息公开工作"}), plan)
    # Every part of the query must match.
    assert not found(admin_client.get(SEARCH, {"q": "公开 防汛"}), plan)
    assert not found(admin_client.get(SEARCH, {"q": "公开信息"}), plan)


def test_wagtails_own_backend_misses_the_same_word(admin_client, entry, settings):
    """What this backend is for: Wagtail's database backend indexes 政府信息公开工作方案 as one
    word, so 公开 inside it is not found."""
    plan = entry(title=PLAN)
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    assert not found(admin_client.get(SEARCH, {"q": "公开"}), plan)


@pytest.mark.parametrize(
    "query",
    ["六文旅〔2019〕12号", "六文旅[2019]12号", "六文旅（2019）12号", "六文旅(２０１９)１２号"],
)
def test_a_document_number_in_any_brackets_is_found_first(admin_client, entry, query):
    numbered = entry(title="关于印发工作方案的通知", document_number="六文旅〔2019〕12号")
    # Mentions the same series in its title, so it matches too, but ranks below.
    mention = entry(title="六文旅2019年12号文件的补充说明")
    response = admin_client.get(SEARCH, {"q": query})
    html = response.content.decode()
    assert found(response, numbered)
    assert html.index(edit_url(numbered)) < html.index(edit_url(mention))


def test_an_index_number_is_found_in_any_case(admin_client, entry):
    page = entry(title="年度工作要点")
    assert page.index_number
    other = entry(title="年度工作总结")
    response = admin_client.get(SEARCH, {"q": page.index_number.lower()})
    assert found(response, page) and not found(response, other)


def test_the_explorer_search_and_the_page_chooser_find_it(admin_client, entry, section):
    plan = entry(title=PLAN)
    explorer = reverse("wagtailadmin_explore", args=[section.pk])
    assert found(admin_client.get(explorer, {"q": "公开"}), plan)
    response = admin_client.get(CHOOSER_SEARCH, {"q": "公开"})
    assert response.status_code == 200
    assert PLAN in response.content.decode()


def test_a_draft_is_found_by_the_text_of_its_latest_revision(
    admin_client, section, organisation, committed
):
    def create():
        page = DisclosureEntryPageFactory.build(
            title="草稿", organisation=organisation, body="<p>初稿。</p>", live=False
        )
        section.add_child(instance=page)
        page.save_revision()
        page.title = "关于开展安全生产大检查的通知"
        page.body = "<p>重点检查危险化学品仓库。</p>"
        page.save_revision()
        return page

    draft = committed(create)
    assert not Page.objects.get(pk=draft.pk).live
    assert found(admin_client.get(SEARCH, {"q": "检查"}), draft)
    assert found(admin_client.get(SEARCH, {"q": "化学"}), draft)
    # The page row still holds the first version; the latest revision is what counts.
    assert not found(admin_client.get(SEARCH, {"q": "初稿"}), draft)


def test_a_live_page_is_found_by_its_published_text_only(admin_client, entry, committed):
    page = entry(title="关于公布行政许可事项清单的通知")

    def draft_change():
        page.title = "关于公布行政许可事项清单的通知（内部征求意见稿）"
        page.save_revision()

    committed(draft_change)
    # The pending draft's words do not show through a search of live pages ...
    assert not found(admin_client.get(SEARCH, {"q": "内部"}), page)
    assert not Page.objects.live().search("内部").count()
    assert found(admin_client.get(SEARCH, {"q": "许可"}), page)
    # ... until it is published.
    committed(lambda: page.get_latest_revision().publish())
    assert found(admin_client.get(SEARCH, {"q": "内部"}), page)


def test_editors_see_only_the_pages_they_may_explore(
    client, django_user_model, home_page, organisation, committed, publish_entry
):
    tourism = CatalogueIndexPageFactory(parent=home_page, title="文旅局", organisation=organisation)
    finance = CatalogueIndexPageFactory(parent=home_page, title="财政局", organisation=organisation)
    ours = committed(publish_entry, parent=tourism, title="文旅局信息公开年度报告")
    theirs = committed(publish_entry, parent=finance, title="财政局信息公开年度报告")

    group = Group.objects.create(name="文旅局编辑")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group,
        page=tourism,
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="change_page"
        ),
    )
    editor = django_user_model.objects.create_user("editor", "editor@example.com", "pw")
    editor.groups.add(group)
    # Entered as the organisation's editor (机构人员): without it the admin lists none of
    # its pages (opengov_cms.core.memberships.scope_pages).
    Membership.objects.create(user=editor, organisation=organisation, role="editor")
    client.force_login(editor)

    for url in (SEARCH, reverse("wagtailadmin_explore", args=[tourism.pk])):
        response = client.get(url, {"q": "信息公开"})
        assert found(response, ours)
        assert not found(response, theirs)
        assert "财政局信息公开年度报告" not in response.content.decode()


def test_queries_stay_the_same_as_results_grow(admin_client, entry):
    def search():
        with CaptureQueriesContext(connection) as context:
            response = admin_client.get(SEARCH, {"q": "信息公开"})
        assert response.status_code == 200
        return response, len(context.captured_queries)

    pages = [entry(title=f"关于做好{year}年信息公开工作的通知") for year in (2024, 2025)]
    search()  # caches warmed: content types, site root paths
    _response, few = search()
    pages += [entry(title=f"关于做好{year}年信息公开工作的通知") for year in range(2000, 2012)]
    response, many = search()
    assert all(found(response, page) for page in pages)
    assert many == few


def test_other_searches_stay_with_wagtails_backend(root_collection, committed):
    document = committed(Document.objects.create, title="Annual plan", file="documents/plan.pdf")
    backend = get_search_backend()
    assert type(backend).__name__.startswith("Chinese")
    assert list(Document.objects.search("plan")) == [document]
    assert list(backend.autocomplete("ann", Document)) == [document]


def test_deleting_a_page_removes_its_entry(entry, committed):
    page = entry(title=PLAN)
    assert AdminSearchEntry.objects.filter(page_id=page.pk).exists()
    pk = page.pk
    committed(Page.objects.get(pk=pk).delete)
    assert not AdminSearchEntry.objects.filter(page_id=pk).exists()
    assert not Page.objects.search("公开").count()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {admin_index.FTS_TABLE} WHERE rowid = %s", [pk])
            assert cursor.fetchone()[0] == 0


@pytest.mark.parametrize(
    "query",
    [
        '公开" OR title:*',
        "信息 & | ! ( ) ~ * : NEAR(公开)",
        "AND OR NOT",
        "'; DROP TABLE opengov_search_admin_fts; --",
        "〔〕",
        "公" * 100_000,
        "公开\x00",
    ],
)
def test_any_text_is_a_harmless_query(admin_client, entry, query):
    plan = entry(title=PLAN)
    for url in (SEARCH, CHOOSER_SEARCH):
        response = admin_client.get(url, {"q": query})
        assert response.status_code == 200
        # A lone surrogate, as a crafted URL can carry it.
        assert admin_client.get(url + "?q=%E5%85%AC%ED%A0%80").status_code == 200
    assert found(admin_client.get(SEARCH, {"q": "公开"}), plan)
