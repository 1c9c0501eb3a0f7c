"""A misconfigured message box is told what to fix when the site starts."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


def run_checks():
    with pytest.raises(SystemCheckError) as excinfo:
        call_command("check")
    return str(excinfo.value)


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ([5, 10], "must be a dict"),
        ({"petition": 5}, "categories that do not exist: petition"),
        ({"consultation": 0}, "['consultation'] = 0 is not a number of working days"),
        ({"complaint": "10"}, "['complaint'] = '10'"),
        ({"other": True}, "['other'] = True"),
    ],
)
def test_reply_days_that_are_not_periods_are_named(settings, value, named):
    settings.OPENGOV_CMS_INTERACTION_REPLY_DAYS = value
    message = run_checks()
    assert "opengov_cms.E951" in message and named in message


@pytest.mark.parametrize("pattern", ["{org_code}-{year}", "{nope}-{seq}", "{seq:zz}"])
def test_a_tracking_number_pattern_that_cannot_number_is_named(settings, pattern):
    settings.OPENGOV_CMS_INTERACTION_TRACKING_NUMBER_PATTERN = pattern
    assert "opengov_cms.E952" in run_checks()


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("INTERACTION_SUBMIT_RATE", 5),
        ("INTERACTION_LOOKUP_RATE", (20, 0)),
        ("INTERACTION_MESSAGE_MAX_LENGTH", -1),
        ("INTERACTION_DUE_SOON_DAYS", "2"),
    ],
)
def test_limits_out_of_range_are_named(settings, setting, value):
    setattr(settings, f"OPENGOV_CMS_{setting}", value)
    message = run_checks()
    assert "opengov_cms.E953" in message and f"OPENGOV_CMS_{setting}" in message


def test_the_defaults_pass():
    call_command("check")
