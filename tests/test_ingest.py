"""Importing documents: formats, encodings, furniture removal on the seed
documents, candidate facts, duplicates, and every kind of bad input."""

from __future__ import annotations

import io
import json
import os
import zipfile
from datetime import date
from pathlib import Path

import pytest

from briefer import resources
from briefer.domain import curation
from briefer.domain.provenance import find_quote
from briefer.errors import ImportFailed
from briefer.ingest import pipeline
from briefer.ingest.encoding import decode
from briefer.ingest.furniture import clean

SEEDS = resources.seeds_dir()
JA = "人工知能戦略本部は2025年9月1日に内閣府に設置された。本部長は石破茂内閣総理大臣である。AI推進法には罰則がない。"

ARTICLE_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Site | Japan approves AI plan</title>
<meta property="og:title" content="Japan approves its first AI Basic Plan">
<meta name="author" content="Emi Tanaka">
<meta property="article:published_time" content="2025-12-23T09:30:00+09:00">
<meta property="og:site_name" content="Tokyo Policy Wire">
<script>document.write("The Act imposes fines of 10 million yen on developers.")</script>
<style>.x{}</style></head><body>
<nav><a href="/">Home</a> | <a href="/politics">Politics</a></nav>
<article><h1>Japan approves its first AI Basic Plan</h1>
<figure><img src="a.jpg" alt="Ministers meet">
<figcaption>Ministers meet at the Prime Minister's office.</figcaption></figure>
<p>The Cabinet on December 23, 2025 approved the AI Basic Plan drafted by the AI Strategy Headquarters.</p>
<p>The plan rests on four pillars and aims to raise generative AI use from 26.7% of people to 80%.</p>
<script>alert("never")</script>
<p>Washington and Tokyo agreed to coordinate AI safety evaluations through their AI Safety Institutes.</p>
</article>
<aside class="related-articles"><h2>Related articles</h2>
<ul><li>Typhoon hits Okinawa, flights cancelled at the airport</li></ul></aside>
<section id="comments"><h2>2 Comments</h2>
<p>The law has no penalties so this whole plan is entirely toothless anyway.</p></section>
<footer>© 2025 Tokyo Policy Wire. All rights reserved.</footer></body></html>"""


def _docx(path: Path, paragraphs: list[tuple[str, str | None]], *, title: str = "", author: str = "") -> Path:
    from docx import Document

    doc = Document()
    for text, style in paragraphs:
        doc.add_paragraph(text, style=style)
    doc.core_properties.title = title
    doc.core_properties.author = author
    doc.save(str(path))
    return path


def _pdf(lines: list[str], *, title: str = "", author: str = "") -> bytes:
    """A minimal one-page PDF with these lines of text (Helvetica, no embedded font)."""
    def esc(t: str) -> str:
        return t.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = "BT /F1 11 Tf 14 TL 72 760 Td " + " ".join(
        (f"({esc(line)}) Tj" if i == 0 else f"({esc(line)}) '") for i, line in enumerate(lines)) + " ET"
    stream = ops.encode("latin-1")
    info = f"<< /Title ({esc(title)}) /Author ({esc(author)}) /CreationDate (D:20251105120000Z) >>"
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> >>",
        None,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        info,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        if body is None:
            out += f"{i} 0 obj\n<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream\nendobj\n"
        else:
            out += f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(612, 792)
    w.encrypt("secret")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _analyse(store, path: Path):
    return pipeline.analyse(path, pipeline.Library.of(store), today=date(2026, 1, 15))


# -- formats -------------------------------------------------------------------------------


def test_html_gives_text_metadata_and_no_script_text(store, tmp_path):
    p = tmp_path / "plan.html"
    p.write_text(ARTICLE_HTML, encoding="utf-8")
    doc = _analyse(store, p)
    assert doc.format == "html"
    assert doc.title == "Japan approves its first AI Basic Plan"
    assert doc.author == "Emi Tanaka"
    assert doc.published == date(2025, 12, 23)
    assert doc.outlet == "Tokyo Policy Wire"
    assert "fines of 10 million yen" not in doc.text and "alert" not in doc.text  # scripts: never text, never run
    assert "Typhoon" not in doc.text and "toothless" not in doc.text and "All rights reserved" not in doc.text
    assert "Ministers meet" not in doc.text
    kinds = {k for k, _ in doc.removed}
    assert {"navigation", "related articles", "comment thread", "image"} <= kinds
    statements = [c.statement for c in doc.candidates]
    assert any("AI Basic Plan drafted by the AI Strategy Headquarters" in s for s in statements)
    us = next(c for c in doc.candidates if "Washington" in c.statement)
    assert us.section == "us-japan-cooperation" and us.reason
    for c in doc.candidates:  # every quote is verbatim in the stored text
        assert find_quote(doc.text, c.quote) is not None


def test_markdown_front_matter_is_metadata_not_text_candidates(store, tmp_path):
    p = tmp_path / "note.md"
    p.write_text("---\ntitle: \"A note on the Act\"\nauthor: Jane Doe\ndate: 2025-07-01\n---\n\n"
                 "# A note on the Act\n\n![chart](https://example.org/c.png)\n_▲ Table 1: Votes_\n\n"
                 "The House of Councillors adopted the AI Promotion Act on 28 May 2025 without penalties.\n",
                 encoding="utf-8")
    doc = _analyse(store, p)
    assert (doc.format, doc.title, doc.author, doc.published) == ("markdown", "A note on the Act", "Jane Doe",
                                                                  date(2025, 7, 1))
    assert [c.section for c in doc.candidates] == ["law-summary"]
    assert not any("title:" in c.quote or "png" in c.quote or "Table 1" in c.quote for c in doc.candidates)


def test_docx_text_headings_and_core_properties(store, tmp_path):
    p = _docx(tmp_path / "memo.docx", [("Briefing memo", "Title"), ("Background", "Heading 1"),
                                       ("The AI Strategy Headquarters is chaired by the Prime Minister and includes "
                                        "all Cabinet ministers.", None)],
              title="Memo on the HQ", author="A. Analyst")
    doc = _analyse(store, p)
    assert doc.format == "docx" and doc.title == "Memo on the HQ" and doc.author == "A. Analyst"
    assert "# Briefing memo" in doc.text and "## " not in doc.text.split("Background")[1][:3]
    assert [c.section for c in doc.candidates] == ["hq-structure"]
    assert doc.published is None and "created" in doc.date_note  # the file's creation date is not a publication date


def test_pdf_text_reflowed_with_properties(store, tmp_path):
    p = tmp_path / "report.pdf"
    p.write_bytes(_pdf(["The AI Strategy Headquarters, chaired by the Prime Minister,",
                        "approved the draft AI Basic Plan, which includes all Cabinet",
                        "ministers in its work.", "",
                        "Japan and the United States agreed to cooperate on AI safety",
                        "evaluations through their AI Safety Institutes."],
                       title="Quarterly AI policy report", author="Policy Unit"))
    doc = _analyse(store, p)
    assert (doc.format, doc.title, doc.author) == ("pdf", "Quarterly AI policy report", "Policy Unit")
    assert doc.published is None and "2025-11-05" in doc.date_note
    quotes = [c.quote for c in doc.candidates]
    assert ("The AI Strategy Headquarters, chaired by the Prime Minister, approved the draft AI Basic Plan, which "
            "includes all Cabinet ministers in its work.") in quotes
    us = next(c for c in doc.candidates if "United States" in c.quote)
    assert us.section == "us-japan-cooperation"


def test_plain_text_dateline_and_title(store, tmp_path):
    p = tmp_path / "wire.txt"
    p.write_text("Monday, 15 December 2025\nJapan names AI envoy\n\nJapan appointed a special envoy for AI "
                 "governance to lead talks with the United States on AI safety cooperation.\n", encoding="utf-8")
    doc = _analyse(store, p)
    assert doc.published == date(2025, 12, 15) and doc.title == "Japan names AI envoy"
    assert "dateline" in {k for k, _ in doc.removed}


# -- encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("codec", "expected"), [
    ("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 (BOM)"), ("utf-16", "UTF-16"), ("utf-16-le", "UTF-16 LE (no BOM)"),
    ("utf-16-be", "UTF-16 BE (no BOM)"), ("shift_jis", "Shift_JIS"), ("cp932", "Shift_JIS"), ("euc_jp", "EUC-JP"),
])
def test_japanese_text_in_every_encoding_is_stored_as_unicode(store, tmp_path, codec, expected):
    p = tmp_path / f"ja-{codec}.txt"
    p.write_bytes(JA.encode(codec))
    doc = _analyse(store, p)
    assert doc.encoding.startswith(expected)
    assert doc.text == JA
    assert doc.language == "ja"
    assert any("人工知能戦略本部" in c.quote for c in doc.candidates)


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_english_seed_in_unicode_encodings(codec):
    text = (SEEDS / "000_2b21e0870ad15696.txt").read_text(encoding="utf-8")
    assert decode(text.encode(codec)).text == text


def test_cp932_only_characters_decode():
    text = "①ＡＩ戦略本部の会合は、髙橋氏が出席した。"
    assert decode(text.encode("cp932")).text == text


# -- the seeds: furniture ------------------------------------------------------------------------


def _seed_candidates(store, name: str):
    return _analyse(store, SEEDS / name)


def test_seed_comments_never_become_candidates(store):
    doc = _seed_candidates(store, "000_2b21e0870ad15696.txt")
    quotes = " ".join(c.quote for c in doc.candidates)
    for comment in ("BuggaBoom", "PR fluff", "hidden agendas", "Strong laws are a MUST", "bureaucracy slowing",
                    "Domestic R&D focus is a MUST"):
        assert comment not in quotes
    assert "7 Comments" not in quotes
    assert any("Minoru Kiuchi" in c.quote for c in doc.candidates)
    assert doc.duplicate_of == "news-kiuchi-hq"


def test_seed_related_articles_dateline_and_nav_removed(store):
    doc = _seed_candidates(store, "001_f20f6a5bd50e470c.txt")
    quotes = " ".join(c.quote for c in doc.candidates)
    for junk in ("Chicago", "Israel", "Qatar", "Lee jea-myung", "Home Politics", "Saturday , 13 September",
                 "Japan AI strategy meeting", "KOR-US"):
        assert junk not in quotes
    assert doc.title == "Japan Establishes AI Strategy HQ to Boost R&D"
    assert doc.published == date(2025, 9, 13)
    kinds = {k for k, _ in doc.removed}
    assert {"related articles", "dateline", "navigation"} <= kinds


def test_seed_front_matter_and_image_links_removed(store):
    doc = _seed_candidates(store, "004_9995c0efdbc0b007.txt")
    quotes = " ".join(c.quote for c in doc.candidates)
    for junk in ("imgur", "![image", "layout: post", "excerpt_separator", "Table 1: History", "<excerpt/>"):
        assert junk not in quotes
    assert (doc.title, doc.author, doc.published) == ("Japan’s AI Governance Strategy", "Tagui Ichikawa",
                                                      date(2025, 6, 17))
    assert "front matter" in {k for k, _ in doc.removed} and "image link" in {k for k, _ in doc.removed}


def test_seed_newsletter_call_to_action_skipped(store):
    doc = _seed_candidates(store, "003_46720831172707a4.txt")
    assert not any(c.quote.startswith("Read this deep dive") for c in doc.candidates)
    assert doc.skipped.get("a call to action") == 1
    headline = "Policy Update: The New AI Law That Exposed Japan’s Deep Tech Anxiety"
    assert doc.title == headline and all(c.quote != headline for c in doc.candidates)


def test_every_seed_segment_kind():
    text = (SEEDS / "001_f20f6a5bd50e470c.txt").read_text(encoding="utf-8")
    segs = clean(text).segments
    body = " ".join(text[s.start:s.end] for s in segs if s.kind == "body")
    assert "Prime Minister Shigeru Ishiba will serve as the head" in body
    assert "Israeli Airstrike" not in body


def test_candidates_point_out_near_duplicates_of_existing_facts(store):
    doc = _seed_candidates(store, "002_116a4c94cb1162b7.txt")
    pillars = next(c for c in doc.candidates if "four major policy pillars" in c.quote)
    assert pillars.near and pillars.near[0][0] == "hq-basic-plan-four-pillars"


# -- duplicates, transactions ------------------------------------------------------------------


def test_same_document_twice_is_not_duplicated(store, tmp_path):
    p = tmp_path / "plan.html"
    p.write_text(ARTICLE_HTML, encoding="utf-8")
    first = pipeline.commit(pipeline.prepare([p], store), store, analyst="tester")
    assert len(first.sources) == 1 and first.pending >= 3
    copy = tmp_path / "copy of plan.html"
    copy.write_text(ARTICLE_HTML, encoding="utf-8")
    second = pipeline.commit(pipeline.prepare([copy], store), store, analyst="tester")
    assert second.sources == [] and second.duplicates == [("copy of plan.html", first.sources[0])]
    assert len([s for s in store.sources() if s.file and s.file.endswith("plan.html")]) == 1


def test_two_copies_in_one_import_are_one_source(store, tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    a.write_text(ARTICLE_HTML, encoding="utf-8")
    b.write_text(ARTICLE_HTML, encoding="utf-8")
    res = pipeline.commit(pipeline.prepare([a, b], store), store, analyst="tester")
    assert len(res.sources) == 1 and len(res.duplicates) == 1


def test_accept_all_makes_facts_with_verbatim_citations_and_history(store, tmp_path):
    p = tmp_path / "plan.html"
    p.write_text(ARTICLE_HTML, encoding="utf-8")
    res = pipeline.commit(pipeline.prepare([p], store), store, analyst="Ana Lyst", accept_all=True)
    assert res.facts
    src = store.source(res.sources[0])
    for fid in res.facts:
        fact = store.fact(fid)
        assert find_quote(src.text, fact.citations[0].quote) is not None
        assert fact.as_of == date(2025, 12, 23)
        assert store.history(fid)[0]["analyst"] == "Ana Lyst"


def test_failed_import_leaves_the_store_exactly_as_it_was(store, tmp_path):
    p = tmp_path / "plan.html"
    p.write_text(ARTICLE_HTML, encoding="utf-8")
    before = (len(store.sources()), store.fact_count(), len(curation.candidates(store, status=None)))
    plan = pipeline.prepare([p], store)

    def boom() -> None:
        raise OSError("disk full")

    with pytest.raises(OSError):
        pipeline.commit(plan, store, analyst="t", accept_all=True, before_commit=boom)
    assert (len(store.sources()), store.fact_count(), len(curation.candidates(store, status=None))) == before


# -- bad input -----------------------------------------------------------------------------------


def _zip(members: dict[str, bytes], *, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compress) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


DOC_XML = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           b"<w:body><w:p><w:r><w:t>The AI Strategy Headquarters is chaired by the Prime Minister of Japan."
           b"</w:t></w:r></w:p></w:body></w:document>")
TYPES = (b'<?xml version="1.0"?><Types xmlns="x"><Override ContentType="application/'
         b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    out: dict[str, tuple[Path, str]] = {}

    def put(name: str, data: bytes, expect: str) -> None:
        p = tmp_path / name
        p.write_bytes(data)
        out[name] = (p, expect)

    put("empty.txt", b"", "empty")
    put("blank.txt", b"  \n\n  ", "empty")
    put("binary.txt", bytes(range(256)) * 20, "binary")
    latin = "Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00e0 la carte ".encode("latin-1")
    put("latin.txt", latin * 3 + b"\xff\xfe\xfd\x80", "not text in an encoding")
    put("macros.docm", _zip({"[Content_Types].xml": TYPES, "word/document.xml": DOC_XML}), "macro-enabled")
    put("renamed.docx", _zip({"[Content_Types].xml": TYPES.replace(b"document.main", b"document.macroEnabled.main"),
                              "word/document.xml": DOC_XML, "word/vbaProject.bin": b"\0" * 10}), "macro-enabled")
    put("notzip.docx", b"this is not a zip at all, just text pretending", "not a Word document")
    put("truncated.docx", _zip({"[Content_Types].xml": TYPES, "word/document.xml": DOC_XML})[:60], "damaged")
    put("nodoc.docx", _zip({"[Content_Types].xml": TYPES, "word/other.xml": b"<x/>"}), "no word/document.xml")
    put("badxml.docx", _zip({"[Content_Types].xml": TYPES, "word/document.xml": b"<w:document><unclosed>"}),
        "not well-formed")
    put("entities.docx", _zip({"[Content_Types].xml": TYPES, "word/document.xml":
                               b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><w:document/>'}),
        "declares a document type")
    put("bomb.docx", _zip({"[Content_Types].xml": TYPES, "word/document.xml": b"<a>" + b" " * (8 * 1024 * 1024)}),
        "zip bomb")
    put("broken.pdf", b"%PDF-1.7\n%binary rubbish with no objects at all", "damaged PDF")
    put("locked.pdf", _encrypted_pdf(), "password-protected")
    put("scan.pdf", _pdf([]), "no text layer")
    return out


def test_every_bad_input_gives_one_clear_message(store, tmp_path):
    for name, (path, expect) in _bad_inputs(tmp_path).items():
        with pytest.raises(ImportFailed) as err:
            _analyse(store, path)
        assert expect in str(err.value), (name, str(err.value))
        assert "\n" not in str(err.value)


def test_missing_folder_and_unreadable_paths(store, tmp_path):
    with pytest.raises(ImportFailed, match="does not exist"):
        _analyse(store, tmp_path / "nope.txt")
    with pytest.raises(ImportFailed, match="is a folder"):
        _analyse(store, tmp_path)
    locked = tmp_path / "locked.txt"
    locked.write_text("The AI Strategy Headquarters is chaired by the Prime Minister.", encoding="utf-8")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):  # root reads anything: nothing to test
            return
        with pytest.raises(ImportFailed, match="permission denied"):
            _analyse(store, locked)
    finally:
        locked.chmod(0o644)


def test_size_cap_refuses_before_reading(store, tmp_path, monkeypatch):
    p = tmp_path / "big.txt"
    p.write_text("x" * 2048, encoding="utf-8")
    opened: list[str] = []
    real_open = open

    def spy(file, *a, **k):  # type: ignore[no-untyped-def]
        opened.append(str(file))
        return real_open(file, *a, **k)

    monkeypatch.setattr("builtins.open", spy)
    with pytest.raises(ImportFailed, match="too large to import .*nothing was read"):
        pipeline.analyse(p, pipeline.Library.of(store), max_bytes=1024)
    assert str(p) not in opened


# -- the CLI ---------------------------------------------------------------------------------------


def test_cli_import_then_review(cli, tmp_path):
    p = tmp_path / "plan.html"
    p.write_text(ARTICLE_HTML, encoding="utf-8")
    r = cli("import", str(p))
    assert r.code == 0, r.err
    assert "candidate fact" in r.out and "related articles" in r.out
    r = cli("candidates", "list", "--json")
    cands = json.loads(r.out)
    assert cands and all(c["status"] == "pending" for c in cands)
    us = next(c for c in cands if "Washington" in c["statement"])
    assert us["section"] == "us-japan-cooperation" and us["reason"]
    r = cli("candidates", "accept", str(us["id"]), "--priority", "4", "--json")
    assert r.code == 0, r.err
    fact = json.loads(r.out)[0]
    assert fact["priority"] == 4 and fact["citations"][0]["quote"] == us["quote"]
    other = next(c for c in cands if c["id"] != us["id"])
    assert cli("candidates", "reject", str(other["id"])).code == 0
    left = json.loads(cli("candidates", "list", "--json").out)
    assert {c["id"] for c in left} == {c["id"] for c in cands} - {us["id"], other["id"]}
    r = cli("candidates", "accept", str(us["id"]))
    assert r.code == 2 and "already accepted" in r.err


def test_cli_import_again_is_detected(cli, tmp_path):
    r = cli("import", str(SEEDS / "000_2b21e0870ad15696.txt"), "--json")
    data = json.loads(r.out)
    assert data["imported_sources"] == [] and data["duplicates"][0]["source"] == "news-kiuchi-hq"


def test_cli_accept_all_and_shift_jis(cli, tmp_path):
    p = tmp_path / "kihon.txt"
    p.write_bytes(JA.encode("shift_jis"))
    r = cli("import", str(p), "--accept-all", "--json")
    data = json.loads(r.out)
    assert data["documents"][0]["encoding"].startswith("Shift_JIS") and data["facts_added"]
    shown = json.loads(cli("facts", "show", data["facts_added"][0], "--json").out)
    assert "人工知能戦略本部" in shown["citations"][0]["quote"]


def test_cli_bad_input_exit_2_and_nothing_imported(cli, tmp_path, store):
    good = tmp_path / "plan.html"
    good.write_text(ARTICLE_HTML, encoding="utf-8")
    n_sources = len(store.sources())
    for name, (path, expect) in _bad_inputs(tmp_path).items():
        r = cli("import", str(good), str(path))
        assert r.code == 2, name
        assert expect in r.err and "nothing was imported" in r.err and r.err.count("\n") == 1, (name, r.err)
        assert "Traceback" not in r.err
    r = cli("import", str(tmp_path / "missing.html"))
    assert r.code == 2 and "does not exist" in r.err
    assert len(store.sources()) == n_sources


def test_cli_dry_run_writes_nothing(cli, tmp_path, store):
    p = tmp_path / "plan.html"
    p.write_text(ARTICLE_HTML, encoding="utf-8")
    n = len(store.sources())
    r = cli("import", str(p), "--dry-run")
    assert r.code == 0 and "Dry run" in r.out
    assert len(store.sources()) == n
