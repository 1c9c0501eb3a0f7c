"""Emails to the sender and to staff when something happens to a message, and the search
index kept in step with what may be published. Everything but the receipt goes through the
outbox, written with the change (opengov_cms.tasks)."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from opengov_cms.interaction import tasks
from opengov_cms.interaction.choices import ACTION_LABELS
from opengov_cms.search.tasks import index_documents
from opengov_cms.tasks import enqueue

logger = logging.getLogger(__name__)

#: The actions the sender is told about by email.
SENDER_ACTIONS = ("approve_reply", "close_out_of_scope", "merge")
#: Actions after which what the public may see of the message may have changed.
PUBLICATION_ACTIONS = ("approve_reply", "publish", "unpublish", "edit_public_text", "withdraw")


def document_id(message_id):
    return f"message:{message_id}"


def after_transition(message, action):
    if action in SENDER_ACTIONS and message.email:
        enqueue(tasks.notify_sender, message.pk, action)
    if action == "assign" and message.handler_id:
        enqueue(tasks.notify_handler, message.pk)
    if action in PUBLICATION_ACTIONS:
        enqueue(index_documents, [document_id(message.pk)])


def send(message, subject, body, address):
    """Send one email; a refusing mail server is logged, never raised. Only the error's type
    is logged, since SMTP errors quote the recipient's address."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    except (smtplib.SMTPException, OSError) as exc:
        logger.error("Email about message %s failed: %s", message.pk, type(exc).__name__)
        return False
    return True


def send_receipt(message, query_code):
    """The confirmation with the query code. Sent from the web process, never queued, so
    the code does not sit in a message broker."""
    if not message.email:
        return
    body = render_to_string(
        "opengov_interaction/email/receipt.txt", {"message": message, "query_code": query_code}
    )
    send(
        message,
        _("您的留言已收到（%(number)s）") % {"number": message.tracking_number},
        body,
        message.email,
    )


def send_sender_notice(message, action):
    if not message.email:
        return
    body = render_to_string(
        "opengov_interaction/email/sender_notice.txt",
        {"message": message, "action": action, "label": ACTION_LABELS[action]},
    )
    send(
        message,
        _("留言%(number)s：%(label)s")
        % {"number": message.tracking_number, "label": ACTION_LABELS[action]},
        body,
        message.email,
    )


def send_handler_assignment(message):
    if not (message.handler and message.handler.email):
        return
    body = render_to_string("opengov_interaction/email/assignment.txt", {"message": message})
    send(
        message,
        _("请办理网民留言%(number)s") % {"number": message.tracking_number},
        body,
        message.handler.email,
    )
