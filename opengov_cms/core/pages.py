"""What every public page type of the package shares."""

from django.db.models import CharField, Exists, ExpressionWrapper, F, OuterRef
from django.db.models.lookups import StartsWith

from opengov_cms.conf import opengov_settings


class OpengovPageMixin:
    """Gives templates the base template the site chose (OPENGOV_CMS_BASE_TEMPLATE)."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["opengov_base_template"] = opengov_settings.BASE_TEMPLATE
        return context


def public_pages(pages):
    """``pages.public()`` as part of the same query.

    Wagtail's ``public()`` reads every view restriction of the site first, a query of its
    own on each call; this leaves out the pages under a restriction (on themselves or an
    ancestor) with a subquery instead.
    """
    from wagtail.models import PageViewRestriction

    path = ExpressionWrapper(OuterRef("path"), output_field=CharField())
    restricted = PageViewRestriction.objects.filter(StartsWith(path, F("page__path")))
    return pages.exclude(Exists(restricted))
