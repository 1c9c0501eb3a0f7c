"""Version keys in Django's default cache: what a process keeps of rarely changing data
(the holiday calendar, the taxonomies) is trusted while the key it was read under is
current, and a change moves the key once its transaction commits."""

import uuid

from django.core.cache import cache


def current_version(key):
    """The version now under ``key``, given out on first use (``add``, so two processes
    starting at once agree on one)."""
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(key, version, None):
            version = cache.get(key, version)
    return version


def new_version(key):
    """Move ``key`` on: copies read under the old version are stale from now on."""
    cache.set(key, uuid.uuid4().hex, None)
