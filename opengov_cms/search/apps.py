from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpengovSearchConfig(AppConfig):
    name = "opengov_cms.search"
    label = "opengov_search"
    verbose_name = _("政务公开：全文检索")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from opengov_cms import checks

        checks.require_core_app()
