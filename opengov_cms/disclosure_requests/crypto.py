"""Encryption at rest of applicants' personal data, and the masks shown in lists.

The keys are OPENGOV_CMS_REQUESTS_ENCRYPTION_KEYS, a list of Fernet keys: the first
encrypts, all of them decrypt, so a key is rotated by putting a new one first and running
``manage.py opengov_requests_rotate_keys``. Without the setting a key is derived from
SECRET_KEY, which ties the data to SECRET_KEY (a system check warns about it).
"""

import base64
import functools
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models
from django.views.decorators.debug import sensitive_variables

from opengov_cms.conf import opengov_settings

TOKEN_PREFIX = "fernet:"


def derived_key(secret_key=None):
    secret_key = settings.SECRET_KEY if secret_key is None else secret_key
    digest = hashlib.sha256(b"opengov_cms.requests.personal-data:" + secret_key.encode())
    return base64.urlsafe_b64encode(digest.digest())


def fernet():
    """The keys as a MultiFernet, decoded (or derived) once per process for each set of keys
    (a setting changed at run time, as tests do, gets its own)."""
    keys = tuple(opengov_settings.REQUESTS_ENCRYPTION_KEYS or ())
    return _fernet(keys, "" if keys else settings.SECRET_KEY)


@functools.lru_cache(maxsize=8)
def _fernet(keys, secret_key):
    return MultiFernet([Fernet(k) for k in keys or [derived_key(secret_key)]])


@sensitive_variables()
def encrypt(text):
    if not text:
        return ""
    return TOKEN_PREFIX + fernet().encrypt(text.encode()).decode()


@sensitive_variables()
def decrypt(stored):
    if not stored:
        return ""
    if not stored.startswith(TOKEN_PREFIX):
        raise ValueError("a personal-data column holds a value that was not encrypted")
    try:
        return fernet().decrypt(stored[len(TOKEN_PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise ValueError(
            "personal data cannot be decrypted: OPENGOV_CMS_REQUESTS_ENCRYPTION_KEYS lacks "
            "the key it was encrypted with"
        ) from exc


def rotate(stored):
    """Re-encrypt ``stored`` with the first key."""
    if not stored:
        return ""
    return TOKEN_PREFIX + fernet().rotate(stored[len(TOKEN_PREFIX) :].encode()).decode()


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; Python code only ever sees the plain text.

    Values cannot be searched or filtered in the database, by design.
    """

    @sensitive_variables()
    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    @sensitive_variables()
    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value


def mask_name(value):
    if not value:
        return ""
    return value[0] + "*" * max(len(value) - 1, 1)


def mask_phone(value):
    if len(value or "") < 7:
        return "*" * len(value or "")
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_id_number(value):
    if len(value or "") < 8:
        return "*" * len(value or "")
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_email(value):
    local, _at, domain = (value or "").partition("@")
    if not domain:
        return mask_name(local)
    return (local[:1] + "***@" + domain) if local else ""
