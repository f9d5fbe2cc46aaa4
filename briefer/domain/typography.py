"""Typographic quotes and apostrophes: what a typesetter would print for the
straight ``"`` and ``'`` that facts, sources and analysts type.

Every renderer passes its text through :func:`smart_quotes` where it escapes
it, so no path (a section title, a glossary name, an analyst's override) can
bring a straight quote into a briefing.
"""

from __future__ import annotations

import re
from functools import cache

# The patterns are compiled when first used, not when the module is imported: the window's start imports it
# (for count) and needs none of them before the library is filled (~20 M instructions to compile).


@cache
def _open_quotes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A quote is an opening one at the start or after a space, an opening bracket or a dash: the double's
    pattern, and the single's."""
    return (re.compile(r"(^|[\s(\[{\u2014\u2013/\u2018-])\""),
            re.compile(r"(^|[\s(\[{\u2014\u2013/\u201c-])'(?=\S)(?!\d\ds?\b)"))


def smart_quotes(text: str) -> str:
    """``text`` with ``"`` as \u201c \u201d and ``'`` as \u2018 \u2019 (an apostrophe is a closing quote)."""
    if '"' not in text and "'" not in text:
        return text
    open_double, open_single = _open_quotes()
    text = open_double.sub("\\1\u201c", text).replace('"', "\u201d")
    return open_single.sub("\\1\u2018", text).replace("'", "\u2019")


def nested_quotes(text: str) -> str:
    """``text`` made ready to stand inside double quotes: its own double quotes become single ones, as a
    typesetter nests them (\u201cdiscussed in the \u2018Dialogue on the Digital Economy.\u2019\u201d, not
    \u201c\u2026Economy.\u201d\u201d)."""
    if '"' not in text and "\u201c" not in text and "\u201d" not in text:
        return text
    return smart_quotes(text).replace("\u201c", "\u2018").replace("\u201d", "\u2019")


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends with a full stop, question or exclamation mark or ellipsis, inside closing
    quotes and brackets or not (\u201c\u2026Economy.\u2019\u201d ends one)."""
    return text.rstrip("\u2019\u201d'\")]").endswith((".", "?", "!", "\u2026"))


_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December"
           "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")


@cache
def _date_spaces() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The space between a day and its month, and between a month and its year."""
    return (re.compile(rf"(?<![\w.,])(\d{{1,2}}) (?=(?:{_MONTHS})\b)"),
            re.compile(rf"\b((?:{_MONTHS})\.?) (?=\d{{4}}\b)"))


def unbroken_dates(text: str) -> str:
    """``text`` with a date's day, month and year joined by no-break spaces, so a title never ends a
    line on "— 2" with "December 2026" on the next."""
    day_month, month_year = _date_spaces()
    return month_year.sub("\\1\u00a0", day_month.sub("\\1\u00a0", text))


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 page``, ``2 pages``, ``1,200 words``: a number and its noun, agreeing (one rule, so no
    "1 pages" anywhere)."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"
