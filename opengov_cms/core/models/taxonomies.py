"""Taxonomies of disclosed information: 主题分类, 文种, 文件类型, and the reasons for not
disclosing (Arts. 14–16). Editable snippets; `opengov_setup` loads the defaults."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class Taxonomy(models.Model):
    """A term with a stable ``code`` that code and reports refer to, and an editable name."""

    name = models.CharField(_("名称"), max_length=100)
    code = models.SlugField(_("代码"), max_length=60, unique=True, allow_unicode=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    panels = [FieldPanel("name"), FieldPanel("code"), FieldPanel("sort_order")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name


class Topic(Taxonomy):
    """主题分类: the State Council's subject classification, two levels deep."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级主题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    panels = [*Taxonomy.panels, FieldPanel("parent")]

    class Meta(Taxonomy.Meta):
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")

    def __str__(self):
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


class Genre(Taxonomy):
    """文种: the 15 kinds of official document (党政机关公文处理工作条例, Art. 8)."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("文种")
        verbose_name_plural = _("文种")


class DocumentKind(Taxonomy):
    """文件类型: 规章, 行政规范性文件 or 其他文件, as the annual report counts them."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("文件类型")
        verbose_name_plural = _("文件类型")


class DisclosureAttribute(models.TextChoices):
    """公开属性."""

    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    NOT_DISCLOSED = "not_disclosed", _("不予公开")


class NonDisclosureReason(Taxonomy):
    """Why information is not disclosed proactively, with the article it rests on."""

    article = models.CharField(_("依据条款"), max_length=50, help_text=_("例如：第十四条"))

    panels = [*Taxonomy.panels, FieldPanel("article")]

    class Meta(Taxonomy.Meta):
        verbose_name = _("不予主动公开理由")
        verbose_name_plural = _("不予主动公开理由")

    def __str__(self):
        return f"{self.name}（{self.article}）"


class Validity(models.TextChoices):
    """有效性."""

    VALID = "valid", _("有效")
    AMENDED = "amended", _("已修改")
    REPEALED = "repealed", _("已废止")
    EXPIRED = "expired", _("已失效")
