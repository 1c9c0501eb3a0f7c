"""Policy documents (政策文件), their interpretations (政策解读) and consultations on drafts
(征求意见)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageLogEntry
from wagtail.search import index

from opengov_cms.catalogue.kept import KeptPartsMixin
from opengov_cms.core.forms import OrganisationPageForm
from opengov_cms.core.models import AbstractAttachment, DisclosureMetadata, Validity
from opengov_cms.core.pages import OpengovPageMixin, public_pages
from opengov_cms.core.statements import PageRows
from opengov_cms.policies.blocks import InterpretationBlock
from opengov_cms.search.mixins import SearchAttachmentsMixin

DISCLOSED_PARENTS = ["opengov_catalogue.CatalogueIndexPage", "opengov_catalogue.CatalogueYearPage"]
# The original of a policy document is published as PDF, DOCX or OFD (版式文件).
POLICY_FILE_EXTENSIONS = ("pdf", "docx", "doc", "ofd", "wps")


class ConsultationStatus(models.TextChoices):
    UPCOMING = "upcoming", _("未开始")
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("已结束")


class AbstractConsultationPage(OpengovPageMixin, Page):
    """征求意见: a draft put to the public for comment during a period."""

    organisation = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("征集单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opens_at = models.DateTimeField(_("征集开始时间"))
    closes_at = models.DateTimeField(_("征集结束时间"))
    summary = models.TextField(_("内容概述"), blank=True)
    body = RichTextField(_("征求意见稿"))
    drafting_explanation = RichTextField(_("起草说明"), blank=True)
    results = RichTextField(
        _("征集结果"),
        blank=True,
        help_text=_("征集结束后填写：收到意见的数量与采纳情况，或未收到意见的说明。"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("organisation"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")])],
            heading=_("征集时间"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("drafting_explanation"),
        FieldPanel("results"),
    ]
    base_form_class = OrganisationPageForm
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    class Meta:
        abstract = True

    def get_search_document(self):
        from opengov_cms.search.documents import consultation_document

        return consultation_document(self)

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("征集结束时间应晚于开始时间。")})

    def status_at(self, moment):
        if moment < self.opens_at:
            return ConsultationStatus.UPCOMING
        if moment < self.closes_at:
            return ConsultationStatus.OPEN
        return ConsultationStatus.CLOSED

    @property
    def status(self):
        return self.status_at(timezone.now())

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            from opengov_cms.policies.comments import receive_comment

            return receive_comment(self, request, super().serve)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, comment_form=None, comment_error=None, **kwargs):
        from opengov_cms.policies.comments import adoption_summary
        from opengov_cms.policies.forms import CommentForm

        context = super().get_context(request, *args, **kwargs)
        is_open = self.status == ConsultationStatus.OPEN
        context["comment_form"] = comment_form or (CommentForm() if is_open else None)
        context["comment_error"] = comment_error
        context["comment_sent"] = request.GET.get("submitted") == "1"
        context["published_comments"] = self.comments.filter(status=CommentStatus.PUBLISHED)
        context["adoption_summary"] = adoption_summary(self)
        return context


class ConsultationPage(AbstractConsultationPage):
    template = "opengov_policies/consultation_page.html"

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")


class SynchronisedPublicationMixin:
    """三同步: a policy that needs an interpretation and its interpretations go live
    together. Whichever is approved first waits (a HeldPublication); the second to be
    approved releases both. This is enforced where every path publishes: the page's
    ``publish`` (the admin, workflow approval, scheduled publishing and code all call it)."""

    def publish(self, revision, *args, **kwargs):
        from opengov_cms.policies import sync

        return sync.publish(self, revision, super().publish, *args, **kwargs)

    def save(self, *args, **kwargs):
        from opengov_cms.policies import sync

        # A page saved live by code, not through publish, is held back the same way.
        if self.live and sync.must_wait(self):
            already_live = self.pk and type(self).objects.filter(pk=self.pk, live=True).exists()
            if not already_live:
                self.live = False
        return super().save(*args, **kwargs)


class AbstractPolicyDocumentPage(
    KeptPartsMixin, SynchronisedPublicationMixin, DisclosureMetadata, OpengovPageMixin, Page
):
    """政策文件: a rule, normative document or other policy, with its original file."""

    body = RichTextField(_("正文"))
    drafting_explanation = RichTextField(_("起草说明"), blank=True)
    effective_date = models.DateField(_("实施日期"), null=True, blank=True)
    expiry_date = models.DateField(
        _("失效日期"),
        null=True,
        blank=True,
        help_text=_("到期后每日任务自动将有效性改为“已失效”。"),
    )
    amended_by = models.ForeignKey(
        "self",
        verbose_name=_("修改文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    repealed_by = models.ForeignKey(
        "self",
        verbose_name=_("废止文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    needs_interpretation = models.BooleanField(
        _("需要同步解读"),
        default=False,
        help_text=_("勾选后，须至少有一篇关联的解读审核通过，文件与解读同步发布（三同步）。"),
    )
    consultation = models.ForeignKey(
        "opengov_policies.ConsultationPage",
        verbose_name=_("征求意见"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("起草时公开征求意见的页面，其征集结果将在文件页链接。"),
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("document_number"),
        index.SearchField("index_number"),
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = {}
        if self.validity == Validity.AMENDED and not self.amended_by_id:
            errors["amended_by"] = [_("有效性为“已修改”时，请选择修改它的文件。")]
        if self.validity == Validity.REPEALED and not self.repealed_by_id:
            errors["repealed_by"] = [_("有效性为“已废止”时，请选择废止它的文件。")]
        if self.pk and self.pk in (self.amended_by_id, self.repealed_by_id):
            errors["amended_by"] = [_("文件不能修改或废止它自己。")]
        if self.expiry_date and self.effective_date and self.expiry_date <= self.effective_date:
            errors["expiry_date"] = [_("失效日期应晚于实施日期。")]
        if errors:
            raise ValidationError(errors)

    def get_search_document(self):
        from opengov_cms.catalogue.documents import search_document

        return search_document(self, body_html=self.body)

    def interpretations(self):
        """The live interpretations of this document, in the order each gives its documents.

        The links are read first: most documents have none, and then the pages and their
        view restrictions are not asked for at all (nor is a query for none built, which
        costs Django as much as building one that runs)."""
        links = [interpretation for (interpretation,) in _interpretation_links(self.pk)]
        if not links:
            return []
        interpretations = InterpretationPage.objects.live().filter(
            pk__in=links,
            alias_of__isnull=True,  # an alias is the same interpretation
        )
        return list(public_pages(interpretations))

    def replaced_by(self):
        """The document that amended or repealed this one, if it is published and public.

        An editor may choose a document that is still a draft or in a private section; its
        title and address are not shown until it is published where everyone may read it."""
        target = {
            Validity.AMENDED: self.amended_by_id,
            Validity.REPEALED: self.repealed_by_id,
        }.get(self.validity)
        if not target:
            return None
        model = self._meta.get_field("amended_by").related_model
        return public_pages(model.objects.live().filter(pk=target)).first()

    def publication_history(self):
        """The time of every publication of this document (its version history)."""
        return [published for (published,) in _publications(self.pk)]

    kept_parts = ("breadcrumbs", "metadata", "attachments", "policy-links")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only where the template asks: the default one keeps what it renders of them
        # (``{% kept %}``, opengov_cms.catalogue.kept).
        context["interpretations"] = self.interpretations
        context["history"] = self.publication_history
        return context


class PolicyDocumentPage(SearchAttachmentsMixin, AbstractPolicyDocumentPage):
    template = "opengov_policies/policy_document_page.html"
    parent_page_types = DISCLOSED_PARENTS
    subpage_types = []
    content_panels = [
        *Page.content_panels,
        *DisclosureMetadata.metadata_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("effective_date"), FieldPanel("expiry_date")]),
                FieldRowPanel([FieldPanel("amended_by"), FieldPanel("repealed_by")]),
                FieldPanel("needs_interpretation"),
                FieldPanel("consultation"),
            ],
            heading=_("政策文件"),
        ),
        FieldPanel("body"),
        FieldPanel("drafting_explanation"),
        InlinePanel("attachments", label=_("原文件")),
    ]

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")

    def attachment_list(self):
        """The original files with their documents, read where the page shows them: a view
        whose list is kept (``{% kept %}``) does not read them."""
        return PolicyAttachment.for_page(self)


class PolicyAttachment(AbstractAttachment):
    """The original file of a policy document (PDF, DOCX or OFD)."""

    page = ParentalKey(PolicyDocumentPage, related_name="attachments", on_delete=models.CASCADE)

    class Meta(AbstractAttachment.Meta):
        verbose_name = _("原文件")
        verbose_name_plural = _("原文件")

    def clean(self):
        super().clean()
        if self.document_id and self.document.file_extension.lower() not in POLICY_FILE_EXTENSIONS:
            raise ValidationError(
                {"document": _("原文件只能是 PDF、DOCX 或 OFD 格式，请重新选择。")}
            )


class InterpretationForm(models.TextChoices):
    """解读形式."""

    TEXT = "text", _("文字解读")
    GRAPHIC = "graphic", _("图解")
    AUDIO = "audio", _("音频")
    VIDEO = "video", _("视频")
    MEDIA_INTERVIEW = "media_interview", _("媒体访谈")
    ONLINE_INTERVIEW = "online_interview", _("在线访谈")
    EXPERT = "expert", _("专家解读")


class AbstractInterpretationPage(
    KeptPartsMixin, SynchronisedPublicationMixin, DisclosureMetadata, OpengovPageMixin, Page
):
    """政策解读: explains one or more policy documents, in text, graphics, audio or video."""

    form = models.CharField(
        _("解读形式"),
        max_length=20,
        choices=InterpretationForm.choices,
        default=InterpretationForm.TEXT,
    )
    interpreter = models.CharField(_("解读人"), max_length=100, blank=True)
    body = StreamField(InterpretationBlock(), verbose_name=_("解读内容"), blank=True)

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    kept_parts = ("breadcrumbs",)

    class Meta:
        abstract = True

    def get_search_document(self):
        from opengov_cms.catalogue.documents import search_document

        return search_document(self, body_html=str(self.body))

    def documents(self):
        """The published, public documents this interpretation explains, in the editor's
        order; one in a draft or a private section is not listed."""
        links = self.interpreted_documents.all()
        prefetched = "interpreted_documents" in getattr(self, "_prefetched_objects_cache", {})
        if prefetched:  # read with the page (display_queryset)
            return [link.document for link in links]
        if isinstance(links, models.QuerySet):
            return [link.document for link in public_links(links)]
        # A preview's links are held in memory, in the editor's order.
        return [link.document for link in links if link.document_id and link.document.live]


class InterpretationPage(AbstractInterpretationPage):
    template = "opengov_policies/interpretation_page.html"
    parent_page_types = DISCLOSED_PARENTS
    subpage_types = []
    content_panels = [
        *Page.content_panels,
        InlinePanel("interpreted_documents", label=_("解读的文件"), min_num=1),
        FieldRowPanel([FieldPanel("form"), FieldPanel("interpreter")]),
        *DisclosureMetadata.metadata_panels,
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")

    @classmethod
    def display_queryset(cls):
        links = public_links(InterpretationLink.objects.all())
        return super().display_queryset().prefetch_related(Prefetch("interpreted_documents", links))


def public_links(links):
    """Links to documents that are published and public, with their documents, in the
    editor's order; links made without one (by a script, or before any was given) in the
    order they were made."""
    links = links.filter(document__live=True).select_related("document")
    return public_pages(links, path="document__path").order_by("sort_order", "pk")


class InterpretationLink(Orderable):
    """One document an interpretation explains, in the order the editor gives."""

    interpretation = ParentalKey(
        InterpretationPage, related_name="interpreted_documents", on_delete=models.CASCADE
    )
    document = models.ForeignKey(
        PolicyDocumentPage,
        verbose_name=_("政策文件"),
        on_delete=models.CASCADE,
        related_name="interpretation_links",
    )

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("解读的文件")
        verbose_name_plural = _("解读的文件")
        constraints = [
            models.UniqueConstraint(
                fields=["interpretation", "document"], name="opengov_policies_link_unique"
            )
        ]


class HeldPublication(models.Model):
    """A revision approved for publication but waiting for its partner (三同步)."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    held_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.page_id}: {self.revision_id}"


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    PUBLISHED = "published", _("已公开")
    REJECTED = "rejected", _("不予公开")


class Adoption(models.TextChoices):
    """采纳情况."""

    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("不采纳")


class ConsultationComment(models.Model):
    """A comment the public sent on a consultation, held for moderation, and the staff's
    decision on adopting it (采纳 / 部分采纳 / 不采纳) with the reason."""

    consultation = models.ForeignKey(
        ConsultationPage,
        verbose_name=_("征求意见"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    name = models.CharField(_("姓名或单位"), max_length=100, blank=True)
    contact = models.CharField(_("联系方式"), max_length=200, blank=True)
    body = models.TextField(_("意见内容"))
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    likely_automated = models.BooleanField(
        _("疑似自动提交"),
        default=False,
        help_text=_("填写用时短于设置的最短时间，或表单标记无效；请人工判断。"),
    )
    fill_seconds = models.FloatField(_("填写用时（秒）"), null=True, blank=True)
    status = models.CharField(
        _("审核状态"), max_length=20, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    adoption = models.CharField(_("采纳情况"), max_length=20, choices=Adoption.choices, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    panels = [
        FieldPanel("consultation", read_only=True),
        FieldPanel("body", read_only=True),
        FieldPanel("status"),
        FieldPanel("adoption"),
        FieldPanel("reason"),
    ]

    class Meta:
        verbose_name = _("征求意见反馈")
        verbose_name_plural = _("征求意见反馈")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["consultation", "status"])]

    def __str__(self):
        return self.body[:30]

    def clean(self):
        super().clean()
        if self.adoption and self.adoption != Adoption.ADOPTED and not self.reason.strip():
            raise ValidationError({"reason": _("部分采纳或不采纳时，请说明理由。")})


# Read on a policy document's first view (``opengov_cms.core.statements``).
_interpretation_links = PageRows(
    InterpretationLink,
    lambda key: InterpretationLink.objects.filter(document_id=key).values_list("interpretation_id"),
)
_publications = PageRows(
    PageLogEntry,
    lambda key: (
        PageLogEntry.objects.filter(page_id=key, action="wagtail.publish")
        .order_by("-timestamp")
        .values_list("timestamp")[:50]
    ),
)
