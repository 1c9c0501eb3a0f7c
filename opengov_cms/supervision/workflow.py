"""What happens to submissions and rectification entries: the waiting submissions of every
period, reporting, review, problems carried into the ledger, and closing them.

Each step locks the row it changes, checks its state, changes it and writes the step into
the row's history in one transaction, so two people acting at once cannot both review a
submission or close an entry twice.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opengov_cms.supervision.choices import (
    AWAITING,
    RectificationState,
    Schedule,
    SubmissionState,
)
from opengov_cms.supervision.models import (
    EvidenceFile,
    EvidenceLink,
    PlanTask,
    Rectification,
    RectificationEvent,
    Submission,
    SubmissionEvent,
)
from opengov_cms.supervision.periods import periods_of


class SupervisionError(Exception):
    """A step that cannot be taken in the state the record is in; the message says why."""


# The submissions every period needs --------------------------------------------------


def responsible_unit_ids(task):
    """The lead unit first, then the cooperating units: each reports for itself."""
    ids = [task.lead_unit_id]
    ids += [pk for pk in task.cooperating_units.values_list("pk", flat=True) if pk != ids[0]]
    return ids


def sync_submissions(task, today=None):
    """Make the waiting submissions of every period of ``task`` for each responsible unit,
    move their due dates when the schedule changed, and remove the waiting ones no period
    or unit needs any more. A submission a unit has made is never removed. Returns the
    number made."""
    today = today or timezone.localdate()
    periods = {p.key: p for p in periods_of(task)}
    wanted = {(unit, key) for unit in responsible_unit_ids(task) for key in periods}
    existing = {
        (s.unit_id, s.period): s for s in Submission.objects.filter(task=task).exclude(period="")
    }
    stale = [
        s.pk
        for key, s in existing.items()
        if key not in wanted and s.state in AWAITING and not s.text
    ]
    if stale:
        Submission.objects.filter(pk__in=stale).delete()
    for (unit, key), submission in existing.items():
        if (unit, key) not in wanted or submission.state not in AWAITING:
            continue
        due = periods[key].due_date
        # A due date moved past today makes an overdue submission wait again; one that
        # has passed is marked overdue by mark_overdue, with its step in the history.
        state = SubmissionState.PENDING if due >= today else submission.state
        if submission.due_date != due or submission.state != state:
            Submission.objects.filter(pk=submission.pk).update(due_date=due, state=state)
    missing = [
        Submission(task=task, unit_id=unit, period=key, due_date=periods[key].due_date)
        for unit, key in sorted(wanted - set(existing))
    ]
    Submission.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def sync_plan(plan, today=None):
    made = 0
    for task in PlanTask.objects.filter(plan=plan).select_related("plan"):
        made += sync_submissions(task, today)
    return made


def mark_overdue(today=None):
    """Waiting submissions whose due date has passed become 逾期未报, each with a step in its
    history; returns them. Running it again changes nothing."""
    today = today or timezone.localdate()
    with transaction.atomic():
        ids = list(
            Submission.objects.select_for_update()
            .filter(state=SubmissionState.PENDING, due_date__lt=today)
            .values_list("pk", flat=True)
        )
        if not ids:
            return []
        Submission.objects.filter(pk__in=ids).update(state=SubmissionState.OVERDUE)
        label = _("逾期未报")
        SubmissionEvent.objects.bulk_create(
            SubmissionEvent(submission_id=pk, action="overdue", label=label) for pk in ids
        )
    return ids


# Submitting and reviewing ----------------------------------------------------------------


@dataclass
class Evidence:
    """What a unit hands in: text, files (uploads already checked), published pages."""

    text: str = ""
    files: tuple = ()
    pages: tuple = ()  # (page, title, url)


def _attach(evidence, user, **owner):
    for upload in evidence.files:
        EvidenceFile.objects.create(
            original_name=upload.name[:200],
            file=upload,
            size=upload.size,
            uploaded_by=user,
            **owner,
        )
    EvidenceLink.objects.bulk_create(
        EvidenceLink(page=page, title=title[:255], url=url[:500], **owner)
        for page, title, url in evidence.pages
    )


def _locked(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


def submit(submission, user, evidence, quantity=None, now=None):
    """The unit reports for a period; late when after the due date (逾期报送)."""
    now = now or timezone.now()
    with transaction.atomic():
        submission = _locked(Submission, submission)
        if submission.state not in AWAITING:
            raise SupervisionError(_("本期材料已经报送，不能重复报送。"))
        submission.late = (
            submission.due_date is not None and timezone.localdate(now) > submission.due_date
        )
        submission.state = SubmissionState.SUBMITTED
        submission.text = evidence.text
        submission.quantity = quantity
        submission.submitted_at = now
        submission.submitted_by = user
        submission.save()
        _attach(evidence, user, submission=submission)
        SubmissionEvent.objects.create(
            submission=submission,
            action="submit",
            label=_("逾期报送") if submission.late else _("报送"),
            user=user,
            at=now,
        )
    return submission


def submit_event(task, unit, user, evidence, event_date, quantity=None, now=None):
    """A report about an event, for a task reported on events (随时报送)."""
    if task.schedule != Schedule.ON_EVENT:
        raise SupervisionError(_("该事项按期报送，请在相应期间的报送中填报。"))
    with transaction.atomic():
        submission = Submission.objects.create(
            task=task, unit=unit, period="", event_date=event_date
        )
        return submit(submission, user, evidence, quantity=quantity, now=now)


@dataclass
class Problem:
    text: str
    deadline: date
    measures: str = ""


def review(submission, user, accepted, note="", problems=(), now=None):
    """The office's review: accepted, or problems found, each of which becomes an entry in
    the rectification ledger for the submitting unit. Returns the entries made."""
    now = now or timezone.now()
    if not accepted and not problems:
        raise SupervisionError(_("发现问题时请至少写明一个问题。"))
    with transaction.atomic():
        submission = _locked(Submission, submission)
        if submission.state != SubmissionState.SUBMITTED:
            raise SupervisionError(_("只有已报送、待审核的材料才能审核。"))
        submission.state = SubmissionState.ACCEPTED if accepted else SubmissionState.PROBLEMS
        submission.reviewed_at = now
        submission.reviewed_by = user
        submission.review_note = note
        submission.save()
        SubmissionEvent.objects.create(
            submission=submission,
            action="accept" if accepted else "problems",
            label=_("审核通过") if accepted else _("发现问题，列入整改台账"),
            note=note,
            user=user,
            at=now,
        )
        plan = submission.task.plan
        return [
            add_rectification(
                organisation=plan.organisation,
                unit=submission.unit,
                problem=problem.text,
                deadline=problem.deadline,
                measures=problem.measures,
                user=user,
                plan=plan,
                submission=submission,
                now=now,
            )
            for problem in problems
        ]


# The rectification ledger ----------------------------------------------------------------


def _event(entry, action, label, user, note="", now=None):
    RectificationEvent.objects.create(
        rectification=entry, action=action, label=label, note=note, user=user, at=now
    )


def add_rectification(
    organisation, unit, problem, deadline, user, measures="", plan=None, submission=None, now=None
):
    now = now or timezone.now()
    entry = Rectification.objects.create(
        organisation=organisation,
        unit=unit,
        problem=problem,
        measures=measures,
        deadline=deadline,
        plan=plan,
        submission=submission,
        created_by=user,
        created_at=now,
    )
    _event(entry, "create", _("列入整改台账"), user, note=problem, now=now)
    return entry


def report_rectification(entry, user, measures, evidence, now=None):
    """The unit says what it did (整改措施) and shows it; the office then closes or returns."""
    now = now or timezone.now()
    with transaction.atomic():
        entry = _locked(Rectification, entry)
        if entry.state != RectificationState.OPEN:
            raise SupervisionError(
                _("该事项已报告整改情况，等待销号。")
                if entry.state == RectificationState.REPORTED
                else _("该事项已销号。")
            )
        entry.measures = measures
        entry.evidence = evidence.text
        entry.state = RectificationState.REPORTED
        entry.reported_at = now
        entry.save()
        _attach(evidence, user, rectification=entry)
        _event(entry, "report", _("报告整改情况"), user, note=measures, now=now)
    return entry


def close_rectification(entry, user, note="", now=None):
    """销号: the office finds the rectification done."""
    now = now or timezone.now()
    with transaction.atomic():
        entry = _locked(Rectification, entry)
        if entry.state == RectificationState.CLOSED:
            raise SupervisionError(_("该事项已销号。"))
        if entry.state != RectificationState.REPORTED:
            raise SupervisionError(_("责任单位尚未报告整改情况，不能销号。"))
        entry.state = RectificationState.CLOSED
        entry.closed_at = now
        entry.closed_by = user
        entry.save()
        _event(entry, "close", _("销号"), user, note=note, now=now)
    return entry


def return_rectification(entry, user, note, now=None):
    """退回: the office finds the rectification not done; the unit works on it again."""
    now = now or timezone.now()
    if not note.strip():
        raise SupervisionError(_("退回时请写明理由。"))
    with transaction.atomic():
        entry = _locked(Rectification, entry)
        if entry.state != RectificationState.REPORTED:
            raise SupervisionError(_("只有已报告整改情况的事项才能退回。"))
        entry.state = RectificationState.OPEN
        entry.save()
        _event(entry, "return", _("退回重新整改"), user, note=note, now=now)
    return entry
