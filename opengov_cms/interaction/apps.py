from django.apps import AppConfig
from django.apps import apps as django_apps
from django.utils.translation import gettext_lazy as _

#: The apps whose models the interaction's models build on.
DEPENDS_ON = (
    "opengov_cms.core",
    "opengov_cms.catalogue",
    "opengov_cms.policies",
    "opengov_cms.disclosure_requests",
    "opengov_cms.reports",
    "opengov_cms.search",
)


def dependencies_installed(registry=None):
    registry = registry or django_apps
    return all(registry.is_installed(name) for name in DEPENDS_ON)


class OpengovInteractionConfig(AppConfig):
    name = "opengov_cms.interaction"
    label = "opengov_interaction"
    verbose_name = _("政务公开：政民互动")
    default_auto_field = "django.db.models.BigAutoField"

    def import_models(self):
        # Without the apps below it the models cannot be built: load none, so that startup
        # reaches the system check naming the missing app (opengov_cms.E001), not a traceback.
        if dependencies_installed(self.apps):
            super().import_models()
        else:
            self.models = self.apps.all_models[self.label]

    def ready(self):
        from opengov_cms import checks

        checks.require_core_app()
        if not dependencies_installed():
            return

        from opengov_cms.interaction import checks as interaction_checks  # noqa: F401
        from opengov_cms.interaction import signal_handlers
        from opengov_cms.interaction.search import MessageSource
        from opengov_cms.reports.registry import register_quarterly_report
        from opengov_cms.search.indexing import register_source

        signal_handlers.connect()
        register_source(MessageSource())
        register_quarterly_report("opengov_interaction.InteractionQuarterlyReportPage")
