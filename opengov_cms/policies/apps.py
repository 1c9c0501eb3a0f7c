from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpengovPoliciesConfig(AppConfig):
    name = "opengov_cms.policies"
    label = "opengov_policies"
    verbose_name = _("政务公开：政策文件")
    default_auto_field = "django.db.models.BigAutoField"

    def import_models(self):
        from opengov_cms import checks

        # The models import opengov_core's: stop with the message before they fail.
        checks.require_core_app()
        super().import_models()

    def ready(self):
        from opengov_cms import checks
        from opengov_cms.policies import signal_handlers

        checks.require_core_app()
        signal_handlers.register()
