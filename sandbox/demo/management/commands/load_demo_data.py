"""Load the sandbox's demo content; running it again changes nothing."""

import datetime
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from home.models import HomePage
from wagtail.models import Page, PageLogEntry, Revision, Site

from demo.seed import CHINA, read_plan_items, read_seed
from opengov_cms.catalogue.filing import add_to_section
from opengov_cms.catalogue.models import CatalogueIndexPage, DisclosureEntryPage
from opengov_cms.core.management.commands.opengov_setup import HEADS_GROUP
from opengov_cms.core.models import DocumentKind, Genre, Organisation, Topic
from opengov_cms.core.validators import org_code_check_character
from opengov_cms.policies.models import ConsultationPage

HOME_SLUG = "home"
# The second department on the platform, with its catalogue at /jtj/.
SECOND_DEPARTMENT = "六安市教育体育局"
SECOND_DEPARTMENT_SLUG = "jtj"
SECOND_DEPARTMENT_DATA = {
    "short_name": "市教体局",
    # A well-formed example code (its check character is right); not the bureau's real one.
    "organisation_code": "12345678-9",
    "office_name": "六安市教育体育局办公室",
    "address": "安徽省六安市金安区",
    "office_hours": "工作日 8:00—12:00，14:30—17:30",
    "phone": "0564-3370001",
    "postcode": "237000",
}
# The city's competent department (政府信息公开工作主管部门): the two departments are under
# it, and it publishes the city-wide annual report, with its catalogue at /szfb/.
CITY_OFFICE = "六安市人民政府办公室"
CITY_OFFICE_SLUG = "szfb"
CITY_OFFICE_DATA = {
    "short_name": "市政府办",
    # A well-formed example code (its check character is right); not the office's real one.
    "organisation_code": "34159000-2",
    "office_name": "六安市人民政府办公室政务公开科",
    "address": "安徽省六安市金安区",
    "office_hours": "工作日 8:00—12:00，14:30—17:30",
    "phone": "0564-3370002",
    "postcode": "237000",
    "is_competent_department": True,
}
CITY_ANNUAL_TEXT = {
    "overview": (
        "<p>2019年，全市各部门认真贯彻落实《中华人民共和国政府信息公开条例》，"
        "本报告汇总市政府办公室和市直各部门的政府信息公开工作情况。</p>"
    ),
    "problems": "<p>部分部门政策解读形式较为单一，2020年将加强督促指导。</p>",
    "other_matters": "<p>无。</p>",
}
OFFICER_GROUP = "信息公开工作人员"
OFFICER_PERMISSIONS = (
    "access_admin",
    "add_disclosurerequest",
    "change_disclosurerequest",
    "change_message",
    "add_annualfigures",
    "change_annualfigures",
)
SEED_SLUG = "2019-disclosure-plan-consultation"
# A well-formed example code (its check character is right); not the bureau's real one.
DEMO_CREDIT_CODE = "11341500MB1234567K"
CONTACT = {
    "office_name": "六安市文化和旅游局办公室",
    "address": "安徽省六安市金安区梅山南路",
    "office_hours": "工作日 8:00—12:00，14:30—17:30",
    "phone": "0564-3370000",
    "postcode": "237000",
    "functions": "<p>贯彻落实党的文化工作方针政策，研究拟订全市文化和旅游政策措施。</p>",
}
# Catalogue entries that the seed plan asks the bureau to publish: (section slug, title,
# topic code, genre code, document kind code, document number, written date, summary).
ENTRIES = [
    (
        "other-documents",
        "六安市文化和旅游局2019年政务公开实施方案",
        "general-affairs-03",
        "notice",
        "other",
        "",
        datetime.date(2019, 7, 10),
        "围绕政策解读、主动公开、依申请公开、重点领域信息公开和工作机制，部署2019年政务公开工作。",
    ),
    (
        "budgets",
        "六安市文化和旅游局2019年部门预算",
        "finance-01",
        "report",
        "other",
        "",
        datetime.date(2019, 2, 20),
        "公开本部门2019年收支预算、财政拨款和“三公”经费预算安排。",
    ),
    (
        "random-inspections",
        "2019年旅游市场“双随机、一公开”抽查结果",
        "trade-tourism-04",
        "circular",
        "other",
        "",
        datetime.date(2019, 11, 5),
        "公开旅游市场监管执法抽查的对象、结果和查处情况。",
    ),
    (
        "key-areas",
        "六安市公共文化设施名录",
        "culture-media-01",
        "announcement",
        "other",
        "",
        datetime.date(2019, 9, 1),
        "公开全市公共图书馆、文化馆、博物馆等公共文化设施的名称、地址和开放时间。",
    ),
]

# Requests of 2019 for the reports: (applicant type, organisation subtype, received, outcome
# or None while open, replied).
DEMO_REQUESTS = [
    ("natural_person", "", datetime.date(2019, 7, 8), "disclosed", datetime.date(2019, 7, 26)),
    (
        "organisation",
        "commercial",
        datetime.date(2019, 7, 15),
        "partial",
        datetime.date(2019, 8, 7),
    ),
    (
        "natural_person",
        "",
        datetime.date(2019, 8, 5),
        "unavailable.not_held",
        datetime.date(2019, 8, 20),
    ),
    (
        "organisation",
        "legal_services",
        datetime.date(2019, 9, 2),
        "disclosed",
        datetime.date(2019, 9, 18),
    ),
    ("natural_person", "", datetime.date(2019, 9, 24), None, None),
    (
        "natural_person",
        "",
        datetime.date(2019, 11, 4),
        "not_processed.petition",
        datetime.date(2019, 11, 15),
    ),
]
DEMO_ANNUAL_FIGURES = {
    "licensing": 126,
    "penalty": 18,
    "enforcement": 0,
    "fees": "0",
    "review_upheld": 1,
}
DEMO_ANNUAL_TEXT = {
    "overview": (
        "<p>2019年，本局认真贯彻落实《中华人民共和国政府信息公开条例》，围绕政策解读、主动公开、"
        "依申请公开和重点领域信息公开，推进政务公开工作。</p>"
    ),
    "problems": (
        "<p>一是政策解读形式较为单一；二是依申请公开答复的规范化水平有待提高。"
        "下一步，本局将丰富解读形式，完善依申请公开办理流程。</p>"
    ),
    "other_matters": "<p>本年度未收取信息处理费。</p>",
}

# The seed plan's tasks (责任分解表), by (part, item): lead unit, cooperating units, how they
# report, and the catalogue sections (slugs) that evidence them. The units are plausible
# ones of a city bureau of culture and tourism, not the bureau's real list; the message box
# (below) sends the public's messages to two of them. Their organisation codes are made up
# (3415 and a serial), with the check character of GB 11714.
DEMO_UNITS = [
    "办公室",
    "政策法规科",
    "财务审计科",
    "人事科",
    "公共服务科",
    "艺术科",
    "文化遗产科",
    "产业发展科",
    "市场管理科",
    "宣传推广科",
    "文化市场综合执法支队",
]


def bureau_units(organisation):
    """The bureau's units, by short name, created under it once."""
    units = {}
    for serial, short in enumerate(DEMO_UNITS, start=1):
        first8 = f"3415{serial:04d}"
        units[short] = Organisation.objects.get_or_create(
            name=f"{organisation.name}{short}",
            defaults={
                "parent": organisation,
                "organisation_code": f"{first8}-{org_code_check_character(first8)}",
            },
        )[0]
    return units


QUARTERLY, ON_EVENT, DEADLINE = "quarterly", "on_event", "deadline"
PLAN_END = datetime.date(2019, 12, 31)
DEMO_TASKS = {
    (1, 1): ("办公室", ["政策法规科"], QUARTERLY, ["other-documents"]),
    (1, 2): ("政策法规科", ["办公室"], QUARTERLY, ["rules", "normative"]),
    (1, 3): ("政策法规科", ["办公室", "宣传推广科"], ON_EVENT, ["interpretations"]),
    (2, 1): ("办公室", [], QUARTERLY, []),
    (2, 2): ("人事科", ["办公室"], QUARTERLY, ["functions", "leaders", "departments", "personnel"]),
    (2, 3): ("财务审计科", [], QUARTERLY, ["budgets", "three-public", "procurement"]),
    (2, 4): ("办公室", [], QUARTERLY, ["key-areas"]),
    (2, 5): (
        "政策法规科",
        ["市场管理科", "文化市场综合执法支队"],
        QUARTERLY,
        ["power-list", "licensing", "penalties", "random-inspections"],
    ),
    (3, 1): ("宣传推广科", ["办公室"], ON_EVENT, []),
    (3, 2): ("办公室", [], QUARTERLY, ["on-request"]),
    (4, 1): ("公共服务科", ["文化遗产科", "财务审计科"], QUARTERLY, ["key-areas"]),
    (4, 2): ("产业发展科", [], QUARTERLY, ["key-areas"]),
    (4, 3): (
        "市场管理科",
        ["文化市场综合执法支队"],
        QUARTERLY,
        ["random-inspections", "penalties"],
    ),
    # 全年组织召开不少于2场政务公开工作专题会议
    (5, 1): ("办公室", [], DEADLINE, [], 2, "场"),
    # 完善主动公开、非主动公开、保密审查、投诉受理等12项政务公开基本制度
    (5, 2): ("办公室", ["政策法规科"], DEADLINE, ["normative", "other-documents"], 12, "项"),
    (5, 3): ("办公室", [], QUARTERLY, []),
}


SHANGHAI = ZoneInfo("Asia/Shanghai")

# The footer's identity (网站标识). The registration numbers are made up and say so: a real
# site shows the numbers its registrations were given.
DEMO_IDENTITY = {
    "agency_name": "六安市文化和旅游局",
    "host": "六安市文化和旅游局",
    "organiser": "六安市文化和旅游局办公室",
    "contact": "地址：安徽省六安市金安区梅山南路\n邮编：237000\n电话：0564-3370000",
    "website_code": "3415000000（示例）",
    "icp_number": "皖ICP备00000000号（示例）",
    "police_number": "皖公网安备34150000000000号（示例）",
}


def backdate(page, day):
    """Date a demo page's publication to the day it was published in the story, not the day
    the demo was loaded: its revisions, its log (版本记录) and its publication times."""
    moment = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=SHANGHAI)
    Revision.page_revisions.filter(object_id=str(page.pk)).update(created_at=moment)
    PageLogEntry.objects.filter(page_id=page.pk).update(timestamp=moment)
    Page.objects.filter(pk=page.pk).update(
        first_published_at=moment, last_published_at=moment, latest_revision_created_at=moment
    )


# The public's messages (政民互动), sent to two of the bureau's units.
BOX_SLUG = "mailbox"
CONCERN_SLUG = "scenic-area-ticket-prices"
MESSAGE_UNITS = {"office": "办公室", "market": "市场管理科"}
# Messages received some days before the day the demo is loaded: (key, unit, category, days
# ago, subject, text, the sender allows publication). Their handling follows in DEMO_ACTIONS.
DEMO_MESSAGES = [
    (
        "hours",
        "office",
        "consultation",
        40,
        "皋陶文化园周末是否开放？",
        "请问皋陶文化园周末和节假日是否对外开放，开放时间是几点到几点？",
        True,
    ),
    (
        "library",
        "office",
        "suggestion",
        25,
        "建议延长市图书馆夜间开放时间",
        "市图书馆晚上八点闭馆，上班族下班后时间很紧，建议延长到晚上九点半。",
        True,
    ),
    (
        "tickets",
        "market",
        "complaint",
        12,
        "某景区停车场乱收费",
        "国庆期间在某景区停车场停车，收费标准没有公示，收了50元，请核查。",
        True,
    ),
    (
        "private",
        "office",
        "consultation",
        20,
        "导游证年审需要哪些材料",
        "我是导游，想了解导游证年审需要准备哪些材料。",
        False,
    ),
    (
        "review",
        "office",
        "consultation",
        3,
        "非遗传承人认定的申报时间",
        "请问今年市级非物质文化遗产代表性传承人什么时候开始申报？",
        True,
    ),
    (
        "assigned",
        "market",
        "complaint",
        2,
        "旅行社未按合同安排住宿",
        "参加某旅行社组织的旅游团，合同约定的住宿标准没有兑现，请处理。",
        True,
    ),
    ("new", "office", "other", 0, "感谢文化惠民演出", "社区文化惠民演出很精彩，希望多办。", True),
    (
        "scope",
        "office",
        "complaint",
        8,
        "邻居装修噪音扰民",
        "楼上邻居装修噪音很大，影响休息。",
        False,
    ),
    (
        "duplicate",
        "market",
        "complaint",
        11,
        "景区停车场收费不合理",
        "景区停车场收费50元，没有看到收费公示，请相关部门核查。",
        True,
    ),
    (
        "withdrawn",
        "office",
        "consultation",
        6,
        "博物馆是否需要预约",
        "请问市博物馆参观需要提前预约吗？",
        True,
    ),
    (
        "late",
        "market",
        "consultation",
        30,
        "KTV营业时间有无规定",
        "请问歌舞娱乐场所营业时间有没有具体规定？",
        True,
    ),
]
# (message, action, days ago, parameters): each as staff would record it.
DEMO_ACTIONS = [
    (
        "hours",
        "submit_reply",
        38,
        {"reply": "您好！皋陶文化园周末及法定节假日正常开放，开放时间为9:00—17:00。"},
    ),
    ("hours", "approve_reply", 37, {"publish": True}),
    (
        "library",
        "submit_reply",
        18,
        {"reply": "感谢您的建议。市图书馆将自下月起试行周五、周六延时开放至21:30。"},
    ),
    ("library", "approve_reply", 16, {"publish": True}),
    ("tickets", "transfer", 11, {"organisation": "office", "note": "涉及景区管理，由办公室协调"}),
    ("duplicate", "merge", 10, {"into": "tickets"}),
    (
        "tickets",
        "submit_reply",
        6,
        {"reply": "经核查，已责令该停车场经营单位公示收费标准并按核定标准收费。感谢您的监督。"},
    ),
    ("tickets", "approve_reply", 5, {"publish": True}),
    (
        "private",
        "submit_reply",
        19,
        {"reply": "导游证年审可登录全国旅游监管服务平台在线办理，所需材料见平台说明。"},
    ),
    ("private", "approve_reply", 18, {"publish": False}),
    (
        "review",
        "submit_reply",
        1,
        {"reply": "市级非遗代表性传承人认定一般在每年第二季度开展，具体以当年通知为准。"},
    ),
    ("assigned", "submit_reply", 1, {"reply": "已转旅游质监部门核查。"}),
    ("assigned", "return_reply", 1, {"note": "请写明核查结果和处理意见后再提交"}),
    (
        "scope",
        "close_out_of_scope",
        7,
        {"note": "装修噪音不属于本局职责，请向所在社区或12345热线反映。"},
    ),
    ("withdrawn", "withdraw", 5, {"note": "留言人来电说明已获知。"}),
]


class Command(BaseCommand):
    help = "Load demo content: the bureau, the home page and the seed consultation."

    @transaction.atomic
    def handle(self, *args, **options):
        seed = read_seed()
        organisation, _ = Organisation.objects.get_or_create(
            name=seed.organisation,
            defaults={"short_name": "市文旅局", "credit_code": DEMO_CREDIT_CODE, **CONTACT},
        )
        home = self.home_page()
        self.site_identity(home)
        # The bureau's application form is the demo's own /apply/ (load_demo_forms).
        call_command(
            "opengov_setup",
            organisation=organisation.name,
            parent=home.pk,
            no_request_form=True,
            verbosity=0,
        )
        self.catalogue_entries(organisation)
        self.policy_with_interpretation(organisation)
        self.reports(organisation)
        self.interaction(organisation, home)
        consultation = ConsultationPage.objects.filter(slug=SEED_SLUG).first()
        if consultation is None:
            consultation = ConsultationPage(
                title=seed.title,
                slug=SEED_SLUG,
                organisation=organisation,
                opens_at=seed.opens_at,
                closes_at=seed.closes_at,
                summary=seed.document_title,
                body=seed.body_html,
                results=seed.results_html,
            )
            home.add_child(instance=consultation)
            consultation.save_revision().publish()
            self.stdout.write(f"created {consultation.url_path}")
        self.supervision(organisation, consultation)
        self.second_department(home)
        city = self.city_office(home, organisation)
        self.staff(organisation, city)
        self.stdout.write(self.style.SUCCESS("demo data loaded"))

    def second_department(self, home):
        """A second department on the same platform (集约化), set up in one step."""
        department, _ = Organisation.objects.get_or_create(
            name=SECOND_DEPARTMENT, defaults=SECOND_DEPARTMENT_DATA
        )
        call_command(
            "opengov_setup",
            organisation=department.name,
            parent=home.pk,
            slug=SECOND_DEPARTMENT_SLUG,
            verbosity=0,
        )
        root = CatalogueIndexPage.objects.get(organisation=department, depth=home.depth + 1)
        section = CatalogueIndexPage.objects.descendant_of(root).get(slug="other-documents")
        if not DisclosureEntryPage.objects.filter(organisation=department).exists():
            entry = DisclosureEntryPage(
                title="六安市教育体育局2019年政务公开工作要点",
                organisation=department,
                written_date=datetime.date(2019, 3, 8),
                publication_date=datetime.date(2019, 3, 11),
                summary="部署2019年教育体育系统政务公开工作。",
                body="<p>各县区教体局、市直各学校：现将2019年政务公开工作要点印发给你们。</p>",
            )
            add_to_section(section, entry)
            entry.save_revision().publish()
        return department

    def city_office(self, home, bureau):
        """The city's competent department, with both departments under it, its catalogue,
        and its 2019 city-wide annual report (汇总下级机构) written and published."""
        from opengov_cms.reports.publishing import make_report
        from opengov_cms.reports.statistics import Period

        city, _ = Organisation.objects.get_or_create(name=CITY_OFFICE, defaults=CITY_OFFICE_DATA)
        Organisation.objects.filter(name__in=[bureau.name, SECOND_DEPARTMENT], parent=None).update(
            parent=city
        )
        call_command(
            "opengov_setup",
            organisation=city.name,
            parent=home.pk,
            slug=CITY_OFFICE_SLUG,
            no_request_form=True,
            verbosity=0,
        )
        report, created = make_report(
            city, Period(2019), today=datetime.date(2020, 3, 10), city_wide=True
        )
        if created:
            for name, text in CITY_ANNUAL_TEXT.items():
                setattr(report, name, text)
            report.publication_date = datetime.date(2020, 3, 25)
            report.save_revision().publish()
            backdate(report, report.publication_date)
            self.stdout.write(f"created {report.url_path}")
        return city

    def staff(self, bureau, city):
        """Staff accounts of both departments and the city office, each entered under
        政务公开 → 机构人员 for their organisation and role; one password for all of them,
        kept in var/demo-staff-password.txt."""
        import secrets

        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission

        from opengov_cms.core.models import Membership

        department = Organisation.objects.get(name=SECOND_DEPARTMENT)
        officers, _ = Group.objects.get_or_create(name=OFFICER_GROUP)
        officers.permissions.add(
            *Permission.objects.filter(codename__in=OFFICER_PERMISSIONS),
        )
        password_file = settings.VAR_DIR / "demo-staff-password.txt"
        if not password_file.exists():
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(secrets.token_urlsafe(12) + "\n", encoding="utf-8")
        password = password_file.read_text(encoding="utf-8").strip()
        User = get_user_model()
        for username, organisation, role, group in (
            ("wlj-editor", bureau, "editor", f"{bureau.name}编辑"),
            ("wlj-reviewer", bureau, "reviewer", f"{bureau.name}审核"),
            ("wlj-officer", bureau, "officer", OFFICER_GROUP),
            ("jtj-editor", department, "editor", f"{department.name}编辑"),
            ("jtj-reviewer", department, "reviewer", f"{department.name}审核"),
            ("jtj-officer", department, "officer", OFFICER_GROUP),
            ("wlj-head", bureau, "head", HEADS_GROUP),
            ("jtj-head", department, "head", HEADS_GROUP),
            ("city-office", city, "city", OFFICER_GROUP),
        ):
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(
                    username, f"{username}@example.gov.cn", password, is_staff=True
                )
            user.groups.add(Group.objects.get(name=group))
            Membership.objects.get_or_create(
                user=user, organisation=organisation, unit=None, role=role
            )
        # The city office was first entered under the bureau; it belongs to its own office.
        Membership.objects.filter(
            user__username="city-office", organisation=bureau, role="city"
        ).delete()
        self.stdout.write(
            f"staff sign-in: wlj-*/jtj-* (editor, reviewer, officer, head), city-office; "
            f"password: {password}"
        )

    def site_identity(self, home):
        from opengov_cms.core.models import SiteIdentity

        for site in Site.objects.filter(root_page=home):
            identity = SiteIdentity.for_site(site)
            if not identity.agency_name:
                for name, value in DEMO_IDENTITY.items():
                    setattr(identity, name, value)
                identity.save()

    def catalogue_entries(self, organisation):
        root = CatalogueIndexPage.objects.get(slug="xxgk")
        for slug, title, topic, genre, kind, number, written, summary in ENTRIES:
            if DisclosureEntryPage.objects.filter(title=title).exists():
                continue
            section = CatalogueIndexPage.objects.descendant_of(root).get(slug=slug)
            page = DisclosureEntryPage(
                title=title,
                organisation=organisation,
                topic=Topic.objects.get(code=topic),
                genre=Genre.objects.get(code=genre),
                document_kind=DocumentKind.objects.get(code=kind),
                document_number=number,
                written_date=written,
                publication_date=written + datetime.timedelta(days=3),
                summary=summary,
                body=f"<p>{summary}</p>",
            )
            add_to_section(section, page)
            page.save_revision().publish()
            backdate(page, page.publication_date)
            self.stdout.write(f"created {page.url_path}")

    def policy_with_interpretation(self, organisation):
        """A policy document published together with its interpretation (三同步)."""
        from opengov_cms.policies.models import (
            InterpretationLink,
            InterpretationPage,
            PolicyDocumentPage,
        )

        if PolicyDocumentPage.objects.filter(slug="disclosure-rules").exists():
            return
        root = CatalogueIndexPage.objects.get(slug="xxgk")
        documents = CatalogueIndexPage.objects.descendant_of(root).get(slug="normative")
        interpretations = CatalogueIndexPage.objects.descendant_of(root).get(slug="interpretations")
        written = datetime.date(2019, 8, 20)
        policy = PolicyDocumentPage(
            title="六安市文化和旅游局政务公开工作制度",
            slug="disclosure-rules",
            live=False,
            organisation=organisation,
            topic=Topic.objects.get(code="general-affairs-03"),
            genre=Genre.objects.get(code="notice"),
            document_kind=DocumentKind.objects.get(code="normative"),
            document_number="六文旅[2019]45号",
            written_date=written,
            publication_date=written + datetime.timedelta(days=2),
            effective_date=datetime.date(2019, 9, 1),
            needs_interpretation=True,
            summary="建立主动公开、依申请公开、保密审查、投诉受理等政务公开基本制度。",
            body=(
                "<p>第一条 为规范本局政务公开工作，依据《中华人民共和国政府信息公开条例》，"
                "制定本制度。</p><p>第二条 本局政府信息以公开为常态、不公开为例外。</p>"
                "<p>第三条 拟公开的政府信息实行“三审”制度，公开前依法依规进行保密审查。</p>"
            ),
        )
        add_to_section(documents, policy)
        policy.save_revision().publish()  # waits for its interpretation (三同步)
        interpretation = InterpretationPage(
            title="《六安市文化和旅游局政务公开工作制度》政策解读",
            slug="disclosure-rules-interpretation",
            live=False,
            organisation=organisation,
            written_date=written,
            publication_date=written + datetime.timedelta(days=2),
            interpreter="局办公室",
            summary="从制定背景、主要内容和公开审查三方面解读政务公开工作制度。",
            body=[
                (
                    "text",
                    "<h2>一、制定背景</h2><p>为贯彻落实《中华人民共和国政府信息公开条例》，"
                    "进一步规范政务公开工作，制定本制度。</p><h2>二、主要内容</h2>"
                    "<p>制度明确了主动公开、依申请公开、保密审查、投诉受理等基本要求。</p>",
                )
            ],
        )
        interpretation.interpreted_documents = [InterpretationLink(document=policy)]
        add_to_section(interpretations, interpretation)
        interpretation.save_revision().publish()  # publishes both
        for page in (policy, interpretation):
            backdate(page, written + datetime.timedelta(days=2))
        self.stdout.write(f"created {policy.url_path} with its interpretation")

    def reports(self, organisation):
        """A few requests of 2019 handled through the workflow, the third quarter's results
        published, and the 2019 annual report written and published."""
        from opengov_cms.disclosure_requests import workflow
        from opengov_cms.disclosure_requests.models import DisclosureRequest
        from opengov_cms.reports.models import AnnualFigures
        from opengov_cms.reports.publishing import make_report
        from opengov_cms.reports.statistics import Period

        if not DisclosureRequest.objects.filter(
            organisation=organisation, received_on__year=2019
        ).exists():
            for applicant, subtype, received, outcome, replied in DEMO_REQUESTS:
                request = DisclosureRequest(
                    organisation=organisation,
                    channel="online",
                    received_on=received,
                    applicant_type=applicant,
                    organisation_subtype=subtype,
                    applicant_name="" if subtype else "张某",
                    organisation_name="六安某文化传媒有限公司" if subtype else "",
                    description="2019年全市A级旅游景区名录及评定材料",
                    provision_form="electronic",
                    delivery_method="online",
                )
                workflow.receive(request)
                workflow.perform(request, "accept", on=received)
                if outcome is None:
                    continue
                reasons = ["withheld.third_party_rights"] if outcome == "partial" else []
                workflow.perform(request, "reply", on=replied, outcome=outcome, reasons=reasons)
        AnnualFigures.objects.get_or_create(
            organisation=organisation, year=2019, defaults=DEMO_ANNUAL_FIGURES
        )
        quarterly, created = make_report(
            organisation, Period(2019, 3), publication="live", today=datetime.date(2019, 10, 10)
        )
        if created:
            backdate(quarterly, datetime.date(2019, 10, 10))
            self.stdout.write(f"created {quarterly.url_path}")
        annual, created = make_report(organisation, Period(2019), today=datetime.date(2020, 1, 15))
        if created:
            annual.overview = DEMO_ANNUAL_TEXT["overview"]
            annual.problems = DEMO_ANNUAL_TEXT["problems"]
            annual.other_matters = DEMO_ANNUAL_TEXT["other_matters"]
            annual.publication_date = datetime.date(2020, 1, 20)
            annual.save_revision().publish()
            backdate(annual, annual.publication_date)
            self.stdout.write(f"created {annual.url_path}")

    def supervision(self, organisation, consultation):
        """The seed plan as the 2019 责任分解表 (one task per numbered item), a third
        quarter's submissions and their review with a 整改 entry carried to closure and one
        still open, the groups of supervision, and the example standard catalogue."""
        from opengov_cms.supervision.models import DisclosurePlan, PlanTask
        from opengov_cms.supervision.setup import ensure_groups
        from opengov_cms.supervision.standards import load_fixture, shipped_fixtures

        ensure_groups()
        for path in shipped_fixtures():
            load_fixture(path.read_bytes())
        units = bureau_units(organisation)
        plan, created = DisclosurePlan.objects.get_or_create(
            organisation=organisation,
            year=2019,
            defaults={"title": read_seed().document_title, "page": consultation},
        )
        if PlanTask.objects.filter(plan=plan).exists():
            return
        root = CatalogueIndexPage.objects.get(slug="xxgk")
        sections = {s.slug: s for s in CatalogueIndexPage.objects.descendant_of(root)}
        for item in read_plan_items():
            lead, cooperating, schedule, evidence, *target = DEMO_TASKS[
                (item.section_number, item.number)
            ]
            task = PlanTask.objects.create(
                plan=plan,
                section_number=item.section_number,
                section_title=item.section_title,
                number=item.number,
                text=item.text,
                lead_unit=units[lead],
                schedule=schedule,
                deadline=PLAN_END if schedule == DEADLINE else None,
                target_quantity=target[0] if target else None,
                quantity_unit=target[1] if target else "",
            )
            task.cooperating_units.set([units[name] for name in cooperating])
            task.evidence_sections.set([sections[slug] for slug in evidence])
        self.stdout.write(f"created the 2019 plan with {plan.tasks.count()} tasks")
        self.third_quarter(plan, units)

    def third_quarter(self, plan, units):
        from opengov_cms.supervision import workflow
        from opengov_cms.supervision.models import Submission

        def at(day, hour=10):
            return datetime.datetime.combine(day, datetime.time(hour), tzinfo=CHINA)

        def submission(part, number, unit):
            return Submission.objects.get(
                task__plan=plan,
                task__section_number=part,
                task__number=number,
                unit=units[unit],
                period="2019Q3",
            )

        def entry(title):
            page = DisclosureEntryPage.objects.get(title=title)
            return (page, page.title, page.url)

        budget = submission(2, 3, "财务审计科")
        workflow.submit(
            budget,
            None,
            workflow.Evidence(
                text="已在“预算决算”栏目公开本局2019年部门预算和“三公”经费预算安排。",
                pages=(entry("六安市文化和旅游局2019年部门预算"),),
            ),
            now=at(datetime.date(2019, 9, 20)),
        )
        workflow.review(budget, None, True, note="材料齐全。", now=at(datetime.date(2019, 9, 24)))

        market = submission(4, 3, "市场管理科")
        workflow.submit(
            market,
            None,
            workflow.Evidence(text="已公开旅游市场综合监管清单和年度抽查工作计划。"),
            now=at(datetime.date(2019, 9, 26)),
        )
        (closed,) = workflow.review(
            market,
            None,
            False,
            problems=[
                workflow.Problem(
                    "2019年旅游市场“双随机、一公开”抽查结果尚未公开。",
                    datetime.date(2019, 11, 30),
                )
            ],
            now=at(datetime.date(2019, 9, 29)),
        )
        workflow.report_rectification(
            closed,
            None,
            "在“双随机一公开”栏目公开抽查对象、结果和查处情况。",
            workflow.Evidence(
                text="抽查结果已于11月8日公开。",
                pages=(entry("2019年旅游市场“双随机、一公开”抽查结果"),),
            ),
            now=at(datetime.date(2019, 11, 8)),
        )
        workflow.close_rectification(closed, None, "已核实。", now=at(datetime.date(2019, 11, 12)))

        staff = submission(2, 2, "人事科")
        workflow.submit(
            staff,
            None,
            workflow.Evidence(text="已更新机构设置和内设科室信息。"),
            now=at(datetime.date(2019, 10, 8)),
        )
        workflow.review(
            staff,
            None,
            False,
            problems=[
                workflow.Problem("领导信息未随分工调整及时更新。", datetime.date(2019, 12, 31))
            ],
            now=at(datetime.date(2019, 10, 10)),
        )

    def interaction(self, organisation, home):
        """The message box with messages in every state (some replied and published), the
        statistics of the last quarter, and a response to a public concern (回应关切)."""
        from opengov_cms.interaction.models import (
            InteractionQuarterlyReportPage,
            Message,
            MessageBoxPage,
        )
        from opengov_cms.reports.publishing import make_report
        from opengov_cms.reports.statistics import Period

        by_name = bureau_units(organisation)
        units = {key: by_name[short] for key, short in MESSAGE_UNITS.items()}
        box = MessageBoxPage.objects.filter(slug=BOX_SLUG).first()
        if box is None:
            box = MessageBoxPage(
                title="局长信箱",
                slug=BOX_SLUG,
                organisation=organisation,
                intro=(
                    "<p>欢迎您就文化、旅游、广播电视、新闻出版等方面的工作提出咨询、建议或投诉。"
                    "我们在收到留言后，咨询类5个工作日内、建议和投诉类10个工作日内答复。"
                    "经您同意，留言和答复将在本页公开，您的姓名和联系方式不会公开。</p>"
                    "<p>属于信访、诉讼等法定途径办理的事项，请通过相应途径反映。</p>"
                ),
                confirmation_text="<p>如有疑问，请在工作日致电 0564-3370000。</p>",
            )
            home.add_child(instance=box)
            box.save_revision().publish()
            self.stdout.write(f"created {box.url_path}")
        if not Message.objects.filter(box=box).exists():
            self.demo_messages(box, units)
        today = timezone.localdate()
        report, created = make_report(
            organisation,
            Period.quarter_of(today).previous(),
            model=InteractionQuarterlyReportPage,
            publication="live",
            today=today,
        )
        if created:
            self.stdout.write(f"created {report.url_path}")
        self.concern_response(organisation)

    def demo_messages(self, box, units):
        from opengov_cms.interaction import workflow
        from opengov_cms.interaction.models import Message

        today = timezone.localdate()
        made = {}
        for key, unit, category, days_ago, subject, body, consent in DEMO_MESSAGES:
            message = Message(
                box=box,
                organisation=units[unit],
                category=category,
                subject=subject,
                body=body,
                name="张某",
                phone="13800000000",
                publish_consent=consent,
                received_on=today - datetime.timedelta(days=days_ago),
            )
            workflow.receive(message)
            made[key] = message
        for key, action, days_ago, params in DEMO_ACTIONS:
            message = made[key]
            on = max(today - datetime.timedelta(days=days_ago), message.received_on)
            if "into" in params:
                params = {**params, "into": made[params["into"]].tracking_number}
            if "organisation" in params:
                params = {**params, "organisation": units[params["organisation"]]}
            made[key] = workflow.perform(message, action, on=on, **params)
        self.stdout.write(f"created {len(made)} messages in {box.url_path}")

    def concern_response(self, organisation):
        """A 舆情回应 linked to the bureau's rules on disclosure."""
        from opengov_cms.interaction.models import (
            ConcernDocumentLink,
            ConcernEvent,
            ConcernResponsePage,
        )
        from opengov_cms.policies.models import PolicyDocumentPage

        if ConcernResponsePage.objects.filter(slug=CONCERN_SLUG).exists():
            return
        root = CatalogueIndexPage.objects.get(slug="xxgk")
        section = CatalogueIndexPage.objects.descendant_of(root).get(slug="concerns")
        page = ConcernResponsePage(
            title="关于网传“我市A级旅游景区门票上涨”的情况说明",
            slug=CONCERN_SLUG,
            kind="opinion_response",
            concern="有网民在社交平台发帖称，我市部分A级旅游景区国庆期间门票上涨。",
            concern_date=datetime.date(2019, 9, 20),
            speakers="六安市文化和旅游局",
            organisation=organisation,
            topic=Topic.objects.get(code="trade-tourism-04"),
            genre=Genre.objects.get(code="circular"),
            document_kind=DocumentKind.objects.get(code="other"),
            written_date=datetime.date(2019, 9, 21),
            publication_date=datetime.date(2019, 9, 21),
            summary="经核实，我市A级旅游景区门票价格未作调整，网传信息不实。",
            body=(
                "<p>9月20日，有网民发帖称我市部分A级旅游景区国庆期间门票上涨。我局高度重视，"
                "立即会同市场监管部门逐一核实。</p><p>经核实，全市A级旅游景区门票价格均按"
                "核定标准执行，国庆期间未作调整。欢迎社会各界监督，发现价格违法行为可拨打"
                "12315举报。</p>"
            ),
        )
        rules = PolicyDocumentPage.objects.filter(slug="disclosure-rules").first()
        if rules is not None:
            page.related_documents = [ConcernDocumentLink(document=rules)]
        page.related_events = [
            ConcernEvent(
                title="网民发帖：国庆期间景区门票上涨", happened_on=datetime.date(2019, 9, 20)
            )
        ]
        add_to_section(section, page)
        page.save_revision().publish()
        self.stdout.write(f"created {page.url_path}")

    def home_page(self):
        home = HomePage.objects.filter(slug=HOME_SLUG).first()
        if home is not None:
            return home
        root = Page.get_first_root_node()
        # Replace the placeholder page Wagtail's first migration creates.
        placeholder = root.get_children().filter(slug=HOME_SLUG).first()
        if placeholder is not None:
            placeholder.slug = "wagtail-welcome"
            placeholder.save(update_fields=["slug"])
        home = HomePage(
            title="六安市文化和旅游局 政府信息公开",
            slug=HOME_SLUG,
            intro="<p>本站依据《中华人民共和国政府信息公开条例》公开政府信息。</p>",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name="六安市文化和旅游局",
            )
        else:
            site.root_page = home
            site.save(update_fields=["root_page"])
        if placeholder is not None:
            placeholder.delete()
        return home
