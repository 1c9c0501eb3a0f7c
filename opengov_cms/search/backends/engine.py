"""Search on Elasticsearch 8/9 or OpenSearch 2: one index per site behind an alias.

Both clients send the same request bodies, built once here as plain dicts from the tokens
that opengov_cms.search.analysis makes; the index only splits them on whitespace, so the
cluster needs no Chinese analysis plugin. Neither client is imported until a backend is
used, and each is an optional extra (opengov-cms[opensearch], opengov-cms[elasticsearch]).
"""

import collections
import contextlib
import datetime
import hashlib
import json
import uuid
from concurrent.futures import ThreadPoolExecutor

from opengov_cms.core import aging
from opengov_cms.search.backends.base import (
    COUNT_CAP,
    MAX_FACET_VALUES,
    RANK_CANDIDATES,
    STORED_FIELDS,
    TIER_EXACT_NUMBER,
    TIER_PHRASE,
    TIER_TITLE,
    TIER_WORDS,
    SearchBackend,
    SearchUnavailable,
    prepare,
    sort_facet_values,
)
from opengov_cms.search.backends.processes import BatchAnalysis
from opengov_cms.search.models import VALIDITY_RANK

ANALYZER = "opengov_tokens"
# Text fields with their boosts: a match in the title or 文号/索引号 counts most.
TEXT_FIELDS = {"title_text": 3.0, "numbers_text": 3.0, "summary_text": 1.5, "body_text": 1.0}
TITLE_FIELDS = ("title_text", "numbers_text")
KEYWORD_FIELDS = (
    "id",
    "organisation",
    "organisation_id",
    "topic",
    "genre",
    "validity",
    "content_type",
    "date",
    "document_number_key",
    "index_number_key",
)
# A ranking tier is worth more than any text relevance of a query of the longest allowed
# length, so tiers decide first and relevance only orders documents within a tier, as in
# the database backend. (Scores are 32-bit floats: this leaves relevance two decimals.)
TIER_SCALE = 10_000.0
# At equal relevance a valid document ranks first and a repealed one last, as on the
# database: a small constant added to the score for each step of validity (above the
# float32 rounding of the largest tiered score, below any difference of tiers). The hits are
# sorted on the score alone: the order a rescore gives.
VALIDITY_STEP = 0.05
# Ranking by relevance scores the newest matches only (RANK_CANDIDATES, or as far as the
# page goes), as the database backend does: a first pass finds the matches and orders them
# by their date, read from the index's column of day numbers (``day``: the proleptic
# Gregorian ordinal, 0 for no date), without scoring their text; the tiers and relevance
# are computed for the first ones only (a rescore). A match by its exact 文号 / 索引号 is
# always among them (the sum stays an exact float32: below 2**24).
EXACT_CANDIDATE = 10_000_000.0
# An index holding documents indexed before it had ``day`` (made by an earlier version, not
# yet rebuilt) is ranked as before, every match scored: a process asks whether it does once
# every STALE_SECONDS (and knows at once after its own rebuild).
STALE_SECONDS = 600
# (hosts, alias) → (when asked, whether the index holds such documents)
_stale_indexes = {}
BULK_CHUNK = 500
#: Batches of a rebuild on their way to the engine at once: one indexed, one waiting.
PIPELINED_BATCHES = 2

DEFAULT_OPTIONS = {
    "HOSTS": ["http://127.0.0.1:9200"],
    "TIMEOUT": 5,
    "REBUILD_TIMEOUT": 120,
    "REBUILD_PROCESSES": 1,
    "INDEX_PREFIX": "opengov",
    "SITE": "main",
    "NUMBER_OF_REPLICAS": 1,
    "REFRESH": False,
    "FALLBACK_TO_DATABASE": False,
    "HTTP_AUTH": None,
    "API_KEY": None,
    "USE_SSL": None,
    "VERIFY_CERTS": True,
    "CA_CERTS": None,
}


def index_body(replicas, *, rebuilding=False):
    """Settings and mappings of a new concrete index."""
    text = {"type": "text", "analyzer": ANALYZER}
    properties = {name: dict(text) for name in (*TEXT_FIELDS, "words")}
    properties.update({name: {"type": "keyword"} for name in KEYWORD_FIELDS})
    properties.update(
        year={"type": "integer"},
        day={"type": "integer"},
        validity_rank={"type": "integer"},
        title={"type": "keyword", "index": False},
        summary={"type": "keyword", "index": False, "doc_values": False},
        document_number={"type": "keyword", "index": False},
        index_number={"type": "keyword", "index": False},
        url={"type": "keyword", "index": False, "doc_values": False},
    )
    return {
        "settings": {
            "number_of_shards": 1,
            "number_of_replicas": 0 if rebuilding else replicas,
            "refresh_interval": "-1" if rebuilding else "1s",
            "analysis": {
                "analyzer": {ANALYZER: {"type": "custom", "tokenizer": "whitespace"}},
            },
        },
        "mappings": {"dynamic": "strict", "properties": properties},
    }


def source(prepared):
    """The indexed form of a prepared document."""
    body = {name: prepared[name] or None for name in STORED_FIELDS}
    body.update(
        id=prepared["id"],
        year=prepared["year"],
        title=prepared["title"],
        title_text=" ".join(prepared["title_tokens"]),
        numbers_text=" ".join(prepared["numbers_tokens"]),
        summary_text=" ".join(prepared["summary_tokens"]),
        body_text=" ".join(prepared["body_tokens"]),
        words=" ".join(prepared["words"]),
        document_number_key=prepared["document_number_key"] or None,
        index_number_key=prepared["index_number_key"] or None,
        validity_rank=prepared["validity_rank"],
        day=day_number(prepared["date"]) or 0,
    )
    return body


def day_number(date):
    """The ``day`` of a document dated ``date`` (YYYY-MM-DD): its proleptic Gregorian
    ordinal, None for no date or one that is not a date."""
    try:
        return datetime.date.fromisoformat(date[:10]).toordinal()
    except (TypeError, ValueError):
        return None


def index_actions(index, documents):
    """The bulk actions that index ``documents`` into ``index``, their sources analysed and
    already in JSON (both clients send a string as it is)."""
    actions = []
    for document in documents:
        prepared = prepare(document)
        actions.append(
            {
                "_op_type": "index",
                "_index": index,
                "_id": prepared["id"],
                "_source": json.dumps(source(prepared), ensure_ascii=False, separators=(",", ":")),
            }
        )
    return actions


def _clause(alternatives, fields):
    """One clause of the query: any of its alternatives, each with all of its parts."""
    options = [
        {"bool": {"must": [_group_clause(tokens, prefix, fields) for tokens, prefix in parts]}}
        for parts in alternatives
    ]
    if len(options) == 1:
        return options[0]
    return {"bool": {"should": options, "minimum_should_match": 1}}


def _group_clause(tokens, prefix, fields):
    if prefix:
        return {
            "bool": {
                "should": [{"prefix": {name.split("^")[0]: tokens[0]}} for name in fields],
                "minimum_should_match": 1,
            }
        }
    return {"multi_match": {"query": " ".join(tokens), "type": "phrase", "fields": list(fields)}}


def _tier(clause, tier):
    return {"constant_score": {"filter": clause, "boost": tier * TIER_SCALE}}


def _matching(query):
    """The query that decides what matches, without the ranking tiers."""
    exact = [
        {"term": {"document_number_key": query.number_key}},
        {"term": {"index_number_key": query.index_key}},
    ]
    if not query.text:
        return {"match_all": {}}, exact, []
    weighted = [f"{name}^{boost:g}" for name, boost in TEXT_FIELDS.items()]
    core = [_clause(clause, weighted) for clause in query.clauses]
    alternatives = [*exact]
    if core:
        alternatives.insert(0, {"bool": {"must": core}})
    return {"bool": {"should": alternatives, "minimum_should_match": 1}}, exact, core


def _title_clause(query, core):
    """The title tier's clause: the whole query in the title or 文号 / 索引号 (None without
    text to look for)."""
    if not core:
        return None
    return {"bool": {"must": [_clause(clause, TITLE_FIELDS) for clause in query.clauses]}}


def top_tiers(exact, title):
    """The documents of the two highest tiers: by their exact 文号 / 索引号 (``exact``), or
    holding the query in the title or 文号 / 索引号 (``title``). Each of them scores at least
    TIER_TITLE × TIER_SCALE, more than any other match can (the phrase and words tiers and
    a relevance below one tier's step), so they come first whatever the rest scores."""
    options = [*exact, title] if title else [*exact]
    return {"bool": {"should": options, "minimum_should_match": 1}}


def search_body(query, *, filters, facets=(), sort, offset, limit, part=None, candidates=True):
    """The body of the hits' request: matching, ranking tiers, filters and sort; no count and
    no facets (see :func:`count_body`), so the engine stops once the page is settled.

    ``part`` "top" keeps the matches of :func:`top_tiers` only, counted up to the end of
    the page (so a short answer says how many there are); "rest" keeps the others. A part
    scores only its newest candidates in full, unless ``candidates`` is false (an index
    with documents that have no ``day``)."""
    filter_clauses = [{"terms": {name: values}} for name, values in filters.items()]
    matching, exact, core = _matching(query)
    title = _title_clause(query, core)
    tiers = []
    if query.text:
        tiers.append(
            _tier({"bool": {"should": exact, "minimum_should_match": 1}}, TIER_EXACT_NUMBER)
        )
        if core:
            tiers.append(_tier(title, TIER_TITLE))
        if core and query.phrase:
            tiers.append(_tier(_group_clause(query.phrase, False, list(TEXT_FIELDS)), TIER_PHRASE))
        if core and query.words:
            words = [{"term": {"words": word}} for word in dict.fromkeys(query.words)]
            tiers.append(_tier({"bool": {"must": words}}, TIER_WORDS))
    body = {
        "query": {"bool": {"must": [matching], "filter": filter_clauses, "should": tiers}},
        "from": offset,
        "size": limit,
        "track_total_hits": False,
        "_source": {"includes": list(STORED_FIELDS)},
    }
    if sort == "date" or not query.text:
        body["sort"] = [{"date": "desc"}, {"validity_rank": "asc"}, {"id": "asc"}]
    else:
        for rank in range(len(VALIDITY_RANK) - 1):
            tiers.append(
                {
                    "constant_score": {
                        "filter": {"term": {"validity_rank": rank}},
                        "boost": (len(VALIDITY_RANK) - 1 - rank) * VALIDITY_STEP,
                    }
                }
            )
        body["sort"] = [{"_score": "desc"}]
    if not part:
        return body
    top = top_tiers(exact, title)
    if part == "top":
        body["track_total_hits"] = offset + limit
    if not candidates:
        if part == "top":
            body["query"]["bool"]["filter"].append(top)
        else:
            body["query"]["bool"]["must_not"] = [top]
    else:
        if part == "top":
            # A document of the top tiers matches the query (their clauses are the query's
            # on fewer fields), so the filter alone finds them.
            found = {"bool": {"filter": [top, *filter_clauses]}}
        else:
            found = {"bool": {"filter": [matching, *filter_clauses], "must_not": [top]}}
        body["query"] = newest_first(found, exact)
        body["rescore"] = {
            "window_size": max(RANK_CANDIDATES, offset + limit),
            "query": {
                "rescore_query": {"bool": {"must": [matching], "should": tiers}},
                "query_weight": 0.0,
                "rescore_query_weight": 1.0,
            },
        }
        # A rescore takes the order by score, the only order it allows.
        del body["sort"]
    return body


def search_preference(query, filters, sort):
    """The copy of the index a search asks, named by what is searched."""
    searched = [
        query.text,
        sorted((name, sorted(values)) for name, values in filters.items()),
        sort,
    ]
    return hashlib.sha1(json.dumps(searched, ensure_ascii=False).encode()).hexdigest()[:32]


def newest_first(candidates, exact):
    """``candidates`` scored by their day alone (their text is not scored), newest first, a
    match by its exact 文号 / 索引号 above every date: the first pass of a ranking that
    scores only the first of them in full."""
    return {
        "function_score": {
            "query": candidates,
            "functions": [
                {
                    "filter": {"bool": {"should": exact, "minimum_should_match": 1}},
                    "weight": EXACT_CANDIDATE,
                },
                {"field_value_factor": {"field": "day", "missing": 0}},
            ],
            "score_mode": "sum",
            "boost_mode": "replace",
        }
    }


def count_body(query, *, filters, facets):
    """The body of the count's request: the first COUNT_CAP + 1 matches, counted and grouped
    per facet, unscored; the engine stops collecting there (``terminate_after``)."""
    matching, _exact, _core = _matching(query)
    filter_clauses = [{"terms": {name: values}} for name, values in filters.items()]
    body = {
        "query": {"bool": {"filter": [matching, *filter_clauses]}},
        "size": 0,
        "track_total_hits": True,
        "terminate_after": COUNT_CAP + 1,
    }
    if facets:
        body["aggs"] = {
            name: {"terms": {"field": name, "size": MAX_FACET_VALUES}} for name in facets
        }
    return body


def parse_response(response, facets):
    """(hits, total, facet counts) from a search response, as the backends return them."""
    hits = []
    for hit in response["hits"]["hits"]:
        stored = {}
        for name in STORED_FIELDS:
            value = hit["_source"].get(name)
            stored[name] = "" if value is None and name != "year" else value
        hits.append((hit["_id"], float(hit.get("_score") or 0.0), stored))
    total = response["hits"].get("total", 0)
    total = total["value"] if isinstance(total, dict) else int(total or 0)
    facet_counts = {}
    for name in facets:
        buckets = response.get("aggregations", {}).get(name, {}).get("buckets", [])
        facet_counts[name] = sort_facet_values(
            [(bucket["key"], bucket["doc_count"]) for bucket in buckets]
        )
    return hits, total, facet_counts


class EngineIndexMissing(Exception):
    """An answer of a multi-search said the index does not exist."""


class EngineBackend(SearchBackend):
    """What both engines share; subclasses hold the client calls. OPTIONS: see
    docs/search-engine.md."""

    option_names = tuple(DEFAULT_OPTIONS)

    @classmethod
    def option_errors(cls, options):
        """What is wrong with the values of the numeric options in ``options``, one sentence
        each (system check opengov_cms.E803)."""
        errors = []
        for name in ("TIMEOUT", "REBUILD_TIMEOUT"):
            value = options.get(name, DEFAULT_OPTIONS[name])
            if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
                errors.append(f"{name} = {value!r} must be a number of seconds above 0.")
        for name, maximum in (("NUMBER_OF_REPLICAS", 100), ("REBUILD_PROCESSES", 64)):
            value = options.get(name, DEFAULT_OPTIONS[name])
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
                errors.append(f"{name} = {value!r} must be a whole number from 0 to {maximum}.")
        return errors

    def __init__(self, **options):
        super().__init__(**{**DEFAULT_OPTIONS, **options})
        self._client = None
        self._index_ready = False

    # Names --------------------------------------------------------------------------------

    @property
    def alias(self):
        return f"{self.options['INDEX_PREFIX']}-{self.options['SITE']}"

    def new_index_name(self):
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dt%H%M%S")
        return f"{self.alias}-{stamp}-{uuid.uuid4().hex[:6]}"

    # Client calls, per engine -------------------------------------------------------------

    @property
    def client(self):
        if self._client is None:
            self._client = self.make_client(timeout=float(self.options["TIMEOUT"]))
        return self._client

    def make_client(self, timeout):
        raise NotImplementedError

    def unavailable(self, error):
        """Whether ``error`` means the engine cannot answer now (rather than a bug)."""
        raise NotImplementedError

    def missing(self, error):
        """Whether ``error`` says the index does not exist (nothing indexed yet)."""
        return isinstance(error, EngineIndexMissing)

    def _call(self, function, *args, **kwargs):
        try:
            response = function(*args, **kwargs)
        except Exception as error:
            if self.unavailable(error):
                raise SearchUnavailable(f"{self.name}: {error}") from error
            raise
        # The Elasticsearch client wraps its answers; both engines' code reads plain dicts.
        return getattr(response, "body", response)

    # Index management ---------------------------------------------------------------------

    def _alias_indices(self, client):
        if not self._call(client.indices.exists_alias, name=self.alias):
            return []
        return list(self._call(client.indices.get_alias, name=self.alias))

    def ensure_index(self):
        """Create the site's first index and alias, once."""
        if self._index_ready:
            return
        body = index_body(self.options["NUMBER_OF_REPLICAS"])
        if not self._alias_indices(self.client):
            name = self.new_index_name()
            self._create_index(self.client, name, body)
            self._call(
                self.client.indices.update_aliases,
                **self._aliases_body([{"add": {"index": name, "alias": self.alias}}]),
            )
            _stale_indexes.pop(self._stale_key(), None)
        else:
            # An index made by an earlier version lacks the fields added since, and its
            # mapping is strict: they are added (only they: a field's settings cannot be
            # changed in place), empty in the documents indexed before (``stale_count``
            # counts them; a rebuild fills them).
            mappings = self._call(self.client.indices.get_mapping, index=self.alias)
            known = set()
            for mapping in mappings.values():
                known |= set(mapping.get("mappings", {}).get("properties", {}))
            properties = body["mappings"]["properties"]
            missing = {name: field for name, field in properties.items() if name not in known}
            if missing:
                self._put_mapping(self.client, self.alias, {"properties": missing})
                _stale_indexes.pop(self._stale_key(), None)
        self._index_ready = True

    def _stale_key(self):
        return (tuple(self.options["HOSTS"]), self.alias)

    def stale_count(self):
        """Documents indexed before the index had every field this version fills: those
        without a ``day`` (every document indexed since has one, 0 for no date)."""
        stale = {"bool": {"must_not": [{"exists": {"field": "day"}}]}}
        try:
            return int(
                self._call(self.client.count, index=self.alias, **self._query_body(stale))["count"]
            )
        except Exception as error:
            if self.missing(error):
                return 0
            raise

    def index(self, documents):
        documents = list(documents)
        self._fallback_write("index", documents)
        if not documents:
            return 0
        actions = index_actions(self.alias, documents)
        self.ensure_index()
        self._bulk(self.client, actions, self.options["REFRESH"])
        return len(actions)

    def delete(self, ids):
        ids = [str(i) for i in ids]
        self._fallback_write("delete", ids)
        if not ids or not self._alias_indices(self.client):
            return 0
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": i} for i in ids)
        return self._bulk(self.client, actions, self.options["REFRESH"], missing_ok=True)

    def rebuild(self, documents, progress=None):
        """Fill a new index, then move the alias to it in one request and drop the old.

        While the engine indexes one batch, the next ones are analysed and the ones after
        them read: ``REBUILD_PROCESSES`` forked processes analyse the batches
        (:mod:`opengov_cms.search.backends.processes`), one thread sends them, one at a time
        and in order, and the rebuild reads on until a few batches wait to be sent.
        """
        client = self.make_client(timeout=float(self.options["REBUILD_TIMEOUT"]))
        name = self.new_index_name()
        replicas = self.options["NUMBER_OF_REPLICAS"]
        # The analysis processes end with the rebuild, whichever way it ends.
        with BatchAnalysis(int(self.options["REBUILD_PROCESSES"])) as analysing:
            self._create_index(client, name, index_body(replicas, rebuilding=True))
            # Batches being analysed or sent, beyond which the rebuild waits before reading on.
            pipelined = PIPELINED_BATCHES + analysing.processes
            done = 0
            sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="opengov-search-rebuild")
            sent = collections.deque()

            def finish(keep):
                # Waits for the batches sent before the last ``keep``; an error of the engine is
                # raised here, in the rebuild's own thread.
                nonlocal done
                while len(sent) > keep:
                    future, batch = sent.popleft()
                    future.result()
                    # The database copy is brought up to date as the batches go; it only answers
                    # while the engine is down.
                    self._fallback_write("index", batch)
                    done += len(batch)
                    if progress:
                        progress(done)

            def send(analysed):
                return self._bulk(client, analysed.result(), False)

            def flush(batch):
                analysed = analysing.submit(index_actions, name, batch)
                finish(keep=pipelined - 1)
                sent.append((sender.submit(send, analysed), batch))

            try:
                batch = []
                for document in documents:
                    batch.append(document)
                    if len(batch) >= BULK_CHUNK:
                        flush(batch)
                        batch = []
                if batch:
                    flush(batch)
                finish(keep=0)
                self._call(
                    client.indices.put_settings,
                    index=name,
                    **self._settings_body(
                        {"index": {"refresh_interval": "1s", "number_of_replicas": replicas}}
                    ),
                )
                self._call(client.indices.refresh, index=name)
                health = self._wait_for_green(client, name)
                if health.get("timed_out") or health.get("status") != "green":
                    raise SearchUnavailable(
                        f"{self.name}: the new index {name} did not become green "
                        f"(status {health.get('status')}); the alias still points at the old one"
                    )
                old = self._alias_indices(client)
                actions = [{"remove": {"index": index, "alias": self.alias}} for index in old]
                actions.append({"add": {"index": name, "alias": self.alias}})
                self._call(client.indices.update_aliases, **self._aliases_body(actions))
            except BaseException:
                sender.shutdown(wait=True, cancel_futures=True)
                # If the engine is gone, the error that matters is the one being raised.
                with contextlib.suppress(Exception):
                    self._call(client.indices.delete, index=name, ignore_unavailable=True)
                raise
            sender.shutdown()
        for index in old:
            self._call(client.indices.delete, index=index, ignore_unavailable=True)
        self._index_ready = True
        _stale_indexes[self._stale_key()] = (aging.now(), False)
        return done

    def _ranks_candidates(self):
        """Whether relevance may be ranked among the newest candidates: not while the index
        holds documents without a ``day`` (asked once every STALE_SECONDS)."""
        key = self._stale_key()
        known = _stale_indexes.get(key)
        if known is None or aging.now() - known[0] >= STALE_SECONDS:
            known = _stale_indexes[key] = (aging.now(), self.stale_count() > 0)
        return not known[1]

    def drop(self):
        """Delete the site's alias and every index behind it (used by tests and uninstall)."""
        for index in self._alias_indices(self.client):
            self._call(self.client.indices.delete, index=index, ignore_unavailable=True)
        self._index_ready = False
        _stale_indexes.pop(self._stale_key(), None)

    def count(self):
        try:
            return int(self._call(self.client.count, index=self.alias)["count"])
        except Exception as error:
            if self.missing(error):
                return 0
            raise

    def refresh(self):
        if self._alias_indices(self.client):
            self._call(self.client.indices.refresh, index=self.alias)

    # Searching ----------------------------------------------------------------------------

    def _fallback(self):
        from opengov_cms.search.backends.database import DatabaseSearchBackend

        return DatabaseSearchBackend()

    def _fallback_write(self, operation, payload):
        # With the fallback on, the database index is kept too, so it has something to answer
        # with the day the engine is down.
        if self.options["FALLBACK_TO_DATABASE"] and payload:
            backend = self._fallback()
            if operation == "index":
                backend.index(payload)
            else:
                backend.delete(payload)

    def search(self, query, **kwargs):
        try:
            return super().search(query, **kwargs)
        except SearchUnavailable:
            if not self.options["FALLBACK_TO_DATABASE"]:
                raise
            return self._fallback().search(query, **kwargs)

    def _search(self, query, *, filters, facets, sort, offset, limit):
        # By relevance, the page is looked for among the top tiers' matches first: a common
        # word's page is then settled by the few documents holding it in their title, where
        # scoring every match to rank them would read each one's text (the engine skips
        # little of it: the tiers' scores are constants over whole blocks of documents). The
        # other matches are asked for, in a second request, only when the top tiers do not
        # fill the page; the two answers together are the one request's order.
        split = sort != "date" and bool(query.text) and limit > 0
        candidates = split and self._ranks_candidates()
        bodies = [
            search_body(
                query,
                filters=filters,
                sort=sort,
                offset=offset,
                limit=limit,
                part="top" if split else None,
                candidates=candidates,
            ),
            count_body(query, filters=filters, facets=facets),
        ]
        # Both round trips are asked of the same copy of the index (a replica refreshes on
        # its own), so the second sees the documents the first counted; and every page of a
        # search too, so that its candidates are the same from page to page (documents of
        # one day are in the order each copy holds them).
        preference = search_preference(query, filters, sort)
        try:
            # One round trip for both: the hits, and the capped count with the facets.
            responses = self._answers(bodies, preference)
            hits, top_total, _facets = parse_response(responses[0], ())
            _hits, total, facet_counts = parse_response(responses[1], facets)
            if split and len(hits) < limit and total > top_total:
                rest = search_body(
                    query,
                    filters=filters,
                    sort=sort,
                    offset=max(0, offset - top_total),
                    limit=limit - len(hits),
                    part="rest",
                    candidates=candidates,
                )
                try:
                    more, _total, _facets = parse_response(self._answers([rest], preference)[0], ())
                except Exception as error:
                    if not self.missing(error):
                        raise
                    # The index went away between the two (dropped by hand): the page keeps
                    # what the first answer found rather than coming back empty.
                    more = []
                # A document edited into the top tiers between the two is listed once.
                shown = {doc_id for doc_id, _score, _stored in hits}
                hits += [hit for hit in more if hit[0] not in shown]
        except Exception as error:
            if self.missing(error):
                return [], 0, {name: [] for name in facets}, False
            raise
        return hits, min(total, COUNT_CAP), facet_counts, total > COUNT_CAP

    def _answers(self, bodies, preference):
        responses = self._run_searches(bodies, preference=preference)["responses"]
        return [self._answer(answer) for answer in responses]

    def _answer(self, answer):
        """One answer of a multi-search: an error in it raised as the client would raise it."""
        error = answer.get("error")
        if not error:
            return answer
        status = answer.get("status") or 500
        kind = error.get("type", "") if isinstance(error, dict) else str(error)
        if status == 404 or kind == "index_not_found_exception":
            raise EngineIndexMissing(kind)
        if status >= 500 or status == 429:
            raise SearchUnavailable(f"{self.name}: {kind}")
        raise RuntimeError(f"{self.name}: the search was refused ({status}): {error}")


class OpenSearchBackend(EngineBackend):
    """OpenSearch 2, through opensearch-py (pip install 'opengov-cms[opensearch]')."""

    name = "opensearch"

    def make_client(self, timeout):
        from opensearchpy import OpenSearch

        options = self.options
        kwargs = {"hosts": list(options["HOSTS"]), "timeout": timeout}
        kwargs.update(max_retries=0, retry_on_timeout=False)
        if options["HTTP_AUTH"]:
            kwargs["http_auth"] = tuple(options["HTTP_AUTH"])
        if options["USE_SSL"] is not None:
            kwargs["use_ssl"] = bool(options["USE_SSL"])
        kwargs["verify_certs"] = bool(options["VERIFY_CERTS"])
        if options["CA_CERTS"]:
            kwargs["ca_certs"] = options["CA_CERTS"]
        if options["API_KEY"]:
            kwargs["headers"] = {"Authorization": f"ApiKey {options['API_KEY']}"}
        return OpenSearch(**kwargs)

    def unavailable(self, error):
        from opensearchpy import exceptions

        if isinstance(error, exceptions.ConnectionError):
            return True
        if isinstance(error, exceptions.TransportError):
            status = error.status_code
            return not isinstance(status, int) or status >= 500 or status == 429
        return False

    def missing(self, error):
        from opensearchpy import exceptions

        return super().missing(error) or isinstance(error, exceptions.NotFoundError)

    @staticmethod
    def _aliases_body(actions):
        return {"body": {"actions": actions}}

    @staticmethod
    def _settings_body(settings):
        return {"body": settings}

    def _create_index(self, client, name, body):
        self._call(client.indices.create, index=name, body=body)

    def _put_mapping(self, client, name, mappings):
        self._call(client.indices.put_mapping, index=name, body=mappings)

    @staticmethod
    def _query_body(query):
        return {"body": {"query": query}}

    def _wait_for_green(self, client, name):
        # opensearch-py reads a "timeout" argument as its own request timeout unless that is
        # given separately as request_timeout.
        seconds = int(self.options["REBUILD_TIMEOUT"])
        return self._call(
            client.cluster.health,
            index=name,
            params={"wait_for_status": "green", "timeout": f"{seconds}s"},
            request_timeout=seconds + 10,
        )

    def _bulk(self, client, actions, refresh, missing_ok=False):
        from opensearchpy import helpers

        return _run_bulk(self, helpers.bulk, client, actions, refresh, missing_ok)

    def _run_searches(self, bodies, preference=None):
        header = {"index": self.alias}
        if preference:
            header["preference"] = preference
        lines = []
        for body in bodies:
            lines += [header, body]
        return self._call(self.client.msearch, body=lines)


class ElasticsearchBackend(EngineBackend):
    """Elasticsearch 8 or 9, through the elasticsearch client and its DSL
    (pip install 'opengov-cms[elasticsearch]')."""

    name = "elasticsearch"

    def make_client(self, timeout):
        from elasticsearch import Elasticsearch

        options = self.options
        kwargs = {"hosts": list(options["HOSTS"]), "request_timeout": timeout}
        kwargs.update(max_retries=0, retry_on_timeout=False)
        if options["HTTP_AUTH"]:
            kwargs["basic_auth"] = tuple(options["HTTP_AUTH"])
        if options["API_KEY"]:
            kwargs["api_key"] = options["API_KEY"]
        kwargs["verify_certs"] = bool(options["VERIFY_CERTS"])
        if options["CA_CERTS"]:
            kwargs["ca_certs"] = options["CA_CERTS"]
        return Elasticsearch(**kwargs)

    def unavailable(self, error):
        import elastic_transport
        from elasticsearch import ApiError

        if isinstance(error, elastic_transport.TransportError):
            return True  # connection refused, timeout, TLS failure
        if isinstance(error, ApiError):
            return error.meta.status >= 500 or error.meta.status == 429
        return False

    def missing(self, error):
        from elasticsearch import NotFoundError

        return super().missing(error) or isinstance(error, NotFoundError)

    @staticmethod
    def _aliases_body(actions):
        return {"actions": actions}

    @staticmethod
    def _settings_body(settings):
        return {"settings": settings}

    def _create_index(self, client, name, body):
        self._call(client.indices.create, index=name, **body)

    def _put_mapping(self, client, name, mappings):
        self._call(client.indices.put_mapping, index=name, **mappings)

    @staticmethod
    def _query_body(query):
        return {"query": query}

    def _wait_for_green(self, client, name):
        wait = f"{int(self.options['REBUILD_TIMEOUT'])}s"
        return self._call(client.cluster.health, index=name, wait_for_status="green", timeout=wait)

    def _bulk(self, client, actions, refresh, missing_ok=False):
        from elasticsearch import helpers

        return _run_bulk(self, helpers.bulk, client, actions, refresh, missing_ok)

    def _run_searches(self, bodies, preference=None):
        try:
            from elasticsearch.dsl import MultiSearch, Search
        except ImportError:  # elasticsearch < 8.18 keeps its DSL in a package of its own
            try:
                from elasticsearch_dsl import MultiSearch, Search
            except ImportError:
                MultiSearch = None
        if MultiSearch is None:
            # Without the DSL, the client sends the very same bodies itself.
            header = {"preference": preference} if preference else {}
            lines = []
            for body in bodies:
                lines += [header, body]
            return self._call(self.client.msearch, index=self.alias, searches=lines)
        from elasticsearch import ApiError

        search = MultiSearch(using=self.client, index=self.alias)
        for body in bodies:
            one = Search().update_from_dict(body)
            search = search.add(one.params(preference=preference) if preference else one)
        try:
            answers = self._call(search.execute)
        except ApiError as error:
            # The DSL raises for an answer with an error in it: read it as the other
            # client's answers are read (a missing index, an engine that cannot answer).
            if isinstance(error.body, dict) and error.body.get("error"):
                self._answer(error.body)
            raise
        return {"responses": [answer.to_dict() for answer in answers]}


def _run_bulk(backend, bulk, client, actions, refresh, missing_ok):
    done, errors = backend._call(
        bulk,
        client,
        actions,
        chunk_size=BULK_CHUNK,
        raise_on_error=False,
        refresh=refresh or False,
    )
    if missing_ok:
        errors = [e for e in errors if next(iter(e.values())).get("status") != 404]
    if errors:
        raise RuntimeError(f"{backend.name}: {len(errors)} documents failed, first: {errors[0]}")
    return done
