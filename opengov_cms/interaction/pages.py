"""The message box (留言板) as a Wagtail page: a base to subclass, and its behaviour.

One page serves, at its own address and below it:

- ``""``: the published messages with their replies, filtered by category, unit and year of
  the reply, a page at a time by a cursor (never an OFFSET, nothing counted);
- ``write/``: the form (post/redirect/get to ``write/?submitted=1``, which shows the tracking
  number and the query code from the receipt cookie, core.receipts);
- ``<id>/``: one published message and its reply;
- ``feed/``: an Atom feed of the list, with the same filters;
- ``statistics/``: received, replied, replied on time and the average working days to reply,
  per month, quarter and year, with CSV and XLSX downloads (``statistics/<year>/<format>/``).

Every published message shown goes through the one rule (core.visibility.leaving_messages).
"""

from datetime import date, datetime, time

from django.db import IntegrityError, models, transaction
from django.db.models import F, Value
from django.db.models.lookups import LessThan
from django.http import Http404, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from opengov_cms.catalogue.listing import Row, encode_cursor
from opengov_cms.conf import opengov_settings
from opengov_cms.core import ratelimit, receipts
from opengov_cms.core.forms import OrganisationPageForm, filled_too_fast
from opengov_cms.core.models import Organisation
from opengov_cms.core.pages import OpengovPageMixin
from opengov_cms.core.visibility import leaving_messages
from opengov_cms.interaction.forms import (
    MessageForm,
    PublishedFilterForm,
    StatisticsYearForm,
    make_form_token,
)
from opengov_cms.interaction.statistics import (
    concern_counts,
    parse_year,
    units_of,
    year_statistics,
)
from opengov_cms.interaction.tables import StatisticsSheet, concerns_table, year_table
from opengov_cms.reports.exports import csv_text, xlsx_bytes

PER_PAGE = 20
FEED_ITEMS = 50
MAX_ID = 2**63 - 1
DOWNLOAD_FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def message_url(box_url, message_id):
    """The public address of a published message under its message box."""
    return f"{box_url}{message_id}/" if box_url else ""


class AbstractMessageBoxPage(RoutablePageMixin, OpengovPageMixin, Page):
    """留言板: the public's messages to ``organisation`` and its units, and their replies."""

    organisation = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("受理机关"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留言人可从本机关及其下级单位中选择留言对象。"),
    )
    intro = RichTextField(
        _("说明"), blank=True, help_text=_("例如受理范围、答复时限、公开规则和注意事项。")
    )
    confirmation_text = RichTextField(
        _("提交成功后的说明"), blank=True, help_text=_("例如答复方式和联系电话。")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("organisation"),
        FieldPanel("intro"),
        FieldPanel("confirmation_text"),
    ]
    base_form_class = OrganisationPageForm
    subpage_types = []

    form_template = None
    confirmation_template = None
    message_template = None
    statistics_template = None

    class Meta:
        abstract = True

    # What the pages share ------------------------------------------------------------------

    def units(self):
        """The units a message may be sent to: the box's organisation first, then those below
        it by name."""
        ids = units_of(self.organisation) if self.organisation_id else []
        units = list(Organisation.objects.filter(pk__in=ids).order_by("name"))
        units.sort(key=lambda unit: unit.pk != self.organisation_id)
        return units

    def unit_queryset(self):
        ids = units_of(self.organisation) if self.organisation_id else []
        return Organisation.objects.filter(pk__in=ids).order_by("name")

    def published_messages(self):
        """The messages of this box that may leave the site now."""
        # Imported here: this module is loaded with the models (which subclass the page).
        from opengov_cms.interaction.models import Message

        return leaving_messages(Message.objects.filter(box=self)).select_related("organisation")

    def render_view(self, request, template, status=200, **extra):
        context = self.get_context(request)
        context.update(extra)
        return TemplateResponse(request, template, context, status=status)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["box_url"] = self.get_url(request)
        return context

    # The published list, its feed ---------------------------------------------------------

    def filtered(self, form):
        """The published messages matching the filter form's choices, newest reply first."""
        data = form.cleaned_data
        messages = self.published_messages()
        if data.get("category"):
            messages = messages.filter(category=data["category"])
        if data.get("unit"):
            messages = messages.filter(organisation_id=data["unit"])
        if data.get("year"):
            year = data["year"]
            messages = messages.filter(
                replied_on__gte=date(year, 1, 1), replied_on__lte=date(year, 12, 31)
            )
        return messages.order_by("-replied_on", "-pk")

    @path("")
    def index(self, request):
        units = self.units()
        form = PublishedFilterForm(request.GET, units=units)
        items, next_query, first_query = [], "", ""
        status = 200
        if not form.is_valid():
            status = 400
        else:
            messages = self.filtered(form)
            after = form.cleaned_data.get("after")
            if after:
                try:
                    day = date.fromisoformat(after[0])
                except ValueError:
                    form.add_error("after", gettext("翻页参数不正确，请从第一页重新浏览。"))
                    return self.render_view(
                        request, self.get_template(request), 400, form=form, units=units
                    )
                # Where the cursor points: from that reply on, never counting the rows before.
                messages = messages.filter(replied_on__lte=day).filter(
                    LessThan(
                        Row(F("replied_on"), F("pk")),
                        Row(Value(day, output_field=models.DateField()), Value(after[1])),
                    )
                )
            rows = list(messages[: PER_PAGE + 1])
            items = rows[:PER_PAGE]
            if after and not items:
                raise Http404(gettext("没有更多留言了。"))
            query = QueryDict(mutable=True)
            for name in ("category", "unit", "year"):
                if request.GET.get(name):
                    query[name] = request.GET[name][:20]
            first_query = query.urlencode()
            if len(rows) > PER_PAGE:
                last = items[-1]
                query["after"] = encode_cursor([last.replied_on.isoformat(), last.pk])
                next_query = query.urlencode()
        return self.render_view(
            request,
            self.get_template(request),
            status,
            form=form,
            units=units,
            items=items,
            next_query=next_query,
            first_query=first_query,
            is_first_page=not request.GET.get("after"),
        )

    @path("feed/")
    def feed(self, request):
        form = PublishedFilterForm(request.GET, units=self.units())
        if not form.is_valid():
            errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
            return HttpResponseBadRequest(
                "\n".join(errors), content_type="text/plain; charset=utf-8"
            )
        box_url = self.get_url(request)
        atom = Atom1Feed(
            title=self.title,
            link=request.build_absolute_uri(box_url),
            description=gettext("%(title)s 公开的留言和答复") % {"title": self.title},
            language="zh-hans",
            feed_url=request.build_absolute_uri(),
        )
        for message in self.filtered(form)[:FEED_ITEMS]:
            link = request.build_absolute_uri(message_url(box_url, message.pk))
            replied = timezone.make_aware(datetime.combine(message.replied_on, time()))
            atom.add_item(
                title=message.shown_subject,
                link=link,
                description=message.shown_summary,
                unique_id=link,
                updateddate=replied,
                categories=[message.get_category_display()],
                author_name=message.organisation.name,
            )
        return HttpResponse(
            atom.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8"
        )

    @path("<int:message_id>/")
    def message(self, request, message_id):
        if not 0 < message_id <= MAX_ID:
            raise Http404
        found = self.published_messages().filter(pk=message_id).first()
        if found is None:
            raise Http404(gettext("没有这条公开的留言。"))
        return self.render_view(request, self.message_template, message=found)

    # The form -------------------------------------------------------------------------------

    @path("write/")
    def write(self, request):
        # Error reports must not carry what senders typed.
        request.sensitive_post_parameters = "__ALL__"
        if request.method == "GET" and "submitted" in request.GET:
            return self.serve_confirmation(request)
        status, limited = 200, False
        if request.method == "POST":
            form = MessageForm(request.POST, units=self.unit_queryset())
            status = 400
            # Only messages that would be registered count: a sender correcting mistakes is
            # not held back.
            if form.is_valid():
                if not ratelimit.allow(
                    request, "message", opengov_settings.INTERACTION_SUBMIT_RATE
                ):
                    limited, status = True, 429
                else:
                    return self.handle_valid_form(request, form)
        else:
            form = MessageForm(
                initial={"form_token": make_form_token()}, units=self.unit_queryset()
            )
        response = self.render_view(
            request, self.form_template, status, form=form, rate_limited=limited
        )
        # Each form carries its own token and CSRF token: no shared cache may keep it.
        add_never_cache_headers(response)
        return response

    def write_url(self):
        return self.get_url() + self.reverse_subpage("write")

    @sensitive_variables()
    def handle_valid_form(self, request, form):
        """Register the message once per form token."""
        # Imported here: this module is loaded with the models (which subclass the page).
        from opengov_cms.interaction import notifications, workflow
        from opengov_cms.interaction.models import Message

        token = form.cleaned_data["form_token"]
        message = Message(
            **form.message_fields(),
            box=self,
            # Received the day it is sent: the form confirms it at once.
            received_on=timezone.localdate(),
            form_token=token,
            fill_seconds=form.fill_seconds,
            likely_automated=filled_too_fast(form.fill_seconds),
        )
        try:
            with transaction.atomic():
                code = workflow.receive(message)
        except IntegrityError:
            # The same form sent twice (a double click, a reload): the first one won.
            if Message.objects.filter(form_token=token).exists():
                return redirect(self.write_url() + "?submitted=1")
            raise
        transaction.on_commit(lambda: notifications.send_receipt(message, code))
        url = self.write_url()
        receipt = {
            "tracking_number": message.tracking_number,
            "query_code": code,
            "due_date": message.due_date.isoformat() if message.due_date else "",
            "reply_period": message.reply_period,
        }
        return receipts.give(redirect(url + "?submitted=1"), request, url, self.pk, receipt)

    def serve_confirmation(self, request):
        submitted = receipts.read(request, self.pk)
        if submitted is None:
            return redirect(self.write_url())
        response = self.render_view(request, self.confirmation_template, submitted=submitted)
        add_never_cache_headers(response)
        return response

    # Statistics -----------------------------------------------------------------------------

    def statistics_tables(self, year):
        units = units_of(self.organisation) if self.organisation_id else []
        return [
            year_table(year_statistics(year, units), year),
            concerns_table(concern_counts(year, self.organisation), year),
        ]

    @path("statistics/")
    def statistics(self, request):
        this_year = timezone.localdate().year
        form = StatisticsYearForm(request.GET if "year" in request.GET else {"year": this_year})
        if not form.is_valid():
            return self.render_view(request, self.statistics_template, 400, form=form)
        year = form.cleaned_data["year"]
        base = self.get_url(request) + self.reverse_subpage("statistics")
        return self.render_view(
            request,
            self.statistics_template,
            form=form,
            year=year,
            tables=self.statistics_tables(year),
            downloads=[(fmt, f"{base}{year}/{fmt}/") for fmt in DOWNLOAD_FORMATS],
        )

    @path("statistics/<int:year>/<str:fmt>/")
    def statistics_download(self, request, year, fmt):
        year = parse_year(year, None)
        if fmt not in DOWNLOAD_FORMATS or year is None or year > timezone.localdate().year:
            raise Http404(gettext("没有这种下载。"))
        title = gettext("%(title)s %(year)s年统计") % {"title": self.title, "year": year}
        sheet = StatisticsSheet(title, self.statistics_tables(year))
        body = csv_text(sheet).encode("utf-8") if fmt == "csv" else xlsx_bytes(sheet)
        response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="messages-{year}.{fmt}"'
        return response
