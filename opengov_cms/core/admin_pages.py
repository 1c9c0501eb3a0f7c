"""The admin's lists of pages (explorer, chooser, page search) keep to the organisations a
person acts for (opengov_cms.core.memberships.scope_pages).

Wagtail lists pages by page permissions, which say where in the tree a person may work: in
a section several organisations share, that is every organisation's pages, drafts
included. The explorer and the chooser take a queryset hook; the page search has none, so
its view is replaced by one that scopes the pages it searches.
"""

from wagtail.admin.views.pages.search import SearchView

from opengov_cms.core import memberships


def scope_explorer(parent_page, pages, request):
    return memberships.scope_pages(pages, request.user)


def scope_chooser(pages, request):
    return memberships.scope_pages(pages, request.user)


class ScopedSearchView(SearchView):
    """Wagtail's page search over the pages of the organisations the user acts for.

    ``annotate_queryset`` is where Wagtail 7.2 and 8 alike take the pages, limited to the
    explorable ones, just before searching them; the pages counted for the page-type facets
    (``all_pages``) are limited the same way."""

    def annotate_queryset(self, pages):
        user = self.request.user
        if getattr(self, "all_pages", None) is not None:
            self.all_pages = memberships.scope_pages(self.all_pages, user)
        return super().annotate_queryset(memberships.scope_pages(pages, user))


def scoped_search_view(results_only):
    try:
        # Wagtail 8 builds the page views from the base page viewset.
        from wagtail.admin.viewsets.pages import base_page_viewset
    except ImportError:
        return ScopedSearchView.as_view(results_only=results_only)
    return base_page_viewset.construct_view(ScopedSearchView, results_only=results_only)


def install_scoped_search(urlpatterns):
    """Route Wagtail's page search (``wagtailadmin_pages:search`` and ``:search_results``)
    in ``urlpatterns`` (wagtail.admin.urls.pages) to ScopedSearchView; returns the names
    routed, so that a Wagtail without them is noticed."""
    routed = []
    for pattern in urlpatterns:
        name = getattr(pattern, "name", None)
        if name in ("search", "search_results"):
            pattern.callback = scoped_search_view(results_only=name == "search_results")
            routed.append(name)
    return routed
