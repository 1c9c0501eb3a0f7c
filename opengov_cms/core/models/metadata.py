"""The metadata every disclosed page carries (DisclosureMetadata), and the index-number
registry behind it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from opengov_cms.core.document_numbers import normalise_document_number, validate_document_number
from opengov_cms.core.forms import DisclosurePageForm
from opengov_cms.core.models.taxonomies import DisclosureAttribute, Validity
from opengov_cms.core.panels import ConfidentialityReviewPanel


class IndexNumberSequence(models.Model):
    """The last sequence number given out for an organisation and year."""

    organisation = models.ForeignKey(
        "opengov_core.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="opengov_core_seq_org_year"
            )
        ]

    def __str__(self):
        return f"{self.organisation_id}/{self.year}: {self.last_value}"


class IndexNumber(models.Model):
    """Every index number ever given out; the row stays when its page is deleted."""

    value = models.CharField(_("索引号"), max_length=100, unique=True)
    organisation = models.ForeignKey(
        "opengov_core.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    year = models.PositiveSmallIntegerField(null=True)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("索引号")
        verbose_name_plural = _("索引号")
        permissions = [("edit_index_number", _("可以修改索引号"))]

    def __str__(self):
        return self.value


class DisclosureMetadata(models.Model):
    """The metadata of a disclosed item (政府信息公开目录的元数据), for page types to mix in.

    Mix it in before ``Page``: ``class MyPage(DisclosureMetadata, Page)``.
    """

    index_number = models.CharField(
        _("索引号"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("首次发布时自动生成；修改需要相应权限。"),
    )
    organisation = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("发布机构"),
        null=True,
        blank=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    topic = models.ForeignKey(
        "opengov_core.Topic",
        verbose_name=_("主题分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    genre = models.ForeignKey(
        "opengov_core.Genre",
        verbose_name=_("文种"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document_kind = models.ForeignKey(
        "opengov_core.DocumentKind",
        verbose_name=_("文件类型"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    keywords = models.CharField(_("主题词"), max_length=200, blank=True)
    summary = models.TextField(_("内容概述"), blank=True)
    document_number = models.CharField(
        _("文号"),
        max_length=100,
        blank=True,
        db_index=True,
        validators=[validate_document_number],
        help_text=_("例如 国办发〔2019〕14号；方括号、圆括号会统一为〔〕。"),
    )
    written_date = models.DateField(_("成文日期"), null=True, blank=True)
    publication_date = models.DateField(
        _("发布日期"), null=True, blank=True, help_text=_("不填则取首次发布的日期。")
    )
    disclosure_attribute = models.CharField(
        _("公开属性"),
        max_length=20,
        choices=DisclosureAttribute.choices,
        default=DisclosureAttribute.PROACTIVE,
    )
    non_disclosure_reason = models.ForeignKey(
        "opengov_core.NonDisclosureReason",
        verbose_name=_("不予主动公开理由"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    validity = models.CharField(
        _("有效性"), max_length=20, choices=Validity.choices, default=Validity.VALID
    )
    validity_date = models.DateField(
        _("有效性变更日期"), null=True, blank=True, help_text=_("修改、废止或失效的日期。")
    )

    metadata_panels = [
        MultiFieldPanel(
            [
                FieldPanel("index_number", permission="opengov_core.edit_index_number"),
                FieldPanel("assign_index_number_now"),
                FieldPanel("organisation"),
                FieldRowPanel(
                    [FieldPanel("topic"), FieldPanel("genre"), FieldPanel("document_kind")]
                ),
                FieldPanel("document_number"),
                FieldRowPanel([FieldPanel("written_date"), FieldPanel("publication_date")]),
                FieldPanel("keywords"),
                FieldPanel("summary"),
                FieldRowPanel(
                    [FieldPanel("disclosure_attribute"), FieldPanel("non_disclosure_reason")]
                ),
                FieldRowPanel([FieldPanel("validity"), FieldPanel("validity_date")]),
            ],
            heading=_("公开目录元数据"),
        ),
        ConfidentialityReviewPanel(),
    ]

    base_form_class = DisclosurePageForm
    # A copy is another document: it is given a number of its own when it is published.
    exclude_fields_in_copy = ["index_number"]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        from opengov_cms.core.index_numbers import allocate_index_number, record_index_number
        from opengov_cms.core.models import IndexNumber

        # Information that is not 主动公开 never reaches the public site, whichever path
        # (admin, workflow, scheduled publishing, code) tries to publish it.
        if self.live and not self.is_publicly_disclosable:
            self.live = False
        if self.live and self.publication_date is None:
            self.publication_date = timezone.localdate()
        if self.document_number:
            self.document_number = normalise_document_number(self.document_number)
        if not self.index_number and self.pk is not None:
            # Revisions made before the number was given out do not carry it.
            self.index_number = (
                IndexNumber.objects.filter(page_id=self.pk)
                .order_by("-pk")
                .values_list("value", flat=True)
                .first()
                or ""
            )
        wants_number = self.live or getattr(self, "_assign_index_number", False)
        super().save(*args, **kwargs)
        if self.alias_of_id:
            return  # an alias shows its source, index number included
        if not self.index_number and wants_number and self.organisation_id:
            self.index_number = allocate_index_number(self)
            type(self).objects.filter(pk=self.pk).update(index_number=self.index_number)
        elif self.index_number:
            record_index_number(self, self.index_number)

    def clean(self):
        super().clean()
        errors = {}
        if self.document_number:
            try:
                self.document_number = normalise_document_number(self.document_number)
            except ValidationError as error:
                errors["document_number"] = error.messages
        if self.disclosure_attribute != DisclosureAttribute.PROACTIVE:
            if self.non_disclosure_reason_id is None:
                errors["non_disclosure_reason"] = [
                    _("公开属性不是“主动公开”时，请选择不予主动公开的理由。")
                ]
        elif self.non_disclosure_reason_id is not None:
            errors["non_disclosure_reason"] = [_("主动公开的信息不需要填写不予主动公开理由。")]
        if self.validity != Validity.VALID and self.validity_date is None:
            errors["validity_date"] = [_("有效性为已修改、已废止或已失效时，请填写变更日期。")]
        if (
            self.written_date
            and self.publication_date
            and self.publication_date < self.written_date
        ):
            errors["publication_date"] = [_("发布日期不能早于成文日期。")]
        if self.index_number:
            from opengov_cms.core.models import IndexNumber

            taken = IndexNumber.objects.filter(value=self.index_number)
            if self.pk is not None:
                taken = taken.exclude(page_id=self.pk)
            if self.alias_of_id:
                taken = taken.exclude(page_id=self.alias_of_id)
            if taken.exists():
                errors["index_number"] = [_("该索引号已被使用过，索引号不能重复使用。")]
        if errors:
            raise ValidationError(errors)

    def assign_index_number(self):
        """Give the page its index number now, before it is published (an editor's choice)."""
        self._assign_index_number = True

    @property
    def is_publicly_disclosable(self):
        return self.disclosure_attribute == DisclosureAttribute.PROACTIVE

    @property
    def year(self):
        date = self.publication_date or self.written_date
        return date.year if date else None

    @classmethod
    def display_queryset(cls):
        """The pages with the metadata their public page shows, read in the same query."""
        return cls._default_manager.select_related("organisation", "topic__parent", "genre")
