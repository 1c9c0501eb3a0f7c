"""The default base template's chrome: the masthead and footer from the site's identity
(网站标识), the main navigation, the site map (网站地图) and the accessibility statement;
each block replaceable by a host site's own base template."""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction, Site

from opengov_cms.core.models import SiteIdentity
from opengov_cms.core.models.site_identity import IDENTITY_VERSION_KEY
from opengov_cms.core.navigation import CHROME_VERSION_KEY
from opengov_cms.disclosure_requests.models import RequestFormPage
from tests.catalogue.factories import CatalogueIndexPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_page(home_page, organisation):
    """A page of the package under the home page, to read the chrome on."""
    page = RequestFormPage(title="政府信息公开申请", slug="apply", organisation=organisation)
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def identity(home_page):
    site = Site.objects.get(is_default_site=True)
    site.site_name = "示例站点"
    site.save()
    identity = SiteIdentity.for_site(site)
    identity.agency_name = "六安市文化和旅游局"
    identity.host = "六安市人民政府办公室"
    identity.organiser = "六安市文化和旅游局办公室"
    identity.contact = "地址：安徽省六安市金安区梅山南路\n\n电话：0564-3370000\n"
    identity.website_code = "3415000012"
    identity.icp_number = "皖ICP备12345678号-1"
    identity.police_number = "皖公网安备 34150202000123号"
    identity.save()
    return identity


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_masthead_and_footer_show_the_sites_identity(client, form_page, identity):
    page = html(client, form_page.url)
    assert '<span class="opengov-site-name">六安市文化和旅游局</span>' in page
    assert "<title>政府信息公开申请 - 六安市文化和旅游局</title>" in page
    for shown in (
        "主办单位：六安市人民政府办公室",
        "承办单位：六安市文化和旅游局办公室",
        "网站标识码：3415000012",
        '<span class="opengov-identity-line">电话：0564-3370000</span>',
    ):
        assert shown in page
    # The registrations link to where the public checks them; blank contact lines are dropped.
    assert '<a href="https://beian.miit.gov.cn/">皖ICP备12345678号-1</a>' in page
    assert "https://beian.mps.gov.cn/#/query/webSearch?code=34150202000123" in page
    assert page.count("opengov-identity-line") == 2


def test_an_emblem_shows_beside_the_name(client, form_page, identity):
    identity.emblem = get_image_model().objects.create(
        title="国徽", file=get_test_image_file(size=(96, 96))
    )
    identity.save()
    page = html(client, form_page.url)
    masthead = page.split('class="opengov-site"')[1].split("</p>")[0]
    # Decorative beside the name, which is the link's text.
    assert 'class="opengov-emblem"' in masthead and 'alt=""' in masthead
    assert "六安市文化和旅游局" in masthead


def test_without_an_identity_the_site_name_stands_and_nothing_is_empty(client, form_page):
    site = Site.objects.get(is_default_site=True)
    site.site_name = "示例站点"
    site.save()
    page = html(client, form_page.url)
    assert '<span class="opengov-site-name">示例站点</span>' in page
    assert "主办单位" not in page and "网站标识码" not in page and "beian" not in page
    assert "<p>示例站点</p>" in page  # the footer names the site


def test_the_footer_links_to_the_site_map_care_mode_and_accessibility(client, form_page):
    page = html(client, form_page.url)
    footer = page.split('class="opengov-footer"')[1]
    for name in ("opengov_core:site_map", "opengov_core:accessibility"):
        assert f'href="{reverse(name)}"' in footer
        assert client.get(reverse(name)).status_code == 200
    assert f"{reverse('opengov_core:care_mode', args=['on'])}?next=/apply/" in footer


def test_a_site_naming_its_own_accessibility_service_links_there(client, form_page, identity):
    identity.accessibility_url = "https://wza.example.gov.cn/"
    identity.save()
    footer = html(client, form_page.url).split('class="opengov-footer"')[1]
    assert 'href="https://wza.example.gov.cn/"' in footer
    assert reverse("opengov_core:accessibility") not in footer


def test_the_accessibility_statement_names_whom_to_tell(client, home_page, identity):
    page = html(client, reverse("opengov_core:accessibility"))
    assert "<h1>无障碍服务</h1>" in page
    assert "电话：0564-3370000" in page.split("<main")[1]


# The main navigation ---------------------------------------------------------------------


@pytest.fixture
def sections(home_page, organisation, form_page):
    """Four sections under the home page, three in menus."""
    made = {}
    for slug, title, in_menus in (
        ("xxgk", "政府信息公开", True),
        ("news", "新闻动态", True),
        ("inner", "内部资料", True),
        ("hidden", "不在菜单", False),
    ):
        made[slug] = CatalogueIndexPageFactory(
            parent=home_page,
            title=title,
            slug=slug,
            organisation=organisation,
            show_in_menus=in_menus,
        )
    made["sub"] = CatalogueIndexPageFactory(
        parent=made["xxgk"], title="财政信息", slug="finance", organisation=organisation
    )
    return made


def navigation(page_html):
    nav = page_html.split('class="opengov-nav"')[1].split("</nav>")[0]
    return nav


def test_the_main_navigation_lists_the_sections_in_menus_that_may_leave(
    client, form_page, sections
):
    PageViewRestriction.objects.create(
        page=sections["inner"], restriction_type=PageViewRestriction.LOGIN
    )
    nav = navigation(html(client, form_page.url))
    assert ">首页</a>" in nav
    assert ">政府信息公开</a>" in nav and ">新闻动态</a>" in nav
    assert "内部资料" not in nav  # behind a login
    assert "不在菜单" not in nav  # not shown in menus
    sections["news"].unpublish()
    assert "新闻动态" not in navigation(html(client, form_page.url))


def test_the_navigation_marks_where_the_reader_is(client, home_page, sections):
    nav = navigation(html(client, sections["sub"].url))
    assert '<a href="/xxgk/" aria-current="true">政府信息公开</a>' in nav
    assert 'aria-current="page"' not in nav
    nav = navigation(html(client, sections["xxgk"].url))
    assert '<a href="/xxgk/" aria-current="page">政府信息公开</a>' in nav
    assert '<a href="/news/">新闻动态</a>' in nav


def test_the_chrome_costs_the_same_queries_however_many_sections(
    client, form_page, sections, organisation, home_page, identity
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            html(client, form_page.url)
        return len(captured)

    def cold_and_warm():
        cache.clear()
        return queries(), queries()

    cold, warm = cold_and_warm()
    assert warm < cold  # the identity and the menu come from the cache
    for n in range(8):
        CatalogueIndexPageFactory(
            parent=home_page,
            title=f"栏目{n}",
            slug=f"extra-{n}",
            organisation=organisation,
            show_in_menus=True,
        )
    assert cold_and_warm() == (cold, warm)


# The site map ----------------------------------------------------------------------------


def site_map(client):
    page = html(client, reverse("opengov_core:site_map"))
    return page.split('class="opengov-site-map"')[1].split("</nav>")[0]


def test_the_site_map_shows_the_sections_as_a_tree_without_the_documents(
    client, sections, publish_entry
):
    entry = publish_entry(parent=sections["sub"], title="2026年部门预算")
    tree = site_map(client)
    assert '<a href="/xxgk/">政府信息公开</a><ul><li><a href="/xxgk/finance/">财政信息</a>' in tree
    assert '<a href="/apply/">政府信息公开申请</a>' in tree
    assert "不在菜单" in tree  # the map shows every section, not only the menu's
    assert "2026年部门预算" not in tree  # a document: the catalogue and sitemap.xml list it
    assert entry.get_parent().title not in tree  # nor the year folder it is filed in


def test_a_section_that_may_not_leave_takes_its_subtree_off_the_map(client, sections):
    PageViewRestriction.objects.create(
        page=sections["xxgk"], restriction_type=PageViewRestriction.LOGIN
    )
    tree = site_map(client)
    assert "政府信息公开" not in tree.replace("政府信息公开申请", "")
    assert "财政信息" not in tree
    PageViewRestriction.objects.all().delete()
    assert "财政信息" in site_map(client)


def test_a_new_section_is_on_the_map_at_once(client, sections, organisation):
    assert "规划计划" not in site_map(client)
    page = CatalogueIndexPageFactory.build(
        title="规划计划", slug="plans", organisation=organisation
    )
    sections["xxgk"].add_child(instance=page)
    page.save_revision().publish()
    assert '<a href="/xxgk/plans/">规划计划</a>' in site_map(client)
    page.unpublish()
    assert "规划计划" not in site_map(client)


def test_the_site_map_expires_with_a_section(client, sections, clock):
    page = sections["news"]
    page.expire_at = timezone.now() + datetime.timedelta(minutes=1)
    page.save_revision().publish()
    assert "新闻动态" in site_map(client)
    clock.move_to(timezone.now() + datetime.timedelta(minutes=10))
    assert "新闻动态" not in site_map(client)


def test_the_site_map_reads_the_tree_in_a_fixed_number_of_queries(client, sections, publish_entry):
    for n in range(10):
        publish_entry(parent=sections["sub"], title=f"文件{n}")
    with CaptureQueriesContext(connection) as captured:
        site_map(client)
    assert len(captured) <= 8
    with CaptureQueriesContext(connection) as cached:
        site_map(client)
    assert len(cached) < len(captured)  # kept until a section changes


def test_the_site_map_of_a_host_without_a_site_is_not_found(client, db):
    Site.objects.all().delete()
    assert client.get(reverse("opengov_core:site_map")).status_code == 404


# A host site's own chrome ----------------------------------------------------------------


def test_a_host_base_template_replaces_one_block_and_keeps_the_rest(
    client, form_page, identity, settings, tmp_path
):
    (tmp_path / "host_base.html").write_text(
        '{% extends "opengov_cms/base.html" %}'
        "{% block masthead %}<p>宿主站点自己的页眉</p>{% endblock %}",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]},
        *settings.TEMPLATES[1:],
    ]
    settings.OPENGOV_CMS_BASE_TEMPLATE = "host_base.html"
    page = html(client, form_page.url)
    assert "<p>宿主站点自己的页眉</p>" in page
    assert "opengov-site-name" not in page
    assert "主办单位：六安市人民政府办公室" in page  # the footer is the package's still
    assert 'role="search"' in page


def test_a_page_outside_the_tree_reads_the_chrome_from_the_cache_once(
    client, form_page, sections, identity
):
    """The search page is not routed by Wagtail: its masthead, menu and footer each ask for
    the site, the menu and the identity. A page asks the cache once, for the two versions
    they are kept under; the process keeps what it read under them."""
    search = reverse("opengov_search:search") + "?q=" + "公开"
    html(client, search)  # the cache filled
    backend = caches["default"]
    real_get, real_get_many = backend.get, backend.get_many
    reads, inside = [], []

    def get(*args, **kwargs):
        if not inside:  # not the local cache's get_many, which reads key by key
            reads.append(("get", args[0]))
        return real_get(*args, **kwargs)

    def get_many(keys, *args, **kwargs):
        reads.append(("get_many", tuple(keys)))
        inside.append(True)
        try:
            return real_get_many(keys, *args, **kwargs)
        finally:
            inside.pop()

    with mock.patch.object(backend, "get", get), mock.patch.object(backend, "get_many", get_many):
        page_html = html(client, search)
    assert ">新闻动态</a>" in navigation(page_html)  # the menu is there
    assert "六安市文化和旅游局" in page_html  # and the identity
    assert reads == [("get_many", (CHROME_VERSION_KEY, IDENTITY_VERSION_KEY))]
    # The next page reads them again: a section changed in between shows at once.
    sections["news"].unpublish()
    assert "新闻动态" not in navigation(html(client, search))
    # So does an identity changed.
    identity.agency_name = "六安市文旅局"
    identity.save()
    assert "六安市文旅局" in html(client, search)


def test_without_a_cache_that_keeps_versions_the_menu_is_read_every_time(
    client, settings, sections
):
    """Django's dummy cache keeps no version to move: the process keeps no copy either, so
    a section taken off the site leaves the menu on the next page."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    search = reverse("opengov_search:search")
    assert "新闻动态" in client.get(search).content.decode()
    sections["news"].unpublish()
    assert "新闻动态" not in client.get(search).content.decode()
