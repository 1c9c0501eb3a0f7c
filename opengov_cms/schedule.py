"""The Celery beat schedule of the package's jobs. A site includes it with one line in its
settings (this module imports nothing from Django, so settings may import it):

    from opengov_cms.schedule import BEAT_SCHEDULE
    CELERY_BEAT_SCHEDULE = {**BEAT_SCHEDULE}

Jobs that must happen on a given day run often and decide for themselves whether there is
work to do, so a scheduler that was down catches up at its next run.
"""

from datetime import timedelta

BEAT_SCHEDULE = {
    "opengov_cms.publish_scheduled": {
        "task": "opengov_cms.publish_scheduled",
        "schedule": timedelta(minutes=1),
    },
    # Hourly, so a scheduler that was down still reminds the same day; at most one
    # reminder per request and day goes out.
    "opengov_cms.requests.send_reminders": {
        "task": "opengov_cms.requests.send_reminders",
        "schedule": timedelta(hours=1),
    },
    # Hourly, as the requests' reminders: at most one reminder per message and day.
    "opengov_cms.interaction.send_reminders": {
        "task": "opengov_cms.interaction.send_reminders",
        "schedule": timedelta(hours=1),
    },
    "opengov_cms.requests.close_lapsed": {
        "task": "opengov_cms.requests.close_lapsed",
        "schedule": timedelta(hours=1),
    },
    # Jobs a broker that was down, or a failure, left in the outbox (opengov_cms.tasks).
    "opengov_cms.outbox.deliver": {
        "task": "opengov_cms.outbox.deliver",
        "schedule": timedelta(minutes=1),
    },
    # Changes the search engine could not take while it was down, applied when it is back.
    "opengov_cms.search.sync_pending": {
        "task": "opengov_cms.search.sync_pending",
        "schedule": timedelta(minutes=5),
    },
    "opengov_cms.expire_policy_documents": {
        "task": "opengov_cms.expire_policy_documents",
        "schedule": timedelta(hours=1),
    },
    # Hourly: each run makes only the reports that are due and missing, so a scheduler that
    # was down for days makes them once when it returns.
    "opengov_cms.reports.publish_quarterly": {
        "task": "opengov_cms.reports.publish_quarterly",
        "schedule": timedelta(hours=1),
    },
    "opengov_cms.reports.draft_annual": {
        "task": "opengov_cms.reports.draft_annual",
        "schedule": timedelta(hours=1),
    },
    # Hourly: waiting submissions past their due date become overdue, and units are
    # reminded before the 28th; each reminder and notice goes out once (a constraint).
    "opengov_cms.supervision.update_submissions": {
        "task": "opengov_cms.supervision.update_submissions",
        "schedule": timedelta(hours=1),
    },
    "opengov_cms.supervision.send_reminders": {
        "task": "opengov_cms.supervision.send_reminders",
        "schedule": timedelta(hours=1),
    },
}
