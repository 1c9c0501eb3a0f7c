"""The interface every search backend implements."""

import abc


class SearchBackend(abc.ABC):
    """Index, delete, search (filters, facets, sort, pagination), rebuild and count."""

    def __init__(self, **options):
        self.options = options

    @abc.abstractmethod
    def index(self, documents):
        """Add or replace documents (dicts of analysed fields keyed by ``id``)."""

    @abc.abstractmethod
    def delete(self, ids):
        """Remove documents by id; unknown ids are ignored."""

    @abc.abstractmethod
    def search(self, query, *, filters=None, facets=(), sort="relevance", page=1, per_page=20):
        """Return the matching ids with their facet counts."""

    @abc.abstractmethod
    def rebuild(self, documents):
        """Replace the whole index with ``documents`` without a moment of empty results."""

    @abc.abstractmethod
    def count(self):
        """How many documents the index holds."""
