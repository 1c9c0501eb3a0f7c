"""The confidentiality review (保密审查) step of the review workflow, and its record."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask, Page


class ConfidentialityReviewTask(GroupApprovalTask):
    """保密审查: approved by its group like any review, and each approval is recorded on
    the page with the reviewer, the time and the comment."""

    class Meta:
        verbose_name = _("保密审查")
        verbose_name_plural = _("保密审查")

    def on_action(self, task_state, user, action_name, **kwargs):
        result = super().on_action(task_state, user, action_name, **kwargs)
        workflow_state = task_state.workflow_state
        if action_name == "approve" and workflow_state.base_content_type.model_class() is Page:
            ConfidentialityReview.objects.create(
                page_id=int(workflow_state.object_id),
                revision=task_state.revision,
                reviewer=user,
                comment=kwargs.get("comment") or "",
            )
        return result

    @classmethod
    def get_description(cls):
        return _("保密审查：记录审查人、审查时间和审查意见")


class ConfidentialityReview(models.Model):
    """保密审查记录: who cleared which revision of a page for publication, when and why."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="confidentiality_reviews"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审查时间"), default=timezone.now)
    comment = models.TextField(_("审查意见"), blank=True)

    class Meta:
        verbose_name = _("保密审查记录")
        verbose_name_plural = _("保密审查记录")
        ordering = ["-reviewed_at"]

    def __str__(self):
        return f"{self.reviewer} {self.reviewed_at:%Y-%m-%d %H:%M}"
