"""Files published with a page (附件), for page types to subclass with their ParentalKey."""

from django.db import models, router
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.documents import get_document_model_string
from wagtail.models import Orderable

from opengov_cms.core.statements import PageRows


class AbstractAttachment(Orderable):
    """A document from the library, in the order the editor gives, with an optional title."""

    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("文件"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("显示名称"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        abstract = True

    @property
    def display_title(self):
        return self.title or self.document.title

    @classmethod
    def for_page(cls, page):
        """The page's attachments in order, each with its document, read in one statement
        compiled once per model (``opengov_cms.core.statements``). A page that holds its
        attachments in memory (a preview, a revision) gives those."""
        relation = cls._meta.get_field("page").remote_field.get_accessor_name()
        if page.pk is None or relation in getattr(page, "_cluster_related_objects", {}):
            return list(getattr(page, relation).select_related("document"))
        read = cls.__dict__.get("_for_page_rows")
        if read is None:
            read = cls._for_page_rows = cls._page_rows()
        statement, own, document_model, theirs = read
        # The database the statement runs on (``PageRows`` routes by the model alone).
        alias = router.db_for_read(cls)
        attachments = []
        for row in statement(page.pk):
            attachment = cls.from_db(alias, own, row[: len(own)])
            attachment.document = document_model.from_db(alias, theirs, row[len(own) :])
            attachments.append(attachment)
        return attachments

    @classmethod
    def _page_rows(cls):
        """The statement of the attachments of a page with their documents, and the fields
        its rows give of each model."""
        own = [field.attname for field in cls._meta.concrete_fields]
        document_model = cls._meta.get_field("document").related_model
        theirs = [field.attname for field in document_model._meta.concrete_fields]
        statement = PageRows(
            cls,
            lambda key: (
                cls.objects.filter(page_id=key)
                .order_by("sort_order", "pk")
                .values_list(*own, *(f"document__{name}" for name in theirs))
            ),
        )
        return statement, own, document_model, theirs
