from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpengovCoreConfig(AppConfig):
    name = "opengov_cms.core"
    label = "opengov_core"
    verbose_name = _("政务公开：基础数据")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from opengov_cms import checks  # noqa: F401  (registers the system checks)
        from opengov_cms.core.calendar import holiday_data_changed
        from opengov_cms.core.models import HolidayCalendar, HolidayCalendarDay

        for model in (HolidayCalendar, HolidayCalendarDay):
            for signal in (post_save, post_delete):
                signal.connect(
                    holiday_data_changed, sender=model, dispatch_uid=f"og_calendar_{model}"
                )

        from wagtail.images import get_image_model
        from wagtail.signals import post_page_move

        from opengov_cms.core.models.site_identity import SiteIdentity, identity_changed

        for model in (SiteIdentity, get_image_model()):
            for signal in (post_save, post_delete):
                signal.connect(identity_changed, sender=model, dispatch_uid=f"og_identity_{model}")

        from opengov_cms.core.navigation import sections_changed

        # Any page or view restriction saved or deleted: sections_changed keeps what
        # concerns the map (sections, not documents).
        for number, signal in enumerate((post_save, post_delete, post_page_move)):
            signal.connect(sections_changed, dispatch_uid=f"og_site_map_{number}")
