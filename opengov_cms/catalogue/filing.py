"""Filing disclosed pages under section / year folders, so no parent holds millions."""

from django.utils import timezone
from django.utils.translation import gettext as _


def year_folder(section, year):
    """The section's folder for ``year``, made (and published) the first time it is needed."""
    from opengov_cms.catalogue.models import CatalogueYearPage

    slug = str(year)
    folder = CatalogueYearPage.objects.child_of(section).filter(slug=slug).first()
    if folder is None:
        folder = CatalogueYearPage(title=_("%(year)s年") % {"year": year}, slug=slug)
        section.add_child(instance=folder)
        folder.save_revision().publish()
    return folder


def filing_year(page):
    return page.year or timezone.localdate().year


def add_to_section(section, page):
    """Create ``page`` in ``section``'s folder for its year; returns the page."""
    return year_folder(section, filing_year(page)).add_child(instance=page)


def file_into_year(page):
    """Move a page an editor created directly in a section into the year folder."""
    from opengov_cms.catalogue.models import CatalogueIndexPage

    parent = page.get_parent().specific
    if isinstance(parent, CatalogueIndexPage):
        page.move(year_folder(parent, filing_year(page)), pos="last-child")
