"""Organisations (机构) that publish information and answer requests."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from opengov_cms.core.validators import validate_credit_code, validate_org_code


class Organisation(index.Indexed, models.Model):
    """机构: an agency, or a department or 科室 under one (``parent``)."""

    name = models.CharField(_("机构名称"), max_length=200, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18位，含校验码。与组织机构代码至少填写一项；索引号使用此代码。"),
    )
    organisation_code = models.CharField(
        _("组织机构代码"),
        max_length=10,
        blank=True,
        validators=[validate_org_code],
        help_text=_("尚无统一社会信用代码的机构填写，例如 12345678-9。"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("credit_code"),
        FieldPanel("organisation_code"),
        FieldPanel("parent"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def code(self):
        """The code index numbers start with: the credit code, else the organisation code."""
        return self.credit_code or self.organisation_code.replace("-", "")

    def clean(self):
        super().clean()
        self.credit_code = self.credit_code.strip().upper()
        self.organisation_code = self.organisation_code.strip().upper()
        if not self.credit_code and not self.organisation_code:
            raise ValidationError(
                {"credit_code": _("请填写统一社会信用代码或组织机构代码，至少一项。")}
            )
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("上级机构不能是本机构或其下级机构。")})
            ancestor = ancestor.parent
