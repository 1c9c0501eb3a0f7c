"""Public forms copy their fields cheaply (core.forms.LightlyCopiedFields), and what one
form changes of its fields is still its own."""

from django import forms

from opengov_cms.core.forms import copy_fields_lightly
from opengov_cms.disclosure_requests.forms import PublicApplicationForm
from opengov_cms.interaction.forms import MessageForm


class Sample(forms.Form):
    kind = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=forms.RadioSelect)
    name = forms.CharField(help_text="姓名")
    when = forms.SplitDateTimeField(required=False)


copy_fields_lightly(Sample)


def test_what_one_form_changes_of_its_fields_is_its_own():
    first, second = Sample(), Sample()
    first.fields["name"].widget.attrs["aria-invalid"] = "true"
    first.fields["name"].error_messages["required"] = "请填写姓名"
    first.fields["name"].help_text = "另一说明"
    first.fields["name"].validators.append(lambda value: None)
    first.fields["kind"].choices = [("c", "丙")]
    for form in (second, Sample()):
        name = form.fields["name"]
        assert "aria-invalid" not in name.widget.attrs
        assert name.error_messages["required"] != "请填写姓名"
        assert name.help_text == "姓名"
        assert name.validators == Sample.base_fields["name"].validators
        assert list(form.fields["kind"].choices) == [("a", "甲"), ("b", "乙")]
        assert 'value="a"' in str(form["kind"])
    assert 'value="c"' in str(first["kind"]) and 'value="a"' not in str(first["kind"])
    # A field of several widgets is copied whole, as Django copies it.
    assert first.fields["when"].widget.widgets[0] is not second.fields["when"].widget.widgets[0]


def test_the_public_forms_validate_and_describe_each_form_on_its_own():
    for form_class in (PublicApplicationForm, MessageForm):
        bad = form_class({"description": ""})
        assert not bad.is_valid()
        good = form_class()
        invalid = [f for f in bad.fields.values() if f.widget.attrs.get("aria-invalid")]
        assert invalid
        assert not [f for f in good.fields.values() if f.widget.attrs.get("aria-invalid")]
