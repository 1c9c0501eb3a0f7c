"""The public status lookup of a message (留言查询): tracking number and query code in, where
the message stands and its reply out; never the sender's name or contact details."""

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from opengov_cms.conf import opengov_settings
from opengov_cms.core import ratelimit
from opengov_cms.interaction.choices import State
from opengov_cms.interaction.forms import MessageLookupForm
from opengov_cms.interaction.models import Message
from opengov_cms.interaction.workflow import PUBLIC_ACTIONS


@never_cache
@csrf_protect
@sensitive_post_parameters()
def status(request):
    """The code is sent by POST so it stays out of server logs and browser history. An
    unknown number and a wrong code get the same answer."""
    context = {"opengov_base_template": opengov_settings.BASE_TEMPLATE}
    code = 200
    if request.method == "POST":
        form = MessageLookupForm(request.POST)
        if not ratelimit.allow(request, "message-lookup", opengov_settings.INTERACTION_LOOKUP_RATE):
            form.is_valid()
            context["error"] = _("查询过于频繁，请稍后再试。")
            code = 429
        elif form.is_valid():
            found = Message.lookup(
                form.cleaned_data["tracking_number"], form.cleaned_data["query_code"]
            )
            if found is None:
                context["error"] = _("留言编号或查询码不正确，请核对后重新输入。")
                code = 404
            else:
                merged_into = found.merged_into if found.state == State.MERGED else None
                context.update(
                    found=found,
                    merged_into=merged_into,
                    # The reply a merged message gets is the reply of the one it joined.
                    answered=merged_into if merged_into is not None else found,
                    events=found.events.filter(action__in=PUBLIC_ACTIONS).select_related(
                        "from_organisation", "to_organisation"
                    ),
                )
        else:
            code = 400
    else:
        form = MessageLookupForm()
    context["form"] = form
    return TemplateResponse(request, "opengov_interaction/status.html", context, status=code)
