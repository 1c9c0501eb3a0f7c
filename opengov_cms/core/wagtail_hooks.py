from wagtail.snippets.models import register_snippet

from opengov_cms.core.viewsets import OpengovViewSetGroup

register_snippet(OpengovViewSetGroup)
