"""The receipt a public form shows once it has taken a submission: post/redirect/get, with
what the confirmation page shows (the tracking number, the query code, the due date)
carried in a cookie of its own, encrypted and authenticated, instead of the session.

A submission then neither reads nor writes a session: nothing in the session store, no
session cookie for an anonymous applicant, and on a site with database sessions two or three
statements fewer. The cookie is sent only to the form's own address (its path), only over
HTTPS when the form was, never to scripts, and it expires after :data:`MAX_AGE`: a reload
of the confirmation shows the receipt again meanwhile, and a shared computer forgets it
afterwards. The key is derived from ``SECRET_KEY`` (``SECRET_KEY_FALLBACKS`` still decrypt,
so rotating the secret key does not lose the receipt of a submission made just before).
"""

import base64
import functools
import hashlib
import json
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.views.decorators.debug import sensitive_variables

COOKIE = "opengov_receipt"
#: Seconds a receipt stays readable after the submission.
MAX_AGE = 30 * 60


@functools.lru_cache(maxsize=4)
def _fernet(secrets):
    keys = []
    for secret in secrets:
        digest = hashlib.sha256(b"opengov_cms.core.receipts:" + secret.encode()).digest()
        keys.append(Fernet(base64.urlsafe_b64encode(digest)))
    return MultiFernet(keys)


def fernet():
    return _fernet((settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())))


@sensitive_variables()
def give(response, request, url, page_id, receipt):
    """Set ``receipt`` (a dict of strings) for the confirmation at ``url`` of page
    ``page_id`` on ``response``."""
    token = fernet().encrypt(json.dumps({"page": page_id, **receipt}).encode())
    response.set_cookie(
        COOKIE,
        token.decode(),
        max_age=MAX_AGE,
        path=urlsplit(url).path or "/",
        secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@sensitive_variables()
def read(request, page_id):
    """The receipt this browser holds for page ``page_id``, or None: none, expired, for
    another page, or not one this site made."""
    token = request.COOKIES.get(COOKIE)
    if not token:
        return None
    try:
        receipt = json.loads(fernet().decrypt(token.encode(), ttl=MAX_AGE))
    except (InvalidToken, ValueError, TypeError):
        return None
    if not isinstance(receipt, dict) or receipt.get("page") != page_id:
        return None
    return receipt
