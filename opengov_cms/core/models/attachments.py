"""Files published with a page (附件), for page types to subclass with their ParentalKey."""

from django.db import connections, models, router
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

    @classmethod
    def for_page(cls, page):
        """The page's attachments in order, each with its document, read in one statement.

        The statement is written once per model and database rather than built by a
        queryset: a page view reads the files whenever it makes its list of them, and
        building the query cost several times running it. A page that holds its
        attachments in memory (a preview, a revision) gives those."""
        relation = cls._meta.get_field("page").remote_field.get_accessor_name()
        if page.pk is None or relation in getattr(page, "_cluster_related_objects", {}):
            return list(getattr(page, relation).select_related("document"))
        alias = router.db_for_read(cls, instance=page)
        sql, own, theirs = cls._for_page_statement(alias)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, [page.pk])
            rows = cursor.fetchall()
        document_model = cls._meta.get_field("document").related_model
        attachments = []
        for row in rows:
            attachment = cls.from_db(alias, own, row[: len(own)])
            attachment.document = document_model.from_db(alias, theirs, row[len(own) :])
            attachments.append(attachment)
        return attachments

    @classmethod
    def _for_page_statement(cls, alias):
        statements = cls.__dict__.get("_for_page_statements")
        if statements is None:
            statements = {}
            cls._for_page_statements = statements
        if alias not in statements:
            quote = connections[alias].ops.quote_name
            document_field = cls._meta.get_field("document")
            document_meta = document_field.related_model._meta
            own = [field.attname for field in cls._meta.concrete_fields]
            theirs = [field.attname for field in document_meta.concrete_fields]
            columns = [f"a.{quote(field.column)}" for field in cls._meta.concrete_fields]
            columns += [f"d.{quote(field.column)}" for field in document_meta.concrete_fields]
            order = cls._meta.get_field("sort_order").column
            statements[alias] = (
                f"SELECT {', '.join(columns)} FROM {quote(cls._meta.db_table)} a"
                f" JOIN {quote(document_meta.db_table)} d"
                f" ON d.{quote(document_meta.pk.column)} = a.{quote(document_field.column)}"
                f" WHERE a.{quote(cls._meta.get_field('page').column)} = %s"
                f" ORDER BY a.{quote(order)}, a.{quote(cls._meta.pk.column)}",
                own,
                theirs,
            )
        return statements[alias]
