"""The choices of the supervision app: how often a task reports, the states of a submission
and of a rectification entry, the roles of staff, and the kinds of a publication time limit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Schedule(models.TextChoices):
    """报送要求: when the responsible units report on a task."""

    DEADLINE = "deadline", _("限期完成")
    QUARTERLY = "quarterly", _("每季度报送")
    MONTHLY = "monthly", _("每月报送")
    ON_EVENT = "on_event", _("随时报送（按事件）")


class SubmissionState(models.TextChoices):
    PENDING = "pending", _("待报送")
    OVERDUE = "overdue", _("逾期未报")
    SUBMITTED = "submitted", _("已报送，待审核")
    ACCEPTED = "accepted", _("审核通过")
    PROBLEMS = "problems", _("发现问题")


#: A unit may still report in these states; an overdue one is marked late when it does.
AWAITING = (SubmissionState.PENDING, SubmissionState.OVERDUE)


class RectificationState(models.TextChoices):
    OPEN = "open", _("整改中")
    REPORTED = "reported", _("已报整改情况，待销号")
    CLOSED = "closed", _("已销号")


class Role(models.TextChoices):
    OFFICE = "office", _("政务公开办公室（督查本机构）")
    UNIT = "unit", _("责任单位人员（报送本单位）")


class TimeLimitKind(models.TextChoices):
    """公开时限 of a standard-catalogue item, in the unit it is counted in."""

    WORKING_DAYS = "working_days", _("工作日")
    DAYS = "days", _("自然日")
    NONE = "none", _("无固定时限")


class ItemStatus(models.TextChoices):
    """What the standard-catalogue check finds for one item of one organisation."""

    ON_TIME = "on_time", _("按时公开")
    PUBLISHED = "published", _("已公开（无法核对时限）")
    LATE = "late", _("超过时限公开")
    STALE = "stale", _("长期未更新")
    MISSING = "missing", _("未公开")
    UNMAPPED = "unmapped", _("未对应栏目")
    UNKNOWN = "unknown", _("无法判断（缺少节假日安排）")
