from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpengovSupervisionConfig(AppConfig):
    name = "opengov_cms.supervision"
    label = "opengov_supervision"
    verbose_name = _("政务公开：督查与整改")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from opengov_cms import checks

        checks.require_core_app()

        from opengov_cms.supervision import checks as supervision_checks  # noqa: F401
        from opengov_cms.supervision import signal_handlers

        signal_handlers.connect()
