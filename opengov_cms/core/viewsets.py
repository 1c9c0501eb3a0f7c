"""Admin screens of opengov_core."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from opengov_cms.core.models import Organisation


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("机构")
    list_display = ["name", "short_name", "credit_code", "parent"]
    search_fields = ["name", "short_name", "credit_code"]
