"""Which pages are searchable, and their search documents, one page or a chunk at a time.

A page is indexed when it is live, public (no view restriction on it or above it) and its
specific model has ``get_search_document()`` returning the search-document dict. A model may
also have ``get_search_attachments()`` returning its attached files (Wagtail documents or
files); the text of those that are PDF or DOCX is added to the body.

A rebuild reads the pages of each type in chunks ordered by page id, from the last id seen
(never an OFFSET), with the relations a document needs fetched for the whole chunk, so it
costs the same few queries per chunk however many pages the site has.

Documents that are not pages (the public's published messages, opengov_cms.interaction) come
from a :class:`DocumentSource` an app registers with :func:`register_source`: their ids are
``"<kind>:<key>"``, and the source says which of its rows belong in the index, gives their
documents, and tells the public search which hits may still leave (the one rule, in
opengov_cms.core.visibility).
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, prefetch_related_objects
from wagtail.models import Collection, CollectionViewRestriction, Page, get_page_models

from opengov_cms.core.pages import pages_after, share_site_root_paths
from opengov_cms.core.visibility import may_leave
from opengov_cms.search.attachments import extract_text

#: Pages read per chunk by a rebuild or a check.
CHUNK_SIZE = 500
#: Relations of the disclosure metadata a search document names (发布机构, 主题分类, 体裁).
RELATED_FIELDS = ("organisation", "topic", "genre")


def document_id(page_id):
    return f"page:{page_id}"


def page_id(document_id):
    """The page id of a document id made by :func:`document_id`, else None."""
    prefix, _sep, value = str(document_id).partition(":")
    return int(value) if prefix == "page" and value.isdigit() else None


class DocumentSource:
    """Search documents of rows that are not pages, all of one ``kind`` (the part of their
    ids before the colon; the part after it is the row's numeric key). ``label`` is the
    content type their documents name, as a facet and in ``opengov_search_check``."""

    kind = ""
    label = ""

    def documents(self, keys):
        """{key: document} for those of ``keys`` whose rows belong in the index now."""
        raise NotImplementedError

    def leaving(self, keys):
        """The set of ``keys`` whose rows may leave the site now (checked for every hit of
        the public search, whatever the index says)."""
        raise NotImplementedError

    def chunks(self, chunk_size=CHUNK_SIZE):
        """Every document that belongs in the index, a chunk at a time: (rows read,
        documents), in order of key and never by OFFSET."""
        raise NotImplementedError

    def count(self):
        """How many documents belong in the index, counted in the database."""
        raise NotImplementedError


#: The registered sources, by kind.
SOURCES = {}


def register_source(source):
    """Add a source of documents (an instance of a :class:`DocumentSource` subclass); an app
    does it in its AppConfig.ready()."""
    if source.kind in ("", "page"):
        raise ValueError(f"{source.kind!r} cannot be the kind of a document source")
    SOURCES[source.kind] = source


def source_key(document_id):
    """(source, key) of a document of a registered source, else (None, None)."""
    kind, _sep, value = str(document_id).partition(":")
    source = SOURCES.get(kind)
    if source is None or not value.isdigit():
        return None, None
    return source, int(value)


def searchable_models():
    """Page types with a search document (proxy types included), in a stable order."""
    return sorted(
        (
            model
            for model in get_page_models()
            if hasattr(model, "get_search_document") and not model._meta.abstract
        ),
        key=lambda model: model._meta.label_lower,
    )


def content_type_label(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


def exact_type(model):
    """The pages of exactly this type, as instances of it (never the root page)."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return model._default_manager.filter(content_type=content_type, depth__gt=1)


def candidate_pages(model, private=None):
    """The live, public pages of exactly this type, with the rows their documents name
    joined (their attachments are read a chunk at a time, ``read_search_attachments``).
    ``private`` is a Q of the restricted sections (Restrictions().pages), read once by the
    caller."""
    queryset = exact_type(model).filter(live=True, alias_of__isnull=True)
    queryset = queryset.exclude(private if private is not None else Page.objects.private_q())
    custom = getattr(model, "search_document_queryset", None)
    if custom is not None:
        return custom(queryset)
    related = _many_to_one(model)
    if related:
        queryset = queryset.select_related(*related)
    return queryset


def _many_to_one(model):
    names = []
    for name in RELATED_FIELDS:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_one:
            names.append(name)
    return names


def read_related(pages):
    """Give specific pages read without their related rows (``.specific()``) what their
    documents show, one query each per page type instead of one per page: the
    organisation, topic and genre, and the attachments (``read_search_attachments``)."""
    by_model = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    for model, group in by_model.items():
        related = _many_to_one(model)
        if related:
            prefetch_related_objects(group, *related)
        if hasattr(model, "read_search_attachments"):
            model.read_search_attachments(group)
    return pages


def search_document(page):
    """The page's search document, or None when it must not be in the index."""
    if page is None or not hasattr(page, "get_search_document") or page.depth <= 1:
        return None
    # The one rule of what may leave (live, 主动公开, not expired, no restriction above it).
    if not may_leave(page):
        return None
    if page.alias_of_id:
        return None  # the same document as its source, found there
    return build_document(page)


class Restrictions:
    """The site's private sections and private collections, read once for many documents: a
    page under a view restriction is not indexed, nor the text of a file in a restricted
    collection."""

    def __init__(self):
        self.pages = Page.objects.private_q()
        restricted = CollectionViewRestriction.objects.values_list(
            "collection__path", "collection__depth"
        )
        collections = Q()
        for path, depth in restricted:
            collections |= Q(path__startswith=path, depth__gte=depth)
        self.collection_ids = (
            frozenset(Collection.objects.filter(collections).values_list("pk", flat=True))
            if collections
            else frozenset()
        )


def build_document(page, restrictions=None):
    """The document of a page already known to be live and public."""
    document = page.get_search_document()
    if not document:
        return None
    # The id is the page's own, so unpublish and delete find the document again.
    document = {**document, "id": document_id(page.pk)}
    if hasattr(page, "get_search_attachments"):
        attachments = list(page.get_search_attachments() or ())
        if attachments and restrictions is None:
            restrictions = Restrictions()
        texts = [document.get("body") or ""]
        for attachment in attachments:
            if getattr(attachment, "collection_id", None) in restrictions.collection_ids:
                continue  # only some may download it: its words stay out of a public index
            file = getattr(attachment, "file", attachment)
            texts.append(getattr(attachment, "title", "") or "")
            texts.append(extract_text(file, getattr(file, "name", None)))
        document["body"] = "\n".join(text for text in texts if text)
    return document


def iter_document_chunks(chunk_size=CHUNK_SIZE, restrictions=None):
    """Every searchable page's document, a chunk at a time: (pages read, documents); then
    the documents of the registered sources, a chunk at a time.

    The private sections and collections are read once for the whole run, unless given.
    """
    if restrictions is None:
        restrictions = Restrictions()
    for model in searchable_models():
        queryset = candidate_pages(model, restrictions.pages).order_by("pk")
        last = 0
        while True:
            chunk = list(pages_after(queryset, last)[:chunk_size])
            if not chunk:
                break
            last = chunk[-1].pk
            share_site_root_paths(chunk)
            if hasattr(model, "read_search_attachments"):
                model.read_search_attachments(chunk)
            documents = [build_document(page, restrictions) for page in chunk]
            yield len(chunk), [document for document in documents if document is not None]
    for source in SOURCES.values():
        yield from source.chunks(chunk_size)


def expected_counts():
    """{content type label: number of pages (and rows of registered sources) that belong in
    the index}, counted in SQL."""
    private = Page.objects.private_q()
    counts = {}
    for model in searchable_models():
        count = candidate_pages(model, private).count()
        if count:
            counts[content_type_label(model)] = count
    for source in SOURCES.values():
        count = source.count()
        if count:
            counts[source.label] = counts.get(source.label, 0) + count
    return counts


def iter_documents(chunk_size=CHUNK_SIZE):
    """Every searchable page's document, read a chunk at a time."""
    for _read, documents in iter_document_chunks(chunk_size):
        yield from documents


def searchable_pages():
    """Every page that belongs in the index, as specific pages, in order of page id.

    Reading documents from it costs queries per page; a rebuild uses
    :func:`iter_document_chunks` instead.
    """
    models = searchable_models()
    if not models:
        return Page.objects.none()
    return (
        Page.objects.live()
        .public()
        .exact_type(*models)
        .filter(depth__gt=1)
        .specific()
        .order_by("pk")
    )


def documents(pages):
    for page in pages:
        document = search_document(page)
        if document is not None:
            yield document
