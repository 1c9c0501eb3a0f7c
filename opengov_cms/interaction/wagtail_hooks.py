from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from opengov_cms.interaction.apps import dependencies_installed

# Without an app it builds on the interaction has no models (apps.py): nothing to register,
# and the system check names the missing app.
if dependencies_installed():
    from opengov_cms.interaction import workflow
    from opengov_cms.interaction.choices import ACTION_LABELS
    from opengov_cms.interaction.viewsets import InteractionGroup, due_panel

    @hooks.register("register_admin_viewset")
    def register_viewsets():
        return InteractionGroup()

    @hooks.register("register_log_actions")
    def register_log_actions(actions):
        for name, label in ACTION_LABELS.items():
            actions.register_action(workflow.LOG_ACTIONS[name], label, label)
        actions.register_action(
            workflow.LOG_VIEW_PERSONAL_DATA, _("查看个人信息"), _("查看了留言人的个人信息")
        )

    @hooks.register("construct_homepage_panels")
    def add_due_panel(request, panels):
        panel = due_panel(request.user)
        if panel is not None:
            panels.append(panel)
