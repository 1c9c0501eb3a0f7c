"""The request handlers (办理人员) become the core's 机构人员 in the role of disclosure
officer (信息公开工作人员), who act for the same organisations; then the old table goes."""

from django.db import migrations


def forwards(apps, schema_editor):
    old = apps.get_model("opengov_requests", "DepartmentMembership")
    Membership = apps.get_model("opengov_core", "Membership")
    for user_id, organisation_id in old.objects.values_list("user_id", "organisation_id"):
        Membership.objects.get_or_create(
            user_id=user_id, organisation_id=organisation_id, unit=None, role="officer"
        )


def backwards(apps, schema_editor):
    old = apps.get_model("opengov_requests", "DepartmentMembership")
    Membership = apps.get_model("opengov_core", "Membership")
    for row in Membership.objects.filter(role="officer"):
        old.objects.get_or_create(
            user_id=row.user_id, organisation_id=row.unit_id or row.organisation_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("opengov_core", "0007_memberships"),
        ("opengov_requests", "0006_free_text_encrypted"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="DepartmentMembership"),
    ]
