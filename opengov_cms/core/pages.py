"""What every public page type of the package shares."""

from opengov_cms.conf import opengov_settings


class OpengovPageMixin:
    """Gives templates the base template the site chose (OPENGOV_CMS_BASE_TEMPLATE)."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["opengov_base_template"] = opengov_settings.BASE_TEMPLATE
        return context
