"""Background jobs that keep the search indexes in step with the pages."""

import logging

from django.utils import timezone
from wagtail.models import Page

from opengov_cms.core.pages import share_site_root_paths
from opengov_cms.search import indexing
from opengov_cms.search.backends import get_search_backend
from opengov_cms.search.backends.base import SearchUnavailable
from opengov_cms.tasks import task

logger = logging.getLogger(__name__)

#: Pending updates the sync job applies per request to the backend.
SYNC_BATCH = 500


def update_index(page_ids, with_descendants=False):
    """Index the pages that are searchable and remove the others from the index; with
    ``with_descendants``, every page below them too, a chunk at a time. Returns the document
    ids touched. Raises SearchUnavailable when the backend cannot take them; what it could not
    take is recorded for the sync job first."""
    page_ids = {int(pk) for pk in page_ids}
    restrictions = indexing.Restrictions()
    chunks = [sorted(page_ids)]
    if with_descendants:
        roots = list(Page.objects.filter(pk__in=page_ids))
        chunks = [sorted(page_ids - {root.pk for root in roots})]
        chunks += [ids for root in roots for ids in _subtree_chunks(root)]
    touched, failed = [], None
    for ids in chunks:
        if not ids:
            continue
        if failed is not None:
            # The backend is down: the rest is only recorded, without waiting on it again.
            record_pending([indexing.document_id(pk) for pk in ids])
            continue
        try:
            touched += _update_chunk(ids, restrictions)
        except SearchUnavailable as error:
            failed = error
    if failed is not None:
        raise failed
    return touched


def _subtree_chunks(root):
    subtree = Page.objects.descendant_of(root, inclusive=True).order_by("pk")
    last = 0
    while True:
        ids = list(subtree.filter(pk__gt=last).values_list("pk", flat=True)[: indexing.CHUNK_SIZE])
        if not ids:
            return
        last = ids[-1]
        yield ids


def _update_chunk(page_ids, restrictions):
    pages = {
        page.pk: page
        for page in indexing.read_related(
            share_site_root_paths(list(Page.objects.filter(pk__in=page_ids).specific()))
        )
    }
    public = set(
        Page.objects.filter(pk__in=list(pages), live=True, depth__gt=1)
        .exclude(restrictions.pages)
        .values_list("pk", flat=True)
    )
    documents, gone = [], []
    for page_id in page_ids:
        page = pages.get(page_id)
        document = None
        if page_id in public and hasattr(page, "get_search_document"):
            document = indexing.build_document(page, restrictions)
        if document is None:
            gone.append(indexing.document_id(page_id))
        else:
            documents.append(document)
    backend = get_search_backend()
    try:
        if documents:
            backend.index(documents)
        if gone:
            backend.delete(gone)
    except SearchUnavailable:
        record_pending([*(document["id"] for document in documents), *gone])
        raise
    return [*(document["id"] for document in documents), *gone]


def update_sources(document_ids):
    """Index the documents of registered sources (ids ``"<kind>:<key>"``) whose rows belong
    in the index now and remove the others; ids of no source are removed. Returns the ids
    touched; raises SearchUnavailable after recording them for the sync job."""
    by_source, unknown = {}, []
    for document_id in document_ids:
        source, key = indexing.source_key(document_id)
        if source is None:
            unknown.append(document_id)
        else:
            by_source.setdefault(source, set()).add(key)
    documents, gone = [], list(unknown)
    for source, keys in by_source.items():
        found = source.documents(sorted(keys))
        for key in sorted(keys):
            if key in found:
                documents.append({**found[key], "id": f"{source.kind}:{key}"})
            else:
                gone.append(f"{source.kind}:{key}")
    backend = get_search_backend()
    try:
        if documents:
            backend.index(documents)
        if gone:
            backend.delete(gone)
    except SearchUnavailable:
        record_pending([*(document["id"] for document in documents), *gone])
        raise
    return [*(document["id"] for document in documents), *gone]


def record_pending(document_ids):
    from opengov_cms.search.models import PendingSearchUpdate

    PendingSearchUpdate.objects.bulk_create(
        [PendingSearchUpdate(document_id=document_id) for document_id in document_ids],
        update_conflicts=True,
        unique_fields=["document_id"],
        update_fields=["recorded_at"],
    )


@task(name="opengov_cms.search.index_pages")
def index_pages(page_ids, with_descendants=False, admin=True):
    """Index the pages that are searchable and remove the others from the index; with
    ``admin``, bring their entries in the editors' index up to date too (one job for both on
    publish and unpublish)."""
    try:
        update_index(page_ids, with_descendants)
    except SearchUnavailable:
        # Publishing must not fail because search is down: the change is recorded and the
        # sync job applies it when the backend answers again.
        logger.exception("search index not updated for pages %s", sorted(page_ids))
    if admin:
        index_admin_pages(page_ids)


@task(name="opengov_cms.search.index_documents")
def index_documents(document_ids):
    """Index documents of registered sources that belong in the index and remove the others
    (a published message, one taken off the site)."""
    try:
        update_sources(document_ids)
    except SearchUnavailable:
        # Whatever changed the rows must not fail because search is down: the sync job
        # applies it when the backend answers again.
        logger.exception("search index not updated for documents %s", sorted(document_ids))


@task(name="opengov_cms.search.delete_documents")
def delete_documents(document_ids):
    """Remove documents of deleted pages, and the pages' entries in the editors' index."""
    from opengov_cms.search import admin_index

    admin_index.delete([pk for pk in map(indexing.page_id, document_ids) if pk is not None])
    try:
        get_search_backend().delete(document_ids)
    except SearchUnavailable:
        record_pending(document_ids)
        logger.exception("search documents %s not deleted", document_ids)


@task(name="opengov_cms.search.sync_pending", ignore_result=True)
def sync_pending():
    """Apply the changes the backend could not take when they happened, oldest first; stop at
    the first batch it still cannot take. Returns how many were applied."""
    from opengov_cms.search.models import PendingSearchUpdate

    applied = 0
    while True:
        started = timezone.now()
        batch = list(
            PendingSearchUpdate.objects.order_by("recorded_at", "pk").values_list(
                "pk", "document_id"
            )[:SYNC_BATCH]
        )
        if not batch:
            return applied
        document_ids = [document_id for _pk, document_id in batch]
        page_ids = [pk for pk in map(indexing.page_id, document_ids) if pk is not None]
        others = [d for d in document_ids if indexing.page_id(d) is None]
        try:
            # Each page (or row of a registered source) is indexed if it is searchable now,
            # or removed: the current state, whatever the change was. Ids of neither are
            # removed.
            update_index(page_ids)
            if others:
                update_sources(others)
        except SearchUnavailable:
            logger.warning("search is still unavailable; %s changes wait", len(batch))
            return applied
        # A change recorded again while this batch was applied stays for the next run.
        PendingSearchUpdate.objects.filter(
            pk__in=[pk for pk, _document_id in batch], recorded_at__lte=started
        ).delete()
        applied += len(batch)


@task(name="opengov_cms.search.index_admin_pages")
def index_admin_pages(page_ids):
    """Bring the editors' index entries of these pages up to date (drafts included)."""
    from opengov_cms.search import admin_index

    try:
        admin_index.index_pages(page_ids)
    except Exception:
        # The editor's change is already saved; a failure here (a page type whose text
        # cannot be read) must not turn it into an error. opengov_search_check reports the
        # missing entries and opengov_search_rebuild makes them.
        logger.exception("editors' search index not updated for pages %s", sorted(page_ids))
