"""The periods a task is reported for, and their due dates.

The seed plan (六安市文化和旅游局2019年政务公开实施方案, 五、3) has every unit report
against the 责任分解表 "于每季度月末28日": by the 28th of the last month of each quarter.
The day is a setting (OPENGOV_CMS_SUPERVISION_SUBMISSION_DAY); monthly tasks are due on the
same day of each month. It is a calendar date set by the plan, not a statutory period in
working days, so the holiday schedule plays no part.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from opengov_cms.conf import opengov_settings
from opengov_cms.supervision.choices import Schedule

QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
ONCE = "once"


@dataclass(frozen=True)
class Period:
    key: str
    due_date: date

    @property
    def label(self):
        return period_label(self.key)


def periods_of(task, year=None):
    """The periods ``task`` is reported for in its plan's year, with their due dates."""
    year = year or task.plan.year
    day = opengov_settings.SUPERVISION_SUBMISSION_DAY
    if task.schedule == Schedule.QUARTERLY:
        return [Period(f"{year}Q{q}", date(year, 3 * q, day)) for q in range(1, 5)]
    if task.schedule == Schedule.MONTHLY:
        return [Period(f"{year}-{m:02d}", date(year, m, day)) for m in range(1, 13)]
    if task.schedule == Schedule.DEADLINE and task.deadline is not None:
        return [Period(ONCE, task.deadline)]
    return []


def period_label(key):
    """第3季度 of 2019 for "2019Q3", and so on; the key itself for one it does not know."""
    match = QUARTER.match(key)
    if match:
        return _("%(year)s年第%(quarter)s季度") % {
            "year": match[1],
            "quarter": match[2],
        }
    match = MONTH.match(key)
    if match:
        return _("%(year)s年%(month)s月") % {"year": match[1], "month": int(match[2])}
    if key == ONCE:
        return _("完成时限")
    return key or _("事件")
