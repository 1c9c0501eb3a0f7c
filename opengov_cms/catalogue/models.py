"""The disclosure catalogue (政府信息公开目录): sections, year folders, entries, the guide, and
the listing table every section is read from."""

from django.db import models
from django.db.models import Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from opengov_cms.catalogue.kept import KeptPartsMixin
from opengov_cms.catalogue.listing import InvalidListing, catalogue_listing
from opengov_cms.core.forms import OrganisationPageForm
from opengov_cms.core.models import AbstractAttachment, DisclosureMetadata, Validity
from opengov_cms.core.pages import OpengovPageMixin
from opengov_cms.core.visibility import leaving_rows
from opengov_cms.search.mixins import SearchAttachmentsMixin

# How many path segments below a catalogue page are looked up in one query; a longer
# path (never a real one: section, year, page) continues the ordinary way.
ROUTE_LOOKAHEAD = 8


def _routes_by_slug(model):
    """Whether ``model`` routes as Wagtail's pages do: a path segment is a child's slug."""
    return model.route is Page.route or model.route is CatalogueRoutingMixin.route


def _for_display(page):
    """The specific page, with what its public page shows read in the same query where
    the page type says how (``display_queryset``)."""
    model = page.specific_class
    if model is None or isinstance(page, model):
        return page
    queryset = getattr(model, "display_queryset", None)
    specific = (queryset() if queryset else model._default_manager).get(pk=page.pk)
    for name, value in page.__dict__.items():
        specific.__dict__.setdefault(name, value)
    return specific


class CatalogueRoutingMixin:
    """Finds a page below a catalogue page in two queries whatever its depth (section,
    year folder, page): one for the pages on the path, one for the page itself with its
    metadata. Wagtail's own routing reads every level twice. A page on the way whose type
    routes in its own way (``route`` overridden) is given the rest of the path as usual."""

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        lookahead = path_components[:ROUTE_LOOKAHEAD]
        on_path = Q()
        for offset, slug in enumerate(lookahead, start=1):
            on_path |= Q(depth=self.depth + offset, slug=slug)
        found = {
            (page.depth, page.slug, page.path[: -Page.steplen]): page
            for page in Page.objects.filter(on_path, path__startswith=self.path)
        }
        parent = self
        for offset, slug in enumerate(path_components, start=1):
            page = found.get((parent.depth + 1, slug, parent.path))
            if page is None:
                if offset > len(lookahead):
                    return _for_display(parent).route(request, path_components[offset - 1 :])
                raise Http404
            # As Wagtail's routing does, so get_parent() costs no query.
            page._cached_parent_obj = parent
            model = page.specific_class
            if offset == len(path_components) or model is None or not _routes_by_slug(model):
                return _for_display(page).route(request, path_components[offset:])
            parent = page
        raise Http404


class AbstractCatalogueIndexPage(KeptPartsMixin, CatalogueRoutingMixin, OpengovPageMixin, Page):
    """A catalogue root (bound to an organisation) or one of its sections (栏目)."""

    organisation = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("目录根栏目须选择机构；子栏目可留空，沿用上级栏目的机构。"),
    )
    intro = RichTextField(_("栏目说明"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("organisation"), FieldPanel("intro")]
    base_form_class = OrganisationPageForm
    kept_parts = ("breadcrumbs", "sections")
    #: A place in the tree that several organisations may share: the admin lists it to
    #: everyone who may explore there (opengov_cms.core.memberships.scope_pages).
    organisation_section = True

    class Meta:
        abstract = True

    def kept_part_names(self, listing=None, **kwargs):
        if listing is None:
            return self.kept_parts
        return (*self.kept_parts, listing.filters_part, listing.feeds_part)

    def get_context(self, request, *args, listing=None, **kwargs):
        context = super().get_context(request, *args, listing=listing, **kwargs)
        context["listing"] = listing or catalogue_listing(self, request.GET)
        return context

    def serve(self, request, *args, **kwargs):
        try:
            listing = catalogue_listing(self, request.GET)
        except InvalidListing as error:
            # A filter value that makes no sense: say so on the page, with a 400.
            return TemplateResponse(
                request,
                self.get_template(request),
                self.get_context(request, listing=error.listing),
                status=400,
            )
        if listing.beyond_the_end:
            raise Http404(_("没有更多信息了。"))
        return super().serve(request, *args, listing=listing, **kwargs)


class CatalogueIndexPage(AbstractCatalogueIndexPage):
    template = "opengov_catalogue/catalogue_index_page.html"
    subpage_types = [
        "opengov_catalogue.CatalogueIndexPage",
        "opengov_catalogue.CatalogueYearPage",
        "opengov_catalogue.DisclosureEntryPage",
        "opengov_catalogue.GuidePage",
        "opengov_requests.RequestFormPage",
        "opengov_policies.PolicyDocumentPage",
        "opengov_policies.InterpretationPage",
        "opengov_policies.ConsultationPage",
        "opengov_reports.QuarterlyReportPage",
        "opengov_reports.AnnualReportPage",
        "opengov_interaction.ConcernResponsePage",
        "opengov_interaction.InteractionQuarterlyReportPage",
    ]

    class Meta:
        verbose_name = _("公开目录栏目")
        verbose_name_plural = _("公开目录栏目")


class CatalogueYearPage(CatalogueRoutingMixin, OpengovPageMixin, Page):
    """A year folder under a section; entries are filed here so no parent grows huge."""

    template = "opengov_catalogue/catalogue_index_page.html"
    opengov_site_map = False  # a filing folder, not a section of the site map (网站地图)
    parent_page_types = ["opengov_catalogue.CatalogueIndexPage"]
    subpage_types = [
        "opengov_catalogue.DisclosureEntryPage",
        "opengov_policies.PolicyDocumentPage",
        "opengov_policies.InterpretationPage",
        "opengov_reports.QuarterlyReportPage",
        "opengov_reports.AnnualReportPage",
        "opengov_interaction.ConcernResponsePage",
        "opengov_interaction.InteractionQuarterlyReportPage",
    ]

    class Meta:
        verbose_name = _("年度")
        verbose_name_plural = _("年度")

    def get_sitemap_urls(self, request=None):
        return []  # its address only sends readers to the section, filtered by year

    def serve(self, request, *args, **kwargs):
        from django.shortcuts import redirect

        # A year folder is not a page readers need: its section lists and filters by year.
        section = self.get_parent()
        return redirect(f"{section.url}?year={self.slug}")


class AbstractDisclosureEntryPage(KeptPartsMixin, DisclosureMetadata, OpengovPageMixin, Page):
    """A disclosed item (公开信息) with its metadata, a body and attachments."""

    body = RichTextField(_("正文"), blank=True)

    content_panels = [*Page.content_panels, *DisclosureMetadata.metadata_panels, FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("document_number"),
        index.SearchField("index_number"),
    ]

    class Meta:
        abstract = True

    def get_search_document(self):
        from opengov_cms.catalogue.documents import search_document

        return search_document(self, body_html=self.body)


class DisclosureEntryPage(SearchAttachmentsMixin, AbstractDisclosureEntryPage):
    template = "opengov_catalogue/disclosure_entry_page.html"
    parent_page_types = [
        "opengov_catalogue.CatalogueIndexPage",
        "opengov_catalogue.CatalogueYearPage",
    ]
    subpage_types = []

    content_panels = [
        *AbstractDisclosureEntryPage.content_panels,
        InlinePanel("attachments", label=_("附件")),
    ]

    kept_parts = ("breadcrumbs", "metadata", "attachments")

    class Meta:
        verbose_name = _("公开信息")
        verbose_name_plural = _("公开信息")

    def attachment_list(self):
        """The attachments with their documents, read where the page shows them: a view
        whose list is kept (``{% kept %}``) does not read them."""
        return EntryAttachment.for_page(self)


class EntryAttachment(AbstractAttachment):
    """附件: a file published with an entry (the original document, forms, tables)."""

    page = ParentalKey(DisclosureEntryPage, related_name="attachments", on_delete=models.CASCADE)

    class Meta(AbstractAttachment.Meta):
        verbose_name = _("附件")
        verbose_name_plural = _("附件")


class GuidePage(OpengovPageMixin, Page):
    """政府信息公开指南: rendered from the organisation's data plus editable text."""

    organisation = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("机构"),
        null=True,
        blank=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = RichTextField(
        _("指南正文"),
        blank=True,
        help_text=_("主动公开的范围、方式和时限，依申请公开的受理、处理流程和收费等。"),
    )

    template = "opengov_catalogue/guide_page.html"
    content_panels = [*Page.content_panels, FieldPanel("organisation"), FieldPanel("body")]
    base_form_class = OrganisationPageForm
    parent_page_types = ["opengov_catalogue.CatalogueIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("公开指南")
        verbose_name_plural = _("公开指南")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["request_forms"] = request_form_links(self)
        return context


def request_form_links(page):
    """The online application forms the guide lists as a channel, live ones of this site."""
    from django.apps import apps

    try:
        model = apps.get_model("opengov_requests", "RequestFormPage")
    except LookupError:
        return []
    return list(model.objects.live().public().in_site(page.get_site()))


class CatalogueItemQuerySet(models.QuerySet):
    def public(self):
        """The rows that may leave the site now (opengov_cms.core.visibility): every reader
        of the table outside the admin starts here."""
        return leaving_rows(self)


class CatalogueItem(models.Model):
    """One row per live, 主动公开 disclosed page: what section lists, feeds, exports and the
    API read, so a listing is one indexed query whatever page types it mixes. Read it
    through ``CatalogueItem.objects.public()``, which leaves out what may not leave now."""

    page = models.OneToOneField(
        "wagtailcore.Page", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    path = models.CharField(max_length=255, db_index=True)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=500)
    summary = models.TextField(blank=True)
    index_number = models.CharField(max_length=100, blank=True)
    document_number = models.CharField(max_length=100, blank=True)
    organisation = models.ForeignKey(
        "opengov_core.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    topic = models.ForeignKey(
        "opengov_core.Topic", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    genre = models.ForeignKey(
        "opengov_core.Genre", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    document_kind = models.ForeignKey(
        "opengov_core.DocumentKind", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    year = models.PositiveSmallIntegerField(null=True)
    validity = models.CharField(max_length=20, choices=Validity.choices)
    written_date = models.DateField(null=True)
    publication_date = models.DateField()
    expire_at = models.DateTimeField(null=True)

    objects = CatalogueItemQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["-publication_date", "-page"], name="opengov_cat_date"),
            models.Index(
                fields=["organisation", "-publication_date", "-page"], name="opengov_cat_org"
            ),
            models.Index(fields=["topic", "-publication_date", "-page"], name="opengov_cat_topic"),
            models.Index(fields=["year", "-publication_date", "-page"], name="opengov_cat_year"),
            models.Index(fields=["index_number", "page"], name="opengov_cat_index"),
        ]

    def __str__(self):
        return self.title


class ImportedRow(models.Model):
    """A row of a legacy catalogue file already imported, so a rerun skips it."""

    key = models.CharField(max_length=64, unique=True)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.key
