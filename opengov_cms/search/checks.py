"""System checks of the search settings (registered when the app is ready)."""

from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError, connections
from django.utils.module_loading import import_string

from opengov_cms.conf import opengov_settings
from opengov_cms.search.backends import get_search_backend
from opengov_cms.search.backends.database import NEWEST_INDEXES, DatabaseSearchBackend


@register(Tags.compatibility)
def check_search_options(app_configs=None, **kwargs):
    """A misspelt option (``HOST`` for ``HOSTS``) would silently fall back to its default, and
    a number that is not one would only fail when a search or a rebuild uses it."""
    name = opengov_settings.setting_name("SEARCH")
    config = opengov_settings.SEARCH
    # A malformed setting or a path that does not import is opengov_cms.E002's to report.
    if not isinstance(config, dict) or not isinstance(config.get("BACKEND"), str):
        return []
    options = config.get("OPTIONS", {})
    if not isinstance(options, dict):
        return []
    try:
        backend_class = import_string(config["BACKEND"])
    except ImportError:
        return []
    errors = [
        Error(
            f"{name}['OPTIONS']: {message}",
            hint="See the options in docs/search-engine.md.",
            id="opengov_cms.E803",
        )
        for message in getattr(backend_class, "option_errors", lambda options: [])(options)
    ]
    known = getattr(backend_class, "option_names", None)
    if known is None:
        return errors
    unknown = sorted(set(options) - set(known))
    if not unknown:
        return errors
    return [
        Error(
            f"{name}['OPTIONS'] has options that {config['BACKEND']} does not know: "
            f"{', '.join(map(str, unknown))}.",
            hint=f"Its options are {', '.join(known) or 'none'} (docs/search-engine.md).",
            id="opengov_cms.E801",
        ),
        *errors,
    ]


@register(Tags.compatibility)
def check_search_numbers(app_configs=None, **kwargs):
    errors = []
    for setting, maximum in (("SEARCH_QUERY_MAX_LENGTH", 10_000), ("SEARCH_PER_PAGE", 100)):
        value = getattr(opengov_settings, setting)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
            errors.append(
                Error(
                    f"{opengov_settings.setting_name(setting)} = {value!r} must be a whole "
                    f"number from 1 to {maximum}.",
                    id="opengov_cms.E802",
                )
            )
    return errors


@register(Tags.database)
def check_text_index_ids(app_configs=None, databases=None, **kwargs):
    """On PostgreSQL, the database backend's text indexes hold the row ids too (migration
    0008) unless the btree_gin extension could not be created; searches then give the same
    results, those of common words more slowly on a large index."""
    try:
        backend = get_search_backend()
    except Exception:  # a setting opengov_cms.E002 or E801 reports
        return []
    if not isinstance(backend, DatabaseSearchBackend) or backend.alias not in (databases or ()):
        return []
    connection = connections[backend.alias]
    if connection.vendor != "postgresql":
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM django_migrations WHERE app = %s AND name = %s",
                ["opengov_search", "0008_newest_in_text_index"],
            )
            if cursor.fetchone() is None:
                return []  # migrate makes them
            cursor.execute(
                "SELECT name FROM unnest(%s::text[]) AS name WHERE to_regclass(name) IS NULL",
                [list(NEWEST_INDEXES)],
            )
            missing = [row[0] for row in cursor.fetchall()]
    except DatabaseError:
        return []
    if not missing:
        return []
    return [
        Warning(
            f"The search's text indexes on the database {backend.alias!r} do not hold row ids "
            f"({', '.join(missing)} missing): PostgreSQL's btree_gin extension could not be "
            "created. Searches give the same results; those of common words on a large "
            "index take longer.",
            hint=(
                "As the database's owner or a superuser, run CREATE EXTENSION btree_gin; in "
                "it, then: manage.py migrate opengov_search 0007 && manage.py migrate "
                "opengov_search (docs/scaling.md)."
            ),
            id="opengov_cms.W804",
        )
    ]
