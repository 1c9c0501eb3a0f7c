"""Reading the State Council's yearly holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知).

Staff paste the notice as published; :func:`parse_notice` finds its days off (放假, 补休)
and its make-up working days on weekends (上班), and checks what the text itself says:
the weekday and lunar date in brackets, and the number of days (共N天). Each problem is
reported with its line, and nothing is guessed: a line that mentions dates in a way the
parser does not know is an error, not skipped.

The wordings of the notices for 2017–2026 are understood, among them:

- ``一、元旦：1月1日放假，1月2日（星期一）补休。``
- ``二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
  2月14日（周六）、2月28日（周六）上班。``
- ``一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。`` (days of the year before)
- ``三、清明节：4月5日放假，与周末连休。`` and ``一、元旦：1月1日（周三）放假1天，不调休。``
- a sentence that only encourages a day off (``鼓励各单位……安排职工在除夕（2月9日）休息``)
  gives no day off;

and the amending notices: one that replaces a holiday's days (国办发明电〔2019〕3号,
``一、2019年5月1日至4日放假调休，共4天。……上班。``) and one that extends a holiday
(国办发明电〔2020〕1号, ``一、延长2020年春节假期至2月2日（农历正月初九，星期日），2月3日
（星期一）起正常上班。``), read on top of the year's days already entered.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _

PARAGRAPH = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*(?P<body>.*)$")
NAMED = re.compile(r"^(?P<name>[^\d：:，。]{1,20})[：:](?P<rest>.*)$")
TITLE_YEAR = re.compile(r"关于(?:调整|延长)?(\d{4})年")
TITLE_HOLIDAY = re.compile(r"关于(?:调整|延长)\d{4}年(.+?)假期")
DATE = re.compile(
    r"(?:(?P<y>\d{4})\s*年\s*)?(?:(?P<m>\d{1,2})\s*月\s*)?(?P<d>\d{1,2})\s*日"
    r"(?:\s*[（(](?P<note>[^）)]*)[）)])?"
)
WEEKDAY = re.compile(r"(?:星期|周)([一二三四五六日天])")
LUNAR = re.compile(
    r"农历\s*(?:(?P<m>闰?[正二三四五六七八九十冬腊]{1,2})月)?(?P<d>除夕|[初十廿二三][一二三四五六七八九十]{0,2})"
)
COUNT = re.compile(r"共\s*(\d+)\s*天|放假\s*(\d+)\s*天")
EXTEND = re.compile(r"延长(?:\d{4}年)?(?P<name>.+?)假期至")

WEEKDAYS = "一二三四五六日"
LUNAR_MONTHS = {
    "正": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
    "冬": 11, "十一": 11, "腊": 12, "十二": 12,
}  # fmt: skip
DIGITS = {c: n for n, c in enumerate("一二三四五六七八九十", start=1)}


@dataclass(frozen=True)
class NoticeDay:
    date: date
    is_working_day: bool
    name: str
    line: int


@dataclass
class ParsedNotice:
    year: int | None
    days: dict = field(default_factory=dict)  # date -> NoticeDay
    errors: list = field(default_factory=list)  # messages naming their line

    @property
    def ok(self):
        return not self.errors and bool(self.days)

    def sorted_days(self):
        return [self.days[d] for d in sorted(self.days)]


def _lunar_day_number(text):
    if text.startswith("初"):
        return DIGITS.get(text[1:])
    if text.startswith("廿"):
        return 20 + DIGITS.get(text[1:], 0) if len(text) == 2 else None
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + DIGITS.get(text[1:], 0)
    if text.startswith("二十"):
        return 20 + (DIGITS.get(text[2:], 0) if len(text) > 2 else 0)
    if text == "三十":
        return 30
    return None


def _check_note(day, note, line):
    """Problems with the bracket after a date: its weekday and its lunar date."""
    problems = []
    for match in WEEKDAY.finditer(note or ""):
        written = "日" if match.group(1) == "天" else match.group(1)
        actual = WEEKDAYS[day.weekday()]
        if written != actual:
            problems.append(
                _(
                    "第%(line)d行：%(month)d月%(day)d日是星期%(actual)s，通知中写的是星期%(written)s，请核对。"
                )
                % {
                    "line": line,
                    "month": day.month,
                    "day": day.day,
                    "actual": actual,
                    "written": written,
                }
            )
    lunar = LUNAR.search(note or "")
    if lunar:
        from lunar_python import Solar

        actual = Solar.fromYmd(day.year, day.month, day.day).getLunar()
        if lunar.group("d") == "除夕":
            following = day + timedelta(days=1)
            next_lunar = Solar.fromYmd(following.year, following.month, following.day).getLunar()
            right = next_lunar.getMonth() == 1 and next_lunar.getDay() == 1
        else:
            month = lunar.group("m")
            number = _lunar_day_number(lunar.group("d"))
            right = number == actual.getDay() and (
                month is None or LUNAR_MONTHS.get(month.lstrip("闰")) == abs(actual.getMonth())
            )
        if not right:
            problems.append(
                _("第%(line)d行：%(month)d月%(day)d日不是%(lunar)s，请核对。")
                % {"line": line, "month": day.month, "day": day.day, "lunar": lunar.group(0)}
            )
    return problems


def _split_clauses(sentence):
    """Split on commas outside brackets (a bracket may hold 农历正月初九，星期日)."""
    clauses, depth, current = [], 0, []
    for char in sentence:
        if char in "（(":
            depth += 1
        elif char in "）)":
            depth = max(0, depth - 1)
        if char in "，," and depth == 0:
            clauses.append("".join(current))
            current = []
        else:
            current.append(char)
    clauses.append("".join(current))
    return [c.strip() for c in clauses if c.strip()]


class _Reader:
    def __init__(self, year, base):
        self.year = year
        self.base = dict(base or {})  # date -> NoticeDay from the year already entered
        self.result = ParsedNotice(year=year)

    def error(self, line, message):
        self.result.errors.append(
            _("第%(line)d行：%(message)s") % {"line": line, "message": message}
        )

    def dates(self, clause, line, name):
        """[(start, end)] for each date or range of the clause, years and months carried."""
        found = list(DATE.finditer(clause))
        spans = []
        year, month = self.year, None
        index = 0
        while index < len(found):
            parts = [found[index]]
            if index + 1 < len(found):
                between = clause[found[index].end() : found[index + 1].start()].strip()
                if between in ("至", "到", "—", "-", "～", "~"):
                    parts.append(found[index + 1])
            resolved = []
            for match in parts:
                if match.group("y"):
                    year = int(match.group("y"))
                    explicit_year = True
                else:
                    explicit_year = False
                if match.group("m"):
                    month = int(match.group("m"))
                if month is None:
                    self.error(line, _("“%(text)s”没有月份。") % {"text": match.group(0)})
                    return None
                this_year = year
                if month == 12 and not explicit_year and "元旦" in name and year == self.year:
                    this_year = self.year - 1  # 元旦 holidays may start in late December
                try:
                    day = date(this_year, month, int(match.group("d")))
                except ValueError:
                    self.error(line, _("“%(text)s”不是有效的日期。") % {"text": match.group(0)})
                    return None
                for problem in _check_note(day, match.group("note"), line):
                    self.result.errors.append(problem)
                resolved.append(day)
            if len(resolved) == 2 and resolved[1] < resolved[0]:
                self.error(line, _("日期范围“%(text)s”的结束日早于开始日。") % {"text": clause})
                return None
            spans.append((resolved[0], resolved[-1]))
            index += len(parts)
        return spans

    def add(self, day, working, name, line, override=False):
        if not date(self.year - 1, 12, 1) <= day <= date(self.year, 12, 31):
            self.error(
                line,
                _("%(date)s不在%(year)s年的安排之内。")
                % {"date": day.isoformat(), "year": self.year},
            )
            return
        existing = self.result.days.get(day)
        if existing and existing.is_working_day != working and not override:
            self.error(
                line,
                _("%(date)s在第%(other)d行是%(was)s，这里又是%(now)s。")
                % {
                    "date": day.isoformat(),
                    "other": existing.line,
                    "was": _("上班") if existing.is_working_day else _("放假"),
                    "now": _("上班") if working else _("放假"),
                },
            )
            return
        self.result.days[day] = NoticeDay(day, working, name, line)

    def extend(self, clause, line, match):
        holiday = match.group("name").strip()
        spans = self.dates(clause[match.end() :], line, holiday)
        if not spans:
            self.error(line, _("没有找到假期延长到的日期。"))
            return
        until = spans[0][0]
        known = {**self.base, **self.result.days}
        rest_days = [
            d for d, v in known.items() if not v.is_working_day and holiday in v.name and d < until
        ]
        if not rest_days:
            self.error(
                line,
                _("没有找到要延长的“%(name)s”假期：请先录入原通知，或把原通知与本通知一起粘贴。")
                % {"name": holiday},
            )
            return
        day = max(rest_days) + timedelta(days=1)
        while day <= until:
            self.add(day, False, holiday, line, override=True)
            day += timedelta(days=1)

    def sentence(self, text, line, name):
        if "鼓励" in text or "倡导" in text:
            return  # an encouragement to rest is not a day off
        last_range = None
        for clause in _split_clauses(text):
            extension = EXTEND.search(clause)
            if extension:
                self.extend(clause, line, extension)
                continue
            count = COUNT.search(clause)
            has_date = DATE.search(clause) is not None
            if "起正常上班" in clause or "正常上班" in clause and not has_date:
                continue
            if not has_date:
                if count and last_range:
                    self.check_count(count, last_range, line)
                elif count is None and not any(
                    word in clause for word in ("连休", "不调休", "放假", "调休", "上班")
                ):
                    self.error(line, _("无法识别“%(text)s”。") % {"text": clause})
                continue
            spans = self.dates(clause, line, name)
            if spans is None:
                continue
            if "上班" in clause:
                for start, end in spans:
                    if start != end:
                        self.error(line, _("上班日应逐日列出：“%(text)s”。") % {"text": clause})
                        continue
                    self.add(start, True, name, line)
            elif "放假" in clause or "补休" in clause or "休息" in clause:
                for start, end in spans:
                    day = start
                    while day <= end:
                        self.add(day, False, name, line)
                        day += timedelta(days=1)
                last_range = spans[-1]
                if count:
                    self.check_count(count, last_range, line)
            else:
                self.error(line, _("“%(text)s”没有说明放假还是上班。") % {"text": clause})

    def check_count(self, count, span, line):
        stated = int(count.group(1) or count.group(2))
        actual = (span[1] - span[0]).days + 1
        if stated != actual:
            self.error(
                line,
                _("%(start)s至%(end)s共%(actual)d天，通知中写的是共%(stated)d天。")
                % {
                    "start": span[0].isoformat(),
                    "end": span[1].isoformat(),
                    "actual": actual,
                    "stated": stated,
                },
            )


def notice_year(text):
    """The year named in the notice's title, or None."""
    match = TITLE_YEAR.search(text or "")
    return int(match.group(1)) if match else None


def parse_notice(text, year=None, base=None):
    """Read the days of ``text`` for ``year`` (from the title when not given).

    ``base`` is {date: NoticeDay} of the year as already entered, which an extending notice
    (延长……假期至) builds on. Returns a :class:`ParsedNotice`; check ``errors`` first.
    """
    titled = notice_year(text)
    year = year or titled
    if year is None:
        return ParsedNotice(year=None, errors=[_("请填写年份，或连同标题粘贴通知全文。")])
    if titled is not None and titled != year:
        return ParsedNotice(
            year=year,
            errors=[
                _("通知标题写的是%(titled)d年，所选年份是%(year)d年。")
                % {"titled": titled, "year": year}
            ],
        )
    reader = _Reader(year, base)
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if (
            not line
            or not DATE.search(line)
            or (
                "放假" not in line
                and "上班" not in line
                and "补休" not in line
                and "假期" not in line
            )
        ):
            continue  # the title, the preamble and the closing paragraphs
        paragraph = PARAGRAPH.match(line)
        body = paragraph.group("body") if paragraph else line
        named = NAMED.match(body)
        name, body = (named.group("name").strip(), named.group("rest")) if named else ("", body)
        if not name:
            titled_holiday = TITLE_HOLIDAY.search(text)
            name = titled_holiday.group(1) if titled_holiday else ""
        for sentence in re.split(r"[。；;]", body):
            if sentence.strip():
                reader.sentence(sentence.strip(), number, name)
    if not reader.result.days and not reader.result.errors:
        reader.result.errors.append(_("没有在粘贴的文字中找到放假或上班的日期。"))
    return reader.result
