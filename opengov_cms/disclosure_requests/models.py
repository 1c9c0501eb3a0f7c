"""Applications for disclosure on request, their timeline, documents and tracking numbers."""

import functools
import re
import secrets
import string
import uuid

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import IntegrityError, connections, models, router, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from opengov_cms.conf import opengov_settings
from opengov_cms.core import memberships
from opengov_cms.disclosure_requests import crypto
from opengov_cms.disclosure_requests.choices import (
    OPEN_STATES,
    ApplicantType,
    Channel,
    DeliveryMethod,
    DocumentKind,
    IdDocumentType,
    NoticeDelivery,
    NoticeKind,
    OrganisationSubtype,
    Outcome,
    OutcomeGroup,
    ProvisionForm,
    State,
)
from opengov_cms.disclosure_requests.pages import AbstractRequestFormPage

# No 0/O, 1/I/L: the applicant copies the code from an email or a printout.
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 10


# The query code is random (10 symbols of 31, about 50 bits), not a password a person
# chose, so a keyed hash is as safe as a slow one and costs microseconds instead of most
# of a second of CPU per application. Hashes made by make_password before still check.
QUERY_CODE_HASH_PREFIX = "hmac-sha256$"
QUERY_CODE_KEY_SALT = "opengov_cms.disclosure_requests.query_code"


def hash_query_code(code, secret=None):
    digest = salted_hmac(
        QUERY_CODE_KEY_SALT, normalise_query_code(code), secret=secret, algorithm="sha256"
    ).hexdigest()
    return QUERY_CODE_HASH_PREFIX + digest


def query_code_matches(code, stored):
    if not stored.startswith(QUERY_CODE_HASH_PREFIX):
        return check_password(normalise_query_code(code), stored)
    # A code keeps working after SECRET_KEY is rotated into SECRET_KEY_FALLBACKS.
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(constant_time_compare(hash_query_code(code, s), stored) for s in secrets_)


@functools.cache
def unknown_number_hash():
    """A hash checked when the number is unknown, so both answers take as long."""
    return hash_query_code("opengov-requests-unknown-number")


class TrackingSequence(models.Model):
    """The last sequence number given out in one numbering scope.

    The scope is the tracking number pattern filled in with the organisation's code and the
    year and a zero sequence, so each organisation and year counts on its own, and
    organisations that share a code (or a pattern without the code) share a counter
    instead of producing the same number twice.
    """

    scope = models.CharField(max_length=120, unique=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.scope}: {self.last_value}"

    @classmethod
    def next_value(cls, scope):
        """Take the next number: one UPDATE that locks the row until the transaction ends,
        so concurrent requests wait their turn; the row is made on the scope's first use."""
        value = cls._increment(scope)
        if value is None:
            try:
                with transaction.atomic(using=router.db_for_write(cls)):
                    cls.objects.create(scope=scope, last_value=1)
                return 1
            except IntegrityError:
                # Made by a concurrent request in the meantime; it exists now.
                value = cls._increment(scope)
        return value

    @classmethod
    def _increment(cls, scope):
        """The scope's incremented value, or None when it has no row yet."""
        connection = connections[router.db_for_write(cls)]
        table = connection.ops.quote_name(cls._meta.db_table)
        column = connection.ops.quote_name("last_value")
        key = connection.ops.quote_name("scope")
        if connection.features.can_return_columns_from_insert:
            # PostgreSQL and SQLite 3.35+: one statement.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET {column} = {column} + 1 WHERE {key} = %s "
                    f"RETURNING {column}",
                    [scope],
                )
                row = cursor.fetchone()
            return row[0] if row else None
        with transaction.atomic(using=connection.alias):
            if not cls.objects.filter(scope=scope).update(last_value=models.F("last_value") + 1):
                return None
            return cls.objects.filter(scope=scope).values_list("last_value", flat=True).get()


def make_tracking_number(organisation, year):
    pattern = opengov_settings.REQUESTS_TRACKING_NUMBER_PATTERN
    values = {"org_code": organisation.code, "year": year}
    seq = TrackingSequence.next_value(pattern.format(**values, seq=0))
    return pattern.format(**values, seq=seq)


#: The database function that takes a scope's next value and writes it out as a tracking
#: number in one statement (migration 0008; PostgreSQL only).
NEXT_NUMBER_FUNCTION = "opengov_requests_next_number"


def tracking_number_expression(organisation, year, using):
    """The next tracking number as an SQL expression, for the INSERT of the request itself:
    the scope's counter is taken (and made on its first use) by the statement that writes
    the request, with the same locking as :meth:`TrackingSequence.next_value`. None where
    the database is not PostgreSQL or the pattern writes the sequence number in a way the
    function does not (more than once, or padded with other than zeros)."""
    if connections[using].vendor != "postgresql":
        return None
    pattern = opengov_settings.REQUESTS_TRACKING_NUMBER_PATTERN
    values = {"org_code": organisation.code, "year": year}
    parts = _around_sequence(pattern, values)
    if parts is None:
        return None
    prefix, width, suffix = parts
    return models.Func(
        models.Value(pattern.format(**values, seq=0)),
        models.Value(prefix),
        models.Value(width),
        models.Value(suffix),
        function=NEXT_NUMBER_FUNCTION,
        output_field=models.CharField(),
    )


def _around_sequence(pattern, values):
    """(text before the sequence number, its zero-padded width, text after), or None."""
    return _parts_around_sequence(pattern, tuple(sorted(values.items())))


@functools.lru_cache(maxsize=256)
def _parts_around_sequence(pattern, items):
    values = dict(items)
    formatter = string.Formatter()
    spec, before, after, found = None, [], [], 0
    for literal, field, field_spec, conversion in formatter.parse(pattern):
        (after if found else before).append(literal)
        if field is None:
            continue
        if field == "seq":
            found += 1
            spec = field_spec
            continue
        value = formatter.convert_field(formatter.get_field(field, (), values)[0], conversion)
        (after if found else before).append(formatter.format_field(value, field_spec))
    match = re.fullmatch(r"(?:0(\d+))?d?", spec or "") if found == 1 else None
    if match is None:
        return None
    prefix, suffix = "".join(before), "".join(after)
    width = int(match.group(1) or 0)
    # Checked against Python's own formatting, short and long numbers alike.
    for seq in (7, 1234567):
        written = prefix + (str(seq).rjust(width, "0")) + suffix
        if written != pattern.format(**values, seq=seq):
            return None
    return prefix, width, suffix


def make_query_code():
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def normalise_query_code(code):
    return "".join((code or "").split()).upper()[:64]


class DisclosureRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def visible_to(self, user):
        """The requests ``user`` may see: all for the city office and with the office-wide
        permission, else those received by, or assigned to, an organisation the user is a
        disclosure officer of (opengov_cms.core.memberships)."""
        if not user.is_active:
            return self.none()
        return self.filter(
            memberships.scope(
                user,
                "department",
                "organisation",
                roles=memberships.OFFICER_ROLES,
                every_permission="opengov_requests.view_all_disclosurerequests",
            )
        )


PERSONAL_FIELDS = (
    "description",
    "document_reference",
    "purpose",
    "applicant_name",
    "id_number",
    "legal_representative",
    "contact_name",
    "phone",
    "email",
    "address",
)


class TrackingNumberField(models.CharField):
    """A request's tracking number: read back from the INSERT that writes the request, since
    the database may work it out there (:func:`tracking_number_expression`)."""

    @property
    def db_returning(self):
        return connections[
            router.db_for_write(DisclosureRequest)
        ].features.can_return_columns_from_insert


class DisclosureRequest(models.Model):
    """政府信息公开申请: one application and where it stands on the statutory clock."""

    # Unique by a constraint rather than unique=True, and state and outcome indexed in Meta:
    # on PostgreSQL those would add a second index each for LIKE queries no one makes,
    # which every application would write for nothing.
    tracking_number = TrackingNumberField(_("申请编号"), max_length=80, editable=False)
    query_code_hash = models.CharField(max_length=128, editable=False)
    organisation = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("受理机关"),
        on_delete=models.PROTECT,
        related_name="disclosure_requests",
        # The index on (organisation, received_on) below serves lookups by organisation.
        db_index=False,
    )
    department = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("承办部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_disclosure_requests",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(_("申请方式"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(
        _("收到申请日期"),
        help_text=_(
            "按条例第三十一条确定：当面提交为提交之日，邮寄为签收之日，网上、传真、电子邮件为双方确认之日。"
        ),
    )
    submitted_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    applicant_type = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantType.choices)
    organisation_subtype = models.CharField(
        _("法人或其他组织类型"), max_length=20, choices=OrganisationSubtype.choices, blank=True
    )
    applicant_name = crypto.EncryptedTextField(_("姓名"), blank=True)
    id_document_type = models.CharField(
        _("证件类型"), max_length=20, choices=IdDocumentType.choices, blank=True
    )
    id_number = crypto.EncryptedTextField(_("证件号码"), blank=True)
    organisation_name = models.CharField(_("名称"), max_length=200, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    legal_representative = crypto.EncryptedTextField(_("法定代表人或负责人"), blank=True)
    contact_name = crypto.EncryptedTextField(_("联系人姓名"), blank=True)
    phone = crypto.EncryptedTextField(_("联系电话"), blank=True)
    email = crypto.EncryptedTextField(_("电子邮箱"), blank=True)
    address = crypto.EncryptedTextField(_("通信地址"), blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)

    # Free text, encrypted like the named fields: applicants write personal data into it.
    description = crypto.EncryptedTextField(_("所需信息的内容描述"))
    document_reference = crypto.EncryptedTextField(_("所需信息的名称或文号"), blank=True)
    purpose = crypto.EncryptedTextField(_("所需信息的用途"), blank=True)
    provision_form = models.CharField(
        _("信息的指定提供载体形式"), max_length=20, choices=ProvisionForm.choices
    )
    delivery_method = models.CharField(
        _("获取信息的方式"), max_length=20, choices=DeliveryMethod.choices
    )
    needs_assistance = models.BooleanField(_("申请人有阅读或书写困难，需要协助"), default=False)

    state = models.CharField(
        _("办理状态"), max_length=30, choices=State.choices, default=State.RECEIVED
    )
    proactive_entry = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("主动公开的信息"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("依第四十四条，可以让社会广泛知晓的答复信息，同时主动公开。"),
    )
    outcome = models.CharField(_("办理结果"), max_length=40, choices=Outcome.choices, blank=True)
    partial_reasons = models.JSONField(_("部分公开的理由"), default=list, blank=True)

    # The clock (Art. 33): 20 working days after clock_started_on, plus the extension and
    # the working days it stood still; due_date is stored for listing and reminders.
    clock_started_on = models.DateField(_("计时起算日"))
    paused_on = models.DateField(_("停止计时日"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(_("不计入期限的工作日"), default=0)
    extension_working_days = models.PositiveSmallIntegerField(_("延长工作日"), default=0)
    extension_approver = models.CharField(_("延期批准人"), max_length=100, blank=True)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    due_date = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    pending_until = models.DateField(
        _("等待期限"),
        null=True,
        blank=True,
        help_text=_("补正、征求意见或缴费的期限，自对方收到告知书之日起计算；未登记送达前为空"),
    )
    # The notice the current wait runs on (补正告知书, 征求意见函, 收费通知): the period is
    # pending_days working days from the day its addressee received it (Arts. 30, 32, 34;
    # 国办函〔2020〕109号), which online is the day it was sent, and by post or in person
    # the day it was signed for, as staff record it.
    pending_days = models.PositiveSmallIntegerField(_("等待期限（工作日）"), null=True, blank=True)
    notice_delivery = models.CharField(
        _("送达方式"), max_length=20, choices=NoticeDelivery.choices, blank=True
    )
    notice_sent_on = models.DateField(_("告知书发出日期"), null=True, blank=True)
    notice_received_on = models.DateField(_("告知书收到日期"), null=True, blank=True)
    correction_requested_on = models.DateField(_("补正告知日期"), null=True, blank=True)
    fee_amount = models.DecimalField(
        _("收费金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    fee_details = models.JSONField(
        _("收费依据"), default=dict, blank=True, help_text=_("计费方式、数量和各档金额")
    )
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    archived_on = models.DateField(_("归档日期"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("个人信息删除时间"), null=True, blank=True)

    form_token = models.CharField(max_length=100, null=True, blank=True, editable=False)
    likely_automated = models.BooleanField(
        _("疑似自动提交"),
        default=False,
        help_text=_("网上申请的填写用时短于设置的最短时间；请人工判断，不影响办理期限。"),
    )
    fill_seconds = models.FloatField(_("填写用时（秒）"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DisclosureRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-received_on", "-pk"]
        permissions = [
            ("view_all_disclosurerequests", _("可查看和办理所有机构的政府信息公开申请")),
        ]
        indexes = [
            # Statistics select one organisation's requests received up to a period's end.
            models.Index(fields=["organisation", "received_on"], name="opengov_req_org_received"),
            models.Index(fields=["state"], name="opengov_req_state"),
            models.Index(fields=["outcome"], name="opengov_req_outcome"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["tracking_number"], name="opengov_req_tracking_number"),
            # A form sent twice is refused by this (the first one won).
            models.UniqueConstraint(fields=["form_token"], name="opengov_req_form_token"),
        ]

    def __str__(self):
        return self.tracking_number

    # Query code -----------------------------------------------------------------------

    def set_query_code(self, code):
        self.query_code_hash = hash_query_code(code)

    def check_query_code(self, code):
        return query_code_matches(code, self.query_code_hash)

    @classmethod
    def lookup(cls, tracking_number, code):
        """The request with this number and code, or None for any mismatch alike."""
        number = (tracking_number or "").strip()[:80]
        request = cls.objects.filter(tracking_number=number).first() if number else None
        if request is None:
            query_code_matches(code, unknown_number_hash())
            return None
        return request if request.check_query_code(code) else None

    # Display ---------------------------------------------------------------------------

    @property
    def applicant_display_name(self):
        if self.applicant_type == ApplicantType.ORGANISATION:
            return self.organisation_name
        return self.applicant_name

    @property
    def masked_applicant(self):
        if self.applicant_type == ApplicantType.ORGANISATION:
            return self.organisation_name
        return crypto.mask_name(self.applicant_name)

    @property
    def partial_reason_labels(self):
        labels = dict(Outcome.choices)
        return [labels.get(code, code) for code in self.partial_reasons]

    @property
    def masked_phone(self):
        return crypto.mask_phone(self.phone)

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    @property
    def awaits_delivery(self):
        """A notice went out and the period it gives has not started: receipt unrecorded."""
        return bool(self.pending_days and self.notice_sent_on and not self.notice_received_on)

    @property
    def is_overdue(self):
        return bool(self.is_open and self.due_date and self.due_date < timezone.localdate())

    def anonymise(self):
        """Remove the applicant's personal data, keep what the statistics count."""
        for name in PERSONAL_FIELDS:
            setattr(self, name, "")
        self.postcode = ""
        if self.applicant_type == ApplicantType.NATURAL_PERSON:
            self.organisation_name = ""
        self.anonymised_at = timezone.now()
        for document in self.documents.filter(kind=DocumentKind.APPLICATION):
            document.file.delete(save=False)
            document.delete()
        self.documents.update(original_name="")


class RequestEvent(models.Model):
    """One entry of a request's timeline: a state change, an assignment, a note."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("事项"), max_length=40)
    from_state = models.CharField(_("原状态"), max_length=30, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=30, choices=State.choices, blank=True)
    effective_on = models.DateField(_("日期"))
    due_date = models.DateField(_("答复期限"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    detail = models.CharField(_("情况"), max_length=300, blank=True)
    citation = models.CharField(_("依据"), max_length=200, blank=True)
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
        return f"{self.request} {self.action} {self.effective_on}"

    @property
    def label(self):
        from opengov_cms.disclosure_requests.workflow import ACTION_LABELS

        return ACTION_LABELS.get(self.action, self.action)


def document_path(instance, filename):
    # The applicant's file name may carry personal data and is attacker-chosen: never
    # use it on disk. The extension comes from the checked content type.
    extension = {
        "application/pdf": ".pdf",
        "image/jpeg": ".jpg",
        "image/png": ".png",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    }.get(instance.content_type, "")
    return f"opengov_requests/{uuid.uuid4().hex}{extension}"


class RequestDocument(models.Model):
    """A file of a request: the applicant's attachment, a notice, or reply material."""

    request = models.ForeignKey(
        DisclosureRequest, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("名称"), max_length=200, blank=True)
    original_name = crypto.EncryptedTextField(_("原文件名"), blank=True)
    file = models.FileField(_("文件"), upload_to=document_path, max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    public = models.BooleanField(
        _("申请人可下载"), default=False, help_text=_("在申请查询页面向申请人提供下载")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("申请文件")
        verbose_name_plural = _("申请文件")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.title or self.get_kind_display()


class ReminderSent(models.Model):
    """A deadline reminder went out for a request on a day; the constraint makes it once."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "sent_on"], name="opengov_requests_one_reminder_a_day"
            )
        ]

    def __str__(self):
        return f"{self.request_id} {self.sent_on}"


class NoticeTemplate(models.Model):
    """告知书模板: the text of a notice, replacing the package's default for its kind."""

    kind = models.CharField(_("文书类型"), max_length=20, choices=NoticeKind.choices)
    outcome_group = models.CharField(
        _("适用的办理结果"),
        max_length=20,
        choices=OutcomeGroup.choices,
        blank=True,
        help_text=_("仅用于答复告知书；不选则适用于所有办理结果。"),
    )
    organisation = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("适用机关"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("不选则适用于所有机关。"),
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(
        _("正文"),
        help_text=_(
            "每行一段。可使用占位符：${organisation} 受理机关，${applicant} 申请人，"
            "${tracking_number} 申请编号，${received_on} 收到日期，${due_date} 答复期限，"
            "${pending_until} 补正、征求意见或缴费期限（已送达时），${pending_period} 期限的说明"
            "（如“自收到本告知书之日起15个工作日内（即2027年1月18日前）”），"
            "${extension_days} 延长工作日，${extension_reason} 延期理由，${fee_amount} 收费金额，"
            "${fee_basis} 收费的依据和标准，${fee_payment} 缴纳方式，${outcome} 办理结果，"
            "${outcome_reason} 具体情形，${reasons} 部分公开理由，${today} 出具日期。"
            "答复告知书末尾自动附上行政复议和行政诉讼的告知。"
        ),
    )

    class Meta:
        verbose_name = _("告知书模板")
        verbose_name_plural = _("告知书模板")
        ordering = ["kind", "outcome_group"]

    def __str__(self):
        return self.title


class RequestFormPage(AbstractRequestFormPage):
    """依申请公开申请页: the online application form of one organisation."""

    template = "opengov_requests/request_form_page.html"
    confirmation_template = "opengov_requests/request_form_confirmation.html"

    class Meta:
        verbose_name = _("依申请公开申请表")
        verbose_name_plural = _("依申请公开申请表")
