"""The benchmark site's WSGI application, for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
application = get_wsgi_application()


def warm(paths):
    """Serve ``paths`` once in this process before it takes connections. gunicorn loads
    this module in each worker, so every worker has filled its per-process caches (site
    root paths, content types, settings) before the first measured request."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for path in paths:
        client.get(path)


warm([path for path in os.environ.get("BENCH_WARM_PATHS", "").split("\n") if path])
