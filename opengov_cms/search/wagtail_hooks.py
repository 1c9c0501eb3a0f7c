"""Admin registration of the search dictionary."""

from wagtail.snippets.models import register_snippet

from opengov_cms.search.viewsets import SearchTermViewSet

register_snippet(SearchTermViewSet)
