"""Dates in Russian and English text: absolute, without a year, ranges, relative days, date lines.

One module owns dates (as FollowTheMoney keeps one module per value type): finding the
expressions here, resolving them against a reference date in `resolve`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

_RU_MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}
_RU_MONTH = (r"(?P<mon>январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[яй]|июн[ья]|июл[ья]|августа?|"
             r"сентябр[ья]|октябр[ья]|ноябр[ья]|декабр[ья])")
_RU_MONTH_IN = (r"(?P<mon>январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|декабре)")
_EN_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}
_EN_MONTH = (r"(?P<mon>January|February|March|April|May|June|July|August|September|October|"
             r"November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
_YEAR_RU = r"(?:\s*(?P<year>(?:19|20)\d\d)\s*(?:г\.|года|году|г\b)?|\s+(?P<this>т\.\s?г\.|текущего года|этого года|сего года))?"

_PATTERNS = [
    # с 21 по 25 октября (2024 года)
    ("ru", re.compile(r"\b[сc]\s+(?P<day>[0-3]?\d)\s+по\s+(?P<day2>[0-3]?\d)\s+" + _RU_MONTH + r"\b" + _YEAR_RU, re.I)),
    # 28-30 августа 2015 года, 18 августа т.г., 5 марта
    ("ru", re.compile(r"\b(?P<day>[0-3]?\d)(?:\s*[-–—]\s*(?P<day2>[0-3]?\d))?\s+" + _RU_MONTH + r"\b" + _YEAR_RU, re.I)),
    # в ноябре 2025 года
    ("ru_month", re.compile(r"\bв\s+" + _RU_MONTH_IN + r"(?:\s+(?P<year>(?:19|20)\d\d))?", re.I)),
    # September 22, 2021; Sept. 22; March 3rd 2024
    ("en_md", re.compile(r"\b" + _EN_MONTH + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?:\s*[-–]\s*(?P<day2>[0-3]?\d))?(?:,?\s+(?P<year>(?:19|20)\d\d))?\b")),
    # in July 2021, since March 2024: a month of a year
    ("en_month", re.compile(r"\b(?:in\s+)?" + _EN_MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b")),
    # from 24 to 26 February (2026): a range, its first day
    ("en_dm", re.compile(r"\b[Ff]rom\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:to|till|until)\s+(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\s+"
                         + _EN_MONTH + r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b")),
    # in February, last November, in February this year: a month alone, its year from the document
    ("en_month_alone", re.compile(r"\b(?P<pre>in|last|this|since|until|early|late|mid-)\s*" + _EN_MONTH
                                  + r"(?:\s+(?P<this>this year))?\b(?!,?\s*(?:[0-3]?\d\b|(?:19|20)\d\d))")),
    # 3 March 2024, 22 September
    ("en_dm", re.compile(r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?:\s*[-–]\s*(?P<day2>[0-3]?\d))?\s+(?:of\s+)?" + _EN_MONTH + r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b")),
    # 19.06.2025, 03.09.2015 09:50
    ("dotted", re.compile(r"\b(?P<day>[0-3]?\d)\.(?P<mon>[01]?\d)\.(?P<year>(?:19|20)\d\d)\b")),
    # 12/03/2024
    ("slashed", re.compile(r"\b(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<year>(?:19|20)\d\d)\b")),
    # 2024-03-12; year first with dots or slashes as East Asian agencies' and embassies' sites write
    # their date lines (2024.03.12, 2024/03/12), one separator throughout
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)(?P<sep>[-./])(?P<mon>[01]\d)(?P=sep)(?P<day>[0-3]\d)\b")),
]

# Uzbek (Latin and Cyrillic) and Kazakh (Cyrillic and the 2018 and 2021 Latin alphabets) months,
# as the unique beginnings of their names: case endings follow ("5-mayda", "18 тамызда",
# "қыркүйегінде"), so a name is matched by its beginning.
_TK_MONTHS = [
    (1, ("yanvar", "январ", "қаңтар", "qańtar", "qañtar", "qantar")),
    (2, ("fevral", "феврал", "ақпан", "aqpan")),
    (3, ("mart", "март", "наурыз", "naýryz", "nauryz")),
    (4, ("aprel", "апрел", "сәуір", "sáýir", "säuir", "sauir")),
    (5, ("may", "май", "мамыр", "mamyr")),
    (6, ("iyun", "июн", "маусым", "maýsym", "mausym")),
    (7, ("iyul", "июл", "шілде", "shilde", "şilde")),
    (8, ("avgust", "август", "тамыз", "tamyz")),
    (9, ("sentabr", "sentyabr", "сентябр", "қыркүйе", "qyrkúıe", "qyrküie")),
    (10, ("oktabr", "oktyabr", "октябр", "қазан", "qazan")),
    (11, ("noyabr", "ноябр", "қараша", "qarasha", "qaraşa")),
    (12, ("dekabr", "декабр", "желтоқсан", "jeltoqsan")),
]
_TK_MONTH = "(?P<mon>" + "|".join(sorted((s for _, ss in _TK_MONTHS for s in ss), key=len, reverse=True)) + r")\w*"
_TK_YEAR_WORD = r"(?:yil|йил|жыл|jyl|jıl)\w*"
_TK_PATTERNS = [
    # 2023-yil 5-mayda, 2023 жылғы 5 мамырда, 2021 йил 18 август
    re.compile(r"\b(?P<year>(?:19|20)\d\d)\s*[-‑]?\s*" + _TK_YEAR_WORD + r"\s+(?P<day>[0-3]?\d)(?:\s*[-–]\s*(?P<day2>[0-3]?\d))?\s*[-‑]?\s*" + _TK_MONTH, re.I),
    # наурыздың 12-і, mayning 5-kuni: the month first, the day as an ordinal after it
    re.compile(r"\b" + _TK_MONTH + r"\s+(?P<day>[0-3]?\d)\s*-\s*(?:і|ы|сі|сы|i|y|kuni|куни)\b", re.I),
    # 5-may 2023-yil, 18 тамыз 2021 жыл, 14 мамыр 2026, 12-mart kuni, 3 октябрида, 18-20 avgust
    re.compile(r"\b(?P<day>[0-3]?\d)(?:\s*[-–]\s*(?P<day2>[0-3]?\d))?\s*[-‑]?\s*" + _TK_MONTH
               + r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b(?:\s*[-‑]?\s*" + _TK_YEAR_WORD + r")?)?", re.I),
    # 2023-yil may oyida, 2023 жылдың мамыр айында: a month of a year
    re.compile(r"\b(?P<year>(?:19|20)\d\d)\s*[-‑]?\s*" + _TK_YEAR_WORD + r"\s+" + _TK_MONTH + r"\s+(?:oy|ой|ай|ai|aı)\w*", re.I),
]
# "joriy yil", "шу йил", "биыл", "осы жылы": the year of the document
_TK_THIS_YEAR = re.compile(r"(?:joriy|shu|жорий|шу|осы|osy|ağymdağy|ағымдағы)\s+(?:yil|йил|жыл|jyl|jıl)\w*\s*$|(?:биыл|biyl|bıyl)\s*$", re.I)
_TK_RELATIVE = [
    (re.compile(r"\b(?P<w>kecha|кеча|bugun|бугун|бүгін|búgin|bügin|кеше|keshe|бүгiн)\b", re.I), "day"),
    (re.compile(r"\b(?P<w>o[‘’'`ʻ]tgan hafta|ўтган ҳафта|өткен аптада|ótken aptada|ötken aptada)\b", re.I), "week"),
]
_TK_MONTH_ALONE = re.compile(r"\b" + _TK_MONTH + r"(?:\s+(?:oy|ой|ай)\w*)?\b", re.I)
_TK_LOCATIVE = ("da", "de", "ta", "te", "да", "де", "та", "те", "дa")
# weekdays, Monday first: Uzbek (Latin, Cyrillic), Kazakh
_TK_WEEKDAYS = [("dushanba", "душанба", "дүйсенбі"), ("seshanba", "сешанба", "сейсенбі"),
                ("chorshanba", "чоршанба", "сәрсенбі"), ("payshanba", "пайшанба", "бейсенбі"),
                ("juma", "жума", "жұма"), ("shanba", "шанба", "сенбі"), ("yakshanba", "якшанба", "жексенбі")]
# «Сейсенбіде», «seshanba kuni», «жұма күні»: a weekday with its locative or "day", or its ablative
# («dushanbadan payshanbagacha», «дүйсенбіден бейсенбіге дейін»: a course of days from it); the short
# ones (juma, shanba, сенбі) only so, since they are also common words or parts of others
_TK_WEEKDAY = re.compile(r"\b(?P<wd>" + "|".join(sorted((w for ws in _TK_WEEKDAYS for w in ws), key=len, reverse=True))
                         + r")(?P<suf>\s+(?:kuni|куни|күні)|да|де|та|те|da|de|ta|te|dan|дан|ден)?\b", re.I)
_TK_SHORT_WEEKDAYS = {"juma", "жума", "жұма", "shanba", "шанба", "сенбі"}
_TK_DAY_SHIFT = {"kecha": -1, "кеча": -1, "bugun": 0, "бугун": 0, "бүгін": 0, "búgin": 0, "bügin": 0, "бүгiн": 0,
                 "кеше": -1, "keshe": -1}


def _tk_month(name: str) -> int | None:
    name = name.lower()
    for n, stems in _TK_MONTHS:
        if any(name.startswith(s) for s in stems):
            return n
    return None


_WEEKDAYS_RU = {"понедельник": 0, "вторник": 1, "сред": 2, "четверг": 3, "пятниц": 4, "суббот": 5, "воскресень": 6}
_WEEKDAYS_EN = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_RELATIVE = [
    (re.compile(r"\bв[оo]?\s+(?:минувш\w+\s+|прошл\w+\s+)?(?P<wd>понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)\b", re.I), "weekday"),
    (re.compile(r"\b(?:[Oo]n|[Ll]ast|[Tt]his past)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"), "weekday"),
    # «с понедельника по четверг», 'from Monday to Thursday': a course of days, dated by its first
    (re.compile(r"\bс[оo]?\s+(?P<wd>понедельника|вторника|среды|четверга|пятницы|субботы|воскресенья)\s+по\s+"
                r"(?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)\b", re.I), "weekday"),
    (re.compile(r"\b[Ff]rom\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s+(?:to|through|till|until)\s+"
                r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"), "weekday"),
    # "накануне" alone is the day before; "накануне саммита" is the eve of something else
    (re.compile(r"\b(?P<w>позавчера|вчера|сегодня|накануне(?!\s+(?!в\b|во\b|на\b)[а-яё]{3,}))\b", re.I), "day"),
    (re.compile(r"\b(?P<w>yesterday|today|this morning|earlier today)\b", re.I), "day"),
    (re.compile(r"\b(?P<w>на прошлой неделе|на минувшей неделе|last week)\b", re.I), "week"),
    (re.compile(r"\b(?P<w>в прошлом месяце|в минувшем месяце|last month)\b", re.I), "month"),
]
_DAY_SHIFT = {"позавчера": -2, "вчера": -1, "накануне": -1, "сегодня": 0, "yesterday": -1, "today": 0,
              "this morning": 0, "earlier today": 0}


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    stop: int
    year: int | None
    month: int | None
    day: int | None
    kind: str = "date"  # date | month | weekday | day | week | relmonth
    this_year: bool = False  # "т.г.", "текущего года"
    shift: int = 0  # for kind == day: days from the reference
    weekday: int | None = None

    @property
    def text_value(self) -> str | None:
        """The value as far as the text itself gives it, without resolving."""
        if self.kind == "date" and self.month and self.day:
            if not valid(self.year or 2000, self.month, self.day):  # 2000: a leap year admits 29 February
                return None
            if self.year:
                return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
            return f"--{self.month:02d}-{self.day:02d}"
        if self.kind == "month" and self.month and self.year:
            return f"{self.year:04d}-{self.month:02d}"
        return None


def _month(name: str) -> int | None:
    name = name.lower().rstrip(".")
    for stem, n in _RU_MONTHS.items():
        if name.startswith(stem) and (stem != "ма" or name in ("мая", "май", "мае")):
            return n
    for full, n in _EN_MONTHS.items():
        if full.startswith(name[:3]) and len(name) >= 3:
            return n
    return None


def find_dates(text: str, lang: str = "ru") -> list[DateMention]:
    """Every date expression in `text`, in order, overlapping ones reduced to the longest."""
    found = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            g = m.groupdict()
            year = int(g["year"]) if g.get("year") else None
            if kind == "slashed":
                a, b = int(g["a"]), int(g["b"])
                # day first unless the day cannot be first, or an English page writes month first
                month_first = b > 12 or (lang == "en" and a <= 12)
                day, month = (b, a) if month_first else (a, b)
            elif kind in ("dotted", "iso"):
                day, month = int(g["day"]), int(g["mon"])
            else:
                month = _month(g["mon"])
                day = int(g["day"]) if g.get("day") else None
            if not month or month > 12 or (day is not None and not 1 <= day <= 31):
                continue
            mk = "month" if kind in ("ru_month", "en_month", "en_month_alone") else "date"
            shift = -1 if g.get("pre") == "last" else 0  # 'last November': the latest one before the document
            found.append(DateMention(m.start(), m.end(), year, month, day, mk, bool(g.get("this")), shift))
    if lang in ("uz", "kk"):
        found.extend(_turkic_dates(text))
    for rx, kind in _RELATIVE:
        for m in rx.finditer(text):
            g = m.groupdict()
            if kind == "weekday":
                w = g["wd"].lower()
                table = _WEEKDAYS_EN if w in _WEEKDAYS_EN else _WEEKDAYS_RU
                wd = next(v for k, v in table.items() if w.startswith(k))
                found.append(DateMention(m.start(), m.end(), None, None, None, "weekday", weekday=wd))
            elif kind == "day":
                found.append(DateMention(m.start(), m.end(), None, None, None, "day", shift=_DAY_SHIFT[g["w"].lower()]))
            else:
                found.append(DateMention(m.start(), m.end(), None, None, None, "week" if kind == "week" else "relmonth"))
    # a pattern's optional tail ('2026 года', 'г.') may have eaten the space or line break after it
    found = [replace(d, stop=d.start + len(text[d.start:d.stop].rstrip())) for d in found]
    found.sort(key=lambda d: (d.start, -(d.stop - d.start)))
    out, end = [], -1
    for d in found:
        if d.start >= end:
            out.append(d)
            end = d.stop
    return out


def _turkic_dates(text: str) -> list[DateMention]:
    found = []
    for k, rx in enumerate(_TK_PATTERNS):
        for m in rx.finditer(text):
            g = m.groupdict()
            month = _tk_month(g["mon"])
            day = int(g["day"]) if g.get("day") else None
            if not month or (day is not None and not 1 <= day <= 31):
                continue
            year = int(g["year"]) if g.get("year") else None
            this = bool(not year and _TK_THIS_YEAR.search(text[max(0, m.start() - 30):m.start()]))
            found.append(DateMention(m.start(), m.end(), year, month, day, "month" if k == 3 else "date", this))
    # «sentyabrda», «қыркүйекте», «қазан айында»: a month alone, in the locative (not «mayda»,
    # «майда»: small, oil)
    for m in _TK_MONTH_ALONE.finditer(text):
        word = m.group(0).lower()
        if word.endswith(_TK_LOCATIVE) and not word.startswith(("may", "май")):
            found.append(DateMention(m.start(), m.end(), None, _tk_month(m.group("mon")), None, "month"))
    for rx, kind in _TK_RELATIVE:
        for m in rx.finditer(text):
            shift = _TK_DAY_SHIFT.get(m.group("w").lower(), 0)
            found.append(DateMention(m.start(), m.end(), None, None, None, kind, shift=shift))
    for m in _TK_WEEKDAY.finditer(text):
        w = m.group("wd").lower()
        if w in _TK_SHORT_WEEKDAYS and not m.group("suf"):
            continue
        wd = next(n for n, names in enumerate(_TK_WEEKDAYS) if w in names)
        found.append(DateMention(m.start(), m.end(), None, None, None, "weekday", weekday=wd))
    return found


def is_turkic_day_word(word: str) -> bool:
    """«Kecha», «Кеше», «Бугун», «Сейсенбіде»: a relative day or a weekday, which opens a sentence
    before a name and is never part of one."""
    return any(rx.fullmatch(word) for rx, kind in _TK_RELATIVE if kind == "day") or bool(_TK_WEEKDAY.fullmatch(word))


def valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
        return True
    except ValueError:
        return False


def resolve(d: DateMention, ref: dt.date | None) -> str | None:
    """Resolve a mention against the document's own date; None when it cannot be told."""
    if d.kind in ("date", "month"):
        if d.year:
            return d.text_value
        if ref is None:
            return d.text_value
        year = ref.year
        if d.month and (d.month > ref.month + 1 or d.shift < 0 and d.month >= ref.month):
            year -= 1  # "18 декабря" in a January report is last year's, as 'last May' in a May one
        if d.kind == "month":
            return f"{year:04d}-{d.month:02d}"
        return f"{year:04d}-{d.month:02d}-{d.day:02d}" if valid(year, d.month, d.day) else None
    if ref is None:
        return None
    if d.kind == "day":
        return (ref + dt.timedelta(days=d.shift)).isoformat()
    if d.kind == "weekday":
        back = (ref.weekday() - d.weekday) % 7
        return (ref - dt.timedelta(days=back)).isoformat()
    if d.kind == "relmonth":
        first = ref.replace(day=1) - dt.timedelta(days=1)
        return f"{first.year:04d}-{first.month:02d}"
    return None


def as_date(value: str | None) -> dt.date | None:
    if value and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None
