"""Finding dates written in prose: "13 September 2025", "May 28, 2025",
"September 1st", "early September 2025", "January–February 2025", "2025-06-17",
"2025年9月1日".  Each mention becomes a span of days with its precision, so
"February 2025" and "January–February 2025" can be told apart while
"September 1" and "early September 2025" are seen to agree.

Pure functions, no I/O; used by the importer (datelines, ``as_of``
suggestions) and by the conflict finder (different dates for one event).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date
from functools import cache

from briefer.model.plain import Frozen

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MON = r"(?P<{n}>January|February|March|April|May|June|July|August|September|October|November|December|" \
       r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
_DAY = r"(?P<{n}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{n}>(?:19|20)\d\d)"
_DASH = r"\s*[-\u2010-\u2015~\u301c]\s*"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\s*,?\s*)?"
_PART = r"(?P<part>early|mid|late|the end of|end of|the beginning of|beginning of|the start of|start of)[\s-]+"


#: English month names, spelled out here: ``strftime("%B")`` follows the C library's LC_TIME, which
#: Qt sets from the desktop (QCoreApplication calls ``setlocale(LC_ALL, "")``), so a French desktop
#: would turn "13 September 2025" into "13 septembre 2025" once the window had started
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")


def month_name(d: date) -> str:
    """The English name of ``d``'s month, whatever the machine's locale."""
    return MONTH_NAMES[d.month - 1]


def day_month_year(d: date) -> str:
    """``13 September 2025``, whatever the machine's locale."""
    return f"{d.day} {month_name(d)} {d.year}"


def date_in_words(when: date, precision: str) -> str:
    """``when`` as precisely as it is known: "1 September 2025", "December 2025" or "2025"."""
    if precision == "day":
        return day_month_year(when)
    return f"{month_name(when)} {when.year}" if precision == "month" else str(when.year)


def period_end(when: date, precision: str) -> date:
    """The last day of the day, month or year ``when`` stands for."""
    if precision == "year":
        return date(when.year, 12, 31)
    return _month_span(when.year, when.month)[1] if precision == "month" else when


def _f(template: str, **names: str) -> str:
    out = template
    for key, n in names.items():
        out = out.replace("{" + key + "}", n)
    return out


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    """The date patterns, compiled on first use: an export, which only prints dates, never pays for them."""
    return [(kind, re.compile(pattern, flags)) for kind, pattern, flags in _PATTERN_SOURCES]


_PATTERN_SOURCES: list[tuple[str, str, int]] = [
    ("iso", r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)", 0),
    ("ja", r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>1[0-2]|0?[1-9])\s*月(?:\s*(?P<d>[0-3]?\d)\s*日)?", 0),
    ("dmy", _WEEKDAY + _DAY.format(n="d") + r"\s+" + _MON.format(n="m") + r",?\s+" + _YEAR.format(n="y")
     + r"(?!\d)", re.I),
    ("mdy", _WEEKDAY + _MON.format(n="m") + r"\s+" + _DAY.format(n="d") + r"(?:,\s*|\s+)"
     + _YEAR.format(n="y") + r"(?!\d)", re.I),
    ("mrange", _MON.format(n="m") + _DASH + _MON.format(n="m2") + r",?\s+" + _YEAR.format(n="y"), re.I),
    ("my", r"(?:" + _PART + r")?" + _MON.format(n="m") + r"(?:\s+of)?,?\s+" + _YEAR.format(n="y")
     + r"(?!\d)", re.I),
    ("mthis", r"(?:" + _PART + r")?" + _MON.format(n="m") + r"\s+(?:of\s+)?this\s+year", re.I),
    ("md", _MON.format(n="m") + r"\s+" + _DAY.format(n="d") + r"(?![\d:])", re.I),
    ("dm", r"(?<![\d.])" + _DAY.format(n="d") + r"\s+" + _MON.format(n="m") + r"(?!\w)", re.I),
    ("pm", _PART + _MON.format(n="m") + r"(?!\w)", re.I),
    ("year", r"(?:" + _PART + r")?(?:in|of|since|by|until|from)\s+(?P<y>(?:19|20)\d\d)(?![\d,.]\d)", re.I),
]


class DateMention(Frozen):
    _fields = ("start", "end", "text", "first", "last", "precision", "year_inferred")
    start: int
    end: int
    text: str
    first: date
    last: date
    #: "day", "part" (early/mid/late month), "month", "months" (a range of months) or "year"
    precision: str
    #: True when the year was not written and was taken from context
    year_inferred: bool

    def __init__(self, start: int, end: int, text: str, first: date, last: date, precision: str,
                       year_inferred: bool = False) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "first", first)
        object.__setattr__(self, "last", last)
        object.__setattr__(self, "precision", precision)
        object.__setattr__(self, "year_inferred", year_inferred)

    def overlaps(self, other: DateMention) -> bool:
        return self.first <= other.last and other.first <= self.last

    def contains(self, other: DateMention) -> bool:
        return self.first <= other.first and other.last <= self.last

    def agrees_with(self, other: DateMention) -> bool:
        """Whether two mentions can describe the same date.  A finer mention
        inside a coarser one agrees ("September 1" in "early September");
        two different spans of the same precision do not ("February 2025"
        against "January–February 2025" are both month spans)."""
        if (self.first, self.last) == (other.first, other.last):
            return True
        if not self.overlaps(other):
            return False
        rank = {"day": 0, "part": 1, "month": 2, "months": 2, "year": 4}
        a, b = rank[self.precision], rank[other.precision]
        if a == b:
            return False
        fine, coarse = (self, other) if a < b else (other, self)
        return coarse.contains(fine)

    @property
    def label(self) -> str:
        if self.precision == "day":
            return day_month_year(self.first)
        if self.precision == "month":
            return f"{month_name(self.first)} {self.first.year}"
        if self.precision == "months":
            return f"{month_name(self.first)}\u2013{month_name(self.last)} {self.last.year}"
        if self.precision == "part":
            return self.text
        return str(self.first.year)


def _month(s: str) -> int:
    return MONTHS[s.lower().rstrip(".")]


def _month_span(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _part_span(part: str, y: int, m: int) -> tuple[date, date]:
    last = calendar.monthrange(y, m)[1]
    p = part.lower()
    if "early" in p or "beginning" in p or "start" in p:
        return date(y, m, 1), date(y, m, 10)
    if "mid" in p:
        return date(y, m, 10), date(y, m, 20)
    return date(y, m, 20), date(y, m, last)


#: what each pattern cannot match without (cheap tests run once per text)
_NEEDS: dict[str, tuple[str, ...]] = {
    "iso": ("year",), "ja": ("ja", "year"), "dmy": ("month", "year", "month next"),
    "mdy": ("month", "year", "month next"), "mrange": ("month", "year", "month next"),
    "my": ("month", "year", "month next"), "mthis": ("month", "this year"), "md": ("month", "digit"),
    "dm": ("month", "digit"), "pm": ("month", "part"), "year": ("year", "preposition year"),
}
_MONTHISH = re.compile(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", re.I)
_YEARISH = re.compile(r"(?:19|20)\d\d")
_DIGIT = re.compile(r"\d")
_THIS_YEAR = re.compile(r"this\s+year", re.I)
_PARTISH = re.compile(r"early|mid|late|end\s+of|beginning\s+of|start\s+of", re.I)
#: in every match of dmy, mdy, mrange and my a month name is followed by a year, a day or a dash
_MONTH_NEXT = re.compile(_MON.format(n="m").replace("(?P<m>", "(?:")
                         + r"(?:(?:\s+of)?,?\s+(?:19|20)\d\d|\s+\d|\s*[-\u2010-\u2015~\u301c])", re.I)
#: in every match of the pattern "year", a preposition stands before the year
_PREPOSITION_YEAR = re.compile(r"(?:in|of|since|by|until|from)\s+(?:19|20)\d\d", re.I)
_ANY = re.compile(r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I)


def _lower_pattern(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` (which ignores case) for text in lower case, not ignoring case: its letters in lower case
    (it has no escape that lower case would change, such as ``\\S`` or ``\\D``)."""
    assert pattern.flags & re.I and not re.search(r"\\[A-Z]", pattern.pattern), pattern.pattern
    return re.compile(pattern.pattern.lower())


#: the tests above without IGNORECASE, for the lower case of a text without a character of :data:`_ODD_CASE`:
#: there they find what the originals find in the text (every other character keeps its length, whether it is
#: a word character, a space or a digit, and is one of the tests' letters, digits or punctuation, ignoring
#: case, exactly when its lower case is that character; a test checks each), and far faster (a pattern that
#: ignores case is tried at every position; one that does not skips ahead to where its first characters are)
_LOWER_TESTS = {name: _lower_pattern(p) for name, p in (
    ("any", _ANY), ("month", _MONTHISH), ("this year", _THIS_YEAR), ("part", _PARTISH), ("month next", _MONTH_NEXT),
    ("preposition year", _PREPOSITION_YEAR))}
#: patterns without a year (then ``default_year`` is taken, and without one they find nothing)
_MAY_LACK_YEAR = frozenset({"mthis", "md", "dm", "pm"})


#: what every match of each pattern starts with: the lower-case words of :data:`_LEADS`, or a digit
_STARTS: dict[str, tuple[str, ...]] = {
    "iso": ("century",), "ja": ("century",), "dmy": ("weekday", "digit"), "mdy": ("weekday", "month"),
    "mrange": ("month",), "my": ("part", "month"), "mthis": ("part", "month"), "md": ("month",), "dm": ("digit",),
    "pm": ("part",), "year": ("part", "preposition"),
}
_LEADS: dict[str, tuple[str, ...]] = {
    # every spelling _MON allows starts with one of these; _WEEKDAY's days, _PART's parts, the prepositions of
    # the pattern "year" and a year's first two digits likewise
    "month": ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    "weekday": ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun"),
    "part": ("early", "mid", "late", "the end of", "end of", "the beginning of", "beginning of", "the start of",
             "start of"),
    "preposition": ("in", "of", "since", "by", "until", "from"),
    "century": ("19", "20"),
}
#: the only characters besides ASCII letters that an ASCII letter matches when case is ignored (Python's
#: ``re.IGNORECASE``); the dotted capital I is also the one character whose lower case is two
_ODD_CASE = re.compile("[\u0130\u0131\u017f\u212a]")


class _Starts:
    """Where in a text a pattern's matches can start, so each pattern is tried there alone (a string search
    finds them) instead of at every position of the text: the same matches ``finditer`` gives.

    Every match of a pattern starts with one of the words its kind lists in :data:`_STARTS` (case aside)
    or a digit.  Without the characters of :data:`_ODD_CASE`, lower case keeps every offset, and a word
    stands in the lower-case text exactly where the pattern, ignoring case, can match it; with them, the
    patterns scan the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lowered = None if _ODD_CASE.search(text) else text.lower()
        self._found: dict[str, list[int]] = {}

    def _at(self, lead: str) -> list[int]:
        got = self._found.get(lead)
        if got is None:
            if lead == "digit":
                got = [m.start() for m in _DIGIT.finditer(self.text)]
            else:
                got = []
                find = self.lowered.find  # type: ignore[union-attr]
                for word in _LEADS[lead]:
                    at = find(word)
                    while at >= 0:
                        got.append(at)
                        at = find(word, at + 1)
            self._found[lead] = got
        return got

    def matches(self, kind: str, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text)``: the first match at or after the end of the last, tried where one can start."""
        if self.lowered is None:
            yield from pattern.finditer(self.text)
            return
        starts = sorted({at for lead in _STARTS[kind] for at in self._at(lead)})
        text = self.text
        end = 0
        for at in starts:
            if at >= end:
                m = pattern.match(text, at)
                if m is not None:
                    yield m
                    end = m.end()  # no match is empty


def _has(text: str) -> dict[str, bool] | None:
    """What the patterns of :func:`find_dates` need that ``text`` holds (see :data:`_NEEDS`); None when it
    holds neither a digit nor a month's name, and then no pattern can match."""
    if not _ODD_CASE.search(text):
        # the same answers from the lower-case text and tests that do not ignore case (:data:`_LOWER_TESTS`)
        low = text.lower()
        tests = _LOWER_TESTS
        if not tests["any"].search(low):
            return None
        month, this_year, part = (tests[k].search(low) is not None for k in ("month", "this year", "part"))
        year = _YEARISH.search(text) is not None
        has = {"month": month, "year": year, "digit": _DIGIT.search(text) is not None, "ja": "\u5e74" in text,
               "this year": this_year, "part": part}
        has["month next"] = month and year and tests["month next"].search(low) is not None
        has["preposition year"] = year and tests["preposition year"].search(low) is not None
        return has
    if not _ANY.search(text):
        return None
    has = {"month": _MONTHISH.search(text) is not None, "year": _YEARISH.search(text) is not None,
           "digit": _DIGIT.search(text) is not None, "ja": "\u5e74" in text,
           "this year": _THIS_YEAR.search(text) is not None, "part": _PARTISH.search(text) is not None}
    # sharper tests, made only where the coarse ones pass (each saves up to four slow scans)
    has["month next"] = has["month"] and has["year"] and _MONTH_NEXT.search(text) is not None
    has["preposition year"] = has["year"] and _PREPOSITION_YEAR.search(text) is not None
    return has


def find_dates(text: str, *, default_year: int | None = None) -> list[DateMention]:
    """Every date mention in ``text``, longest match first where two overlap,
    in text order.  Mentions without a year ("September 1") get
    ``default_year`` and are skipped when it is None."""
    has = _has(text)
    if has is None:
        return []
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    starts = _Starts(text)
    for kind, pat in _patterns():
        # a pattern whose required words are not in the text cannot match: skip its (slow) scan; nor can
        # one without a year when there is no default year
        if not all(has[need] for need in _NEEDS[kind]) or (default_year is None and kind in _MAY_LACK_YEAR):
            continue
        for m in starts.matches(kind, pat):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            g = m.groupdict()
            inferred = False
            try:
                y = int(g["y"]) if g.get("y") else default_year
                if y is None:
                    continue
                inferred = not g.get("y")
                if kind in ("iso", "dmy", "mdy", "md", "dm") or (kind == "ja" and g.get("d")):
                    mon = int(g["m"]) if kind in ("iso", "ja") else _month(g["m"])
                    d = date(y, mon, int(g["d"]))
                    first, last, precision = d, d, "day"
                elif kind == "ja":
                    first, last = _month_span(y, int(g["m"]))
                    precision = "month"
                elif kind == "mrange":
                    m1, m2 = _month(g["m"]), _month(g["m2"])
                    if m2 < m1:
                        continue
                    first, last = _month_span(y, m1)[0], _month_span(y, m2)[1]
                    precision = "months"
                elif kind in ("my", "pm", "mthis"):
                    mon = _month(g["m"])
                    if g.get("part"):
                        first, last = _part_span(g["part"], y, mon)
                        precision = "part"
                    else:
                        first, last = _month_span(y, mon)
                        precision = "month"
                else:  # year
                    first, last, precision = date(y, 1, 1), date(y, 12, 31), "year"
                    s = m.start("y")
            except (ValueError, KeyError):
                continue
            if kind == "md" and g["m"].lower().rstrip(".") == "may" and not re.match(r"\d", text[m.start("d"):]):
                continue
            taken.append((s, e))
            out.append(DateMention(s, e, text[s:e], first, last, precision, inferred))
    out.sort(key=lambda d: d.start)
    return out


def parse_date(value: str) -> date | None:
    """A single date from a metadata value ("2025-06-17 12:00:00 +0800",
    "Saturday , 13 September 2025", "2025-09-13T08:00:00Z"); None if none."""
    value = value.strip()
    m = re.match(r"((?:19|20)\d\d)-(\d\d)-(\d\d)", value)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    for d in find_dates(value):
        if d.precision == "day":
            return d.first
    return None


_DATELINE_SOURCE = (
    r"^\s*(?:(?:Published|Posted|Updated|Date|Dateline)\s*:?\s*)?" + _WEEKDAY
    + r"(?:[0-3]?\d(?:st|nd|rd|th)?\s+[A-Za-z]+\.?,?\s+(?:19|20)\d\d|[A-Za-z]+\.?\s+[0-3]?\d(?:st|nd|rd|th)?,?\s+"
      r"(?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d)(?:[ ,]+\d\d?:\d\d(?:\s*[AP]M)?(?:\s*[A-Z]{2,4})?)?\s*$"
)


@cache
def _dateline_pattern() -> re.Pattern[str]:
    return re.compile(_DATELINE_SOURCE, re.I)


def dateline(line: str) -> date | None:
    """The date of a line that is nothing but a date (a page dateline), else None."""
    if len(line) > 60 or not _dateline_pattern().match(line):
        return None
    return parse_date(line)
