"""Keep the search index of published messages in step with their message box pages, and
compute due dates left pending once a holiday schedule is entered."""

from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from opengov_cms.core.calendar import WorkingDayCalendar, schedule_changed
from opengov_cms.interaction import tasks
from opengov_cms.interaction.models import Message
from opengov_cms.interaction.notifications import document_id
from opengov_cms.interaction.pages import AbstractMessageBoxPage
from opengov_cms.search.tasks import index_documents
from opengov_cms.tasks import enqueue

DISPATCH_PREFIX = "opengov_interaction"


def holiday_schedule_changed(sender, **kwargs):
    # Sent once the transaction that saved the schedule has committed.
    enqueue(tasks.refresh_due_dates)


def published_ids(boxes):
    """The document ids of the published messages of these message box pages."""
    ids = Message.objects.filter(box__in=boxes, published_at__isnull=False).values_list(
        "pk", flat=True
    )
    return [document_id(pk) for pk in ids]


def reindex(boxes):
    """Index again the published messages of these boxes: whether they may leave follows
    their box (published, unpublished, moved, restricted)."""
    ids = published_ids(boxes)
    if ids:
        enqueue(index_documents, ids)


def box_models():
    return [
        model
        for model in get_page_models()
        if issubclass(model, AbstractMessageBoxPage) and not model._meta.abstract
    ]


def is_box(page):
    model = page.specific_class
    return model is not None and issubclass(model, AbstractMessageBoxPage)


def on_box_changed(sender, instance, **kwargs):
    if is_box(instance):
        reindex([instance.pk])


def on_moved_or_restricted(page):
    """A page moved or (un)restricted changes whether the boxes at or below it may leave:
    one query per message box page type (a site has one), whatever the size of the subtree."""
    boxes = [
        pk
        for model in box_models()
        for pk in model.objects.filter(path__startswith=page.path).values_list("pk", flat=True)
    ]
    if boxes:
        reindex(boxes)


def on_moved(sender, instance, **kwargs):
    on_moved_or_restricted(instance)


def on_view_restriction_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        on_moved_or_restricted(page)


def on_box_deleting(sender, instance, **kwargs):
    # The box's messages lose it (SET_NULL) and may no longer leave: read them before.
    if isinstance(instance, Page) and is_box(instance):
        instance._opengov_published_messages = published_ids([instance.pk])


def on_box_deleted(sender, instance, **kwargs):
    ids = getattr(instance, "_opengov_published_messages", None)
    if ids:
        enqueue(index_documents, ids)


def connect():
    schedule_changed.connect(
        holiday_schedule_changed,
        sender=WorkingDayCalendar,
        dispatch_uid=f"{DISPATCH_PREFIX}_schedule",
    )
    page_published.connect(on_box_changed, dispatch_uid=f"{DISPATCH_PREFIX}_published")
    page_unpublished.connect(on_box_changed, dispatch_uid=f"{DISPATCH_PREFIX}_unpublished")
    post_page_move.connect(on_moved, dispatch_uid=f"{DISPATCH_PREFIX}_moved")
    pre_delete.connect(on_box_deleting, dispatch_uid=f"{DISPATCH_PREFIX}_deleting")
    post_delete.connect(on_box_deleted, dispatch_uid=f"{DISPATCH_PREFIX}_deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"{DISPATCH_PREFIX}_restriction_{signal is post_save}",
        )
