"""Version keys in Django's default cache: what a process keeps of rarely changing data
(the holiday calendar, the taxonomies) is trusted while the key it was read under is
current, and a change moves the key once its transaction commits.

A request that needs several versions and another cache operation can read them all in one
round trip (core.ratelimit.count reads them with its counter) and answer from what it read
for the rest of its work, inside :func:`known`.
"""

import contextlib
import contextvars
import threading
import uuid

from django.core.cache import cache
from django.db import transaction

from opengov_cms.core import aging

_known = contextvars.ContextVar("opengov_cms_known_versions", default=None)
#: How long a process keeps its own copy of something it read under a version key.
IN_PROCESS_SECONDS = 30
#: The copies a process keeps at most; past it, it starts again from none.
IN_PROCESS_LIMIT = 256
_in_process = {}
_in_process_lock = threading.Lock()


@contextlib.contextmanager
def known(values):
    """Within the block, the versions in ``values`` (key: version, as read a moment ago)
    are taken from there instead of the cache. A version moved within the block is read
    from the cache again."""
    token = _known.set(dict(values))
    try:
        yield
    finally:
        _known.reset(token)


def known_version(key):
    """The version of ``key`` read for the current block of :func:`known`, or None."""
    values = _known.get()
    return values.get(key) if values else None


def forget(key):
    """``key`` moved: the current block of :func:`known` no longer answers for it."""
    values = _known.get()
    if values:
        values.pop(key, None)


def current_version(key):
    """The version now under ``key``, given out on first use (``add``, so two processes
    starting at once agree on one)."""
    version = known_version(key)
    if version is not None:
        return version
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(key, version, None):
            version = cache.get(key, version)
    return version


def new_version(key):
    """Move ``key`` on: copies read under the old version are stale from now on."""
    forget(key)
    cache.set(key, uuid.uuid4().hex, None)


def pending_on_commit(func):
    """Whether the current transaction will call ``func`` when it commits."""
    connection = transaction.get_connection()
    return connection.in_atomic_block and any(
        entry[1] is func for entry in connection.run_on_commit
    )


def on_commit_once(func):
    """``transaction.on_commit(func)``, unless the current transaction will call ``func``
    already: one call per transaction, however many rows it changes. Outside a transaction,
    ``func`` runs now, as with ``on_commit``."""
    if not pending_on_commit(func):
        transaction.on_commit(func)


def kept_in_process(key, load, seconds=IN_PROCESS_SECONDS):
    """What ``load()`` gives for ``key``, kept in this process for ``seconds``.

    For what is kept in the shared cache under a key that names the version it was read
    under: such a key's value never changes, a change moves the version and so the key, and
    a request asks the shared cache only for the version. What ``load`` returns is shared by
    the requests of the process and must not be changed."""
    now = aging.now()
    entry = _in_process.get(key)
    if entry is not None and entry[0] > now:
        return entry[1]
    value = load()
    with _in_process_lock:
        if len(_in_process) >= IN_PROCESS_LIMIT:
            _in_process.clear()
        _in_process[key] = (now + seconds, value)
    return value
