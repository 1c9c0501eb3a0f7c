"""System checks of disclosure on request: encryption keys and the tracking number pattern."""

from cryptography.fernet import Fernet
from django.core.checks import Error, Warning, register

from opengov_cms.conf import opengov_settings
from opengov_cms.disclosure_requests.fees import TariffError, tariff


@register()
def check_encryption_keys(app_configs=None, **kwargs):
    name = opengov_settings.setting_name("REQUESTS_ENCRYPTION_KEYS")
    keys = opengov_settings.REQUESTS_ENCRYPTION_KEYS
    if not keys:
        return []
    if not isinstance(keys, list | tuple):
        return [Error(f"{name} must be a list of Fernet keys.", id="opengov_cms.E101")]
    for index, key in enumerate(keys):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            return [
                Error(
                    f"{name}[{index}] is not a Fernet key (32 url-safe base64-encoded bytes).",
                    id="opengov_cms.E101",
                )
            ]
    return []


@register(deploy=True)
def check_encryption_keys_set(app_configs=None, **kwargs):
    """A deployment check: development and tests may rely on the derived key."""
    name = opengov_settings.setting_name("REQUESTS_ENCRYPTION_KEYS")
    if not opengov_settings.REQUESTS_ENCRYPTION_KEYS:
        return [
            Warning(
                f"{name} is not set: applicants' personal data is encrypted with a key derived "
                "from SECRET_KEY, so changing SECRET_KEY makes it unreadable.",
                hint='Generate a key with `python -c "from cryptography.fernet import Fernet; '
                f'print(Fernet.generate_key().decode())"` and set {name} = ["<key>"].',
                id="opengov_cms.W101",
            )
        ]
    return []


@register()
def check_tracking_number_pattern(app_configs=None, **kwargs):
    name = opengov_settings.setting_name("REQUESTS_TRACKING_NUMBER_PATTERN")
    pattern = opengov_settings.REQUESTS_TRACKING_NUMBER_PATTERN
    try:
        one = pattern.format(org_code="X", year=2024, seq=1)
        two = pattern.format(org_code="X", year=2024, seq=2)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        return [
            Error(
                f"{name} = {pattern!r} cannot be filled in: {exc!r}.",
                hint="Use the placeholders {org_code}, {year} and {seq}, "
                'e.g. "{org_code}-{year}-{seq:05d}".',
                id="opengov_cms.E102",
            )
        ]
    if one == two or len(one) > 80:
        return [
            Error(
                f"{name} = {pattern!r} must contain {{seq}} and give numbers of at most 80 "
                "characters.",
                id="opengov_cms.E102",
            )
        ]
    return []


@register()
def check_fee_tariff(app_configs=None, **kwargs):
    try:
        tariff()
    except TariffError as exc:
        return [
            Error(
                f"The fee tariff cannot be used: {exc}.",
                hint="OPENGOV_CMS_REQUESTS_FEE_TARIFF takes a path to a JSON file or a dict of "
                "the form of opengov_cms/disclosure_requests/data/fee_tariff.json "
                "(docs/reference/settings.md).",
                id="opengov_cms.E103",
            )
        ]
    return []
