"""The application form's address, the public status lookup (申请查询) and the download of
reply documents."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from opengov_cms.conf import opengov_settings
from opengov_cms.core import aging, calendar, ratelimit, versions
from opengov_cms.core.navigation import CHROME_VERSION_KEY, changes_pages_now, chrome_version
from opengov_cms.disclosure_requests.choices import DocumentKind, State
from opengov_cms.disclosure_requests.forms import LookupForm
from opengov_cms.disclosure_requests.models import DisclosureRequest, RequestDocument
from opengov_cms.disclosure_requests.pages import SUBMIT_SCOPE

SESSION_LOOKUPS = "opengov_requests_lookups"
#: The timeline entries an applicant sees (internal steps such as assignment are left out).
PUBLIC_ACTIONS = (
    "receive",
    "accept",
    "request_correction",
    "receive_correction",
    "close_no_correction",
    "consult_third_party",
    "consult_agency",
    "end_consultation",
    "extend",
    "send_fee_notice",
    "receive_fee",
    "close_fee_unpaid",
    "record_delivery",
    "reply",
    "withdraw",
    "due_date_set",
)


#: The live form pages found so far in this process, by id: (version, page, read at). A form page is
#: a section of the site (core.navigation): saving, publishing, unpublishing, moving or
#: deleting it or a page above it, a view restriction, a site or an organisation moves the
#: pages version (core.navigation.chrome_version), and every copy read under an earlier
#: version is read again.
_form_pages = {}
#: A site has one or two form pages; ids that are not one are never kept.
KEPT_FORM_PAGES = 50
#: A kept page is read again after this many seconds whatever the version says: the bound
#: on how long a change goes unseen where the version cannot reach every process (a cache of
#: each process's own, a change made outside the ORM).
KEPT_SECONDS = 60


def request_form_page(page_id):
    """The live application form page with this id, as its own type, or None.

    Kept in the process while the pages version stays the same, with what serving it needs
    (its view restrictions, its URL), so a submission reads neither the page nor the
    restrictions: one cache read instead of two queries and the site's root paths. Read
    again, one query per concrete form page type (a site has one or two) with the receiving
    organisation joined in, once anything it depends on changes.
    """
    if not 0 < page_id < 2**63:
        return None  # no page has it, and SQLite refuses numbers past 64 bits
    # Read before the page: a change committed in between moves the version again.
    version = chrome_version()
    now = aging.now()
    kept = _form_pages.get(page_id)
    if kept is not None and kept[0] == version and now - kept[2] <= KEPT_SECONDS:
        return kept[1]
    page = _find_request_form_page(page_id)
    if page is None:
        _form_pages.pop(page_id, None)
        return None
    page.keep_for_serving()
    if changes_pages_now():
        return page  # what this transaction changed may yet be rolled back: not kept
    if len(_form_pages) >= KEPT_FORM_PAGES:
        _form_pages.clear()
    _form_pages[page_id] = (version, page, now)
    return page


def _find_request_form_page(page_id):
    from wagtail.models import get_page_models

    from opengov_cms.disclosure_requests.pages import AbstractRequestFormPage

    for model in get_page_models():
        if not issubclass(model, AbstractRequestFormPage) or model._meta.abstract:
            continue
        if any(issubclass(base, AbstractRequestFormPage) for base in model._meta.parents):
            continue  # its pages are found through the form page type it extends
        page = model.objects.filter(pk=page_id, live=True).select_related("organisation").first()
        if page is not None:
            return page if page.specific_class is model else page.specific
    return None


@never_cache
@csrf_protect
@sensitive_post_parameters()
def apply(request, page_id):
    """The application form's POST, taken by the page's id rather than routed through the
    page tree: the same page, served through the same hooks as Wagtail serves it (its view
    restrictions among them), with the same form handling as posting to the page itself.

    A submission is counted against the client's rate as it arrives, in the same round trip
    to the cache as the versions it reads (the pages', the holiday calendar's), and given
    back unless the form page acted on it: a form sent back with mistakes, to a page that
    is not there or not open to the client, is not counted."""
    hit, values = None, {}
    if request.method == "POST" and "action-suggest" not in request.POST:
        hit, values = ratelimit.count(
            request,
            SUBMIT_SCOPE,
            opengov_settings.REQUESTS_SUBMIT_RATE,
            read=(CHROME_VERSION_KEY, calendar.VERSION_KEY),
        )
        request.opengov_submission_hit = hit
    try:
        with versions.known(values):
            return _apply(request, page_id)
    finally:
        if hit is not None and not hit.used:
            hit.give_back()


def _apply(request, page_id):
    from wagtail import hooks

    page = request_form_page(page_id)
    # Without the request: Wagtail would look the request's site up (a query) only to choose
    # between a relative and an absolute URL, and either does for a redirect.
    url = page.get_url() if page is not None else None
    if url is None:
        raise Http404(_("没有这个申请表。"))

    def serve(page, request, args, kwargs):
        if request.method != "POST":
            return redirect(url)
        return page.serve(request, *args, **kwargs)

    # What wagtail.views.serve does once it has routed to the page.
    chain = serve
    for hook in reversed(hooks.get_hooks("on_serve_page")):
        chain = hook(chain)
    for hook in hooks.get_hooks("before_serve_page"):
        result = hook(page, request, (), {})
        if isinstance(result, HttpResponse):
            return result
    return chain(page, request, (), {})


@never_cache
@csrf_protect
@sensitive_post_parameters()
def status(request):
    """Tracking number and query code in, status out; never any personal data.

    The code is sent by POST so it stays out of server logs and browser history. An
    unknown number and a wrong code get the same answer.
    """
    context = {"opengov_base_template": opengov_settings.BASE_TEMPLATE}
    code = 200
    if request.method == "POST":
        form = LookupForm(request.POST)
        if not ratelimit.allow(request, "lookup", opengov_settings.REQUESTS_LOOKUP_RATE):
            form.is_valid()
            context["error"] = _("查询过于频繁，请稍后再试。")
            code = 429
        elif form.is_valid():
            found = DisclosureRequest.lookup(
                form.cleaned_data["tracking_number"], form.cleaned_data["query_code"]
            )
            if found is None:
                context["error"] = _("申请编号或查询码不正确，请核对后重新输入。")
                code = 404
            else:
                remembered = request.session.get(SESSION_LOOKUPS, [])
                if found.pk not in remembered:
                    request.session[SESSION_LOOKUPS] = [*remembered, found.pk][-20:]
                context.update(
                    found=found,
                    events=found.events.filter(action__in=PUBLIC_ACTIONS).exclude(
                        action="record_delivery",
                        from_state__in=(State.CONSULTING_THIRD_PARTY, State.CONSULTING_AGENCY),
                    ),
                    documents=found.documents.filter(public=True).exclude(
                        kind=DocumentKind.APPLICATION
                    ),
                )
        else:
            code = 400
    else:
        form = LookupForm()
    context["form"] = form
    return TemplateResponse(request, "opengov_requests/status.html", context, status=code)


def document(request, pk):
    """A reply document, for the browser session that looked its request up."""
    document = get_object_or_404(
        RequestDocument.objects.exclude(kind=DocumentKind.APPLICATION), pk=pk, public=True
    )
    if document.request_id not in request.session.get(SESSION_LOOKUPS, []):
        raise Http404
    return attachment_response(document)


def attachment_response(document):
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    name = (document.title or document.get_kind_display()) + _extension(document.file.name)
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Content-Type"] = document.content_type or "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _extension(path):
    dot = path.rfind(".")
    return path[dot:] if dot > path.rfind("/") else ""
