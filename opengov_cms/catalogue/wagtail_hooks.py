from wagtail import hooks

from opengov_cms.catalogue.filing import file_into_year
from opengov_cms.core.models import DisclosureMetadata


@hooks.register("after_create_page")
def file_new_entries_by_year(request, page):
    if isinstance(page.specific, DisclosureMetadata):
        file_into_year(page.specific)
