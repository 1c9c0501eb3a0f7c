from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpengovInteractionConfig(AppConfig):
    name = "opengov_cms.interaction"
    label = "opengov_interaction"
    verbose_name = _("政务公开：政民互动")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from opengov_cms import checks

        checks.require_core_app()

        from opengov_cms.interaction import checks as interaction_checks  # noqa: F401
        from opengov_cms.interaction import signal_handlers
        from opengov_cms.interaction.search import MessageSource
        from opengov_cms.reports.registry import register_quarterly_report
        from opengov_cms.search.indexing import register_source

        signal_handlers.connect()
        register_source(MessageSource())
        register_quarterly_report("opengov_interaction.InteractionQuarterlyReportPage")
