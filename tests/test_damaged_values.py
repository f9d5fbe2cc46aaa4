"""Stored values that no longer parse (a row edited by hand, or damaged), as the user meets them: each
named with its record, its raw value and its repair, in one line on the CLI and in one bar in the
window; the rest of every list shows, and each repair named works (issue 12, point 7).  The store side,
on both backends, is in tests/test_store_contract.py."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from faults_support import integrity
from window_support import open_window, shut_windows  # noqa: F401 - shut_windows: autouse

from briefer.store.db import DB_NAME

TODAY = date(2025, 11, 1)


def _damage(db: Path, sql: str, *args: object) -> None:
    con = sqlite3.connect(db)
    con.execute(sql, args)
    con.commit()
    con.close()


def _warnings(err: str) -> list[str]:
    return [ln for ln in err.splitlines() if ln.startswith("briefer: warning:")]


def test_a_damaged_source_is_one_line_each_and_every_repair_named_works(data_dir: Path, cli) -> None:  # noqa: ANN001
    db = data_dir / DB_NAME
    con = sqlite3.connect(db)
    sid, other = [r[0] for r in con.execute("SELECT id FROM sources ORDER BY id LIMIT 2")]
    n_sources = con.execute("SELECT count(*) FROM sources").fetchone()[0]
    con.close()
    _damage(db, "UPDATE sources SET kind = 'law', published = '2025-13-99' WHERE id = ?", sid)
    _damage(db, "UPDATE sources SET reliability = 'Z' WHERE id = ?", other)
    r = cli("sources", "list")
    assert r.code == 0 and "Traceback" not in r.err, r.err
    assert f"{n_sources} sources" in r.out and sid in r.out and other in r.out
    warnings = _warnings(r.err)
    assert len(warnings) == 3, r.err
    assert any(sid in w and "'law'" in w and f"briefer sources edit {sid} --kind KIND" in w for w in warnings)
    assert any(sid in w and "'2025-13-99'" in w and f"briefer sources edit {sid} --published" in w for w in warnings)
    assert any(other in w and "'Z'" in w and f"briefer sources grade {other} A-F" in w for w in warnings)
    # what reads a source goes on: its facts, its page, an export citing every source
    assert cli("facts", "list").code == 0
    r = cli("sources", "show", sid)
    assert r.code == 0 and "unknown" in r.out, r.out
    r = cli("export", "--out", str(data_dir.parent / "all.md"))
    assert r.code == 0 and (data_dir.parent / "all.md").stat().st_size > 0, r.err
    # one repair writes its field only: the date stays as stored (and is still said)
    r = cli("sources", "edit", sid, "--kind", "white paper")
    assert r.code == 0, r.err
    row = sqlite3.connect(db).execute("SELECT kind, published FROM sources WHERE id = ?", (sid,)).fetchone()
    assert row == ("white paper", "2025-13-99")
    assert [w for w in _warnings(r.err) if sid in w and "2025-13-99" in w], r.err
    # a repair to the value the fallback showed is written too (F: cannot be judged)
    r = cli("sources", "grade", other, "F")
    assert r.code == 0 and not [w for w in _warnings(r.err) if other in w], r.err
    assert sqlite3.connect(db).execute("SELECT reliability FROM sources WHERE id = ?", (other,)).fetchone() == ("F",)
    r = cli("sources", "edit", sid, "--published", "2025-06-17")
    assert r.code == 0, r.err
    r = cli("sources", "list")
    assert r.code == 0 and _warnings(r.err) == [], r.err
    assert integrity(db) == "ok"


def test_the_window_says_damaged_values_in_one_bar_and_lists_the_rest(qtbot, data_dir: Path,  # noqa: ANN001
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A source whose kind the data types refuse and a fact whose date is not one: the window starts (it
    was a crash dialog, then "the fact store could not be opened"), lists every other fact, shows the
    source with its fallback, and one bar says both with their repairs; Details… lists each."""
    from briefer.ui import messages
    from briefer.ui.mainwindow import MainWindow

    db = data_dir / DB_NAME
    con = sqlite3.connect(db)
    sid = con.execute("SELECT min(id) FROM sources").fetchone()[0]
    fid = con.execute("SELECT min(id) FROM facts").fetchone()[0]
    total = con.execute("SELECT count(*) FROM facts").fetchone()[0]
    con.close()
    _damage(db, "UPDATE sources SET kind = 'law' WHERE id = ?", sid)
    _damage(db, "UPDATE facts SET as_of = '2025-13-99' WHERE id = ?", fid)
    infos: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "info", lambda parent, title, text: infos.append((title, text)))
    monkeypatch.setattr(messages, "error", lambda *a, **k: pytest.fail(f"an error dialog: {a[1:]}"))
    monkeypatch.setattr(MainWindow, "show_crash", lambda self, exc, details: pytest.fail(f"a crash dialog: {exc}"))
    w = open_window(qtbot, data_dir)
    assert w.library.isEnabled()
    from briefer.ui.models.library import FactIdRole

    model = w.library.fact_model
    shown = {model.index(i, 0).data(FactIdRole) for i in range(model.rowCount())}
    assert len(shown) == total - 1 and fid not in shown
    assert {s.id: s for s in w.store_session.all_sources()}[sid].kind == "other"
    bar = w.store_session.damage.bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert "2 stored values could not be read" in bar.text()
    assert w.centralWidget().isAncestorOf(bar)
    bar.button.click()
    assert len(infos) == 1 and infos[0][0] == "Unreadable stored values"
    assert f"source '{sid}'" in infos[0][1] and "briefer sources edit" in infos[0][1] and "'law'" in infos[0][1]
    assert f"fact '{fid}'" in infos[0][1] and f"briefer facts edit {fid} --as-of" in infos[0][1]
    # the inspector on a fact citing the damaged source says which value is a fallback, and its repair (it
    # showed 'other' as if stored)
    citing = next(f.id for f in w.store.facts() if any(c.source == sid for c in f.citations))
    w.inspect_fact(citing)
    shown = w.inspector.summary.toPlainText()
    assert "Stored values that cannot be read" in shown and "'law'" in shown and "briefer sources edit" in shown


def test_a_search_matching_a_fact_left_out_lists_the_others_and_says_it(data_dir: Path, cli) -> None:  # noqa: ANN001
    """A fact whose stored date is not one is left out: a search whose matches include it lists the other
    matches (it was an internal error, 'zip() argument 2 is shorter than argument 1', exit 70)."""
    db = data_dir / DB_NAME
    before = cli("facts", "search", "September", "--json")
    assert before.code == 0, before.err
    import json

    ids = [f["id"] for f in json.loads(before.out)]
    assert len(ids) >= 2
    _damage(db, "UPDATE facts SET as_of = '2025-13-99' WHERE id = ?", ids[0])
    r = cli("facts", "search", "September", "--json")
    assert r.code == 0 and "internal error" not in r.err, r.err
    assert [f["id"] for f in json.loads(r.out)] == ids[1:]
    assert any(ids[0] in w and "'2025-13-99'" in w and f"briefer facts edit {ids[0]} --as-of" in w
               for w in _warnings(r.err)), r.err


def test_a_fact_that_cannot_be_read_is_not_said_to_be_deleted(data_dir: Path, cli) -> None:  # noqa: ANN001
    """A briefing file and an edition naming a fact whose stored date no longer parses: 'briefing check'
    and 'changes' say it is in the store but cannot be read (and that saving the briefing keeps it),
    not 'deleted from the store' (it said so: a user would give it up, and saving the
    briefing in the window drops it for good); once repaired it is back in both."""
    fid = "hq-established-sept-1"
    out = data_dir.parent
    assert cli("briefing", "new", str(out / "b.briefing.json"), "--template", "one-page-brief").code == 0
    r = cli("export", "--template", "one-page-brief", "--out", str(out / "b.md"), "--no-page-numbers")
    assert r.code == 0, r.err
    _damage(data_dir / DB_NAME, "UPDATE facts SET as_of = '2025-13-99' WHERE id = ?", fid)
    r = cli("briefing", "check", str(out / "b.briefing.json"))
    said = [ln for ln in (r.out + r.err).splitlines() if fid in ln and "'2025-13-99'" not in ln]
    assert r.code == 0 and said, r.out + r.err
    assert not [ln for ln in said if "deleted" in ln], said
    assert any("cannot be read" in ln and "saving this briefing keeps it" in ln for ln in said)
    r = cli("changes", "--template", "one-page-brief")
    said = [ln for ln in r.out.splitlines() if fid in ln]
    assert r.code == 0 and said and "deleted from the store" not in r.out, r.out
    assert "still in the store, but cannot be read until repaired" in " ".join(r.out.split()), r.out
    assert cli("facts", "edit", fid, "--as-of", "2025-09-01").code == 0
    r = cli("briefing", "check", str(out / "b.briefing.json"))
    assert r.code == 0 and fid not in r.out + r.err, r.out + r.err


def test_the_repair_a_note_names_for_tags_is_not_answered_by_the_same_note(data_dir: Path, cli) -> None:  # noqa: ANN001
    """'briefer facts tag ID --add KIND:VALUE', the repair the note names for tags that cannot be read,
    writes readable tags and says so without the warning that they cannot be read (it printed it after
    the repair, as if it had failed)."""
    db = data_dir / DB_NAME
    fid = sqlite3.connect(db).execute("SELECT min(id) FROM facts").fetchone()[0]
    _damage(db, "UPDATE facts SET tags = '[not json' WHERE id = ?", fid)
    r = cli("facts", "show", fid)
    assert r.code == 0 and any(fid in w and f"briefer facts tag {fid} --add" in w for w in _warnings(r.err)), r.err
    r = cli("facts", "tag", fid, "--add", "topic:repaired")
    assert r.code == 0 and _warnings(r.err) == [], r.err
    assert sqlite3.connect(db).execute("SELECT tags FROM facts WHERE id = ?", (fid,)).fetchone() == (
        '["topic:repaired"]',)
    r = cli("facts", "list")
    assert r.code == 0 and _warnings(r.err) == [], r.err


def test_an_edit_of_another_field_keeps_tags_that_cannot_be_read_as_stored(data_dir: Path, cli) -> None:  # noqa: ANN001
    """Tags with one value that is not text are shown as none; an edit of the fact's priority used to write
    that 'none' over them (the two good tags gone, nothing said). They stay as stored, and still said."""
    db = data_dir / DB_NAME
    fid, priority = sqlite3.connect(db).execute("SELECT id, priority FROM facts ORDER BY id LIMIT 1").fetchone()
    new = 1 if priority != 1 else 2  # a change, so the fact is written
    raw = '["topic:adoption", "date:2025", 7]'
    _damage(db, "UPDATE facts SET tags = ? WHERE id = ?", raw, fid)
    r = cli("facts", "edit", fid, "--priority", str(new))
    assert r.code == 0, r.err
    assert sqlite3.connect(db).execute("SELECT tags, priority FROM facts WHERE id = ?", (fid,)).fetchone() == (raw, new)
    assert any(fid in w and "topic:adoption" in w and f"briefer facts tag {fid} --add" in w
               for w in _warnings(r.err)), r.err
    r = cli("facts", "list")
    assert any(fid in w for w in _warnings(r.err)), r.err


def test_a_template_or_briefing_naming_an_unreadable_fact_does_not_call_it_missing(data_dir: Path, cli,  # noqa: ANN001
                                                                                    tmp_path: Path) -> None:
    """The one-page brief pins hq-established-sept-1: with its date damaged the export said the template
    'names 1 fact not in the store' while the same run's note said it is in the store, left out until
    repaired."""
    _damage(data_dir / DB_NAME, "UPDATE facts SET as_of = '2025-13-99' WHERE id = 'hq-established-sept-1'")
    r = cli("export", "--template", "one-page-brief", "--out", str(tmp_path / "one.md"))
    assert r.code == 0, r.err
    assert "not in the store" not in r.err, r.err
    names = [w for w in _warnings(r.err) if "names 1 fact" in w]
    assert len(names) == 1 and "cannot be read" in names[0] and "hq-established-sept-1" in names[0], r.err
    assert any("briefer facts edit hq-established-sept-1 --as-of" in w for w in _warnings(r.err)), r.err
    # a briefing that lists it: resolved with the same word
    from briefer.domain.briefing import Briefing, BriefingSection, FactItem
    from briefer.domain.document import resolve
    from briefer.store.db import open_store

    with open_store(data_dir, seed=False) as store:
        b = Briefing(sections=[BriefingSection(section="hq-structure",
                                               items=[FactItem(fact_id="hq-established-sept-1")])])
        doc = resolve(b, store, today=TODAY)
    assert any("hq-established-sept-1" in w and "cannot be read until repaired" in w for w in doc.warnings), \
        doc.warnings


def test_saving_a_briefing_keeps_a_fact_that_cannot_be_read_until_its_repair(qtbot, data_dir: Path, cli,  # noqa: ANN001
                                                                              tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by the reviewer: a briefing that uses a fact whose date was damaged opened without it (said), and
    Save then dropped it and its rewording from the file for good, though the store still holds it.  Now
    the file keeps it where it stood, with its snapshot, and once repaired it is back in the briefing."""
    import json

    from briefer.domain.briefing import Briefing, BriefingSection, FactItem
    from briefer.domain.briefing_file import save_briefing_file
    from briefer.store.db import open_store
    from briefer.ui import messages

    fid = "hq-established-sept-1"
    with open_store(data_dir, seed=False) as store:
        others = [f.id for f in store.facts() if f.section == "hq-structure" and f.id != fid][:2]
        b = Briefing(sections=[BriefingSection(section="hq-structure", items=[
            FactItem(fact_id=others[0]), FactItem(fact_id=fid, override="The Headquarters opened on 1 September."),
            FactItem(fact_id=others[1])])])
        path = save_briefing_file(tmp_path / "hq.briefing.json", b, store=store)
    _damage(data_dir / DB_NAME, "UPDATE facts SET as_of = '2025-13-99' WHERE id = ?", fid)
    infos: list[str] = []
    monkeypatch.setattr(messages, "info", lambda parent, title, text: infos.append(text))
    w = open_window(qtbot, data_dir)
    assert w.open_path(path)
    assert w.doc.briefing.fact_ids() == others  # left out while it cannot be read
    assert w.files.save()
    saved = json.loads(path.read_text(encoding="utf-8"))
    items = saved["briefing"]["sections"][0]["items"]
    assert [i["fact_id"] for i in items] == [others[0], fid, others[1]]
    assert items[1]["override"] == "The Headquarters opened on 1 September." and fid in saved["facts"]
    # repaired, the file opens with it where it stood, rewording and all
    assert cli("facts", "edit", fid, "--as-of", "2025-09-01").code == 0
    r = cli("briefing", "check", str(path))
    assert r.code == 0 and "cannot be read" not in r.err and "deleted" not in r.err, (r.out, r.err)


def test_the_export_dialogs_report_says_what_the_briefing_uses_that_cannot_be_read(
        qtbot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """Found by the reviewer: the quality report listed disputed and stale facts but nothing of a fact left
    out because it cannot be read, nor of a cited source whose fallbacks the export prints ('F — cannot be
    judged' for a stored 'Z')."""
    from briefer.domain.briefing import Briefing, BriefingSection, FactItem
    from briefer.domain.briefing_file import save_briefing_file
    from briefer.store.db import open_store
    from briefer.ui.dialogs.export import ExportDialog

    fid = "hq-established-sept-1"
    with open_store(data_dir, seed=False) as store:
        other = next(f for f in store.facts() if f.section == "hq-structure" and f.id != fid)
        b = Briefing(sections=[BriefingSection(section="hq-structure",
                                               items=[FactItem(fact_id=other.id), FactItem(fact_id=fid)])])
        path = save_briefing_file(tmp_path / "hq.briefing.json", b, store=store)
    sid = other.citations[0].source
    _damage(data_dir / DB_NAME, "UPDATE facts SET as_of = '2025-13-99' WHERE id = ?", fid)
    _damage(data_dir / DB_NAME, "UPDATE sources SET reliability = 'Z' WHERE id = ?", sid)
    from briefer.ui import messages

    monkeypatch.setattr(messages, "info", lambda parent, title, text: None)
    w = open_window(qtbot, data_dir)
    assert w.open_path(path)
    dlg = ExportDialog(w.doc, w.store, today=TODAY)
    qtbot.addWidget(dlg)
    text = dlg.report.to_text()
    assert "1 fact of this briefing cannot be read" in text and "'2025-13-99'" in text, text
    assert "1 stored value of the sources cited cannot be read" in text and "'Z'" in text, text
    assert f"briefer sources grade {sid} A-F" in text, text


def test_a_dry_runs_json_carries_the_templates_warnings(data_dir: Path, cli) -> None:  # noqa: ANN001
    """Found by the reviewer: '--dry-run --json' gave "warnings": [] while stderr said the template names a
    fact that cannot be read."""
    import json

    _damage(data_dir / DB_NAME, "UPDATE facts SET as_of = '2025-13-99' WHERE id = 'hq-established-sept-1'")
    r = cli("export", "--template", "one-page-brief", "--dry-run", "--json")
    assert r.code == 0, r.err
    warnings = json.loads(r.out)["warnings"]
    assert any("hq-established-sept-1" in w and "cannot be read" in w for w in warnings), warnings


@pytest.mark.parametrize("text", ['["topic:AI", "body:Diet"]', "[]", '[["src", "quote \\u2026", "p. 1", null, 2]]',
                                  ' ["a"]', '["a"] ', '["a"] x', '["a"', "not json", "NaN", '{"a": 1}', "[" * 5000,
                                  b'["a"]', 7, None])
def test_stored_json_reads_as_json_loads_reads_it(text: object) -> None:
    """The store's fast reader of a fact's stored JSON (its tags, a team search row's citations) gives what
    json.loads gives, and fails where it fails, the same way (so a damaged value is noted as before)."""
    import json

    from briefer.store.sqlite_base import json_value

    try:
        expected: object = json.loads(text)  # type: ignore[arg-type]
    except (ValueError, TypeError, RecursionError) as exc:
        with pytest.raises(type(exc)):
            json_value(text)
    else:
        assert repr(json_value(text)) == repr(expected)  # (repr: NaN is not equal to itself)


@pytest.mark.parametrize("value", ["current", "disputed", "superseded", "Current", "", "stale", None, 3, ["current"]])
def test_a_stored_status_reads_as_the_enum_reads_it(value: object) -> None:
    from briefer.model.kinds import FactStatus
    from briefer.store.sqlite_base import stored_status

    try:
        expected = FactStatus(value)
    except ValueError:
        with pytest.raises(ValueError):
            stored_status(value)
    else:
        assert stored_status(value) is expected
