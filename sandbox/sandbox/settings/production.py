"""Production settings: everything secret or host-specific comes from the environment."""

import os

from .base import *  # noqa: F403

DEBUG = False
# An unset key is reported at startup by the system check opengov_cms.E005.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
# Fernet keys for applicants' personal data, comma-separated; the first encrypts.
OPENGOV_CMS_REQUESTS_ENCRYPTION_KEYS = [
    k for k in os.environ.get("OPENGOV_ENCRYPTION_KEYS", "").split(",") if k
]
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")
