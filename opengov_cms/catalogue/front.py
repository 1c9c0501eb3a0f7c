"""Pieces for a site's front page (政府信息公开 首页): the latest disclosures, per section of
the catalogue or of one kind of page. Everything is read through the one rule of what may
leave (CatalogueItem.objects.public(), core.visibility.leaving), newest first, each list one
query on the listing table's date index, whatever the size of the catalogue."""

from django.contrib.contenttypes.models import ContentType

from opengov_cms.catalogue.models import CatalogueIndexPage, CatalogueItem
from opengov_cms.core.visibility import leaving

LATEST_COUNT = 6


def latest_items(section=None, count=LATEST_COUNT, model=None):
    """The newest items that may leave, under ``section`` (a page; the whole catalogue for
    None), of the page type ``model`` (any for None)."""
    items = CatalogueItem.objects.public()
    if section is not None:
        items = items.filter(path__startswith=section.path)
    if model is not None:
        items = items.filter(content_type=ContentType.objects.get_for_model(model))
    return list(items.order_by("-publication_date", "-page_id")[:count])


def catalogue_root(parent):
    """The catalogue (政府信息公开) directly under ``parent`` that may leave, or None."""
    return leaving(CatalogueIndexPage.objects.child_of(parent)).order_by("path").first()


def latest_by_section(root, count=LATEST_COUNT):
    """``(section, items)`` for each section directly under ``root`` that may leave and has
    anything to show: one query for the sections, one per section for its items."""
    if root is None:
        return []
    sections = leaving(CatalogueIndexPage.objects.child_of(root)).order_by("path")
    latest = ((section, latest_items(section, count)) for section in sections)
    return [(section, items) for section, items in latest if items]
