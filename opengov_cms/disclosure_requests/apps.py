from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpengovRequestsConfig(AppConfig):
    name = "opengov_cms.disclosure_requests"
    label = "opengov_requests"
    verbose_name = _("政务公开：依申请公开")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from opengov_cms import checks

        checks.require_core_app()
