"""Run the package's background jobs on the site's Celery app, or in-process without one.

Jobs are declared with :func:`task` and started with :func:`enqueue`, which waits for the
current transaction to commit. OPENGOV_CMS_TASK_RUNNER picks where they run.
"""

import functools

from django.db import transaction

from opengov_cms.conf import opengov_settings

try:
    from celery import shared_task
except ImportError:  # the celery extra is optional
    shared_task = None


class InProcessTask:
    """A job without Celery: called directly; ``delay`` runs it at once."""

    def __init__(self, func):
        functools.update_wrapper(self, func)
        self.func = func
        self.name = f"{func.__module__}.{func.__name__}"

    def __call__(self, *args, **kwargs):
        return self.func(*args, **kwargs)

    def delay(self, *args, **kwargs):
        return self.func(*args, **kwargs)


def task(func=None, **options):
    """Declare a job; with Celery installed it is a ``shared_task`` taking ``options``."""

    def decorate(f):
        if shared_task is None:
            return InProcessTask(f)
        return shared_task(**options)(f)

    return decorate(func) if func is not None else decorate


def enqueue(job, *args, **kwargs):
    """Start ``job`` once the current transaction commits (at once outside one)."""

    def start():
        if opengov_settings.TASK_RUNNER == "celery":
            job.delay(*args, **kwargs)
        else:
            job(*args, **kwargs)

    transaction.on_commit(start)
