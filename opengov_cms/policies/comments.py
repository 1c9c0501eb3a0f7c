"""Receiving the public's comments on a consultation, and counting the decisions on them."""

from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from opengov_cms.conf import opengov_settings
from opengov_cms.core import ratelimit


def receive_comment(page, request, serve_page):
    """Store a valid comment made during the period, held for moderation; anything else is
    answered with a message and stores nothing."""
    from opengov_cms.policies.forms import CommentForm
    from opengov_cms.policies.models import ConsultationComment, ConsultationStatus

    form = CommentForm(request.POST)

    def again(status, error=None):
        context = page.get_context(request, comment_form=form, comment_error=error)
        return TemplateResponse(request, page.get_template(request), context, status=status)

    if page.status != ConsultationStatus.OPEN:
        form = None
        message = (
            _("本次征求意见尚未开始，意见未保存。")
            if page.status == ConsultationStatus.UPCOMING
            else _("本次征求意见已结束，意见未保存。")
        )
        return again(400, message)
    if not ratelimit.allow(
        request, "consultation-comment", opengov_settings.CONSULTATION_COMMENT_RATE
    ):
        return again(429, _("提交过于频繁，请稍后再试。"))
    if not form.is_valid():
        return again(400)
    if not form.is_robot:
        # A comment sent too fast is kept, marked for the staff who moderate it: a person
        # with a prepared text is not turned away, and nothing is dropped unseen.
        automated = form.likely_automated
        ConsultationComment.objects.create(
            consultation=page,
            name=form.cleaned_data["name"],
            contact=form.cleaned_data["contact"],
            body=form.cleaned_data["body"],
            likely_automated=automated,
            fill_seconds=form.fill_seconds,
        )
    return HttpResponseRedirect(f"{page.url}?submitted=1#comment")


def adoption_summary(page):
    """How many comments arrived, and how many were adopted, partly adopted or not."""
    from opengov_cms.policies.models import Adoption

    counts = dict(
        page.comments.exclude(adoption="").values_list("adoption").annotate(n=Count("pk"))
    )
    total = page.comments.count()
    return {
        "total": total,
        "rows": [(label, counts.get(value, 0)) for value, label in Adoption.choices],
    }
