"""The one rule for what may leave the site (DESIGN.md, "What may leave").

A page, its metadata and its files may leave when the page

- is live (so neither a draft nor only scheduled);
- is disclosed proactively (主动公开), where it carries disclosure metadata;
- has not expired (Wagtail's 过期时间 ``expire_at`` is not past), and is not a repealed
  document while the site hides them (OPENGOV_CMS_HIDE_REPEALED);
- has no view restriction of any kind (login, password, groups), on itself or on any
  ancestor.

:func:`may_leave` answers it for one page. :func:`leaving` is the same rule as a queryset
filter for pages, and :func:`leaving_rows` for rows that copy a page's fields (the
catalogue's listing table): the parts kept in the row (live, 主动公开) are kept in step by
the catalogue on publish, unpublish and move; the parts that change without a publication
(a view restriction saved or deleted, an expiry time passing, the site's choice about
repealed documents) are said in the query itself, so they hold at once.

The public's messages and their replies (留言, opengov_cms.interaction) are rows, not pages:
:func:`leaving_messages` and :func:`message_may_leave` are the rule for them, written here
once for every exit (the message box's list, its feed, search on every backend).
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.db import connections, router
from django.db.models import CharField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.lookups import StartsWith
from django.utils import timezone

from opengov_cms.conf import opengov_settings
from opengov_cms.core.models import DisclosureMetadata
from opengov_cms.core.statements import planned_once_cursor

REPEALED = "repealed"  # Validity.REPEALED, said here so the rule needs no model import
PROACTIVE = "proactive"  # DisclosureAttribute.PROACTIVE


def restricted(path):
    """An Exists() that is true when a view restriction lies on ``path`` or above it."""
    from wagtail.models import PageViewRestriction

    path = ExpressionWrapper(OuterRef(path), output_field=CharField())
    return Exists(PageViewRestriction.objects.filter(StartsWith(path, F("page__path"))))


def hides_repealed():
    return bool(opengov_settings.HIDE_REPEALED)


def leaving_rows(rows, *, path="path", expire_at="expire_at", validity="validity", now=None):
    """Rows of a table that copies the live, 主动公开 pages, less those that may not leave
    now: under a view restriction, expired, or repealed while the site hides them."""
    now = now or timezone.now()
    rows = rows.exclude(restricted(path))
    if expire_at:
        rows = rows.filter(Q(**{f"{expire_at}__isnull": True}) | Q(**{f"{expire_at}__gt": now}))
    if validity and hides_repealed():
        rows = rows.exclude(**{validity: REPEALED})
    return rows


def leaving(pages, now=None):
    """The pages of ``pages`` (a Page queryset, generic or of one type) that may leave."""
    now = now or timezone.now()
    current = (Q(live=True), Q(expire_at__isnull=True) | Q(expire_at__gt=now))
    model = pages.model
    if not issubclass(model, DisclosureMetadata):
        # Pages of any type: those of a disclosed type are checked in its own table, row by
        # row (NOT EXISTS on its primary key): a NOT IN over every held row of the table
        # would read the whole table for a handful of pages.
        return pages.filter(*current, *_not_held_anywhere())
    pages = pages.filter(*current, disclosure_attribute=PROACTIVE)
    if hides_repealed():
        pages = pages.exclude(validity=REPEALED)
    return pages.exclude(restricted("path"))


_held_conditions = {}


def _not_held_anywhere():
    """The conditions on a page of any type that it is held back by none of the disclosed
    types' tables and lies under no view restriction, as one filter's arguments.

    They depend only on the page types and the site's choice about repealed documents, so
    they are built once per process for each (a search checks its hits on every page); the
    ORM copies an expression as it resolves it into a query, so one instance serves them
    all."""
    models = tuple(disclosed_models())
    key = (models, hides_repealed())
    conditions = _held_conditions.get(key)
    if conditions is None:
        conditions = []
        for disclosed in models:
            held = ~Q(disclosure_attribute=PROACTIVE)
            if key[1]:
                held |= Q(validity=REPEALED)
            conditions.append(~Exists(disclosed.objects.filter(held, pk=OuterRef("pk"))))
        conditions.append(~restricted("path"))
        conditions = _held_conditions[key] = tuple(conditions)
    return conditions


_statements = {}
# Stand-ins the statement of leaving_page_ids is compiled with, replaced by the real values
# on each use: ids no page has (the integer columns' lowest values) and an instant long past.
_STAND_IN_ID = -(2**31)
_STAND_IN_NOW = datetime.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC)


def leaving_page_ids(ids, now=None):
    """The ids among ``ids`` of the pages (of any type) that may leave now: the ids of
    ``leaving(Page.objects.filter(pk__in=ids))``, which a search asks on every page of
    hits.

    The statement is the ORM's, compiled once per process for each number of ids (rounded
    up to a power of two, the last id repeated) and for each choice about repealed
    documents, and run with this call's ids and time: building and compiling the rule's
    dozen conditions cost more than running them. On PostgreSQL it is planned once per
    connection (core.statements.planned_once_cursor): planning its anti-joins took longer
    than running them."""
    from wagtail.models import Page

    ids = sorted({int(pk) for pk in ids})
    if not ids:
        return set()
    now = now or timezone.now()
    size = 1 << (len(ids) - 1).bit_length()
    alias = router.db_for_read(Page)
    connection = connections[alias]
    key = (alias, size, tuple(disclosed_models()), hides_repealed(), settings.USE_TZ)
    statement = _statements.get(key)
    if statement is None:
        statement = _statements[key] = _compile_leaving_ids(Page, alias, size)
    if statement is False:  # the stand-ins could not be told apart: the ORM each time
        pages = Page.objects.using(alias).filter(pk__in=ids)
        return set(leaving(pages, now=now).order_by().values_list("pk", flat=True))
    sql, params, id_positions, now_position = statement
    params = list(params)
    for position, pk in zip(id_positions, [*ids, *[ids[-1]] * (size - len(ids))], strict=True):
        params[position] = pk
    params[now_position] = connection.ops.adapt_datetimefield_value(now)
    with planned_once_cursor(connection) as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _compile_leaving_ids(page_model, alias, size):
    stand_ins = [_STAND_IN_ID + number for number in range(size)]
    # A site without time zones has naive times, which its database takes alone.
    stand_in_now = _STAND_IN_NOW if settings.USE_TZ else _STAND_IN_NOW.replace(tzinfo=None)
    pages = page_model.objects.using(alias).filter(pk__in=stand_ins)
    query = leaving(pages, now=stand_in_now).order_by().values_list("pk", flat=True).query
    sql, params = query.get_compiler(using=alias).as_sql()
    connection = connections[alias]
    now_value = connection.ops.adapt_datetimefield_value(stand_in_now)
    id_positions = [
        next(
            (p for p, value in enumerate(params) if type(value) is int and value == stand_in),
            None,
        )
        for stand_in in stand_ins
    ]
    now_positions = [p for p, value in enumerate(params) if value == now_value]
    if None in id_positions or len(now_positions) != 1:
        return False
    return sql, tuple(params), id_positions, now_positions[0]


def disclosed_models():
    """The concrete page types that carry disclosure metadata."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, DisclosureMetadata)
        and not model._meta.abstract
        # a subclass of a concrete type shares its parent's table for these fields
        and not any(
            issubclass(parent, DisclosureMetadata) and not parent._meta.abstract
            for parent in model._meta.get_parent_list()
        )
    ]


def may_leave(page, now=None):
    """Whether ``page`` (specific or not) may leave the site now."""
    if page is None or not page.live:
        return False
    now = now or timezone.now()
    if page.expire_at is not None and page.expire_at <= now:
        return False
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    if hasattr(specific, "is_publicly_disclosable") and not specific.is_publicly_disclosable:
        return False
    if hides_repealed() and getattr(specific, "validity", None) == REPEALED:
        return False
    return not page.get_view_restrictions().exists()


# The public's messages (留言) ---------------------------------------------------------------

#: The state of a message whose reply was reviewed and sent (the interaction app's
#: ``State.REPLIED``), said here so the rule needs no model import. Messages closed out of
#: scope, merged into another or withdrawn never reach it.
MESSAGE_REPLIED = "replied"


def leaving_messages(messages, *, box="box", now=None):
    """The messages of ``messages`` (a queryset of the interaction app's messages) that may
    leave the site now: the sender allowed publication (``publish_consent``), the reply was
    reviewed and sent (``state``), staff published it (``published_at``), and the message box
    page it came through (``box``) may leave by the rule for pages: live, not expired, no view
    restriction on it or any ancestor. Nothing of the sender's contact details is in the rows
    that leave; the text itself is shown redacted (opengov_cms.core.redaction)."""
    now = now or timezone.now()
    messages = messages.filter(
        publish_consent=True,
        state=MESSAGE_REPLIED,
        published_at__isnull=False,
        **{f"{box}__live": True},
    )
    messages = messages.filter(
        Q(**{f"{box}__expire_at__isnull": True}) | Q(**{f"{box}__expire_at__gt": now})
    )
    return messages.exclude(restricted(f"{box}__path"))


def message_may_leave(message, now=None):
    """Whether one message may leave the site now: :func:`leaving_messages` for one row."""
    if message is None or not message.publish_consent:
        return False
    if message.state != MESSAGE_REPLIED or message.published_at is None:
        return False
    return may_leave(message.box, now)
