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

        from opengov_cms.disclosure_requests import checks as request_checks  # noqa: F401
        from opengov_cms.disclosure_requests import signal_handlers

        signal_handlers.connect()
