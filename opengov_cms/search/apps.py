from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpengovSearchConfig(AppConfig):
    name = "opengov_cms.search"
    label = "opengov_search"
    verbose_name = _("政务公开：全文检索")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from opengov_cms import checks
        from opengov_cms.search import analysis, signal_handlers
        from opengov_cms.search import checks as search_checks  # noqa: F401 (registers them)
        from opengov_cms.search.models import SearchTerm

        checks.require_core_app()
        post_save.connect(analysis.invalidate_terms, sender=SearchTerm)
        post_delete.connect(analysis.invalidate_terms, sender=SearchTerm)
        signal_handlers.register()
