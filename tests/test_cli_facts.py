"""The command line over the store: every command, its JSON, and its error exits."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from briefer import __version__
from briefer.store import migrations
from briefer.store.db import DB_NAME


def test_version(cli) -> None:
    r = cli("--version")
    assert r.code == 0 and r.out.strip() == f"briefer {__version__}"


def test_facts_list_text_and_json(cli) -> None:
    r = cli("facts", "list", "--section", "law-summary")
    assert r.code == 0
    assert r.out.strip().endswith("facts")
    data = json.loads(cli("facts", "list", "--section", "law-summary", "--json").out)
    assert len(data) >= 12 and all(f["section"] == "law-summary" for f in data)
    f = data[0]
    assert set(f) >= {"id", "section", "statement", "citations", "status", "as_of", "tags", "priority"}
    assert set(f["citations"][0]) >= {"source", "quote", "location"}
    # ordered by priority within the section
    assert [x["priority"] for x in data] == sorted((x["priority"] for x in data), reverse=True)


def test_facts_list_filters(cli) -> None:
    disputed = json.loads(cli("facts", "list", "--status", "disputed", "--json").out)
    assert disputed and all(f["status"] == "disputed" for f in disputed)
    tagged = json.loads(cli("facts", "list", "--tag", "person:Shigeru Ishiba", "--json").out)
    assert tagged and all("person:Shigeru Ishiba" in f["tags"] for f in tagged)
    recent = json.loads(cli("facts", "list", "--since", "2025-09-01", "--json").out)
    assert recent and all(f["as_of"] >= "2025-09-01" for f in recent)


def test_facts_search_json_shape(cli) -> None:
    r = cli("facts", "search", "penalty", "--limit", "5", "--json")
    assert r.code == 0
    hits = json.loads(r.out)
    assert 1 <= len(hits) <= 5
    for h in hits:
        assert set(h) >= {"id", "section", "statement", "citations", "status", "as_of"}
        assert all(set(c) >= {"source", "quote"} for c in h["citations"])
    only = json.loads(cli("facts", "search", "Ishiba", "--section", "hq-structure", "--json").out)
    assert only and all(h["section"] == "hq-structure" for h in only)


def test_facts_search_text_and_syntax_characters(cli) -> None:
    r = cli("facts", "search", "Kiuchi")
    assert r.code == 0 and "hq-responsible-minister-disputed" in r.out
    for q in ['"penalty', "(risk", "law:", "-", "*"]:
        r = cli("facts", "search", q)
        assert r.code == 0, (q, r.err)


def test_facts_show(cli) -> None:
    r = cli("facts", "show", "hq-responsible-minister-disputed")
    assert r.code == 0
    # two readings of one name: an alias, not a dispute
    assert "Jonouchi" in r.out and "Kiuchi" in r.out and "[current]" in r.out and "(alias)" in r.out
    data = json.loads(cli("facts", "show", "hq-established-sept-1", "--json").out)
    assert data["id"] == "hq-established-sept-1" and data["as_of"] == "2025-09-01"


def test_facts_check_passes_on_the_shipped_pack(cli) -> None:
    r = cli("facts", "check")
    assert r.code == 0, r.out
    assert "Every quote was found" in r.out
    assert "Minoru Jonouchi" in r.out and "intl-paris-summit-date" in r.out
    data = json.loads(cli("facts", "check", "--json").out)
    assert data["ok"] is True and data["quote_problems"] == []
    assert len(data["disputed"]) >= 4 and len(data["alias_conflicts"]) >= 4


def test_facts_check_fails_on_a_tampered_quote(cli, data_dir: Path) -> None:
    with sqlite3.connect(data_dir / DB_NAME) as c:
        c.execute("UPDATE citations SET quote = 'Established on September 9 within the Cabinet Office'"
                  " WHERE fact = (SELECT rowid FROM facts WHERE id = 'hq-established-sept-1') AND pos = 0")
    c.close()
    r = cli("facts", "check")
    assert r.code == 1
    assert "NOT FOUND" in r.out and "hq-established-sept-1" in r.out
    assert json.loads(cli("facts", "check", "--json").out)["ok"] is False


def test_sources_and_sections(cli) -> None:
    sources = json.loads(cli("sources", "list", "--json").out)
    assert len(sources) == 5 and "text" not in sources[0]
    wp = next(s for s in sources if s["id"] == "ichikawa-white-paper")
    assert wp["author"] == "Tagui Ichikawa" and wp["reliability"] == "B"
    r = cli("sources", "show", "news-kiuchi-hq")
    assert r.code == 0 and "unknown" in r.out  # author, outlet and date are not guessed
    r = cli("sources", "show", "news-kiuchi-hq", "--text")
    assert "Minoru Kiuchi, the recently appointed" in r.out
    sections = json.loads(cli("sections", "list", "--json").out)
    ids = [s["id"] for s in sections]
    assert ids[:5] == ["background", "law-summary", "hq-structure", "risks", "us-japan-cooperation"]
    assert all(s["facts"] >= 12 for s in sections if s["id"] in ids[1:5])


@pytest.mark.parametrize("argv, message", [
    (["facts", "show", "no-such-fact"], "no fact with id 'no-such-fact'"),
    (["facts", "list", "--section", "nowhere"], "no section with id 'nowhere'"),
    (["sources", "show", "nobody"], "no source with id 'nobody'"),
    (["facts", "search", "   "], "empty"),
    (["facts", "search", "x", "--limit", "0"], "must be 1 or more"),
    (["facts", "list", "--since", "yesterday"], "is not a date"),
    (["frobnicate"], "invalid choice"),
    (["facts"], "required"),
])
def test_bad_input_is_one_line_exit_2(cli, argv: list[str], message: str) -> None:
    r = cli(*argv)
    assert r.code == 2
    assert message in r.err
    assert len(r.err.strip().splitlines()) == 1
    assert "Traceback" not in r.err


def test_corrupt_database_via_a_real_process(briefer_proc, data_dir: Path) -> None:
    db = data_dir / DB_NAME
    db.write_bytes(b"garbage, not SQLite" * 100)
    before = db.read_bytes()
    r = briefer_proc("facts", "list")
    assert r.code == 2
    assert "not a Briefer database" in r.err and "Traceback" not in r.err
    assert len(r.err.strip().splitlines()) == 1
    assert db.read_bytes() == before


def test_newer_database_via_the_cli(cli, data_dir: Path) -> None:
    with sqlite3.connect(data_dir / DB_NAME) as c:
        c.execute(f"PRAGMA user_version = {migrations.LATEST + 5}")
    c.close()
    r = cli("facts", "list")
    assert r.code == 2 and "newer Briefer" in r.err


def test_data_dir_that_is_a_file(cli, tmp_path: Path) -> None:
    from briefer.cli import main

    f = tmp_path / "notadir"
    f.write_text("keep me")
    assert main(["--data-dir", str(f), "facts", "list"]) == 2
    assert f.read_text() == "keep me"


def test_environment_variable_chooses_the_data_folder(tmp_path: Path, monkeypatch, capsys) -> None:
    from briefer.cli import main

    d = tmp_path / "envdata"
    monkeypatch.setenv("BRIEFER_DATA_DIR", str(d))
    assert main(["sections", "list"]) == 0
    assert (d / DB_NAME).exists()


def test_python_dash_m_briefer(briefer_proc) -> None:
    r = briefer_proc("--version")
    assert r.code == 0 and __version__ in r.out
