"""WSGI entry point. System checks run before the first request, so a misconfigured
production site stops at startup with the check's message, not with a 500."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings.production")

application = get_wsgi_application()

from django.core.management import call_command  # noqa: E402

call_command("check", fail_level="ERROR")

# What the worker has loaded (Django, Wagtail, the Chinese dictionaries) lives as long as
# it does: the garbage collector need not go through it again (docs/scaling.md).
import gc  # noqa: E402

gc.freeze()
