"""The public's messages (网民留言) with their timeline, the message box page they are sent
through, the responses to public concerns (回应关切) and the quarterly statistics page."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from opengov_cms.catalogue.kept import KeptPartsMixin
from opengov_cms.conf import opengov_settings
from opengov_cms.core.models import DisclosureMetadata
from opengov_cms.core.pages import OpengovPageMixin, public_pages
from opengov_cms.core.redaction import redact
from opengov_cms.disclosure_requests import crypto
from opengov_cms.disclosure_requests.models import (
    DepartmentMembership,
    TrackingSequence,
    hash_query_code,
    query_code_matches,
    unknown_number_hash,
)
from opengov_cms.interaction.choices import (
    ACTION_LABELS,
    OPEN_STATES,
    Category,
    ResponseKind,
    State,
)
from opengov_cms.interaction.pages import AbstractMessageBoxPage
from opengov_cms.interaction.statistics import boxes_of, quarter_statistics
from opengov_cms.interaction.tables import quarter_tables
from opengov_cms.reports.models import REPORT_PARENTS, AbstractQuarterlyReportPage, report_panels

PERM_ALL = "opengov_interaction.view_all_messages"
#: What the public list shows of a message's text before "全文".
SUMMARY_LENGTH = 120


def make_tracking_number(organisation, year):
    """The next tracking number of ``organisation``'s messages of ``year``, from the same
    counters as applications' (TrackingSequence), in their own numbering scope."""
    pattern = opengov_settings.INTERACTION_TRACKING_NUMBER_PATTERN
    values = {"org_code": organisation.code, "year": year}
    seq = TrackingSequence.next_value(pattern.format(**values, seq=0))
    return pattern.format(**values, seq=seq)


class MessageQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def visible_to(self, user):
        """The messages ``user`` may handle: all with the site-wide permission, else those of
        the units (organisations) the user is entered for as 办理人员."""
        if not user.is_active:
            return self.none()
        if user.is_superuser or user.has_perm(PERM_ALL):
            return self
        units = DepartmentMembership.objects.filter(user=user).values("organisation")
        return self.filter(organisation__in=units)


#: The sender's data, encrypted at rest and never shown to the public.
CONTACT_FIELDS = ("name", "phone", "email")


class Message(models.Model):
    """网民留言: a message of the public (咨询、建议、投诉) to a unit, its handling on the
    working-day clock and its reply."""

    tracking_number = models.CharField(_("留言编号"), max_length=80, unique=True, editable=False)
    query_code_hash = models.CharField(max_length=128, editable=False)
    box = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("留言板"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("留言提交所在的留言板页面；公开的留言和答复显示在这里。"),
    )
    organisation = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="+",
        # The index on (organisation, received_on) below serves lookups by unit.
        db_index=False,
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.CharField(_("留言类别"), max_length=20, choices=Category.choices)
    # The sender writes personal data into the text too: all of it is encrypted.
    subject = crypto.EncryptedTextField(_("留言标题"))
    body = crypto.EncryptedTextField(_("留言内容"))
    name = crypto.EncryptedTextField(_("姓名"))
    phone = crypto.EncryptedTextField(_("联系电话"))
    email = crypto.EncryptedTextField(_("电子邮箱"), blank=True)
    publish_consent = models.BooleanField(
        _("同意公开"),
        default=False,
        help_text=_("留言人同意公开留言内容和答复（姓名和联系方式不公开）。"),
    )

    received_on = models.DateField(_("收到日期"))
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, editable=False)
    state = models.CharField(
        _("办理状态"), max_length=20, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    # The clock: reply_period working days after received_on (the setting for the category,
    # as it was on the day of receipt); due_date is stored for lists, filters and reminders,
    # empty while the year's holiday schedule is unknown.
    reply_period = models.PositiveSmallIntegerField(_("答复时限（工作日）"))
    due_date = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)

    reply = models.TextField(_("答复内容"), blank=True)
    reply_drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复起草人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    reply_working_days = models.PositiveSmallIntegerField(
        _("答复用时（工作日）"), null=True, blank=True
    )
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    public_subject = models.CharField(
        _("公开的标题"),
        max_length=200,
        blank=True,
        help_text=_("公开时显示的标题；不填则显示原标题。身份证号和手机号总会自动隐去。"),
    )
    public_body = models.TextField(
        _("公开的留言内容"),
        blank=True,
        help_text=_("公开时显示的留言内容，可删去姓名、住址等个人信息；不填则显示原文。"),
    )
    close_reason = models.TextField(_("不予受理理由"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并到"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_messages",
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)

    form_token = models.CharField(
        max_length=100, null=True, blank=True, unique=True, editable=False
    )
    likely_automated = models.BooleanField(
        _("疑似自动提交"),
        default=False,
        help_text=_("填写用时短于设置的最短时间；请人工判断，不影响答复期限。"),
    )
    fill_seconds = models.FloatField(_("填写用时（秒）"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("网民留言")
        verbose_name_plural = _("网民留言")
        ordering = ["-received_on", "-pk"]
        permissions = [
            ("view_all_messages", _("可查看和办理所有单位的网民留言")),
            ("review_message", _("可审核网民留言的答复")),
        ]
        indexes = [
            # Statistics count one set of units' messages received in a period.
            models.Index(fields=["organisation", "received_on"], name="opengov_msg_org_received"),
            # The public list of a message box: newest reply first.
            models.Index(
                fields=["box", "state", "-replied_on", "-id"], name="opengov_msg_box_list"
            ),
            models.Index(fields=["replied_on"], name="opengov_msg_replied"),
        ]

    def __str__(self):
        return self.tracking_number

    # Query code ------------------------------------------------------------------------

    def set_query_code(self, code):
        self.query_code_hash = hash_query_code(code)

    def check_query_code(self, code):
        return query_code_matches(code, self.query_code_hash)

    @classmethod
    def lookup(cls, tracking_number, code):
        """The message with this number and code, or None for any mismatch alike."""
        number = (tracking_number or "").strip()[:80]
        message = cls.objects.filter(tracking_number=number).first() if number else None
        if message is None:
            query_code_matches(code, unknown_number_hash())
            return None
        return message if message.check_query_code(code) else None

    # What the public sees: never the sender's name or contact details, and the text with
    # ID and mobile numbers hidden ---------------------------------------------------------

    @property
    def shown_subject(self):
        return redact(self.public_subject or self.subject)

    @property
    def shown_body(self):
        return redact(self.public_body or self.body)

    @property
    def shown_reply(self):
        return redact(self.reply)

    @property
    def shown_summary(self):
        text = " ".join(self.shown_body.split())
        return text if len(text) <= SUMMARY_LENGTH else text[:SUMMARY_LENGTH] + "…"

    # Staff lists --------------------------------------------------------------------------

    @property
    def masked_name(self):
        return crypto.mask_name(self.name)

    @property
    def masked_phone(self):
        return crypto.mask_phone(self.phone)

    @property
    def masked_email(self):
        return crypto.mask_email(self.email)

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    @property
    def is_overdue(self):
        """Still unanswered after its due date: marked in the staff lists and reminders."""
        return bool(self.is_open and self.due_date and self.due_date < timezone.localdate())

    @property
    def replied_on_time(self):
        if self.replied_on is None or self.due_date is None:
            return None
        return self.replied_on <= self.due_date


class MessageEvent(models.Model):
    """One entry of a message's timeline: received, assigned, transferred (转办, from one unit
    to another), a reply drafted, reviewed and sent, closed or merged."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("事项"), max_length=40)
    from_state = models.CharField(_("原状态"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=State.choices, blank=True)
    from_organisation = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("转出单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_organisation = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("转入单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    effective_on = models.DateField(_("日期"))
    due_date = models.DateField(_("答复期限"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.message} {self.action} {self.effective_on}"

    @property
    def label(self):
        return ACTION_LABELS.get(self.action, self.action)


class MessageReminderSent(models.Model):
    """A deadline reminder went out for a message on a day; the constraint makes it once."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "sent_on"], name="opengov_interaction_one_reminder_a_day"
            )
        ]

    def __str__(self):
        return f"{self.message_id} {self.sent_on}"


class MessageBoxPage(AbstractMessageBoxPage):
    """留言板 (领导信箱, 咨询投诉): the form, the published replies, the statistics."""

    template = "opengov_interaction/message_box_page.html"
    form_template = "opengov_interaction/message_form.html"
    confirmation_template = "opengov_interaction/message_confirmation.html"
    message_template = "opengov_interaction/message_detail.html"
    statistics_template = "opengov_interaction/message_statistics.html"

    class Meta:
        verbose_name = _("留言板")
        verbose_name_plural = _("留言板")


# 回应关切 ---------------------------------------------------------------------------------


class AbstractConcernResponsePage(KeptPartsMixin, DisclosureMetadata, OpengovPageMixin, Page):
    """回应关切: the agency's response to a public concern (情况通报, a 新闻发布会's record, a
    舆情回应), linked to the policy documents and the events it responds to. It is disclosed
    information: listed in its catalogue section, searched, in feeds and the API."""

    kind = models.CharField(
        _("回应形式"),
        max_length=30,
        choices=ResponseKind.choices,
        default=ResponseKind.BRIEFING,
    )
    concern = models.TextField(
        _("回应的社会关切"), help_text=_("公众关注的事项或舆情，一两句话说明。")
    )
    concern_date = models.DateField(
        _("关切出现日期"), null=True, blank=True, help_text=_("事件发生或舆情出现的日期。")
    )
    speakers = models.CharField(
        _("发布人"),
        max_length=200,
        blank=True,
        help_text=_("新闻发布会的发布人、情况通报或舆情回应的发布单位或人员。"),
    )
    body = RichTextField(_("回应内容"))

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("concern"),
        index.SearchField("body"),
    ]
    kept_parts = ("breadcrumbs", "metadata")

    class Meta:
        abstract = True

    def get_search_document(self):
        from opengov_cms.catalogue.documents import search_document

        return search_document(self, body_html=f"<p>{self.concern}</p>{self.body}")

    def documents(self):
        """The published, public policy documents this response links to, in the editor's
        order; one in a draft or a private section is not listed."""
        links = self.related_documents.all()
        if isinstance(links, models.QuerySet):
            links = links.filter(document__live=True).select_related("document")
            links = public_pages(links, path="document__path").order_by("sort_order", "pk")
            return [link.document for link in links]
        # A preview's links are held in memory, in the editor's order.
        return [link.document for link in links if link.document_id and link.document.live]


class ConcernResponsePage(AbstractConcernResponsePage):
    template = "opengov_interaction/concern_response_page.html"
    parent_page_types = [
        "opengov_catalogue.CatalogueIndexPage",
        "opengov_catalogue.CatalogueYearPage",
    ]
    subpage_types = []
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("concern_date")]),
                FieldPanel("concern"),
                FieldPanel("speakers"),
            ],
            heading=_("回应关切"),
        ),
        InlinePanel("related_documents", label=_("回应的政策文件")),
        InlinePanel("related_events", label=_("回应的事件")),
        *DisclosureMetadata.metadata_panels,
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("回应关切")
        verbose_name_plural = _("回应关切")


class ConcernDocumentLink(Orderable):
    """A policy document a response to a concern responds to or explains."""

    page = ParentalKey(
        ConcernResponsePage, related_name="related_documents", on_delete=models.CASCADE
    )
    document = models.ForeignKey(
        "opengov_policies.PolicyDocumentPage",
        verbose_name=_("政策文件"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("回应的政策文件")
        verbose_name_plural = _("回应的政策文件")


class ConcernEvent(Orderable):
    """An event or report the response answers (a news report, an incident, a post)."""

    page = ParentalKey(ConcernResponsePage, related_name="related_events", on_delete=models.CASCADE)
    title = models.CharField(_("事件"), max_length=200)
    happened_on = models.DateField(_("日期"), null=True, blank=True)
    url = models.URLField(_("链接"), blank=True, help_text=_("报道或信息来源的网址（选填）。"))

    panels = [FieldRowPanel([FieldPanel("title"), FieldPanel("happened_on")]), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("回应的事件")
        verbose_name_plural = _("回应的事件")

    def __str__(self):
        return self.title


# The quarterly statistics, published by the reports' scheduled job -------------------------


class InteractionQuarterlyReportPage(AbstractQuarterlyReportPage):
    """网民留言办理情况 of a quarter: messages received, replied, replied on time and the
    average working days to reply, by month, category and unit. Made and published once per
    quarter and organisation by the reports' job (opengov_cms.reports.registry)."""

    template = "opengov_interaction/quarterly_report_page.html"
    parent_page_types = REPORT_PARENTS
    subpage_types = []
    download_formats = ("csv", "xlsx")

    content_panels = report_panels(
        FieldRowPanel([FieldPanel("report_year"), FieldPanel("quarter")]), FieldPanel("intro")
    )

    class Meta(AbstractQuarterlyReportPage.Meta):
        verbose_name = _("网民留言办理情况")
        verbose_name_plural = _("网民留言办理情况")
        # The inherited name would pass PostgreSQL's 63 characters.
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "report_year", "quarter"],
                name="opengov_interaction_one_report_per_quarter",
                violation_error_message=_(
                    "这个机构这一季度的网民留言办理情况已经存在，每个机构每个季度只有一份。"
                ),
            )
        ]

    @classmethod
    def report_is_due(cls, organisation, period):
        """Due for an organisation with a message box published before the quarter ended."""
        return boxes_of(organisation, published_by=period.end).exists()

    @classmethod
    def report_section_slug(cls, period):
        return opengov_settings.INTERACTION_REPORTS_SECTION

    @classmethod
    def report_title(cls, organisation, period):
        return gettext("%(organisation)s%(period)s网民留言办理情况") % {
            "organisation": organisation.name,
            "period": period.label,
        }

    @classmethod
    def report_summary(cls, organisation, period):
        return gettext(
            "%(organisation)s%(period)s收到和答复网民留言的数量、按期答复情况和平均答复用时。"
        ) % {"organisation": organisation.name, "period": period.label}

    @classmethod
    def report_slug(cls, period):
        return f"{period.year}-q{period.quarter}-messages"

    def refresh_statistics(self):
        self.statistics = quarter_statistics(self.organisation, self.period)
        self.statistics_updated_at = timezone.now()

    def tables(self):
        return quarter_tables(self.statistics or {}, self.period)
