"""Per-client counters in Django's cache, for public forms and lookups."""

import hashlib

from django.conf import settings
from django.core.cache import cache


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
    if cache.add(key, 1, seconds):
        return hits >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        count = 1
    return count <= hits
