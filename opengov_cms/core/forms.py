"""Forms shared by the package: the admin form of disclosed pages, and a mixin for public
forms."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class DisclosurePageForm(WagtailAdminPageForm):
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
