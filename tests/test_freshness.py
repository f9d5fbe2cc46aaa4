"""Staleness against a fixed "today", the configurable horizon, and
supersession flags on briefings that use an old fact."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from briefer.domain import curation
from briefer.domain.briefing import Briefing, BriefingSection, FactItem
from briefer.domain.freshness import age_months, cutoff, is_stale, months_before, stale_facts
from briefer.domain.models import Fact
from briefer.domain.supersession import flag_briefing

TODAY = date(2026, 6, 30)


def _fact(fid: str, as_of: date, **kw) -> Fact:
    return Fact(id=fid, section="risks", statement="A statement long enough.", as_of=as_of,
                citations=[{"source": "news-kiuchi-hq", "quote": "Minoru Kiuchi"}], **kw)


def test_months_before_handles_month_ends_and_leap_years():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert months_before(date(2026, 1, 15), 13) == date(2024, 12, 15)
    assert cutoff(TODAY) == date(2025, 6, 30)
    assert months_before(date(2026, 1, 31), 1) == date(2025, 12, 31)  # into December of the year before


def test_months_before_agrees_with_the_calendar_on_every_day_of_four_years():
    import calendar

    day = date(2023, 1, 1)
    while day.year < 2027:
        for months in (0, 1, 2, 11, 12, 13, 25):
            total = day.year * 12 + day.month - 1 - months
            year, month = total // 12, total % 12 + 1
            want = date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
            assert months_before(day, months) == want, (day, months)
        day += timedelta(days=1)


def test_stale_exactly_at_the_horizon():
    assert not is_stale(_fact("on-the-day", date(2025, 6, 30)), TODAY)
    assert is_stale(_fact("day-before", date(2025, 6, 29)), TODAY)
    assert not is_stale(_fact("day-before", date(2025, 6, 29)), TODAY, horizon_months=24)
    assert is_stale(_fact("recent", date(2026, 3, 1)), TODAY, horizon_months=3)


def test_stale_facts_oldest_first_and_superseded_left_out():
    facts = [_fact("bb", date(2024, 1, 1)), _fact("aa", date(2020, 5, 1)), _fact("new", date(2026, 6, 1)),
             _fact("gone", date(2019, 1, 1), status="superseded", superseded_by="bb")]
    assert [s.fact_id for s in stale_facts(facts, TODAY)] == ["aa", "bb"]
    assert [s.fact_id for s in stale_facts(facts, TODAY, include_superseded=True)] == ["gone", "aa", "bb"]
    assert age_months(date(2020, 5, 1), TODAY) == 73


def test_store_seed_pack_against_fixed_days(store):
    facts = store.facts()
    assert not any(is_stale(f, date(2025, 12, 1)) for f in facts if f.as_of >= date(2025, 1, 1))
    stale_2025 = {s.fact_id for s in stale_facts(facts, date(2025, 10, 1))}
    assert "bg-ai-strategy-2017" in stale_2025 and "hq-established-sept-1" not in stale_2025
    assert len(stale_facts(facts, date(2027, 1, 1))) == len([f for f in facts if f.status != "superseded"])


def test_horizon_from_settings_and_environment(cli, data_dir, monkeypatch):
    r = cli("config", "--stale-months", "36", "--json")
    assert json.loads(r.out)["stale_after_months"] == 36
    data = json.loads(cli("facts", "check", "--json", "--today", "2026-06-30").out)
    assert data["stale_after_months"] == 36
    assert {s["id"] for s in data["stale"]} >= {"bg-ai-strategy-2017"}
    assert "hq-established-sept-1" not in {s["id"] for s in data["stale"]}
    monkeypatch.setenv("BRIEFER_STALE_MONTHS", "6")
    data = json.loads(cli("facts", "check", "--json", "--today", "2026-06-30").out)
    assert data["stale_after_months"] == 6 and "hq-established-sept-1" in {s["id"] for s in data["stale"]}
    monkeypatch.setenv("BRIEFER_STALE_MONTHS", "soon")
    r = cli("facts", "check")
    assert r.code == 2 and "whole number of months" in r.err
    assert cli("config", "--stale-months", "0").code == 2


def test_facts_list_stale_filter(cli):
    stale = json.loads(cli("facts", "list", "--stale", "--json").out)
    assert stale and all(date.fromisoformat(f["as_of"]) < cutoff(date.today()) for f in stale)


# -- supersession -----------------------------------------------------------------------------


def _new_fact(store) -> Fact:
    return curation.add_fact(store, curation.build_fact(
        id="hq-established-sept-1-2025", section="hq-structure",
        statement="The AI Strategy Headquarters was set up on 1 September 2025 within the Cabinet Office.",
        citations=[{"source": "news-kiuchi-hq", "quote": "Established on September 1 within the Cabinet Office"}],
        as_of=date(2025, 9, 1)), analyst="Ana")


def test_supersession_links_both_ways_and_flags_a_briefing(store):
    new = _new_fact(store)
    curation.supersede(store, "hq-established-sept-1", new.id, reason="Restated with the year.", analyst="Ana")
    old = store.fact("hq-established-sept-1")
    assert old.status == "superseded" and old.superseded_by == new.id and "Restated with the year." in old.notes
    assert curation.supersedes(store, new.id) == ["hq-established-sept-1"]
    briefing = Briefing(sections=[BriefingSection(section="hq-structure", items=[
        FactItem(fact_id="hq-established-sept-1"), FactItem(fact_id="ai-act-penalties-disputed"),
        FactItem(fact_id="no-such-fact")])])
    facts = {f.id: f for f in store.facts()}
    flags = {f.fact_id: f for f in flag_briefing(briefing, facts, date(2025, 10, 1))}
    assert flags["hq-established-sept-1"].kind == "superseded"
    assert flags["hq-established-sept-1"].replacement == new.id
    assert flags["ai-act-penalties-disputed"].kind == "disputed"
    assert "hq-head-disputed" not in flags  # one report contradicting itself is not a dispute
    assert flags["no-such-fact"].kind == "missing"
    stale = curation.briefing_flags(store, briefing.fact_ids(), date(2027, 1, 1), 12)
    assert any(f.kind == "stale" and f.fact_id == "ai-act-penalties-disputed" for f in stale)


def test_supersession_chain_names_the_newest(store):
    new = _new_fact(store)
    curation.supersede(store, "hq-established-sept-1", new.id, reason="newer", analyst="Ana")
    newer = curation.add_fact(store, curation.build_fact(
        id="hq-established-newest", section="hq-structure",
        statement="Japan set up the AI Strategy Headquarters on 1 September 2025.",
        citations=[{"source": "news-hq-established", "quote": "officially established the AI Strategy Headquarters"}],
        as_of=date(2025, 9, 13)), analyst="Ana")
    curation.supersede(store, new.id, newer.id, reason="newest", analyst="Ana")
    flags = curation.briefing_flags(store, ["hq-established-sept-1"], date(2025, 10, 1), 12)
    assert flags[0].replacement == "hq-established-newest"


def test_supersession_refuses_loops_and_missing_targets(store):
    new = _new_fact(store)
    curation.supersede(store, "hq-established-sept-1", new.id, reason="newer", analyst="Ana")
    with pytest.raises(Exception, match="loop"):
        curation.supersede(store, new.id, "hq-established-sept-1", reason="back", analyst="Ana")
    with pytest.raises(Exception, match="no fact"):
        curation.supersede(store, new.id, "nope", reason="x", analyst="Ana")
    with pytest.raises(Exception, match="reason"):
        curation.supersede(store, new.id, "hq-aims", reason="", analyst="Ana")


def test_cli_supersede_and_show(cli, store):
    _new_fact(store)
    r = cli("facts", "supersede", "hq-established-sept-1", "hq-established-sept-1-2025", "--reason", "with year")
    assert r.code == 0, r.err
    out = cli("facts", "show", "hq-established-sept-1-2025").out
    assert "supersedes: hq-established-sept-1" in out
    out = cli("facts", "show", "hq-established-sept-1").out
    assert "superseded by: hq-established-sept-1-2025" in out
    data = json.loads(cli("facts", "check", "--json").out)
    assert {"id": "hq-established-sept-1", "superseded_by": "hq-established-sept-1-2025"} in data["superseded"]
