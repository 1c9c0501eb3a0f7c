"""Background jobs that keep the search index in step with the pages."""

import logging

from wagtail.models import Page

from opengov_cms.search import indexing
from opengov_cms.search.backends import get_search_backend
from opengov_cms.search.backends.base import SearchUnavailable
from opengov_cms.tasks import task

logger = logging.getLogger(__name__)


@task(name="opengov_cms.search.index_pages")
def index_pages(page_ids, with_descendants=False):
    """Index the pages that are searchable and remove the others from the index."""
    pages = Page.objects.filter(pk__in=page_ids)
    if with_descendants:
        subtree = Page.objects.none()
        for page in pages:
            subtree = subtree | Page.objects.descendant_of(page, inclusive=True)
        pages = subtree
    found = {page.pk: page for page in pages.specific()}
    documents, gone = [], []
    for page_id in {*page_ids, *found}:
        document = indexing.search_document(found.get(page_id))
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
        # Publishing must not fail because search is down; opengov_search_check finds the
        # difference and opengov_search_rebuild repairs it.
        logger.exception("search index not updated for pages %s", sorted(page_ids))


@task(name="opengov_cms.search.delete_documents")
def delete_documents(document_ids):
    try:
        get_search_backend().delete(document_ids)
    except SearchUnavailable:
        logger.exception("search documents %s not deleted", document_ids)
