"""机构人员: who works for which organisation, and as what. The one notion every app of the
package reads to decide whose pages, applications, messages, figures and tasks a person
sees and acts on (opengov_cms.core.memberships)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MembershipRole(models.TextChoices):
    EDITOR = "editor", _("编辑")
    REVIEWER = "reviewer", _("审核人员")
    CONFIDENTIALITY = "confidentiality", _("保密审查人员")
    OFFICER = "officer", _("信息公开工作人员")
    HEAD = "head", _("政务公开办公室负责人")
    CITY = "city", _("全市政务公开办公室")


class Membership(models.Model):
    """机构人员: a person working for an organisation (or one unit of it) in a role.

    An editor, reviewer or confidentiality reviewer works on the organisation's pages; a
    disclosure officer (信息公开工作人员) handles its applications and messages, enters its
    yearly figures and reports its unit's supervision work; the head of its disclosure
    office (政务公开办公室负责人) acts in every role for it and the organisations under it;
    the city office (全市政务公开办公室) acts in every role for every organisation.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="opengov_memberships",
    )
    organisation = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("机构"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        "opengov_core.Organisation",
        verbose_name=_("科室或单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("只为本机构的一个下级单位工作时选择；不选则为整个机构工作。"),
    )
    role = models.CharField(_("身份"), max_length=20, choices=MembershipRole.choices)

    class Meta:
        verbose_name = _("机构人员")
        verbose_name_plural = _("机构人员")
        ordering = ["organisation__name", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=Q(unit__isnull=True),
                name="opengov_core_membership_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "unit", "role"],
                condition=Q(unit__isnull=False),
                name="opengov_core_membership_unit",
            ),
        ]

    def __str__(self):
        where = self.unit if self.unit_id else self.organisation
        return f"{self.user} — {where}（{self.get_role_display()}）"

    @property
    def scope_id(self):
        """The organisation this membership acts for: the unit when one is given."""
        return self.unit_id or self.organisation_id

    def clean(self):
        super().clean()
        if self.unit_id is None or self.organisation_id is None:
            return
        if self.role in (MembershipRole.CITY, MembershipRole.HEAD):
            raise ValidationError(
                {
                    "unit": _(
                        "全市政务公开办公室和政务公开办公室负责人为整个机构工作，请不要选择科室或单位。"
                    )
                }
            )
        from opengov_cms.core.models import Organisation

        parents = dict(Organisation.objects.values_list("pk", "parent_id"))
        seen = set()
        current = parents.get(self.unit_id)
        while current is not None and current not in seen:
            if current == self.organisation_id:
                return
            seen.add(current)
            current = parents.get(current)
        raise ValidationError({"unit": _("所选科室或单位不属于该机构，请选择该机构的下级单位。")})
