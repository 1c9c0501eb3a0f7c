from wagtail.snippets.models import register_snippet

from opengov_cms.core.viewsets import OrganisationViewSet

register_snippet(OrganisationViewSet)
