"""Search backends, configured by OPENGOV_CMS_SEARCH = {"BACKEND": ..., "OPTIONS": ...}."""

from django.utils.module_loading import import_string

from opengov_cms.conf import opengov_settings


def get_search_backend():
    """Build the configured backend; called when needed, never at import."""
    config = opengov_settings.SEARCH
    backend_class = import_string(config["BACKEND"])
    return backend_class(**config.get("OPTIONS", {}))
