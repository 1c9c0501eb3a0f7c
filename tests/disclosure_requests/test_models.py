from datetime import date

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import connection

from opengov_cms.disclosure_requests import crypto
from opengov_cms.disclosure_requests.choices import ApplicantType
from opengov_cms.disclosure_requests.models import DisclosureRequest, TrackingSequence
from opengov_cms.disclosure_requests.validators import (
    validate_phone,
    validate_postcode,
    validate_resident_id,
)
from tests.disclosure_requests.factories import RESIDENT_ID, DisclosureRequestFactory
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

PERSONAL = {
    "applicant_name": "张三丰",
    "id_number": RESIDENT_ID,
    "phone": "13812345678",
    "email": "zhangsan@example.com",
    "address": "安徽省六安市金安区梅山南路1号",
}


def raw_row(pk):
    columns = ", ".join(PERSONAL)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM opengov_requests_disclosurerequest WHERE id = %s", [pk]
        )
        return dict(zip(PERSONAL, cursor.fetchone(), strict=True))


def test_personal_data_is_encrypted_at_rest():
    request = DisclosureRequestFactory(**PERSONAL)
    row = raw_row(request.pk)
    for name, value in PERSONAL.items():
        assert value not in row[name]
        assert row[name].startswith("fernet:")
    for fragment in ("张三", "1381234", "zhangsan", "梅山", "110105"):
        assert not any(fragment in stored for stored in row.values())
    fresh = DisclosureRequest.objects.get(pk=request.pk)
    for name, value in PERSONAL.items():
        assert getattr(fresh, name) == value


def test_key_rotation(settings):
    old, new = Fernet.generate_key(), Fernet.generate_key()
    settings.OPENGOV_CMS_REQUESTS_ENCRYPTION_KEYS = [old]
    request = DisclosureRequestFactory(**PERSONAL)
    settings.OPENGOV_CMS_REQUESTS_ENCRYPTION_KEYS = [new, old]
    assert DisclosureRequest.objects.get(pk=request.pk).phone == PERSONAL["phone"]
    from django.core.management import call_command

    call_command("opengov_requests_rotate_keys", verbosity=0)
    settings.OPENGOV_CMS_REQUESTS_ENCRYPTION_KEYS = [new]
    assert DisclosureRequest.objects.get(pk=request.pk).phone == PERSONAL["phone"]
    settings.OPENGOV_CMS_REQUESTS_ENCRYPTION_KEYS = [old]
    with pytest.raises(ValueError, match="lacks the key"):
        DisclosureRequest.objects.get(pk=request.pk)


def test_masks():
    assert crypto.mask_name("张三丰") == "张**"
    assert crypto.mask_phone("13812345678") == "138****5678"
    assert crypto.mask_id_number(RESIDENT_ID) == "1101**********002X"
    assert crypto.mask_email("zhangsan@example.com") == "z***@example.com"
    request = DisclosureRequestFactory(**PERSONAL)
    assert request.masked_applicant == "张**"
    org = DisclosureRequestFactory(
        applicant_type=ApplicantType.ORGANISATION, organisation_name="某律师事务所"
    )
    assert org.masked_applicant == "某律师事务所"


def test_tracking_numbers_follow_the_pattern_and_count_per_organisation_and_year(settings):
    first = OrganisationFactory(credit_code="91350100M000100Y43")
    second = OrganisationFactory(credit_code="", organisation_code="D2143569-X")
    a = DisclosureRequestFactory(organisation=first, received_on=date(2024, 9, 27))
    b = DisclosureRequestFactory(organisation=first, received_on=date(2024, 9, 27))
    c = DisclosureRequestFactory(organisation=second, received_on=date(2024, 9, 27))
    d = DisclosureRequestFactory(organisation=first, received_on=date(2025, 3, 3))
    assert a.tracking_number == "91350100M000100Y43-2024-00001"
    assert b.tracking_number == "91350100M000100Y43-2024-00002"
    assert c.tracking_number == "D2143569X-2024-00001"
    assert d.tracking_number == "91350100M000100Y43-2025-00001"
    settings.OPENGOV_CMS_REQUESTS_TRACKING_NUMBER_PATTERN = "YSQ{year}{seq:04d}"
    e = DisclosureRequestFactory(organisation=first, received_on=date(2024, 9, 27))
    f = DisclosureRequestFactory(organisation=second, received_on=date(2024, 9, 27))
    assert (e.tracking_number, f.tracking_number) == ("YSQ20240001", "YSQ20240002")


def test_organisations_sharing_a_code_never_share_a_number():
    one = OrganisationFactory()
    two = OrganisationFactory()  # the factory gives both the same credit code
    numbers = {DisclosureRequestFactory(organisation=o).tracking_number for o in (one, two, one)}
    assert len(numbers) == 3
    assert TrackingSequence.objects.count() == 1


def test_query_code_is_stored_hashed_and_checked():
    request = DisclosureRequestFactory()
    code = request.query_code
    assert len(code) == 10
    stored = DisclosureRequest.objects.get(pk=request.pk)
    assert code not in stored.query_code_hash
    assert DisclosureRequest.lookup(request.tracking_number, code.lower()) == stored
    assert DisclosureRequest.lookup(request.tracking_number, "WRONGCODE1") is None
    assert DisclosureRequest.lookup("no-such-number", code) is None
    assert DisclosureRequest.lookup("", "") is None
    assert DisclosureRequest.lookup("x" * 10000, "y" * 10000) is None


def test_a_query_code_still_opens_its_request_after_the_secret_key_is_rotated(settings):
    # Personal data has keys of its own, as a deployed site has (W101).
    settings.OPENGOV_CMS_REQUESTS_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    request = DisclosureRequestFactory()
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-for-the-site-0123456789"
    assert DisclosureRequest.lookup(request.tracking_number, request.query_code) is None
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert DisclosureRequest.lookup(request.tracking_number, request.query_code) == request


def test_query_codes_hashed_by_an_earlier_version_still_check():
    request = DisclosureRequestFactory()
    DisclosureRequest.objects.filter(pk=request.pk).update(
        query_code_hash=make_password(request.query_code)
    )
    assert DisclosureRequest.lookup(request.tracking_number, request.query_code) == request
    assert DisclosureRequest.lookup(request.tracking_number, "WRONGCODE1") is None


@pytest.mark.parametrize("number", [RESIDENT_ID, "11010519491231002x", "110101199003070134"])
def test_valid_resident_ids(number):
    validate_resident_id(number)


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("1101051949123100", "应为18位，当前为16位"),
        ("11010519491231002A", "最后一位为数字或X"),
        ("110105194913310021", "出生日期"),
        ("110105194912310021", "最后一位应为X"),
    ],
)
def test_bad_resident_ids_say_what_to_fix(number, fragment):
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id(number)
    assert fragment in " ".join(excinfo.value.messages)


def test_phone_and_postcode():
    validate_phone("13812345678")
    validate_phone("0564-3377777")
    validate_phone("+86 138 1234 5678")
    with pytest.raises(ValidationError, match="11位手机号码"):
        validate_phone("12345")
    validate_postcode("237000")
    with pytest.raises(ValidationError, match="6位数字"):
        validate_postcode("23700")
