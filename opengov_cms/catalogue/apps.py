from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpengovCatalogueConfig(AppConfig):
    name = "opengov_cms.catalogue"
    label = "opengov_catalogue"
    verbose_name = _("政务公开：公开目录")
    default_auto_field = "django.db.models.BigAutoField"

    def import_models(self):
        from opengov_cms import checks

        # The models import opengov_core's: stop with the message before they fail.
        checks.require_core_app()
        super().import_models()

    def ready(self):
        from opengov_cms import checks

        checks.require_core_app()
        from opengov_cms.catalogue import signal_handlers

        signal_handlers.register()
