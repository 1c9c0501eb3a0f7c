"""索引号: allocation from a per-organisation, per-year sequence that never goes back.

The sequence row is locked (SELECT … FOR UPDATE) for the rest of the publishing
transaction, so two pages published at once on PostgreSQL get different numbers; every
number given out is kept in IndexNumber, so a number is never given out twice, even after
its page is deleted.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opengov_cms.conf import opengov_settings


def format_index_number(organisation, year, seq):
    pattern = opengov_settings.INDEX_NUMBER_PATTERN
    return pattern.format(org_code=organisation.code, year=year, seq=seq)


def allocate_index_number(page):
    """Give ``page`` the next index number of its organisation and year, and record it."""
    from opengov_cms.core.models import IndexNumber, IndexNumberSequence

    if page.organisation_id is None:
        raise ValidationError({"organisation": _("分配索引号前请先选择发布机构。")})
    organisation = page.organisation
    year = (page.publication_date or timezone.localdate()).year
    with transaction.atomic():
        try:
            with transaction.atomic():
                IndexNumberSequence.objects.get_or_create(organisation=organisation, year=year)
        except IntegrityError:
            pass  # created by a concurrent transaction; locked below
        sequence = IndexNumberSequence.objects.select_for_update().get(
            organisation=organisation, year=year
        )
        sequence.last_value += 1
        sequence.save(update_fields=["last_value"])
        value = format_index_number(organisation, year, sequence.last_value)
        if IndexNumber.objects.filter(value=value).exists():
            raise ValidationError(
                _("索引号“%(value)s”已被使用。请检查索引号格式设置是否包含序号 {seq}。")
                % {"value": value}
            )
        IndexNumber.objects.create(
            value=value, organisation=organisation, year=year, page_id=page.pk
        )
    return value


def record_index_number(page, value):
    """Keep an index number an editor typed; it must never have been used by another page."""
    from opengov_cms.core.models import IndexNumber

    existing = IndexNumber.objects.filter(value=value).first()
    if existing is None:
        IndexNumber.objects.create(
            value=value, organisation_id=page.organisation_id, page_id=page.pk
        )
    elif existing.page_id != page.pk:
        raise ValidationError(
            {
                "index_number": _("索引号“%(value)s”已被使用过，索引号不能重复使用。")
                % {"value": value}
            }
        )
