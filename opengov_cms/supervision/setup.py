"""The two groups supervision needs, with their permissions: the disclosure office and the
units' reporting staff. A person in a group still acts only for the organisations or units
entered for them under 政务公开督查 → 督查人员 (opengov_cms.supervision.permissions)."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

OFFICE_GROUP = "政务公开办公室（督查）"
UNIT_GROUP = "责任单位报送人员"

OFFICE_PERMISSIONS = (
    "add_disclosureplan",
    "change_disclosureplan",
    "delete_disclosureplan",
    "add_plantask",
    "change_plantask",
    "delete_plantask",
    "review_submission",
    "close_rectification",
    "add_standardcatalogue",
    "change_standardcatalogue",
    "add_standarditem",
    "change_standarditem",
    "add_standarditemsections",
    "change_standarditemsections",
    "delete_standarditemsections",
)
UNIT_PERMISSIONS = ("submit_submission", "report_rectification")


def permissions(codenames):
    return Permission.objects.filter(
        Q(content_type__app_label="opengov_supervision", codename__in=codenames)
        | Q(content_type__app_label="wagtailadmin", codename="access_admin")
    )


def ensure_groups():
    """Make the two groups (again) with their permissions; returns (office, unit)."""
    office, _ = Group.objects.get_or_create(name=OFFICE_GROUP)
    office.permissions.add(*permissions(OFFICE_PERMISSIONS))
    unit, _ = Group.objects.get_or_create(name=UNIT_GROUP)
    unit.permissions.add(*permissions(UNIT_PERMISSIONS))
    return office, unit
