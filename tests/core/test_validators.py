import pytest
from django.core.exceptions import ValidationError

from opengov_cms.core.models import Organisation
from opengov_cms.core.validators import validate_credit_code, validate_org_code


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000802100433B", "11341500mb1234567k"])
def test_valid_credit_codes(code):
    validate_credit_code(code)


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("9135010", "应为18位，当前为7位"),
        ("91350100M000100Y4O", "不能出现字符“O”"),
        ("91350100M000100Y44", "最后一位应为3"),
    ],
)
def test_bad_credit_codes_say_what_to_fix(code, fragment):
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert fragment in " ".join(excinfo.value.messages)


def test_organisation_code():
    validate_org_code("D2143569-X")
    with pytest.raises(ValidationError, match="校验码不正确"):
        validate_org_code("D2143569-1")


@pytest.mark.django_db
def test_an_organisation_needs_one_of_the_codes():
    organisation = Organisation(name="某市某局")
    with pytest.raises(ValidationError) as excinfo:
        organisation.full_clean()
    assert "至少一项" in str(excinfo.value)
    organisation.organisation_code = "d2143569-x"
    organisation.full_clean()
    assert organisation.code == "D2143569X"


@pytest.mark.django_db
def test_an_organisation_cannot_be_its_own_ancestor():
    parent = Organisation.objects.create(name="某市某局", credit_code="91350100M000100Y43")
    child = Organisation.objects.create(
        name="办公室", parent=parent, organisation_code="D2143569-X"
    )
    parent.parent = child
    with pytest.raises(ValidationError, match="上级机构不能是本机构"):
        parent.full_clean()
