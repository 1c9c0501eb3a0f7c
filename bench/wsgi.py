"""The benchmark site's WSGI application, for gunicorn."""

import gc
import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
application = get_wsgi_application()
if os.environ.get("BENCH_TASK_RUNNER") == "celery":
    from bench.celery import app as celery_app  # noqa: F401  (the jobs' app)


def warm(paths):
    """Serve ``paths`` once in this process before it takes connections. gunicorn loads
    this module in each worker, so every worker has filled its per-process caches (site
    root paths, content types, settings) before the first measured request."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for path in paths:
        client.get(path)


warm([path for path in os.environ.get("BENCH_WARM_PATHS", "").split("\n") if path])
# As docs/scaling.md advises: what the worker has loaded by now lives as long as the worker,
# and the garbage collector need not go through it again (a full collection of it takes
# about 100 ms, several times in a worker's first few hundred requests).
gc.freeze()
# Tell the harness this worker is warm: it measures nothing while a worker is still starting,
# which on two cores would take CPU from the measured requests.
if os.environ.get("BENCH_READY_DIR"):
    Path(os.environ["BENCH_READY_DIR"], str(os.getpid())).touch()
