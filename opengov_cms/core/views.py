"""Public views of opengov_core."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

import opengov_cms


@never_cache
@require_GET
def health(request):
    """For load balancers and uptime checks: the database answers, and which version runs."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "version": opengov_cms.__version__})
