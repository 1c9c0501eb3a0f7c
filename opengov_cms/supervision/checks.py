"""System checks of the supervision settings."""

from django.core.checks import Error, register

from opengov_cms.conf import opengov_settings

#: (setting, lowest, highest)
RANGES = (
    # Every month has a 28th: a later day would be missing in February.
    ("SUPERVISION_SUBMISSION_DAY", 1, 28),
    ("SUPERVISION_REMINDER_DAYS", 0, 60),
    ("SUPERVISION_STANDARD_STALE_DAYS", 1, 3660),
)


@register()
def check_supervision_settings(app_configs=None, **kwargs):
    errors = []
    for setting, low, high in RANGES:
        value = getattr(opengov_settings, setting)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors.append(
                Error(
                    f"{opengov_settings.setting_name(setting)} = {value!r} is not a whole "
                    f"number from {low} to {high}.",
                    id="opengov_cms.E901",
                )
            )
    return errors
