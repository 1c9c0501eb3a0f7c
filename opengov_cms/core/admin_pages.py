"""The admin's lists of pages (explorer, chooser, page search, pages of a type, reports) keep to
the organisations a person acts for (opengov_cms.core.memberships.scope_pages), and its views
of one page (history, revisions, preview, workflow history, usage...) refuse another
organisation's page.

Wagtail lists pages by page permissions, which say where in the tree a person may work: in
a section several organisations share, that is every organisation's pages, drafts
included. The explorer and the chooser take a queryset hook; the page search has none, so
its view is replaced by one that scopes the pages it searches.
"""

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.admin.views.pages.search import SearchView
from wagtail.models import Page

from opengov_cms.core import memberships


def scope_explorer(parent_page, pages, request):
    return memberships.scope_pages(pages, request.user)


def scope_chooser(pages, request):
    return memberships.scope_pages(pages, request.user)


class ScopedPagesMixin:
    """A page listing (Wagtail's pages IndexView) over the pages of the organisations the
    user acts for.

    ``annotate_queryset`` is where Wagtail 7.2 and 8 alike take the pages, limited to the
    explorable ones, just before searching or listing them."""

    def annotate_queryset(self, pages):
        return super().annotate_queryset(memberships.scope_pages(pages, self.request.user))


class ScopedSearchView(ScopedPagesMixin, SearchView):
    """Wagtail's page search over the pages of the organisations the user acts for; the
    pages counted for the page-type facets (``all_pages``) are limited the same way."""

    def annotate_queryset(self, pages):
        if getattr(self, "all_pages", None) is not None:
            self.all_pages = memberships.scope_pages(self.all_pages, self.request.user)
        return super().annotate_queryset(pages)


def _page_view(view_class, **kwargs):
    try:
        # Wagtail 8 builds the page views from the base page viewset.
        from wagtail.admin.viewsets.pages import base_page_viewset
    except ImportError:
        return view_class.as_view(**kwargs)
    return base_page_viewset.construct_view(view_class, **kwargs)


def scoped_search_view(results_only):
    return _page_view(ScopedSearchView, results_only=results_only)


def scoped_type_use_view(results_only):
    """The pages of one type (页面类型 → 使用情况): the organisations' own pages only."""
    from wagtail.admin.views.pages.usage import ContentTypeUseView

    view_class = type("ScopedContentTypeUseView", (ScopedPagesMixin, ContentTypeUseView), {})
    return _page_view(view_class, results_only=results_only)


#: Wagtail's page listings (wagtailadmin_pages:…) replaced by scoped ones.
SCOPED_LISTINGS = {
    "search": lambda: scoped_search_view(results_only=False),
    "search_results": lambda: scoped_search_view(results_only=True),
    "type_use": lambda: scoped_type_use_view(results_only=False),
    "type_use_results": lambda: scoped_type_use_view(results_only=True),
}


def install_scoped_search(urlpatterns):
    """Route Wagtail's page search (``wagtailadmin_pages:search`` and ``:search_results``)
    and its pages of a type (``:type_use``, ``:type_use_results``) in ``urlpatterns``
    (wagtail.admin.urls.pages) to the scoped views; returns the names routed, so that a
    Wagtail without them is noticed."""
    routed = []
    for pattern in urlpatterns:
        name = getattr(pattern, "name", None)
        if name in SCOPED_LISTINGS:
            pattern.callback = SCOPED_LISTINGS[name]()
            routed.append(name)
    return routed


# One page by its id ----------------------------------------------------------------------

#: The URL arguments by which Wagtail's page views (wagtail.admin.urls.pages) name the page
#: they open: every such view is refused on another organisation's page. The views that
#: name a parent (``parent_page_id``: add, add_subpage, preview_on_add) open no existing
#: page; the page they add is checked on save (the organisation field's choices).
PAGE_ID_ARGUMENTS = ("page_id", "page_to_move_id", "pk")
#: The views whose URL names the page by its first unnamed group (Wagtail 7.2's
#: ``revisions_compare``: ``^(\d+)/revisions/compare/...``).
PAGE_ID_FIRST = ("revisions_compare",)


def refuse_another_organisations_page(request, page, *args):
    """Wagtail's page permissions say where a person may work in the tree; a page that is
    another organisation's work (in a section several organisations share, say) is refused
    to those who do not work for that organisation (opengov_cms.core.memberships). The
    refusal names the organisation, not the page, whose title is its own business."""
    if memberships.may_work_on_page(request.user, page):
        return None
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        raise PermissionDenied
    from opengov_cms.core.models import Organisation

    organisation = Organisation.objects.filter(pk=memberships.page_organisation_id(page)).first()
    messages.error(
        request,
        _(
            "这是%(organisation)s的信息，您不是该机构的编辑或审核人员，不能查看、修改、发布、"
            "移动、复制或删除。"
        )
        % {"organisation": organisation},
    )
    parent = page.get_parent()
    return redirect("wagtailadmin_explore", parent.pk if parent else page.pk)


def for_the_pages_organisation(view, first=False, arguments=PAGE_ID_ARGUMENTS, sections=True):
    """``view`` (a page view of Wagtail's) refusing another organisation's page, named by
    one of ``arguments`` or, when ``first``, by the first positional argument; with
    ``sections`` False, a catalogue root or section (which several organisations may share)
    is never refused."""
    if getattr(view, "opengov_page_scoped", False):
        return view

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        page_id = next((kwargs[name] for name in arguments if name in kwargs), None)
        if page_id is None and first and args:
            page_id = args[0]
        if page_id is not None and request.user.is_authenticated:
            page = Page.objects.filter(pk=page_id).first()
            if page is not None and not sections:
                owners = memberships.organisation_page_models()
                if not issubclass(page.specific_class or Page, tuple(owners)):
                    page = None
            if page is not None:
                refused = refuse_another_organisations_page(request, page)
                if refused is not None:
                    return refused
        return view(request, *args, **kwargs)

    wrapped.opengov_page_scoped = True
    return wrapped


def install_page_refusals(urlpatterns):
    """Wrap every view in ``urlpatterns`` (wagtail.admin.urls.pages) whose URL names a page
    (PAGE_ID_ARGUMENTS) with the refusal of another organisation's page; returns the names
    wrapped."""
    wrapped = []
    for pattern in urlpatterns:
        regex = getattr(getattr(pattern, "pattern", None), "regex", None)
        if regex is None:
            continue
        first = not regex.groupindex and pattern.name in PAGE_ID_FIRST
        if not (first or set(regex.groupindex) & set(PAGE_ID_ARGUMENTS)):
            continue
        pattern.callback = for_the_pages_organisation(pattern.callback, first=first)
        wrapped.append(pattern.name)
    return wrapped


#: The explorer of a page's children (wagtail.admin.urls): a page that is an organisation's
#: own work (not a section) is refused there too, as its title heads the listing.
EXPLORER = ("wagtailadmin_explore", "wagtailadmin_explore_results")


def install_explorer_refusals(urlpatterns):
    """Wrap the explorer's views in ``urlpatterns`` (wagtail.admin.urls): returns the names
    wrapped."""
    wrapped = []
    for pattern in urlpatterns:
        if getattr(pattern, "name", None) in EXPLORER:
            pattern.callback = for_the_pages_organisation(
                pattern.callback, arguments=("parent_page_id",), sections=False
            )
            wrapped.append(pattern.name)
    return wrapped


def scoped_admin_api_pages():
    """The admin API's pages endpoint (the sidebar's page explorer reads it) over the pages
    of the organisations the user acts for: another organisation's page is not found by
    its id there either."""
    from wagtail.admin.api.views import PagesAdminAPIViewSet

    class ScopedPagesAdminAPIViewSet(PagesAdminAPIViewSet):
        def get_queryset(self):
            return memberships.scope_pages(super().get_queryset(), self.request.user)

    return ScopedPagesAdminAPIViewSet
