"""Curation through the CLI: add, edit, move, tag, grade, delete (with the
usage warning), history with the analyst's name, and restore."""

from __future__ import annotations

import json

import pytest

FID = "one-report-says-act-lacks-enforceable-penalties"


@pytest.fixture
def added(cli, monkeypatch):
    monkeypatch.setenv("BRIEFER_ANALYST", "Ana Lyst")
    r = cli("facts", "add", "--section", "risks", "--statement", "One report says the Act lacks enforceable penalties.",
            "--cite", "news-kiuchi-hq", "it lacks enforceable penalties for noncompliance", "--as-of", "2025-09-01",
            "--tag", "topic:penalties", "--json")
    assert r.code == 0, r.err
    return json.loads(r.out)


def test_add_fills_location_and_records_the_analyst(cli, added):
    assert added["id"] == FID
    assert added["citations"][0]["location"] == "para. 6"
    hist = json.loads(cli("facts", "history", FID, "--json").out)
    assert [(h["action"], h["analyst"]) for h in hist] == [("add", "Ana Lyst")]


def test_edit_move_tag_grade_then_history_and_restore(cli, added):
    assert cli("facts", "edit", FID, "--priority", "5", "--statement", "The Act has no enforceable penalties, "
               "according to one report.").code == 0
    assert cli("facts", "move", FID, "law-summary").code == 0
    assert cli("facts", "tag", FID, "--add", "law:AI Promotion Act", "--remove", "topic:penalties").code == 0
    assert cli("facts", "grade", FID, "2").code == 0
    fact = json.loads(cli("facts", "show", FID, "--json").out)
    assert (fact["section"], fact["priority"], fact["tags"], fact["citations"][0]["credibility"]) == \
        ("law-summary", 5, ["law:AI Promotion Act"], 2)
    hist = cli("facts", "history", FID).out
    assert "section: risks \u2192 law-summary" in hist and "Ana Lyst" in hist and "priority: 3 \u2192 5" in hist
    r = cli("facts", "restore", FID, "1", "--json")
    assert r.code == 0, r.err
    back = json.loads(r.out)
    assert (back["section"], back["priority"], back["statement"]) == (
        "risks", 3, "One report says the Act lacks enforceable penalties.")
    last = json.loads(cli("facts", "history", FID, "--json").out)[-1]
    assert last["action"] == "restore 1" and last["before"]["section"] == "law-summary"


def test_delete_warns_about_templates_and_restore_brings_it_back(cli, added):
    r = cli("facts", "delete", "hq-established-sept-1")
    assert r.code == 2 and "full-briefing" in r.err and "not deleted" in r.err
    assert cli("facts", "show", "hq-established-sept-1").code == 0
    r = cli("facts", "delete", "hq-established-sept-1", "--force")
    assert r.code == 0 and "warning: fact hq-established-sept-1 was used by template" in r.out
    assert "template 'full-briefing'" in r.out
    assert cli("facts", "show", "hq-established-sept-1").code == 2
    hist = json.loads(cli("facts", "history", "hq-established-sept-1", "--json").out)
    assert hist[-1]["action"] == "delete"
    assert cli("facts", "restore", "hq-established-sept-1", str(hist[-1]["version"])).code == 0
    assert json.loads(cli("facts", "show", "hq-established-sept-1", "--json").out)["priority"] == 5


def test_quotes_must_be_verbatim(cli):
    r = cli("facts", "add", "--section", "risks", "--statement", "A fact with a made-up quote.",
            "--cite", "news-kiuchi-hq", "the minister said penalties are coming")
    assert r.code == 2 and "is not in source 'news-kiuchi-hq'" in r.err
    r = cli("facts", "add", "--section", "risks", "--statement", "Typographic quotes and spaces may differ.",
            "--cite", "news-hq-established", 'the  "Guidelines for AI Business Operators."')
    assert r.code == 0, r.err


def test_bad_curation_input(cli, added):
    assert cli("facts", "move", FID, "no-such-section").code == 2
    assert cli("facts", "tag", FID, "--add", "nonsense").code == 2
    assert cli("facts", "tag", FID, "--remove", "person:Nobody").code == 2
    assert cli("facts", "grade", FID, "2", "--citation", "3").code == 2
    assert cli("facts", "restore", FID, "999").code == 2
    assert cli("facts", "edit", FID, "--new-id", "hq-aims").code == 2  # taken
    assert cli("facts", "status", FID, "disputed", "--reason", "One report only.").code == 0
    assert json.loads(cli("facts", "show", FID, "--json").out)["status"] == "disputed"


def test_sources_grade_edit_filter_and_history(cli, monkeypatch):
    monkeypatch.setenv("BRIEFER_ANALYST", "Ana Lyst")
    assert cli("sources", "grade", "news-kiuchi-hq", "b").code == 0
    assert cli("sources", "edit", "news-kiuchi-hq", "--outlet", "Example Wire", "--published", "2025-09-02").code == 0
    src = json.loads(cli("sources", "show", "news-kiuchi-hq", "--json").out)
    assert (src["reliability"], src["outlet"], src["published"]) == ("B", "Example Wire", "2025-09-02")
    assert {s["id"] for s in json.loads(cli("sources", "list", "--reliability", "B", "--json").out)} == {
        "news-kiuchi-hq", "ichikawa-white-paper"}
    facts_b = json.loads(cli("facts", "list", "--reliability", "B", "--json").out)
    assert facts_b and all(any(c["source"] in {"news-kiuchi-hq", "ichikawa-white-paper"} for c in f["citations"])
                           for f in facts_b)
    hist = cli("sources", "history", "news-kiuchi-hq").out
    assert "Ana Lyst" in hist and "reliability" in hist and "outlet" in hist
    assert cli("sources", "grade", "news-kiuchi-hq", "G").code == 2
    assert cli("sources", "list", "--reliability", "Z").code == 2
    assert cli("sources", "edit", "news-kiuchi-hq", "--published", "yesterday").code == 2


def test_analyst_name_from_settings_file(cli, monkeypatch):
    monkeypatch.delenv("BRIEFER_ANALYST", raising=False)
    assert json.loads(cli("config", "--analyst", "Desk Officer", "--json").out)["analyst"] == "Desk Officer"
    cli("facts", "move", "hq-aims", "risks")
    assert json.loads(cli("facts", "history", "hq-aims", "--json").out)[-1]["analyst"] == "Desk Officer"


def test_config_shows_and_sets_every_preference_the_window_has(cli, data_dir, tmp_path):  # noqa: ANN001
    """``briefer config`` holds what Edit > Preferences holds, through the same check."""
    ref = tmp_path / "house.docx"
    ref.write_bytes(b"PK\x03\x04")  # the setting checks the name and that the file is there
    folder = tmp_path / "exports"
    folder.mkdir()
    shown = json.loads(cli("config", "--json").out)
    assert shown["export_format"] is None and shown["citations"] is None and shown["export_folder"] is None
    r = cli("config", "--export-folder", str(folder), "--export-format", "md", "--citations", "evidence",
            "--reference-doc", str(ref), "--json")
    assert r.code == 0, r.err
    shown = json.loads(r.out)
    assert (shown["export_folder"], shown["export_format"], shown["citations"], shown["reference_doc"]) == (
        str(folder), "md", "evidence", str(ref))
    # a bad value: one line, exit 2, and nothing the user had set changes
    for args, words in ((["--export-format", "odt"], "unknown export format"),
                        (["--citations", "apa"], "unknown citation style"),
                        (["--export-folder", str(tmp_path / "missing")], "does not exist"),
                        (["--reference-doc", str(tmp_path / "x.txt")], ".docx")):
        bad = cli("config", *args)
        assert bad.code == 2 and words in bad.err and len(bad.err.strip().splitlines()) == 1, (args, bad.err)
    assert json.loads(cli("config", "--json").out)["export_format"] == "md"
    # an empty value puts the default back
    assert json.loads(cli("config", "--export-format", "", "--json").out)["export_format"] is None
    assert "(default)" in cli("config").out
