"""Tell policy pages when what they list of other pages may have changed."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from opengov_cms.core.versions import new_version

DISPATCH_PREFIX = "opengov_policies_linked_pages"


def linked_pages_changed(**kwargs):
    """Now, for this process, and again after the commit, so that no reader keeps what it
    read before the change committed."""
    from opengov_cms.policies.models import LINKED_PAGES_VERSION_KEY

    new_version(LINKED_PAGES_VERSION_KEY)
    transaction.on_commit(lambda: new_version(LINKED_PAGES_VERSION_KEY))


def on_linked_page(sender, instance, **kwargs):
    """An interpretation or a consultation was published, unpublished or deleted; a policy
    or an entry changes no other page's links."""
    from opengov_cms.policies.models import AbstractConsultationPage, AbstractInterpretationPage

    model = instance.specific_class
    if model and issubclass(model, (AbstractInterpretationPage, AbstractConsultationPage)):
        linked_pages_changed()


def register():
    page_published.connect(on_linked_page, dispatch_uid=f"{DISPATCH_PREFIX}_published")
    page_unpublished.connect(on_linked_page, dispatch_uid=f"{DISPATCH_PREFIX}_unpublished")
    post_delete.connect(on_linked_page, sender=Page, dispatch_uid=f"{DISPATCH_PREFIX}_deleted")
    # A new slug or place changes the address of every page below.
    page_slug_changed.connect(linked_pages_changed, dispatch_uid=f"{DISPATCH_PREFIX}_slug")
    post_page_move.connect(linked_pages_changed, dispatch_uid=f"{DISPATCH_PREFIX}_moved")
    # Restricted pages are not listed; a site's hostname or root is in every address.
    for model in (PageViewRestriction, Site):
        for signal in (post_save, post_delete):
            signal.connect(
                linked_pages_changed,
                sender=model,
                dispatch_uid=f"{DISPATCH_PREFIX}_{model.__name__}_{signal is post_save}",
            )
