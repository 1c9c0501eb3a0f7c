"""The database backend's documents (检索文档) and the site's domain terms (检索词典)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

VALIDITY_CHOICES = [
    ("valid", _("有效")),
    ("amended", _("已修改")),
    ("repealed", _("已废止")),
    ("expired", _("已失效")),
]

#: At equal relevance a valid document ranks first and a repealed one last.
VALIDITY_RANK = {"valid": 0, "amended": 1, "expired": 2, "repealed": 3}


class SearchTerm(models.Model):
    """A domain term (领域词) of the site's dictionary (检索词典), such as 三同步 or 非遗.

    The term and its equivalents go into jieba's dictionary, which only changes how results
    are ranked: matching is by character bigrams and finds any word whether or not it is
    listed here. The equivalents (同义词、简称或全称) widen a query when it is analysed: a
    query holding any wording of the entry also finds the documents that use another
    (非遗 finds 非物质文化遗产, and the other way round), on every backend, without a new
    index.
    """

    term = models.CharField(_("词语"), max_length=50, unique=True)
    weight = models.PositiveIntegerField(
        _("词频"),
        null=True,
        blank=True,
        help_text=_("留空时自动计算，能保证该词被切分出来；数值越大越倾向于作为整词。"),
    )
    equivalents = models.TextField(
        _("同义词、简称或全称"),
        blank=True,
        help_text=_(
            "每行一个写法。检索词语或其中任一写法时，也找出使用其他写法的文件；"
            "保存后一分钟内生效，无需重建索引。"
        ),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    panels = [
        FieldPanel("term"),
        FieldPanel("equivalents"),
        FieldPanel("weight"),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("检索词")
        verbose_name_plural = _("检索词典")
        ordering = ["term"]

    def __str__(self):
        return self.term

    def clean(self):
        from django.core.exceptions import ValidationError

        from opengov_cms.search.analysis import searchable, wordings

        super().clean()
        term = searchable(self.term).strip()
        lines = [w for w in wordings(self.equivalents) if w != term]
        if len(lines) > MAX_EQUIVALENTS:
            raise ValidationError(
                {
                    "equivalents": _("写法不能超过 %(limit)d 个，请删去一些。")
                    % {"limit": MAX_EQUIVALENTS}
                }
            )
        too_long = [w for w in lines if len(w) > MAX_EQUIVALENT_LENGTH]
        if too_long:
            raise ValidationError(
                {
                    "equivalents": _("“%(wording)s”超过 %(limit)d 个字，请改短或分成几行。")
                    % {"wording": too_long[0][:20], "limit": MAX_EQUIVALENT_LENGTH}
                }
            )
        self.equivalents = "\n".join(
            line.strip() for line in (self.equivalents or "").splitlines() if line.strip()
        )


#: Equivalents of one entry, at most, and the characters of one of them.
MAX_EQUIVALENTS = 20
MAX_EQUIVALENT_LENGTH = 60


class SearchDocument(models.Model):
    """One indexed document of the database backend.

    The analysed text lives beside it, in a table the migration makes for the database in
    use: an FTS5 table on SQLite, a tsvector column with a GIN index on PostgreSQL.
    """

    document_id = models.CharField(_("文档标识"), max_length=100, unique=True)
    title = models.TextField(_("标题"))
    summary = models.TextField(_("摘要"), blank=True)
    document_number = models.CharField(_("文号"), max_length=200, blank=True)
    document_number_key = models.CharField(max_length=200, blank=True, db_index=True)
    index_number = models.CharField(_("索引号"), max_length=200, blank=True)
    index_number_key = models.CharField(max_length=200, blank=True, db_index=True)
    organisation = models.CharField(_("发布机构"), max_length=200, blank=True)
    organisation_id = models.CharField(max_length=50, blank=True)
    topic = models.CharField(_("主题分类"), max_length=100, blank=True)
    genre = models.CharField(_("体裁"), max_length=100, blank=True)
    year = models.IntegerField(_("年份"), null=True, blank=True)
    validity = models.CharField(_("效力"), max_length=20, choices=VALIDITY_CHOICES, blank=True)
    validity_rank = models.PositiveSmallIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    url = models.CharField(_("链接"), max_length=2000, blank=True)
    date = models.CharField(_("发布日期"), max_length=32, blank=True, db_index=True)

    class Meta:
        verbose_name = _("检索文档")
        verbose_name_plural = _("检索文档")
        # A facet's value, then the row id: a search narrowed by a facet can read the
        # value's rows newest first and stop at the page, where it would otherwise test
        # matching rows for the value one by one (docs/scaling.md).
        indexes = [
            models.Index(fields=[name, "id"], name=f"opengov_search_{short}_newest")
            for name, short in (
                ("organisation", "org"),
                ("topic", "topic"),
                ("genre", "genre"),
                ("year", "year"),
                ("validity", "validity"),
                ("content_type", "ctype"),
            )
        ]

    def __str__(self):
        return self.title


class AdminSearchEntry(models.Model):
    """A page as editors search for it in the Wagtail admin (后台检索条目).

    Every page has one, drafts included: a live page is indexed with its published text, a
    page that is not live with the text of its latest revision. The analysed text lives beside
    it, as for SearchDocument: an FTS5 table on SQLite, a tsvector column on PostgreSQL.
    """

    page = models.OneToOneField(
        "wagtailcore.Page", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    document_number_key = models.CharField(max_length=200, blank=True, db_index=True)
    index_number_key = models.CharField(max_length=200, blank=True, db_index=True)

    class Meta:
        verbose_name = _("后台检索条目")
        verbose_name_plural = _("后台检索条目")

    def __str__(self):
        return str(self.page_id)


class PendingSearchUpdate(models.Model):
    """A change the search backend could not take when it happened (待同步的检索更新), such as
    a page published while the engine was down; the sync job applies it later."""

    document_id = models.CharField(_("文档标识"), max_length=100, unique=True)
    recorded_at = models.DateTimeField(_("记录时间"), auto_now=True)

    class Meta:
        verbose_name = _("待同步的检索更新")
        verbose_name_plural = _("待同步的检索更新")

    def __str__(self):
        return self.document_id
