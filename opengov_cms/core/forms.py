"""Forms shared by the package: the admin form of disclosed pages, and a mixin for public
forms."""

import copy
import time
import uuid

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from opengov_cms.conf import opengov_settings


def limit_organisation_field(form, user, roles, name="organisation"):
    """Offer in ``form``'s ``name`` field, and accept from it, only the organisations
    ``user`` acts for in one of ``roles`` (opengov_cms.core.memberships). A forged choice
    of another organisation is refused by the field with a message saying what to do."""
    # Imported here: the core's models import this module.
    from opengov_cms.core import memberships
    from opengov_cms.core.models import Organisation

    field = form.fields.get(name)
    if field is None or user is None or not isinstance(field, forms.ModelChoiceField):
        return
    ids = memberships.organisation_ids(user, roles)
    if ids is None:
        return  # the city office picks from every organisation, with the chooser
    # A person working for a few organisations picks from them; the chooser would list all.
    field.widget = forms.Select(attrs=field.widget.attrs)
    field.queryset = Organisation.objects.filter(pk__in=ids).order_by("name")
    field.error_messages["invalid_choice"] = _(
        "只能选择您所在的机构（政务公开 → 机构人员）。请从列表中选择；"
        "需要以其他机构名义发布的，请联系该机构或全市政务公开办公室。"
    )


class OrganisationPageForm(WagtailAdminPageForm):
    """The admin form of a page with an organisation (发布机构, 所属机构, 受理机关): it offers
    and accepts only the organisations the editor works for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Imported here: the core's models import this module.
        from opengov_cms.core.memberships import PAGE_ROLES

        limit_organisation_field(self, self.for_user, PAGE_ROLES)


class DisclosurePageForm(OrganisationPageForm):
    """Adds the editor's choice to have the index number given before publication."""

    assign_index_number_now = forms.BooleanField(
        label=_("立即生成索引号"),
        required=False,
        help_text=_("不勾选则在首次发布时自动生成。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.index_number:
            del self.fields["assign_index_number_now"]

    def save(self, commit=True):
        page = super().save(commit=False)
        if self.cleaned_data.get("assign_index_number_now"):
            page.assign_index_number()
        if commit:
            page.save()
        return page


class LightlyCopiedFields(dict):
    """A form class's fields, copied for each form as Django copies them, except that the
    choices of a choice field are shared instead of deep-copied (and a choice widget's not
    normalised again): for a public form that is most of what making it costs. A form that
    needs other choices assigns them (``form.fields[name].choices = …``), which replaces the
    shared list; nothing may change one in place. Fields of other kinds, and choice fields
    of several values or widgets, are copied deeply as Django does."""

    def __deepcopy__(self, memo):
        return {name: _light_copy(field, memo) for name, field in self.items()}


def _light_copy(field, memo):
    if type(field).__deepcopy__ not in (forms.Field.__deepcopy__, forms.ChoiceField.__deepcopy__):
        return copy.deepcopy(field, memo)
    widget = field.widget
    if isinstance(widget, forms.MultiWidget) or type(widget).__deepcopy__ not in (
        forms.Widget.__deepcopy__,
        forms.widgets.ChoiceWidget.__deepcopy__,
    ):
        return copy.deepcopy(field, memo)
    result = _shallow_copy(field)
    memo[id(field)] = result
    result.widget = _shallow_copy(widget)
    result.widget.attrs = widget.attrs.copy()
    memo[id(widget)] = result.widget
    result.error_messages = field.error_messages.copy()
    result.validators = field.validators[:]
    return result


def _shallow_copy(instance):
    """``copy.copy`` for an object that keeps its state in its ``__dict__`` (fields and
    widgets), without the pickle protocol's detour."""
    result = instance.__class__.__new__(instance.__class__)
    result.__dict__.update(instance.__dict__)
    return result


def copy_fields_lightly(form_class):
    """Make ``form_class``'s forms copy its fields with :class:`LightlyCopiedFields`."""
    if not isinstance(form_class.base_fields, LightlyCopiedFields):
        form_class.base_fields = LightlyCopiedFields(form_class.base_fields)


class AccessibleErrorsMixin:
    """Ties each field's error message to the field (``id_<name>-error``) for screen
    readers; the template renders the message with that id."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                error_id = f"id_{name}-error"
                # Keep the help text the field is already described by, the error after it.
                ids = [i for i in attrs.get("aria-describedby", "").split() if i != error_id]
                attrs.update(
                    {"aria-invalid": "true", "aria-describedby": " ".join([*ids, error_id])}
                )


class HolidayNoticeForm(forms.Form):
    """The text of a holiday notice pasted by staff, read into a year's schedule."""

    REPLACE = "replace"
    AMEND = "amend"

    year = forms.IntegerField(
        label=_("年份"),
        required=False,
        min_value=2014,
        max_value=2200,
        help_text=_("连同标题粘贴时可不填，按标题中的年份录入。"),
    )
    notice = forms.CharField(
        label=_("通知名称和文号"),
        required=False,
        max_length=200,
        help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕X号）"),
    )
    mode = forms.ChoiceField(
        label=_("录入方式"),
        choices=[
            (REPLACE, _("按这份通知录入全年安排（替换该年已录入的日期）")),
            (AMEND, _("这是调整或延长假期的通知，在已录入的日期上修改")),
        ],
        initial=REPLACE,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("通知原文"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "从中国政府网复制通知全文粘贴在这里（至少包括“一、元旦：……”等各段）。"
            "先预览，核对无误后再保存。"
        ),
    )


# Form tokens: when a public form was handed out ----------------------------------------

#: How long a public form may stay open before it is sent.
FORM_TOKEN_MAX_AGE = 24 * 3600


def make_form_token(salt):
    """A signed token for a public form, saying when it was handed out."""
    return signing.dumps({"n": uuid.uuid4().hex, "t": round(time.time(), 1)}, salt=salt)


def form_fill_seconds(token, salt, max_age=FORM_TOKEN_MAX_AGE):
    """Seconds between handing out the form and now; None for a token that carries no time
    (made before tokens did). Raises ``signing.BadSignature`` for a forged or old token."""
    value = signing.loads(token, salt=salt, max_age=max_age)
    if isinstance(value, dict) and isinstance(value.get("t"), int | float):
        return max(0.0, time.time() - value["t"])
    return None


def filled_too_fast(seconds):
    """Whether a form filled in ``seconds`` was likely filled by a program."""
    return seconds is not None and seconds < opengov_settings.FORM_MIN_FILL_SECONDS


USER_NOT_OFFERED = _(
    "只能选择尚未加入任何机构的用户或本机构的人员。其他机构的人员请联系该机构的政务公开办公室"
    "负责人或全市政务公开办公室。"
)


class MembershipForm(WagtailAdminModelForm):
    """机构人员 in the admin. The city office enters anyone for any organisation; the head of
    a disclosure office (政务公开办公室负责人) is offered, and may save, only their own
    organisations and the units under them, never the city office's role, and only the
    users entered for no organisation yet or already entered for one of theirs (not the
    other departments' staff, nor superusers)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Imported here: the core's models import this module.
        from opengov_cms.core import memberships
        from opengov_cms.core.models import MembershipRole, Organisation

        self.managed_ids = (
            memberships.managed_organisation_ids(self.for_user) if self.for_user else None
        )
        if self.managed_ids is None:
            return
        for name in ("organisation", "unit"):
            field = self.fields.get(name)
            if field is None:
                continue
            field.widget = forms.Select(attrs=field.widget.attrs)
            field.queryset = Organisation.objects.filter(pk__in=self.managed_ids).order_by("name")
            field.error_messages["invalid_choice"] = _(
                "只能选择您负责的机构及其下级单位。其他机构的人员请联系该机构的政务公开办公室"
                "负责人或全市政务公开办公室。"
            )
        role = self.fields.get("role")
        if role is not None:
            role.choices = [
                (value, label) for value, label in role.choices if value != MembershipRole.CITY
            ]
            role.error_messages["invalid_choice"] = _(
                "“全市政务公开办公室”身份只能由全市政务公开办公室授予，请选择其他身份。"
            )
        user = self.fields.get("user")
        if user is not None:
            user.queryset = self.offered_users()
            user.error_messages["invalid_choice"] = USER_NOT_OFFERED

    def offered_users(self):
        """The users a head may enter: those entered for no organisation yet and those
        already entered for one of the head's organisations or units (one query)."""
        from django.contrib.auth import get_user_model
        from django.db.models import Q

        from opengov_cms.core.models import Membership

        ids = list(self.managed_ids)
        theirs = Membership.objects.filter(Q(organisation__in=ids) | Q(unit__in=ids))
        return (
            get_user_model()
            .objects.filter(is_superuser=False)
            .filter(
                Q(pk__in=theirs.values("user_id")) | ~Q(pk__in=Membership.objects.values("user_id"))
            )
            .order_by(get_user_model().USERNAME_FIELD)
        )

    def clean(self):
        cleaned = super().clean()
        if self.managed_ids is None:
            return cleaned
        from opengov_cms.core.models import MembershipRole

        # The choices above already refuse a forged value; said again on save, so that no
        # other way of filling the form gets round them.
        organisation = cleaned.get("organisation")
        unit = cleaned.get("unit")
        if organisation is not None and organisation.pk not in self.managed_ids:
            self.add_error("organisation", _("只能为您负责的机构添加或修改人员。"))
        if unit is not None and unit.pk not in self.managed_ids:
            self.add_error("unit", _("只能选择您负责的机构的下级单位。"))
        if cleaned.get("role") == MembershipRole.CITY:
            self.add_error(
                "role", _("“全市政务公开办公室”身份只能由全市政务公开办公室授予，请选择其他身份。")
            )
        user = cleaned.get("user")
        if user is not None and not self.offered_users().filter(pk=user.pk).exists():
            self.add_error("user", USER_NOT_OFFERED)
        return cleaned
