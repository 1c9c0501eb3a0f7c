"""Public views of opengov_core: the health check, the care-mode switch (关怀版), the site map
(网站地图), the accessibility statement, and robots.txt and the icon at the site's root."""

from django.contrib.staticfiles import finders
from django.db import connection
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

import opengov_cms
from opengov_cms.conf import opengov_settings
from opengov_cms.core.navigation import site_map_rows, site_root

#: The cookie that remembers care mode; the base template's script and the no-script
#: stylesheet read it, the page itself never does, so every visitor gets the same cached page.
CARE_COOKIE = "opengov_care"
CARE_COOKIE_AGE = 365 * 24 * 3600
CARE_CLASS = "opengov-care"
STYLESHEET = "opengov_cms/opengov.css"


@never_cache
@require_GET
def health(request):
    """For load balancers and uptime checks: the database answers, and which version runs."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "version": opengov_cms.__version__})


def care_mode_on(request):
    return request.COOKIES.get(CARE_COOKIE) == "1"


def safe_next(request):
    """Where the switch sends the reader back to: the page it was on, on this site only."""
    for candidate in (request.GET.get("next", ""), request.META.get("HTTP_REFERER", "")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return "/"


@never_cache
@require_GET
def care_mode(request, switch):
    """Turn care mode on or off with a plain link (no script needed), then go back.

    A preference, not a change to any data, so a GET link is enough; the cookie is
    readable by the page's script because that script applies it.
    """
    if switch not in ("on", "off"):
        raise Http404
    response = HttpResponseRedirect(safe_next(request))
    if switch == "on":
        response.set_cookie(
            CARE_COOKIE,
            "1",
            max_age=CARE_COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(CARE_COOKIE, samesite="Lax")
    return response


def care_stylesheet_text():
    path = finders.find(STYLESHEET)
    with open(path, encoding="utf-8") as stylesheet:
        return stylesheet.read()


@require_GET
def care_stylesheet(request):
    """For readers without JavaScript: the care rules of the stylesheet, applied without
    the class the script would set, when the cookie is on; nothing otherwise.

    Only this small response varies by cookie, and it is private to the reader, so the
    pages themselves stay cacheable by shared caches.
    """
    css = ""
    if care_mode_on(request):
        css = care_stylesheet_text().replace(f"html.{CARE_CLASS}", "html")
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    patch_vary_headers(response, ["Cookie"])
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _path(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@require_GET
def robots_txt(request):
    """Crawlers may read the site, not its admin, its search (an endless space of filters)
    or the application lookup; the sitemap says what there is."""
    disallowed = [
        _path("wagtailadmin_home"),
        _path("opengov_search:search"),
        _path("opengov_requests:status"),
        _path("opengov_core:care_mode", "on"),
        _path("opengov_core:care_mode", "off"),
    ]
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in disallowed if path]
    sitemap = _path("opengov_sitemap")
    if sitemap:
        lines.append(f"Sitemap: {request.build_absolute_uri(sitemap)}")
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the package's."""
    return HttpResponsePermanentRedirect(static("opengov_cms/favicon.ico"))


def nest(rows):
    """The site map's flat rows (each with a level) as a tree: each row gains ``children``."""
    top, stack = [], []
    for row in rows:
        node = {**row, "children": []}
        while stack and stack[-1]["level"] >= node["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else top).append(node)
        stack.append(node)
    return top


@require_GET
def site_map(request):
    """The site map (网站地图) a government website shows: its sections as a tree, with the
    package's own services (search, the application form's status lookup) beside them."""
    root = site_root(request)
    if root is None:
        raise Http404
    tree = nest(site_map_rows(root, request))
    services = [
        (label, url)
        for label, url in (
            (_("站内检索"), _path("opengov_search:search")),
            (_("依申请公开办理进度查询"), _path("opengov_requests:status")),
            (_("无障碍"), _path("opengov_core:accessibility")),
        )
        if url
    ]
    response = render(
        request,
        "opengov_cms/site_map.html",
        {
            "opengov_base_template": opengov_settings.BASE_TEMPLATE,
            "home": root,
            "tree": tree,
            "services": services,
        },
    )
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_GET
def accessibility(request):
    """What the site does for readers with disabilities, and whom to tell when it fails
    them; the footer's 无障碍 link leads here unless the site names its own service."""
    response = render(
        request,
        "opengov_cms/accessibility.html",
        {"opengov_base_template": opengov_settings.BASE_TEMPLATE},
    )
    patch_cache_control(response, public=True, max_age=3600)
    return response
