"""Report pages (季度申请办理情况, 政府信息公开工作年度报告), the yearly figures staff enter for
them, and the record of reminders sent."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page, PagePermissionTester

from opengov_cms.conf import opengov_settings
from opengov_cms.core.models import DisclosureMetadata
from opengov_cms.core.pages import OpengovPageMixin
from opengov_cms.reports.forms import AnnualFiguresForm, ReportPageForm
from opengov_cms.reports.statistics import FIRST_YEAR, Period, compute, compute_combined

REPORT_PARENTS = ["opengov_catalogue.CatalogueIndexPage", "opengov_catalogue.CatalogueYearPage"]
YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(9999)]


def count_field(label):
    return models.PositiveIntegerField(label, default=0)


class AnnualFigures(models.Model):
    """年度报告统计数据: what an annual report's tables 2 and 4 need that no record in the
    site holds, entered by staff for one organisation and year."""

    organisation = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("机构"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    # Table 2: 第二十条第（五）、（六）、（八）项.
    licensing = count_field(_("行政许可：本年处理决定数量"))
    penalty = count_field(_("行政处罚：本年处理决定数量"))
    enforcement = count_field(_("行政强制：本年处理决定数量"))
    fees = models.DecimalField(
        _("行政事业性收费：本年收费金额（万元）"),
        max_digits=14,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0)],
    )
    # Table 4: 行政复议, 行政诉讼 (未经复议直接起诉, 复议后起诉); the totals are summed.
    review_upheld = count_field(_("结果维持"))
    review_corrected = count_field(_("结果纠正"))
    review_other = count_field(_("其他结果"))
    review_pending = count_field(_("尚未审结"))
    litigation_direct_upheld = count_field(_("结果维持"))
    litigation_direct_corrected = count_field(_("结果纠正"))
    litigation_direct_other = count_field(_("其他结果"))
    litigation_direct_pending = count_field(_("尚未审结"))
    litigation_after_review_upheld = count_field(_("结果维持"))
    litigation_after_review_corrected = count_field(_("结果纠正"))
    litigation_after_review_other = count_field(_("其他结果"))
    litigation_after_review_pending = count_field(_("尚未审结"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    base_form_class = AnnualFiguresForm
    panels = [
        FieldRowPanel([FieldPanel("organisation"), FieldPanel("year")]),
        MultiFieldPanel(
            [
                FieldPanel("licensing"),
                FieldRowPanel([FieldPanel("penalty"), FieldPanel("enforcement")]),
                FieldPanel("fees"),
            ],
            heading=_("二、主动公开政府信息情况（规章和行政规范性文件由政策文件自动统计）"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("review_upheld"),
                        FieldPanel("review_corrected"),
                        FieldPanel("review_other"),
                        FieldPanel("review_pending"),
                    ]
                )
            ],
            heading=_("四、行政复议"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("litigation_direct_upheld"),
                        FieldPanel("litigation_direct_corrected"),
                        FieldPanel("litigation_direct_other"),
                        FieldPanel("litigation_direct_pending"),
                    ]
                )
            ],
            heading=_("四、行政诉讼：未经复议直接起诉"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("litigation_after_review_upheld"),
                        FieldPanel("litigation_after_review_corrected"),
                        FieldPanel("litigation_after_review_other"),
                        FieldPanel("litigation_after_review_pending"),
                    ]
                )
            ],
            heading=_("四、行政诉讼：复议后起诉"),
        ),
    ]

    class Meta:
        verbose_name = _("年度报告统计数据")
        verbose_name_plural = _("年度报告统计数据")
        ordering = ["-year", "organisation__name"]
        permissions = [("enter_all_annualfigures", _("可录入所有机构的年度报告统计数据"))]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="opengov_reports_one_figures_a_year",
                violation_error_message=_(
                    "这个机构这一年度的统计数据已经录入过，请修改已有的记录。"
                ),
            )
        ]

    def __str__(self):
        return _("%(organisation)s %(year)s年度") % {
            "organisation": self.organisation,
            "year": self.year,
        }


class AnnualReportReminder(models.Model):
    """A reminder that an annual report is due went out; the constraint makes it once."""

    organisation = models.ForeignKey(
        "opengov_core.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="opengov_reports_one_reminder_a_year"
            )
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.year}"


class ReportPermissionTester(PagePermissionTester):
    """A report stands for its organisation and period, of which there is one: copying it
    would make a second."""

    def can_copy(self):
        return False


class AbstractReportPage(RoutablePageMixin, DisclosureMetadata, OpengovPageMixin, Page):
    """What both report pages share: the period, the figures as they were when the report
    was made (or last refreshed), their tables, and the downloads."""

    report_year = models.PositiveSmallIntegerField(_("报告年度"), validators=YEAR_VALIDATORS)
    statistics = models.JSONField(_("统计数据"), default=dict, blank=True, editable=False)
    statistics_updated_at = models.DateTimeField(
        _("统计时间"), null=True, blank=True, editable=False
    )

    download_formats = ("csv", "xlsx", "json")
    base_form_class = ReportPageForm

    class Meta:
        abstract = True

    @property
    def period(self):
        raise NotImplementedError

    # How the scheduled job makes a report of this type (opengov_cms.reports.publishing); a
    # type another app registers (opengov_cms.reports.registry) says its own.

    @classmethod
    def report_is_due(cls, organisation, period):
        """Whether the job makes this report for ``organisation`` and ``period``, once the
        period's report is due by the schedule."""
        return True

    @classmethod
    def report_section_slug(cls, period):
        """The slug of the catalogue section the report is filed in."""
        if period.is_annual:
            return opengov_settings.REPORTS_ANNUAL_SECTION
        return opengov_settings.REPORTS_QUARTERLY_SECTION

    @classmethod
    def report_title(cls, organisation, period):
        if period.is_annual:
            return gettext("%(organisation)s%(year)s年政府信息公开工作年度报告") % {
                "organisation": organisation.name,
                "year": period.year,
            }
        return gettext("%(organisation)s%(period)s政府信息公开申请办理情况") % {
            "organisation": organisation.name,
            "period": period.label,
        }

    @classmethod
    def report_summary(cls, organisation, period):
        if period.is_annual:
            return gettext(
                "%(organisation)s依据《中华人民共和国政府信息公开条例》编制的%(year)s年度报告。"
            ) % {"organisation": organisation.name, "year": period.year}
        return gettext("%(organisation)s%(period)s政府信息公开申请的收到和处理情况。") % {
            "organisation": organisation.name,
            "period": period.label,
        }

    @classmethod
    def report_slug(cls, period):
        if period.is_annual:
            return f"{period.year}-annual-report"
        return f"{period.year}-q{period.quarter}-requests"

    def refresh_statistics(self):
        """Count again from the current records (the form does this when asked)."""
        self.statistics = compute(self.organisation, self.period)
        self.statistics_updated_at = timezone.now()

    def tables(self):
        from opengov_cms.reports.tables import report_tables

        return report_tables(self.statistics or {}, caption=self.table_caption())

    def table_caption(self):
        return None

    def permissions_for_user(self, user):
        return ReportPermissionTester(user, self)

    def text_parts(self):
        """(heading, rich text) of the parts staff write, in the order the report shows them."""
        return []

    def get_search_document(self):
        from opengov_cms.catalogue.documents import search_document

        text = "\n".join(str(text) for _heading, text in self.text_parts() if text)
        return search_document(self, body_html=text)

    def downloads(self, request=None):
        base = self.get_url(request) or ""
        return [
            (fmt, base + self.reverse_subpage("download", args=[fmt]))
            for fmt in self.download_formats
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["tables"] = self.tables()
        context["downloads"] = self.downloads(request) if self.live else []
        return context

    @path("download/<str:fmt>/")
    def download(self, request, fmt):
        from opengov_cms.reports import exports

        if fmt not in self.download_formats or not self.statistics:
            raise Http404(_("没有这种格式的下载。"))
        return exports.download_response(self, fmt)


class AbstractQuarterlyReportPage(AbstractReportPage):
    """季度政府信息公开申请办理情况: the results of requests in one quarter (table 3)."""

    quarter = models.PositiveSmallIntegerField(
        _("季度"),
        choices=[(1, _("第一季度")), (2, _("第二季度")), (3, _("第三季度")), (4, _("第四季度"))],
    )
    intro = RichTextField(_("说明"), blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "report_year", "quarter"],
                name="%(app_label)s_%(class)s_one_per_quarter",
                violation_error_message=_(
                    "这个机构这一季度的报告已经存在，每个机构每个季度只有一份报告。"
                ),
            )
        ]

    @property
    def period(self):
        return Period(self.report_year, self.quarter)

    def table_caption(self):
        from opengov_cms.reports.tables import quarterly_caption

        return quarterly_caption(self.period)

    def text_parts(self):
        return [(None, self.intro)]


class AbstractAnnualReportPage(AbstractReportPage):
    """政府信息公开工作年度报告 (Arts. 49–50): the six parts, the tables counted from the
    records and the yearly figures, the text written by staff."""

    covers_organisations_below = models.BooleanField(
        _("汇总下级机构"),
        default=False,
        help_text=_(
            "全市（全区）年度报告：各统计表为本机构和其所有下级机构的合计。"
            "不勾选则为本机构自己的年度报告。"
        ),
    )
    overview = RichTextField(_("一、总体情况"), blank=True)
    problems = RichTextField(_("五、存在的主要问题及改进情况"), blank=True)
    other_matters = RichTextField(_("六、其他需要报告的事项"), blank=True)

    download_formats = ("csv", "xlsx", "json", "docx")

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "report_year", "covers_organisations_below"],
                name="%(app_label)s_%(class)s_one_per_year",
                violation_error_message=_(
                    "这个机构这一年度的年度报告已经存在，每个机构每年只有一份年度报告。"
                ),
            )
        ]

    @property
    def period(self):
        return Period(self.report_year)

    # The report of a competent department covering the organisations below it, as the
    # scheduled job makes it (opengov_cms.reports.publishing).

    @classmethod
    def city_report_title(cls, organisation, period):
        return gettext("%(organisation)s%(year)s年政府信息公开工作年度报告（汇总下级机构）") % {
            "organisation": organisation.name,
            "year": period.year,
        }

    @classmethod
    def city_report_summary(cls, organisation, period):
        return gettext(
            "%(organisation)s汇总本级和所有下级机构编制的%(year)s年政府信息公开工作年度报告。"
        ) % {"organisation": organisation.name, "year": period.year}

    @classmethod
    def city_report_slug(cls, period):
        return f"{period.year}-city-annual-report"

    def refresh_statistics(self):
        if not self.covers_organisations_below:
            return super().refresh_statistics()
        from opengov_cms.core.memberships import organisation_subtree_ids

        ids = organisation_subtree_ids([self.organisation_id])
        self.statistics = compute_combined(ids, self.period)
        self.statistics_updated_at = timezone.now()
        return None

    def text_parts(self):
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in ("overview", "problems", "other_matters")
        ]


def report_panels(*panels):
    from opengov_cms.reports.panels import StatisticsPanel

    return [
        *Page.content_panels,
        *panels[:1],
        MultiFieldPanel(
            [StatisticsPanel(), FieldPanel("refresh_statistics")],
            heading=_("统计表"),
        ),
        *panels[1:],
        *DisclosureMetadata.metadata_panels,
    ]


class QuarterlyReportPage(AbstractQuarterlyReportPage):
    template = "opengov_reports/quarterly_report_page.html"
    parent_page_types = REPORT_PARENTS
    subpage_types = []

    content_panels = report_panels(
        FieldRowPanel([FieldPanel("report_year"), FieldPanel("quarter")]), FieldPanel("intro")
    )

    class Meta(AbstractQuarterlyReportPage.Meta):
        verbose_name = _("季度申请办理情况")
        verbose_name_plural = _("季度申请办理情况")


class AnnualReportPage(AbstractAnnualReportPage):
    template = "opengov_reports/annual_report_page.html"
    parent_page_types = REPORT_PARENTS
    subpage_types = []

    content_panels = report_panels(
        FieldRowPanel([FieldPanel("report_year"), FieldPanel("covers_organisations_below")]),
        FieldPanel("overview"),
        FieldPanel("problems"),
        FieldPanel("other_matters"),
    )

    class Meta(AbstractAnnualReportPage.Meta):
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")
