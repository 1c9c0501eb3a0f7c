from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpengovPoliciesConfig(AppConfig):
    name = "opengov_cms.policies"
    label = "opengov_policies"
    verbose_name = _("政务公开：政策文件")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from opengov_cms import checks

        checks.require_core_app()
