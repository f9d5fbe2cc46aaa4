"""Golden files: the normalised XML of a small fixed briefing.

A change to the renderer or the reference styles that alters the output shows
up here as a diff.  When the change is intended, regenerate the goldens and
review the diff before committing:

    BRIEFER_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_export_golden.py
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from export_support import TODAY, normalised, part, small_briefing, small_store

from briefer.domain.document import resolve
from briefer.export import export_briefing

GOLDEN = Path(__file__).parent / "golden"
PARTS = {"document.xml": "word/document.xml", "footnotes.xml": "word/footnotes.xml", "styles.xml": "word/styles.xml",
         "header1.xml": "word/header1.xml", "footer1.xml": "word/footer1.xml"}


@pytest.mark.parametrize("golden", list(PARTS))
def test_docx_parts_match_golden(tmp_path: Path, golden: str) -> None:
    store = small_store(tmp_path / "d")
    out = tmp_path / "b.docx"
    export_briefing(resolve(small_briefing(), store, today=TODAY), out)
    got = normalised(part(out, PARTS[golden]))
    path = GOLDEN / golden
    if os.environ.get("BRIEFER_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
    want = path.read_text(encoding="utf-8")
    if got != want:
        diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "golden", "now", n=2))
        pytest.fail(f"{golden} differs from the golden file (see the module docstring to regenerate):\n{diff[:4000]}")


def test_core_properties_timestamps_are_ignored(tmp_path: Path) -> None:
    store = small_store(tmp_path / "d")
    out = tmp_path / "b.docx"
    export_briefing(resolve(small_briefing(), store, today=TODAY), out)
    core = normalised(part(out, "docProps/core.xml"))
    assert "TIMESTAMP" in core and "Japan\u2019s AI Governance" in core
