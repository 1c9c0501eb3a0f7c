import pytest

from opengov_cms.catalogue.filing import add_to_section
from tests.catalogue.factories import CatalogueIndexPageFactory, DisclosureEntryPageFactory
from tests.factories import OrganisationFactory


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="六安市文化和旅游局", credit_code="11341500MB1234567K")


@pytest.fixture
def section(home_page, organisation):
    return CatalogueIndexPageFactory(
        parent=home_page, title="法规文件", slug="documents", organisation=organisation
    )


@pytest.fixture
def publish_entry(section, organisation):
    """Create and publish an entry in ``section`` the way an editor's publish does."""

    def publish(parent=None, **fields):
        fields.setdefault("organisation", organisation)
        page = DisclosureEntryPageFactory.build(**fields)
        add_to_section(parent or section, page)
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    return publish
