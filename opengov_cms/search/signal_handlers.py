"""Keep the search index in step with Wagtail's pages (connected in AppConfig.ready).

Each handler only enqueues a job, which runs once the transaction commits, so an editor's
publish never waits on the search backend and a rolled-back change is never indexed.
"""

from django.db.models.signals import post_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from opengov_cms.tasks import enqueue

DISPATCH_PREFIX = "opengov_search"


def on_published(sender, instance, **kwargs):
    from opengov_cms.search.tasks import index_pages

    enqueue(index_pages, [instance.pk])


def on_unpublished(sender, instance, **kwargs):
    from opengov_cms.search.tasks import index_pages

    # Indexing an unpublished page removes it; it also covers a page unpublished and then
    # published again in the same transaction.
    enqueue(index_pages, [instance.pk])


def on_moved(sender, instance, **kwargs):
    from opengov_cms.search.tasks import index_pages

    # The URLs of the page and everything below it changed, and a move under a restricted
    # section can make them private.
    enqueue(index_pages, [instance.pk], with_descendants=True)


def on_deleted(sender, instance, **kwargs):
    from opengov_cms.search import indexing
    from opengov_cms.search.tasks import delete_documents

    if isinstance(instance, Page):
        enqueue(delete_documents, [indexing.document_id(instance.pk)])


def register():
    page_published.connect(on_published, dispatch_uid=f"{DISPATCH_PREFIX}_published")
    page_unpublished.connect(on_unpublished, dispatch_uid=f"{DISPATCH_PREFIX}_unpublished")
    post_page_move.connect(on_moved, dispatch_uid=f"{DISPATCH_PREFIX}_moved")
    post_delete.connect(on_deleted, dispatch_uid=f"{DISPATCH_PREFIX}_deleted")
