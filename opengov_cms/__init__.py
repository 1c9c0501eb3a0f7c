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
    "opengov_cms.search",
]
