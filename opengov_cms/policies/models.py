"""Policy documents (政策文件), interpretations (政策解读) and consultations (征求意见)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from opengov_cms.core.pages import OpengovPageMixin


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
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    class Meta:
        abstract = True

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


class ConsultationPage(AbstractConsultationPage):
    template = "opengov_policies/consultation_page.html"

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
