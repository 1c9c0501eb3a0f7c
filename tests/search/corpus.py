"""A generated corpus of Chinese government documents and a judged set of queries over it.

Deterministic (a fixed seed, no network): every run builds the same 330 documents, in the
style of the notices, opinions, measures and announcements a city's departments publish,
and the same judged queries. A query's expected documents follow from how each document
was made: the documents *about* a subject (it is in their title), the one document a 文号 or
索引号 names. Bodies mention other subjects and the issuing department in passing, so a
backend that ranks a passing mention in a body as high as a title does poorly.
"""

import random
from dataclasses import dataclass, field

CITY = "六安市"

# name, id, credit code, 文号 prefix, topic, subjects
DEPARTMENTS = [
    (
        "六安市文化和旅游局",
        "1",
        "11341500MB1234567X",
        "六文旅",
        "文化、广电、新闻出版",
        [
            "文物保护",
            "非物质文化遗产保护",
            "公共文化服务体系建设",
            "旅游市场秩序整治",
            "A级旅游景区管理",
            "乡村旅游发展",
            "文化惠民工程",
        ],
    ),
    (
        "六安市财政局",
        "2",
        "11341500MB2345678Y",
        "六财",
        "财政、金融、审计",
        ["预算绩效管理", "政府采购", "专项资金管理", "国库集中支付", "政府债务风险防控"],
    ),
    (
        "六安市教育局",
        "3",
        "11341500MB3456789W",
        "六教",
        "教育",
        ["义务教育均衡发展", "学前教育普及", "校园安全管理", "教师队伍建设", "学生资助"],
    ),
    (
        "六安市卫生健康委员会",
        "4",
        "11341500MB4567890T",
        "六卫健",
        "卫生、体育",
        ["疫苗接种管理", "医疗机构监督", "家庭医生签约服务", "传染病防控", "基层医疗卫生服务"],
    ),
    (
        "六安市生态环境局",
        "5",
        "11341500MB5678901R",
        "六环",
        "国土资源、能源",
        ["大气污染防治", "河长制", "固体废物污染防治", "排污许可管理"],
    ),
    (
        "六安市交通运输局",
        "6",
        "11341500MB6789012Q",
        "六交",
        "交通",
        ["道路运输安全", "城市公交优先发展", "网络预约出租汽车管理", "农村公路建设"],
    ),
    (
        "六安市人民政府办公室",
        "7",
        "11341500MB7890123P",
        "六政办",
        "综合政务",
        ["政务公开", "优化营商环境", "安全生产", "政务服务一网通办"],
    ),
]

GENRES = {
    "通知": [
        "关于做好{year}年{subject}工作的通知",
        "关于印发《{city}{subject}实施方案》的通知",
        "关于开展{subject}专项检查的通知",
    ],
    "意见": ["关于加强{subject}的实施意见", "关于进一步推进{subject}的意见"],
    "办法": ["{city}{subject}管理办法", "{city}{subject}暂行办法"],
    "公告": ["关于{subject}有关事项的公告"],
    "通报": ["关于{year}年{subject}工作情况的通报"],
}

PURPOSES = [
    "深入贯彻落实党中央、国务院决策部署",
    "进一步规范工作程序",
    "切实保障人民群众合法权益",
    "推动高质量发展",
    "提高行政效能",
]
LAWS = [
    "《中华人民共和国政府信息公开条例》",
    "《安徽省人民政府关于全面推进政务公开工作的实施意见》",
    "有关法律法规和政策规定",
    "上级部门工作要求",
]
SENTENCES = [
    "各地各部门要高度重视，明确责任分工，确保各项任务落到实处。",
    "要加强统筹协调，建立健全工作机制，及时研究解决工作中遇到的问题。",
    "对工作中发现的问题，要立即整改，限期落实。",
    "请于每季度末将工作进展情况报送至办公室。",
    "本文件自发布之日起施行，由发布机关负责解释。",
    "要加大宣传力度，营造良好社会氛围。",
    "鼓励社会各界积极参与，广泛听取意见建议。",
]
VALIDITIES = ["valid"] * 7 + ["amended", "repealed", "expired"]
CONTENT_TYPES = [
    "opengov_policies.policydocumentpage",
    "opengov_catalogue.catalogueentrypage",
]
# Bracket styles readers type around the year of a 文号.
BRACKETS = [("〔", "〕"), ("[", "]"), ("(", ")"), ("（", "）"), ("【", "】"), ("［", "］")]
FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass
class JudgedQuery:
    text: str
    expected: frozenset
    kind: str


@dataclass
class Corpus:
    documents: list
    queries: list = field(default_factory=list)

    @property
    def by_id(self):
        return {document["id"]: document for document in self.documents}


def _documents(rng):
    documents = []
    all_subjects = [subject for *_, subjects in DEPARTMENTS for subject in subjects]
    number = 0
    for name, org_id, code, prefix, topic, subjects in DEPARTMENTS:
        sequences = {}
        for subject in subjects:
            # Ten documents per subject: several genres, spread over the years.
            for variant in range(10):
                number += 1
                genre = list(GENRES)[(variant + len(subject)) % len(GENRES)]
                template = GENRES[genre][variant % len(GENRES[genre])]
                year = 2016 + (variant * 3 + number) % 9
                sequences[year] = sequences.get(year, 0) + 1
                seq = sequences[year]
                month, day = 1 + (number * 7) % 12, 1 + (number * 11) % 28
                title = template.format(year=year, subject=subject, city=CITY)
                others = rng.sample([s for s in all_subjects if s != subject], 2)
                body = "".join(
                    [
                        f"为{rng.choice(PURPOSES)}，根据{rng.choice(LAWS)}，结合本市实际，"
                        f"就{subject}有关事项{genre if genre != '办法' else '制定本办法'}如下。",
                        *rng.sample(SENTENCES, 3),
                        f"同时，要统筹做好{others[0]}和{others[1]}等相关工作。",
                        f"{name}　{year}年{month}月{day}日",
                    ]
                )
                documents.append(
                    {
                        "id": f"doc:{number}",
                        "title": title,
                        "summary": f"{name}就{subject}有关事项发布{genre}，自{year}年起执行。",
                        "body": body,
                        "document_number": f"{prefix}〔{year}〕{seq}号",
                        "index_number": f"{code}/{year}-{seq:05d}",
                        "organisation": name,
                        "organisation_id": org_id,
                        "topic": topic,
                        "genre": genre,
                        "year": year,
                        "validity": rng.choice(VALIDITIES),
                        "content_type": CONTENT_TYPES[number % 2],
                        "url": f"/xxgk/{org_id}/{number}/",
                        "date": f"{year}-{month:02d}-{day:02d}",
                        "_subject": subject,
                    }
                )
    return documents


def _queries(rng, documents):
    def titled(word):
        return frozenset(d["id"] for d in documents if word in d["title"])

    queries = []
    subjects = list(dict.fromkeys(d["_subject"] for d in documents))
    # A subject, as a reader types it: the documents about it.
    for subject in subjects:
        queries.append(JudgedQuery(subject, titled(subject), "subject"))
    # A two-character word inside long titles.
    for word in ["文物", "旅游", "采购", "资助", "疫苗", "公交", "营商", "债务", "河长"]:
        queries.append(JudgedQuery(word, titled(word), "word"))
    # Short forms readers use for a subject whose titles spell it out. Bigrams find a short
    # form only where its characters stand together in the title, so some of these fail:
    # they are here to measure that, not to pass.
    for short, subject in [
        ("网约车", "网络预约出租汽车管理"),
        ("非遗", "非物质文化遗产保护"),
        ("排污许可证", "排污许可管理"),
        ("一网通办", "政务服务一网通办"),
        ("公交优先", "城市公交优先发展"),
        ("家庭医生", "家庭医生签约服务"),
        ("景区", "A级旅游景区管理"),
        ("政府债务", "政府债务风险防控"),
    ]:
        expected = frozenset(d["id"] for d in documents if d["_subject"] == subject)
        queries.append(JudgedQuery(short, expected, "short form"))
    # A subject and a year, or a subject and a kind of document.
    for subject in rng.sample(subjects, 6):
        year = next(d["year"] for d in documents if d["_subject"] == subject)
        expected = frozenset(
            d["id"] for d in documents if d["_subject"] == subject and d["year"] == year
        )
        text = f"{year} {subject}"
        if len(queries) % 2:
            text = text.translate(FULL_WIDTH_DIGITS)
        queries.append(JudgedQuery(text, expected, "subject+year"))
    for subject in rng.sample(subjects, 6):
        genre = next(d["genre"] for d in documents if d["_subject"] == subject)
        expected = frozenset(
            d["id"] for d in documents if d["_subject"] == subject and genre in d["title"]
        )
        queries.append(JudgedQuery(f"{subject} {genre}", expected, "subject+genre"))
    # A 文号 in any bracket style, and an index number, find the one document.
    for index, document in enumerate(rng.sample(documents, 12)):
        opening, closing = BRACKETS[index % len(BRACKETS)]
        text = document["document_number"].replace("〔", opening).replace("〕", closing)
        if index % 4 == 3:
            text = text.translate(FULL_WIDTH_DIGITS)
        queries.append(JudgedQuery(text, frozenset([document["id"]]), "document_number"))
    for index, document in enumerate(rng.sample(documents, 8)):
        text = document["index_number"]
        if index % 2:
            text = text.lower()
        queries.append(JudgedQuery(text, frozenset([document["id"]]), "index_number"))
    return queries


def build():
    rng = random.Random(20190515)
    documents = _documents(rng)
    queries = _queries(rng, documents)
    for document in documents:
        del document["_subject"]
    return Corpus(documents, queries)
