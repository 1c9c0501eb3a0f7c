"""Search on the site's own database: SQLite FTS5 or PostgreSQL tsvector with a GIN index."""

from opengov_cms.search.backends.base import SearchBackend


class DatabaseSearchBackend(SearchBackend):
    """The default backend; it keeps the analysed text in the package's own tables."""
