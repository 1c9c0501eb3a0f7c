"""Search backends, configured by OPENGOV_CMS_SEARCH = {"BACKEND": ..., "OPTIONS": ...}."""

import threading

from django.utils.module_loading import import_string

from opengov_cms.conf import opengov_settings

_lock = threading.Lock()
_backends = {}


def get_search_backend():
    """The configured backend, built when first needed, never at import.

    One instance per configuration and process, so an engine client's connection pool is
    reused across requests; a changed setting (override_settings) gets a new instance.
    """
    config = opengov_settings.SEARCH
    key = repr((config["BACKEND"], sorted(config.get("OPTIONS", {}).items())))
    with _lock:
        backend = _backends.get(key)
        if backend is None:
            backend_class = import_string(config["BACKEND"])
            backend = _backends[key] = backend_class(**config.get("OPTIONS", {}))
        return backend
