"""Search on the site's own database: SQLite FTS5 or PostgreSQL tsvector with a GIN index."""

import itertools
import sqlite3

from django.db import IntegrityError, connections, router, transaction

from opengov_cms.search.backends.base import (
    MAX_FACET_VALUES,
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
# C summary, D body (and jieba's words, as lexemes starting with "~").
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
PG_COLUMNS = (*ROW_COLUMNS, "search_vector")

_SELECT_FIELDS = ", ".join(f"d.{name}" for name in ("document_id", *STORED_FIELDS))


def fts_phrase(tokens, prefix=False):
    # Tokens are letters and digits only (see analysis), so quoting them is enough.
    phrase = '"' + " ".join(tokens) + '"'
    return phrase + " *" if prefix else phrase


def pg_lexeme(token):
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


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
    key and whose last is a tsvector, written with the row."""
    row_sql = "(" + ", ".join(["%s"] * (len(columns) - 1)) + ", %s::tsvector)"
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
            rows = [(*self._row(doc), self._tsvector(doc)) for doc in by_id.values()]
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
    def _tsvector(document):
        return tsvector(
            [
                (document[f"{name}_tokens"], weight)
                for name, weight in (
                    ("title", "A"),
                    ("numbers", "B"),
                    ("summary", "C"),
                    ("body", "D"),
                )
            ],
            words=document["words"],
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
                        row = (*self._row(document), self._tsvector(document))
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

    def _search(self, query, *, filters, facets, sort, offset, limit):
        vendor = self.vendor
        matched_sql, matched_params, tier_sql, tier_params = (
            self._sqlite_match(query) if vendor == "sqlite" else self._pg_match(query)
        )
        where, where_params = self._filters(filters)
        base = (
            f"WITH m AS ({matched_sql}) "
            f"SELECT {{columns}} FROM m JOIN {TABLE} d ON d.id = m.rid WHERE {where}"
        )
        params = [*matched_params, *where_params]
        if sort == "date" or not query.text:
            order = "d.date DESC, d.validity_rank, d.document_id"
        else:
            order = "tier DESC, m.score DESC, d.validity_rank, d.date DESC, d.document_id"
        with self.connection.cursor() as cursor:
            cursor.execute(
                base.format(columns=f"{_SELECT_FIELDS}, {tier_sql} AS tier, m.score")
                + f" ORDER BY {order} LIMIT %s OFFSET %s",
                [*params[: len(matched_params)], *tier_params, *where_params, limit, offset],
            )
            rows = cursor.fetchall()
            total, facet_counts = self._aggregates(cursor, matched_sql, where, params, facets)
        hits = []
        for row in rows:
            stored = dict(zip(STORED_FIELDS, row[1 : 1 + len(STORED_FIELDS)], strict=True))
            tier, score = row[-2], row[-1]
            hits.append((row[0], float(tier or 0) + float(score or 0) / 1000, stored))
        return hits, total, facet_counts

    def _aggregates(self, cursor, matched_sql, where, params, facets):
        """The number of matches and every facet's counts in one statement, so the text is
        matched once for all of them (not once per facet): the matches, filtered, are made
        once (MATERIALIZED) and grouped per facet in the branches of a UNION ALL."""
        materialized = "" if self.vendor == "sqlite" and _OLD_SQLITE else "MATERIALIZED "
        columns = ", ".join(f"d.{name}" for name in facets) or "d.id"
        branches = ["SELECT 0, NULL, COUNT(*) FROM f"]
        branch_params = []
        for number, name in enumerate(facets, start=1):
            value = f"CAST(f.{name} AS TEXT)" if name == "year" else f"f.{name}"
            branches.append(
                f"SELECT {number}, {value}, COUNT(*) FROM f "
                f"WHERE f.{name} IS NOT NULL AND f.{name} <> %s GROUP BY f.{name}"
            )
            branch_params.append(0 if name == "year" else "")
        cursor.execute(
            f"WITH m AS ({matched_sql}), f AS {materialized}("
            f"SELECT {columns} FROM m JOIN {TABLE} d ON d.id = m.rid WHERE {where}) "
            + " UNION ALL ".join(branches),
            [*params, *branch_params],
        )
        total, grouped = 0, {name: [] for name in facets}
        for number, value, count in cursor.fetchall():
            if number == 0:
                total = count
            else:
                name = facets[number - 1]
                grouped[name].append((int(value) if name == "year" else value, count))
        facet_counts = {}
        for name, counts in grouped.items():
            # The most frequent values first, ties in byte order (numeric for the year), as
            # the engines cut them; then in the order every backend returns.
            counts.sort(key=lambda item: (-item[1], item[0]))
            facet_counts[name] = sort_facet_values(counts[:MAX_FACET_VALUES])
        return total, facet_counts

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

    def _exact_only(self, query):
        """Text without a single letter or digit can still be an exact 文号 or 索引号."""
        matched = (
            f"SELECT id AS rid, 0.0 AS score FROM {TABLE} "
            "WHERE document_number_key = %s OR index_number_key = %s"
        )
        params = [query.number_key, query.index_key]
        return matched, params, str(TIER_EXACT_NUMBER), []

    def _sqlite_match(self, query):
        if not query.text:
            return f"SELECT id AS rid, 0.0 AS score FROM {TABLE}", [], "0", []
        if not query.groups:
            return self._exact_only(query)

        def expression(columns, groups, prefixes, joiner=" AND "):
            return joiner.join(
                f"{columns} : {fts_phrase(group, prefix)}"
                for group, prefix in zip(groups, prefixes, strict=True)
            )

        core = expression(TEXT_COLUMNS, query.groups, query.prefix)
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        matched = (
            "SELECT rid, MAX(score) AS score FROM ("
            f"SELECT rowid AS rid, -bm25({FTS_TABLE}, {weights}) AS score "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            f"UNION ALL SELECT id AS rid, 0.0 AS score FROM {TABLE} "
            "WHERE document_number_key = %s OR index_number_key = %s"
            ") GROUP BY rid"
        )
        matched_params = [core, query.number_key, query.index_key]
        in_fts = f"(d.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s))"
        tiers = [f"{TIER_TITLE} * {in_fts}", f"{TIER_EXACT_NUMBER} * {self._exact_sql()}"]
        tier_params = [
            expression("{title numbers}", query.groups, query.prefix),
            query.number_key,
            query.index_key,
        ]
        if query.phrase:
            tiers.append(f"{TIER_PHRASE} * {in_fts}")
            tier_params.append(f"{TEXT_COLUMNS} : {fts_phrase(query.phrase)}")
        if query.words:
            tiers.append(f"{TIER_WORDS} * {in_fts}")
            tier_params.append(
                " AND ".join(f"{{words}} : {fts_phrase([w])}" for w in dict.fromkeys(query.words))
            )
        return matched, matched_params, "(" + " + ".join(tiers) + ")", tier_params

    def _pg_match(self, query):
        if not query.text:
            return f"SELECT id AS rid, 0.0 AS score FROM {TABLE}", [], "0", []
        if not query.groups:
            return self._exact_only(query)

        def expression(groups, prefixes, weights=""):
            return " & ".join(
                pg_phrase(group, weights, prefix)
                for group, prefix in zip(groups, prefixes, strict=True)
            )

        core = expression(query.groups, query.prefix)
        matched = (
            f"SELECT id AS rid, ts_rank({PG_WEIGHTS}, search_vector, %s::tsquery) AS score "
            f"FROM {TABLE} WHERE search_vector @@ %s::tsquery "
            "OR document_number_key = %s OR index_number_key = %s"
        )
        matched_params = [core, core, query.number_key, query.index_key]
        tiers = [
            f"{TIER_TITLE} * (d.search_vector @@ %s::tsquery)::int",
            f"{TIER_EXACT_NUMBER} * {self._exact_sql()}::int",
        ]
        tier_params = [
            expression(query.groups, query.prefix, "AB"),
            query.number_key,
            query.index_key,
        ]
        if query.phrase:
            tiers.append(f"{TIER_PHRASE} * (d.search_vector @@ %s::tsquery)::int")
            tier_params.append(pg_phrase(query.phrase))
        if query.words:
            tiers.append(f"{TIER_WORDS} * (d.search_vector @@ %s::tsquery)::int")
            tier_params.append(" & ".join(pg_lexeme("~" + w) for w in dict.fromkeys(query.words)))
        return matched, matched_params, "(" + " + ".join(tiers) + ")", tier_params
