"""The editors' index (后台检索): every page's text as the Wagtail admin searches for it.

The public index holds live, public pages only. Editors also look for drafts, so this index
has one entry per page of any type: a live page is indexed with its published text, a page
that is not live with the text of its latest revision. (A live page's unpublished changes are
not indexed: Wagtail's page search is also how a site searches its live pages, and a pending
draft's words must not show through it.)

The index always lives in the site's database, beside the pages, so that the admin's own
filters (permissions, subtree, page type, live) and the match are one SQL query. Text is
analysed as for the public index (opengov_cms.search.analysis): a 2-character word inside a
long title is found, and a 文号 matches whatever brackets it is typed with.
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, router, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import strip_tags
from wagtail.fields import RichTextField
from wagtail.models import Page, Revision, get_page_models
from wagtail.search import index

from opengov_cms.core.pages import pages_after
from opengov_cms.search import analysis
from opengov_cms.search.backends.base import MAX_BODY_LENGTH
from opengov_cms.search.backends.database import (
    fts_phrase,
    pg_copy,
    pg_phrase,
    pg_upsert,
    tsvector,
)
from opengov_cms.search.models import AdminSearchEntry

logger = logging.getLogger(__name__)

TABLE = AdminSearchEntry._meta.db_table
FTS_TABLE = "opengov_search_admin_fts"
ALL_COLUMNS = "{title numbers body}"
TITLE_COLUMNS = "{title numbers}"
#: Fields of the package's page types read whether or not a type lists them in search_fields.
DISCLOSURE_FIELDS = ("summary", "body", "document_number", "index_number")
NUMBER_FIELDS = ("document_number", "index_number")
#: Ranking in the admin: an exact 文号 or 索引号 first, then the query in the title or numbers;
#: then the most recently edited.
RANK_EXACT = 8
RANK_TITLE = 4
CHUNK_SIZE = 500
VENDORS = ("sqlite", "postgresql")


def database_alias():
    return router.db_for_write(AdminSearchEntry)


def supported(alias=None):
    """Whether the editors' index can work on this database (SQLite or PostgreSQL)."""
    return connections[alias or database_alias()].vendor in VENDORS


# What an entry holds --------------------------------------------------------------------------

_field_names_cache = {}


def text_field_names(model):
    """The page type's text fields: those in its search_fields (SearchField or
    AutocompleteField), plus the disclosure metadata's summary, body, 文号 and 索引号."""
    names = _field_names_cache.get(model)
    if names is None:
        names = [
            field.field_name
            for field in model.get_search_fields()
            if isinstance(field, (index.SearchField, index.AutocompleteField))
        ]
        for name in DISCLOSURE_FIELDS:
            try:
                model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            names.append(name)
        names = _field_names_cache[model] = list(dict.fromkeys(names))
    return names


def _texts(page, name):
    try:
        field = page._meta.get_field(name)
    except FieldDoesNotExist:
        value = getattr(page, name, None)
        if callable(value):
            value = value()
    else:
        if field.is_relation:
            return []  # following a relation would cost a query a page
        value = field.value_from_object(page)
        if (
            getattr(type(field), "get_searchable_content", None)
            is RichTextField.get_searchable_content
        ):
            # Wagtail's text of rich text, without its HTML parser for ordinary markup.
            value = analysis.rich_text_for_indexing(value) if value is not None else None
        elif hasattr(field, "get_searchable_content"):
            value = field.get_searchable_content(value)
    if value is None:
        return []
    values = value if isinstance(value, (list, tuple)) else [value]
    return [strip_tags(str(v)) for v in values if v not in (None, "")]


def entry(page):
    """The entry of ``page`` (already the version to index): its tokens and exact keys."""
    title, numbers, body = [page.title or ""], [], []
    for name in text_field_names(type(page)):
        if name == "title":
            continue
        texts = _texts(page, name)
        (numbers if name in NUMBER_FIELDS else body).extend(texts)
    body_text = "\n".join(body)[:MAX_BODY_LENGTH]
    return {
        "page_id": page.pk,
        "title": analysis.tokens(" ".join(title)),
        "numbers": analysis.tokens(" ".join(numbers)),
        "body": analysis.tokens(body_text),
        "document_number_key": analysis.document_number_key(
            getattr(page, "document_number", "") or ""
        )[:200],
        "index_number_key": analysis.index_number_key(getattr(page, "index_number", "") or "")[
            :200
        ],
    }


def entries(pages):
    """Entries of specific pages: the live ones as published, the others as their latest
    revision. One query for all the drafts' revisions, whatever their number."""
    pages = list(pages)
    draft_revisions = [p.latest_revision_id for p in pages if not p.live and p.latest_revision_id]
    revisions = Revision.objects.in_bulk(draft_revisions) if draft_revisions else {}
    result = []
    for page in pages:
        source = page
        revision = None if page.live else revisions.get(page.latest_revision_id)
        if revision is not None:
            try:
                source = page.with_content_json(revision.content)
            except Exception:
                # A revision saved by an older version of the page type may not load; the
                # page's own row is still worth finding.
                logger.warning("cannot read the latest revision of page %s", page.pk, exc_info=True)
        result.append(entry(source))
    return result


# Writing --------------------------------------------------------------------------------------


def write(items, alias=None, fresh=False):
    """Add or replace entries (dicts from :func:`entry`). ``fresh``: the table was emptied in
    this transaction (a rebuild), so on PostgreSQL the rows are streamed with COPY."""
    by_page = {item["page_id"]: item for item in items}
    if not by_page:
        return 0
    alias = alias or database_alias()
    connection = connections[alias]
    if connection.vendor not in VENDORS:
        return 0
    with transaction.atomic(using=alias):
        if connection.vendor == "postgresql":
            rows = [
                (
                    pk,
                    item["document_number_key"],
                    item["index_number_key"],
                    tsvector([(item["title"], "A"), (item["numbers"], "B"), (item["body"], "D")]),
                )
                for pk, item in by_page.items()
            ]
            if not (fresh and pg_copy(connection, TABLE, PG_COLUMNS, rows)):
                pg_upsert(connection, TABLE, PG_COLUMNS, rows)
            return len(by_page)
        # SQLite: each statement runs over the whole batch (executemany), whatever its size.
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} (page_id, document_number_key, index_number_key) "
                "VALUES (%s, %s, %s) ON CONFLICT (page_id) DO UPDATE SET "
                "document_number_key = excluded.document_number_key, "
                "index_number_key = excluded.index_number_key",
                [
                    (pk, item["document_number_key"], item["index_number_key"])
                    for pk, item in by_page.items()
                ],
            )
            cursor.executemany(
                f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk in by_page]
            )
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, numbers, body) VALUES (%s, %s, %s, %s)",
                [
                    (pk, " ".join(i["title"]), " ".join(i["numbers"]), " ".join(i["body"]))
                    for pk, i in by_page.items()
                ],
            )
    return len(by_page)


PG_COLUMNS = ("page_id", "document_number_key", "index_number_key", "search_vector")


def delete(page_ids, alias=None):
    page_ids = [int(pk) for pk in page_ids]
    alias = alias or database_alias()
    connection = connections[alias]
    if not page_ids or connection.vendor not in VENDORS:
        return
    with transaction.atomic(using=alias):
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk in page_ids]
                )
        AdminSearchEntry.objects.using(alias).filter(page_id__in=page_ids).delete()


def index_pages(page_ids):
    """Bring the entries of these pages up to date; pages that no longer exist are removed."""
    if not supported():
        return
    page_ids = {int(pk) for pk in page_ids}
    pages = list(Page.objects.filter(pk__in=page_ids).specific())
    write(entries(pages))
    gone = page_ids - {page.pk for page in pages}
    if gone:
        delete(gone)


def page_models():
    """Every page type, Page itself included."""
    return [model for model in get_page_models() if not model._meta.abstract]


def exact_type(model):
    """The pages of exactly this type (a proxy type included), as instances of it."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return model._default_manager.filter(content_type=content_type)


def iter_entry_chunks(chunk_size=CHUNK_SIZE):
    """Entries of every page, a chunk at a time: (pages read, entries).

    Each page type is read in order of page id from the last id seen (never an OFFSET), with
    a fixed number of queries per chunk, so memory and time per chunk stay the same however
    many pages the site has.
    """
    for model in page_models():
        queryset = exact_type(model).order_by("pk")
        last = 0
        while True:
            chunk = list(pages_after(queryset, last)[:chunk_size])
            if not chunk:
                break
            last = chunk[-1].pk
            yield len(chunk), entries(chunk)


def clear(alias=None):
    alias = alias or database_alias()
    connection = connections[alias]
    # One DELETE per table (not Django's collector, which reads every row first; not
    # TRUNCATE, which would lock searches out until a rebuild's transaction ends).
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
        cursor.execute(f"DELETE FROM {TABLE}")


def rebuild(chunk_size=CHUNK_SIZE, progress=None):
    """Refill the whole index inside one transaction; searches see the old entries until the
    new ones are complete. ``progress`` is called with the pages read so far."""
    alias = database_alias()
    if not supported(alias):
        return 0
    done = read = 0
    with transaction.atomic(using=alias):
        clear(alias)
        for pages_read, items in iter_entry_chunks(chunk_size):
            done += write(items, alias, fresh=True)
            read += pages_read
            if progress:
                progress(read)
    return done


def count():
    return AdminSearchEntry.objects.using(database_alias()).count()


# Searching ------------------------------------------------------------------------------------


class AdminQuery:
    """A query as the admin's page search means it: every part must match, as for the public
    search; with ``autocomplete``, a last word of letters or digits may be the start of one."""

    def __init__(self, text, *, autocomplete=False):
        self.query = analysis.analyse_query(text)
        self.prefix = list(self.query.prefix)
        if autocomplete and self.query.groups:
            last = self.query.groups[-1]
            if len(last) == 1 and not analysis.is_han(last[0][0]):
                self.prefix[-1] = True

    def __bool__(self):
        return bool(self.query.text)

    def _groups(self):
        return zip(self.query.groups, self.prefix, strict=True)

    def _exact(self):
        return (
            f"SELECT page_id FROM {TABLE} WHERE document_number_key = %s OR index_number_key = %s",
            [self.query.number_key, self.query.index_key],
        )

    def _text(self, vendor, title_only=False):
        if not self.query.groups:
            return None
        if vendor == "sqlite":
            columns = TITLE_COLUMNS if title_only else ALL_COLUMNS
            expression = " AND ".join(
                f"{columns} : {fts_phrase(group, prefix)}" for group, prefix in self._groups()
            )
            return f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression]
        weights = "AB" if title_only else ""
        expression = " & ".join(
            pg_phrase(group, weights, prefix) for group, prefix in self._groups()
        )
        return f"SELECT page_id FROM {TABLE} WHERE search_vector @@ %s::tsquery", [expression]

    def matching(self, vendor):
        """A Q of the pages that match, for any queryset of pages."""
        exact_sql, exact_params = self._exact()
        text = self._text(vendor)
        if text is None:
            return Q(pk__in=RawSQL(exact_sql, exact_params))
        return Q(pk__in=RawSQL(f"{text[0]} UNION {exact_sql}", [*text[1], *exact_params]))

    def rank(self, vendor):
        """An expression ranking the matching pages (see RANK_EXACT and RANK_TITLE)."""
        exact = Case(
            When(Q(pk__in=RawSQL(*self._exact())), then=Value(RANK_EXACT)),
            default=Value(0),
            output_field=IntegerField(),
        )
        title = self._text(vendor, title_only=True)
        if title is None:
            return exact
        return exact + Case(
            When(Q(pk__in=RawSQL(*title)), then=Value(RANK_TITLE)),
            default=Value(0),
            output_field=IntegerField(),
        )
