"""Who sees and does what in supervision: the one place that says it.

Two things decide, together:

- a Django permission says what a person may do at all (报送材料和整改情况 ``submit_submission``
  / ``report_rectification``; 审核 ``review_submission``; 销号 ``close_rectification``; the
  model permissions of plans and tasks), and
- a SupervisionMembership says for whom: as 责任单位人员 of a unit, the person sees the
  tasks the unit leads or cooperates on and the unit's own submissions and rectification
  entries, and acts for that unit only; as 政务公开办公室 of an organisation, the person
  sees everything of the organisation's plans and ledger, and reviews and closes for it.

Superusers, and holders of 可督查所有机构 (``supervise_all``, for a city-level office on a
shared platform), are the office of every organisation.
"""

from django.db.models import Q

from opengov_cms.core.models import Organisation
from opengov_cms.supervision.choices import Role

PERM_ALL = "opengov_supervision.supervise_all"
PERM_SUBMIT = "opengov_supervision.submit_submission"
PERM_REVIEW = "opengov_supervision.review_submission"
PERM_REPORT = "opengov_supervision.report_rectification"
PERM_CLOSE = "opengov_supervision.close_rectification"
PERM_CHANGE_PLAN = "opengov_supervision.change_disclosureplan"
PERM_CHANGE_TASK = "opengov_supervision.change_plantask"


def _cache(user):
    """What was read about ``user`` for this request (the user object lives as long)."""
    cache = getattr(user, "_opengov_supervision_scope", None)
    if cache is None:
        cache = user._opengov_supervision_scope = {}
    return cache


def supervises_all(user):
    return user.is_active and (user.is_superuser or user.has_perm(PERM_ALL))


def office_organisation_ids(user):
    """Ids of the organisations whose office ``user`` is; None means every organisation."""
    if not user.is_active:
        return set()
    if supervises_all(user):
        return None
    cache = _cache(user)
    if "office" not in cache:
        from opengov_cms.supervision.models import SupervisionMembership

        cache["office"] = set(
            SupervisionMembership.objects.filter(user=user, role=Role.OFFICE).values_list(
                "organisation_id", flat=True
            )
        )
    return cache["office"]


def unit_ids(user):
    """Ids of the units ``user`` works in (as 责任单位人员)."""
    if not user.is_active:
        return set()
    cache = _cache(user)
    if "units" not in cache:
        from opengov_cms.supervision.models import SupervisionMembership

        cache["units"] = set(
            SupervisionMembership.objects.filter(user=user, role=Role.UNIT).values_list(
                "organisation_id", flat=True
            )
        )
    return cache["units"]


def office_organisations(user):
    ids = office_organisation_ids(user)
    return Organisation.objects.all() if ids is None else Organisation.objects.filter(pk__in=ids)


def units(user):
    return Organisation.objects.filter(pk__in=unit_ids(user))


def is_office_of(user, organisation_id):
    ids = office_organisation_ids(user)
    return ids is None or organisation_id in ids


def is_office(user):
    offices = office_organisation_ids(user)
    return offices is None or bool(offices)


def has_any_role(user):
    return is_office(user) or bool(unit_ids(user))


# What a user sees ------------------------------------------------------------------------


def _office_q(user, field):
    ids = office_organisation_ids(user)
    if ids is None:
        return Q()
    return Q(**{f"{field}__in": ids})


def visible_plans(user):
    from opengov_cms.supervision.models import DisclosurePlan, PlanTask

    plans = DisclosurePlan.objects.select_related("organisation", "page")
    if not user.is_active:
        return plans.none()
    if office_organisation_ids(user) is None:
        return plans
    own = unit_ids(user)
    involved = PlanTask.objects.filter(Q(lead_unit__in=own) | Q(cooperating_units__in=own)).values(
        "plan"
    )
    return plans.filter(_office_q(user, "organisation") | Q(pk__in=involved))


def visible_tasks(user):
    from opengov_cms.supervision.models import PlanTask

    tasks = PlanTask.objects.all()
    if not user.is_active:
        return tasks.none()
    if office_organisation_ids(user) is None:
        return tasks
    own = unit_ids(user)
    cooperating = PlanTask.objects.filter(cooperating_units__in=own).values("pk")
    return tasks.filter(
        _office_q(user, "plan__organisation") | Q(lead_unit__in=own) | Q(pk__in=cooperating)
    )


def visible_submissions(user):
    from opengov_cms.supervision.models import Submission

    submissions = Submission.objects.all()
    if not user.is_active:
        return submissions.none()
    if office_organisation_ids(user) is None:
        return submissions
    return submissions.filter(
        _office_q(user, "task__plan__organisation") | Q(unit__in=unit_ids(user))
    )


def visible_rectifications(user):
    from opengov_cms.supervision.models import Rectification

    entries = Rectification.objects.all()
    if not user.is_active:
        return entries.none()
    if office_organisation_ids(user) is None:
        return entries
    return entries.filter(_office_q(user, "organisation") | Q(unit__in=unit_ids(user)))


# What a user may do ----------------------------------------------------------------------


def can_submit(user, submission):
    return user.has_perm(PERM_SUBMIT) and submission.unit_id in unit_ids(user)


def can_review(user, submission):
    return user.has_perm(PERM_REVIEW) and is_office_of(user, submission.task.plan.organisation_id)


def can_report(user, rectification):
    return user.has_perm(PERM_REPORT) and rectification.unit_id in unit_ids(user)


def can_close(user, rectification):
    return user.has_perm(PERM_CLOSE) and is_office_of(user, rectification.organisation_id)


def can_add_rectification(user):
    return user.has_perm(PERM_CLOSE) and is_office(user)


def can_manage_plan(user, plan):
    return user.has_perm(PERM_CHANGE_PLAN) and is_office_of(user, plan.organisation_id)


def can_manage_tasks_of(user, plan):
    return user.has_perm(PERM_CHANGE_TASK) and is_office_of(user, plan.organisation_id)


def units_for_office(user):
    """The units an office user may give tasks and rectification entries to: the
    organisations it is the office of, and the units under them."""
    ids = office_organisation_ids(user)
    if ids is None:
        return Organisation.objects.all()
    return Organisation.objects.filter(Q(pk__in=ids) | Q(parent__in=ids))
