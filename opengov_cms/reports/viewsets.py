"""Admin screens of the reports: the yearly figures staff enter for the annual report."""

from django.utils.translation import gettext_lazy as _
from wagtail import VERSION as WAGTAIL_VERSION
from wagtail.snippets.views.snippets import SnippetViewSet

from opengov_cms.reports.models import AnnualFigures

#: The submenu hook of the package's 政务公开 menu group (opengov_cms.core.viewsets).
OPENGOV_MENU_HOOK = "register_opengov_menu_item"
#: Menu groups collect items from a hook (``submenu_hook``) from Wagtail 8 on.
GROUP_TAKES_HOOKED_ITEMS = WAGTAIL_VERSION >= (8, 0)


class AnnualFiguresViewSet(SnippetViewSet):
    """年度报告统计数据: one record per organisation and year, for tables 2 and 4."""

    model = AnnualFigures
    icon = "table"
    menu_label = _("年度报告统计数据")
    if GROUP_TAKES_HOOKED_ITEMS:
        menu_hook = OPENGOV_MENU_HOOK
    else:
        # Wagtail 7.2 would register the item into a hook no group reads: a menu item of
        # its own instead.
        add_to_admin_menu = True
    menu_order = 100
    list_display = ["organisation", "year", "licensing", "penalty", "enforcement", "fees"]
    list_filter = ["organisation", "year"]
    ordering = ["-year", "organisation__name"]
