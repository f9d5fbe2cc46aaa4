"""A fact that tells of something to come (its dated event lies after what it was current as of: a plan, a
deadline) is flagged once that date has passed: a briefing of December 2026 said, in the present, that
"the Headquarters' goal is to draft, by the end of 2025, a basic plan".  The export says so (the CLI's
notes and --json flags, the window's quality report); the rule lives in briefer.domain.supersession."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from briefer.domain.supersession import flag_facts, overdue_by

PLAN = "hq-basic-plan-by-end-of-year"  # as of 1 September 2025, tagged date:2025-12


def test_a_plan_is_overdue_once_its_period_has_ended(store) -> None:  # noqa: ANN001
    plan = store.fact(PLAN)
    assert plan.as_of == date(2025, 9, 1) and "date:2025-12" in plan.tags
    assert overdue_by(plan, date(2025, 11, 1)) == ""
    assert overdue_by(plan, date(2025, 12, 31)) == ""  # the month has not ended
    assert overdue_by(plan, date(2026, 1, 1)) == "December 2025"
    # a fact dated in its own year (the newsletter's date:2025, as of May 2025) tells of nothing to come
    same_year = store.fact("risk-uncertain-accountability")
    assert "date:2025" in same_year.tags and overdue_by(same_year, date(2027, 1, 1)) == ""
    # nor does a fact whose date is what it was current as of
    assert overdue_by(store.fact("hq-established-sept-1"), date(2027, 1, 1)) == ""
    flags = flag_facts([PLAN, "hq-established-sept-1"], {f.id: f for f in store.facts()}, date(2026, 12, 4), 120)
    assert [(f.fact_id, f.kind) for f in flags] == [(PLAN, "overdue")]
    assert "December 2025" in flags[0].message


def test_the_cli_export_says_what_is_overdue(cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # noqa: ANN001
    import briefer.commands.export as export_command

    class Later(date):
        @classmethod
        def today(cls) -> date:  # type: ignore[override]
            return date(2026, 12, 4)

    monkeypatch.setattr(export_command, "date", Later)
    r = cli("export", "--template", "one-page-brief", "--out", str(tmp_path / "b.md"), "--no-record-edition")
    assert r.code == 0, r.err
    assert "note: 1 fact is about something due by a date that has passed: check what happened" in r.err
    r = cli("export", "--template", "one-page-brief", "--out", str(tmp_path / "c.md"), "--no-record-edition",
            "--json")
    flags = json.loads(r.out)["flags"]
    assert {"fact_id": PLAN, "kind": "overdue"}.items() <= next(f for f in flags if f["kind"] == "overdue").items()


def test_the_quality_report_lists_what_is_overdue(qapp, store) -> None:  # noqa: ANN001
    from briefer.domain.briefing import Briefing, BriefingSection, FactItem
    from briefer.domain.document import resolve
    from briefer.ui.briefing_model import BriefingDoc
    from briefer.ui.quality import build_report

    b = Briefing(sections=[BriefingSection(section="hq-structure", items=[FactItem(fact_id=PLAN)])])
    doc = BriefingDoc(b, store_sections=store.sections(), facts={PLAN: store.fact(PLAN)})
    document = resolve(b, store, today=date(2026, 12, 4))
    text = build_report(doc, document, today=date(2026, 12, 4)).to_text()
    assert "1 fact is about something due by a date that has passed" in text and "(due by December 2025)" in text
    assert "due by" not in build_report(doc, document, today=date(2025, 11, 1)).to_text()
