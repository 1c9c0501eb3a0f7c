"""Document numbers, index numbers and the disclosure attribute of disclosed pages."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from opengov_cms.catalogue.filing import add_to_section
from opengov_cms.core.document_numbers import normalise_document_number
from opengov_cms.core.index_numbers import allocate_index_number
from opengov_cms.core.models import DisclosureAttribute, IndexNumber, NonDisclosureReason
from tests.catalogue.factories import DisclosureEntryPageFactory


@pytest.mark.parametrize(
    "typed",
    [
        "国办发[2019]14号",
        "国办发(2019)14号",
        "国办发（２０１９）１４号",
        "国办发【2019】014号",
        "国办发 〔2019〕 14 号",
        "国办发〔2019〕14号",
    ],
)
def test_bracket_variants_become_the_standard_form(typed):
    assert normalise_document_number(typed) == "国办发〔2019〕14号"


def test_orders_keep_their_form():
    assert normalise_document_number("国务院令 第 711 号") == "国务院令第711号"


@pytest.mark.parametrize("typed", ["2019年第14号文件", "国办发〔19〕14号", "国办发〔2019〕"])
def test_a_bad_document_number_says_what_to_fix(typed):
    with pytest.raises(ValidationError) as excinfo:
        normalise_document_number(typed)
    assert "机关代字〔年份〕序号号" in " ".join(excinfo.value.messages)


def test_the_page_stores_the_standard_form(publish_entry):
    page = publish_entry(document_number="六文旅[2024]3号")
    assert page.document_number == "六文旅〔2024〕3号"


def test_index_numbers_are_given_at_first_publication_in_sequence(publish_entry, organisation):
    year = datetime.date.today().year
    first = publish_entry()
    second = publish_entry()
    assert first.index_number == f"11341500MB1234567K/{year}-00001"
    assert second.index_number == f"11341500MB1234567K/{year}-00002"


def test_a_draft_has_no_index_number_until_published(section, organisation):
    page = add_to_section(
        section, DisclosureEntryPageFactory.build(organisation=organisation, live=False)
    )
    page.save_revision()
    page.refresh_from_db()
    assert page.index_number == ""
    page.get_latest_revision().publish()
    page.refresh_from_db()
    assert page.index_number.endswith("-00001")


def test_the_number_stays_through_later_revisions(publish_entry):
    page = publish_entry()
    number = page.index_number
    # A revision made from an older draft carries no number; publishing it keeps the number.
    page.index_number = ""
    page.title = "修改后的标题"
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.index_number == number
    assert IndexNumber.objects.filter(page_id=page.pk).count() == 1


def test_numbers_are_never_reused_after_a_page_is_deleted(publish_entry):
    page = publish_entry()
    number = page.index_number
    page.delete()
    assert IndexNumber.objects.filter(value=number).exists()
    assert publish_entry().index_number.endswith("-00002")
    other = publish_entry()
    other.index_number = number
    with pytest.raises(ValidationError) as excinfo:
        other.full_clean()
    assert "不能重复使用" in str(excinfo.value)


def test_an_editor_can_ask_for_the_number_before_publication(section, organisation):
    page = add_to_section(
        section, DisclosureEntryPageFactory.build(organisation=organisation, live=False)
    )
    page.assign_index_number()
    page.save()
    page.refresh_from_db()
    assert page.index_number.endswith("-00001") and not page.live


def test_the_pattern_is_a_setting(publish_entry, settings):
    settings.OPENGOV_CMS_INDEX_NUMBER_PATTERN = "{org_code}-{year}-{seq:06d}"
    assert publish_entry().index_number.endswith("-000001")


def test_information_not_disclosed_proactively_never_goes_live(publish_entry, client):
    reason = NonDisclosureReason.objects.create(
        name="过程性信息", code="process", article="第十六条"
    )
    page = publish_entry(
        disclosure_attribute=DisclosureAttribute.NOT_DISCLOSED, non_disclosure_reason=reason
    )
    assert not page.live
    assert client.get(page.url_path.replace("/home", "", 1)).status_code == 404


def test_a_reason_is_required_unless_disclosed_proactively(publish_entry):
    page = publish_entry()
    page.disclosure_attribute = DisclosureAttribute.ON_REQUEST
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert "请选择不予主动公开的理由" in str(excinfo.value)


@pytest.mark.django_db(transaction=True)
def test_concurrent_publication_gets_distinct_numbers_on_postgresql(home_page):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are what this checks: it runs in the PostgreSQL pass")
    from tests.catalogue.factories import CatalogueIndexPageFactory
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory()
    section = CatalogueIndexPageFactory(parent=home_page, organisation=organisation)
    pages = [
        add_to_section(
            section, DisclosureEntryPageFactory.build(organisation=organisation, live=False)
        )
        for _ in range(8)
    ]
    barrier = threading.Barrier(len(pages))
    numbers, errors = [], []

    def publish(page):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            numbers.append(allocate_index_number(page))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=publish, args=(page,)) for page in pages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(numbers)) == len(pages)
    assert sorted(int(n[-5:]) for n in numbers) == list(range(1, len(pages) + 1))
