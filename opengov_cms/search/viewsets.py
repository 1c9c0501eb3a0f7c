"""The admin screens of the search app: the dictionary of domain terms, synonyms and
abbreviations (检索词典)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from opengov_cms.search.models import SearchTerm


class SearchTermViewSet(SnippetViewSet):
    model = SearchTerm
    icon = "search"
    menu_label = _("检索词典")
    list_display = ["term", "equivalents", "weight", "note"]
    search_fields = ["term", "equivalents", "note"]
    ordering = ["term"]
