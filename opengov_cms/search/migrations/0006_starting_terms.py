"""The starting list of the site's dictionary (检索词典): government vocabulary that readers
type in a short form, each with the full wording the State Council's and ministries' own
texts use, and the source of that wording.

Staff edit or delete these entries in the admin like their own; running the migration again
(a new database) adds what is missing and never changes an entry that exists. Terms with no
equivalents are words for jieba's dictionary only: 双随机一公开 needs no expansion, since
punctuation between Chinese characters no longer separates them (双随机、一公开), and
营商环境 is itself the full term (《优化营商环境条例》).
"""

from django.db import migrations

# (term, equivalents, note with the source of the wording)
STARTING_TERMS = [
    ("非遗", ["非物质文化遗产"], "《中华人民共和国非物质文化遗产法》"),
    ("文旅", ["文化和旅游", "文化旅游"], "文化和旅游部（2018 年组建），简称文旅部"),
    (
        "放管服",
        ["简政放权、放管结合、优化服务"],
        "国务院“放管服”改革：简政放权、放管结合、优化服务",
    ),
    (
        "双减",
        ["减轻义务教育阶段学生作业负担和校外培训负担"],
        "中共中央办公厅、国务院办公厅《关于进一步减轻义务教育阶段学生作业负担和校外培训负担的意见》（2021 年）",
    ),
    (
        "三公经费",
        [
            "因公出国（境）费、公务用车购置及运行费、公务接待费",
            "因公出国（境）费、公务用车购置及运行费和公务接待费",
            "因公出国（境）费、公务用车购置及运行维护费和公务接待费",
        ],
        "财政部部门预算口径：因公出国（境）费、公务用车购置及运行（维护）费和公务接待费",
    ),
    ("双随机一公开", [], "市场监管领域部门联合“双随机、一公开”监管"),
    ("营商环境", [], "《优化营商环境条例》（国务院令第 722 号）"),
    ("网约车", ["网络预约出租汽车"], "《网络预约出租汽车经营服务管理暂行办法》"),
    ("低保", ["最低生活保障"], "《城市居民最低生活保障条例》"),
    ("公租房", ["公共租赁住房"], "《公共租赁住房管理办法》"),
    ("棚改", ["棚户区改造"], "城镇棚户区改造"),
    (
        "营改增",
        ["营业税改征增值税"],
        "财政部、国家税务总局《关于全面推开营业税改征增值税试点的通知》",
    ),
    ("个税", ["个人所得税"], "《中华人民共和国个人所得税法》"),
    ("环评", ["环境影响评价"], "《中华人民共和国环境影响评价法》"),
    ("公积金", ["住房公积金"], "《住房公积金管理条例》"),
    ("医保", ["医疗保障"], "国家医疗保障局，简称国家医保局"),
    ("发改委", ["发展和改革委员会"], "国家发展和改革委员会，简称国家发改委"),
    ("卫健委", ["卫生健康委员会"], "国家卫生健康委员会，简称国家卫健委"),
    ("人社", ["人力资源和社会保障"], "人力资源和社会保障部，简称人社部"),
    ("住建", ["住房和城乡建设"], "住房和城乡建设部，简称住建部"),
    ("市场监管", ["市场监督管理"], "国家市场监督管理总局，简称市场监管总局"),
    ("国资委", ["国有资产监督管理委员会"], "国务院国有资产监督管理委员会，简称国务院国资委"),
    ("残联", ["残疾人联合会"], "中国残疾人联合会，简称中国残联"),
    ("高新区", ["高新技术产业开发区"], "国家高新技术产业开发区"),
    ("经开区", ["经济技术开发区"], "国家级经济技术开发区"),
    ("新冠肺炎", ["新型冠状病毒肺炎"], "国家卫生健康委员会 2020 年 2 月命名"),
]


def add_terms(apps, schema_editor):
    SearchTerm = apps.get_model("opengov_search", "SearchTerm")
    for term, equivalents, note in STARTING_TERMS:
        SearchTerm.objects.get_or_create(
            term=term, defaults={"equivalents": "\n".join(equivalents), "note": note}
        )


class Migration(migrations.Migration):
    dependencies = [("opengov_search", "0005_search_term_equivalents")]

    operations = [migrations.RunPython(add_terms, migrations.RunPython.noop)]
