"""The closed lists of the public's messages: categories, states, and the kinds of response
to public concerns."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from opengov_cms.core.visibility import MESSAGE_REPLIED


class Category(models.TextChoices):
    """留言类别. Each has its own reply period (OPENGOV_CMS_INTERACTION_REPLY_DAYS)."""

    CONSULTATION = "consultation", _("咨询")
    SUGGESTION = "suggestion", _("建议")
    COMPLAINT = "complaint", _("投诉")
    OTHER = "other", _("其他")


class State(models.TextChoices):
    """Where a message stands. Only a replied message can ever be published; one closed as
    out of scope, merged into a duplicate or withdrawn never is (opengov_cms.core.visibility)."""

    RECEIVED = "received", _("待办理")
    ASSIGNED = "assigned", _("办理中")
    IN_REVIEW = "in_review", _("答复待审核")
    REPLIED = MESSAGE_REPLIED, _("已答复")
    OUT_OF_SCOPE = "out_of_scope", _("不予受理")
    MERGED = "merged", _("已合并")
    WITHDRAWN = "withdrawn", _("已撤回")


#: States in which a reply is still owed, and the clock runs.
OPEN_STATES = (State.RECEIVED, State.ASSIGNED, State.IN_REVIEW)
#: States that end a message.
ENDED_STATES = (State.REPLIED, State.OUT_OF_SCOPE, State.MERGED, State.WITHDRAWN)


class ResponseKind(models.TextChoices):
    """回应关切: the forms a response to a public concern takes (the seed plan: 新闻发布 and
    舆情回应 of major events, and 情况通报)."""

    BRIEFING = "briefing", _("情况通报")
    PRESS_CONFERENCE = "press_conference", _("新闻发布会")
    OPINION_RESPONSE = "opinion_response", _("舆情回应")


#: What each step of a message's handling is called, on its timeline and in the log.
ACTION_LABELS = {
    "receive": _("收到留言"),
    "assign": _("分派承办人"),
    "transfer": _("转办"),
    "save_draft": _("保存答复草稿"),
    "submit_reply": _("提交答复审核"),
    "approve_reply": _("审核通过并答复"),
    "return_reply": _("退回修改答复"),
    "close_out_of_scope": _("不予受理"),
    "merge": _("合并重复留言"),
    "withdraw": _("留言人撤回"),
    "edit_public_text": _("编辑公开文本"),
    "publish": _("公开留言和答复"),
    "unpublish": _("撤销公开"),
    "due_date_set": _("答复期限确定"),
}
