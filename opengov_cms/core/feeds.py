"""What the package's Atom feeds share: one way to say when an item was published."""

import datetime

from django.utils import timezone


def feed_datetime(day):
    """A publication day as the moment every feed gives for it: its midnight in the site's
    time zone (TIME_ZONE), so the same item has the same date in every feed."""
    if day is None:
        return None
    if isinstance(day, str):
        try:
            day = datetime.date.fromisoformat(day[:10])
        except ValueError:
            return None
    midnight = datetime.datetime.combine(day, datetime.time())
    return timezone.make_aware(midnight, timezone.get_default_timezone())
