"""Briefing files (*.briefing.json): save and open, atomically; per-briefing
edits never touch the store; facts deleted since saving are reported and
skipped; every bad file is refused with one clear message."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from briefer.domain.briefing import Briefing, BriefingSection, Cover, FactItem, ParagraphItem
from briefer.domain.briefing_file import (
    BRIEFING_SCHEMA_VERSION,
    MAX_BRIEFING_FILE,
    load_briefing_file,
    read_briefing_file,
    save_briefing_file,
)
from briefer.domain.models import FactStatus
from briefer.domain.templates import begin_template_export
from briefer.errors import KnownError, SchemaTooNewError, ValidationFailed
from briefer.fileio import WriteFailed

TODAY = date(2026, 11, 21)
OVERRIDE = "For this minister: the Act names no penalties, and officials expect none soon."


def _briefing() -> Briefing:
    return Briefing(
        cover=Cover(title="Brief for the Minister", prepared_for="The Minister", prepared_by="Desk 3",
                    date_of_issue=TODAY, marking="RESTRICTED"),
        summary="The Act promotes AI; enforcement is weak.",
        sections=[
            BriefingSection(section="law-summary", heading="The law", items=[
                FactItem(fact_id="ai-act-passed-may-28-2025"),
                ParagraphItem(text="An analyst's note between facts: watch the basic plan."),
                FactItem(fact_id="ai-act-penalties-disputed", override=OVERRIDE),
            ]),
            BriefingSection(section="risks", layout="paragraphs", items=[FactItem(fact_id="risk-weak-deterrence")]),
        ],
    )


def _one_error_line(r) -> None:
    assert r.code == 2, (r.out, r.err)
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("briefer: error: "), r.err


def test_save_and_open_round_trip(store, tmp_path: Path) -> None:
    path = tmp_path / "minister.briefing.json"
    save_briefing_file(path, _briefing(), template="one-page-brief", removed_facts=["hq-head-disputed"],
                       analyst="A. Analyst", notes="for Tuesday", store=store)
    briefing, warnings = load_briefing_file(path, store)
    assert warnings == []
    assert briefing == _briefing()
    env = read_briefing_file(path)
    assert env.template == "one-page-brief" and env.removed_facts == ["hq-head-disputed"]
    assert env.metadata.analyst == "A. Analyst" and env.metadata.saved_by.startswith("Briefer ")
    assert set(env.facts) == {"ai-act-passed-may-28-2025", "ai-act-penalties-disputed", "risk-weak-deterrence"}
    assert env.schema_version == BRIEFING_SCHEMA_VERSION
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left behind


def test_overriding_wording_leaves_the_store_unchanged(store, tmp_path: Path) -> None:
    before = store.fact("ai-act-penalties-disputed")
    history = store.history("ai-act-penalties-disputed")
    path = tmp_path / "b.briefing.json"
    save_briefing_file(path, _briefing(), store=store)
    briefing, _ = load_briefing_file(path, store)
    item = briefing.sections[0].items[2]
    assert isinstance(item, FactItem) and item.override == OVERRIDE
    assert store.fact("ai-act-penalties-disputed") == before
    assert store.history("ai-act-penalties-disputed") == history
    # and the exported document shows the override while the store keeps its wording
    from briefer.domain.document import resolve

    doc = resolve(briefing, store, today=TODAY)
    texts = [b.text for s in doc.sections for b in s.facts()]
    assert OVERRIDE in texts and before.statement not in texts
    assert store.fact("ai-act-penalties-disputed").statement == before.statement


def test_deleted_facts_are_reported_and_skipped(store, tmp_path: Path) -> None:
    path = tmp_path / "b.briefing.json"
    save_briefing_file(path, _briefing(), store=store)
    gone = store.fact("ai-act-penalties-disputed")
    store.delete_fact("ai-act-penalties-disputed")
    store.delete_fact("risk-weak-deterrence")
    briefing, warnings = load_briefing_file(path, store)
    assert briefing.fact_ids() == ["ai-act-passed-may-28-2025"]
    assert len(warnings) == 2
    assert "ai-act-penalties-disputed" in warnings[0] and "deleted" in warnings[0]
    assert gone.statement[:30] in warnings[0] and "wording for this briefing was lost" in warnings[0]
    assert "risk-weak-deterrence" in warnings[1]
    # the analyst's paragraph and the (now empty) section survive
    assert isinstance(briefing.sections[0].items[1], ParagraphItem)
    assert [s.section for s in briefing.sections] == ["law-summary", "risks"]


def test_changes_since_saving_are_reported(store, tmp_path: Path) -> None:
    path = tmp_path / "b.briefing.json"
    save_briefing_file(path, _briefing(), store=store)
    f = store.fact("ai-act-passed-may-28-2025")
    store.update_fact(f.id, f.model_copy(update={"statement": f.statement + " (Updated.)"}))
    g = store.fact("risk-weak-deterrence")
    store.update_fact(g.id, g.model_copy(update={"status": FactStatus.DISPUTED}))
    h = store.fact("ai-act-penalties-disputed")
    store.update_fact(h.id, h.model_copy(update={"statement": h.statement + " More."}))
    briefing, warnings = load_briefing_file(path, store)
    assert briefing.fact_ids() == _briefing().fact_ids()
    joined = "\n".join(warnings)
    assert "ai-act-passed-may-28-2025 was reworded" in joined
    assert "risk-weak-deterrence is now disputed" in joined
    assert "ai-act-penalties-disputed was reworded" in joined and "its own wording" in joined
    assert len(warnings) == 3


def test_unknown_section_is_reported_and_skipped(store, tmp_path: Path) -> None:
    path = tmp_path / "b.briefing.json"
    save_briefing_file(path, _briefing(), store=store)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["briefing"]["sections"][1]["section"] = "section-from-another-store"
    path.write_text(json.dumps(data), encoding="utf-8")
    briefing, warnings = load_briefing_file(path, store)
    assert [s.section for s in briefing.sections] == ["law-summary"]
    assert warnings and "section-from-another-store" in warnings[0]


def test_save_is_atomic_and_keeps_the_earlier_file_on_failure(store, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "briefings"
    folder.mkdir()
    path = folder / "b.briefing.json"
    save_briefing_file(path, _briefing(), store=store)
    before = path.read_bytes()

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    changed = _briefing()
    changed.cover.title = "Changed"
    with pytest.raises(WriteFailed, match="disk is full"):
        save_briefing_file(path, changed, store=store)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [p.name for p in folder.iterdir()] == ["b.briefing.json"]
    with pytest.raises(WriteFailed, match="does not exist"):
        save_briefing_file(tmp_path / "missing" / "x.briefing.json", _briefing())
    with pytest.raises(WriteFailed, match="folder"):
        save_briefing_file(folder, _briefing())


def test_template_export_to_briefing_file_keeps_what_the_template_chose(store, data_dir: Path,
                                                                         tmp_path: Path) -> None:
    exp = begin_template_export(store, data_dir, "risk-watch", today=TODAY)
    path = tmp_path / "risk.briefing.json"
    save_briefing_file(path, exp.briefing, template=exp.name, store=store)
    briefing, warnings = load_briefing_file(path, store)
    assert warnings == [] and briefing == exp.briefing


# -- bad input ------------------------------------------------------------------------------------


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return p


def _good(store) -> dict:
    from briefer.domain.briefing_file import briefing_file_json

    return json.loads(briefing_file_json(_briefing(), store=store))


@pytest.mark.parametrize("case,expect", [
    ("invalid-json", "not valid JSON"),
    ("not-a-briefing", "not a Briefer briefing file"),
    ("template", "is a template, not a briefing file"),
    ("newer", "newer Briefer"),
    ("bad-shape", "not a valid briefing file"),
    ("huge", "too large"),
    ("deep", "nested too deeply"),
    ("binary", "binary file"),
    ("latin1", "not UTF-8"),
])
def test_bad_briefing_files(store, tmp_path: Path, case: str, expect: str) -> None:
    good = _good(store)
    if case == "invalid-json":
        p = _write(tmp_path, "x.briefing.json", '{"format": "briefer-briefing",')
    elif case == "not-a-briefing":
        p = _write(tmp_path, "x.briefing.json", json.dumps({"some": "thing"}))
    elif case == "template":
        from briefer.resources import resource

        p = _write(tmp_path, "x.briefing.json", (resource("templates") / "risk-watch.json").read_bytes())
    elif case == "newer":
        p = _write(tmp_path, "x.briefing.json", json.dumps(dict(good, schema_version=BRIEFING_SCHEMA_VERSION + 1)))
    elif case == "bad-shape":
        good["briefing"]["sections"][0]["items"][0] = {"kind": "script", "code": "import os"}
        p = _write(tmp_path, "x.briefing.json", json.dumps(good))
    elif case == "huge":
        p = _write(tmp_path, "x.briefing.json", b" " * (MAX_BRIEFING_FILE + 1))
    elif case == "deep":
        p = _write(tmp_path, "x.briefing.json", '{"a": ' * 50_000 + "1" + "}" * 50_000)
    elif case == "binary":
        p = _write(tmp_path, "x.briefing.json", b"PK\x03\x04\x00\x00binary")
    else:
        p = _write(tmp_path, "x.briefing.json", "{\"format\": \"caf\xe9\"}".encode("latin-1"))
    original = p.read_bytes()
    with pytest.raises(KnownError, match=expect) as exc:
        load_briefing_file(p, store)
    assert "\n" not in str(exc.value)
    if case == "newer":
        assert isinstance(exc.value, SchemaTooNewError)
    if case in ("bad-shape",):
        assert isinstance(exc.value, ValidationFailed)
    assert p.read_bytes() == original


def test_cli_briefing_new_and_check(cli, store, tmp_path: Path) -> None:
    path = tmp_path / "watch.briefing.json"
    r = cli("briefing", "new", str(path), "--template", "risk-watch")
    assert r.code == 0, r.err
    kept = path.read_bytes()
    _one_error_line(cli("briefing", "new", str(path), "--template", "risk-watch"))  # never overwritten silently
    assert path.read_bytes() == kept
    r = cli("briefing", "check", str(path), "--json")
    data = json.loads(r.out)
    assert data["template"] == "risk-watch" and data["warnings"] == [] and data["facts"]
    _one_error_line(cli("briefing", "check", str(tmp_path / "missing.briefing.json")))
    bad = _write(tmp_path, "bad.briefing.json", "[]")
    _one_error_line(cli("briefing", "check", str(bad)))


@pytest.mark.parametrize("content", ["{not json", "[]", '{"format": "briefer-template"}',
                                     '{"format": "briefer-briefing", "schema_version": 99, "briefing": {}}'])
def test_export_from_a_bad_briefing_file_is_one_line_and_writes_nothing(cli, tmp_path: Path, content: str) -> None:
    src = _write(tmp_path, "bad.briefing.json", content)
    target = tmp_path / "out.docx"
    target.write_bytes(b"an earlier export")
    r = cli("export", "--briefing", str(src), "--out", str(target))
    _one_error_line(r)
    assert target.read_bytes() == b"an earlier export"
    assert src.read_text(encoding="utf-8") == content


def test_an_id_the_file_never_held_is_not_said_to_be_deleted(store, tmp_path: Path) -> None:
    """A mistyped id added by hand: 'was deleted from the store since the file was saved' sent the analyst
    looking for a deletion that never happened; the file's own record of its facts tells the two apart."""
    path = tmp_path / "b.briefing.json"
    save_briefing_file(path, _briefing(), store=store)
    data = json.loads(path.read_text(encoding="utf-8"))
    typed = {"kind": "fact", "fact_id": "ai-act-pased-may-28", "override": None}
    data["briefing"]["sections"][0]["items"].append(typed)
    path.write_text(json.dumps(data), encoding="utf-8")
    store.delete_fact("risk-weak-deterrence")
    briefing, warnings = load_briefing_file(path, store)
    assert "ai-act-pased-may-28" not in briefing.fact_ids()
    typo = [w for w in warnings if "ai-act-pased-may-28" in w]
    assert len(typo) == 1 and "is not in the fact store" in typo[0] and "deleted" not in typo[0], warnings
    gone = [w for w in warnings if "risk-weak-deterrence" in w]
    assert len(gone) == 1 and "deleted from the store since the file was saved" in gone[0], warnings


@pytest.mark.parametrize("content", ["", "\n", "   \n\t\n"])
def test_an_empty_file_is_said_to_be_empty_not_bad_json(tmp_path: Path, content: str) -> None:
    path = tmp_path / "b.briefing.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        read_briefing_file(path)
    assert "is empty, so it cannot be a briefing" in str(info.value)
    assert "Expecting value" not in str(info.value) and "JSON" not in str(info.value)


def test_a_newer_file_says_to_update_briefer_once(tmp_path: Path) -> None:
    from briefer.errors import advice_for

    path = tmp_path / "b.briefing.json"
    path.write_text('{"format": "briefer-briefing", "schema_version": 99, "briefing": {}}', encoding="utf-8")
    with pytest.raises(SchemaTooNewError) as info:
        read_briefing_file(path)
    said = f"{info.value} {advice_for(info.value)}"
    assert said.lower().count("update briefer") + said.lower().count("newer version of briefer") == 1, said
