"""Search backends, configured by OPENGOV_CMS_SEARCH = {"BACKEND": ..., "OPTIONS": ...}."""

import threading

from django.utils.module_loading import import_string

from opengov_cms.conf import opengov_settings
from opengov_cms.core.visibility import REPEALED, hides_repealed, leaving_page_ids
from opengov_cms.search.indexing import source_key

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


def search_public(query, **kwargs):
    """Search the configured backend for the public: what the index returns, less what may
    not leave the site now by the one rule (opengov_cms.core.visibility), whatever the index
    says. A page restricted, unpublished or expired a moment ago (or a message taken off the
    site) is not shown while the index catches up; one query for the page hits of a result
    page, and one for the hits of each registered document source (search.indexing). Every
    public exit of search (the page, its feed, the request form's suggestions) goes through
    here."""
    results = get_search_backend().search(query, **kwargs)
    page_ids, source_keys = {}, {}
    for hit in results.hits:
        kind, _sep, key = hit.id.partition(":")
        if kind == "page" and key.isdigit():
            page_ids[hit.id] = int(key)
            continue
        source, key = source_key(hit.id)
        if source is not None:
            source_keys.setdefault(source, {})[hit.id] = key
    allowed = set()
    if page_ids:
        leaving_pages = leaving_page_ids(page_ids.values())
        allowed = {hit_id for hit_id, pk in page_ids.items() if pk in leaving_pages}
    # Rows that are not pages (published messages): one query per kind of them among the hits.
    for source, keys in source_keys.items():
        leaving_keys = source.leaving(sorted(set(keys.values())))
        allowed.update(hit_id for hit_id, key in keys.items() if key in leaving_keys)
    checked = page_ids.keys() | {hit_id for keys in source_keys.values() for hit_id in keys}
    hide_repealed = hides_repealed()
    kept = [
        hit
        for hit in results.hits
        if (hit.id not in checked or hit.id in allowed)
        and not (hide_repealed and hit.document.get("validity") == REPEALED)
    ]
    if len(kept) != len(results.hits):
        results.total = max(0, results.total - (len(results.hits) - len(kept)))
        results.hits = kept
    return results
