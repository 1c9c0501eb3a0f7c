"""The interface every search backend implements, and what they share: documents, results."""

import abc
import math
import re
from dataclasses import dataclass, field

from opengov_cms.search import analysis
from opengov_cms.search.models import VALIDITY_RANK

#: Facets a search can ask for, in the order the search page shows them.
FACET_FIELDS = ("organisation", "topic", "genre", "year", "validity", "content_type")
#: Fields a search can be filtered on (each: one value or a list, any of which may match).
FILTER_FIELDS = (*FACET_FIELDS, "organisation_id")
#: "relevance" (best first, newest first when there is no query) or "date" (newest first).
SORTS = ("relevance", "date")
#: Returned with each hit: the document as indexed, less its body.
STORED_FIELDS = (
    "title",
    "summary",
    "document_number",
    "index_number",
    "organisation",
    "organisation_id",
    "topic",
    "genre",
    "year",
    "validity",
    "content_type",
    "url",
    "date",
)
MAX_PER_PAGE = 100
MAX_OFFSET = 1_000_000_000
#: A search counts its matches, and its facets, up to this many: beyond, the total reads
#: "1,000+" and the facets are those of the first 1,000 matches, marked as approximate.
#: Results are listed as far as this too (50 pages of 20). So a search costs what a page
#: shows, not what matches: on PostgreSQL each match counted is one body vector read and
#: tested (about 7 µs), so 10,000 would cost 70 ms on every common word.
COUNT_CAP = 1_000
#: The matches a database search ranks, at least: the newest this many matching anywhere and
#: the newest this many matching in the title or 文号 (more for a page further down). With
#: fewer matches than this, every match is ranked.
RANK_CANDIDATES = 200
#: Facet values returned per facet, most frequent first.
MAX_FACET_VALUES = 50
#: A body is indexed up to this many characters; the rest of a very long text adds little.
MAX_BODY_LENGTH = 100_000
#: Ranking tiers, shared by every backend so they order results the same way: a match of
#: the whole query in the title or document number, or an exact 文号 / 索引号, comes first;
#: then the whole query as one phrase; then jieba words that all match whole words.
TIER_TITLE = 8
TIER_EXACT_NUMBER = 8
TIER_PHRASE = 4
TIER_WORDS = 2


class SearchUnavailable(Exception):
    """The search service cannot answer now (an engine down, slow or refusing)."""


class SearchError(ValueError):
    """A search asked for something the backend does not know (a facet, filter or sort)."""


@dataclass
class Hit:
    id: str
    score: float
    document: dict
    highlights: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["document"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name):
        # Templates try a key before an attribute: answering it spares them an exception for
        # each field of each hit they show.
        values = self.__dict__
        return values[name] if name in values else values["document"][name]


@dataclass
class SearchResults:
    query: analysis.Query
    hits: list
    total: int
    page: int
    per_page: int
    facets: dict = field(default_factory=dict)
    backend: str = ""
    #: More than COUNT_CAP matched: ``total`` is COUNT_CAP, a lower bound, and the facets
    #: were counted over the first COUNT_CAP matches only.
    capped: bool = False

    @property
    def ids(self):
        return [hit.id for hit in self.hits]

    @property
    def num_pages(self):
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self):
        return self.page * self.per_page < self.total

    @property
    def has_previous(self):
        return self.page > 1


# PostgreSQL refuses NUL in text, and a lone surrogate cannot be encoded for any database.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _text(value):
    text = "" if value is None else str(value)
    if _UNSTORABLE.search(text):
        text = _UNSTORABLE.sub("", text)
    return text


def prepare(document):
    """The analysed form of a search document: its stored fields plus the token strings.

    Missing fields are empty; a year that is not a number and a validity that is not one of
    the four are left out rather than indexed wrong.
    """
    if not document.get("id"):
        raise ValueError("a search document needs an 'id'")
    prepared = {name: _text(document.get(name)) for name in STORED_FIELDS}
    prepared["id"] = str(document["id"])
    try:
        prepared["year"] = int(document.get("year")) if document.get("year") else None
    except (TypeError, ValueError):
        prepared["year"] = None
    if prepared["validity"] not in VALIDITY_RANK:
        prepared["validity"] = ""
    prepared["organisation_id"] = _text(document.get("organisation_id"))
    body = _text(document.get("body"))[:MAX_BODY_LENGTH]
    numbers = f"{prepared['document_number']} {prepared['index_number']}"
    prepared.update(
        title_tokens=analysis.tokens(prepared["title"]),
        numbers_tokens=analysis.tokens(numbers),
        summary_tokens=analysis.tokens(prepared["summary"]),
        body_tokens=analysis.tokens(body),
        words=analysis.segment(f"{prepared['title']} {prepared['summary']}"),
        document_number_key=analysis.document_number_key(prepared["document_number"]),
        index_number_key=analysis.index_number_key(prepared["index_number"]),
        validity_rank=VALIDITY_RANK.get(prepared["validity"], len(VALIDITY_RANK)),
    )
    return prepared


def clean_filters(filters):
    """Filters as {field: [values]}; unknown fields are an error, years must be numbers."""
    cleaned = {}
    for name, value in (filters or {}).items():
        if name not in FILTER_FIELDS:
            raise SearchError(f"cannot filter on {name!r}; use one of {', '.join(FILTER_FIELDS)}")
        values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        values = [v for v in values if v is not None and v != ""]
        if not values:
            continue
        if name == "year":
            years = []
            for v in values:
                try:
                    year = int(v)
                except (TypeError, ValueError):
                    continue
                if 1 <= year <= 9999:  # beyond, the database's integer would overflow
                    years.append(year)
            values = years
        else:
            values = [_text(v) for v in values]
        # An unusable filter (a year that is not a number) must match nothing, not everything.
        cleaned[name] = sorted(set(values))
    return cleaned


def clean_facets(facets):
    facets = list(facets or ())
    for name in facets:
        if name not in FACET_FIELDS:
            raise SearchError(f"no facet {name!r}; use one of {', '.join(FACET_FIELDS)}")
    return facets


def sort_facet_values(counts):
    """Most frequent first, then by value: the order every backend returns."""
    return sorted(counts, key=lambda item: (-item[1], str(item[0])))


class SearchBackend(abc.ABC):
    """Index, delete, search (filters, facets, sort, pagination), rebuild and count.

    Subclasses implement the ``_search`` primitive; ``search`` analyses the query, checks the
    arguments and adds the highlights, the same way for every backend.
    """

    name = ""

    def __init__(self, **options):
        self.options = options

    @abc.abstractmethod
    def index(self, documents):
        """Add or replace documents (search-document dicts keyed by ``id``)."""

    @abc.abstractmethod
    def delete(self, ids):
        """Remove documents by id; unknown ids are ignored."""

    @abc.abstractmethod
    def rebuild(self, documents, progress=None):
        """Replace the whole index with ``documents`` (an iterable) without a moment of empty
        results; ``progress`` is called with the number of documents done so far."""

    @abc.abstractmethod
    def count(self):
        """How many documents the index holds."""

    def stale_count(self):
        """How many documents were indexed before the index had every field this version
        fills (a rebuild fills them); none where the index has no such fields."""
        return 0

    @abc.abstractmethod
    def _search(self, query, *, filters, facets, sort, offset, limit):
        """Return (hits as [(id, score, stored fields)], total, {facet: [(value, count)]},
        capped): total and facets counted over COUNT_CAP matches at most, ``capped`` when
        there were more; no hits past COUNT_CAP."""

    def search(self, query, *, filters=None, facets=(), sort="relevance", page=1, per_page=20):
        """Search with any text at all as ``query``; returns :class:`SearchResults`."""
        if sort not in SORTS:
            raise SearchError(f"no sort {sort!r}; use one of {', '.join(SORTS)}")
        analysed = query if isinstance(query, analysis.Query) else analysis.analyse_query(query)
        per_page = min(max(1, int(per_page)), MAX_PER_PAGE)
        # Far past any real result list, and before the databases' integers overflow.
        page = min(max(1, int(page)), MAX_OFFSET // per_page + 1)
        filters = clean_filters(filters)
        facets = clean_facets(facets)
        offset = (page - 1) * per_page
        # Results are listed as far as they are counted, no further.
        limit = max(0, min(per_page, COUNT_CAP - offset))
        rows, total, facet_counts, capped = self._search(
            analysed,
            filters=filters,
            facets=facets,
            sort=sort,
            offset=offset if limit else 0,
            limit=limit,
        )
        hits = [
            Hit(
                id=doc_id,
                score=score,
                document=stored,
                highlights={
                    "title": analysis.highlight(stored.get("title", ""), analysed),
                    "summary": analysis.highlight(stored.get("summary", ""), analysed, limit=200),
                },
            )
            for doc_id, score, stored in rows
        ]
        return SearchResults(
            analysed, hits, total, page, per_page, facet_counts, self.name, capped=capped
        )
