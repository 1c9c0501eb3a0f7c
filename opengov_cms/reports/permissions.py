"""Who may see and enter which organisation's yearly figures (年度报告统计数据)."""

#: Enter the figures of every organisation: for the disclosure office of the site.
PERM_ALL = "opengov_reports.enter_all_annualfigures"


def enters_every_organisation(user):
    return user.is_active and (user.is_superuser or user.has_perm(PERM_ALL))


def figures_organisations(user):
    """The organisations whose figures ``user`` may see and enter: all of them for
    superusers and holders of 可录入所有机构的年度报告统计数据, else those the user is entered
    for under 依申请公开 → 办理人员. Entering also needs the model's add or change permission."""
    # Imported here: a site missing the app gets the startup check's message, not this.
    from opengov_cms.disclosure_requests.models import DepartmentMembership

    return DepartmentMembership.organisations_of(user, PERM_ALL)


def may_enter_for(user, organisation_id):
    return figures_organisations(user).filter(pk=organisation_id).exists()
