from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpengovCoreConfig(AppConfig):
    name = "opengov_cms.core"
    label = "opengov_core"
    verbose_name = _("政务公开：基础数据")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from opengov_cms import checks  # noqa: F401  (registers the system checks)
