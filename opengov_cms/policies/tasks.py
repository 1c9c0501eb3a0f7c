"""Background jobs of opengov_policies."""

from django.utils import timezone

from opengov_cms.tasks import task


@task(name="opengov_cms.expire_policy_documents", ignore_result=True)
def expire_policy_documents():
    """Mark valid documents whose expiry date has come as 已失效, as a new published revision
    (so the change is in their history and the catalogue). Running it twice changes nothing."""
    from opengov_cms.core.models import Validity
    from opengov_cms.policies.models import PolicyDocumentPage

    today = timezone.localdate()
    expired = 0
    # Aliases follow their source when it is published.
    for page in PolicyDocumentPage.objects.live().filter(
        validity=Validity.VALID, expiry_date__lte=today, alias_of__isnull=True
    ):
        page.validity = Validity.EXPIRED
        page.validity_date = page.expiry_date
        page.save_revision(log_action=True).publish()
        expired += 1
    return expired
