"""An empty briefing (issue 14, issue 11 point 7): ``export --dry-run`` gives no page count as if something
would be exported but says what the window says ("Empty briefing: add facts from the library"), with
``--json`` ``empty: true`` and ``pages_estimated: 0``; the export itself is refused in the CLI and in
the window alike, with nothing written; and exit 2 for both, since the export would not happen."""

from __future__ import annotations

import json
from pathlib import Path

from window_support import open_window, shut_windows  # noqa: F401 - shut_windows: autouse

from briefer.domain.briefing import EMPTY_BRIEFING, Briefing, BriefingSection
from briefer.domain.briefing_file import save_briefing_file


def _empty_file(tmp_path: Path) -> Path:
    path = tmp_path / "empty.briefing.json"
    save_briefing_file(path, Briefing(sections=[BriefingSection(section="risks")]))  # a heading is not content
    return path


def test_a_dry_run_of_an_empty_briefing_says_so_and_counts_no_pages(cli, tmp_path: Path) -> None:  # noqa: ANN001
    path = _empty_file(tmp_path)
    r = cli("export", "--briefing", str(path), "--dry-run")
    assert r.code == 2 and r.out == ""
    assert r.err == f"briefer: error: {EMPTY_BRIEFING}; an export would write nothing\n" and "page" not in r.err
    r = cli("export", "--briefing", str(path), "--dry-run", "--json")
    data = json.loads(r.out)
    assert r.code == 2 and data["empty"] is True and data["pages_estimated"] == 0 and data["facts"] == []
    assert data["message"] == EMPTY_BRIEFING
    # a briefing with one fact is not empty: its page count, and empty false
    r = cli("export", "--sections", "risks", "--dry-run", "--json")
    data = json.loads(r.out)
    assert r.code == 0 and data["empty"] is False and data["pages_estimated"] >= 1


def test_exporting_an_empty_briefing_is_refused_and_writes_nothing(cli, tmp_path: Path) -> None:  # noqa: ANN001
    path = _empty_file(tmp_path)
    out = tmp_path / "empty.md"
    r = cli("export", "--briefing", str(path), "--out", str(out))
    assert r.code == 2 and r.err == f"briefer: error: {EMPTY_BRIEFING}; nothing was exported\n"
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith((".", "empty.md"))]


def test_the_window_refuses_it_with_the_same_sentence(qtbot, data_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    from test_ui_no_traps import export, export_dialog

    w = open_window(qtbot, data_dir)
    w.composer.first_start.empty_button.click()
    assert w.composer.length_label.text() == EMPTY_BRIEFING
    dlg = export_dialog(qtbot, w)
    out = tmp_path / "empty.md"
    assert export(qtbot, dlg, out, "md") == f"\u2716 {EMPTY_BRIEFING}; nothing was exported."
    assert not out.exists()
    w.add_facts(["hq-established-sept-1"])
    assert "Exported" in export(qtbot, dlg, out, "md") and out.is_file()
