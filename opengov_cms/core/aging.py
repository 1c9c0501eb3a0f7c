"""The clock by which what a process keeps of shared data ages: its copies of the holiday
calendar, of the search dictionary, of the index's statistics, of a form page.

It is ``time.monotonic``. The test suite stops it for the length of each test
(tests/conftest.py), so that no copy expires between two requests a test compares; a test
that checks an expiry moves it on.
"""

import time

_source = time.monotonic


def now():
    """Seconds on the process's clock (only differences between two readings mean anything)."""
    return _source()
