"""Contents page numbers from a LibreOffice layout pass, and the PDF for the record.

The page numbers a Word export carries in its TOC field are checked against
an independent conversion of that final file: LibreOffice lays it out again,
and each heading's page in the PDF's bookmarks must be the number printed
on the contents page.  Skipped only when ``soffice`` is not installed
(``make test`` installs it when run as root)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

from briefer.export import export_briefing
from briefer.export.layout import NO_LIBREOFFICE, outline_pages
from briefer.export.pdf import docx_to_pdf

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")


@pytest.fixture(autouse=True)
def _layout_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFER_LAYOUT_PASS", "1")


def _document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("word/document.xml").decode("utf-8")


def _settings_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("word/settings.xml").decode("utf-8")


def _toc_numbers(xml: str) -> list[tuple[str, int]]:
    """(bookmark, cached page) of each PAGEREF in the TOC field's result."""
    return [(m.group(1), int(m.group(2))) for m in re.finditer(
        r"PAGEREF (\w+) \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
        r"<w:r><w:t>(\d+)</w:t>", xml)]


def _heading_bookmarks(xml: str) -> dict[str, str]:
    """bookmark name -> the heading text it marks."""
    return {m.group(1): m.group(2) for m in re.finditer(
        r'<w:bookmarkStart w:id="\d+" w:name="(\w+)"/><w:r><w:t xml:space="preserve">([^<]*)</w:t>', xml)}


@needs_soffice
@pytest.mark.soffice
@pytest.mark.parametrize("template", ["full-briefing", "compendium"])  # the built-ins with a contents page
def test_contents_page_numbers_are_where_libreoffice_puts_the_headings(cli, tmp_path: Path, template: str) -> None:
    out = tmp_path / "b.docx"
    r = cli("export", "--template", template, "--out", str(out), "--json")
    assert r.code == 0, r.err
    assert "no page numbers" not in r.err
    xml = _document_xml(out)
    # a real TOC field, neither dirty nor to be updated: Word opens it as it is and asks nothing
    assert ' TOC \\o "1-1" \\h \\z \\u ' in xml
    assert "w:dirty" not in xml and "updateFields" not in _settings_xml(out)
    numbers = _toc_numbers(xml)
    assert len(numbers) >= 3
    headings = _heading_bookmarks(xml)
    pdf = docx_to_pdf(out, tmp_path)  # an independent layout of the final file
    outline, count = outline_pages(pdf)
    pages = dict(outline)
    for bookmark, page in numbers:
        assert pages[headings[bookmark]] == page, f"{headings[bookmark]}: contents say {page}"
    assert numbers == sorted(numbers, key=lambda n: n[1])  # in reading order
    assert f"{count}</w:t>" in zipfile.ZipFile(out).read("word/footer1.xml").decode()  # NUMPAGES cached
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    contents_page = text.split("\f")[1] if template == "full-briefing" else text
    for bookmark, page in numbers:
        assert re.search(rf"{re.escape(headings[bookmark][:25])}.*?\.{{3,}}\s*{page}\b", contents_page, re.S), \
            headings[bookmark]


def test_without_libreoffice_the_contents_are_links_and_the_export_says_so_once(cli, tmp_path: Path,
                                                                                   monkeypatch) -> None:
    from briefer.export import pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    out = tmp_path / "b.docx"
    r = cli("export", "--template", "full-briefing", "--out", str(out))
    assert r.code == 0, r.err
    assert r.err.count("no page numbers") == 1 and NO_LIBREOFFICE in r.err
    xml = _document_xml(out)
    assert " TOC " not in xml and "PAGEREF" not in xml
    assert xml.count('<w:hyperlink w:anchor="sec_') >= 8  # the linked list of today


def test_no_page_numbers_flag_skips_the_pass_quietly(cli, tmp_path: Path) -> None:
    out = tmp_path / "b.docx"
    r = cli("export", "--template", "full-briefing", "--out", str(out), "--no-page-numbers")
    assert r.code == 0 and "page numbers" not in r.err
    assert "PAGEREF" not in _document_xml(out)


_HANGING_SOFFICE = """#!/bin/sh
# a LibreOffice that never finishes, with a child of its own (as soffice starts soffice.bin)
sleep 300 &
echo $! > "{pids}"
echo $$ >> "{pids}"
wait
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_hanging_libreoffice_is_stopped_and_the_export_finishes_without_numbers(tmp_path: Path,
                                                                                 monkeypatch, store) -> None:
    from briefer.domain.compose import briefing_from_sections
    from briefer.domain.document import resolve

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pids = tmp_path / "pids"
    fake = bin_dir / "soffice"
    fake.write_text(_HANGING_SOFFICE.format(pids=pids))
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    doc = resolve(briefing_from_sections(store, ["law-summary", "risks"]), store, today=date(2025, 10, 1))
    out = tmp_path / "b.docx"
    start = time.monotonic()
    result = export_briefing(doc, out, layout_timeout=2)
    assert time.monotonic() - start < 30
    assert not result.page_numbers
    assert any("did not lay the document out within 2 seconds and was stopped" in w for w in result.warnings)
    assert "PAGEREF" not in _document_xml(out)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".b.docx")] == []  # no partial file
    started = [int(x) for x in pids.read_text().split()]
    deadline = time.monotonic() + 5
    while any(_alive(p) for p in started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in started), "LibreOffice's process group was left running"


@needs_soffice
@pytest.mark.soffice
def test_pdf_is_tagged_with_title_author_subject_and_contents_as_bookmarks(cli, tmp_path: Path) -> None:
    out = tmp_path / "b.pdf"
    r = cli("export", "--template", "full-briefing", "--out", str(out), "--author", "Desk Officer A")
    assert r.code == 0, r.err
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.M)
    assert re.search(r"^Title:\s+Japan\u2019s AI Governance", info, re.M)
    assert re.search(r"^Author:\s+Desk Officer A", info, re.M)
    assert re.search(r"^Subject:\s+Background briefing", info, re.M)
    outline, _ = outline_pages(out)
    titles = [t for t, _ in outline]
    assert titles[0] == "Key points" and "Appendix A. Sources cited" in titles
    assert any(t.startswith("1. Background") for t in titles)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout.split("\f")[1]
    printed = [(m.group(1).strip(), int(m.group(2))) for m in re.finditer(r"^(\S.*?)\.{3,}\s*(\d+)\s*$", text, re.M)]
    assert printed == outline  # the bookmarks are the printed contents, entry for entry, page for page


@needs_soffice
@pytest.mark.soffice
def test_pdf_a_option_writes_pdf_a_2b(cli, tmp_path: Path) -> None:
    out = tmp_path / "b.pdf"
    r = cli("export", "--sections", "law-summary", "--out", str(out), "--pdf-a", "--no-page-numbers")
    assert r.code == 0, r.err
    from pypdf import PdfReader

    xmp = PdfReader(str(out)).xmp_metadata.stream.get_data().decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp


def test_pdf_a_needs_a_pdf(cli, tmp_path: Path) -> None:
    r = cli("export", "--sections", "law-summary", "--out", str(tmp_path / "b.docx"), "--pdf-a")
    assert r.code == 2 and "--pdf-a only applies to .pdf" in r.err and len(r.err.strip().splitlines()) == 1


# -- LibreOffice is started as a LibreOffice that has run before, and ended once its file is written -------------------

#: a LibreOffice that stores the PDF the way LibreOffice does (a lock file beside it while it writes), then takes
#: its time to shut down, with a child of its own; {lock} 0 leaves the lock file out, {tail} is how the PDF ends
_SLOW_TO_EXIT_SOFFICE = """#!/bin/sh
while [ "$1" != "--outdir" ]; do shift; done
out="$2"; name=$(basename "$3" .docx)
sleep 300 &
echo $! > "{pids}"
echo $$ >> "{pids}"
[ {lock} = 1 ] && : > "$out/.~lock.$name.pdf#" && sleep 0.3
printf '%s\\n' '%PDF-1.4' '1 0 obj <<>> endobj' '{tail}' > "$out/$name.pdf"
sleep 0.3
rm -f "$out/.~lock.$name.pdf#"
wait
"""


def _slow_to_exit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, lock: bool = True,
                  tail: str = "%%EOF") -> Path:
    from briefer.export import pdf

    fake = tmp_path / "soffice"
    pids = tmp_path / "pids"
    fake.write_text(_SLOW_TO_EXIT_SOFFICE.format(pids=pids, lock=int(lock), tail=tail), encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(pdf, "find_soffice", lambda: str(fake))
    return pids


def _all_ended(pids: Path) -> bool:
    started = [int(x) for x in pids.read_text().split()]
    deadline = time.monotonic() + 5
    while any(_alive(p) for p in started) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(_alive(p) for p in started)


def test_libreoffice_is_ended_once_it_has_written_the_pdf_not_waited_for(tmp_path: Path, monkeypatch) -> None:
    pids = _slow_to_exit(tmp_path, monkeypatch)
    docx = tmp_path / "b.docx"
    docx.write_bytes(b"PK")
    # it would take 300 seconds to exit: the conversion is over when the PDF is, well before the timeout
    pdf = docx_to_pdf(docx, tmp_path, timeout=60)
    assert pdf.read_bytes() == b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
    assert not (tmp_path / ".~lock.b.pdf#").exists()
    assert _all_ended(pids), "LibreOffice's process group was left running"


@pytest.mark.parametrize(("lock", "tail"), [(False, "%%EOF"), (True, "xref")],
                         ids=["no lock file", "no end of file"])
def test_a_pdf_libreoffice_may_still_be_writing_is_not_taken(tmp_path: Path, monkeypatch, lock: bool,
                                                             tail: str) -> None:
    from briefer.errors import ExportError

    pids = _slow_to_exit(tmp_path, monkeypatch, lock=lock, tail=tail)
    docx = tmp_path / "b.docx"
    docx.write_bytes(b"PK")
    with pytest.raises(ExportError, match="did not finish converting to PDF within 3 seconds"):
        docx_to_pdf(docx, tmp_path, timeout=3)
    assert _all_ended(pids)


@needs_soffice
@pytest.mark.soffice
def test_each_conversion_starts_from_a_profile_libreoffice_takes_for_one_it_has_run_in(tmp_path: Path) -> None:
    from briefer.export.pdf import find_soffice, installed_version, seed_profile

    soffice = find_soffice()
    assert soffice is not None
    found = installed_version(soffice)
    assert found is not None, "the version and build id of the installed LibreOffice were not found"
    version, build = found
    said = subprocess.run([soffice, "--version"], capture_output=True, text=True, timeout=60).stdout
    # "LibreOffice 7.4.7.2 40(Build:2)"
    assert re.search(rf"\b{re.escape(version)}\.\S* {re.escape(build)}", said), said
    profile = tmp_path / "profile"
    seed_profile(profile, soffice)
    docx = tmp_path / "b.docx"
    import docx as python_docx

    d = python_docx.Document()
    d.add_heading("One heading", 1)
    d.save(str(docx))
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)], capture_output=True, timeout=120,
                   env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"}, check=True)
    assert outline_pages(tmp_path / "b.pdf") == ([("One heading", 1)], 1)
    # not a first start: no graphics self-tests (their log) and no cleared extension cache (the build id kept)
    assert not (profile / "user" / "GraphicsRenderTests.log").exists()
    assert (profile / "user" / "extensions" / "buildid").read_text() == build
