"""System checks of the reports: the schedule's days and the publication choice."""

from django.core.checks import Error, register

from opengov_cms.conf import opengov_settings

DAY_SETTINGS = {
    "REPORTS_QUARTERLY_DAY": (1, 28),
    "REPORTS_ANNUAL_DRAFT_DAY": (1, 31),
    "REPORTS_ANNUAL_REMINDER_DAY": (1, 31),
}


@register()
def check_report_settings(app_configs=None, **kwargs):
    errors = []
    for setting, (low, high) in DAY_SETTINGS.items():
        value = getattr(opengov_settings, setting)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors.append(
                Error(
                    f"{opengov_settings.setting_name(setting)} = {value!r} is not a day "
                    f"from {low} to {high}.",
                    id="opengov_cms.E701",
                )
            )
    if not errors and (
        opengov_settings.REPORTS_ANNUAL_REMINDER_DAY < opengov_settings.REPORTS_ANNUAL_DRAFT_DAY
    ):
        errors.append(
            Error(
                f"{opengov_settings.setting_name('REPORTS_ANNUAL_REMINDER_DAY')} comes before "
                f"{opengov_settings.setting_name('REPORTS_ANNUAL_DRAFT_DAY')}: the office "
                "would be reminded of a report not drafted yet.",
                id="opengov_cms.E701",
            )
        )
    publication = opengov_settings.REPORTS_QUARTERLY_PUBLICATION
    if publication not in ("live", "review"):
        errors.append(
            Error(
                f"{opengov_settings.setting_name('REPORTS_QUARTERLY_PUBLICATION')} = "
                f'{publication!r} is not "live" or "review".',
                id="opengov_cms.E702",
            )
        )
    return errors
