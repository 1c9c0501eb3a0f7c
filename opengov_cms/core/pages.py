"""What every public page type of the package shares."""

from django.db import connections
from django.db.models import BooleanField, CharField, Exists, ExpressionWrapper, F, OuterRef
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.lookups import StartsWith

from opengov_cms.conf import opengov_settings


class OpengovPageMixin:
    """Gives templates the base template the site chose (OPENGOV_CMS_BASE_TEMPLATE)."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["opengov_base_template"] = opengov_settings.BASE_TEMPLATE
        return context

    def get_view_restrictions(self):
        """The view restrictions on this page and its ancestors, an alias's on its source: what
        Wagtail's method returns, in one query instead of two (and one more per alias)."""
        from wagtail.models import Page, PageViewRestriction

        step = Page.steplen
        on_path = Page.objects.filter(
            path__in=[self.path[:end] for end in range(step, len(self.path) + 1, step)]
        ).values(checked=Coalesce("alias_of_id", "id"))
        return PageViewRestriction.objects.filter(page_id__in=on_path)


def public_pages(pages, path="path"):
    """``pages.public()`` as part of the same query.

    Wagtail's ``public()`` reads every view restriction of the site first, a query of its
    own on each call; this leaves out the pages under a restriction (on themselves or an
    ancestor) with a subquery instead. ``path`` names the page's path in the rows of
    ``pages``: ``"document__path"`` keeps the rows whose ``document`` is a public page.
    """
    from wagtail.models import PageViewRestriction

    path = ExpressionWrapper(OuterRef(path), output_field=CharField())
    restricted = PageViewRestriction.objects.filter(StartsWith(path, F("page__path")))
    return pages.exclude(Exists(restricted))


def share_site_root_paths(pages):
    """Give many pages the site root paths their URLs are made from, read once.

    Without a request, each page reads them from Django's cache on its first ``get_url``:
    a round trip to the cache per page when the cache is shared (Redis). Wagtail keeps them
    on the page it was given, so a chunk of pages is given one copy.
    """
    from wagtail.models import Site

    if pages:
        paths = Site.get_site_root_paths()
        for page in pages:
            page._wagtail_cached_site_root_paths = paths
    return pages


def pages_after(queryset, last_id):
    """The pages of ``queryset`` (one page type) with ids above ``last_id``, for reading a
    type's pages a chunk at a time in order of id.

    The condition is said of Wagtail's page table as well as of the type's own table:
    PostgreSQL does not carry it across the join between them, and would otherwise read the
    page table from its first row for every chunk, so that reading a large site chunk by
    chunk took time growing with the square of its size.
    """
    from wagtail.models import Page

    queryset = queryset.filter(pk__gt=last_id)
    if queryset.model._meta.concrete_model is Page:
        return queryset
    quote = connections[queryset.db].ops.quote_name
    parent_id = f"{quote(Page._meta.db_table)}.{quote(Page._meta.pk.column)}"
    return queryset.filter(RawSQL(f"{parent_id} > %s", (last_id,), output_field=BooleanField()))
