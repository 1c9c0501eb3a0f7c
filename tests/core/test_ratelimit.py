"""The per-client counters of the public forms on a shared Redis cache: one round trip a
hit, and a window that always ends."""

import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings

from opengov_cms.core import ratelimit
from tests.services import service_url


@pytest.fixture
def redis_cache():
    url = service_url("redis")
    settings = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "opengov-test-ratelimit",
        }
    }
    with override_settings(CACHES=settings):
        cache = caches["default"]
        forget(cache)
        yield cache
        forget(cache)


def forget(cache):
    """This test's keys only: the server is shared."""
    client = cache._cache.get_client(None, write=True)
    for key in client.scan_iter(match="opengov-test-ratelimit:*"):
        client.delete(key)


def hit(address, rate=(3, 60)):
    request = RequestFactory().post("/", REMOTE_ADDR=address)
    return ratelimit.allow(request, "submit", rate)


def test_the_limit_holds_per_client_with_one_round_trip_a_hit(redis_cache, monkeypatch):
    client = redis_cache._cache.get_client(None, write=True)
    sent = []
    original = type(client).execute_command

    def counting(self, *args, **options):
        sent.append(args[0])
        return original(self, *args, **options)

    monkeypatch.setattr(type(client), "execute_command", counting)
    assert [hit("10.0.0.1") for _ in range(4)] == [True, True, True, False]
    assert len(sent) == 4
    assert hit("10.0.0.2") is True  # another address counts on its own


def test_the_window_starts_at_the_first_hit_and_ends(redis_cache):
    hit("10.0.0.3")
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.3")
    key = redis_cache.make_and_validate_key(f"opengov:rate:submit:{ratelimit.client_key(request)}")
    client = redis_cache._cache.get_client(key)
    assert 0 < client.ttl(key) <= 60
    hit("10.0.0.3")
    assert 0 < client.ttl(key) <= 60  # not moved on by later hits
    # A counter left without an expiry (written by an older version, say) gets one.
    client.persist(key)
    hit("10.0.0.3")
    assert 0 < client.ttl(key) <= 60
    assert redis_cache.get(f"opengov:rate:submit:{ratelimit.client_key(request)}") == 3


def round_trips(client, monkeypatch):
    """What is sent to Redis, one entry a round trip (a pipeline is one)."""
    sent = []
    connection_class = client.connection_pool.connection_class
    original = connection_class.send_packed_command

    def counting(self, command, *args, **kwargs):
        sent.append(command)
        return original(self, command, *args, **kwargs)

    monkeypatch.setattr(connection_class, "send_packed_command", counting)
    return sent


def test_a_hit_and_the_versions_it_needs_take_one_round_trip(redis_cache, monkeypatch):
    redis_cache.set("a-number", 41, None)
    redis_cache.set("a-text", "2f6c", None)
    sent = round_trips(redis_cache._cache.get_client(None, write=True), monkeypatch)
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.4")
    hit, values = ratelimit.count(request, "submit", (1, 60), read=("a-number", "a-text", "none"))
    assert len(sent) == 1
    assert hit.allowed
    assert values == {"a-number": 41, "a-text": "2f6c", "none": None}
    assert not ratelimit.count(request, "submit", (1, 60))[0].allowed


def test_a_hit_given_back_is_not_counted_and_never_outlives_its_window(redis_cache):
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.5")
    hit, _values = ratelimit.count(request, "submit", (1, 60))
    hit.give_back()
    assert ratelimit.count(request, "submit", (1, 60))[0].allowed
    # Given back after its window ended: no counter is left behind without an expiry.
    key = redis_cache.make_and_validate_key(hit.key)
    client = redis_cache._cache.get_client(key, write=True)
    client.delete(key)
    hit.give_back()
    assert not client.exists(key)
