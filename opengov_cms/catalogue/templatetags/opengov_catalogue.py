"""Template tags of the public catalogue pages."""

from django import template

register = template.Library()


@register.simple_tag
def catalogue_sections(page):
    """The live, public sections (栏目) and guides directly under a catalogue page, in tree
    order, in one query. Year folders are left out: readers reach a year with the filter."""
    from opengov_cms.catalogue.models import CatalogueIndexPage, GuidePage

    return page.get_children().live().public().type(CatalogueIndexPage, GuidePage)
