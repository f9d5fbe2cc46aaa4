"""The cheap tests find_dates makes before its slow scans only skip scans that could not match: the dates
found are the ones every pattern's scan finds (issue 12, point 6: the importer's dates cost less)."""

from __future__ import annotations

import random
import re

import pytest

from briefer.domain import dates
from tests.ingest_snapshot import seed_sentences

FORMS = ["13 September 2025", "May 28, 2025", "September 1st", "early September 2025", "January\u2013February 2025",
         "2025-06-17", "2025\u5e749\u67081\u65e5", "in 2025", "since 2019", "mid-March 2024", "Sept. 3, 2025",
         "Dec 2025", "March of 2025", "March, 2025", "Monday, 5 May 2025", "May 2025", "by 2030", "Jan.-Mar. 2025",
         "the end of June 2025", "June this year", "5 June", "primary 2025", "market 2025", "Mar 3 2025", "of 2025.5",
         "FROM 2024", "IN\u00a02025", "Oct.\u20132025", "Nov ~ Dec 2025", "summary, 2025"]


@pytest.mark.parametrize("default_year", [None, 2025])
def test_the_sharper_tests_before_the_scans_change_no_date_found(monkeypatch: pytest.MonkeyPatch,
                                                                  default_year: int | None) -> None:
    rng = random.Random(3)
    pool = seed_sentences()
    texts = list(pool)
    for _ in range(3000):
        ws = rng.choice(pool).split()
        for _ in range(rng.randint(0, 3)):
            form = rng.choice(FORMS)
            ws.insert(rng.randint(0, len(ws)), form.upper() if rng.random() < 0.1 else form)
        texts.append(" ".join(ws))
    got = [dates.find_dates(t, default_year=default_year) for t in texts]
    sharper = ("month next", "preposition year")
    assert any(n in need for need in dates._NEEDS.values() for n in sharper)
    monkeypatch.setattr(dates, "_NEEDS", {k: tuple(n for n in v if n not in sharper) for k, v in dates._NEEDS.items()})
    every_scan = [dates.find_dates(t, default_year=default_year) for t in texts]
    assert sum(map(len, every_scan)) > 2000
    assert got == every_scan


GLUED = ["amid-March 2025", "within 2025", "Sunday,May 3, 2025", "\u0663 May 2025", "MONDAY 5 MAY 2025", "x2025-06-17",
         "Tuesday , 3 June 2025", "late-late-May 2025", "the start of  April 2025", "remain 2025", "ofof 2019",
         "20192020", "1999-12-31 and 2000-01-01", "Wednesday\u00a0September 3, 2025", "janvier 2025", "Febr 2025",
         "Sept.\u2014Oct. 2025", "theend of May 2025", "early\tMay 2025", "May\u00a05"]


@pytest.mark.parametrize("default_year", [None, 2025])
def test_trying_each_pattern_only_where_a_match_can_start_finds_what_scanning_finds(
        monkeypatch: pytest.MonkeyPatch, default_year: int | None) -> None:
    """find_dates tries a pattern only where one of its first words (case aside) or a digit stands: the
    dates are those of scanning the whole text, with forms glued to words, in capitals, in other digits."""
    rng = random.Random(8)
    pool = seed_sentences()
    texts = list(pool)
    for _ in range(3000):
        ws = rng.choice(pool).split()
        for _ in range(rng.randint(0, 4)):
            form = rng.choice(FORMS + GLUED)
            form = form.upper() if rng.random() < 0.15 else form.lower() if rng.random() < 0.1 else form
            at = rng.randint(0, len(ws))
            if ws and at < len(ws) and rng.random() < 0.3:
                ws[at] += form  # glued to a word
            else:
                ws.insert(at, form)
        texts.append(" ".join(ws))
    got = [dates.find_dates(t, default_year=default_year) for t in texts]
    assert sum(dates._ODD_CASE.search(t) is None for t in texts) > 3000  # nearly all take the narrowed way
    monkeypatch.setattr(dates, "_ODD_CASE", re.compile(""))  # every text scanned by each pattern
    scanned = [dates.find_dates(t, default_year=default_year) for t in texts]
    assert sum(map(len, scanned)) > 3000
    assert got == scanned


def test_only_the_odd_case_characters_match_an_ascii_letter_or_change_length_in_lower_case() -> None:
    """What the narrowed way rests on, for this Python: ignoring case, an ASCII letter matches no character
    outside ASCII but those of _ODD_CASE, and no other character's lower case is longer or ASCII."""
    chars = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    letters = set(re.compile("[a-z]", re.I).findall(chars))
    odd = {c for c in chars if dates._ODD_CASE.match(c)}
    assert {c for c in letters if not c.isascii()} == odd == {"\u0130", "\u0131", "\u017f", "\u212a"}
    assert {c for c in chars if not c.isascii() and (len(c.lower()) != 1 or c.lower().isascii())} <= odd


def test_the_cheap_tests_in_lower_case_answer_as_the_tests_that_ignore_case(monkeypatch: pytest.MonkeyPatch) -> None:
    """find_dates's first tests (a month's name, "this year", a part of a month, a month then a year, a
    preposition then a year) run on the lower-case text without ignoring case unless the text holds one of
    _ODD_CASE: the same answers as the tests that ignore case, on forms in capitals, glued, curly-quoted."""
    rng = random.Random(12)
    pool = seed_sentences()
    texts = list(pool)
    extra = ["\u201cMAY\u201d", "THIS\u00a0YEAR", "This  Year", "BEGINNING OF", "End\tof", "IN\u20032025", "Ju\u0308ly",
             "\u00c9arly", "caf\u00e9", "\u2019Jan\u2019", "SEPT.\u20132025", "\u0130n 2025", "mid\u017f"]
    for _ in range(3000):
        ws = rng.choice(pool).split()
        for _ in range(rng.randint(0, 4)):
            form = rng.choice(FORMS + GLUED + extra)
            form = form.upper() if rng.random() < 0.2 else form.lower() if rng.random() < 0.1 else form
            at = rng.randint(0, len(ws))
            if ws and at < len(ws) and rng.random() < 0.3:
                ws[at] += form
            else:
                ws.insert(at, form)
        texts.append(" ".join(ws))
    lowered = [dates._has(t) for t in texts]
    assert sum(dates._ODD_CASE.search(t) is None for t in texts) > 2500
    assert sum(h is not None and h["month next"] for h in lowered) > 500
    assert sum(h is not None and h["preposition year"] for h in lowered) > 500
    assert sum(h is not None and h["this year"] for h in lowered) > 100
    monkeypatch.setattr(dates, "_ODD_CASE", re.compile(""))  # every text tested by the patterns ignoring case
    assert [dates._has(t) for t in texts] == lowered


def test_lower_case_keeps_what_the_cheap_tests_see_in_every_other_character() -> None:
    """What the lower-case tests rest on, for this Python: outside _ODD_CASE, a character's lower case is one
    character, a word character, a space or a digit exactly when the character is, and ignoring case it
    matches one of the tests' letters, digits and punctuation exactly when its lower case is that one."""
    chars = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    odd = {c for c in chars if dates._ODD_CASE.match(c)}
    lowered = "".join(c.lower() if c not in odd else " " for c in chars)
    plain = "".join(c if c not in odd else " " for c in chars)
    assert len(lowered) == len(plain)
    for cls in (r"\w", r"\s", r"\d"):
        pattern = re.compile(cls)
        assert [m.start() for m in pattern.finditer(lowered)] == [m.start() for m in pattern.finditer(plain)], cls
    literal = "abcdefghijklmnopqrstuvwxyz0123456789.,-~ \u2010\u2011\u2012\u2013\u2014\u2015\u301c"
    for x in literal:
        ignoring = set(re.compile(re.escape(x), re.I).findall(plain))
        assert {c for c, lo in zip(plain, lowered, strict=True) if lo == x} == ignoring, x
