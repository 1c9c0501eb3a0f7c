"""Per-client counters in Django's cache, for public forms and lookups."""

import hashlib

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache


def client_key(request):
    # Hashed so the cache never holds a client address (personal data) in the clear.
    address = request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]


def allow(request, scope, rate):
    """Count one hit of ``scope`` for the client; False once it exceeds ``rate``.

    ``rate`` is (hits, seconds); the window starts at the first hit.
    """
    hits, seconds = rate
    key = f"opengov:rate:{scope}:{client_key(request)}"
    count = _count_in_redis(key, seconds)
    if count is not None:
        return count <= hits
    if cache.add(key, 1, seconds):
        return hits >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        count = 1
    return count <= hits


#: Count a hit and start the window on the first: one round trip, and atomic, so a key never
#: lives on without its expiry (an INCR just after the key expired would make one).
COUNT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


def _count_in_redis(key, seconds):
    """The hits counted under ``key`` with this one, when the cache is Django's Redis cache
    (add, then incr, which checks the key exists first, would be three round trips); None
    for other caches."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(backend, RedisCache):
        return None
    key = backend.make_and_validate_key(key)
    client = backend._cache.get_client(key, write=True)
    return int(client.eval(COUNT_SCRIPT, 1, key, max(1, int(seconds))))
