from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from opengov_cms.disclosure_requests import workflow
from opengov_cms.disclosure_requests.viewsets import (
    DisclosureRequestsGroup,
    pending_due_dates_panel,
)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return DisclosureRequestsGroup()


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for name, transition in workflow.TRANSITIONS.items():
        actions.register_action(workflow.LOG_ACTIONS[name], transition.label, transition.label)
    actions.register_action(
        workflow.LOG_ACTIONS[workflow.PUBLISH_PROACTIVELY],
        _("主动公开"),
        _("由答复创建了主动公开信息的草稿"),
    )
    actions.register_action(
        workflow.LOG_ACTIONS[workflow.DUE_DATE_SET],
        _("答复期限确定"),
        _("录入节假日安排后计算出答复期限"),
    )
    actions.register_action(
        workflow.LOG_VIEW_PERSONAL_DATA, _("查看个人信息"), _("查看了申请人的个人信息")
    )


@hooks.register("construct_homepage_panels")
def add_pending_due_dates_panel(request, panels):
    panel = pending_due_dates_panel(request.user)
    if panel is not None:
        panels.append(panel)
