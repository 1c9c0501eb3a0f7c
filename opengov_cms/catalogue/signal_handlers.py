"""Keep the catalogue listing and the kept parts of pages (catalogue.kept) in step with
Wagtail's page tree."""

from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from opengov_cms.catalogue.documents import sync_catalogue_item
from opengov_cms.catalogue.forms import note_publisher, publishers_changed, taxonomy_changed
from opengov_cms.catalogue.kept import pages_changed
from opengov_cms.catalogue.models import CatalogueItem
from opengov_cms.core.models import DisclosureMetadata, DocumentKind, Genre, Organisation, Topic


def on_publish_or_unpublish(sender, instance, **kwargs):
    if isinstance(instance, DisclosureMetadata):
        # The page's 发布机构 in the public list before and after, for the filter's options.
        row = CatalogueItem.objects.public().filter(page=instance.pk)
        before = row.values_list("organisation_id", flat=True).first()
        sync_catalogue_item(instance)
        note_publisher(before, row.values_list("organisation_id", flat=True).first())


def on_page_deleted(sender, instance, **kwargs):
    model = instance.specific_class
    if model and issubclass(model, DisclosureMetadata):
        publishers_changed()


def on_move(sender, instance, **kwargs):
    # Moving a section moves every disclosed page under it: refresh their rows' paths.
    from opengov_cms.catalogue.models import CatalogueItem

    moved = Page.objects.filter(path__startswith=instance.path)
    listed_ids = CatalogueItem.objects.filter(page__in=moved).values_list("page_id", flat=True)
    for page in Page.objects.filter(pk__in=list(listed_ids)).specific():
        sync_catalogue_item(page)
    if isinstance(instance.specific_deferred, DisclosureMetadata):
        sync_catalogue_item(instance)


def on_page_that_shows_elsewhere(sender, instance, **kwargs):
    """A page other than a disclosed document was published, unpublished or deleted: a
    section's or folder's title is in the breadcrumbs below it and in its parent's list of
    sections. A disclosed document with nothing below it shows only on its own page and in
    lists, which are not kept."""
    model = instance.specific_class
    if instance.numchild > 0 or not (model and issubclass(model, DisclosureMetadata)):
        pages_changed()


def on_document_changed(sender, instance, created=False, **kwargs):
    # A document's title and address show in the attachment lists of the pages it is on; a
    # new upload is on no page yet.
    if not created:
        pages_changed()


def register():
    # Deleting a page deletes its row through the database's cascade.
    page_published.connect(on_publish_or_unpublish, dispatch_uid="opengov_catalogue_publish")
    page_unpublished.connect(on_publish_or_unpublish, dispatch_uid="opengov_catalogue_unpublish")
    post_page_move.connect(on_move, dispatch_uid="opengov_catalogue_move")
    post_delete.connect(on_page_deleted, sender=Page, dispatch_uid="opengov_catalogue_deleted")
    # Kept parts of pages (catalogue.kept) show other pages' titles and addresses.
    for signal, name in ((page_published, "published"), (page_unpublished, "unpublished")):
        signal.connect(on_page_that_shows_elsewhere, dispatch_uid=f"opengov_kept_{name}")
    post_delete.connect(on_page_that_shows_elsewhere, sender=Page, dispatch_uid="opengov_kept_del")
    page_slug_changed.connect(pages_changed, dispatch_uid="opengov_kept_slug")
    post_page_move.connect(pages_changed, dispatch_uid="opengov_kept_moved")
    document_model = get_document_model()
    post_save.connect(on_document_changed, sender=document_model, dispatch_uid="opengov_kept_doc")
    post_delete.connect(
        on_document_changed, sender=document_model, dispatch_uid="opengov_kept_doc_del"
    )
    # Restricted pages are not listed; a site's hostname or root is in every address.
    for model in (PageViewRestriction, Site):
        for signal in (post_save, post_delete):
            signal.connect(
                pages_changed,
                sender=model,
                dispatch_uid=f"opengov_kept_{model.__name__}_{signal is post_save}",
            )
    # The filter form's options are cached until one of these changes.
    for model in (Organisation, Topic, Genre, DocumentKind):
        for signal in (post_save, post_delete):
            signal.connect(
                taxonomy_changed,
                sender=model,
                dispatch_uid=f"opengov_catalogue_filters_{model.__name__}_{signal is post_save}",
            )
