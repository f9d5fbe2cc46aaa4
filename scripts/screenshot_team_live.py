"""Render the team library's live update for the README and the issue's note: ``make screenshot-team``.

    xvfb-run -a python scripts/screenshot_team_live.py docs/screenshots

Starts a throwaway PostgreSQL cluster (tests/pg_cluster.py), makes a seeded team library on it with
an editor role, opens the window on it with a briefing in progress, and then, from a second process,
the editor (demo_editor, analyst Alice) rewords a fact the briefing uses.  The window hears of it
through LISTEN/NOTIFY and shows the change: the library's row, the outline's marker and the bar
above it.  Saves:

* ``team-live-update.png``  the window right after the colleague's edit arrived
* ``team-version-conflict.png``  the fact editor's side-by-side view of the colleague's version and
  the analyst's own, unsaved one

Nothing outside a temporary folder is touched; the cluster is stopped at the end.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from screenshots import until, wait  # noqa: E402 - the same waiting as the other screenshots

TODAY = date(2025, 11, 20)
FID = "hq-established-sept-1"

THEIRS = ("Japan's AI Strategy Headquarters was established on 1 September 2025 within the Cabinet, chaired by "
          "the Prime Minister.")


def main(out: Path) -> int:
    import pg_cluster

    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="briefer-team-shots-"))
    for var, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data-home"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
        os.environ[var] = str(tmp / sub)
    with pg_cluster.cluster() as server:
        server.psql("CREATE DATABASE team")
        url = server.url(db="team")
        from briefer.ingest.factpack import open_store

        open_store(tmp / "setup", location=url).close()
        server.psql("CREATE ROLE demo_editor LOGIN; GRANT ALL ON ALL TABLES IN SCHEMA public TO demo_editor;"
                    " GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO demo_editor", db="team")
        os.environ["BRIEFER_STORE"] = url
        os.environ["BRIEFER_ANALYST"] = "Ken Sato"
        return shoot(out, tmp, url, server.url(user="demo_editor", db="team"))


def shoot(out: Path, tmp: Path, url: str, editor_url: str) -> int:
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from briefer.ui.app import make_app

    app = make_app()
    font = QApplication.font()
    font.setPointSize(10)
    app.setFont(font)
    from briefer.ui.mainwindow import MainWindow

    w = MainWindow(tmp / "data", today=TODAY)
    w.resize(1500, 940)
    w.show()
    w.start()
    until(lambda: w.store is not None and w.library.last_result is not None)
    from briefer.domain.template_library import TemplateLibrary
    from briefer.domain.templates import prepare

    template = TemplateLibrary(tmp / "data").get("one-page-brief")
    w.start_from_template(prepare(template, w.store, today=TODAY, origin="builtin"))
    if FID not in w.doc.briefing.fact_ids():
        w.add_facts([FID])
    w.composer.tree.expandAll()
    from PySide6.QtTest import QTest

    w.library.search.setFocus()
    QTest.keyClicks(w.library.search, "Headquarters established")
    until(lambda: w.library.last_result is not None and w.library.last_result.query.text == "Headquarters established")
    wait(500)

    # the colleague, in another process, as another database user
    arrived: list[object] = []
    w.live.applied.connect(arrived.extend)
    env = {**os.environ, "BRIEFER_ANALYST": "Alice", "BRIEFER_STORE": editor_url}
    subprocess.run([sys.executable, "-m", "briefer", "--data-dir", str(tmp / "alice"), "facts", "edit", FID,
                    "--statement", THEIRS], check=True, env=env, cwd=REPO)
    until(lambda: bool(arrived) and FID in w.doc.store_notes)
    for si, sec in enumerate(w.doc.briefing.sections):
        for ri, item in enumerate(sec.items):
            if item.kind == "fact" and item.fact_id == FID:
                w.composer.select(si, ri)
    w.preview.refresh()
    wait(1200)
    w.grab().save(str(out / "team-live-update.png"))

    # the analyst had the same fact open: saving shows both versions
    from briefer.domain import curation
    from briefer.ui.curation import FactEditorDialog
    from briefer.ui.curation.version_conflict import VersionConflictDialog

    editor = FactEditorDialog(w.store, FID, parent=w)
    curation.change_fact(w.store.reopen(), FID, analyst="Alice", notes="Checked against the Cabinet Office notice.")
    editor.statement_edit.setPlainText("Japan's AI Strategy Headquarters was set up on 1 September 2025; the "
                                       "Prime Minister heads it.")
    shown: list[VersionConflictDialog] = []

    def show_instead(dlg: VersionConflictDialog) -> int:
        dlg.resize(1100, 520)
        dlg.show()
        dlg.pick("statement", "yours")
        wait(400)
        shown.append(dlg)
        dlg.grab().save(str(out / "team-version-conflict.png"))
        dlg.reject()
        return 0

    VersionConflictDialog.exec = show_instead  # type: ignore[method-assign]
    editor.save()
    editor.close()

    w.doc.undo.setClean()
    w.doc._unsaved_origin = False
    w.close()
    _ = QFont
    for name in ("team-live-update", "team-version-conflict"):
        print(out / f"{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
