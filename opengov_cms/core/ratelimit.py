"""Per-client counters in Django's cache, for public forms and lookups."""

import contextlib
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
    return count(request, scope, rate)[0].allowed


class Hit:
    """One hit counted by :func:`count`: whether it is within the rate, and a way to take it
    back when what it was counted for did not happen after all (a form with mistakes)."""

    def __init__(self, key, allowed):
        self.key = key
        self.allowed = allowed
        #: Set by the code that acted on the hit; a hit left unused can be given back.
        self.used = False

    def give_back(self):
        backend = caches[DEFAULT_CACHE_ALIAS]
        if isinstance(backend, RedisCache):
            made = backend.make_and_validate_key(self.key)
            backend._cache.get_client(made, write=True).eval(GIVE_BACK_SCRIPT, 1, made)
            return
        with contextlib.suppress(ValueError):  # the window ended meanwhile
            cache.decr(self.key)


def count(request, scope, rate, read=()):
    """Count one hit of ``scope`` for the client, and read the keys ``read`` from the
    default cache: on Django's Redis cache in one round trip. Returns the :class:`Hit` and
    the values read ({key: value or None})."""
    hits, seconds = rate
    key = f"opengov:rate:{scope}:{client_key(request)}"
    counted = _count_in_redis(key, seconds, read)
    if counted is not None:
        number, values = counted
        return Hit(key, number <= hits), values
    return Hit(key, _count_in_cache(key, hits, seconds)), cache.get_many(read) if read else {}


def _count_in_cache(key, hits, seconds):
    if cache.add(key, 1, seconds):
        return hits >= 1
    try:
        number = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        number = 1
    return number <= hits


#: Count a hit and start the window on the first: one round trip, and atomic, so a key never
#: lives on without its expiry (an INCR just after the key expired would make one).
COUNT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""
#: Take a hit back, unless the window ended meanwhile (a DECR would then make a key that
#: never expires).
GIVE_BACK_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end
return 0
"""


def _count_in_redis(key, seconds, read=()):
    """The hits counted under ``key`` with this one and the values of the keys ``read``,
    when the cache is Django's Redis cache (add, then incr, which checks the key exists
    first, would be three round trips, and each read one more); None for other caches."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(backend, RedisCache):
        return None
    made = backend.make_and_validate_key(key)
    client = backend._cache.get_client(made, write=True)
    if not read:
        return int(client.eval(COUNT_SCRIPT, 1, made, max(1, int(seconds)))), {}
    pipe = client.pipeline(transaction=False)
    pipe.eval(COUNT_SCRIPT, 1, made, max(1, int(seconds)))
    pipe.mget([backend.make_and_validate_key(k) for k in read])
    number, found = pipe.execute()
    loads = backend._cache._serializer.loads
    values = {k: None if v is None else loads(v) for k, v in zip(read, found, strict=True)}
    return int(number), values
