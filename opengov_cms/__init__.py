"""opengov_cms: government information disclosure (政府信息公开) for Wagtail sites."""

__version__ = "0.1.0.dev0"

#: The apps a site adds to INSTALLED_APPS, in this order (see "Install into an existing
#: Wagtail site" in the docs). Importing this list imports nothing from Django.
INSTALLED_APPS = [
    "opengov_cms.core",
    "opengov_cms.catalogue",
    "opengov_cms.policies",
    "opengov_cms.disclosure_requests",
    "opengov_cms.reports",
    "opengov_cms.supervision",
    "opengov_cms.interaction",
    "opengov_cms.search",
]

#: The options a site on SQLite gives its database (``DATABASES["default"]["OPTIONS"]``), so
#: that a small bureau's applicants and editors can write at the same time: write-ahead
#: logging (readers never wait for a writer), a transaction that takes the write lock when it
#: starts (two transactions can then never deadlock while each waits to write), and a wait of
#: up to 20 seconds for that lock instead of failing at once. Needs Django 5.1 or newer.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
