"""The cheap tests find_dates makes before its slow scans only skip scans that could not match: the dates
found are the ones every pattern's scan finds (issue 12, point 6: the importer's dates cost less)."""

from __future__ import annotations

import random

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
