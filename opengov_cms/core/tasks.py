"""Background jobs of opengov_core."""

from django.core.management import call_command

from opengov_cms.tasks import task


@task(name="opengov_cms.publish_scheduled", ignore_result=True)
def publish_scheduled():
    """Run Wagtail's scheduled publishing, so a site needs no cron for it."""
    call_command("publish_scheduled")
