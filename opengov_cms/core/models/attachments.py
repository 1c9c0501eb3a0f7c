"""Files published with a page (附件), for page types to subclass with their ParentalKey."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.documents import get_document_model_string
from wagtail.models import Orderable


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
