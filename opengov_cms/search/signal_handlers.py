"""Keep the search index in step with Wagtail's pages (connected in AppConfig.ready).

Each handler only enqueues a job, which runs once the transaction commits, so an editor's
publish never waits on the search backend and a rolled-back change is never indexed.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Revision
from wagtail.signals import page_published, page_unpublished, post_page_move

from opengov_cms.tasks import enqueue

DISPATCH_PREFIX = "opengov_search"


def on_published(sender, instance, **kwargs):
    from opengov_cms.search.tasks import index_pages

    # The same job swaps the draft's text for the published text in the editors' index.
    enqueue(index_pages, [instance.pk])


def on_unpublished(sender, instance, **kwargs):
    from opengov_cms.search.tasks import index_pages

    # Indexing an unpublished page removes it; it also covers a page unpublished and then
    # published again in the same transaction.
    enqueue(index_pages, [instance.pk])


def on_page_created(sender, instance, created, raw=False, **kwargs):
    from opengov_cms.search.tasks import index_admin_pages

    # Pages made in code (imports, copies) may never get a revision.
    if created and not raw and isinstance(instance, Page):
        enqueue(index_admin_pages, [instance.pk])


def on_revision_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    from opengov_cms.search.tasks import index_admin_pages

    # Every draft an editor saves (or autosaves) is a new or overwritten revision; a save of
    # its bookkeeping alone (the go-live time cleared on publishing) changes no text.
    if raw or (update_fields is not None and "content" not in update_fields):
        return
    if instance.base_content_type_id != ContentType.objects.get_for_model(Page).pk:
        return
    enqueue(index_admin_pages, [int(instance.object_id)])


def on_moved(sender, instance, **kwargs):
    from opengov_cms.search.tasks import index_pages

    # The URLs of the page and everything below it changed, and a move under a restricted
    # section can make them private.
    enqueue(index_pages, [instance.pk], with_descendants=True, admin=False)


def on_view_restriction_changed(sender, instance, **kwargs):
    from opengov_cms.search.tasks import index_pages

    # A section made private, or public again, changes whether every page below it belongs
    # in the public index.
    enqueue(index_pages, [instance.page_id], with_descendants=True, admin=False)


def on_deleted(sender, instance, **kwargs):
    from opengov_cms.search import indexing
    from opengov_cms.search.tasks import delete_documents

    if isinstance(instance, Page):
        # The same job removes the page's entry from the editors' index.
        enqueue(delete_documents, [indexing.document_id(instance.pk)])


def register():
    page_published.connect(on_published, dispatch_uid=f"{DISPATCH_PREFIX}_published")
    page_unpublished.connect(on_unpublished, dispatch_uid=f"{DISPATCH_PREFIX}_unpublished")
    post_page_move.connect(on_moved, dispatch_uid=f"{DISPATCH_PREFIX}_moved")
    post_delete.connect(on_deleted, dispatch_uid=f"{DISPATCH_PREFIX}_deleted")
    post_save.connect(on_page_created, dispatch_uid=f"{DISPATCH_PREFIX}_page_created")
    for signal in (post_save, post_delete):
        signal.connect(
            on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"{DISPATCH_PREFIX}_restriction_{signal is post_save}",
        )
    post_save.connect(
        on_revision_saved, sender=Revision, dispatch_uid=f"{DISPATCH_PREFIX}_revision_saved"
    )
