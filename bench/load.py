"""Loading a benchmark site: taxonomies, organisations, catalogue sections, documents through
the package's bulk import path, requests through their model, and the baseline pages."""

import datetime
import functools
import time

from django.core.management import call_command
from django.db import transaction
from wagtail.models import Page, Site

from bench import data
from bench.measure import rss_bytes
from opengov_cms.disclosure_requests.models import hash_query_code

BATCH = 2000


def valid_credit_code(stem):
    """``stem`` (17 characters) with the check character that makes it a valid code."""
    from django.core.exceptions import ValidationError

    from opengov_cms.core.validators import validate_credit_code

    for check in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        try:
            validate_credit_code(stem + check)
            return stem + check
        except ValidationError:
            continue
    raise ValueError(stem)


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@transaction.atomic
def setup_site():
    """Taxonomies, ten organisations, each with a catalogue root, a notices section and a
    policy section; the request form; the baseline pages' parents. Returns a Site dict."""
    from bench.models import KeysetListPage
    from opengov_cms.catalogue.models import CatalogueIndexPage
    from opengov_cms.core.models import Organisation, Topic
    from opengov_cms.disclosure_requests.models import RequestFormPage

    call_command("opengov_setup", verbosity=0)
    home = Page.objects.get(depth=2)
    Site.objects.update(root_page=home, hostname="127.0.0.1", port=80, is_default_site=True)
    organisations, roots, notices, policies = [], [], [], []
    for n, (name, prefix, _area) in enumerate(data.ORGANISATIONS):
        org = Organisation.objects.create(
            name=name,
            short_name=prefix,
            credit_code=valid_credit_code(f"1134150000300{n:03d}M"[:17]),
            office_name=f"{name}办公室",
        )
        organisations.append(org)
        root = publish(
            home,
            CatalogueIndexPage(title=f"{name}信息公开目录", slug=f"org{n}", organisation=org),
        )
        roots.append(root)
        notices.append(publish(root, CatalogueIndexPage(title="通知公告", slug="notices")))
        policies.append(publish(root, CatalogueIndexPage(title="政策文件", slug="policies")))
    form = publish(
        home,
        RequestFormPage(title="政府信息公开申请", slug="apply", organisation=organisations[0]),
    )
    # Twins sit as deep as entries (home / organisation / section / year / entry), so
    # Wagtail's routing costs both the same.
    plain_parent = publish(home, Page(title="基准页面", slug="plain"))
    for slug in ("section", "year"):
        plain_parent = publish(plain_parent, Page(title=slug, slug=slug))
    keyset = publish(home, KeysetListPage(title="基准列表", slug="keyset"))
    topics = list(Topic.objects.filter(parent__isnull=False).order_by("pk"))
    return {
        "organisations": organisations,
        "roots": roots,
        "notices": notices,
        "policies": policies,
        "form": form,
        "plain_parent": plain_parent,
        "keyset": keyset,
        "topics": topics,
    }


def find_site():
    """The Site dict of a site ``setup_site`` made earlier (for a resumed run)."""
    from bench.models import KeysetListPage
    from opengov_cms.catalogue.models import CatalogueIndexPage
    from opengov_cms.core.models import Topic
    from opengov_cms.disclosure_requests.models import RequestFormPage

    home = Page.objects.get(depth=2)
    roots = [
        CatalogueIndexPage.objects.child_of(home).get(slug=f"org{n}")
        for n in range(len(data.ORGANISATIONS))
    ]
    plain_parent = Page.objects.child_of(home).get(slug="plain")
    for slug in ("section", "year"):
        plain_parent = Page.objects.child_of(plain_parent).get(slug=slug)
    return {
        "organisations": [root.organisation for root in roots],
        "roots": roots,
        "notices": [CatalogueIndexPage.objects.child_of(r).get(slug="notices") for r in roots],
        "policies": [CatalogueIndexPage.objects.child_of(r).get(slug="policies") for r in roots],
        "form": RequestFormPage.objects.child_of(home).get(slug="apply"),
        "plain_parent": plain_parent,
        "keyset": KeysetListPage.objects.child_of(home).get(slug="keyset"),
        "topics": list(Topic.objects.filter(parent__isnull=False).order_by("pk")),
    }


@functools.cache
def _taxonomy(model, code):
    return model.objects.get(code=code) if code else None


def page_for(doc, site):
    """The unsaved page of a generated document, of the type its kind calls for. Related
    objects are shared instances, as the importer's lookups give them."""
    from opengov_cms.catalogue.models import DisclosureEntryPage
    from opengov_cms.core.models import DocumentKind, Genre
    from opengov_cms.policies.models import InterpretationPage, PolicyDocumentPage

    fields = {
        "title": doc.title,
        "organisation": site["organisations"][doc.organisation],
        "topic": site["topics"][doc.topic % len(site["topics"])],
        "genre": _taxonomy(Genre, doc.genre),
        "document_kind": _taxonomy(DocumentKind, doc.document_kind),
        "document_number": doc.document_number,
        "written_date": doc.written_date,
        "publication_date": doc.publication_date,
        "validity": doc.validity,
        "validity_date": None if doc.validity == "valid" else doc.publication_date,
        "summary": doc.summary,
        "keywords": doc.keywords,
    }
    if doc.kind == "entry":
        return DisclosureEntryPage(body=doc.body_html, **fields)
    if doc.kind == "policy":
        return PolicyDocumentPage(body=doc.body_html, **fields)
    return InterpretationPage(body=[{"type": "text", "value": doc.body_html}], **fields)


def make_year_folders(site, years=range(2008, 2026)):
    """Every section's year folders, made once the ordinary way (year_folder), as the first
    import into a section makes them. Returns the seconds it took."""
    from opengov_cms.catalogue.filing import year_folder

    started = time.perf_counter()
    for section in site["notices"] + site["policies"]:
        for year in years:
            year_folder(section, year)
    return time.perf_counter() - started


def load_documents(site, size, progress=None):
    """Create ``size`` documents with ``bulk_create_entries``, organisation by organisation
    and section by section in batches of 2000, each batch its own transaction, as the
    import command does for one file per section. Returns timings and memory samples."""
    from opengov_cms.catalogue.bulk import bulk_create_entries
    from opengov_cms.policies.models import InterpretationLink

    generator = data.Generator(size, topics=len(site["topics"]))
    started = time.perf_counter()
    generating = 0.0
    memory = []
    done = 0
    for organisation, share in enumerate(generator.shares(size)):
        documents = generator.documents(share, organisation=organisation)
        last_policy = None
        left = share
        while left:
            t0 = time.perf_counter()
            batch = [next(documents) for _ in range(min(BATCH, left))]
            pages = [(doc, page_for(doc, site)) for doc in batch]
            generating += time.perf_counter() - t0
            groups = {}
            for doc, page in pages:
                section = site["notices" if doc.kind == "entry" else "policies"][organisation]
                groups.setdefault((section.pk, type(page)), (section, []))[1].append(page)
            with transaction.atomic():
                for section, group in groups.values():
                    bulk_create_entries(section, group, model=type(group[0]))
                links = []
                for doc, page in pages:
                    if doc.kind == "policy":
                        last_policy = page
                    elif doc.kind == "interpretation" and last_policy is not None:
                        links.append(
                            InterpretationLink(
                                interpretation_id=page.pk, document_id=last_policy.pk, sort_order=0
                            )
                        )
                InterpretationLink.objects.bulk_create(links)
            left -= len(batch)
            done += len(batch)
            del batch, pages, groups, links
            memory.append(rss_bytes())
            if progress:
                progress(done, size, time.perf_counter() - started)
    elapsed = time.perf_counter() - started
    return {
        "count": size,
        "seconds": elapsed,
        "generating_seconds": generating,
        "rate_per_second": size / (elapsed - generating),
        "rss_first_batch": memory[0],
        "rss_last_batch": memory[-1],
        "rss_max": max(memory),
        "rss_samples": memory[:: max(1, len(memory) // 20)],
    }


def load_requests(site, count, progress=None):
    """``count`` applications over 2019–2025 through the request model (personal data
    encrypted by its fields), in bulk, with their timeline's receive and reply events."""
    from opengov_cms.conf import opengov_settings
    from opengov_cms.core.calendar import WorkingDayCalendar
    from opengov_cms.disclosure_requests.choices import Outcome, State
    from opengov_cms.disclosure_requests.models import (
        DisclosureRequest,
        RequestEvent,
        TrackingSequence,
    )

    generator = data.Generator(count, seed=data.clock_seed(count) + 1)
    organisations = site["organisations"]
    # One hash for every generated request: the codes are never shown, and a password hash
    # per row would measure the hasher, not the import.
    code_hash = hash_query_code("BENCH00000")
    outcomes = [o.value for o in Outcome]
    # Most replies disclose all or part; "not held" is the commonest refusal.
    weights = [
        {"disclosed": 40, "partial": 15, "unavailable.not_held": 12}.get(o, 2) for o in outcomes
    ]
    calendar = WorkingDayCalendar()
    due = functools.cache(lambda day: calendar.add_working_days(day, 20))
    sequences = {}
    started = time.perf_counter()
    memory = []
    done = 0
    today = datetime.date(2025, 12, 31)
    while done < count:
        requests, events = [], []
        for _ in range(min(BATCH, count - done)):
            fields = generator.request(len(organisations))
            org = organisations[fields.pop("organisation")]
            roll = fields.pop("roll")
            received = fields["received_on"]
            key = (org.pk, received.year)
            sequences[key] = sequences.get(key, 0) + 1
            age = (today - received).days
            replied = age > 40 and roll < 0.97
            state = State.ARCHIVED if replied and age > 400 else State.REPLIED
            if not replied:
                state = State.ACCEPTED if roll < 0.985 else State.WITHDRAWN
            request = DisclosureRequest(
                tracking_number=opengov_settings.REQUESTS_TRACKING_NUMBER_PATTERN.format(
                    org_code=org.code, year=received.year, seq=sequences[key]
                ),
                query_code_hash=code_hash,
                organisation=org,
                channel="online" if roll < 0.7 else "post",
                clock_started_on=received,
                due_date=due(received),
                provision_form="electronic",
                delivery_method="email",
                state=state,
                outcome=generator.random.choices(outcomes, weights)[0] if replied else "",
                replied_on=received + datetime.timedelta(days=10 + int(roll * 25))
                if replied
                else None,
                **fields,
            )
            if state != State.ACCEPTED:
                request.closed_on = request.replied_on or received + datetime.timedelta(days=5)
            requests.append(request)
        with transaction.atomic():
            DisclosureRequest.objects.bulk_create(requests, batch_size=500)
            for request in requests:
                events.append(
                    RequestEvent(
                        request_id=request.pk,
                        action="receive",
                        to_state=State.RECEIVED,
                        effective_on=request.received_on,
                        due_date=request.due_date,
                    )
                )
                if request.replied_on:
                    events.append(
                        RequestEvent(
                            request_id=request.pk,
                            action="reply",
                            from_state=State.ACCEPTED,
                            to_state=State.REPLIED,
                            effective_on=request.replied_on,
                        )
                    )
            RequestEvent.objects.bulk_create(events, batch_size=1000)
        done += len(requests)
        memory.append(rss_bytes())
        if progress:
            progress(done, count, time.perf_counter() - started)
    pattern = opengov_settings.REQUESTS_TRACKING_NUMBER_PATTERN
    by_code = {org.pk: org.code for org in organisations}
    TrackingSequence.objects.bulk_create(
        [
            TrackingSequence(
                scope=pattern.format(org_code=by_code[org_pk], year=year, seq=0), last_value=last
            )
            for (org_pk, year), last in sequences.items()
        ]
    )
    elapsed = time.perf_counter() - started
    return {
        "count": count,
        "seconds": elapsed,
        "rate_per_second": count / elapsed,
        "rss_first_batch": memory[0],
        "rss_last_batch": memory[-1],
    }


def plain_twins(site, pages):
    """A plain Wagtail page with the title and body of each of ``pages`` (entries and
    policies), made the ordinary way. Returns [(page url, plain page url)]."""
    from bench.models import PlainPage

    pairs = []
    made = {p.slug: p for p in PlainPage.objects.child_of(site["plain_parent"])}
    for page in pages:
        # A resumed run that stopped after making some twins finds them made.
        twin = made.get(f"p{page.pk}")
        if twin is None:
            twin = PlainPage(title=page.title, body=str(page.body), slug=f"p{page.pk}")
            publish(site["plain_parent"], twin)
        pairs.append((page.url, twin.url))
    return pairs
