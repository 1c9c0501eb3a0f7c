"""三同步: policy documents that need an interpretation go live together with it.

A publication that must wait is recorded as a HeldPublication instead of going live. When
the partner is approved, both are published; when the waiting side is scheduled, the
partner is scheduled for the same time.
"""

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from opengov_cms.conf import opengov_settings

HELD = "opengov_policies.held_for_interpretation"


def sync_required():
    return opengov_settings.SYNCHRONISED_INTERPRETATION


def is_ready(page):
    """Live, scheduled to go live, or approved and waiting for its partner."""
    from opengov_cms.policies.models import HeldPublication

    if page.live:
        return True
    latest = page.latest_revision
    if latest is not None and latest.approved_go_live_at is not None:
        return True
    return HeldPublication.objects.filter(page_id=page.pk).exists()


def waiting_policies(interpretation):
    """The documents this interpretation explains that need it and are not live yet."""
    from opengov_cms.policies.models import PolicyDocumentPage

    return PolicyDocumentPage.objects.filter(
        interpretation_links__interpretation=interpretation, needs_interpretation=True, live=False
    )


def must_wait(page):
    """Whether ``page`` may not go live yet under 三同步."""
    from opengov_cms.policies.models import InterpretationPage, PolicyDocumentPage

    if not sync_required():
        return False
    if isinstance(page, PolicyDocumentPage):
        if not page.needs_interpretation:
            return False
        if page.pk is None:
            return True
        interpretations = InterpretationPage.objects.filter(
            interpreted_documents__document=page
        ).distinct()
        return not any(is_ready(i) for i in interpretations)
    if isinstance(page, InterpretationPage):
        return page.pk is not None and waiting_policies(page).exists()
    return False


def hold(page, revision, user):
    from opengov_cms.policies.models import HeldPublication

    HeldPublication.objects.update_or_create(
        page_id=page.pk, defaults={"revision": revision, "user": user}
    )
    log(instance=page, action=HELD, user=user, revision=revision)


def release(page, go_live_at=None):
    """Publish (or schedule, with ``go_live_at``) a held page's approved revision."""
    from opengov_cms.policies.models import HeldPublication

    held = HeldPublication.objects.filter(page_id=page.pk).select_related("revision").first()
    if held is None:
        return
    revision, user = held.revision, held.user
    held.delete()
    if go_live_at is not None:
        revision.approved_go_live_at = go_live_at
        revision.save(update_fields=["approved_go_live_at"])
    else:
        revision.publish(user=user)


def publish(page, revision, publish_now, *args, **kwargs):
    """The publish path of policy documents and interpretations."""
    from opengov_cms.policies.models import InterpretationPage, PolicyDocumentPage

    user = kwargs.get("user")
    content = revision.as_object()
    with transaction.atomic():
        if not sync_required():
            return publish_now(revision, *args, **kwargs)
        if isinstance(page, PolicyDocumentPage):
            interpretations = list(
                InterpretationPage.objects.filter(interpreted_documents__document=page).distinct()
            )
            if content.needs_interpretation and not any(is_ready(i) for i in interpretations):
                hold(page, revision, user)
                return None
            result = publish_now(revision, *args, **kwargs)
            go_live_at = content.go_live_at
            scheduled = go_live_at is not None and go_live_at > timezone.now()
            for interpretation in interpretations:
                release(interpretation, go_live_at if scheduled else None)
            return result
        if isinstance(page, InterpretationPage):
            waiting = list(waiting_policies(page))
            if waiting:
                hold(page, revision, user)
                # A document already approved and waiting for this interpretation goes now.
                for policy in waiting:
                    release(policy)
                return None
        return publish_now(revision, *args, **kwargs)
