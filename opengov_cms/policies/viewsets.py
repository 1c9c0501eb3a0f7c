"""Admin screens of opengov_policies."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import EditView, SnippetViewSet

from opengov_cms.policies.models import ConsultationComment


class CommentEditView(EditView):
    def save_instance(self):
        instance = self.form.save(commit=False)
        if "adoption" in self.form.changed_data or "reason" in self.form.changed_data:
            instance.decided_by = self.request.user
            instance.decided_at = timezone.now()
        instance.save()
        return instance


class ConsultationCommentViewSet(SnippetViewSet):
    """征求意见反馈: moderate comments and record whether each was adopted."""

    model = ConsultationComment
    icon = "comment"
    menu_label = _("征求意见反馈")
    add_to_admin_menu = True
    menu_order = 270
    edit_view_class = CommentEditView
    list_display = [
        "body",
        "consultation",
        "submitted_at",
        "status",
        "adoption",
        "likely_automated",
    ]
    list_filter = ["status", "adoption", "consultation"]
    search_fields = ["body"]
