"""The supervision staff (督查人员) become the core's 机构人员: the staff of a unit are its
disclosure officers (信息公开工作人员), the disclosure office of an organisation its head
(政务公开办公室负责人); then the old table goes."""

from django.db import migrations

ROLES = {"unit": "officer", "office": "head"}


def forwards(apps, schema_editor):
    old = apps.get_model("opengov_supervision", "SupervisionMembership")
    Membership = apps.get_model("opengov_core", "Membership")
    for user_id, organisation_id, role in old.objects.values_list(
        "user_id", "organisation_id", "role"
    ):
        Membership.objects.get_or_create(
            user_id=user_id, organisation_id=organisation_id, unit=None, role=ROLES[role]
        )


def backwards(apps, schema_editor):
    old = apps.get_model("opengov_supervision", "SupervisionMembership")
    Membership = apps.get_model("opengov_core", "Membership")
    for role, new_role in ROLES.items():
        for row in Membership.objects.filter(role=new_role):
            old.objects.get_or_create(
                user_id=row.user_id, organisation_id=row.unit_id or row.organisation_id, role=role
            )


class Migration(migrations.Migration):
    dependencies = [
        ("opengov_core", "0007_memberships"),
        ("opengov_supervision", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="SupervisionMembership"),
    ]
