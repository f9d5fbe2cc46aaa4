"""Golden file: what each built-in template's length budget picks from the shipped fact pack.

The budget fitting is tuned for speed (fewer layouts, work shared between them); that must never change
what an export holds.  For every built-in template, on two dates, as a first edition and as the next one
(which has a "What's new" section to make room for), this records the facts chosen in each section, the
key points, every fact left out with why, and the warnings.  When a change to the selection is
intended, regenerate and review the diff before committing:

    BRIEFER_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_budget_golden.py
"""

from __future__ import annotations

import difflib
import json
import os
from datetime import date
from pathlib import Path

import pytest

from briefer.domain.templates import begin_template_export

GOLDEN = Path(__file__).parent / "golden" / "budget_selection.json"
BUILTINS = ["compendium", "full-briefing", "one-page-brief", "risk-watch", "us-japan-cooperation"]
DAYS = [date(2025, 10, 1), date(2026, 11, 21)]


def _selection(store: object, data_dir: Path, name: str, today: date) -> dict[str, object]:
    job = begin_template_export(store, data_dir, name, today=today)  # type: ignore[arg-type]
    sel = job.selection
    return {
        "title": job.briefing.cover.title,
        "sections": [[s.section, [i.fact_id for i in s.items]] for s in job.briefing.sections],  # type: ignore[union-attr]
        "key_points": list(job.briefing.key_points),
        "left_out": [[fid, sel.trimmed_why.get(fid, "")] for fid in sel.trimmed] if sel is not None else [],
        "warnings": list(job.warnings),
        "whats_new": job.briefing.whats_new.model_dump(mode="json") if job.briefing.whats_new else None,
    }


def _all(store: object, data_dir: Path) -> dict[str, object]:
    out: dict[str, object] = {}
    for name in BUILTINS:
        for today in DAYS:
            first = _selection(store, data_dir, name, today)
            job = begin_template_export(store, data_dir, name, today=today)  # type: ignore[arg-type]
            job.record()  # the next run is a later edition, with what changed since this one
            out[f"{name} {today} first"] = first
            out[f"{name} {today} next"] = _selection(store, data_dir, name, today)
    return out


def test_budget_picks_what_the_golden_file_records(store: object, data_dir: Path) -> None:
    got = json.dumps(_all(store, data_dir), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if os.environ.get("BRIEFER_UPDATE_GOLDEN"):
        GOLDEN.write_text(got, encoding="utf-8")
    want = GOLDEN.read_text(encoding="utf-8")
    if got != want:
        diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "golden", "now", n=2))
        pytest.fail(f"the fitted selection differs from the golden file (see the module docstring):\n{diff[:6000]}")
