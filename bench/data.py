"""Realistic government documents, generated: titles, 文号, bodies and metadata.

Built from the phrases of real notices, measures and interpretations of a prefecture-level
city (六安市), so that the text has the length, vocabulary and character bigram spread of
a real catalogue: the search index and the pages weigh what they would on a real site.
Every value comes from one seeded random generator, so a size always makes the same data.
"""

import datetime
import math
import random
from dataclasses import dataclass

CITY = "六安市"

# (name, short prefix of its 文号, area of work)
ORGANISATIONS = [
    ("六安市人民政府办公室", "六政办", "政务"),
    ("六安市发展和改革委员会", "六发改", "发展改革"),
    ("六安市教育局", "六教", "教育"),
    ("六安市财政局", "六财", "财政"),
    ("六安市文化和旅游局", "六文旅", "文化旅游"),
    ("六安市自然资源和规划局", "六自然资规", "自然资源"),
    ("六安市生态环境局", "六环", "生态环境"),
    ("六安市住房和城乡建设局", "六建", "住房城乡建设"),
    ("六安市卫生健康委员会", "六卫健", "卫生健康"),
    ("六安市市场监督管理局", "六市监", "市场监管"),
]
# A few organisations publish most: the city government office and the big bureaus.
ORGANISATION_WEIGHTS = [22, 12, 10, 10, 9, 9, 8, 8, 7, 5]

SUBJECTS = [
    "文物保护单位安全",
    "旅游景区质量等级评定",
    "公共文化服务体系建设",
    "非物质文化遗产保护传承",
    "专项资金使用",
    "政府信息公开",
    "政务服务事项清单",
    "城乡居民医疗保险",
    "义务教育阶段学校招生",
    "学前教育资助",
    "老旧小区改造",
    "住房公积金缴存",
    "建筑工地扬尘污染防治",
    "生活垃圾分类",
    "饮用水水源地保护",
    "重点排污单位监督",
    "国土空间规划",
    "耕地保护和占补平衡",
    "农村宅基地审批",
    "食品安全抽检",
    "特种设备安全监察",
    "价格监督检查",
    "中小企业发展",
    "优化营商环境",
    "重大项目谋划储备",
    "财政预算绩效",
    "政府采购",
    "行政事业性收费",
    "安全生产",
    "防汛抗旱",
    "疫苗接种",
    "家庭医生签约服务",
    "乡村振兴",
    "大别山革命老区振兴发展",
    "文化旅游消费",
    "全民健身",
    "公共图书馆服务",
    "行政执法公示",
    "双随机一公开监管",
    "信用体系建设",
]
TITLE_FORMS = [
    ("{org}关于印发《{city}{subject}管理办法》的通知", "notice", "normative"),
    ("{org}关于印发《{city}{subject}实施方案》的通知", "notice", "normative"),
    ("{org}关于进一步加强{subject}工作的通知", "notice", "other"),
    ("{org}关于开展{year}年度{subject}工作的通知", "notice", "other"),
    ("{org}关于{year}年{subject}情况的报告", "report", "other"),
    ("{org}关于推进{subject}高质量发展的意见", "opinion", "normative"),
    ("{org}关于公布{year}年{subject}结果的公告", "announcement", "other"),
    ("{org}关于{subject}有关事项的通告", "public-notice", "other"),
    ("{org}关于{subject}工作情况的通报", "circular", "other"),
    ("关于同意{subject}有关事项的批复", "reply", "other"),
    ("{city}{subject}办法", "order", "rule"),
    ("{org}关于对{subject}工作的函", "letter", "other"),
]
POLICY_TITLE_FORMS = [
    ("{org}关于印发《{city}{subject}管理办法》的通知", "notice", "normative"),
    ("{org}关于印发《{city}{subject}若干措施》的通知", "notice", "normative"),
    ("{city}{subject}办法", "order", "rule"),
    ("{org}关于推进{subject}的实施意见", "opinion", "normative"),
]
INTERPRETATION_FORMS = [
    "《{title}》政策解读",
    "一图读懂《{title}》",
    "关于《{title}》的解读",
]

OPENINGS = [
    "各县区人民政府，市政府各部门、各直属机构：",
    "各县区{area}主管部门，市直有关单位：",
    "各有关单位：",
]
PARAGRAPHS = [
    "为深入贯彻落实党中央、国务院和省委、省政府关于{subject}的决策部署，进一步规范{subject}工作，"
    "根据《中华人民共和国政府信息公开条例》等有关法律法规，结合我市实际，制定本{kind}。",
    "{subject}工作坚持以人民为中心的发展思想，坚持依法行政、公开透明、便民高效的原则，"
    "统筹推进，分类指导，确保各项任务落到实处。",
    "各县区、各部门要高度重视{subject}工作，切实加强组织领导，明确责任分工，"
    "建立健全工作机制，确保{year}年底前完成各项目标任务。",
    "市{area}主管部门负责全市{subject}的统筹协调和监督指导，各县区{area}主管部门负责本行政区域内的具体实施工作。",
    "申请专项资金的单位应当于每年{month}月{day}日前向所在地{area}主管部门提出申请，并提交项目实施方案、"
    "资金预算和绩效目标等材料，对材料的真实性负责。",
    "对未按规定履行职责、造成不良影响的，依法依规追究有关单位和人员的责任；涉嫌犯罪的，移送司法机关处理。",
    "加强对{subject}工作的监督检查，采取“双随机、一公开”方式开展抽查，抽查结果及时向社会公开，接受社会监督。",
    "各地要充分利用政府网站、政务新媒体等渠道，加强政策宣传解读，及时回应社会关切，营造良好氛围。",
    "{year}年，全市共完成{subject}项目{count}个，累计投入资金{money}万元，惠及群众{people}万人，"
    "群众满意度进一步提升。",
    "对在{subject}工作中表现突出的单位和个人，按照有关规定给予表彰奖励。",
    "本{kind}所称{subject}，是指县级以上人民政府及其有关部门依照法定职责开展的相关活动。",
    "建立{subject}工作台账，实行清单化管理、项目化推进，定期调度工作进展情况，"
    "每季度末将工作进展情况报送市{area}主管部门。",
    "加大财政投入力度，市级财政每年安排专项资金用于{subject}，各县区要将所需经费纳入本级财政预算。",
    "推进{subject}数字化建设，依托全市一体化政务服务平台，实现相关事项“一网通办”“最多跑一次”。",
]
CLOSINGS = [
    "本{kind}自印发之日起施行，有效期{years}年。此前有关规定与本{kind}不一致的，以本{kind}为准。",
    "本{kind}由市{area}主管部门负责解释。",
    "请各地认真贯彻执行，执行中遇到的问题请及时反馈。",
]
CHAPTERS = ["总则", "职责分工", "工作任务", "资金管理", "监督检查", "法律责任", "附则"]
NUMERALS = "一二三四五六七八九十"

REQUEST_SUBJECTS = [
    "{year}年本局行政事业性收费项目清单",
    "某某小区旧城改造项目的征收补偿方案",
    "{year}年度专项资金分配结果及依据",
    "本市{subject}的有关文件",
    "某建设项目环境影响评价批复文件",
    "某地块国有建设用地使用权出让合同",
    "{year}年食品安全抽检不合格产品名单",
    "本单位{year}年部门预算和决算",
]
# Companies ask most among organisations, as the annual reports of most agencies show.
ORGANISATION_SUBTYPES = ["commercial"] * 3 + [
    "research",
    "public_welfare",
    "legal_services",
    "other",
]
COMPANY_KINDS = ["科技", "建设", "律师事务所"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def clock_seed(size):
    return 20240000 + size


@dataclass
class Document:
    kind: str  # "entry", "policy" or "interpretation"
    organisation: int  # index into ORGANISATIONS
    title: str
    document_number: str
    genre: str
    document_kind: str
    topic: int  # index into the topic list the loader has
    written_date: datetime.date
    publication_date: datetime.date
    validity: str
    summary: str
    body_html: str
    keywords: str


class Generator:
    """Documents and requests for one size; the same size always gives the same data."""

    def __init__(self, size, topics=40, seed=None):
        self.size = size
        self.random = random.Random(clock_seed(size) if seed is None else seed)
        self.topics = topics
        self.sequences = {}
        self.made = 0

    def _date(self, year=None):
        # More published in recent years, as in a real catalogue since 2008.
        if year is None:
            year = 2025 - min(int(self.random.expovariate(0.25)), 17)
        start = datetime.date(year, 1, 1)
        return start + datetime.timedelta(days=self.random.randrange(365))

    def years(self, count):
        """How many of ``count`` documents fall in each year, oldest first."""
        weights = {year: math.exp(-0.25 * (2025 - year)) for year in range(2008, 2026)}
        total = sum(weights.values())
        counts = {year: int(count * weight / total) for year, weight in weights.items()}
        counts[2025] += count - sum(counts.values())
        return counts

    def _body_length(self):
        # A few hundred to a few thousand characters, most near a thousand.
        return int(min(6000, max(300, self.random.lognormvariate(math.log(1100), 0.6))))

    def _fill(self, text, subject, year, area, kind):
        r = self.random
        return text.format(
            subject=subject,
            year=year,
            area=area,
            kind=kind,
            month=r.randint(1, 12),
            day=r.randint(1, 28),
            count=r.randint(5, 300),
            money=r.randint(50, 90000),
            people=round(r.uniform(0.5, 80), 1),
            years=r.choice((2, 3, 5)),
        )

    def body(self, subject, year, area, kind):
        r = self.random
        target = self._body_length()
        parts = [f"<p>{self._fill(r.choice(OPENINGS), subject, year, area, kind)}</p>"]
        length = len(parts[0])
        chapter = 0
        while length < target:
            if chapter < len(CHAPTERS) and r.random() < 0.25:
                heading = f"第{NUMERALS[chapter]}章 {CHAPTERS[chapter]}"
                parts.append(f"<h3>{heading}</h3>")
                chapter += 1
            paragraph = self._fill(r.choice(PARAGRAPHS), subject, year, area, kind)
            parts.append(f"<p>{paragraph}</p>")
            length += len(paragraph)
        parts.append(f"<p>{self._fill(r.choice(CLOSINGS), subject, year, area, kind)}</p>")
        return "".join(parts)

    def document_number(self, organisation, year):
        prefix = ORGANISATIONS[organisation][1]
        key = (organisation, year)
        self.sequences[key] = self.sequences.get(key, 0) + 1
        return f"{prefix}〔{year}〕{self.sequences[key]}号"

    def document(self, kind="entry", policy_title=None, organisation=None, year=None):
        r = self.random
        if organisation is None:
            organisation = r.choices(range(len(ORGANISATIONS)), ORGANISATION_WEIGHTS)[0]
        org_name, _prefix, area = ORGANISATIONS[organisation]
        subject = r.choice(SUBJECTS)
        written = self._date(year)
        published = written + datetime.timedelta(days=r.randint(0, 20))
        if kind == "interpretation":
            title = r.choice(INTERPRETATION_FORMS).format(title=policy_title or subject)
            genre, document_kind, number = "", "other", ""
        else:
            forms = POLICY_TITLE_FORMS if kind == "policy" else TITLE_FORMS
            form, genre, document_kind = r.choice(forms)
            title = form.format(org=org_name, city=CITY, subject=subject, year=written.year)
            # Most notices carry a 文号; announcements and letters often do not.
            number = self.document_number(organisation, written.year) if r.random() < 0.8 else ""
        label = {"rule": "办法", "normative": "方案"}.get(document_kind, "通知")
        # Older documents are more often repealed or expired.
        age = 2025 - written.year
        roll = r.random()
        validity = "valid"
        if kind != "entry" or document_kind != "other":
            if roll < 0.02 * age:
                validity = "repealed"
            elif roll < 0.035 * age:
                validity = "expired"
            elif roll < 0.045 * age:
                validity = "amended"
        return Document(
            kind=kind,
            organisation=organisation,
            title=title[:255],
            document_number=number,
            genre=genre,
            document_kind=document_kind,
            topic=r.randrange(self.topics),
            written_date=written,
            publication_date=published,
            validity=validity,
            summary=f"{subject}的有关规定和工作安排。"[:200],
            body_html=self.body(subject, written.year, area, label),
            keywords=" ".join(r.sample(SUBJECTS, 2))[:200],
        )

    def shares(self, count):
        """How many of ``count`` documents each organisation publishes."""
        total = sum(ORGANISATION_WEIGHTS)
        shares = [count * weight // total for weight in ORGANISATION_WEIGHTS]
        shares[0] += count - sum(shares)
        return shares

    def documents(self, count, organisation=None):
        """``count`` documents: 80% catalogue entries, 15% policy documents and 5%
        interpretations, each interpretation following the policy it explains. They come
        year by year, oldest first, as a catalogue exported by date lists them."""
        policy_title = None
        for year, in_year in self.years(count).items():
            for _ in range(in_year):
                # Counted across calls, so small organisations get policies too.
                slot = self.made % 20
                self.made += 1
                if slot < 16:
                    yield self.document("entry", organisation=organisation, year=year)
                elif slot < 19:
                    doc = self.document("policy", organisation=organisation, year=year)
                    policy_title = doc.title
                    yield doc
                else:
                    yield self.document(
                        "interpretation",
                        policy_title=policy_title,
                        organisation=organisation,
                        year=year,
                    )

    def request(self, organisation_count):
        """The fields of one application (依申请公开), over the years 2019–2025."""
        r = self.random
        received = datetime.date(2019, 1, 1) + datetime.timedelta(days=r.randrange(7 * 365))
        natural = r.random() < 0.8
        name = r.choice(SURNAMES) + "".join(r.choices(GIVEN, k=r.choice((1, 2))))
        subject = r.choice(SUBJECTS)
        return {
            "organisation": r.choices(range(organisation_count), ORGANISATION_WEIGHTS)[0],
            "received_on": received,
            "applicant_type": "natural_person" if natural else "organisation",
            "organisation_subtype": "" if natural else r.choice(ORGANISATION_SUBTYPES),
            "applicant_name": name if natural else "",
            "organisation_name": "" if natural else f"安徽某某{r.choice(COMPANY_KINDS)}有限公司",
            "phone": f"13{r.randrange(10**9):09d}",
            "email": f"user{r.randrange(10**6)}@example.com",
            "address": f"安徽省六安市金安区某某路{r.randint(1, 999)}号",
            "description": r.choice(REQUEST_SUBJECTS).format(
                year=received.year - 1, subject=subject
            ),
            "roll": r.random(),
        }
