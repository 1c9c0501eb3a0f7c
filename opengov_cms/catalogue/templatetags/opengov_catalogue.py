"""Template tags of the public catalogue pages."""

from django import template

from opengov_cms.core.pages import public_pages

register = template.Library()


@register.simple_tag
def catalogue_sections(page):
    """The live, public sections (栏目) and guides directly under a catalogue page, in tree
    order, in one query. Year folders are left out: readers reach a year with the filter."""
    from opengov_cms.catalogue.models import CatalogueIndexPage, GuidePage

    return public_pages(page.get_children().live().type(CatalogueIndexPage, GuidePage))
