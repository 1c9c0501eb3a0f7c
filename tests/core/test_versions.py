"""Versions read ahead for a request (core.versions.known) answer until they move."""

from django.core.cache import cache

from opengov_cms.core import navigation, versions

KEY = "opengov-test:versions:calendar"


def test_versions_read_ahead_answer_until_they_move():
    cache.set(KEY, "in-the-cache", None)
    cache.set(navigation.CHROME_VERSION_KEY, 7, None)
    with versions.known({KEY: "read-ahead", navigation.CHROME_VERSION_KEY: 5}):
        assert versions.current_version(KEY) == "read-ahead"
        assert navigation.chrome_version() == 5
        # Moved by this request: the next read is the cache's.
        versions.new_version(KEY)
        navigation.move_chrome_version()
        assert versions.current_version(KEY) not in ("read-ahead", "in-the-cache")
        assert navigation.chrome_version() == 8
    assert versions.current_version(KEY) == cache.get(KEY)


def test_a_key_read_ahead_and_missing_is_read_from_the_cache():
    cache.set(KEY, "in-the-cache", None)
    with versions.known({KEY: None}):
        assert versions.current_version(KEY) == "in-the-cache"
