"""What a page type adds to be searched by the text of its attachments."""


class SearchAttachmentsMixin:
    """Search a page by the text of its ``attachments`` (附件, rows of an AbstractAttachment
    subclass with ``related_name="attachments"``): their PDF and DOCX files are read when the
    page is indexed, in the indexing job."""

    @classmethod
    def read_search_attachments(cls, pages):
        """Read the attached documents of many pages of this type in one query and keep
        each page's list on it, for ``get_search_attachments``: a rebuild's chunk of pages
        then costs one query for them, and no queryset per page (as ``prefetch_related``
        makes)."""
        relation = cls._meta.get_field("attachments")
        key = relation.field.attname
        kept = {page.pk: [] for page in pages}
        rows = relation.related_model.objects.filter(**{f"{key}__in": list(kept)})
        for row in rows.select_related("document"):
            kept[getattr(row, key)].append(row.document)
        for page in pages:
            page._search_attachments = kept[page.pk]

    def get_search_attachments(self):
        kept = getattr(self, "_search_attachments", None)
        if kept is not None:
            return kept
        return [attachment.document for attachment in self.attachments.all()]
