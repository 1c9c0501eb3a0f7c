"""The closed lists of the regulation: applicant types, channels, states and reply outcomes.

Outcome codes are stable strings for the annual report's table 3 (国办公开办函〔2021〕30号):
the part before the dot is the column group, so statistics group by them directly.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicantType(models.TextChoices):
    NATURAL_PERSON = "natural_person", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")


class OrganisationSubtype(models.TextChoices):
    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    PUBLIC_WELFARE = "public_welfare", _("社会公益组织")
    LEGAL_SERVICES = "legal_services", _("法律服务机构")
    OTHER = "other", _("其他")


class IdDocumentType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO_TAIWAN = "hmt_permit", _("港澳台居民居住证或通行证")
    OTHER = "other", _("其他有效身份证件")


class Channel(models.TextChoices):
    """申请方式, each with its own rule for the date of receipt (Art. 31)."""

    ONLINE = "online", _("网上申请")
    IN_PERSON = "in_person", _("当面提交")
    POST = "post", _("邮寄")
    FAX = "fax", _("传真")
    EMAIL = "email", _("电子邮件")


RECEIPT_DATE_RULES = {
    Channel.ONLINE: _("双方确认之日"),
    Channel.IN_PERSON: _("提交之日"),
    Channel.POST: _("签收之日"),
    Channel.FAX: _("双方确认之日"),
    Channel.EMAIL: _("双方确认之日"),
}


class ProvisionForm(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子数据")


class DeliveryMethod(models.TextChoices):
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    COLLECT = "collect", _("自行领取")
    ONLINE = "online", _("网上获取")


class State(models.TextChoices):
    RECEIVED = "received", _("已收到")
    ACCEPTED = "accepted", _("办理中")
    CORRECTION_REQUESTED = "correction_requested", _("待补正")
    CONSULTING_THIRD_PARTY = "consulting_third_party", _("征求第三方意见")
    CONSULTING_AGENCY = "consulting_agency", _("征求其他机关意见")
    AWAITING_FEE = "awaiting_fee", _("待缴费")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已终止")
    WITHDRAWN = "withdrawn", _("已撤回")
    ARCHIVED = "archived", _("已归档")


OPEN_STATES = (
    State.RECEIVED,
    State.ACCEPTED,
    State.CORRECTION_REQUESTED,
    State.CONSULTING_THIRD_PARTY,
    State.CONSULTING_AGENCY,
    State.AWAITING_FEE,
)
CLOCK_STOPPED_STATES = (
    State.CORRECTION_REQUESTED,
    State.CONSULTING_THIRD_PARTY,
    State.CONSULTING_AGENCY,
    State.AWAITING_FEE,
)


class Outcome(models.TextChoices):
    """办理结果, as the rows of table 3 of the annual report."""

    DISCLOSED = "disclosed", _("予以公开")
    PARTIAL = "partial", _("部分公开")
    WITHHELD_STATE_SECRET = "withheld.state_secret", _("不予公开：属于国家秘密")
    WITHHELD_PROHIBITED = "withheld.prohibited_by_law", _("不予公开：其他法律行政法规禁止公开")
    WITHHELD_SECURITY = "withheld.security_stability", _("不予公开：危及“三安全一稳定”")
    WITHHELD_THIRD_PARTY = "withheld.third_party_rights", _("不予公开：保护第三方合法权益")
    WITHHELD_INTERNAL = "withheld.internal_affairs", _("不予公开：属于三类内部事务信息")
    WITHHELD_PROCESS = "withheld.process_information", _("不予公开：属于四类过程性信息")
    WITHHELD_ENFORCEMENT = "withheld.enforcement_file", _("不予公开：属于行政执法案卷")
    WITHHELD_QUERY = "withheld.administrative_query", _("不予公开：属于行政查询事项")
    UNAVAILABLE_NOT_HELD = "unavailable.not_held", _("无法提供：本机关不掌握相关政府信息")
    UNAVAILABLE_CREATION = "unavailable.needs_creation", _("无法提供：没有现成信息需要另行制作")
    UNAVAILABLE_UNCLEAR = "unavailable.still_unclear", _("无法提供：补正后申请内容仍不明确")
    NOT_PROCESSED_PETITION = "not_processed.petition", _("不予处理：信访举报投诉类申请")
    NOT_PROCESSED_REPEATED = "not_processed.repeated", _("不予处理：重复申请")
    NOT_PROCESSED_PUBLICATION = "not_processed.publication", _("不予处理：要求提供公开出版物")
    NOT_PROCESSED_EXCESSIVE = "not_processed.excessive", _("不予处理：无正当理由大量反复申请")
    NOT_PROCESSED_CONFIRMATION = (
        "not_processed.confirmation",
        _("不予处理：要求行政机关确认或重新出具已获取信息"),
    )
    OTHER_NO_CORRECTION = "other.no_correction", _("其他处理：申请人无正当理由逾期不补正")
    OTHER_FEE_UNPAID = "other.fee_unpaid", _("其他处理：申请人逾期未按收费通知要求缴纳费用")
    OTHER = "other.other", _("其他处理：其他")


#: The reasons a partial disclosure may give for the parts it does not release.
PARTIAL_REASONS = [o for o in Outcome if o.value.startswith(("withheld.", "unavailable."))]
#: Outcomes set by the closing actions, not chosen in a reply.
CLOSING_OUTCOMES = (Outcome.OTHER_NO_CORRECTION, Outcome.OTHER_FEE_UNPAID)
REPLY_OUTCOMES = [o for o in Outcome if o not in CLOSING_OUTCOMES]


class DocumentKind(models.TextChoices):
    APPLICATION = "application", _("申请材料")
    NOTICE = "notice", _("告知书")
    REPLY = "reply", _("答复材料")


class NoticeKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("受理回执")
    CORRECTION = "correction", _("补正告知书")
    EXTENSION = "extension", _("延期答复告知书")
    THIRD_PARTY = "third_party", _("第三方意见征询函")
    AGENCY = "agency", _("征求其他机关意见函")
    FEE = "fee", _("收费通知")
    REPLY = "reply", _("答复告知书")


class NoticeDelivery(models.TextChoices):
    """How a notice reached its addressee; periods given to them run from receipt."""

    ONLINE = "online", _("网上或电子邮件送达（发出之日即收到之日）")
    POST = "post", _("邮寄（以签收之日为收到之日）")
    IN_PERSON = "in_person", _("当面送达（以签收之日为收到之日）")


class OutcomeGroup(models.TextChoices):
    """The column groups of table 3, for choosing a reply notice by outcome."""

    DISCLOSED = "disclosed", _("予以公开")
    PARTIAL = "partial", _("部分公开")
    WITHHELD = "withheld", _("不予公开")
    UNAVAILABLE = "unavailable", _("无法提供")
    NOT_PROCESSED = "not_processed", _("不予处理")
    OTHER = "other", _("其他处理")
