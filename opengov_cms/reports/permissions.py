"""Who may see and enter which organisation's yearly figures (年度报告统计数据)."""

from opengov_cms.core import memberships

#: Enter the figures of every organisation: for the disclosure office of the site.
PERM_ALL = "opengov_reports.enter_all_annualfigures"


def enters_every_organisation(user):
    return memberships.sees_all(user, PERM_ALL)


def figures_organisations(user):
    """The organisations whose figures ``user`` may see and enter: all of them for
    superusers and holders of 可录入所有机构的年度报告统计数据, else those the user is
    entered for under 政务公开 → 机构人员 as 信息公开工作人员 (or heads the office above).
    Entering also needs the model's add or change permission."""
    return memberships.organisations_for(user, memberships.OFFICER_ROLES, PERM_ALL)


def may_enter_for(user, organisation_id):
    return memberships.may_act_for(user, organisation_id, memberships.OFFICER_ROLES, PERM_ALL)
