"""Tell the kept parts of pages (opengov_cms.catalogue.kept) when an interpretation, which
policy pages list, comes or goes."""

from django.db.models.signals import post_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from opengov_cms.catalogue.kept import pages_changed

DISPATCH_PREFIX = "opengov_policies_kept"


def on_linked_page(sender, instance, **kwargs):
    """An interpretation was published, unpublished or deleted; a policy published again
    changes its own key and no other page's parts. (A consultation is not a disclosed
    document, so the catalogue's handler moves the version for it already.)"""
    from opengov_cms.policies.models import AbstractInterpretationPage

    model = instance.specific_class
    if model and issubclass(model, AbstractInterpretationPage) and instance.numchild == 0:
        pages_changed()


def register():
    page_published.connect(on_linked_page, dispatch_uid=f"{DISPATCH_PREFIX}_published")
    page_unpublished.connect(on_linked_page, dispatch_uid=f"{DISPATCH_PREFIX}_unpublished")
    post_delete.connect(on_linked_page, sender=Page, dispatch_uid=f"{DISPATCH_PREFIX}_deleted")
