"""Read the seed document (a city bureau's 2019 disclosure plan, published as a consultation)."""

import re
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

SEED_FILE = Path(__file__).parent / "data" / "luan-culture-tourism-2019-disclosure-plan.txt"
CHINA = ZoneInfo("Asia/Shanghai")
META = re.compile(
    r"征集单位[:：](?P<org>\S+)\s+征集时间[:：]\[\s*(?P<start>[\d\- :]+?)\s*\]\s*至\s*"
    r"\[\s*(?P<end>[\d\- :]+?)\s*\]"
)
SECTION_HEADING = re.compile(r"^[一二三四五六七八九十]+、")


@dataclass
class SeedConsultation:
    title: str
    organisation: str
    opens_at: datetime
    closes_at: datetime
    document_title: str
    body_html: str
    results_html: str


def _paragraphs(lines):
    parts = []
    for line in lines:
        text = line.strip()
        if not text:
            continue
        tag = "h3" if SECTION_HEADING.match(text) else "p"
        parts.append(f"<{tag}>{escape(text, quote=False)}</{tag}>")
    return "".join(parts)


def read_seed(path=SEED_FILE):
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    content = [line for line in lines if line]
    title, meta_line = content[0], content[1]
    match = META.search(meta_line)
    if match is None:
        raise ValueError(f"{path}: line 3 does not give 征集单位 and 征集时间")

    def parse(value):
        return datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=CHINA)

    results_at = content.index("征集结果")
    document = content[2:results_at]
    return SeedConsultation(
        title=title,
        organisation=match["org"],
        opens_at=parse(match["start"]),
        closes_at=parse(match["end"]),
        document_title=document[0],
        body_html=_paragraphs(document[1:]),
        results_html=_paragraphs(content[results_at + 1 :]),
    )


PLAN_PART = re.compile(r"^(?P<number>[一二三四五六七八九十]+)、(?P<title>.+)$")
PLAN_ITEM = re.compile(r"^\d+\s*[.．、]\s*(?P<text>.+)$")
CHINESE_NUMBERS = "一二三四五六七八九十"


@dataclass
class PlanItem:
    section_number: int
    section_title: str
    number: int
    text: str


def read_plan_items(path=SEED_FILE):
    """The numbered items of the seed plan, one per task of its 责任分解表.

    Items are numbered by their place in their part: the seed numbers the second item of
    part 一 "1." as well, a slip of the original text."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    content = [line for line in lines if line]
    items, part, title, number = [], None, "", 0
    for line in content[: content.index("征集结果")]:
        heading = PLAN_PART.match(line)
        if heading:
            part, title, number = CHINESE_NUMBERS.index(heading["number"]) + 1, heading["title"], 0
            continue
        item = PLAN_ITEM.match(line)
        if item and part is not None:
            number += 1
            items.append(PlanItem(part, title, number, item["text"].strip()))
    return items
