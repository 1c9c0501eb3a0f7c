"""The public's message form, the status lookup, the filters of the published list, and the
staff's action forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opengov_cms.catalogue.forms import PlainSelect
from opengov_cms.catalogue.listing import InvalidCursor, decode_cursor
from opengov_cms.conf import opengov_settings
from opengov_cms.core import forms as core_forms
from opengov_cms.core.forms import AccessibleErrorsMixin
from opengov_cms.core.models import Organisation
from opengov_cms.disclosure_requests.forms import (
    MISSING,
    LookupForm,
    PublicFormProtection,
    describe_fields,
)
from opengov_cms.disclosure_requests.validators import validate_phone
from opengov_cms.interaction.choices import Category
from opengov_cms.reports.statistics import FIRST_YEAR

FORM_TOKEN_SALT = "opengov_interaction.message-form"


def make_form_token():
    return core_forms.make_form_token(FORM_TOKEN_SALT)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MessageForm(PublicFormProtection, forms.Form):
    """写留言: what the sender writes, whom to, and whether it may be published."""

    category = forms.ChoiceField(
        label=_("留言类别"), choices=Category.choices, widget=forms.RadioSelect
    )
    organisation = UnitChoiceField(
        label=_("留言对象"),
        queryset=Organisation.objects.none(),
        empty_label=_("请选择受理单位"),
        help_text=_("选择负责您所反映事项的单位；选错的，工作人员会转交有关单位办理。"),
    )
    subject = forms.CharField(label=_("留言标题"), max_length=100)
    body = forms.CharField(
        label=_("留言内容"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("请写明事项的时间、地点和经过。不要在内容中填写身份证号等个人信息。"),
    )
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        validators=[validate_phone],
        help_text=_("仅用于工作人员与您联系，不会公开。"),
    )
    email = forms.CharField(
        label=_("电子邮箱（选填）"),
        max_length=254,
        required=False,
        validators=[EmailValidator(_("请填写有效的电子邮箱地址，例如 name@example.com。"))],
        help_text=_("填写后，答复将同时发送到邮箱。"),
    )
    publish_consent = forms.BooleanField(
        label=_("同意公开我的留言和答复（不公开姓名和联系方式）"),
        required=False,
        help_text=_("公开时，留言中的身份证号和手机号会自动隐去；不同意则只向您本人答复。"),
    )

    form_token_salt = FORM_TOKEN_SALT
    challenge_setting = "INTERACTION_CHALLENGE"

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["organisation"].queryset = units
        # Checked here, not by the browser: a text pasted over the limit is kept whole, and
        # the form says by how much it is too long.
        limit = opengov_settings.INTERACTION_MESSAGE_MAX_LENGTH
        self.fields["body"].max_length = limit
        self.fields["body"].validators.append(MaxLengthValidator(limit))
        for field in self.fields.values():
            field.error_messages["required"] = MISSING
            field.error_messages["max_length"] = _("内容过长，最多%(limit_value)d个字符。")
            field.error_messages["invalid_choice"] = _("请从列表中选择。")
        self.fields["organisation"].error_messages["invalid_choice"] = _("请从列表中选择受理单位。")
        self.protect()
        describe_fields(self)

    def full_clean(self):
        super().full_clean()
        describe_fields(self)

    def clean_subject(self):
        subject = " ".join(self.cleaned_data["subject"].split())
        if not subject:
            raise ValidationError(MISSING)
        return subject

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError(MISSING)
        return body

    def message_fields(self):
        names = ("category", "organisation", "subject", "body", "name", "phone", "email")
        return {
            **{name: self.cleaned_data[name] for name in names},
            "publish_consent": bool(self.cleaned_data.get("publish_consent")),
        }


core_forms.copy_fields_lightly(MessageForm)


class MessageLookupForm(LookupForm):
    """留言查询: the message's number and its query code."""

    tracking_number = forms.CharField(label=_("留言编号"), max_length=80)


def year_choices():
    this_year = timezone.localdate().year
    return [("", _("全部年份"))] + [(y, str(y)) for y in range(this_year, FIRST_YEAR - 1, -1)]


class PublishedFilterForm(AccessibleErrorsMixin, forms.Form):
    """The filters of the published list, every one optional, read from the URL."""

    category = forms.ChoiceField(
        label=_("留言类别"),
        choices=[("", _("全部类别")), *Category.choices],
        required=False,
        widget=PlainSelect,
    )
    unit = forms.TypedChoiceField(
        label=_("承办单位"), coerce=int, required=False, empty_value=None, widget=PlainSelect
    )
    year = forms.TypedChoiceField(
        label=_("答复年份"), coerce=int, required=False, empty_value=None, widget=PlainSelect
    )
    after = forms.CharField(required=False, max_length=400, widget=forms.HiddenInput)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("全部单位")), *((u.pk, u.name) for u in units)]
        self.fields["year"].choices = year_choices()
        for name in ("category", "unit", "year"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "所选的%(field)s不存在，请重新选择。"
            ) % {"field": self.fields[name].label}

    def clean_after(self):
        token = self.cleaned_data["after"]
        if not token:
            return None
        try:
            return decode_cursor(token)
        except InvalidCursor:
            raise ValidationError(
                _("翻页参数不正确，请从第一页重新浏览。"), code="cursor"
            ) from None


class StatisticsYearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年份"), coerce=int, widget=PlainSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()[1:]
        self.fields["year"].error_messages["invalid_choice"] = _("没有这一年的统计，请重新选择。")


# Staff action forms -----------------------------------------------------------------------


class ActionForm(forms.Form):
    note = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = MISSING
            field.error_messages["invalid_choice"] = _("请从列表中选择。")

    def params(self):
        return {}


class AssignForm(ActionForm):
    handler = forms.ModelChoiceField(label=_("承办人"), queryset=None)

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers

    def params(self):
        return {"handler": self.cleaned_data["handler"]}


class TransferForm(ActionForm):
    organisation = UnitChoiceField(label=_("转交单位"), queryset=None)
    note = forms.CharField(
        label=_("转办理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = units

    def params(self):
        return {"organisation": self.cleaned_data["organisation"]}


class ReplyForm(ActionForm):
    reply = forms.CharField(
        label=_("答复内容"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("提交后由审核人审核，审核通过即答复留言人；留言人同意公开的，可一并公开。"),
    )

    def params(self):
        return {"reply": self.cleaned_data["reply"]}


class ApproveForm(ActionForm):
    publish = forms.BooleanField(
        label=_("同时公开留言和答复"),
        required=False,
        initial=True,
        help_text=_("仅在留言人同意公开时可选；公开前请核对公开文本中没有个人信息。"),
    )

    def params(self):
        return {"publish": self.cleaned_data["publish"]}


class ReturnForm(ActionForm):
    note = forms.CharField(
        label=_("退回理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OutOfScopeForm(ActionForm):
    note = forms.CharField(
        label=_("不予受理理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "例如：属于信访、诉讼或其他法定途径办理的事项，或与本单位职责无关；将告知留言人。"
        ),
    )


class MergeForm(ActionForm):
    into = forms.CharField(
        label=_("合并到留言编号"),
        max_length=80,
        help_text=_("内容重复的留言并入先收到的那一件，一并答复。"),
    )


class PublicTextForm(ActionForm):
    public_subject = forms.CharField(label=_("公开的标题"), max_length=200, required=False)
    public_body = forms.CharField(
        label=_("公开的留言内容"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("删去姓名、住址等个人信息；不填则公开原文（身份证号和手机号自动隐去）。"),
    )

    def params(self):
        return {k: self.cleaned_data[k] for k in ("public_subject", "public_body")}


ACTION_FORMS = {
    "assign": AssignForm,
    "transfer": TransferForm,
    "save_draft": ReplyForm,
    "submit_reply": ReplyForm,
    "approve_reply": ApproveForm,
    "return_reply": ReturnForm,
    "close_out_of_scope": OutOfScopeForm,
    "merge": MergeForm,
    "edit_public_text": PublicTextForm,
}
