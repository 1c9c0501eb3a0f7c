"""Whose work is this: the one place that says for which organisations a person acts.

A Django permission says what a person may do at all; a Membership (机构人员) says for
whom. Every organisation-scoped part of the package asks here: the organisation field of
pages, the review workflow's tasks, applications, messages, yearly figures, supervision.

- ``organisation_ids(user, roles)`` is ``None`` for "every organisation" (superusers, the
  city office, holders of the app's office-wide permission) or the set of ids the user acts
  for in one of ``roles``;
- a membership acts for its unit when one is given, else for its organisation; the head of
  a disclosure office (政务公开办公室负责人) acts in every role for the organisation and the
  organisations under it; the city office (全市政务公开办公室) for all of them.

What is read about a user is kept on the user object, which lives as long as the request:
one query for the memberships, one more for the organisation tree when the user heads an
office, however many checks the request makes.
"""

from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from opengov_cms.core.models.memberships import MembershipRole

#: The roles that work on pages (the organisation field, the review workflow).
PAGE_ROLES = (
    MembershipRole.EDITOR,
    MembershipRole.REVIEWER,
    MembershipRole.CONFIDENTIALITY,
)
#: The role that handles applications, messages and figures, and reports a unit's work.
OFFICER_ROLES = (MembershipRole.OFFICER,)

CACHE_ATTRIBUTE = "_opengov_memberships"


def _roles(roles):
    if roles is None:
        return None
    if isinstance(roles, str):
        return frozenset([roles])
    return frozenset(roles)


def _read(user):
    cache = getattr(user, CACHE_ATTRIBUTE, None)
    if cache is None:
        from opengov_cms.core.models import Membership

        rows = tuple(
            Membership.objects.filter(user=user).values_list("organisation_id", "unit_id", "role")
        )
        cache = {"rows": rows}
        setattr(user, CACHE_ATTRIBUTE, cache)
    return cache


def forget(user):
    """Drop what was read about ``user`` (after their memberships changed)."""
    if hasattr(user, CACHE_ATTRIBUTE):
        delattr(user, CACHE_ATTRIBUTE)


def _subtree(cache, organisation_ids):
    """``organisation_ids`` and every organisation under them."""
    if "children" not in cache:
        from opengov_cms.core.models import Organisation

        children = {}
        for pk, parent_id in Organisation.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        cache["children"] = children
    children = cache["children"]
    found = set()
    todo = list(organisation_ids)
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.add(current)
        todo.extend(children.get(current, ()))
    return found


def organisation_subtree_ids(organisation_ids):
    """``organisation_ids`` and the ids of every organisation under them (one query)."""
    return _subtree({}, organisation_ids)


def is_city_office(user):
    """A superuser, or a member of the city office: acts for every organisation."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return any(role == MembershipRole.CITY for _org, _unit, role in _read(user)["rows"])


def sees_all(user, every_permission=None):
    """Acts for every organisation: the city office, or holds ``every_permission``."""
    if is_city_office(user):
        return True
    return bool(
        every_permission
        and user.is_authenticated
        and user.is_active
        and user.has_perm(every_permission)
    )


def organisation_ids(user, roles=None, every_permission=None):
    """The ids of the organisations ``user`` acts for in one of ``roles`` (any role when
    None); None means every organisation."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    if sees_all(user, every_permission):
        return None
    wanted = _roles(roles)
    cache = _read(user)
    key = ("ids", wanted)
    if key not in cache:
        direct = set()
        headed = set()
        for organisation_id, unit_id, role in cache["rows"]:
            if role == MembershipRole.HEAD:
                headed.add(organisation_id)
            elif wanted is None or role in wanted:
                direct.add(unit_id or organisation_id)
        if headed:
            direct |= _subtree(cache, headed)
        cache[key] = frozenset(direct)
    return cache[key]


def organisations_for(user, roles=None, every_permission=None):
    """The organisations ``user`` acts for in one of ``roles``, as a queryset."""
    from opengov_cms.core.models import Organisation

    ids = organisation_ids(user, roles, every_permission)
    if ids is None:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=ids)


def may_act_for(user, organisation, roles=None, every_permission=None):
    """Whether ``user`` acts for ``organisation`` (an Organisation or its id)."""
    organisation_id = getattr(organisation, "pk", organisation)
    ids = organisation_ids(user, roles, every_permission)
    return ids is None or organisation_id in ids


def scope(user, *fields, roles=None, every_permission=None):
    """A filter keeping the rows whose ``fields`` (any of them) name an organisation the
    user acts for: ``Q()`` for every organisation, a filter matching nothing for none."""
    ids = organisation_ids(user, roles, every_permission)
    if ids is None:
        return Q()
    condition = Q(pk__in=[])
    for field in fields:
        condition |= Q(**{f"{field}__in": ids})
    return condition


def managed_organisation_ids(user):
    """The ids of the organisations whose staff (机构人员) ``user`` manages: None for every
    organisation (superusers and the city office), else the organisations they head the
    disclosure office of (政务公开办公室负责人) and those under them. Managing also needs the
    Membership model's permissions."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    if is_city_office(user):
        return None
    cache = _read(user)
    if "managed" not in cache:
        headed = {org for org, _unit, role in cache["rows"] if role == MembershipRole.HEAD}
        cache["managed"] = frozenset(_subtree(cache, headed)) if headed else frozenset()
    return cache["managed"]


def may_manage(user, membership):
    """Whether ``user`` may change or remove ``membership`` (or save it as it now is): the
    city office manages everyone; a head of an office the memberships of their organisations
    and units, but never the city office's role."""
    ids = managed_organisation_ids(user)
    if ids is None:
        return True
    return (
        membership.role != MembershipRole.CITY
        and membership.organisation_id in ids
        and (membership.unit_id is None or membership.unit_id in ids)
    )


def managed_memberships(user, queryset=None):
    """The memberships ``user`` manages, as a queryset (one query, whatever their number)."""
    from opengov_cms.core.models import Membership

    queryset = Membership.objects.all() if queryset is None else queryset
    ids = managed_organisation_ids(user)
    if ids is None:
        return queryset
    ids = list(ids)
    return (
        queryset.filter(organisation__in=ids)
        .exclude(role=MembershipRole.CITY)
        .filter(Q(unit__isnull=True) | Q(unit__in=ids))
    )


@cache
def organisation_record_models():
    """The models (other than pages, organisations and memberships) whose rows are an
    organisation's work: those with an ``organisation`` field naming one (applications,
    messages, yearly figures, rectifications...)."""
    from django.apps import apps
    from wagtail.models import Page

    from opengov_cms.core.models import Membership, Organisation

    found = []
    for model in apps.get_models():
        if issubclass(model, (Page, Membership, Organisation)):
            continue
        try:
            field = model._meta.get_field("organisation")
        except FieldDoesNotExist:
            continue
        if getattr(field, "related_model", None) is Organisation:
            found.append(model)
    return found


def works_for_organisations():
    """A filter on users keeping those whose work is an organisation's: a group with page
    permissions (Wagtail's 页面权限), or a permission, of their own or a group's, on a model
    whose rows are an organisation's (organisation_record_models)."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    types = ContentType.objects.get_for_models(*organisation_record_models()).values()
    permissions = Permission.objects.filter(content_type__in=[t.pk for t in types])
    groups = Group.objects.filter(
        Q(page_permissions__isnull=False) | Q(permissions__in=permissions)
    )
    return Q(groups__in=groups) | Q(user_permissions__in=permissions)


def unassigned_staff():
    """Active users who work for organisations (works_for_organisations) but are entered for
    none under 政务公开 → 机构人员: after an upgrade, or when someone was put in a group and
    forgotten, they see nothing of their work. Superusers act for every organisation and are
    left out. A queryset, one query, newest accounts first."""
    from django.contrib.auth import get_user_model

    from opengov_cms.core.models import Membership

    users = get_user_model().objects
    candidates = users.filter(works_for_organisations()).values("pk")
    return (
        users.filter(pk__in=candidates, is_active=True, is_superuser=False)
        .exclude(pk__in=Membership.objects.values("user_id"))
        .order_by("-date_joined", "-pk")
    )


def is_unassigned(user):
    """Whether ``user`` works for organisations but is entered for none (unassigned_staff):
    a query only for a user with no membership."""
    if not (user.is_authenticated and user.is_active) or is_city_office(user):
        return False
    if _read(user)["rows"]:
        return False
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    return users.filter(works_for_organisations(), pk=user.pk).exists()


def has_membership(user, roles=None):
    """Whether ``user`` acts for any organisation in one of ``roles``."""
    ids = organisation_ids(user, roles)
    return ids is None or bool(ids)


def entered_ids(user, roles):
    """The ids of the organisations (or units) ``user`` is entered for in one of ``roles``
    themselves, without what heading an office or the city office adds: e.g. the units
    whose own work a person reports."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    wanted = _roles(roles)
    return frozenset(
        unit_id or organisation_id
        for organisation_id, unit_id, role in _read(user)["rows"]
        if role in wanted
    )


def members_of(organisations, roles):
    """The active users entered for any of ``organisations`` (a queryset or ids) in one of
    ``roles``, for their unit or for the organisation as a whole: e.g. the officers a
    request can be assigned to."""
    from django.contrib.auth import get_user_model

    from opengov_cms.core.models import Membership

    entered = Membership.objects.filter(
        Q(unit__in=organisations) | Q(unit__isnull=True, organisation__in=organisations),
        role__in=_roles(roles),
    )
    return get_user_model().objects.filter(is_active=True, pk__in=entered.values("user_id"))


# Pages -----------------------------------------------------------------------------------


def page_organisation_ids(pages):
    """{page id: the id of the organisation the page is the work of}: its own organisation
    (发布机构, 所属机构, 受理机关), else the nearest ancestor's (a section takes its catalogue
    root's), else None. Reads the pages' specific rows and their ancestors' in a query per
    page type, whatever the number of pages."""
    from wagtail.models import Page

    pages = list(pages)
    if not pages:
        return {}
    specific = {
        page.pk: page for page in Page.objects.filter(pk__in=[p.pk for p in pages]).specific()
    }
    found = {}
    unresolved = []
    for page in pages:
        organisation_id = getattr(specific.get(page.pk), "organisation_id", None)
        if organisation_id is not None:
            found[page.pk] = organisation_id
        else:
            unresolved.append(specific.get(page.pk, page))
    if unresolved:
        step = Page.steplen
        prefixes = {
            page.path[:end] for page in unresolved for end in range(step, len(page.path), step)
        }
        by_path = {
            ancestor.path: getattr(ancestor, "organisation_id", None)
            for ancestor in Page.objects.filter(path__in=prefixes).specific()
        }
        for page in unresolved:
            found[page.pk] = next(
                (
                    by_path[page.path[:end]]
                    for end in range(len(page.path) - step, 0, -step)
                    if by_path.get(page.path[:end]) is not None
                ),
                None,
            )
    return found


def page_organisation_id(page):
    return page_organisation_ids([page]).get(page.pk)


def may_work_on_page(user, page, roles=PAGE_ROLES):
    """Whether ``user`` may work on ``page`` in one of ``roles``: a page that is no
    organisation's work (none of it or its ancestors names one) is left to Wagtail's page
    permissions alone."""
    ids = organisation_ids(user, roles)
    if ids is None:
        return True
    organisation_id = page_organisation_id(page)
    return organisation_id is None or organisation_id in ids


@cache
def organisation_page_models():
    """The page models whose organisation field says whose work a page is: every concrete
    page model with an ``organisation`` (发布机构, 所属机构, 受理机关) but those that mark
    themselves ``organisation_section`` (a catalogue root or section, whose organisation is
    the default for the pages under it and which several organisations may share). Each
    model is named once, by the table that holds its organisation."""
    from django.apps import apps
    from wagtail.models import Page

    from opengov_cms.core.models import Organisation

    found = []
    for model in apps.get_models():
        if not issubclass(model, Page) or getattr(model, "organisation_section", False):
            continue
        try:
            field = model._meta.get_field("organisation")
        except FieldDoesNotExist:
            continue
        if getattr(field, "related_model", None) is not Organisation:
            continue
        owner = field.model._meta.concrete_model
        if owner not in found and not getattr(owner, "organisation_section", False):
            found.append(owner)
    return found


def scope_pages(pages, user, roles=PAGE_ROLES):
    """``pages`` without those that are the work of an organisation ``user`` does not act
    for in one of ``roles``: what the admin's page explorer, page chooser and page search
    list (drafts' titles included). A page whose type has no organisation, or whose
    organisation is not filled in, is left to Wagtail's page permissions. One subquery per
    page model with an organisation, in the same query, whatever the number of pages."""
    others = other_organisations_pages(user, "pk", roles)
    return pages if others is None else pages.exclude(others)


def other_organisations_pages(user, field="pk", roles=PAGE_ROLES, as_text=False):
    """A filter matching the rows whose ``field`` is the id of a page that is the work of an
    organisation ``user`` does not act for in one of ``roles`` (scope_pages); None when the
    user acts for every organisation. ``as_text`` compares the ids as text, for a generic
    relation's ``object_id`` (workflow states). One subquery per page model with an
    organisation."""
    ids = organisation_ids(user, roles)
    if ids is None:
        return None
    ids = list(ids)
    theirs = Q(pk__in=[])
    for model in organisation_page_models():
        others = model._base_manager.filter(organisation__isnull=False).exclude(
            organisation__in=ids
        )
        if as_text:
            others = others.values_list(Cast("pk", output_field=CharField()), flat=True)
        else:
            others = others.values("pk")
        theirs |= Q(**{f"{field}__in": others})
    return theirs
