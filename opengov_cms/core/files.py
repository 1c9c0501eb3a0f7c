"""Files follow their pages: a document of the library used by pages is served to the public
only while one of those pages may leave the site (opengov_cms.core.visibility).

A document is used by a page when it is one of the page's attachments (any model built on
:class:`AbstractAttachment`) or when Wagtail's reference index records a use by the page
(a link in its rich text, a chooser field, a block). A document used by no page at all is
served only where the site says so (OPENGOV_CMS_DOCUMENTS_UNUSED_PUBLIC), so that a file
uploaded for a draft, or left over after a page dropped it, is not reachable by its address.
A document used by something that is not a page (a snippet, a site setting) is the site's
own business and follows Wagtail's rules. Staff who may choose or change documents in the
admin always get the file.

Wagtail serves the file once this allows it: as a download when the site lists no content
type in WAGTAILDOCS_INLINE_CONTENT_TYPES (system check opengov_cms.W007), never sniffed
(X-Content-Type-Options: nosniff), and through the web server when SENDFILE_BACKEND says so.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, ReferenceIndex

from opengov_cms.conf import opengov_settings
from opengov_cms.core.models import AbstractAttachment
from opengov_cms.core.visibility import leaving, may_leave

#: Pages of a document checked one by one (after the query has kept those that are live,
#: unexpired and unrestricted); a document is on a handful of pages.
MAX_PAGES_CHECKED = 50


def attachment_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, AbstractAttachment) and not model._meta.abstract
    ]


def uses_of(document):
    """(ids of the pages using ``document``, whether anything other than a page uses it)."""
    page_ids = set()
    for model in attachment_models():
        page_ids.update(
            model.objects.filter(document_id=document.pk).values_list("page_id", flat=True)
        )
    page_type_ids = set()
    others = False
    references = ReferenceIndex.get_references_to(document).values_list(
        "base_content_type_id", "object_id"
    )
    page_models = {}
    for content_type_id, object_id in references:
        is_page = page_models.get(content_type_id)
        if is_page is None:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            is_page = page_models[content_type_id] = bool(model and issubclass(model, Page))
        if is_page:
            page_type_ids.add(int(object_id))
        else:
            others = True
    return page_ids | page_type_ids, others


def document_permission_policy():
    """Wagtail's permission policy for documents, the one its own views check."""
    from wagtail.documents import get_document_model

    try:
        # Wagtail 8 keeps a registry of policies (a site may register its own); its
        # module-level `permission_policy` is deprecated.
        from wagtail.permissions import policy_registry
    except ImportError:  # Wagtail 7.2
        # Imported here: wagtail.documents builds this policy only once its app is ready.
        from wagtail.documents.permissions import permission_policy

        return permission_policy
    return policy_registry.get_by_type(get_document_model())


def is_staff_for_documents(user):
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and document_permission_policy().user_has_any_permission(user, ["add", "change", "choose"])
    )


def may_serve(document, request):
    """Whether ``document`` may be sent in answer to ``request``."""
    if is_staff_for_documents(getattr(request, "user", None)):
        return True
    page_ids, others = uses_of(document)
    if page_ids:
        candidates = leaving(Page.objects.filter(pk__in=page_ids)).specific()
        # Used by pages: served while one of them may leave, never otherwise.
        return any(may_leave(page) for page in candidates[:MAX_PAGES_CHECKED])
    return others or bool(opengov_settings.DOCUMENTS_UNUSED_PUBLIC)
