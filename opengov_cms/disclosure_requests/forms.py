"""The application form (public and offline entry) and the staff action forms."""

import secrets

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from opengov_cms.conf import opengov_settings
from opengov_cms.core import forms as core_forms
from opengov_cms.core.validators import validate_credit_code
from opengov_cms.disclosure_requests import fees
from opengov_cms.disclosure_requests.choices import (
    PARTIAL_REASONS,
    REPLY_OUTCOMES,
    ApplicantType,
    Channel,
    DeliveryMethod,
    IdDocumentType,
    NoticeDelivery,
    OrganisationSubtype,
    ProvisionForm,
)
from opengov_cms.disclosure_requests.validators import (
    validate_phone,
    validate_postcode,
    validate_resident_id,
)

FORM_TOKEN_SALT = "opengov_requests.application-form"
FORM_TOKEN_MAX_AGE = 24 * 3600

#: Checked against the first bytes of the file, not the browser's claim.
UPLOAD_TYPES = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}

NATURAL_PERSON_FIELDS = ("applicant_name", "id_document_type", "id_number")
ORGANISATION_FIELDS = (
    "organisation_subtype",
    "organisation_name",
    "credit_code",
    "legal_representative",
    "contact_name",
)
MISSING = _("请填写此项。")


def describe_fields(form):
    """Tie help texts and errors to their inputs for screen readers (aria-describedby)."""
    # _errors is None until the form is validated; asking for .errors would validate it.
    errors = form._errors or {}
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue  # nothing to describe, and nothing a reader would be pointed to
        bound = form[name]
        ids = []
        if field.help_text:
            ids.append(f"{bound.auto_id}-help")
        if name in errors:
            ids.append(f"{bound.auto_id}-errors")
            field.widget.attrs["aria-invalid"] = "true"
        if ids:
            field.widget.attrs["aria-describedby"] = " ".join(ids)


def make_form_token():
    return core_forms.make_form_token(FORM_TOKEN_SALT)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def sniff_content_type(upload):
    head = upload.read(16)
    upload.seek(0)
    for name in opengov_settings.REQUESTS_UPLOAD_TYPES:
        content_type, signatures = UPLOAD_TYPES[name]
        if head.startswith(signatures):
            return content_type
    return None


class ApplicationForm(forms.Form):
    """The statutory content of an application (Art. 29), checked field by field."""

    applicant_type = forms.ChoiceField(
        label=_("申请人类型"), choices=ApplicantType.choices, widget=forms.RadioSelect
    )
    applicant_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    id_document_type = forms.ChoiceField(
        label=_("证件类型"), choices=[("", "—")] + IdDocumentType.choices, required=False
    )
    id_number = forms.CharField(label=_("证件号码"), max_length=30, required=False)
    organisation_subtype = forms.ChoiceField(
        label=_("法人或其他组织类型"),
        choices=[("", "—")] + OrganisationSubtype.choices,
        required=False,
    )
    organisation_name = forms.CharField(label=_("名称"), max_length=200, required=False)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    legal_representative = forms.CharField(
        label=_("法定代表人或负责人"), max_length=50, required=False
    )
    contact_name = forms.CharField(label=_("联系人姓名"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, validators=[validate_phone])
    email = forms.CharField(
        label=_("电子邮箱"),
        max_length=254,
        required=False,
        validators=[EmailValidator(_("请填写有效的电子邮箱地址，例如 name@example.com。"))],
    )
    address = forms.CharField(label=_("通信地址"), max_length=200, required=False)
    postcode = forms.CharField(
        label=_("邮政编码"), max_length=6, required=False, validators=[validate_postcode]
    )
    description = forms.CharField(
        label=_("所需信息的内容描述"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请尽量写明信息的制作机关、时间、事项等，便于查找。"),
    )
    document_reference = forms.CharField(
        label=_("所需信息的名称或文号（选填）"), max_length=300, required=False
    )
    purpose = forms.CharField(
        label=_("所需信息的用途（选填）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    provision_form = forms.ChoiceField(
        label=_("信息的指定提供载体形式"), choices=ProvisionForm.choices, widget=forms.RadioSelect
    )
    delivery_method = forms.ChoiceField(
        label=_("获取信息的方式"), choices=DeliveryMethod.choices, widget=forms.RadioSelect
    )
    needs_assistance = forms.BooleanField(
        label=_("我有阅读或书写困难，需要工作人员协助"), required=False
    )

    error_messages = {"required": MISSING}

    def __init__(self, *args, **kwargs):
        self.prepare_fields()
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # A bound form is described once validated (full_clean), which comes first
            # whenever it is shown.
            self.describe()

    @classmethod
    def prepare_fields(cls):
        """Once per form class, on the fields each form copies: required for one kind of
        applicant (marked as required, with a word on when) and the messages in Chinese."""
        if cls.__dict__.get("_fields_prepared"):
            return
        core_forms.copy_fields_lightly(cls)
        for names, when in (
            (NATURAL_PERSON_FIELDS, _("申请人为自然人时必填。")),
            (ORGANISATION_FIELDS, _("申请人为法人或其他组织时必填。")),
        ):
            for name in names:
                field = cls.base_fields.get(name)
                if field is not None and not getattr(field, "required_when", False):
                    field.required_when = True
                    help_text = field.help_text
                    field.help_text = format_lazy("{}{}", when, help_text) if help_text else when
        for field in cls.base_fields.values():
            field.error_messages["required"] = MISSING
            field.error_messages["max_length"] = _("内容过长，最多%(limit_value)d个字符。")
            field.error_messages["invalid_choice"] = _("请从列表中选择。")
        cls._fields_prepared = True

    #: Whether a bound form without mistakes is described as it is validated. A form whose
    #: valid submissions are not shown again says False, and is described when shown
    #: (:meth:`describe`).
    describe_when_valid = True

    def full_clean(self):
        super().full_clean()
        if self._errors or self.describe_when_valid:
            self.describe()

    def describe(self):
        """Tie help texts and errors to their inputs (describe_fields), once."""
        if not getattr(self, "_described", False):
            describe_fields(self)
            self._described = True

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()

    def clean_credit_code(self):
        return self.cleaned_data["credit_code"].strip().upper()

    @sensitive_variables()
    def clean(self):
        data = super().clean()
        kind = data.get("applicant_type")
        required = ()
        if kind == ApplicantType.NATURAL_PERSON:
            required = NATURAL_PERSON_FIELDS
            if data.get("id_document_type") == IdDocumentType.RESIDENT_ID and data.get("id_number"):
                try:
                    validate_resident_id(data["id_number"])
                except ValidationError as exc:
                    self.add_error("id_number", exc)
        elif kind == ApplicantType.ORGANISATION:
            required = ORGANISATION_FIELDS
            if data.get("credit_code"):
                try:
                    validate_credit_code(data["credit_code"])
                except ValidationError as exc:
                    self.add_error("credit_code", exc)
        for name in required:
            if not data.get(name) and name not in self.errors:
                self.add_error(name, MISSING)
        method = data.get("delivery_method")
        if method == DeliveryMethod.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("选择通过电子邮件获取信息时，请填写电子邮箱。"))
        if method == DeliveryMethod.POST:
            for name in ("address", "postcode"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("选择邮寄时，请填写通信地址和邮政编码。"))
        # Keep only the fields of the applicant's type: a switched radio button must not
        # leave the other type's data behind.
        other = (
            ORGANISATION_FIELDS if kind == ApplicantType.NATURAL_PERSON else NATURAL_PERSON_FIELDS
        )
        for name in other:
            data[name] = ""
        return data

    def request_fields(self):
        """The cleaned values, as DisclosureRequest field values."""
        names = [n for n in self.fields if n not in FORM_ONLY_FIELDS]
        return {n: self.cleaned_data[n] for n in names if n in self.cleaned_data}


FORM_ONLY_FIELDS = ("website", "form_token", "attachments", "challenge", "challenge_answer")
CHALLENGE_SALT = "opengov_cms.requests.challenge"
CHALLENGE_MAX_AGE = 2 * 3600


def new_challenge():
    numbers = [secrets.randbelow(9) + 1, secrets.randbelow(9) + 1]
    return numbers, signing.dumps(numbers, salt=CHALLENGE_SALT)


def read_challenge(token):
    try:
        numbers = signing.loads(token or "", salt=CHALLENGE_SALT, max_age=CHALLENGE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not (isinstance(numbers, list) and len(numbers) == 2):
        return None
    return numbers


class PublicFormProtection:
    """What a public form of the package does against scripted submissions, for a form class
    to mix in and call :meth:`protect` at the end of its ``__init__``: a honeypot field
    (``website``), a signed token saying when the form was handed out (``form_token``: a form
    sent twice is recognised by it, and its fill time marks one likely automated), and, when
    the setting named by ``challenge_setting`` is on, a question in text."""

    form_token_salt = FORM_TOKEN_SALT
    form_token_max_age = FORM_TOKEN_MAX_AGE
    challenge_setting = "REQUESTS_CHALLENGE"

    def protect(self):
        self.fill_seconds = None
        self.fields["website"] = forms.CharField(label=_("请勿填写此项"), required=False)
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")
        self.fields["form_token"] = forms.CharField(widget=forms.HiddenInput)
        self.fields["form_token"].error_messages["required"] = _(
            "表单已失效，请刷新页面后重新提交。"
        )
        if getattr(opengov_settings, self.challenge_setting):
            self.add_challenge()

    def add_challenge(self):
        """A question any person can answer in text (self-hosted, readable by screen
        readers), against scripted submissions. Its answer travels signed in the form."""
        numbers = read_challenge(self.data.get("challenge")) if self.is_bound else None
        self.challenge_expired = self.is_bound and numbers is None
        if numbers is None:
            numbers, token = new_challenge()
            if self.is_bound:
                self.data = self.data.copy()
                self.data["challenge"] = token
        else:
            token = self.data["challenge"]
        self.challenge_numbers = numbers
        self.fields["challenge"] = forms.CharField(widget=forms.HiddenInput, initial=token)
        self.fields["challenge_answer"] = forms.IntegerField(
            label=_("验证问题：%(a)d 加 %(b)d 等于几？") % {"a": numbers[0], "b": numbers[1]},
            help_text=_("请用阿拉伯数字填写答案，用于防止自动提交。"),
            error_messages={
                "required": _("请回答验证问题。"),
                "invalid": _("请用阿拉伯数字填写验证问题的答案。"),
            },
        )

    def clean_challenge_answer(self):
        answer = self.cleaned_data["challenge_answer"]
        if self.challenge_expired:
            raise ValidationError(_("验证问题已过期，请回答新的问题。"), code="expired")
        if answer != sum(self.challenge_numbers):
            raise ValidationError(_("验证问题的答案不正确，请重新计算。"), code="wrong")
        return answer

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise ValidationError(_("提交未成功，请刷新页面后重试。"), code="honeypot")
        return ""

    def clean_form_token(self):
        token = self.cleaned_data["form_token"]
        try:
            self.fill_seconds = core_forms.form_fill_seconds(
                token, self.form_token_salt, max_age=self.form_token_max_age
            )
        except signing.BadSignature:
            raise ValidationError(
                _("表单已失效，请刷新页面后重新填写提交。"), code="token"
            ) from None
        return token[:100]


class PublicApplicationForm(PublicFormProtection, ApplicationForm):
    """The online form: attachments, a honeypot and a one-time token against double submits."""

    # A valid application is taken and redirected; the page describes a valid form it
    # shows again (rate limited, or refused by the calendar) before showing it.
    describe_when_valid = False

    attachments = MultipleFileField(
        label=_("附件（选填）"),
        required=False,
        help_text=_("如身份证明扫描件。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types = "、".join(n.upper() for n in opengov_settings.REQUESTS_UPLOAD_TYPES)
        size = opengov_settings.REQUESTS_UPLOAD_MAX_SIZE // (1024 * 1024)
        self.fields["attachments"].help_text = _(
            "如身份证明扫描件。最多%(count)d个文件，每个不超过%(size)dMB，格式为%(types)s。"
        ) % {"count": opengov_settings.REQUESTS_UPLOAD_MAX_FILES, "size": size, "types": types}
        self.protect()

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        limit = opengov_settings.REQUESTS_UPLOAD_MAX_FILES
        if len(files) > limit:
            raise ValidationError(_("最多上传%(count)d个附件。") % {"count": limit})
        max_size = opengov_settings.REQUESTS_UPLOAD_MAX_SIZE
        checked = []
        for upload in files:
            if upload.size > max_size:
                raise ValidationError(
                    _("附件“%(name)s”超过%(size)dMB，请压缩后重新上传。")
                    % {"name": upload.name[:50], "size": max_size // (1024 * 1024)}
                )
            content_type = sniff_content_type(upload)
            if content_type is None:
                types = "、".join(n.upper() for n in opengov_settings.REQUESTS_UPLOAD_TYPES)
                raise ValidationError(
                    _("附件“%(name)s”的格式不受支持，请上传%(types)s文件。")
                    % {"name": upload.name[:50], "types": types}
                )
            checked.append((upload, content_type))
        return checked


class OfflineApplicationForm(ApplicationForm):
    """An application received in person, by post, fax or email, entered by staff."""

    organisation = forms.ModelChoiceField(label=_("受理机关"), queryset=None)
    channel = forms.ChoiceField(
        label=_("申请方式"), choices=[c for c in Channel.choices if c[0] != Channel.ONLINE]
    )
    received_on = forms.DateField(
        label=_("收到申请日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("当面提交为提交之日；邮寄为签收之日；传真、电子邮件为双方确认之日。"),
    )

    field_order = ["organisation", "channel", "received_on"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].error_messages["invalid_choice"] = _(
            "只能登记您所在机构（政务公开 → 机构人员）受理的申请，请从列表中选择受理机关。"
        )
        self.fields["phone"].required = False
        self.order_fields(self.field_order)

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise ValidationError(_("收到申请日期不能晚于今天。"))
        return received_on

    def request_fields(self):
        return {**super().request_fields(), "channel": self.cleaned_data["channel"]}


class LookupForm(forms.Form):
    tracking_number = forms.CharField(label=_("申请编号"), max_length=80)
    query_code = forms.CharField(label=_("查询码"), max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = MISSING
            field.error_messages["max_length"] = _("内容过长，请核对。")
        describe_fields(self)

    def full_clean(self):
        super().full_clean()
        describe_fields(self)


# Staff action forms -----------------------------------------------------------------


class ActionForm(forms.Form):
    on = forms.DateField(
        label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    note = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def params(self):
        return {}


class DeliveryMixin(forms.Form):
    """How the notice reaches its addressee: the period it gives runs from receipt."""

    delivery = forms.ChoiceField(
        label=_("送达方式"),
        choices=NoticeDelivery.choices,
        initial=NoticeDelivery.ONLINE,
        widget=forms.RadioSelect,
    )
    received_on = forms.DateField(
        label=_("对方收到日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "邮寄或当面送达时填写对方签收的日期；邮寄尚未签收的，签收后用“登记告知书送达"
            "（签收）日期”补登，在此之前期限不开始计算。当面送达不填则为发出当日。"
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("delivery") == NoticeDelivery.IN_PERSON and not data.get("received_on"):
            data["received_on"] = data.get("on") or timezone.localdate()
        return data

    def delivery_params(self):
        return {k: self.cleaned_data.get(k) for k in ("delivery", "received_on")}


class CorrectionForm(DeliveryMixin, ActionForm):
    field_order = ["on", "days", "delivery", "received_on", "note"]
    days = forms.IntegerField(
        label=_("补正期限（工作日）"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=_("自申请人收到补正告知书之日起计算；不填则按设置的工作日数。"),
    )

    def params(self):
        return {"days": self.cleaned_data.get("days"), **self.delivery_params()}


class ConsultationForm(DeliveryMixin, ActionForm):
    """征求第三方意见 (Art. 32) or 其他机关意见 (Art. 34): 15 working days from receipt."""

    field_order = ["on", "delivery", "received_on", "note"]

    def params(self):
        return self.delivery_params()


class ExtensionForm(ActionForm):
    days = forms.IntegerField(label=_("延长工作日"), min_value=1, max_value=20, initial=20)
    approver = forms.CharField(label=_("批准人"), max_length=100)
    reason = forms.CharField(
        label=_("延期理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def params(self):
        return {k: self.cleaned_data[k] for k in ("days", "approver", "reason")}


class FeeNoticeForm(DeliveryMixin, ActionForm):
    """The fee worked out from the tariff of 国办函〔2020〕109号: never typed in."""

    field_order = [
        "on", "method", "quantity", "earlier_this_month", "payment", "delivery", "received_on",
        "note",
    ]  # fmt: skip

    method = forms.ChoiceField(
        label=_("计费方式"),
        choices=[
            (fees.PER_ITEM, _("按件计收（第四条）")),
            (fees.PER_PAGE, _("按量计收（第五条）")),
        ],
        widget=forms.RadioSelect,
        help_text=_("每件申请只能选择一种方式，不得同时按两种标准计算（第三条）。"),
    )
    quantity = forms.IntegerField(
        label=_("数量"),
        min_value=1,
        max_value=100000,
        help_text=_(
            "按件计收：本申请计为几件（一份申请包含多项内容的，可按“一事一申请”拆分计算件数，"
            "通常为1）；按量计收：提供的政府信息页数。"
        ),
    )
    earlier_this_month = forms.IntegerField(
        label=_("本月此前已申请件数"),
        required=False,
        min_value=0,
        max_value=100000,
        initial=0,
        help_text=_("按件计收时填写：同一申请人本自然月内在本申请之前累计提出的申请件数。"),
    )
    payment = forms.CharField(
        label=_("缴纳方式"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("写明缴费的途径，如非税收入缴款渠道、缴款码或缴费地点。"),
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        method, quantity = data.get("method"), data.get("quantity")
        earlier = data.get("earlier_this_month") or 0 if method == fees.PER_ITEM else 0
        data["earlier_this_month"] = earlier
        if not fees.fee(method, quantity, earlier):
            raise ValidationError(_("按此数量不收费，无需发出收费通知。"))
        return data

    def params(self):
        return {
            **{k: self.cleaned_data[k] for k in ("method", "quantity", "earlier_this_month")},
            "payment": self.cleaned_data["payment"],
            **self.delivery_params(),
        }


class RecordDeliveryForm(ActionForm):
    on = forms.DateField(
        label=_("签收日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("对方签收告知书的日期（邮寄以签收之日为准）。"),
    )


class ReplyForm(ActionForm):
    outcome = forms.ChoiceField(
        label=_("办理结果"), choices=[(o.value, o.label) for o in REPLY_OUTCOMES]
    )
    reasons = forms.MultipleChoiceField(
        label=_("部分公开的理由"),
        choices=[(o.value, o.label) for o in PARTIAL_REASONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    document = forms.FileField(label=_("答复告知书或答复材料（选填）"), required=False)

    def params(self):
        return {"outcome": self.cleaned_data["outcome"], "reasons": self.cleaned_data["reasons"]}


class AssignForm(ActionForm):
    department = forms.ModelChoiceField(label=_("承办部门"), queryset=None, required=False)
    handler = forms.ModelChoiceField(label=_("承办人"), queryset=None, required=False)

    def __init__(self, *args, departments, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["handler"].queryset = handlers

    def params(self):
        return {k: self.cleaned_data.get(k) for k in ("department", "handler")}


ACTION_FORMS = {
    "request_correction": CorrectionForm,
    "consult_third_party": ConsultationForm,
    "consult_agency": ConsultationForm,
    "record_delivery": RecordDeliveryForm,
    "extend": ExtensionForm,
    "send_fee_notice": FeeNoticeForm,
    "reply": ReplyForm,
    "assign": AssignForm,
}
