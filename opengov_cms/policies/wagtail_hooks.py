from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from opengov_cms.policies.models import HeldPublication
from opengov_cms.policies.sync import HELD
from opengov_cms.policies.viewsets import ConsultationCommentViewSet

register_snippet(ConsultationCommentViewSet)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(
        HELD, _("等待同步发布"), _("已审核通过，等待与关联的政策文件或解读同步发布（三同步）")
    )


@hooks.register("after_publish_page")
def explain_held_publication(request, page):
    """A publication 三同步 holds: say so instead of Wagtail's "published" (returning the
    response stops the editor from adding its own success message), and go where it goes."""
    if HeldPublication.objects.filter(page_id=page.pk).exists():
        messages.warning(
            request,
            _(
                "“%(title)s”尚未发布：已审核通过，将在关联的政策文件或解读审核通过后同步发布"
                "（三同步）。在此之前页面不对外公开。"
            )
            % {"title": page.title},
        )
        parent = page.get_parent()
        return redirect("wagtailadmin_explore", parent.pk if parent else page.pk)
    return None
