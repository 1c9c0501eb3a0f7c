"""Organisations (机构) that publish information and answer requests, with the contact data
the disclosure guide (公开指南) shows and their leaders (领导信息)."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from opengov_cms.core.validators import validate_credit_code, validate_org_code

validate_postcode = RegexValidator(r"^\d{6}$", _("邮政编码应为6位数字。"))
validate_phone = RegexValidator(
    r"^[0-9+\-() 转]{5,40}$", _("电话号码只能包含数字、空格、+、-、括号和“转”，例如 0564-3370000。")
)


class Organisation(index.Indexed, ClusterableModel):
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
    # Art. 3 ¶3 and Art. 49 ¶2 of the Regulations (Decree 711): the local government's
    # general office (办公厅/室) is the competent department of its area and publishes the
    # government's own annual report, covering the departments under it, by 31 March.
    is_competent_department = models.BooleanField(
        _("政府信息公开工作主管部门"),
        default=False,
        help_text=_(
            "本级人民政府办公厅（室）等政府信息公开工作主管部门：年度报告定时任务每年同时编制"
            "本级政府的汇总年度报告（本机构和所有下级机构的合计，条例第四十九条规定3月31日前"
            "公布）。各部门请在“上级机构”中选择本机构。"
        ),
    )
    functions = RichTextField(_("机构职能"), blank=True)

    # The disclosure guide's contact data (政府信息公开工作机构).
    office_name = models.CharField(_("信息公开工作机构"), max_length=200, blank=True)
    address = models.CharField(_("办公地址"), max_length=300, blank=True)
    office_hours = models.CharField(
        _("办公时间"),
        max_length=200,
        blank=True,
        help_text=_("例如：工作日 8:30—12:00，14:30—17:30"),
    )
    phone = models.CharField(_("联系电话"), max_length=40, blank=True, validators=[validate_phone])
    fax = models.CharField(_("传真"), max_length=40, blank=True, validators=[validate_phone])
    email = models.EmailField(_("电子邮箱"), blank=True)
    postcode = models.CharField(
        _("邮政编码"), max_length=6, blank=True, validators=[validate_postcode]
    )
    website = models.URLField(_("网站"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldRowPanel([FieldPanel("credit_code"), FieldPanel("organisation_code")]),
        FieldPanel("parent"),
        FieldPanel("is_competent_department"),
        FieldPanel("functions"),
        MultiFieldPanel(
            [
                FieldPanel("office_name"),
                FieldPanel("address"),
                FieldPanel("office_hours"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("fax")]),
                FieldRowPanel([FieldPanel("email"), FieldPanel("postcode")]),
                FieldPanel("website"),
            ],
            heading=_("公开指南联系方式"),
        ),
        InlinePanel("leaders", heading=_("领导信息"), label=_("领导")),
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


class Leader(Orderable):
    """领导信息: one leader of an organisation, in the order the editor gives."""

    organisation = ParentalKey(Organisation, related_name="leaders", on_delete=models.CASCADE)
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=100)
    duties = models.TextField(_("工作分工"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("照片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("title"), FieldPanel("duties"), FieldPanel("photo")]

    class Meta(Orderable.Meta):
        verbose_name = _("领导")
        verbose_name_plural = _("领导")

    def __str__(self):
        return f"{self.name}（{self.title}）"
