"""Search on the site's own database: SQLite FTS5 or PostgreSQL tsvector with a GIN index."""

import itertools
import math
import sqlite3

from django.db import IntegrityError, connections, router, transaction

from opengov_cms.core import aging
from opengov_cms.search.backends.base import (
    COUNT_CAP,
    FACET_FIELDS,
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
from opengov_cms.search.models import SearchDocument

TABLE = SearchDocument._meta.db_table
FTS_TABLE = "opengov_search_fts"
# SQLite learnt the MATERIALIZED hint of a WITH clause in 3.35.
_OLD_SQLITE = sqlite3.sqlite_version_info < (3, 35)
# FTS5 columns, in the order of the virtual table; bm25 weights in the same order. A match
# in the title or the 文号/索引号 counts ten times one in the body.
FTS_COLUMNS = ("title", "numbers", "summary", "body", "words")
FTS_WEIGHTS = (10.0, 10.0, 3.0, 1.0, 0.0)
TEXT_COLUMNS = "{title numbers summary body}"
# PostgreSQL keeps every field in one tsvector, told apart by weight: A title, B numbers,
# C summary, D body. A second, small one holds the title and numbers again with jieba's words
# (lexemes starting with "~"): the ranking tiers test it without unpacking the body's.
PG_WEIGHTS = "ARRAY[0.1, 0.3, 1.0, 1.0]::float4[]"
PG_MAX_POSITION = 16383
PG_FIELD_WEIGHTS = (("title", "A"), ("numbers", "B"), ("summary", "C"), ("body", "D"))
# Positions left between two fields so a phrase never runs from one into the next.
FIELD_GAP = 10
BATCH_SIZE = 500
#: The columns of a document's row, in the order the writes send them.
ROW_COLUMNS = (
    "document_id",
    *STORED_FIELDS,
    "document_number_key",
    "index_number_key",
    "validity_rank",
)
PG_COLUMNS = (*ROW_COLUMNS, "title_vector", "search_vector")

_SELECT_FIELDS = ", ".join(f"d.{name}" for name in ("document_id", *STORED_FIELDS))

# PostgreSQL: the text indexes that hold each row's id as well (migration 0008, with the
# btree_gin extension), so they answer "matches among the newest rows" by themselves.
NEWEST_INDEXES = ("opengov_search_vector_id_gin", "opengov_search_title_vector_id_gin")
# With them, the newest candidates of a query with more than COUNT_CAP matches are looked
# for among the newest row ids in ranges sized by how common the query's tokens are
# (``_token_shares``): the first should hold, by the statistics, twice the candidates
# wanted (411 ids for 200 candidates of 公开, in 97 % of rows; about 8,000 for a word too
# rare to be listed among the most common on the 100k benchmark site), each next one
# RANGE_GROWTH times as many ids (up to MAX_RANGES, none past a quarter of the rows), then
# the rest; a range is read only when the ones before it held fewer than the candidates
# wanted. Each text index's ranges are sized by its own column's statistics (a phrase of
# common words can be rare in the titles). The index reads a range at about ID_READ_US an
# id, and a match outside it costs a visit to its row (about ROW_VISIT_US): where the first
# range would cost more than visiting every match the statistics expect (a word in less
# than about 0.4 % of a million rows), every match is read instead.
RANGE_GROWTH = 5
MAX_RANGES = 3
ID_READ_US = 0.12
ROW_VISIT_US = 3.5
# database alias and name → whether its text indexes hold the ids (looked up once a process)
_ids_in_text_index = {}

# PostgreSQL: how common each token is, from the statistics ANALYZE keeps of the text's and
# the titles' vectors (pg_stats' most common elements), read once a process and again after
# SHARES_SECONDS (at its next search by a process that has just rebuilt the index). They
# choose between two ways of asking for the matches of a phrase, which find the same rows
# (``_pg_plan``), and size the ranges of ids the candidates are looked for in; they never
# change what is found.
SHARES_SECONDS = 600
# A phrase whose tokens are all in at least this share of rows is common: PostgreSQL reads
# the table for its first matches rather than the text index (政府信息公开 in 76 % of the
# benchmark's rows, 资金 in 97 %), and the text's vector is best tested once a row.
COMMON_SHARE = 0.1
# database alias and name → (when read, {column: ({token: share of rows}, share of the
# rarest listed)}, the table's rows as PostgreSQL estimates them)
_token_shares = {}


def counted(alias, columns, counters):
    """SQLite: (condition, parameters) that each of ``counters`` (one character each) starts a
    token in one of the FTS5 ``columns`` of the row ``alias``, as the prefix query
    ``"号" *`` asks. The columns hold the tokens joined by single spaces, so a token starts
    the column or follows a space; the short columns are read first, and a long one's text
    only when they hold none."""
    if not counters:
        return _NOTHING_COUNTED
    tests, params = [], []
    for character in counters:
        tests.append(
            "("
            + " OR ".join(
                f"substr({alias}.{column}, 1, 1) = %s OR instr({alias}.{column}, %s) > 0"
                for column in columns
            )
            + ")"
        )
        params += [character, " " + character] * len(columns)
    return " AND ".join(tests), params


_NOTHING_COUNTED = ("1 = 1", [])
# The FTS5 columns a counter is looked for in, the short ones first: the whole text's (as
# TEXT_COLUMNS) and the title's (as the title's MATCH).
COUNTED_TEXT = ("numbers", "title", "summary", "body")
COUNTED_TITLE = ("numbers", "title")


# The orders of a page of hits: by relevance (tier, then text relevance), and newest first.
_BY_RELEVANCE = "tier DESC, score DESC, d.validity_rank, d.date DESC, d.document_id"
_BY_DATE = "d.date DESC, d.validity_rank, d.document_id"


def fts_phrase(tokens, prefix=False):
    # Tokens are letters and digits only (see analysis), so quoting them is enough.
    phrase = '"' + " ".join(tokens) + '"'
    return phrase + " *" if prefix else phrase


def pg_lexeme(token):
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def share_bound(clauses, shares, rarest):
    """At most what share of rows holds every token of ``clauses`` (in any order): for each
    clause, the shares of its alternatives' rarest tokens added up; the least of those. A
    token not in ``shares`` is no commoner than ``rarest``; a prefix may be anything."""
    bound = 1.0
    for clause in clauses:
        alternatives = 0.0
        for parts in clause:
            alternatives += min(
                1.0 if prefix else shares.get(token, rarest)
                for tokens, prefix in parts
                for token in tokens
            )
        bound = min(bound, alternatives)
    return bound


def pg_phrase(tokens, weights="", prefix=False):
    suffix = (":*" if prefix else ":") + weights if (prefix or weights) else ""
    return "(" + " <-> ".join(pg_lexeme(t) + suffix for t in tokens) + ")"


def tsvector(fields, words=()):
    """A tsvector literal of ``fields`` ([(tokens, weight letter)], in order), each field's
    positions apart from the next, then jieba's ``words`` as lexemes starting with "~".

    Each occurrence is written as it comes; PostgreSQL's tsvector input merges the positions
    of a repeated lexeme, keeps its first 256 and caps a position at 16383, so the literal is
    made in one pass with no grouping in Python.
    """
    parts = []
    position = 1
    for tokens, weight in fields:
        if tokens:
            parts.append(_occurrences(tokens, position, weight))
        position += len(tokens) + FIELD_GAP
    if words:
        parts.append(_occurrences(["~" + word for word in words], position, "D"))
    return " ".join(parts)


# Per weight, what follows the token at each position: "':<position><weight> '".
_suffixes = {}


def pg_upsert(connection, table, columns, rows):
    """One INSERT … ON CONFLICT for a batch of rows whose first column is the table's unique
    key and whose last ones (named ..._vector) are tsvectors, written with the row."""
    row_sql = (
        "("
        + ", ".join("%s::tsvector" if name.endswith("_vector") else "%s" for name in columns)
        + ")"
    )
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in columns[1:])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES {', '.join([row_sql] * len(rows))} "
            f"ON CONFLICT ({columns[0]}) DO UPDATE SET {updates}",
            [value for row in rows for value in row],
        )


def pg_copy(connection, table, columns, rows):
    """COPY a batch of rows into the table; False (and nothing written) when one of their
    keys is already there, as when a rebuild is given the same document twice."""
    try:
        with (
            transaction.atomic(using=connection.alias),
            connection.wrap_database_errors,
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
    except IntegrityError:
        return False
    return True


def _position_suffixes(weight, end):
    suffixes = _suffixes.get(weight)
    if suffixes is None or len(suffixes) < end:
        size = max(end, 2 * len(suffixes or ()), PG_MAX_POSITION + 1)
        suffixes = [f"':{position}{weight} '" for position in range(PG_MAX_POSITION + 1)]
        suffixes.extend([suffixes[PG_MAX_POSITION]] * (size - len(suffixes)))
        _suffixes[weight] = suffixes
    return suffixes


def _occurrences(tokens, start, weight):
    end = start + len(tokens)
    text = " ".join(tokens)
    if "'" in text or "\\" in text:
        # Tokens from analysis are letters and digits; anything else is quoted properly.
        return " ".join(
            f"{pg_lexeme(token)}:{min(position, PG_MAX_POSITION)}{weight}"
            for token, position in zip(tokens, range(start, end), strict=True)
        )
    suffixes = _position_suffixes(weight, end)[start:end]
    return ("'" + "".join(itertools.chain.from_iterable(zip(tokens, suffixes, strict=True))))[:-2]


#: Page ids below this are noted as bits (256 MiB at most); any other id in a set.
MAX_PAGE_BIT = 1 << 31


class SeenIds:
    """The document ids of a rebuild seen so far. Page documents ("page:<id>") take a bit
    each, so a million pages cost a few hundred kilobytes; any other id goes in a set."""

    def __init__(self):
        from opengov_cms.search.indexing import page_id

        self.page_id = page_id
        self.pages = bytearray()
        self.others = set()

    def add(self, document_id):
        """Note the id; False when it was seen before."""
        number = self.page_id(document_id)
        if number is None or number >= MAX_PAGE_BIT:
            if document_id in self.others:
                return False
            self.others.add(document_id)
            return True
        byte, bit = divmod(number, 8)
        if byte >= len(self.pages):
            self.pages.extend(bytes(max(byte + 1 - len(self.pages), len(self.pages))))
        if self.pages[byte] & (1 << bit):
            return False
        self.pages[byte] |= 1 << bit
        return True


class DatabaseSearchBackend(SearchBackend):
    """The default backend; it keeps the analysed text in the package's own tables.

    OPTIONS: ``DATABASE`` (alias of the database to use; default: where Django's router
    sends SearchDocument writes).
    """

    name = "database"
    option_names = ("DATABASE",)

    @property
    def alias(self):
        return self.options.get("DATABASE") or router.db_for_write(SearchDocument)

    @property
    def connection(self):
        return connections[self.alias]

    @property
    def vendor(self):
        vendor = self.connection.vendor
        if vendor not in ("sqlite", "postgresql"):
            raise SearchUnavailable(
                f"the database search backend needs SQLite or PostgreSQL, not {vendor}"
            )
        return vendor

    # Writing ---------------------------------------------------------------------------

    def index(self, documents):
        documents = [prepare(document) for document in documents]
        if not documents:
            return 0
        with transaction.atomic(using=self.alias):
            for start in range(0, len(documents), BATCH_SIZE):
                self._write(documents[start : start + BATCH_SIZE])
        return len(documents)

    def _write(self, documents, fresh=False):
        """Add or replace a batch of prepared documents. ``fresh``: the table was emptied in
        this transaction (a rebuild), so on PostgreSQL the rows are streamed with COPY."""
        by_id = {}
        for document in documents:
            by_id[document["id"]] = document  # the last version of a repeated id wins
        if self.vendor == "postgresql":
            rows = [(*self._row(doc), *self._tsvectors(doc)) for doc in by_id.values()]
            if not (fresh and pg_copy(self.connection, TABLE, PG_COLUMNS, rows)):
                pg_upsert(self.connection, TABLE, PG_COLUMNS, rows)
            return
        # SQLite: each statement runs over the whole batch (executemany), whatever its size;
        # the FTS row follows its document's id.
        updates = ", ".join(f"{name} = excluded.{name}" for name in ROW_COLUMNS[1:])
        by_document = f"(SELECT id FROM {TABLE} WHERE document_id = %s)"
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} ({', '.join(ROW_COLUMNS)}) "
                f"VALUES ({', '.join(['%s'] * len(ROW_COLUMNS))}) "
                f"ON CONFLICT (document_id) DO UPDATE SET {updates}",
                [self._row(doc) for doc in by_id.values()],
            )
            cursor.executemany(
                f"DELETE FROM {FTS_TABLE} WHERE rowid = {by_document}", [(i,) for i in by_id]
            )
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(FTS_COLUMNS)}) "
                f"VALUES ({by_document}, %s, %s, %s, %s, %s)",
                [(doc_id, *self._fts_row(doc)) for doc_id, doc in by_id.items()],
            )

    @staticmethod
    def _row(document):
        return (document["id"], *(document[name] for name in ROW_COLUMNS[1:]))

    @staticmethod
    def _fts_row(document):
        return tuple(
            " ".join(document[f"{name}_tokens"] if name != "words" else document["words"])
            for name in FTS_COLUMNS
        )

    @staticmethod
    def _tsvectors(document):
        """The title vector (title, numbers, jieba's words) and the whole text's."""
        title = [(document["title_tokens"], "A"), (document["numbers_tokens"], "B")]
        return (
            tsvector(title, words=document["words"]),
            tsvector([*title, (document["summary_tokens"], "C"), (document["body_tokens"], "D")]),
        )

    def delete(self, ids):
        ids = [str(i) for i in ids]
        if not ids:
            return 0
        manager = SearchDocument.objects.using(self.alias)
        with transaction.atomic(using=self.alias):
            pks = list(manager.filter(document_id__in=ids).values_list("pk", flat=True))
            if self.vendor == "sqlite" and pks:
                with self.connection.cursor() as cursor:
                    cursor.executemany(
                        f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk in pks]
                    )
            manager.filter(pk__in=pks).delete()
        return len(pks)

    def rebuild(self, documents, progress=None):
        """Delete and refill inside one transaction, so readers see the old index until the
        new one is complete."""
        if self.vendor == "postgresql" and not self.connection.in_atomic_block:
            return self._stream_rebuild(documents, progress)
        done = 0
        with transaction.atomic(using=self.alias):
            self.clear()
            batch = []
            for document in documents:
                batch.append(prepare(document))
                if len(batch) >= BATCH_SIZE:
                    self._write(batch, fresh=True)
                    done += len(batch)
                    batch = []
                    if progress:
                        progress(done)
            if batch:
                self._write(batch, fresh=True)
                done += len(batch)
                if progress:
                    progress(done)
        return done

    def _stream_rebuild(self, documents, progress=None):
        """The PostgreSQL rebuild: one COPY, on a connection of its own, fed as documents are
        read and analysed, so the server writes the rows and their index while the next
        batch is made. Its transaction is its own; a caller inside a transaction gets the
        batch-at-a-time rebuild instead, within that transaction."""
        done = 0
        seen = SeenIds()
        repeated = {}  # a document given again after its first version was sent
        database = self.connection
        # Straight from the driver: not one of a pool's connections, which the site's
        # requests may be waiting for.
        with database.wrap_database_errors:
            connection = database.Database.connect(**database.get_connection_params())
        try:
            with (
                database.wrap_database_errors,
                connection.cursor() as cursor,
            ):
                cursor.execute(f"DELETE FROM {TABLE}")
                with cursor.copy(f"COPY {TABLE} ({', '.join(PG_COLUMNS)}) FROM STDIN") as copy:
                    for document in documents:
                        document = prepare(document)
                        row = (*self._row(document), *self._tsvectors(document))
                        if seen.add(document["id"]):
                            copy.write_row(row)
                        else:
                            repeated[document["id"]] = row
                        done += 1
                        if progress and done % BATCH_SIZE == 0:
                            progress(done)
                if progress and done % BATCH_SIZE:
                    progress(done)
                rows = list(repeated.values())
                for start in range(0, len(rows), BATCH_SIZE):
                    # The last version of a repeated id wins, as in a batch.
                    pg_upsert(connection, TABLE, PG_COLUMNS, rows[start : start + BATCH_SIZE])
                connection.commit()
            # Every row is new: this process reads the token shares again at its next search
            # (``_token_shares``). The table is left for autovacuum to analyse, in the
            # background: ANALYZE samples 30,000 rows of out-of-line vectors, which took six
            # minutes of a million rows' rebuild.
            _token_shares.pop(self._database_key(), None)
        finally:
            # Without a commit, nothing of it is kept: the old index stays.
            connection.close()
        return done

    def clear(self):
        # One DELETE per table: nothing else refers to these rows. (Not TRUNCATE, which
        # would lock readers out until a rebuild's transaction ends.)
        with transaction.atomic(using=self.alias), self.connection.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute(f"DELETE FROM {FTS_TABLE}")
            cursor.execute(f"DELETE FROM {TABLE}")

    def count(self):
        return SearchDocument.objects.using(self.alias).count()

    # Searching -------------------------------------------------------------------------
    #
    # A search page costs what it shows, not what matches. Two statements, each bounded:
    #
    # - the total and the facets: over the first COUNT_CAP + 1 matches, in one pass;
    # - the hits: the candidates are the newest RANK_CANDIDATES matches (by row id, the order
    #   the text index gives them in, so it stops reading when it has them; on PostgreSQL,
    #   range by range when the count found more than COUNT_CAP), the newest as many
    #   matching in the title or 文号, and the exact 文号 / 索引号; only they are ranked (tiers,
    #   then text relevance), and the page is cut from them. On PostgreSQL, when the count
    #   read every match, the candidates are chosen from those (their ids and two flags come
    #   back with the count) and no text index is read again.
    #
    # With fewer matches than RANK_CANDIDATES every match is ranked, exactly as the engines
    # rank them; with fewer than COUNT_CAP the total and facets are exact.

    def _search(self, query, *, filters, facets, sort, offset, limit):
        vendor = self.vendor
        plan = self._sqlite_plan(query) if vendor == "sqlite" else self._pg_plan(query)
        where, where_params = self._filters(filters)
        # PostgreSQL: a search narrowed by a facet reads its newest rows value by value.
        lead = self._leading_facet(filters) if vendor != "sqlite" else None
        narrowed = (filters, lead)
        # The count first: it tells the hits whether the matches are many (docs/scaling.md).
        total, facet_counts, capped, matched = self._aggregates(
            plan, where, where_params, facets, narrowed
        )
        rows = []
        if limit and matched is not None:
            rows = self._hits_of(plan, matched, sort, offset, limit)
        elif limit:
            rows = self._hits(
                plan, query, sort, where, where_params, offset, limit, capped, narrowed
            )
        hits = []
        for row in rows:
            stored = dict(zip(STORED_FIELDS, row[1 : 1 + len(STORED_FIELDS)], strict=True))
            tier, score = row[-2], row[-1]
            hits.append((row[0], float(tier or 0) + float(score or 0) / 1000, stored))
        return hits, total, facet_counts, capped

    def _hits(self, plan, query, sort, where, where_params, offset, limit, many, narrowed):
        with self.connection.cursor() as cursor:
            if plan is None or sort == "date":
                # Newest first: without a query along the date index, stopping at the page;
                # with one, over the matches (the order asks for all of them).
                source, matched, matched_params = self._matches(plan)
                cursor.execute(
                    f"SELECT {_SELECT_FIELDS}, 0, 0.0 FROM {source} "
                    f"WHERE ({matched}) AND {where} ORDER BY {_BY_DATE} LIMIT %s OFFSET %s",
                    [*matched_params, *where_params, limit, offset],
                )
                return cursor.fetchall()
            candidates = max(RANK_CANDIDATES, offset + limit)
            if "sqlite" in plan:
                sql, params = self._sqlite_ranked(plan["sqlite"], where, where_params, candidates)
                cursor.execute(sql, [*params, limit, offset])
                return cursor.fetchall()
            branches, params = [], []
            # Past COUNT_CAP matches, the newest are looked for range by range; with fewer,
            # reading them all costs less than a range of ids.
            ranges = many and self._ids_in_text_index(cursor)
            filters, lead = narrowed
            for sql, branch_params, newest, column in plan["candidates"]:
                if newest and many and lead:
                    # Narrowed by a facet: the newest of the value's rows, not of all rows.
                    sql, branch_params = self._newest_by_value(
                        sql, branch_params, filters, lead, candidates, "id"
                    )
                    branches.append(f"SELECT * FROM ({sql}) AS c")
                    params += branch_params
                    continue
                # Each text index's ranges by how common the query is in its own column.
                sizes = newest and ranges and self._newest_ranges(query, candidates, column)
                if sizes:
                    branches.append(self._newest_by_range(sql, where, newest, sizes))
                    params += [
                        *[*branch_params, *where_params, candidates] * (len(sizes) + 1),
                        candidates,
                    ]
                elif newest:
                    # Newest first by the order the text index keeps its rows in, so it
                    # stops reading once it has them.
                    branches.append(
                        f"SELECT * FROM ({sql} AND {where} ORDER BY {newest} DESC LIMIT %s) AS c"
                    )
                    params += [*branch_params, *where_params, candidates]
                else:
                    branches.append(f"SELECT * FROM ({sql} AND {where}) AS c")
                    params += [*branch_params, *where_params]
            tier_sql, tier_params = plan["tier"]
            score_sql, score_params = plan["score"]
            check_sql, check_params = plan.get("check", ("1 = 1", []))
            cursor.execute(
                f"WITH c(rid) AS ({' UNION '.join(branches)}) "
                f"SELECT {_SELECT_FIELDS}, {tier_sql} AS tier, {score_sql} AS score "
                f"FROM c JOIN {TABLE} d ON d.id = c.rid WHERE {check_sql} "
                f"ORDER BY {_BY_RELEVANCE} "
                "LIMIT %s OFFSET %s",
                [*params, *tier_params, *score_params, *check_params, limit, offset],
            )
            return cursor.fetchall()

    def _hits_of(self, plan, matched, sort, offset, limit):
        """A page of hits cut from the matches the count read (PostgreSQL, no more than
        COUNT_CAP): [(row id, whether it matches in the title, whether by its exact 文号 /
        索引号)]. The candidates are those of ``_hits``, taken from the matches themselves:
        the newest RANK_CANDIDATES, the newest as many matching in the title, and the exact
        ones; no text index is read again."""
        with self.connection.cursor() as cursor:
            if sort == "date":
                cursor.execute(
                    f"SELECT {_SELECT_FIELDS}, 0, 0.0 FROM {TABLE} d "
                    f"WHERE d.id = ANY(%s::bigint[]) ORDER BY {_BY_DATE} LIMIT %s OFFSET %s",
                    [[rid for rid, _, _ in matched], limit, offset],
                )
                return cursor.fetchall()
            candidates = max(RANK_CANDIDATES, offset + limit)
            newest = sorted(matched, reverse=True)
            chosen = [rid for rid, _, _ in newest[:candidates]]
            chosen += [rid for rid, title, _ in newest if title][:candidates]
            chosen += [rid for rid, _, exact in newest if exact]
            tier_sql, tier_params = plan["tier"]
            score_sql, score_params = plan["score"]
            cursor.execute(
                f"SELECT {_SELECT_FIELDS}, {tier_sql} AS tier, {score_sql} AS score "
                f"FROM {TABLE} d WHERE d.id = ANY(%s::bigint[]) "
                f"ORDER BY {_BY_RELEVANCE} "
                "LIMIT %s OFFSET %s",
                [*tier_params, *score_params, list(dict.fromkeys(chosen)), limit, offset],
            )
            return cursor.fetchall()

    def _ids_in_text_index(self, cursor):
        """Whether PostgreSQL's text indexes hold the row ids too (NEWEST_INDEXES): asked of
        the database once a process."""
        key = self._database_key()
        known = _ids_in_text_index.get(key)
        if known is None:
            cursor.execute(
                "SELECT " + " AND ".join(["to_regclass(%s) IS NOT NULL"] * len(NEWEST_INDEXES)),
                list(NEWEST_INDEXES),
            )
            known = _ids_in_text_index[key] = bool(cursor.fetchone()[0])
        return known

    def _database_key(self):
        """What the per-process lookups of this database are kept under: alias and name."""
        return (self.alias, self.connection.settings_dict["NAME"])

    def _token_shares(self, column="search_vector"):
        """({token: share of the rows holding it}, share of the rarest listed, rows) of
        ``column`` (the whole text's vector or the title's): PostgreSQL's most common
        elements of it and its estimate of the table's rows, asked of the database once a
        process and again after SHARES_SECONDS; ({}, 0.0, rows) before the table is first
        analysed (rows is then -1 or 0)."""
        key = self._database_key()
        known = _token_shares.get(key)
        now = aging.now()
        if known is None or now - known[0] > SHARES_SECONDS:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT s.attname, s.most_common_elems::text::text[], "
                    "s.most_common_elem_freqs, c.reltuples FROM pg_class c "
                    "LEFT JOIN pg_stats s ON s.schemaname = current_schema() "
                    "AND s.tablename = c.relname "
                    "AND s.attname IN ('search_vector', 'title_vector') "
                    "WHERE c.oid = to_regclass(%s)",
                    [TABLE],
                )
                found = cursor.fetchall()
            columns, rows = {}, 0
            for name, elements, frequencies, tuples in found:
                rows = tuples or 0
                if name and elements and frequencies:
                    # The frequencies of the elements, then the least and the most of them
                    # and the share of rows without a vector.
                    shares = dict(zip(elements, frequencies, strict=False))
                    columns[name] = (shares, frequencies[len(elements)])
            known = _token_shares[key] = (now, columns, rows)
        return (*known[1].get(column, ({}, 0.0)), known[2])

    def _newest_ranges(self, query, candidates, column):
        """The sizes in ids of the newest ranges the candidates of ``query`` in ``column``
        are looked for in (NEWEST_INDEXES), or None where reading every match costs less."""
        shares, rarest, rows = self._token_shares(column)
        # Before the statistics, as if every token were in every row: small ranges first.
        share = share_bound(query.indexed_clauses, shares, rarest) if shares else 1.0
        if share <= 0:
            return None
        first = math.ceil(2 * candidates / share)
        if rows > 0 and ID_READ_US * first > ROW_VISIT_US * share * rows:
            return None
        if rows <= 0:
            return (first, first * RANGE_GROWTH)
        # Each range RANGE_GROWTH times the one before, as long as it stays within a quarter
        # of the rows: a phrase is rarer than its rarest token.
        sizes = [first]
        while len(sizes) < MAX_RANGES and sizes[-1] * RANGE_GROWTH <= rows / 4:
            sizes.append(sizes[-1] * RANGE_GROWTH)
        return tuple(sizes)

    @staticmethod
    def _leading_facet(filters):
        """The facet a search narrowed by facets reads its newest rows by, value by value,
        through that facet's index (migration 0009): the one with fewest values asked, the
        first in FACET_FIELDS on a tie; None when no facet narrows it."""
        named = [name for name in FACET_FIELDS if filters.get(name)]
        return min(named, key=lambda name: len(filters[name])) if named else None

    @classmethod
    def _newest_by_value(cls, select, params, filters, lead, number, key):
        """PostgreSQL: (statement, parameters) giving the newest ``number`` rows of
        ``select`` (``SELECT … FROM … d WHERE …`` with ``params``, whose rows' id is the
        column ``key``) among those ``filters`` keep: each value of the facet ``lead`` read
        from its newest row down through the facet's index, stopping at ``number``, then
        the values' rows merged newest first.

        The value is written as an array and the order starts with the facet's column.
        Written as an equality, PostgreSQL takes the column out of the order and weighs the
        facet's index against the row ids' own as if the value's rows were spread evenly
        among all rows; it then often reads the row ids' index from the newest row down,
        testing each row's value: every newer row before the first of a past year. The
        facet's index reads only the value's rows."""
        others, others_params = cls._filters(
            {name: values for name, values in filters.items() if name != lead}
        )
        array = "integer[]" if lead == "year" else "text[]"
        branches, all_params = [], []
        for value in filters[lead]:
            branches.append(
                f"({select} AND d.{lead} = ANY(%s::{array}) AND {others} "
                f"ORDER BY d.{lead} DESC, d.id DESC LIMIT %s)"
            )
            all_params += [*params, [value], *others_params, number]
        merged = " UNION ALL ".join(branches)
        return (
            f"SELECT * FROM ({merged}) AS v ORDER BY v.{key} DESC LIMIT %s",
            [*all_params, number],
        )

    @staticmethod
    def _newest_by_range(sql, where, newest, sizes):
        """A candidates branch that reads its newest matches range by range, the newest
        ``sizes[0]`` ids first, then the newest ``sizes[1]``, then the rest: each range's
        matches newest first, the ranges one after the other from the newest, and the whole
        cut at the number wanted, so PostgreSQL stops at the first range that completes it.
        The last range, the oldest rows, is read without the index's ids. Parameters: the
        branch's, the filters' and the number, once a range, then the number again."""
        bounds = f"(SELECT max(id) - {{:d}} FROM {TABLE})"
        # Only the lower bound is the index's to take: it reads a range of ids as one list
        # per bound, and an upper one would be the list of nearly every id. "+ 0" makes the
        # upper bound a test of the rows found instead.
        conditions, upper = [], None
        for size in sizes:
            lower = f"{newest} > {bounds.format(size)}"
            conditions.append(f"{lower} AND {upper}" if upper else lower)
            upper = f"{newest} + 0 <= {bounds.format(size)}"
        conditions.append(upper)
        ranges = " UNION ALL ".join(
            f"({sql} AND {where} AND {condition} ORDER BY {newest} DESC LIMIT %s)"
            for condition in conditions
        )
        return f"SELECT * FROM ({ranges} LIMIT %s) AS c"

    @staticmethod
    def _sqlite_ranked(ranking, where, where_params, candidates):
        """The SQLite statement of a page of hits by relevance, and its parameters (the
        LIMIT and OFFSET to add).

        FTS5 is quick to read a match set newest first and stop, and slow at everything else
        a ranking would ask of it per candidate: a MATCH restricted to one row (0.3–0.5 ms
        for a phrase of common tokens) and bm25, which weighs a phrase by the number of rows
        holding it and so reads every match first (4.5 ms at 10k for 政府信息公开, ten times
        that at 100k; once per statement, so per candidate when asked row by row). So:

        - the candidates are the newest matches of the text (``cc``, one more than ranked, to
          tell whether there are more) and of the title (``tc``), and the exact 文号 / 索引号;
        - the tiers are read as sets, each one scan of the text index from the newest down to
          the oldest text or title candidate, whatever the size of the index: a title match
          is a text match, so a text candidate matching in the title is among ``tc``; the
          phrase and jieba's words are read over that range (``ps``, ``ws``). Only a
          candidate found by its 文号 alone is tested row by row;
        - bm25 is computed when every match of the text is a candidate (``sc``), in the same
          single scan; past that, candidates of one tier are ordered by validity and date,
          as are every backend's at equal relevance;
        - a counter after a number (``Query.counters``) is not in the MATCH but tested on the
          text of each row it reads (``counted``), and bm25 leaves it out: it is in nearly
          every row, where bm25 gives a term its least weight.
        """
        fts, docs = FTS_TABLE, TABLE
        # Each set is read once, not again for each candidate that asks about it.
        m = "" if _OLD_SQLITE else "MATERIALIZED "

        def joined(counted_sql):
            return (
                f"FROM {fts} f JOIN {docs} d ON d.id = f.rowid "
                f"WHERE {fts} MATCH %s AND {counted_sql} AND {where}"
            )

        counters = ranking["counters"]
        counted_sql, counted_params = counted("f", COUNTED_TEXT, counters)
        title_sql, title_params = counted("f", COUNTED_TITLE, counters)
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        sets = {"ps": ranking["phrase"], "ws": ranking["words"]}
        ctes = [
            f"cc(rid) AS {m}(SELECT f.rowid {joined(counted_sql)} ORDER BY f.rowid DESC LIMIT %s)",
            f"tc(rid) AS {m}(SELECT f.rowid {joined(title_sql)} ORDER BY f.rowid DESC LIMIT %s)",
            f"ec(rid) AS {m}(SELECT d.id FROM {docs} d WHERE {ranking['exact']} AND {where})",
            f"low(r) AS {m}(SELECT min(rid) FROM "
            "(SELECT rid FROM cc UNION ALL SELECT rid FROM tc))",
            # With more text matches than candidates, bm25 is not asked for: the condition
            # is false before the scan reads a row.
            f"sc(rid, score) AS {m}(SELECT rowid, -bm25({fts}, {weights}) FROM {fts} "
            f"WHERE {fts} MATCH %s AND rowid >= (SELECT r FROM low) "
            "AND (SELECT count(*) FROM cc) <= %s)",
        ]
        params = [
            ranking["core"],
            *counted_params,
            *where_params,
            candidates + 1,
            ranking["title"],
            *title_params,
            *where_params,
            candidates,
            *ranking["keys"],
            *where_params,
            ranking["core"],
            candidates,
        ]
        for name, expression in sets.items():
            if expression is not None:
                ctes.append(
                    f"{name}(rid) AS {m}(SELECT rowid FROM {fts} WHERE {fts} MATCH %s "
                    "AND rowid >= (SELECT r FROM low))"
                )
                params.append(expression)
        ctes.append(
            f"c(rid) AS {m}(SELECT rid FROM (SELECT rid FROM cc ORDER BY rid DESC LIMIT %s) "
            "UNION SELECT rid FROM tc UNION SELECT rid FROM ec)"
        )
        params.append(candidates)

        def one_row(counted_sql):
            return (
                f"EXISTS (SELECT 1 FROM {fts} WHERE {fts} MATCH %s AND rowid = d.id "
                f"AND {counted_sql})"
            )

        found, alone, alone_params = [], [], []
        for weight, name, expression, (also, also_params) in (
            (TIER_TITLE, "tc", ranking["title"], counted(fts, COUNTED_TITLE, counters)),
            (TIER_PHRASE, "ps", ranking["phrase"], _NOTHING_COUNTED),
            (TIER_WORDS, "ws", ranking["words"], _NOTHING_COUNTED),
        ):
            if expression is None:
                continue
            found.append(f"{weight} * (d.id IN (SELECT rid FROM {name}))")
            alone.append(f"{weight} * ({one_row(also)})")
            alone_params += [expression, *also_params]
        tier = (
            "(CASE WHEN d.id IN (SELECT rid FROM cc) OR d.id IN (SELECT rid FROM tc) "
            f"THEN {' + '.join(found)} ELSE {' + '.join(alone)} END "
            f"+ {TIER_EXACT_NUMBER} * ({ranking['exact']}))"
        )
        params += [*alone_params, *ranking["keys"]]
        sql = (
            f"WITH {', '.join(ctes)} "
            f"SELECT {_SELECT_FIELDS}, {tier} AS tier, "
            "COALESCE((SELECT score FROM sc WHERE sc.rid = d.id), 0.0) AS score "
            f"FROM c JOIN {docs} d ON d.id = c.rid "
            f"ORDER BY {_BY_RELEVANCE} "
            "LIMIT %s OFFSET %s"
        )
        return sql, params

    def _aggregates(self, plan, where, where_params, facets, narrowed):
        """The number of matches and every facet's counts, over the first COUNT_CAP + 1
        matches, in one statement: the matches are read once (MATERIALIZED) and grouped per
        facet in the branches of a UNION ALL.

        On PostgreSQL, when there are no more than COUNT_CAP, the same statement gives each
        match's row id and whether it matches in the title and by its exact 文号 / 索引号
        (``matched``, else None): the hits are then cut from them (``_hits_of``)."""
        materialized = "" if self.vendor == "sqlite" and _OLD_SQLITE else "MATERIALIZED "
        columns = ", ".join(f"d.{name}" for name in facets) or "d.id"
        source, matched, matched_params = self._matches(plan)
        branches = ["SELECT 0, NULL, COUNT(*) FROM f"]
        branch_params = []
        for number, name in enumerate(facets, start=1):
            value = f"CAST(f.{name} AS TEXT)" if name == "year" else f"f.{name}"
            branches.append(
                f"SELECT {number}, {value}, COUNT(*) FROM f "
                f"WHERE f.{name} IS NOT NULL AND f.{name} <> %s GROUP BY f.{name}"
            )
            branch_params.append(0 if name == "year" else "")
        with_ids = plan is not None and "flags" in plan
        if with_ids:
            # Copied out of the rows the count reads anyway; tested only when the matches are
            # few enough to be all of them.
            columns += (
                ", d.id AS rid, d.title_vector AS tv, d.document_number_key AS nk, "
                "d.index_number_key AS ik"
            )
            flags_sql, flags_params = plan["flags"]
            branches.append(
                f"SELECT -1, {flags_sql}, f.rid FROM f WHERE (SELECT COUNT(*) FROM f) <= %s"
            )
            branch_params += [*flags_params, COUNT_CAP]
        # Past COUNT_CAP, the facets are those of the newest matches, the same on every
        # load: where the table is read for the matches (no query, or only common tokens),
        # it is read from its newest row back, through the row ids' index. Read in its own
        # order, PostgreSQL would start a large table's scan where the last one stopped
        # (synchronize_seqscans), so each load would count other matches, read from outside
        # its shared buffers. Matches found through a text index are left in the index's
        # order: sorting them would read every one.
        newest = plan is None or plan.get("common", False)
        filters, lead = narrowed
        if newest and lead:
            # Narrowed by a facet: the newest of the value's rows (``_newest_by_value``).
            if not with_ids:
                columns += ", d.id AS rid"
            counted_sql, counted_params = self._newest_by_value(
                f"SELECT {columns} FROM {source} WHERE ({matched})",
                matched_params,
                filters,
                lead,
                COUNT_CAP + 1,
                "rid",
            )
        else:
            order = " ORDER BY d.id DESC" if newest else ""
            counted_sql = (
                f"SELECT {columns} FROM {source} WHERE ({matched}) AND {where}{order} LIMIT %s"
            )
            counted_params = [*matched_params, *where_params, COUNT_CAP + 1]
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"WITH f AS {materialized}({counted_sql}) " + " UNION ALL ".join(branches),
                [*counted_params, *branch_params],
            )
            fetched = cursor.fetchall()
        total, grouped = 0, {name: [] for name in facets}
        found = [] if plan is not None and "flags" in plan else None
        for number, value, count in fetched:
            if number == 0:
                total = count
            elif number == -1:
                found.append((count, value[0] == "1", value[1] == "1"))
            else:
                name = facets[number - 1]
                grouped[name].append((int(value) if name == "year" else value, count))
        facet_counts = {}
        for name, counts in grouped.items():
            # The most frequent values first, ties in byte order (numeric for the year), as
            # the engines cut them; then in the order every backend returns.
            counts.sort(key=lambda item: (-item[1], item[0]))
            facet_counts[name] = sort_facet_values(counts[:MAX_FACET_VALUES])
        capped = total > COUNT_CAP
        return min(total, COUNT_CAP), facet_counts, capped, None if capped else found

    @staticmethod
    def _matches(plan):
        """(FROM clause giving the matching rows as ``d``, condition, parameters)."""
        if plan is None:
            return f"{TABLE} d", "1 = 1", []
        return plan["matches"]

    @staticmethod
    def _filters(filters):
        clauses, params = ["1 = 1"], []
        for name, values in filters.items():
            if not values:
                clauses.append("1 = 0")
                continue
            clauses.append(f"d.{name} IN ({', '.join(['%s'] * len(values))})")
            params.extend(values)
        return " AND ".join(clauses), params

    @staticmethod
    def _exact_sql():
        return "(d.document_number_key = %s OR d.index_number_key = %s)"

    def _exact_plan(self, query):
        """Text without a single letter or digit can still be an exact 文号 or 索引号."""
        keys = [query.number_key, query.index_key]
        return {
            "matches": (f"{TABLE} d", self._exact_sql(), keys),
            "candidates": [
                (f"SELECT d.id FROM {TABLE} d WHERE {self._exact_sql()}", keys, None, None)
            ],
            "tier": (str(TIER_EXACT_NUMBER), []),
            "score": ("0.0", []),
        }

    def _sqlite_plan(self, query):
        if not query.text:
            return None
        if not query.groups:
            return self._exact_plan(query)

        def expression(columns, clauses):
            return " AND ".join(
                "("
                + " OR ".join(
                    "("
                    + " AND ".join(
                        f"{columns} : {fts_phrase(tokens, prefix)}" for tokens, prefix in parts
                    )
                    + ")"
                    for parts in clause
                )
                + ")"
                for clause in clauses
            )

        # What FTS5 is asked: the query without a counter after a number (the 号 of …1号, in
        # nearly every row: as a prefix, FTS5 merges the lists of every token it starts);
        # the counters are then tested on the text of the rows found (``counted``).
        core = expression(TEXT_COLUMNS, query.indexed_clauses)
        title = expression("{title numbers}", query.indexed_clauses)
        keys = [query.number_key, query.index_key]
        counters = query.counter_characters
        text_counted = counted("f", COUNTED_TEXT, counters)
        in_fts = counted(FTS_TABLE, COUNTED_TEXT, counters)

        ranking = {
            "core": core,
            "title": title,
            "counters": counters,
            "phrase": f"{TEXT_COLUMNS} : {fts_phrase(query.phrase)}" if query.phrase else None,
            "words": (
                " AND ".join(f"{{words}} : {fts_phrase([w])}" for w in dict.fromkeys(query.words))
                if query.words
                else None
            ),
            "exact": self._exact_sql(),
            "keys": keys,
        }
        return {
            "sqlite": ranking,
            # Read from the text index as it goes, so the first COUNT_CAP + 1 cost no more
            # than that; an exact 文号 / 索引号 not matched as text too is added once.
            "matches": (
                f"(SELECT f.rowid AS rid FROM {FTS_TABLE} f WHERE {FTS_TABLE} MATCH %s "
                f"AND {text_counted[0]} "
                f"UNION ALL SELECT e.id FROM {TABLE} e "
                "WHERE (e.document_number_key = %s OR e.index_number_key = %s) "
                f"AND NOT EXISTS (SELECT 1 FROM {FTS_TABLE} "
                f"WHERE {FTS_TABLE} MATCH %s AND rowid = e.id AND {in_fts[0]})) m "
                f"JOIN {TABLE} d ON d.id = m.rid",
                "1 = 1",
                [core, *text_counted[1], *keys, core, *in_fts[1]],
            ),
        }

    def _pg_plan(self, query):
        if not query.text:
            return None
        if not query.groups:
            # Every match is one by its exact 文号 / 索引号, none by text.
            return {**self._exact_plan(query), "flags": ("'01'", [])}

        def alternative(parts):
            return "(" + " & ".join(pg_phrase(tokens, "", prefix) for tokens, prefix in parts) + ")"

        def expression(clauses):
            return " & ".join(
                "(" + " | ".join(alternative(parts) for parts in clause) + ")" for clause in clauses
            )

        def loose(clauses):
            return " & ".join(
                "("
                + " | ".join(
                    "("
                    + " & ".join(
                        pg_lexeme(token) + (":*" if prefix else "")
                        for tokens, prefix in parts
                        for token in dict.fromkeys(tokens)
                    )
                    + ")"
                    for parts in clause
                )
                + ")"
                for clause in clauses
            )

        def any_token(clauses):
            # Relevance by every token of the query, each counted alone: ts_rank of an OR of
            # lexemes is linear in a vector's positions, where its rank of phrases or an AND
            # compares every pair of the query's lexemes position by position (21 pairs of up
            # to 256 positions each for a run of eight characters: 74 µs a candidate against
            # 7). How near the tokens stand is the phrase tier's to say.
            tokens = {
                pg_lexeme(token) + (":*" if prefix else ""): None
                for clause in clauses
                for parts in clause
                for tokens, prefix in parts
                for token in tokens
            }
            return " | ".join(tokens)

        core = expression(query.clauses)
        keys = [query.number_key, query.index_key]
        # What the text indexes are asked: the query without a counter after a number (the
        # 号 of …1号, in nearly every row: looked up as a prefix it reads every row's id),
        # which the whole query then tests on the rows found.
        found_by = expression(query.indexed_clauses)
        loose_indexed, loose = loose(query.indexed_clauses), loose(query.clauses)
        if found_by == core:
            text_match, text_params = "d.search_vector @@ %s::tsquery", [core]
            body_found, title_found = (
                "d.search_vector @@ %s::tsquery",
                "d.title_vector @@ %s::tsquery",
            )
            found_params = [loose]
        else:
            text_match = (
                "d.search_vector @@ %s::tsquery AND (d.search_vector @@ %s::tsquery) IS TRUE"
            )
            text_params = [found_by, core]
            body_found = text_match
            title_found = (
                "d.title_vector @@ %s::tsquery AND (d.title_vector @@ %s::tsquery) IS TRUE"
            )
            found_params = [loose_indexed, loose]
        in_order = any(
            len(tokens) > 1 for clause in query.clauses for parts in clause for tokens, _ in parts
        )
        # Tokens alone need no test beyond the text index's answer; a common phrase is one
        # PostgreSQL reads the table for, testing each row's text once (the title-first form
        # would read it twice where the title does not hold the phrase).
        matches = f"({text_match} OR {self._exact_sql()})", [*text_params, *keys]
        common = share_bound(query.indexed_clauses, *self._token_shares()[:2]) >= COMMON_SHARE
        if (found_by != core or in_order) and not common:
            # A phrase, or a counter, of tokens not all common: the text index finds the rows
            # holding every token, which it can tell without reading them, and each is then
            # tested for the whole query in its title's small vector first, and in the whole
            # text's (about 8 KB, kept apart from the row) only when the title does not hold
            # it: a match in the title is one in the whole text. The planner drops the first
            # condition from the rows' tests, as the index has answered it; "IS TRUE" keeps
            # the second from being asked of an index.
            matches = (
                f"(d.search_vector @@ %s::tsquery OR {self._exact_sql()}) "
                "AND (d.title_vector @@ %s::tsquery OR d.search_vector @@ %s::tsquery "
                f"OR {self._exact_sql()}) IS TRUE",
                [loose_indexed, *keys, core, core, *keys],
            )
        tiers = [
            f"{TIER_TITLE} * (d.title_vector @@ %s::tsquery)::int",
            f"{TIER_EXACT_NUMBER} * {self._exact_sql()}::int",
        ]
        tier_params = [core, *keys]
        if query.phrase:
            tiers.append(f"{TIER_PHRASE} * (d.search_vector @@ %s::tsquery)::int")
            tier_params.append(pg_phrase(query.phrase))
        if query.words:
            tiers.append(f"{TIER_WORDS} * (d.title_vector @@ %s::tsquery)::int")
            tier_params.append(" & ".join(pg_lexeme("~" + w) for w in dict.fromkeys(query.words)))
        return {
            "matches": (f"{TABLE} d", *matches),
            # Of tokens all common: PostgreSQL reads the table for the matches rather than
            # the text index, and the count takes the newest (``_aggregates``).
            "common": common,
            # Candidates by every token of the query, in any order: the GIN index answers
            # that without reading a body's vector (a phrase needs its positions, in the row
            # itself); only the candidates are then tested for the phrases.
            "candidates": [
                (
                    f"SELECT d.id FROM {TABLE} d WHERE {body_found}",
                    found_params,
                    "d.id",
                    "search_vector",
                ),
                (
                    f"SELECT d.id FROM {TABLE} d WHERE {title_found}",
                    found_params,
                    "d.id",
                    "title_vector",
                ),
                (f"SELECT d.id FROM {TABLE} d WHERE {self._exact_sql()}", keys, None, None),
            ],
            # Tested on each candidate's row, fetched by its id: "IS TRUE" is no condition an
            # index can answer, so the planner, which expects few candidates from the ranges
            # of ids, cannot choose to read every match of the phrase instead and join them.
            # The title's small vector first: a match in the title is one in the whole text
            # (it starts with the same tokens at the same positions), and the whole text's
            # vector (about 8 KB, kept apart from the row, in pieces) is read only for
            # a candidate whose title does not hold the query.
            "check": (
                "(d.title_vector @@ %s::tsquery OR d.search_vector @@ %s::tsquery "
                f"OR {self._exact_sql()}) IS TRUE",
                [core, core, *keys],
            ),
            # Of a match copied out by the count (``_aggregates``): in the title (as the
            # title's candidates are found), by its exact 文号 / 索引号; "1" or "0" each (a
            # row indexed before its title had a vector of its own has none).
            "flags": (
                "COALESCE(f.tv @@ %s::tsquery, false)::int::text "
                "|| COALESCE(f.nk = %s OR f.ik = %s, false)::int::text",
                [loose, *keys],
            ),
            "tier": ("(" + " + ".join(tiers) + ")", tier_params),
            "score": (
                f"ts_rank({PG_WEIGHTS}, d.search_vector, %s::tsquery)",
                [any_token(query.clauses)],
            ),
        }
