"""What the site's chrome lists: the main navigation and the site map (网站地图).

Both read the page tree through the one rule of what may leave (core.visibility), so a
section hidden, expired or behind a login is neither in the menu nor on the map. Each is a
fixed number of queries whatever the size of the tree, and both are kept in the cache until
a section changes. The menu is the site root's children shown in menus. The map is the
sections: the tree down to ``SITE_MAP_DEPTH`` levels without the documents themselves (pages
that carry disclosure metadata), which the catalogue lists and /sitemap.xml names one by
one, nor the page types that say ``opengov_site_map = False``.
"""

import functools
import secrets
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from wagtail.models import Page, PageViewRestriction, Site

from opengov_cms.conf import opengov_settings
from opengov_cms.core.models import Organisation
from opengov_cms.core.models.site_identity import IDENTITY_VERSION_KEY
from opengov_cms.core.versions import (
    IN_PROCESS_SECONDS,
    current_version,
    forget,
    kept_in_process,
    known_version,
    on_commit_once,
    pending_on_commit,
)
from opengov_cms.core.visibility import disclosed_models, leaving

CHROME_VERSION_KEY = "opengov_cms:chrome:version"
#: An upper bound on how long the menu and the map may miss an expiry time passing, the one
#: change that comes without a signal: kept this long less IN_PROCESS_SECONDS in the cache,
#: then at most IN_PROCESS_SECONDS in a process.
CHROME_CACHE_SECONDS = 300
_SHARED_SECONDS = CHROME_CACHE_SECONDS - IN_PROCESS_SECONDS


@dataclass(frozen=True)
class ChromeSite:
    """What the chrome needs of the request's Wagtail site."""

    pk: int
    root_page_id: int
    site_name: str


def _chrome_version(request):
    """The version of what is kept under CHROME_VERSION_KEY, read once per request: the
    masthead, the menu and the footer each ask for the site and the menu, and a page's
    chrome is read as it stood when the page began."""
    if request is None:
        return chrome_version()
    return _request_version(request, "_opengov_chrome_version")


def identity_version(request):
    """The version of the site identity the chrome shows (IDENTITY_VERSION_KEY), read with
    the chrome's own once per request."""
    if request is None:
        return current_version(IDENTITY_VERSION_KEY)
    return _request_version(request, "_opengov_identity_version")


def _request_version(request, attribute):
    version = getattr(request, attribute, None)
    if version is None:
        _read_chrome_versions(request)
        version = getattr(request, attribute)
    return version


def _read_chrome_versions(request):
    """Both versions the chrome is kept under, in one round trip to the cache; each process
    keeps the site, the menu and the identity read under them (core.versions), so that is
    all a page's chrome asks of the cache."""
    keys = (CHROME_VERSION_KEY, IDENTITY_VERSION_KEY)
    versions = {key: known_version(key) for key in keys}
    missing = [key for key, version in versions.items() if version is None]
    if missing:
        versions.update(cache.get_many(missing))
    if versions.get(CHROME_VERSION_KEY) is None:
        versions[CHROME_VERSION_KEY] = chrome_version()
    if versions.get(IDENTITY_VERSION_KEY) is None:
        versions[IDENTITY_VERSION_KEY] = current_version(IDENTITY_VERSION_KEY)
    request._opengov_chrome_version = versions[CHROME_VERSION_KEY]
    request._opengov_identity_version = versions[IDENTITY_VERSION_KEY]


def current_site(request):
    """The request's site as the chrome needs it: Wagtail's own where its routing already
    found it (a page), otherwise kept in the cache per host until a site or section changes,
    so the package's other views (search, status lookup) add no query for it; read once
    per request."""
    if request is None:
        return None
    site = getattr(request, "_wagtail_site", None)  # Site.find_for_request's own
    if site is None:
        found = getattr(request, "_opengov_chrome_site", None)
        if found is not None:
            return found or None
        try:
            host = request.get_host()
        except DisallowedHost:
            return None
        key = f"opengov_cms:site:{host}:{_chrome_version(request)}"
        found = _kept(key, request, lambda: _kept_site(request, key))
        request._opengov_chrome_site = found
        return found or None
    return chrome_site(site)


def _kept_site(request, key):
    found = cache.get(key)
    if found is None:
        site = Site.find_for_request(request)
        found = chrome_site(site) if site is not None else False
        cache.set(key, found, _SHARED_SECONDS)
    return found


def chrome_site(site):
    return ChromeSite(pk=site.pk, root_page_id=site.root_page_id, site_name=site.site_name)


def site_root(request):
    site = Site.find_for_request(request) if request is not None else None
    return site.root_page if site is not None else None


def main_navigation(request):
    """The site's home page and the main navigation: the root's children that are shown in
    menus and may leave, as ``{"home": link, "items": [link, …]}``, each link a dict of pk,
    path, title and url. Kept in the cache until a section changes, so a page reads it
    without a query (and once per request: the masthead and the menu both ask); an empty
    menu outside a site."""
    site = current_site(request)
    if site is None:
        return {"home": None, "items": []}
    menu = getattr(request, "_opengov_navigation", None)
    if menu is not None:
        return menu
    key = f"opengov_cms:navigation:{site.pk}:{site.root_page_id}:{_chrome_version(request)}"
    menu = request._opengov_navigation = _kept(
        key, request, lambda: _kept_navigation(request, site, key)
    )
    return menu


def _kept(key, request, load):
    """``load()``, kept in the process (core.versions) under ``key``, which names the
    chrome's version, unless the cache keeps no version (Django's dummy cache, where the
    version stays 0 and nothing would move it)."""
    if not _chrome_version(request):
        return load()
    return kept_in_process(key, load)


def _kept_navigation(request, site, key):
    menu = cache.get(key)
    if menu is None:
        root = Page.objects.filter(pk=site.root_page_id).first()
        menu = {"home": None, "items": []}
        if root is not None:
            children = leaving(root.get_children().in_menu()).order_by("path")
            menu = {
                "home": link(root, request),
                "items": [link(page, request) for page in children],
            }
        cache.set(key, menu, _SHARED_SECONDS)
    return menu


def link(page, request):
    return {"pk": page.pk, "path": page.path, "title": page.title, "url": page.get_url(request)}


def mark_current(items, page):
    """``items`` as ``(link, current)`` pairs, ``current`` where ``page`` is that section
    or lies below it."""
    path = getattr(page, "path", "") or ""
    return [(item, bool(path) and path.startswith(item["path"])) for item in items]


def is_document(page_class):
    return any(issubclass(page_class, model) for model in disclosed_models())


@functools.cache
def off_the_map():
    """The page types the site map leaves out: documents (pages with disclosure metadata)
    and types that say ``opengov_site_map = False`` (the catalogue's year folders)."""
    return tuple(
        model
        for model in apps.get_models()
        if issubclass(model, Page)
        and (is_document(model) or not getattr(model, "opengov_site_map", True))
    )


def sections_changed(sender=None, instance=None, **kwargs):
    """A signal receiver for any save or delete: a section (a page of a type on the map),
    a view restriction, a site or an organisation changed, so what is kept under
    CHROME_VERSION_KEY (the menus and maps, the application form pages) is out of date.

    The version moves at once and again when the transaction commits: a copy another
    process read between the two (the old rows, under the new version) is not kept."""
    if isinstance(instance, (PageViewRestriction, Site, Organisation)) or (
        isinstance(instance, Page) and instance.specific_class not in off_the_map()
    ):
        move_chrome_version()
        # One move on commit per transaction, not one per row.
        if transaction.get_connection().in_atomic_block:
            on_commit_once(move_chrome_version)


def changes_pages_now():
    """Whether the current transaction changed what CHROME_VERSION_KEY covers (what it reads
    of it may yet be rolled back)."""
    return pending_on_commit(move_chrome_version)


def move_chrome_version():
    forget(CHROME_VERSION_KEY)
    try:
        cache.incr(CHROME_VERSION_KEY)
    except ValueError:
        cache.set(CHROME_VERSION_KEY, _new_version(), None)


def chrome_version():
    """The version now under CHROME_VERSION_KEY, given out on first use. A number drawn at
    random, so a key the cache lost (flushed, evicted) comes back as a version no process
    kept a copy under."""
    version = known_version(CHROME_VERSION_KEY)
    if version is None:
        version = cache.get(CHROME_VERSION_KEY)
    if version is None:
        cache.add(CHROME_VERSION_KEY, _new_version(), None)
        version = cache.get(CHROME_VERSION_KEY, 0)
    return version


def _new_version():
    return secrets.randbelow(2**62)


def site_map_rows(root, request=None):
    """The sections under ``root`` that may leave, in tree order, each a dict of title, url
    and level (1 for the root's children). A section is on the map only when the section
    above it is."""
    depth = max(1, int(opengov_settings.SITE_MAP_DEPTH))
    key = f"opengov_cms:site_map:{root.pk}:{depth}:{_chrome_version(request)}"
    rows = cache.get(key)
    if rows is not None:
        return rows
    documents = ContentType.objects.get_for_models(*off_the_map()).values()
    pages = (
        leaving(Page.objects.descendant_of(root).filter(depth__lte=root.depth + depth))
        .exclude(content_type__in=[content_type.pk for content_type in documents])
        .order_by("path")
        .only("id", "path", "depth", "title", "url_path")
    )
    rows, shown = [], {root.path}
    for page in pages:
        if page.path[: -Page.steplen] not in shown:
            continue  # its parent is not on the map
        url = page.get_url(request=request)
        if not url:
            continue  # not routable from any site
        shown.add(page.path)
        rows.append({"title": page.title, "url": url, "level": page.depth - root.depth})
    cache.set(key, rows, CHROME_CACHE_SECONDS)
    return rows
