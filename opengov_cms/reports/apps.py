from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpengovReportsConfig(AppConfig):
    name = "opengov_cms.reports"
    label = "opengov_reports"
    verbose_name = _("政务公开：统计与年报")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from opengov_cms import checks

        checks.require_core_app()

        from opengov_cms.reports import checks as report_checks  # noqa: F401
