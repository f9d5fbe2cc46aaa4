"""``briefer export`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from briefer.domain.models import REQUIRED_SECTIONS, FactStatus
from briefer.export.markdown import md_escape


def test_sections_in_the_order_given(cli, tmp_path: Path, store) -> None:
    out = tmp_path / "b.docx"
    order = ["us-japan-cooperation", "law-summary", "risks", "hq-structure"]
    r = cli("export", "--sections", ",".join(order), "--out", str(out), "--facts-per-section", "3",
            "--title", "Custom title", "--author", "Analyst A", "--marking", "SECRET-ish")
    assert r.code == 0, r.err
    assert str(out) in r.out and "4 sections" in r.out and "footnotes" in r.out
    d = docx.Document(str(out))
    titles = {s.id: s.title for s in store.sections()}
    headings = [p.text for p in d.paragraphs if p.style.name == "Heading 1" and p.text[:1].isdigit()]
    assert headings == [f"{i}. {titles[s]}" for i, s in enumerate(order, 1)]
    bullets = [p for p in d.paragraphs if p.style.name == "List Bullet"]
    assert len(bullets) == 12
    assert d.core_properties.title == "Custom title" and d.core_properties.author == "Analyst A"
    header = "".join(p.text for p in d.sections[0].header.paragraphs)
    assert "Custom title" in header and "SECRET-ish" in header
    assert "Prepared by: Analyst A" in [p.text for p in d.paragraphs]


def test_empty_marking_means_none(cli, tmp_path: Path) -> None:
    out = tmp_path / "b.docx"
    assert cli("export", "--sections", "risks", "--out", str(out), "--marking", "").code == 0
    d = docx.Document(str(out))
    assert not any(p.style.name == "Marking" for p in d.sections[0].header.paragraphs)


@pytest.mark.parametrize("name,fmt,marker", [("b.md", None, "[^1]:"), ("b.html", None, 'href="#fn-1"'),
                                             ("b.txt", "md", "[^1]:"), ("b.out", "html", "<!DOCTYPE html>")])
def test_format_from_extension_or_flag(cli, tmp_path: Path, name: str, fmt: str | None, marker: str) -> None:
    out = tmp_path / name
    args = ["export", "--sections", "law-summary", "--out", str(out)] + (["--format", fmt] if fmt else [])
    r = cli(*args)
    assert r.code == 0, r.err
    assert marker in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("args,message", [
    (["--sections", "law-summary,no-such-section"], "no section with id 'no-such-section'"),
    (["--facts-per-section", "0"], "must be 1 or more"),
    (["--facts-per-section", "many"], "not a whole number"),
    (["--sections", ","], "at least one section"),
    (["--sections", "risks", "--template", "x"], "not allowed with argument"),
    (["--sections", "risks", "--briefing", "x.briefing.json"], "not allowed with argument"),
    (["--format", "odt"], "invalid choice"),
])
def test_bad_arguments_are_one_line_exit_2(cli, tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "b.docx"
    r = cli("export", "--out", str(out), *args)
    assert r.code == 2
    assert message in r.err and r.err.strip().count("\n") == 0
    assert not out.exists()


def test_unknown_extension(cli, tmp_path: Path) -> None:
    r = cli("export", "--out", str(tmp_path / "b.odt"))
    assert r.code == 2 and "cannot tell the format" in r.err


def test_json_report(cli, tmp_path: Path) -> None:
    out = tmp_path / "b.docx"
    r = cli("export", "--out", str(out), "--json")
    assert r.code == 0
    data = json.loads(r.out)
    # one footnote a fact in the body: key points point to their section and carry none of their own
    assert data["path"] == str(out) and data["format"] == "docx" and data["footnotes"] == data["facts_shown"]
    assert data["pages"] is None and data["pages_estimated"] >= 10
    assert all("makes the same claim as fact" in w for w in data["warnings"])  # near-duplicates shown once


def test_include_superseded(cli, tmp_path: Path, store) -> None:
    fact = store.facts()[0]
    newer = store.facts()[1]
    store.update_fact(fact.id, fact.model_copy(update={"status": FactStatus.SUPERSEDED, "superseded_by": newer.id}))
    out = tmp_path / "b.md"
    assert cli("export", "--sections", fact.section, "--out", str(out)).code == 0
    assert fact.statement[:40] not in out.read_text(encoding="utf-8")
    assert cli("export", "--sections", fact.section, "--out", str(out), "--force", "--include-superseded").code == 0
    text = out.read_text(encoding="utf-8")
    assert "**SUPERSEDED**" in text


def test_template_export_records_an_edition_only_when_written(cli, tmp_path: Path, data_dir: Path) -> None:
    from briefer.ingest.factpack import open_store
    from briefer.store.editions import latest_edition

    folder = tmp_path / "folder.docx"
    folder.mkdir()
    r = cli("export", "--template", "one-page-brief", "--out", str(folder))
    assert r.code == 2
    with open_store(data_dir) as s:
        assert latest_edition(s, "one-page-brief") is None  # a failed export is not an edition
    out = tmp_path / "t.docx"
    r = cli("export", "--template", "one-page-brief", "--out", str(out))
    assert r.code == 0, r.err
    d = docx.Document(str(out))
    # a one-page brief's headings are its compact Heading 1 (based on Heading 1, in the outline)
    assert any(p.style.name == "Heading 1 Compact" and p.style.base_style.name == "Heading 1" for p in d.paragraphs)
    with open_store(data_dir) as s:
        assert latest_edition(s, "one-page-brief") is not None


def test_all_required_sections_by_default(cli, tmp_path: Path, store) -> None:
    out = tmp_path / "b.md"
    assert cli("export", "--out", str(out)).code == 0
    text = out.read_text(encoding="utf-8")
    for s in store.sections():
        if s.id in REQUIRED_SECTIONS:
            assert f". {md_escape(s.title)} {{#sec-{s.id}}}" in text


def test_briefing_file_export_with_cover_overrides(cli, tmp_path: Path, store) -> None:
    from briefer.domain.briefing_file import save_briefing_file
    from briefer.domain.compose import briefing_from_sections

    b = briefing_from_sections(store, ["risks"], facts_per_section=2)
    b.cover.title = "Saved title"
    b.sections[0].items.append(b.sections[0].items[0].model_copy(update={"fact_id": "deleted-fact"}))
    path = tmp_path / "saved.briefing.json"
    save_briefing_file(path, b, store=store)
    out = tmp_path / "b.docx"
    r = cli("export", "--briefing", str(path), "--out", str(out), "--marking", "RESTRICTED")
    assert r.code == 0, r.err
    assert "deleted-fact" in r.err  # the file's warning about a fact the store no longer has
    d = docx.Document(str(out))
    assert d.core_properties.title == "Saved title"
    assert "RESTRICTED" in "".join(p.text for p in d.sections[0].header.paragraphs)
    assert len([p for p in d.paragraphs if p.style.name == "List Bullet"]) == 2
    r = cli("export", "--briefing", str(path), "--out", str(out), "--facts-per-section", "1")
    assert r.code == 2 and "does not apply" in r.err
