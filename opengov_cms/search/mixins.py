"""What a page type adds to be searched by the text of its attachments."""

from django.db.models import Prefetch


class SearchAttachmentsMixin:
    """Search a page by the text of its ``attachments`` (附件, rows of an AbstractAttachment
    subclass with ``related_name="attachments"``): their PDF and DOCX files are read when the
    page is indexed, in the indexing job."""

    @classmethod
    def search_attachments_prefetch(cls):
        """What a rebuild fetches for a whole chunk of pages, so reading attachments costs
        no query per page: the attachments with their documents, in one query."""
        attachment = cls._meta.get_field("attachments").related_model
        return Prefetch("attachments", attachment.objects.select_related("document"))

    def get_search_attachments(self):
        return [attachment.document for attachment in self.attachments.all()]
