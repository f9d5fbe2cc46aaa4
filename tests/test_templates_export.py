"""Every built-in template exported from the command line to Word and read
back with independent readers; one-page-brief is one page in LibreOffice; a
shared template gives the same briefing on a colleague's machine; the JSON
Schemas in resources/schemas are what the generator writes."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import docx
import pypandoc
import pytest
from docx2python import docx2python

from briefer.cli import main
from briefer.domain.template_library import TemplateLibrary
from briefer.domain.templates import begin_template_export
from briefer.domain.typography import smart_quotes
from briefer.resources import resource

BUILTINS = ["full-briefing", "one-page-brief", "risk-watch", "us-japan-cooperation"]
REPO = Path(__file__).resolve().parents[1]


def _headings(path: Path) -> list[str]:
    md = pypandoc.convert_file(str(path), "markdown-smart", extra_args=["--wrap=none"])
    return [re.sub(r"\s*\{[^}]*\}\s*$", "", line[2:]).strip() for line in md.splitlines() if line.startswith("# ")]


def _footnote_count(path: Path) -> int:
    md = pypandoc.convert_file(str(path), "markdown-smart", extra_args=["--wrap=none"])
    return len(re.findall(r"^\[\^\d+\]:", md, flags=re.M))


def _expected(store, data_dir: Path, name: str) -> tuple[list[str], int, list[str]]:
    """Headings, footnote count and fact statements the export of ``name`` must show."""
    exp = begin_template_export(store, data_dir, name, today=date.today())
    t, b = exp.template, exp.briefing
    titles = {s.id: s.title for s in store.sections()}
    facts = store.facts_by_ids(b.fact_ids())
    heads = []
    if t.switches.contents:
        heads.append("Contents")
    if t.switches.summary:
        # on a cover page of its own the key points stand under the title, before the contents (the point
        # on page one); a note that leads with what changed keeps them after it
        on_cover = t.switches.cover_page and not t.switches.whats_new_first
        heads.insert(0 if on_cover else len(heads), "Key points")
    heads += [smart_quotes(f"{i}. {s.heading or titles[s.section]}") for i, s in enumerate(b.sections, 1)]
    from briefer.domain.document import FigureBlock, resolve

    document = resolve(b, store, today=date.today())
    letters = iter("ABC")
    if t.switches.citations == "evidence":
        heads.append(f"Appendix {next(letters)}. Evidence")
    if t.switches.sources_appendix:
        heads.append(f"Appendix {next(letters)}. Sources cited")
    if t.switches.glossary and document.glossary:
        heads.append(f"Appendix {next(letters)}. Glossary of names")
    # one footnote a fact shown (a near-duplicate of an earlier fact is shown once); key points have none
    shown = [fb.fact_id for sec in document.sections for fb in sec.facts()]
    notes = len(shown) + sum(1 for p in (document.summary.points if document.summary else []) if p.fact)
    # each figure's caption carries a note naming its sources
    notes += sum(1 for sec in document.sections for blk in sec.blocks if isinstance(blk, FigureBlock))
    return heads, notes, [smart_quotes(facts[f].statement) for f in shown]


@pytest.mark.parametrize("name", BUILTINS)
def test_every_builtin_exports_to_docx_with_its_sections(cli, store, data_dir: Path, tmp_path: Path,
                                                         name: str) -> None:
    heads, notes, statements = _expected(store, data_dir, name)
    out = tmp_path / f"{name}.docx"
    r = cli("export", "--template", name, "--out", str(out))
    assert r.code == 0, r.err
    assert _headings(out) == heads
    assert _footnote_count(out) == notes
    with docx2python(out) as read:
        body = read.text
    for st in statements:
        assert st[:60] in body, st
    d = docx.Document(str(out))
    title = TemplateLibrary(data_dir).get(name).cover
    assert d.core_properties.title.startswith(title.title)
    # the export was recorded as the template's first edition
    assert json.loads(cli("templates", "editions", name, "--json").out)[0]["number"] == 1


def test_second_export_has_whats_new_in_the_docx(cli, store, tmp_path: Path) -> None:
    assert cli("export", "--template", "risk-watch", "--out", str(tmp_path / "1.docx")).code == 0
    f = store.fact("risk-no-safety-audit-obligation")
    store.update_fact(f.id, f.model_copy(update={"statement": "No developer must undergo a safety audit yet."}))
    assert cli("export", "--template", "risk-watch", "--out", str(tmp_path / "2.docx")).code == 0
    heads = _headings(tmp_path / "2.docx")
    assert any(h.startswith("What\u2019s new since ") for h in heads)
    with docx2python(tmp_path / "2.docx") as read:
        assert "No developer must undergo a safety audit yet." in read.text


def test_shared_template_gives_the_same_briefing_on_a_fresh_data_folder(cli, data_dir: Path, tmp_path: Path) -> None:
    lib = TemplateLibrary(data_dir)
    mine = lib.get("us-japan-cooperation").model_copy(update={"name": "Dialogue prep"})
    mine.cover.prepared_for = "The delegation"
    lib.save(mine)
    shared = tmp_path / "dialogue.template.json"
    assert cli("templates", "export", "Dialogue prep", str(shared)).code == 0
    assert cli("export", "--template", "Dialogue prep", "--out", str(tmp_path / "mine.md")).code == 0
    colleague = tmp_path / "colleague-data"
    assert main(["--data-dir", str(colleague), "templates", "import", str(shared)]) == 0
    assert main(["--data-dir", str(colleague), "export", "--template", "Dialogue prep", "--out",
                 str(tmp_path / "theirs.md")]) == 0
    assert (tmp_path / "mine.md").read_text(encoding="utf-8") == (tmp_path / "theirs.md").read_text(encoding="utf-8")
    # and straight from the file, without importing it
    assert main(["--data-dir", str(colleague), "export", "--template", str(shared), "--out",
                 str(tmp_path / "direct.md")]) == 0


def test_export_with_a_bad_template_writes_nothing(cli, tmp_path: Path) -> None:
    target = tmp_path / "briefing.docx"
    target.write_bytes(b"an earlier export")
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", encoding="utf-8")
    for ref in (str(bad), "no-such-template", str(tmp_path / "missing.json")):
        r = cli("export", "--template", ref, "--out", str(target))
        assert r.code == 2 and len(r.err.strip().splitlines()) == 1, r.err
    assert target.read_bytes() == b"an earlier export"


def test_export_from_a_briefing_file_reports_deleted_facts(cli, store, tmp_path: Path) -> None:
    path = tmp_path / "w.briefing.json"
    assert cli("briefing", "new", str(path), "--template", "one-page-brief").code == 0
    first = json.loads(path.read_text(encoding="utf-8"))["briefing"]["sections"][0]["items"][0]["fact_id"]
    store.delete_fact(first)
    r = cli("export", "--briefing", str(path), "--out", str(tmp_path / "w.docx"))
    assert r.code == 0, r.err
    assert first in r.err and "deleted" in r.err
    with docx2python(tmp_path / "w.docx") as read:
        assert "Key points" in read.text


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_one_page_brief_is_one_page_in_libreoffice(cli, tmp_path: Path) -> None:
    from briefer.export.pdf import docx_to_pdf

    out = tmp_path / "one-page.docx"
    r = cli("export", "--template", "one-page-brief", "--out", str(out))
    assert r.code == 0, r.err
    pdf = docx_to_pdf(out, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, flags=re.M).group(1))
    assert pages == 1
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "one-page brief" in text and "Key points" in text and "Page 1 of 1" in text
    assert len(text.split()) > 300  # the budget uses the page rather than leaving it half empty
    # the export's own estimate says the same: one page, never "over budget"
    dry = json.loads(cli("export", "--template", "one-page-brief", "--dry-run", "--json").out)
    assert dry["pages_estimated"] == 1 and dry["over_budget"] is False


def test_schemas_are_what_the_generator_writes() -> None:
    spec = importlib.util.spec_from_file_location("gen_schemas", REPO / "scripts" / "gen_schemas.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    generated = mod.generate()
    assert set(generated) == {"template.schema.json", "briefing.schema.json"}
    for name, text in generated.items():
        assert (resource("schemas") / name).read_text(encoding="utf-8") == text, f"run 'make schemas' ({name})"
    schema = json.loads(generated["template.schema.json"])
    assert {"name", "sections"} <= set(schema["required"])
    assert {"schema_version", "length", "cover", "switches", "audience", "description"} <= set(schema["properties"])


def test_builtins_follow_the_schema_shape() -> None:
    """Each built-in names every field of the schema, so it doubles as documentation."""
    schema = json.loads((resource("schemas") / "template.schema.json").read_text(encoding="utf-8"))
    for name in BUILTINS:
        data = json.loads((resource("templates") / f"{name}.json").read_text(encoding="utf-8"))
        assert set(data) == set(schema["properties"]), name
        assert data["name"] == name


def test_export_warns_about_unknown_fact_ids_and_records_the_file(cli, store, tmp_path: Path) -> None:
    data = json.loads((resource("templates") / "us-japan-cooperation.json").read_text(encoding="utf-8"))
    data["sections"][1]["selection"]["fact_ids"] += ["fact-from-another-store"]
    f = tmp_path / "ghost.template.json"
    f.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "note.docx"
    r = cli("export", "--template", str(f), "--out", str(out))
    assert r.code == 0, r.err
    assert "warning" in r.err and "fact-from-another-store" in r.err and "left out" in r.err
    with docx2python(out) as read:
        assert "fact-from-another-store" not in read.text
    from briefer.store.editions import editions

    assert editions(store, "us-japan-cooperation")[0].output == str(out)
