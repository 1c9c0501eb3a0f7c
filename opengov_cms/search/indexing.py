"""Which pages are searchable, and their search documents.

A page is indexed when it is live, public (no view restriction on it or above it) and its
specific model has ``get_search_document()`` returning the search-document dict. A model may
also have ``get_search_attachments()`` returning its attached files (Wagtail documents or
files); the text of those that are PDF or DOCX is added to the body.
"""

from wagtail.models import Page, get_page_models

from opengov_cms.search.attachments import extract_text


def document_id(page_id):
    return f"page:{page_id}"


def searchable_models():
    return [model for model in get_page_models() if hasattr(model, "get_search_document")]


def searchable_pages():
    """Every page that belongs in the index, as specific pages, in a stable order."""
    models = searchable_models()
    if not models:
        return Page.objects.none()
    return Page.objects.live().public().type(*models).specific().order_by("pk")


def search_document(page):
    """The page's search document, or None when it must not be in the index."""
    if page is None or not hasattr(page, "get_search_document"):
        return None
    if not page.live or page.get_view_restrictions().exists():
        return None
    if any(ancestor.get_view_restrictions().exists() for ancestor in page.get_ancestors()):
        return None
    document = page.get_search_document()
    if not document:
        return None
    # The id is the page's own, so unpublish and delete find the document again.
    document = {**document, "id": document_id(page.pk)}
    if hasattr(page, "get_search_attachments"):
        texts = [document.get("body") or ""]
        for attachment in page.get_search_attachments() or ():
            file = getattr(attachment, "file", attachment)
            texts.append(extract_text(file, getattr(file, "name", None)))
        document["body"] = "\n".join(text for text in texts if text)
    return document


def documents(pages):
    for page in pages:
        document = search_document(page)
        if document is not None:
            yield document
