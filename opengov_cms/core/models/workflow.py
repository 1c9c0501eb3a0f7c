"""The steps of the review workflow (三审: 初审, 保密审查, 复审, 终审), each taken by its
group's members for the organisations they review for, and the confidentiality review's
record."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask, Page, TaskState

from opengov_cms.core import memberships
from opengov_cms.core.models.memberships import MembershipRole


class OrganisationReviewMixin:
    """A group approval step that each member of the group takes only for the pages of the
    organisations they review for (机构人员 in ``review_roles``, the head of the office, the
    city office): the others neither see the page in their list of tasks, nor get its
    actions, nor edit it while it waits for them."""

    review_roles = (MembershipRole.REVIEWER,)

    def reviews_for(self, obj, user):
        if user.is_superuser:
            return True
        if not isinstance(obj, Page):
            return True
        return memberships.may_work_on_page(user, obj, self.review_roles)

    def user_can_access_editor(self, obj, user):
        return super().user_can_access_editor(obj, user) and self.reviews_for(obj, user)

    def locked_for_user(self, obj, user):
        return super().locked_for_user(obj, user) or not self.reviews_for(obj, user)

    def user_can_lock(self, obj, user):
        return super().user_can_lock(obj, user) and self.reviews_for(obj, user)

    def get_actions(self, obj, user):
        return super().get_actions(obj, user) if self.reviews_for(obj, user) else []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        ids = memberships.organisation_ids(user, self.review_roles)
        if ids is None:
            return states
        page_type = ContentType.objects.get_for_model(Page)
        waiting = dict(
            states.filter(workflow_state__base_content_type=page_type).values_list(
                "pk", "workflow_state__object_id"
            )
        )
        kept = []
        if waiting:
            pages = Page.objects.filter(pk__in={int(pk) for pk in waiting.values()}).only("path")
            owners = memberships.page_organisation_ids(pages)
            kept = [
                state
                for state, page_id in waiting.items()
                if owners.get(int(page_id)) is None or owners[int(page_id)] in ids
            ]
        # Snippets in a workflow are no organisation's work: left to the group.
        return TaskState.objects.filter(
            Q(pk__in=kept) | Q(pk__in=states.exclude(workflow_state__base_content_type=page_type))
        )


class ReviewTask(OrganisationReviewMixin, GroupApprovalTask):
    """审核 (初审, 复审, 终审): approved by its group's reviewers of the page's organisation."""

    class Meta:
        verbose_name = _("审核（本机构）")
        verbose_name_plural = _("审核（本机构）")

    @classmethod
    def get_description(cls):
        return _("本组成员中，该页面所属机构的审核人员可以审核")


class ConfidentialityReviewTask(OrganisationReviewMixin, GroupApprovalTask):
    """保密审查: approved by its group's confidentiality reviewers of the page's
    organisation, and each approval is recorded on the page with the reviewer, the time and
    the comment."""

    review_roles = (MembershipRole.CONFIDENTIALITY,)

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
