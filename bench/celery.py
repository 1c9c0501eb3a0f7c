"""The benchmark server's Celery app, as a site at this scale runs its jobs (docs/scaling.md):
the web process hands each job's id to the broker after the commit, and a worker runs it.
No worker runs during a measurement; the messages wait in the run's own Redis database,
which the harness empties afterwards."""

from celery import Celery

app = Celery("bench")
app.config_from_object("django.conf:settings", namespace="CELERY")
