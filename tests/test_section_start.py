"""A briefing started from sections (briefer.domain.section_start, issue 14 point 7): the most
important facts of the chosen sections that fit the default budget, not every fact they hold; the
same rule behind the window's first-start panel and ``briefer briefing new --sections``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from briefer.domain.section_start import (
    CORE_SECTIONS,
    DEFAULT_PAGES,
    default_sections,
    prepare_from_sections,
    sections_template,
)
from briefer.errors import KnownError

TODAY = date(2026, 12, 1)


# -- the core rule -----------------------------------------------------------------------------


def test_the_core_sections_are_ticked_first(store) -> None:  # noqa: ANN001
    ids = [s.id for s in store.sections()]
    assert default_sections(ids) == list(CORE_SECTIONS)
    assert set(CORE_SECTIONS) <= set(ids)  # the seed pack has them all
    assert default_sections(["a", "b", "c", "d", "e"]) == ["a", "b", "c", "d"]  # another store: its first four


def test_four_sections_give_the_most_important_facts_that_fit_the_budget(store) -> None:  # noqa: ANN001
    from briefer.domain.document import resolve
    from briefer.domain.pages import estimate

    everything = sum(n for sid, n in store.section_counts().items() if sid in CORE_SECTIONS)
    exp = prepare_from_sections(store, list(CORE_SECTIONS), today=TODAY)
    b = exp.briefing
    assert [s.section for s in b.sections] == list(CORE_SECTIONS)
    assert all(len(s.items) >= 3 for s in b.sections)  # every section has its share, not one fact
    n = len(b.fact_ids())
    assert 12 <= n < everything / 2  # a note, not the 101 facts the sections hold
    reading = exp.selection.reading(store, None)
    assert estimate(resolve(b, reading, today=TODAY)).pages <= DEFAULT_PAGES  # type: ignore[arg-type]
    # the most important: no current fact left out of a section outranks every one kept in it
    for s in exp.selection.sections:
        kept = [exp.selection.facts[f].priority for f in s.fact_ids]
        left = [f.priority for f in store.facts() if f.section == s.template_section.section
                and f.id not in s.fact_ids and f.status.value in ("current", "disputed")]
        assert left and max(left) <= min(kept) + 1 and max(kept) >= max(left)


def test_the_chosen_sections_go_in_the_stores_order_and_bad_choices_are_refused(store) -> None:  # noqa: ANN001
    t = sections_template(store, ["risks", "law-summary", "risks"])
    assert [s.section for s in t.sections] == ["law-summary", "risks"]
    with pytest.raises(KnownError, match="at least one section"):
        sections_template(store, [])
    with pytest.raises(KnownError, match="no section 'nope'"):
        sections_template(store, ["risks", "nope"])


def test_the_cli_makes_the_same_briefing(cli, store, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "first.briefing.json"
    r = cli("briefing", "new", str(path), "--sections", ",".join(CORE_SECTIONS))
    assert r.code == 0, r.err
    assert "4 sections, the 24 most important facts that fit 5 pages" in r.out
    data = json.loads(cli("briefing", "check", str(path), "--json").out)
    assert data["sections"] == 4 and len(data["facts"]) == 24 and data["warnings"] == []
    expected = prepare_from_sections(store, list(CORE_SECTIONS), today=date.today()).briefing.fact_ids()
    assert data["facts"] == expected  # one rule: the window's panel makes exactly these
    bad = cli("briefing", "new", str(tmp_path / "bad.briefing.json"), "--sections", "risks,nope")
    assert bad.code == 2 and bad.err.count("\n") == 1 and "no section 'nope'" in bad.err
    assert not (tmp_path / "bad.briefing.json").exists()
    both = cli("briefing", "new", str(tmp_path / "x.briefing.json"), "--sections", "risks", "--template", "risk-watch")
    assert both.code == 2 and "not allowed with" in both.err
