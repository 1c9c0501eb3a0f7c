"""The review steps (初审, 复审, 终审) become ReviewTask, taken by each group member for the
organisations they review for; the steps the package's setup made are converted in place,
keeping their groups and their place in the workflow."""

import django.db.models.deletion
import opengov_cms.core.models.workflow
from django.db import migrations, models


REVIEW_STEPS = ("初审", "复审", "终审")


def convert_review_steps(apps, schema_editor):
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ReviewTask = apps.get_model("opengov_core", "ReviewTask")
    ContentType = apps.get_model("contenttypes", "ContentType")
    plain = ContentType.objects.get_for_model(GroupApprovalTask)
    review = ContentType.objects.get_for_model(ReviewTask)
    for task in GroupApprovalTask.objects.filter(name__in=REVIEW_STEPS, content_type=plain):
        # Only the subclass's row is added; the task and its groups stay as they are.
        ReviewTask(groupapprovaltask_ptr_id=task.pk).save_base(raw=True)
        GroupApprovalTask.objects.filter(pk=task.pk).update(content_type=review)


def restore_review_steps(apps, schema_editor):
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ReviewTask = apps.get_model("opengov_core", "ReviewTask")
    ContentType = apps.get_model("contenttypes", "ContentType")
    plain = ContentType.objects.get_for_model(GroupApprovalTask)
    ids = list(ReviewTask.objects.values_list("pk", flat=True))
    GroupApprovalTask.objects.filter(pk__in=ids).update(content_type=plain)
    ReviewTask.objects.filter(pk__in=ids)._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("opengov_core", "0007_memberships"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReviewTask",
            fields=[
                (
                    "groupapprovaltask_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="wagtailcore.groupapprovaltask",
                    ),
                ),
            ],
            options={
                "verbose_name": "审核（本机构）",
                "verbose_name_plural": "审核（本机构）",
            },
            bases=(
                opengov_cms.core.models.workflow.OrganisationReviewMixin,
                "wagtailcore.groupapprovaltask",
            ),
        ),
        migrations.RunPython(convert_review_steps, restore_review_steps),
    ]
