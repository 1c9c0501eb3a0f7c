"""Emails to units and offices: a submission or rectification due soon, or overdue."""

import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from opengov_cms.supervision.choices import Role


class NotSent(Exception):
    """The mail server refused; the reminder is not recorded and is tried again."""


def addresses(unit_id, office_id=None):
    """The email addresses of the unit's staff, and of the office when ``office_id``."""
    members = get_user_model().objects.filter(
        is_active=True,
        opengov_supervision_memberships__organisation_id=unit_id,
        opengov_supervision_memberships__role=Role.UNIT,
    )
    if office_id is not None:
        members = members | get_user_model().objects.filter(
            is_active=True,
            opengov_supervision_memberships__organisation_id=office_id,
            opengov_supervision_memberships__role=Role.OFFICE,
        )
    return sorted({email for email in members.values_list("email", flat=True) if email})


def remind(kind, obj, today):
    """Send the reminder (``kind`` "due_soon") or overdue notice ("overdue") about a
    submission or a rectification entry. Raises NotSent when the mail server refuses."""
    from opengov_cms.supervision.models import ReminderSent, Submission

    overdue = kind == ReminderSent.OVERDUE
    if isinstance(obj, Submission):
        office_id = obj.task.plan.organisation_id
        subject = (
            _("报送材料已逾期：%(task)s（%(period)s）")
            if overdue
            else _("请按时报送材料：%(task)s（%(period)s）")
        ) % {"task": obj.task.label, "period": obj.period_label}
        template = "opengov_supervision/email/submission.txt"
    else:
        office_id = obj.organisation_id
        subject = (
            _("整改事项已逾期：%(number)s") if overdue else _("整改事项即将到期：%(number)s")
        ) % {"number": obj.number}
        template = "opengov_supervision/email/rectification.txt"
    recipients = addresses(obj.unit_id, office_id if overdue else None)
    if not recipients:
        return 0
    body = render_to_string(template, {"obj": obj, "overdue": overdue, "today": today})
    try:
        return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except (smtplib.SMTPException, OSError) as exc:
        raise NotSent(type(exc).__name__) from None
