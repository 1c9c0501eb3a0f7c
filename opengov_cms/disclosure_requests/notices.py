"""Notices to applicants and third parties (告知书), made as DOCX from editable templates.

A template is plain text with ``${name}`` placeholders (string.Template, so a template
edited in the admin cannot reach anything but the values listed in PLACEHOLDERS). The
package ships a default text for each notice; a NoticeTemplate entered by the site for the
same kind (and, for replies, outcome group) replaces it, one for an organisation first.

Notices name a natural-person applicant by the masked name: they are downloadable with the
tracking number and query code, which must never reveal personal data.
"""

import io
import string

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opengov_cms.core.redaction import redact
from opengov_cms.disclosure_requests.choices import NoticeKind, Outcome

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: The placeholders a template may use, with what they stand for.
PLACEHOLDERS = {
    "organisation": "受理机关名称",
    "applicant": "申请人（自然人姓名仅显示姓氏）",
    "tracking_number": "申请编号",
    "received_on": "收到申请日期",
    "due_date": "答复期限",
    "pending_until": "补正、征求意见或缴费期限（已送达时）",
    "pending_period": "期限的说明，如“15个工作日内（即2027年1月18日前）”",
    "due_date_clause": "答复期限的说明，如“（即2027年1月18日前）”",
    "extension_days": "延长的工作日数",
    "extension_reason": "延期理由",
    "fee_amount": "收费金额",
    "fee_basis": "收费的依据和标准（计费方式和各档金额）",
    "fee_payment": "缴纳方式",
    "outcome": "办理结果",
    "outcome_reason": "办理结果的具体情形",
    "reasons": "部分公开的理由",
    "document_reference": "所需信息的名称或文号",
    "today": "出具日期",
}

REMEDIES = (
    "如对本答复不服，可以自收到本答复之日起60日内依法申请行政复议，"
    "或者自收到本答复之日起6个月内依法向人民法院提起行政诉讼。"
)

DEFAULTS = {
    (NoticeKind.ACKNOWLEDGEMENT, ""): (
        "政府信息公开申请受理回执",
        "${applicant}：\n"
        "本机关于${received_on}收到您（单位）提交的政府信息公开申请（申请编号：${tracking_number}），"
        "现已受理。\n"
        "根据《中华人民共和国政府信息公开条例》第三十三条的规定，本机关将在收到申请之日起"
        "20个工作日内${due_date_clause}作出答复；依法需要补正、征求意见或延长期限的，另行告知。\n"
        "您可凭申请编号和查询码查询办理进度。",
    ),
    (NoticeKind.CORRECTION, ""): (
        "政府信息公开申请补正告知书",
        "${applicant}：\n"
        "本机关于${received_on}收到您（单位）提交的政府信息公开申请（申请编号：${tracking_number}）。"
        "经审查，申请内容不够明确，本机关无法据此确定您所需的政府信息。\n"
        "根据《中华人民共和国政府信息公开条例》第三十条的规定，请您自收到本告知书之日起"
        "${pending_period}补正，"
        "写明所需政府信息的名称、文号或者便于本机关查询的其他特征性描述。答复期限自本机关收到"
        "补正后的申请之日起计算。无正当理由逾期不补正的，视为放弃申请，本机关不再处理该申请。",
    ),
    (NoticeKind.EXTENSION, ""): (
        "政府信息公开申请延期答复告知书",
        "${applicant}：\n"
        "您（单位）提交的政府信息公开申请（申请编号：${tracking_number}），因${extension_reason}，"
        "本机关不能在规定期限内作出答复。\n"
        "根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，经政府信息公开工作机构"
        "负责人同意，答复期限延长${extension_days}个工作日，本机关将于${due_date}前作出答复。",
    ),
    (NoticeKind.THIRD_PARTY, ""): (
        "政府信息公开第三方意见征询函",
        "相关第三方：\n"
        "本机关收到一件政府信息公开申请（申请编号：${tracking_number}），申请公开的信息可能"
        "涉及贵方的合法权益。根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面"
        "征求贵方意见。\n"
        "请自收到本函之日起${pending_period}提出意见。逾期未提出意见的，"
        "由本机关依照条例的规定决定是否公开。第三方不同意公开且有合理理由的，本机关不予公开；"
        "本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的内容"
        "和理由书面告知贵方。",
    ),
    (NoticeKind.AGENCY, ""): (
        "政府信息公开征求意见函",
        "有关机关：\n"
        "本机关收到一件政府信息公开申请（申请编号：${tracking_number}），申请公开的政府信息"
        "（${document_reference}）由本机关与贵机关共同制作。根据《中华人民共和国政府信息公开条例》"
        "第三十四条的规定，现征求贵机关意见。\n"
        "请自收到本函之日起${pending_period}提出意见；逾期未提出意见的，视为同意公开。",
    ),
    (NoticeKind.FEE, ""): (
        "政府信息公开信息处理费收费通知",
        "${applicant}：\n"
        "本机关于${received_on}收到您（单位）提交的政府信息公开申请（申请编号：${tracking_number}）。"
        "经审查，您申请公开政府信息的数量、频次明显超过合理范围。根据《中华人民共和国政府信息"
        "公开条例》第四十二条和${fee_basis}，本机关决定收取信息处理费${fee_amount}元。\n"
        "缴纳方式：${fee_payment}\n"
        "请自收到本通知次日起${pending_period}缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理"
        "该政府信息公开申请。",
    ),
    (NoticeKind.REPLY, "disclosed"): (
        "政府信息公开申请答复告知书",
        "${applicant}：\n"
        "本机关于${received_on}收到您（单位）提交的政府信息公开申请（申请编号：${tracking_number}）。"
        "经审查，您申请获取的政府信息属于公开范围，根据《中华人民共和国政府信息公开条例》"
        "第三十六条的规定，现予以提供。",
    ),
    (NoticeKind.REPLY, "partial"): (
        "政府信息公开申请答复告知书",
        "${applicant}：\n"
        "本机关于${received_on}收到您（单位）提交的政府信息公开申请（申请编号：${tracking_number}）。"
        "经审查，您申请获取的政府信息中，可以公开的部分现予以提供；根据《中华人民共和国政府"
        "信息公开条例》第三十七条的规定，其余部分不予公开或无法提供，理由是：${reasons}。",
    ),
    (NoticeKind.REPLY, "withheld"): (
        "政府信息公开申请答复告知书",
        "${applicant}：\n"
        "本机关于${received_on}收到您（单位）提交的政府信息公开申请（申请编号：${tracking_number}）。"
        "经审查，您申请获取的政府信息${outcome_reason}，根据《中华人民共和国政府信息公开条例》"
        "第三十六条第（三）项的规定，本机关决定不予公开。",
    ),
    (NoticeKind.REPLY, "unavailable"): (
        "政府信息公开申请答复告知书",
        "${applicant}：\n"
        "本机关于${received_on}收到您（单位）提交的政府信息公开申请（申请编号：${tracking_number}）。"
        "经审查，${outcome_reason}，本机关无法提供您申请获取的政府信息。",
    ),
    (NoticeKind.REPLY, "not_processed"): (
        "政府信息公开申请答复告知书",
        "${applicant}：\n"
        "本机关于${received_on}收到您（单位）提交的政府信息公开申请（申请编号：${tracking_number}）。"
        "经审查，您的申请属于“${outcome_reason}”的情形，根据《中华人民共和国政府信息公开条例》"
        "的有关规定，本机关不予处理。",
    ),
    (NoticeKind.REPLY, "other"): (
        "政府信息公开申请答复告知书",
        "${applicant}：\n"
        "本机关于${received_on}收到您（单位）提交的政府信息公开申请（申请编号：${tracking_number}）。"
        "经审查，${outcome_reason}。",
    ),
}

#: The notice made when an action is taken, and whether the applicant may download it.
NOTICE_FOR_ACTION = {
    "accept": (NoticeKind.ACKNOWLEDGEMENT, True),
    "request_correction": (NoticeKind.CORRECTION, True),
    "extend": (NoticeKind.EXTENSION, True),
    "consult_third_party": (NoticeKind.THIRD_PARTY, False),
    "consult_agency": (NoticeKind.AGENCY, False),
    "send_fee_notice": (NoticeKind.FEE, True),
    "reply": (NoticeKind.REPLY, True),
}


def outcome_group(outcome):
    return (outcome or "").split(".")[0]


def outcome_reason(outcome):
    label = str(Outcome(outcome).label) if outcome in Outcome.values else ""
    return label.split("：", 1)[-1]


def values(request):
    def day(value):
        return f"{value:%Y年%m月%d日}".replace("年0", "年").replace("月0", "月") if value else ""

    def pending_period():
        if not request.pending_days:
            return ""
        text = _("%(days)d个工作日内") % {"days": request.pending_days}
        if request.pending_until:
            text += _("（即%(date)s前）") % {"date": day(request.pending_until)}
        return text

    def fee_basis():
        details = request.fee_details or {}
        if not details:
            return ""
        lines = "；".join(details.get("lines", []))
        return _(
            "%(source)s第三条、%(article)s的规定（%(method)s，%(counting)s：%(quantity)s；%(lines)s）"
        ) % {
            "source": details.get("source", ""),
            "article": details.get("article", ""),
            "method": details.get("method_label", ""),
            "counting": details.get("counting", ""),
            "quantity": details.get("quantity", ""),
            "lines": lines,
        }

    return {
        "organisation": request.organisation.name,
        "applicant": request.masked_applicant or _("申请人"),
        "tracking_number": request.tracking_number,
        "received_on": day(request.received_on),
        "due_date": day(request.due_date),
        "pending_until": day(request.pending_until),
        "pending_period": pending_period(),
        "due_date_clause": _("（即%(date)s前）") % {"date": day(request.due_date)}
        if request.due_date
        else _("（具体日期待国务院办公厅公布节假日安排后另行告知）"),
        "extension_days": str(request.extension_working_days or ""),
        "extension_reason": request.extension_reason,
        "fee_amount": f"{request.fee_amount}" if request.fee_amount else "",
        "fee_basis": fee_basis(),
        "fee_payment": (request.fee_details or {}).get("payment", ""),
        "outcome": request.get_outcome_display() if request.outcome else "",
        "outcome_reason": outcome_reason(request.outcome),
        "reasons": "；".join(outcome_reason(r) for r in request.partial_reasons),
        # What the applicant typed: ID and mobile numbers in it are not repeated.
        "document_reference": redact(request.document_reference),
        "today": day(timezone.localdate()),
    }


def find_template(request, kind):
    """(title, body, add_remedies) for the notice, the site's template first."""
    from opengov_cms.disclosure_requests.models import NoticeTemplate

    group = outcome_group(request.outcome) if kind == NoticeKind.REPLY else ""
    candidates = NoticeTemplate.objects.filter(kind=kind).filter(
        Q(organisation=request.organisation) | Q(organisation__isnull=True)
    )
    candidates = candidates.filter(Q(outcome_group=group) | Q(outcome_group=""))
    # Most specific first: the organisation's own, then the one for this outcome group.
    best = sorted(candidates, key=lambda t: (t.organisation_id is None, t.outcome_group == ""))
    if best:
        return best[0].title, best[0].body, kind == NoticeKind.REPLY
    title, body = DEFAULTS.get((kind, group)) or DEFAULTS[(kind, "")]
    return title, body, kind == NoticeKind.REPLY


def render_text(request, kind):
    title, body, remedies = find_template(request, kind)
    text = string.Template(body).safe_substitute(values(request))
    if remedies and REMEDIES not in text:
        text = f"{text}\n{REMEDIES}"
    return title, text


def render_docx(request, title, text):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(14)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(request.organisation.name)
    run.bold = True
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.bold = True
    run.font.size = Pt(18)
    number = document.add_paragraph(_("申请编号：%(number)s") % {"number": request.tracking_number})
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for line in text.splitlines():
        document.add_paragraph(line)
    for line in (request.organisation.name, values(request)["today"]):
        paragraph = document.add_paragraph(line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def attach_notice(request, action):
    """Make the notice for ``action``, if it has one, and attach it to the request."""
    from opengov_cms.disclosure_requests.choices import DocumentKind
    from opengov_cms.disclosure_requests.models import RequestDocument

    if action not in NOTICE_FOR_ACTION:
        return None
    kind, public = NOTICE_FOR_ACTION[action]
    title, text = render_text(request, kind)
    content = render_docx(request, title, text)
    return RequestDocument.objects.create(
        request=request,
        kind=DocumentKind.NOTICE,
        title=title,
        content_type=DOCX_CONTENT_TYPE,
        size=len(content),
        public=public,
        file=ContentFile(content, name="notice.docx"),
    )
