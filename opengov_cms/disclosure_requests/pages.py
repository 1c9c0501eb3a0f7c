"""The online application form as a Wagtail page: a base to subclass, and its behaviour."""

import contextlib

from django.db import IntegrityError, models, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from opengov_cms.conf import opengov_settings
from opengov_cms.core import ratelimit, receipts
from opengov_cms.core.forms import OrganisationPageForm, filled_too_fast
from opengov_cms.core.pages import OpengovPageMixin

#: The rate limit's name for applications (REQUESTS_SUBMIT_RATE).
SUBMIT_SCOPE = "submit"


class AbstractRequestFormPage(OpengovPageMixin, Page):
    """依申请公开申请表: the form of Art. 29, for applications to one organisation.

    A successful submission redirects to ``?submitted=1`` on the same page, which shows
    the tracking number and the query code from the receipt cookie set with the redirect
    (post/redirect/get; core.receipts).
    """

    intro = RichTextField(
        _("说明"), blank=True, help_text=_("显示在申请表上方，例如办理流程和注意事项。")
    )
    organisation = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("受理机关"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmation_text = RichTextField(
        _("提交成功后的说明"), blank=True, help_text=_("例如答复期限和联系电话。")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("organisation"),
        FieldPanel("intro"),
        FieldPanel("confirmation_text"),
    ]

    base_form_class = OrganisationPageForm
    confirmation_template = None
    subpage_types = []

    class Meta:
        abstract = True

    def keep_for_serving(self):
        """Read now what serving a submission reads of the page, for a copy kept across
        requests (views.request_form_page): its view restrictions and the site root paths
        its URL is made from, and the URL itself. Whatever changes them moves the pages
        version, and the copy is dropped."""
        from opengov_cms.core.pages import share_site_root_paths

        self._kept_view_restrictions = list(super().get_view_restrictions())
        share_site_root_paths([self])
        self._kept_url = None
        self._kept_url = super().get_url()

    def get_url(self, request=None, current_site=None):
        kept = getattr(self, "_kept_url", None)
        if kept is not None and request is None and current_site is None:
            return kept
        return super().get_url(request, current_site)

    def get_view_restrictions(self):
        kept = getattr(self, "_kept_view_restrictions", None)
        return kept if kept is not None else super().get_view_restrictions()

    def get_form_class(self):
        from opengov_cms.disclosure_requests.forms import PublicApplicationForm

        return PublicApplicationForm

    def get_form_action(self, request):
        """Where the form is sent: the package's URL for this page's id, which takes the POST
        without routing through the page tree; the page's own URL on a site that has not
        included ``opengov_cms.urls``."""
        try:
            return reverse("opengov_requests:apply", args=[self.pk])
        except NoReverseMatch:
            return self.get_url(request)

    def serve(self, request, *args, **kwargs):
        from opengov_cms.disclosure_requests.forms import make_form_token

        # Error reports must not carry what applicants typed (what sensitive_post_parameters
        # does for a view function).
        request.sensitive_post_parameters = "__ALL__"
        if request.method == "GET" and "submitted" in request.GET:
            return self.serve_confirmation(request)
        form_class = self.get_form_class()
        status = 200
        limited = False
        suggestions = None
        if request.method == "POST" and "action-suggest" in request.POST:
            # Show what is already disclosed; keep what was typed, judge nothing yet.
            typed = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
            form = form_class(initial=typed)
            suggestions = suggest_disclosed_information(request.POST.get("description", ""))
        elif request.method == "POST":
            form = form_class(request.POST, request.FILES)
            status = 400
            # Only submissions that would create a request count: an applicant correcting
            # mistakes is not held back.
            if form.is_valid():
                if not self.submission_allowed(request):
                    limited = True
                    status = 429
                else:
                    response = self.handle_valid_form(request, form)
                    if response is not None:
                        return response
        else:
            form = form_class(initial={"form_token": make_form_token()})
        if hasattr(form, "describe"):
            form.describe()
        context = self.get_context(request, *args, **kwargs)
        context.update(form=form, rate_limited=limited, form_action=self.get_form_action(request))
        if suggestions is not None:
            found, unavailable = suggestions
            context.update(
                suggestions=found, suggestions_unavailable=unavailable, suggestions_searched=True
            )
        response = TemplateResponse(request, self.get_template(request), context, status=status)
        # Each form carries its own token and CSRF token: no shared cache may keep it.
        add_never_cache_headers(response)
        return response

    def submission_allowed(self, request):
        """Whether the client may send one more application now (REQUESTS_SUBMIT_RATE): as
        counted when it arrived at the form's address, or counted now."""
        hit = getattr(request, "opengov_submission_hit", None)
        if hit is None:
            return ratelimit.allow(request, SUBMIT_SCOPE, opengov_settings.REQUESTS_SUBMIT_RATE)
        hit.used = True
        return hit.allowed

    @sensitive_variables()
    def handle_valid_form(self, request, form):
        """Create the request once per form token; None when the calendar refuses."""
        from opengov_cms.disclosure_requests import notifications, workflow
        from opengov_cms.disclosure_requests.choices import Channel, DocumentKind
        from opengov_cms.disclosure_requests.models import DisclosureRequest, RequestDocument

        token = form.cleaned_data["form_token"]
        # A form sent twice is caught by the unique form_token when the second insert fails
        # (below), which rolls back its tracking number too; checking first would cost
        # every application a query for the rare double click.
        request_obj = DisclosureRequest(
            **form.request_fields(),
            organisation=self.organisation,
            channel=Channel.ONLINE,
            # Art. 31: online applications count from the day the agency confirms them;
            # the form confirms at once, so that is the day of submission.
            received_on=timezone.localdate(),
            form_token=token,
            fill_seconds=form.fill_seconds,
            likely_automated=filled_too_fast(form.fill_seconds),
        )

        def attach(request_obj):
            for upload, content_type in form.cleaned_data["attachments"]:
                RequestDocument.objects.create(
                    request=request_obj,
                    kind=DocumentKind.APPLICATION,
                    original_name=upload.name[:200],
                    content_type=content_type,
                    size=upload.size,
                    file=upload,
                )

        # The registration is atomic by itself (one statement, or a transaction of its own);
        # inside a transaction already open (ATOMIC_REQUESTS) a savepoint keeps that one
        # usable when a form sent twice is refused.
        outer = transaction.get_connection().in_atomic_block
        try:
            with transaction.atomic() if outer else contextlib.nullcontext():
                code = workflow.receive(
                    request_obj,
                    defer_unknown_calendar=True,
                    before_numbering=attach if form.cleaned_data["attachments"] else None,
                )
        except IntegrityError:
            # The same form sent twice (a double click, a reload): the first one won.
            if DisclosureRequest.objects.filter(form_token=token).exists():
                return redirect(self.get_url() + "?submitted=1")
            raise
        transaction.on_commit(lambda: notifications.send_receipt(request_obj, code))
        url = self.get_url()
        receipt = {
            "tracking_number": request_obj.tracking_number,
            "query_code": code,
            "due_date": request_obj.due_date.isoformat() if request_obj.due_date else "",
        }
        return receipts.give(redirect(url + "?submitted=1"), request, url, self.pk, receipt)

    def serve_confirmation(self, request):
        submitted = receipts.read(request, self.pk)
        if submitted is None:
            return redirect(self.get_url(request))
        context = self.get_context(request)
        context["submitted"] = submitted
        response = TemplateResponse(request, self.confirmation_template, context)
        add_never_cache_headers(response)
        return response


SUGGESTIONS = 5
# Words nearly every application uses; they say nothing about what is asked for.
REQUEST_WORDS = frozenset(
    ["请", "请求", "申请", "公开", "提供", "获取", "查询", "贵局", "贵单位", "贵机关", "本局"]
    + ["你局", "相关", "有关", "信息", "政府信息", "文件", "资料", "内容", "情况", "关于"]
    + ["以及", "要求", "需要", "希望", "具体", "全部", "所有"]
)


def suggestion_keywords(text, count=3):
    import jieba.analyse

    words = jieba.analyse.extract_tags(text, topK=count + len(REQUEST_WORDS))
    return [w for w in words if w not in REQUEST_WORDS and not w.isdigit()][:count]


def suggest_disclosed_information(description):
    """Catalogue items that may already answer a request: (items, search unavailable).

    A description is a sentence, not a search phrase: its strongest keywords are searched
    together first, then one by one, until a handful of items is found.
    """
    from opengov_cms.search.backends import search_public
    from opengov_cms.search.backends.base import SearchError, SearchUnavailable

    text = description.strip()[: opengov_settings.SEARCH_QUERY_MAX_LENGTH]
    keywords = suggestion_keywords(text) if text else []
    queries = [" ".join(keywords[:2])] if len(keywords) > 1 else []
    found = {}
    for query in [*queries, *keywords]:
        try:
            results = search_public(query, per_page=SUGGESTIONS)
        except (SearchUnavailable, SearchError):
            return list(found.values()), True
        for hit in results.hits:
            found.setdefault(hit.id, hit.document)
        if len(found) >= SUGGESTIONS:
            break
    return list(found.values())[:SUGGESTIONS], False
