"""System checks of the public's messages: the reply periods, the tracking number pattern
and the rates."""

from django.core.checks import Error, register

from opengov_cms.conf import opengov_settings
from opengov_cms.core.calendar import MAX_WORKING_DAYS
from opengov_cms.interaction.choices import Category


@register()
def check_reply_days(app_configs=None, **kwargs):
    name = opengov_settings.setting_name("INTERACTION_REPLY_DAYS")
    days = opengov_settings.INTERACTION_REPLY_DAYS
    if not isinstance(days, dict):
        return [Error(f"{name} must be a dict of category: working days.", id="opengov_cms.E951")]
    errors = []
    unknown = sorted(set(days) - set(Category.values))
    if unknown:
        errors.append(
            Error(
                f"{name} names categories that do not exist: {', '.join(map(str, unknown))}.",
                hint=f"Use the categories {', '.join(Category.values)}.",
                id="opengov_cms.E951",
            )
        )
    for category, value in days.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 60:
            errors.append(
                Error(
                    f"{name}[{category!r}] = {value!r} is not a number of working days from 1 "
                    "to 60.",
                    id="opengov_cms.E951",
                )
            )
    return errors


@register()
def check_tracking_number_pattern(app_configs=None, **kwargs):
    name = opengov_settings.setting_name("INTERACTION_TRACKING_NUMBER_PATTERN")
    pattern = opengov_settings.INTERACTION_TRACKING_NUMBER_PATTERN
    try:
        one = pattern.format(org_code="X", year=2024, seq=1)
        two = pattern.format(org_code="X", year=2024, seq=2)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        return [
            Error(
                f"{name} = {pattern!r} cannot be filled in: {exc!r}.",
                hint="Use the placeholders {org_code}, {year} and {seq}, "
                'e.g. "{org_code}-LY-{year}-{seq:05d}".',
                id="opengov_cms.E952",
            )
        ]
    if one == two or len(one) > 80:
        return [
            Error(
                f"{name} = {pattern!r} must contain {{seq}} and give numbers of at most 80 "
                "characters.",
                id="opengov_cms.E952",
            )
        ]
    return []


def is_rate(value):
    return (
        isinstance(value, list | tuple)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value)
    )


@register()
def check_limits(app_configs=None, **kwargs):
    errors = []
    for setting in ("INTERACTION_SUBMIT_RATE", "INTERACTION_LOOKUP_RATE"):
        value = getattr(opengov_settings, setting)
        if not is_rate(value):
            errors.append(
                Error(
                    f"{opengov_settings.setting_name(setting)} = {value!r} is not "
                    "(count, seconds), two whole numbers above 0.",
                    id="opengov_cms.E953",
                )
            )
    for setting, high in (
        ("INTERACTION_MESSAGE_MAX_LENGTH", 100_000),
        ("INTERACTION_DUE_SOON_DAYS", MAX_WORKING_DAYS),
    ):
        value = getattr(opengov_settings, setting)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
            errors.append(
                Error(
                    f"{opengov_settings.setting_name(setting)} = {value!r} is not a whole "
                    f"number from 0 to {high}.",
                    id="opengov_cms.E953",
                )
            )
    return errors
