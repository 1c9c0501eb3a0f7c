"""Middleware of the package: refuse a public request body too large to be a form, before
any of it is read.

Django reads a POST's body the first time anything asks for ``request.POST`` (the CSRF check
does, in its middleware): a body that declares gigabytes would be read, and its files spooled
to disk, before any view could refuse it. This middleware goes first in MIDDLEWARE and answers
413 as soon as the declared length (Content-Length) is larger than the largest form the public
can send: the application form with all its attachments
(OPENGOV_CMS_REQUESTS_UPLOAD_MAX_FILES × OPENGOV_CMS_REQUESTS_UPLOAD_MAX_SIZE) and room for
its fields, or OPENGOV_CMS_PUBLIC_BODY_MAX_SIZE when the site sets it. The Wagtail admin is
left to its own limits (staff upload documents there). A body that is sent slowly is the web
server's to stop (docs/security.md gives the nginx and gunicorn settings).
"""

from functools import cache

from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from opengov_cms.conf import opengov_settings

#: Room for the form's own fields beside its files.
FIELDS_ALLOWANCE = 1024 * 1024
BODY_METHODS = ("POST", "PUT", "PATCH")


def public_body_limit():
    configured = opengov_settings.PUBLIC_BODY_MAX_SIZE
    if configured is not None:
        return configured
    files = opengov_settings.REQUESTS_UPLOAD_MAX_FILES * opengov_settings.REQUESTS_UPLOAD_MAX_SIZE
    return files + FIELDS_ALLOWANCE


@cache
def _admin_prefix(urlconf):
    try:
        return reverse("wagtailadmin_home", urlconf=urlconf)
    except NoReverseMatch:
        return None


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in BODY_METHODS and not self.is_admin(request):
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                declared = 0
            limit = public_body_limit()
            if declared > limit:
                return HttpResponse(
                    _("提交的内容过大（超过%(size)dMB），未予接收。请减少或压缩附件后重新提交。")
                    % {"size": limit // (1024 * 1024)},
                    status=413,
                    content_type="text/plain; charset=utf-8",
                    headers={"Connection": "close"},
                )
        return self.get_response(request)

    @staticmethod
    def is_admin(request):
        prefix = _admin_prefix(getattr(request, "urlconf", None))
        return bool(prefix) and request.path_info.startswith(prefix)
