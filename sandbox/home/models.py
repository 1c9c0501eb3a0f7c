"""The sandbox's home page: the front page of a 政府信息公开 site, built from the package's
pieces the way a host site would build its own."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from opengov_cms.catalogue.front import catalogue_root, latest_by_section, latest_items
from opengov_cms.catalogue.models import GuidePage
from opengov_cms.core.visibility import leaving
from opengov_cms.disclosure_requests.models import RequestFormPage
from opengov_cms.policies.models import ConsultationPage, InterpretationPage
from opengov_cms.reports.models import AnnualReportPage

#: The sections the front page leaves to their own blocks (政策解读, 公开年报) or to the
#: entrances (依申请公开), by slug of the catalogue's default tree.
OWN_BLOCKS = {"interpretations", "annual-reports", "on-request"}


def reverse_or_none(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


class HomePage(Page):
    intro = RichTextField(_("简介"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("首页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        catalogue = catalogue_root(self)
        context.update(
            catalogue=catalogue,
            sections=[
                (section, items)
                for section, items in latest_by_section(catalogue)
                if section.slug not in OWN_BLOCKS
            ],
            interpretations=latest_items(catalogue, count=5, model=InterpretationPage),
            guide=leaving(GuidePage.objects.descendant_of(self)).order_by("path").first(),
            request_form=leaving(RequestFormPage.objects.descendant_of(self))
            .order_by("path")
            .first(),
            status_url=reverse_or_none("opengov_requests:status"),
            search_url=reverse_or_none("opengov_search:search"),
            annual_reports=list(
                leaving(AnnualReportPage.objects.descendant_of(self)).order_by(
                    "-report_year", "path"
                )[:5]
            ),
            consultations=list(
                leaving(ConsultationPage.objects.descendant_of(self)).order_by("-opens_at")[:3]
            ),
        )
        return context
