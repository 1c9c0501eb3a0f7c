"""Admin screens of opengov_core."""

from django.utils.translation import gettext_lazy as _
from wagtail import VERSION as WAGTAIL_VERSION
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from opengov_cms.core.models import (
    DocumentKind,
    Genre,
    HolidayCalendar,
    NonDisclosureReason,
    Organisation,
    Topic,
)

#: The hook through which other apps of the package add their screens to 政务公开.
OPENGOV_MENU_HOOK = "register_opengov_menu_item"
#: Menu groups collect items from a hook (``submenu_hook``) from Wagtail 8 on; under Wagtail
#: 7.2 an app's viewset registered into the hook would reach no group, so it takes a menu
#: item of its own instead (``add_to_admin_menu``).
GROUP_TAKES_HOOKED_ITEMS = WAGTAIL_VERSION >= (8, 0)


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("机构")
    list_display = ["name", "short_name", "credit_code", "parent"]
    search_fields = ["name", "short_name", "credit_code"]


class HolidayCalendarViewSet(SnippetViewSet):
    model = HolidayCalendar
    icon = "date"
    menu_label = _("节假日安排")
    list_display = ["year", "notice"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "code", "parent", "sort_order"]
    list_filter = ["parent"]
    search_fields = ["name", "code"]


class GenreViewSet(SnippetViewSet):
    model = Genre
    icon = "doc-full"
    list_display = ["name", "code", "sort_order"]


class DocumentKindViewSet(SnippetViewSet):
    model = DocumentKind
    icon = "doc-full-inverse"
    list_display = ["name", "code", "sort_order"]


class NonDisclosureReasonViewSet(SnippetViewSet):
    model = NonDisclosureReason
    icon = "lock"
    list_display = ["name", "article", "code"]


class OpengovViewSetGroup(SnippetViewSetGroup):
    """One menu group for everything of the package that is not a page."""

    menu_label = _("政务公开")
    menu_icon = "folder-open-inverse"
    menu_order = 250
    submenu_hook = OPENGOV_MENU_HOOK
    items = (
        OrganisationViewSet,
        TopicViewSet,
        GenreViewSet,
        DocumentKindViewSet,
        NonDisclosureReasonViewSet,
        HolidayCalendarViewSet,
    )
