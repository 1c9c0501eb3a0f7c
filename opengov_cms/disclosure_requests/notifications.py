"""Emails to applicants and handlers when something happens to a request."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from opengov_cms.tasks import enqueue

logger = logging.getLogger(__name__)

#: The actions the applicant is told about by email.
APPLICANT_ACTIONS = (
    "accept",
    "request_correction",
    "send_fee_notice",
    "extend",
    "reply",
    "due_date_set",
)


def after_transition(request, action):
    from opengov_cms.disclosure_requests import tasks

    if action in APPLICANT_ACTIONS and request.email:
        enqueue(tasks.notify_applicant, request.pk, action)
    if action == "assign" and request.handler_id:
        enqueue(tasks.notify_handler, request.pk)


def send(request, subject, body, address):
    """Send one email; a refusing mail server is logged, never raised.

    The change that caused the email is already saved, and with the in-process task runner
    an exception here would turn it into an error page. Only the error's type is logged,
    since SMTP errors quote the recipient's address.
    """
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    except (smtplib.SMTPException, OSError) as exc:
        logger.error("Email about request %s failed: %s", request.pk, type(exc).__name__)
        return False
    return True


def send_receipt(request, query_code):
    """The confirmation with the query code. Sent from the web process, never queued, so
    the code does not sit in a message broker."""
    if not request.email:
        return
    body = render_to_string(
        "opengov_requests/email/receipt.txt", {"request": request, "query_code": query_code}
    )
    send(
        request,
        _("您的政府信息公开申请已收到（%(number)s）") % {"number": request.tracking_number},
        body,
        request.email,
    )


def send_applicant_notice(request, action):
    if not request.email:
        return
    from opengov_cms.disclosure_requests.workflow import ACTION_LABELS

    body = render_to_string(
        "opengov_requests/email/applicant_notice.txt",
        {"request": request, "action": action, "label": ACTION_LABELS[action]},
    )
    send(
        request,
        _("政府信息公开申请%(number)s：%(label)s")
        % {"number": request.tracking_number, "label": ACTION_LABELS[action]},
        body,
        request.email,
    )


def send_handler_assignment(request):
    if not (request.handler and request.handler.email):
        return
    body = render_to_string("opengov_requests/email/assignment.txt", {"request": request})
    send(
        request,
        _("请办理政府信息公开申请%(number)s") % {"number": request.tracking_number},
        body,
        request.handler.email,
    )
