"""The public comment form of a consultation."""

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from opengov_cms.conf import opengov_settings
from opengov_cms.core.forms import (
    AccessibleErrorsMixin,
    filled_too_fast,
    form_fill_seconds,
    make_form_token,
)

FORM_TOKEN_SALT = "opengov_policies.consultation-comment"


class CommentForm(AccessibleErrorsMixin, forms.Form):
    name = forms.CharField(label=_("姓名或单位（选填）"), max_length=100, required=False)
    contact = forms.CharField(
        label=_("联系方式（选填）"),
        max_length=200,
        required=False,
        help_text=_("电话或电子邮箱，仅供工作人员联系，不公开。"),
    )
    body = forms.CharField(label=_("意见内容"), widget=forms.Textarea(attrs={"rows": 8}))
    # Left empty by people; filled in by robots that fill in every field.
    website = forms.CharField(
        label=_("请勿填写此项"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    # When the form was handed out: a comment sent faster than a person types is kept, marked.
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        if not args and "data" not in kwargs:
            kwargs.setdefault("initial", {}).setdefault(
                "form_token", make_form_token(FORM_TOKEN_SALT)
            )
        super().__init__(*args, **kwargs)
        self.fill_seconds = None
        limit = opengov_settings.CONSULTATION_COMMENT_MAX_LENGTH
        self.fields["body"].max_length = limit
        self.fields["body"].validators[:] = []
        self.fields["body"].widget.attrs["maxlength"] = str(limit)
        self.fields["body"].help_text = _("不超过%(limit)d字。") % {"limit": limit}
        self.fields["body"].error_messages["required"] = _("请填写意见内容。")
        for name, field in self.fields.items():
            if name != "website" and field.help_text:
                field.widget.attrs.setdefault("aria-describedby", f"id_{name}-help")

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        limit = opengov_settings.CONSULTATION_COMMENT_MAX_LENGTH
        if len(body) > limit:
            raise forms.ValidationError(
                _("意见内容不能超过%(limit)d字，当前%(length)d字，请精简后再提交。")
                % {"limit": limit, "length": len(body)}
            )
        if not body:
            raise forms.ValidationError(_("请填写意见内容。"))
        return body

    @property
    def likely_automated(self):
        """Sent faster than a person fills it in, or with a token it was never given."""
        try:
            self.fill_seconds = form_fill_seconds(self.data.get("form_token", ""), FORM_TOKEN_SALT)
        except signing.BadSignature:
            return True
        return self.fill_seconds is None or filled_too_fast(self.fill_seconds)

    @property
    def is_robot(self):
        return bool(self.data.get("website"))
