"""The file names Save as and Export propose: a dated title gets no second date (Save as proposed
"U-S-Japan-Cooperation-on-AI-4-December-2026-2026-12-04.briefing.json"), and "U.S." is not split."""

from __future__ import annotations

from pathlib import Path

from window_support import TODAY, open_window, shut_windows  # noqa: F401 - autouse

from briefer.ui import filedialogs
from briefer.ui.file_controller import export_stem, safe_name


def test_a_title_makes_a_readable_stem() -> None:
    assert safe_name("U.S.\u2013Japan Cooperation on AI \u2014 4 December 2026") == \
        "US-Japan-Cooperation-on-AI-4-December-2026"
    assert safe_name("Japan\u2019s AI Governance: one-page brief") == "Japans-AI-Governance-one-page-brief"
    assert safe_name("   ") == "briefing"


def test_save_as_and_export_propose_one_date(qtbot, data_dir: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    from briefer.domain.template_library import TemplateLibrary
    from briefer.domain.templates import prepare

    w.start_from_template(prepare(TemplateLibrary(data_dir).get("us-japan-cooperation"), w.store, today=TODAY,
                                  origin="builtin"))
    asked: list[str] = []
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: asked.append(a[3]) or None)
    w.files.save_as()
    name = Path(asked[-1]).name
    assert name == "US-Japan-Cooperation-on-AI-1-November-2025.briefing.json", name
    assert export_stem(w.doc, TODAY) == "US-Japan-Cooperation-on-AI-1-November-2025"
    # an undated title gets the day's date, once
    w.doc.briefing.cover.title = "Notes for the desk"
    w.files.save_as()
    assert Path(asked[-1]).name == f"Notes-for-the-desk-{TODAY.isoformat()}.briefing.json"
