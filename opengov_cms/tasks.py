"""Run the package's background jobs on the site's Celery app, or in-process without one,
through an outbox, so that no change loses its side effects and none turns into an error.

Jobs are declared with :func:`task` and started with :func:`enqueue`, which writes the job to
the outbox table (``OutboxMessage``) in the current transaction: the job exists exactly when
the change that caused it is committed. Once it commits, the job is handed on
(OPENGOV_CMS_TASK_RUNNER): "immediate" runs it in this process; "celery" sends the message's
id to the broker. A broker that is down, or a job that fails, leaves the message in the
outbox, never an error for the person who made the change; the periodic job
``opengov_cms.outbox.deliver`` (Celery beat, every minute) or ``manage.py opengov_outbox``
runs what is left. A message is run by whoever deletes it first, inside the transaction that
runs the job: two deliveries of one message (the broker's and the sweep's) run it once.
"""

import functools
import logging
from datetime import timedelta

from django.db import DatabaseError, transaction
from django.utils import timezone

from opengov_cms.conf import opengov_settings

try:
    from celery import shared_task
except ImportError:  # the celery extra is optional
    shared_task = None

logger = logging.getLogger(__name__)

#: Every job declared with :func:`task`, by name: what a message in the outbox names.
JOBS = {}
#: A message waits this long for the delivery that follows its commit before the sweep
#: takes it, so the two rarely meet (and run it once when they do).
SWEEP_AFTER = timedelta(seconds=30)
#: After a failure a message waits 1, 2, 4 … minutes, at most this long, before a retry.
MAX_BACKOFF = timedelta(hours=1)


class InProcessTask:
    """A job without Celery: called directly; ``delay`` runs it at once."""

    def __init__(self, func, name):
        functools.update_wrapper(self, func)
        self.func = func
        self.name = name

    def __call__(self, *args, **kwargs):
        return self.func(*args, **kwargs)

    def delay(self, *args, **kwargs):
        return self.func(*args, **kwargs)


def task(func=None, **options):
    """Declare a job; with Celery installed it is a ``shared_task`` taking ``options``."""

    def decorate(f):
        name = options.get("name") or f"{f.__module__}.{f.__name__}"
        JOBS[name] = f
        if shared_task is None:
            return InProcessTask(f, name)
        return shared_task(**{**options, "name": name})(f)

    return decorate(func) if func is not None else decorate


def enqueue(job, *args, **kwargs):
    """Write ``job`` to the outbox now; hand it on once the current transaction commits (at
    once outside one). Arguments must be JSON values (ids, not objects)."""
    from opengov_cms.core.models import OutboxMessage

    message = OutboxMessage.objects.create(task=job.name, args=list(args), kwargs=kwargs)
    transaction.on_commit(functools.partial(hand_on, message.pk))
    return message.pk


def hand_on(message_id):
    """After the commit: run the message here, or send it to the broker. Never raises."""
    if opengov_settings.TASK_RUNNER == "celery":
        try:
            run_message.delay(message_id)
        except Exception as exc:  # a broker down or refusing: the sweep delivers it later
            logger.warning(
                "Outbox message %s stays for later: the broker did not take it (%s)",
                message_id,
                type(exc).__name__,
            )
    else:
        run(message_id)


def run(message_id):
    """Run one message of the outbox if it is still there; True when this call ran it.

    The message is deleted in the transaction that runs its job: a second run waits for
    the first and then finds nothing; a job that fails rolls the deletion back, and the
    message is tried again later."""
    from opengov_cms.core.models import OutboxMessage

    try:
        with transaction.atomic():
            message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
            if message is None or not OutboxMessage.objects.filter(pk=message_id).delete()[0]:
                return False
            job = JOBS.get(message.task)
            if job is None:
                raise LookupError(f"no job named {message.task!r}")
            job(*message.args, **message.kwargs)
        return True
    except Exception as exc:
        logger.exception("Outbox message %s failed; it will be tried again", message_id)
        _postpone(message_id, exc)
        return False


def _postpone(message_id, exc):
    from opengov_cms.core.models import OutboxMessage

    try:
        message = OutboxMessage.objects.filter(pk=message_id).first()
        if message is None:
            return
        wait = min(timedelta(minutes=2**message.attempts), MAX_BACKOFF)
        OutboxMessage.objects.filter(pk=message_id).update(
            attempts=message.attempts + 1,
            not_before=timezone.now() + wait,
            last_error=f"{type(exc).__name__}: {exc}"[:300],
        )
    except DatabaseError:
        logger.exception("Outbox message %s could not be postponed", message_id)


def deliver_pending(limit=1000, now=None):
    """Run the messages that wait past their hand-on, oldest first; returns how many ran."""
    from opengov_cms.core.models import OutboxMessage

    now = now or timezone.now()
    due = OutboxMessage.objects.filter(
        not_before__lte=now, created_at__lte=now - SWEEP_AFTER
    ).values_list("pk", flat=True)[:limit]
    return sum(run(pk) for pk in list(due))


@task(name="opengov_cms.outbox.run")
def run_message(message_id):
    """A worker's side of :func:`hand_on`."""
    run(message_id)


@task(name="opengov_cms.outbox.deliver")
def deliver():
    """Every minute: what a broker that was down, or a job that failed, left behind."""
    return deliver_pending()
