from django.conf import settings
from django.db import migrations


def keep_what_staff_could_do(apps, schema_editor):
    """Before this permission, whoever could change the yearly figures could change every
    organisation's: give it to them, so that nobody loses access on upgrade. A site with
    several organisations then takes it away from department staff."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type = ContentType.objects.filter(
        app_label="opengov_reports", model="annualfigures"
    ).first()
    change = (
        content_type
        and Permission.objects.filter(
            content_type=content_type, codename="change_annualfigures"
        ).first()
    )
    if change is None:  # a new site: Django makes the permissions after migrating
        return
    enter_all, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="enter_all_annualfigures",
        defaults={"name": "可录入所有机构的年度报告统计数据"},
    )
    for group in apps.get_model("auth", "Group").objects.filter(permissions=change):
        group.permissions.add(enter_all)
    User = apps.get_model(settings.AUTH_USER_MODEL)
    if any(field.name == "user_permissions" for field in User._meta.get_fields()):
        for user in User.objects.filter(user_permissions=change):
            user.user_permissions.add(enter_all)


class Migration(migrations.Migration):
    dependencies = [
        ("opengov_reports", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="annualfigures",
            options={
                "ordering": ["-year", "organisation__name"],
                "permissions": [("enter_all_annualfigures", "可录入所有机构的年度报告统计数据")],
                "verbose_name": "年度报告统计数据",
                "verbose_name_plural": "年度报告统计数据",
            },
        ),
        migrations.RunPython(keep_what_staff_could_do, migrations.RunPython.noop),
    ]
