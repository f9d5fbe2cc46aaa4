"""Every CLI command and the window work against a team library (issue 15, point 1): a representative
flow through the commands with ``--store URL``, and the window opened once on a library named by
``$BRIEFER_STORE``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Result
from window_support import open_window, shut_windows  # noqa: F401 - autouse: shuts what a test left open

pytestmark = pytest.mark.postgres



@pytest.fixture
def team_cli(capsys: pytest.CaptureFixture[str], pg_database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    """``team_cli("facts", "list")``: the CLI in-process on a fresh seeded team library (a local data
    folder of its own beside it, for templates and settings)."""
    from briefer.cli import main

    url = pg_database("seeded")
    data_dir = tmp_path / "team-data"
    monkeypatch.setenv("BRIEFER_ANALYST", "Ana Lyst")

    def run(*argv: str) -> Result:
        try:
            code = main(["--data-dir", str(data_dir), "--store", url, *argv])
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    run.url = url  # type: ignore[attr-defined]
    run.data_dir = data_dir  # type: ignore[attr-defined]
    return run


def _ok(r: Result) -> Result:
    assert r.code == 0, r.err
    return r


def test_curation_commands_work_on_a_team_library(team_cli) -> None:  # noqa: ANN001
    facts = json.loads(_ok(team_cli("facts", "list", "--json")).out)
    assert len(facts) > 100
    assert "hq-structure" in _ok(team_cli("sections", "list")).out
    hits = _ok(team_cli("facts", "search", "城内", "--json")).out
    assert "Kiuchi" in hits
    added = json.loads(_ok(team_cli(
        "facts", "add", "--section", "risks", "--statement", "One report says the Act lacks enforceable penalties.",
        "--cite", "news-kiuchi-hq", "it lacks enforceable penalties for noncompliance", "--as-of", "2025-09-01",
        "--tag", "topic:penalties", "--json")).out)
    fid = added["id"]
    assert added["citations"][0]["location"] == "para. 6"
    _ok(team_cli("facts", "edit", fid, "--priority", "5"))
    _ok(team_cli("facts", "tag", fid, "--add", "law:AI Promotion Act"))
    shown = json.loads(_ok(team_cli("facts", "show", fid, "--json")).out)
    assert (shown["priority"], shown["tags"]) == (5, ["topic:penalties", "law:AI Promotion Act"])
    other = next(f["id"] for f in facts if f["section"] == "risks" and f["status"] == "current")
    _ok(team_cli("facts", "supersede", other, fid, "--reason", "The newer report says it better."))
    assert json.loads(_ok(team_cli("facts", "show", other, "--json")).out)["superseded_by"] == fid
    history = json.loads(_ok(team_cli("facts", "history", fid, "--json")).out)
    assert [h["action"] for h in history][:3] == ["add", "edit", "edit"]
    assert {h["analyst"] for h in history} == {"Ana Lyst"}
    assert {h["changed_by"] for h in history} == {"briefer_admin"}  # the database user, beside the analyst
    assert "Ana Lyst (as briefer_admin)" in _ok(team_cli("facts", "history", fid)).out
    assert "penalties" in _ok(team_cli("facts", "search", "penalties")).out


def test_exports_templates_changes_and_conflicts_work_on_a_team_library(team_cli, tmp_path: Path,  # noqa: ANN001
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from docx import Document

    md, docx = tmp_path / "brief.md", tmp_path / "brief.docx"
    _ok(team_cli("export", "--template", "one-page-brief", "--out", str(md)))
    _ok(team_cli("export", "--template", "risk-watch", "--out", str(docx)))
    from briefer.cli import main

    local = tmp_path / "local.md"  # the same template from a new local store: the same briefing
    assert main(["--data-dir", str(tmp_path / "local-data"), "export", "--template", "one-page-brief",
                 "--out", str(local)]) == 0
    capsys.readouterr()
    assert md.read_text(encoding="utf-8") == local.read_text(encoding="utf-8")
    assert "Headquarters" in md.read_text(encoding="utf-8")
    assert any("Headquarters" in p.text for p in Document(str(docx)).paragraphs)
    editions = json.loads(_ok(team_cli("templates", "editions", "risk-watch", "--json")).out)
    assert [e["number"] for e in editions] == [1]
    _ok(team_cli("changes", "--template", "risk-watch"))
    assert "one-page-brief" in _ok(team_cli("templates", "list")).out
    found = json.loads(_ok(team_cli("conflicts", "list", "--all", "--json")).out)
    assert main(["--data-dir", str(tmp_path / "local-data"), "conflicts", "list", "--all", "--json"]) == 0
    assert found and found == json.loads(capsys.readouterr().out)  # the finder sees the same library


def test_importing_a_document_into_a_team_library(team_cli, tmp_path: Path) -> None:  # noqa: ANN001
    doc = tmp_path / "desk-note.txt"
    doc.write_text("Desk note on the AI Promotion Act\n\nThe AI Strategy Headquarters met for the first time on "
                   "12 September 2025, chaired by the Prime Minister.\n\nThe Headquarters will draft the AI Basic "
                   "Plan by the end of the year, according to officials.\n", encoding="utf-8")
    out = json.loads(_ok(team_cli("import", str(doc), "--json")).out)
    assert out
    candidates = json.loads(_ok(team_cli("candidates", "list", "--json")).out)
    assert any("Basic Plan" in c["statement"] for c in candidates)
    again = team_cli("import", str(doc))
    assert again.code in (0, 2) and "already" in (again.out + again.err)  # the same text is not imported twice


def test_the_window_opens_on_a_team_library(qtbot, pg_database, tmp_path: Path,  # noqa: ANN001
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    url = pg_database("seeded")
    monkeypatch.setenv("BRIEFER_STORE", url)
    w = open_window(qtbot, tmp_path / "data")
    assert type(w.store).__name__ == "TeamStore" and w.store.location == url
    assert w.store.fact_count() > 100
