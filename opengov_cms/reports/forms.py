"""Admin forms of the reports: the report pages' metadata form plus the choice to count
again, and the yearly figures' form."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from opengov_cms.core.forms import DisclosurePageForm


class ReportPageForm(DisclosurePageForm):
    """A report keeps the figures it was made with; ticking 重新统计 counts them again from
    the current records when the form is saved (ticked by default until first published)."""

    refresh_statistics = forms.BooleanField(
        label=_("保存时重新统计"),
        required=False,
        help_text=_(
            "按申请记录、政策文件和年度统计数据重新生成统计表。"
            "已发布的报告只在勾选时更新，发布后的数字保持不变。"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "refresh_statistics" in self.fields:
            self.fields["refresh_statistics"].initial = (
                self.instance.pk is None or self.instance.first_published_at is None
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("refresh_statistics") and not cleaned.get("organisation"):
            self.add_error("organisation", _("统计前请先选择发布机构。"))
        return cleaned

    def save(self, commit=True):
        page = super().save(commit=False)
        if self.cleaned_data.get("refresh_statistics"):
            page.refresh_statistics()
        if commit:
            page.save()
        return page


class AnnualFiguresForm(WagtailAdminModelForm):
    """The yearly figures, offering only the organisations the user may enter them for."""

    def __init__(self, *args, **kwargs):
        from opengov_cms.reports.permissions import enters_every_organisation, figures_organisations

        super().__init__(*args, **kwargs)
        field = self.fields.get("organisation")
        if field is None or self.for_user is None:
            return
        if not enters_every_organisation(self.for_user):
            # Department staff pick from their few organisations; the chooser would list all.
            field.widget = forms.Select()
            field.error_messages["invalid_choice"] = _(
                "只能录入您作为信息公开工作人员所在机构的统计数据，请从列表中选择。"
            )
        field.queryset = figures_organisations(self.for_user)
