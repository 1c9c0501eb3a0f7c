"""Keep the waiting submissions in step with the tasks: saved in the admin, imported from
the 责任分解表, or changed in code, a task has one waiting submission per period and
responsible unit (opengov_cms.supervision.workflow.sync_submissions)."""

from django.db.models.signals import m2m_changed, post_save


def task_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from opengov_cms.supervision.workflow import sync_submissions

    sync_submissions(instance)


def cooperating_units_changed(sender, instance, action, reverse=False, **kwargs):
    if reverse or action not in ("post_add", "post_remove", "post_clear"):
        return
    from opengov_cms.supervision.workflow import sync_submissions

    sync_submissions(instance)


def plan_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or created:
        return
    from opengov_cms.supervision.workflow import sync_plan

    sync_plan(instance)


def connect():
    from opengov_cms.supervision.models import DisclosurePlan, PlanTask

    post_save.connect(task_saved, sender=PlanTask, dispatch_uid="opengov_supervision_task")
    post_save.connect(plan_saved, sender=DisclosurePlan, dispatch_uid="opengov_supervision_plan")
    m2m_changed.connect(
        cooperating_units_changed,
        sender=PlanTask.cooperating_units.through,
        dispatch_uid="opengov_supervision_cooperating_units",
    )
