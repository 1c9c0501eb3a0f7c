"""Versions read ahead for a request (core.versions.known) answer until they move."""

import pytest
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


def test_a_process_keeps_what_it_read_under_a_version_for_a_while(process_clock):
    loads = []

    def load():
        loads.append(True)
        return {"read": len(loads)}

    key = "opengov-test:versions:kept:" + versions.current_version(KEY)
    assert versions.kept_in_process(key, load) == {"read": 1}
    process_clock.advance(versions.IN_PROCESS_SECONDS - 1)
    assert versions.kept_in_process(key, load) == {"read": 1}
    process_clock.advance(1)  # the period is over: read again
    assert versions.kept_in_process(key, load) == {"read": 2}
    # A new version is a new key: read at once.
    versions.new_version(KEY)
    key = "opengov-test:versions:kept:" + versions.current_version(KEY)
    assert versions.kept_in_process(key, load) == {"read": 3}


def test_what_a_process_keeps_is_bounded():
    for number in range(versions.IN_PROCESS_LIMIT + 10):
        key = f"opengov-test:versions:bounded:{number}"
        versions.kept_in_process(key, lambda number=number: number)
    assert len(versions._in_process) <= versions.IN_PROCESS_LIMIT


@pytest.mark.django_db
def test_on_commit_once_asks_for_one_call_per_transaction(django_capture_on_commit_callbacks):
    calls = []

    def committed():
        calls.append(1)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert not versions.pending_on_commit(committed)
        for _row in range(3):
            versions.on_commit_once(committed)
        assert versions.pending_on_commit(committed)
    assert len(callbacks) == 1
    assert calls == [1]
