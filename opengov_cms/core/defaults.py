"""The default taxonomies `opengov_setup` loads: stable codes, editable names."""

# 国务院公文主题分类: the 21 subjects, with their second level where it is settled.
TOPICS = [
    ("general-affairs", "综合政务", ["应急管理", "电子政务", "政务公开", "文秘工作"]),
    (
        "economy",
        "国民经济管理、国有资产监管",
        ["发展规划", "经济体制改革", "节能与资源综合利用", "国有资产监管", "物价", "统计"],
    ),
    ("finance", "财政、金融、审计", ["财政", "税务", "银行", "保险", "证券", "审计"]),
    (
        "land-energy",
        "国土资源、能源",
        ["土地", "矿产", "海洋", "测绘", "电力", "煤炭", "石油与天然气", "新能源"],
    ),
    ("agriculture", "农业、林业、水利", ["农业、畜牧业、渔业", "林业", "水利"]),
    (
        "industry-transport",
        "工业、交通",
        ["工业", "信息产业", "公路", "铁路", "水运", "民航", "邮政"],
    ),
    ("trade-tourism", "商贸、海关、旅游", ["国内贸易", "对外经贸合作", "海关", "旅游"]),
    ("market-safety", "市场监管、安全生产监管", ["市场监管", "安全生产监管", "食品药品监管"]),
    (
        "construction-environment",
        "城乡建设、环境保护",
        [
            "城市规划",
            "城乡建设（含住房）",
            "节能减排",
            "气象、水文、测绘、地震",
            "环境监测、保护与治理",
        ],
    ),
    ("science-education", "科技、教育", ["科技", "教育", "知识产权"]),
    ("culture-media", "文化、广电、新闻出版", ["文化", "广播、电影、电视", "新闻出版", "文物"]),
    ("health-sport", "卫生、体育", ["卫生", "医药管理", "体育"]),
    ("population-family", "人口与计划生育、妇女儿童工作", ["人口与计划生育", "妇女儿童"]),
    ("labour-personnel", "劳动、人事、监察", ["劳动就业", "社会保障", "人事工作", "监察"]),
    ("public-security-justice", "公安、安全、司法", ["公安", "安全", "司法"]),
    (
        "civil-affairs",
        "民政、扶贫、救灾",
        ["社会组织", "行政区划与地名", "优抚安置", "减灾救灾", "扶贫"],
    ),
    ("ethnic-religion", "民族、宗教", ["民族事务", "宗教事务"]),
    ("foreign-affairs", "对外事务", []),
    ("hk-macao-taiwan", "港澳台侨工作", ["港澳工作", "台湾工作", "华侨工作"]),
    ("defence", "国防", ["国防动员"]),
    ("other", "其他", []),
]

# 党政机关公文处理工作条例 第八条: the 15 kinds of official document.
GENRES = [
    ("resolution", "决议"),
    ("decision", "决定"),
    ("order", "命令（令）"),
    ("communique", "公报"),
    ("announcement", "公告"),
    ("public-notice", "通告"),
    ("opinion", "意见"),
    ("notice", "通知"),
    ("circular", "通报"),
    ("report", "报告"),
    ("request", "请示"),
    ("reply", "批复"),
    ("motion", "议案"),
    ("letter", "函"),
    ("minutes", "纪要"),
]

# The kinds the annual report's table 2 counts (第二十条第（一）项).
DOCUMENT_KINDS = [
    ("rule", "规章"),
    ("normative", "行政规范性文件"),
    ("other", "其他文件"),
]

# Why information is not disclosed proactively, by article of the Regulations.
NON_DISCLOSURE_REASONS = [
    ("state-secret", "依法确定为国家秘密", "第十四条"),
    ("prohibited-by-law", "法律、行政法规禁止公开", "第十四条"),
    ("security-stability", "公开后可能危及国家安全、公共安全、经济安全、社会稳定", "第十四条"),
    ("third-party", "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害", "第十五条"),
    ("internal-affairs", "人事管理、后勤管理、内部工作流程等内部事务信息", "第十六条第一款"),
    ("process-information", "讨论记录、过程稿、磋商信函、请示报告等过程性信息", "第十六条第二款"),
    ("enforcement-files", "行政执法案卷信息", "第十六条第二款"),
    ("specific-parties", "仅涉及特定对象或特定事项，宜依申请公开", "第二十七条"),
]

# The catalogue root's slug: 信息公开, as Chinese government sites spell it in URLs.
CATALOGUE_SLUG = "xxgk"

# The default catalogue tree (Art. 20 and the seed plan): (slug, title, children).
CATALOGUE_SECTIONS = [
    (
        "organisation",
        "机构信息",
        [
            ("functions", "机构职能"),
            ("leaders", "领导信息"),
            ("departments", "内设机构"),
            ("personnel", "人事信息"),
        ],
    ),
    (
        "documents",
        "法规文件",
        [
            ("rules", "规章"),
            ("normative", "行政规范性文件"),
            ("other-documents", "其他文件"),
        ],
    ),
    ("interpretations", "政策解读", []),
    # 回应关切 (情况通报, 新闻发布会, 舆情回应): the seed plan's 积极回应社会关切.
    ("concerns", "回应关切", []),
    ("plans", "规划计划", []),
    (
        "finance",
        "财政信息",
        [
            ("budgets", "预算决算"),
            ("three-public", "三公经费"),
            ("procurement", "政府采购"),
        ],
    ),
    (
        "powers",
        "行政权力",
        [
            ("power-list", "权力清单"),
            ("licensing", "行政许可"),
            ("penalties", "行政处罚"),
            ("random-inspections", "双随机一公开"),
        ],
    ),
    ("key-areas", "重点领域", []),
    ("annual-reports", "公开年报", []),
    ("on-request", "依申请公开", []),
    # The quarterly statistics of the public's messages (OPENGOV_CMS_INTERACTION_REPORTS_SECTION).
    ("interaction", "政民互动", []),
]

# 三审: three reviews, the confidentiality review (保密审查) between the first and second.
REVIEW_WORKFLOW = "政务公开三审"
REVIEW_TASKS = [
    ("group", "初审", "初审人员"),
    ("confidentiality", "保密审查", "保密审查人员"),
    ("group", "复审", "复审人员"),
    ("group", "终审", "终审人员"),
]
