"""The outbox: side effects of a change, written in the change's own transaction."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A job to run because of a committed change (an index update, a notification, a
    report): written with the change, so it exists exactly when the change does, and
    deleted by the run that carries it out (opengov_cms.tasks)."""

    task = models.CharField(_("任务"), max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(_("写入时间"), default=timezone.now)
    not_before = models.DateTimeField(_("最早执行时间"), default=timezone.now, db_index=True)
    attempts = models.PositiveIntegerField(_("已尝试次数"), default=0)
    last_error = models.CharField(_("最近一次错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("待执行任务")
        verbose_name_plural = _("待执行任务")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.task} #{self.pk}"
