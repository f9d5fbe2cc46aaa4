"""The Word file as LibreOffice lays it out: pages, page numbers, text and the
Japanese font.  Skipped only when ``soffice`` is not installed
(``make test`` installs it when run as root)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from export_support import TODAY, small_briefing, small_store

from briefer.domain.document import resolve
from briefer.domain.typography import smart_quotes
from briefer.export import export_briefing
from briefer.export.pdf import docx_to_pdf

pytestmark = [
    pytest.mark.soffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
]


def _tool(name: str, *args: str) -> str:
    if shutil.which(name) is None:
        pytest.fail(f"{name} (poppler-utils) is missing: 'make system-deps' installs it")
    return subprocess.run([name, *args], capture_output=True, text=True, check=True, timeout=60).stdout


def _pages(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _tool("pdfinfo", str(pdf)), flags=re.M).group(1))


def test_default_store_briefing_renders_in_libreoffice(cli, tmp_path: Path, store) -> None:
    docx = tmp_path / "briefing.docx"
    r = cli("export", "--out", str(docx))
    assert r.code == 0, r.err
    pdf = docx_to_pdf(docx, tmp_path)
    pages = _pages(pdf)
    assert 10 <= pages <= 60
    text = _tool("pdftotext", "-layout", str(pdf), "-")
    flat = " ".join(text.split())
    assert f"Page 1 of {pages}" in flat and f"Page {pages} of {pages}" in flat
    assert flat.count("INTERNAL — NOT FOR DISTRIBUTION") >= 2 * pages
    for s in store.sections():
        assert smart_quotes(" ".join(s.title.split())) in flat
    assert "Appendix A. Sources cited" in flat and "石破茂" in flat
    fonts = _tool("pdffonts", str(pdf))
    cjk = [line for line in fonts.splitlines() if "IPAex" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts  # embedded


def test_pdf_export_through_the_cli(cli, tmp_path: Path) -> None:
    out = tmp_path / "brief.pdf"
    r = cli("export", "--sections", "hq-structure", "--out", str(out))
    assert r.code == 0, r.err
    pages = _pages(out)
    assert f"{pages} pages" in r.out
    flat = " ".join(_tool("pdftotext", str(out), "-").split())
    assert f"Page 1 of {pages}" in flat and "AI Strategy Headquarters" in flat
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_small_briefing_footnotes_on_the_page(tmp_path: Path) -> None:
    store = small_store(tmp_path / "d")
    out = tmp_path / "small.pdf"
    export_briefing(resolve(small_briefing(), store, today=TODAY), out)
    flat = " ".join(_tool("pdftotext", str(out), "-").split())
    assert "The Prime Minister (石破茂) chairs the Headquarters." in flat
    assert "Disputed: the sources give 2 different versions" in flat  # the footnote is laid out
    assert "Tagui Ichikawa, 17 June 2025" in flat
    assert f"Page 1 of {_pages(out)}" in flat


def test_a_figure_and_its_caption_share_a_page_wherever_the_figure_falls(store, tmp_path: Path) -> None:
    """A figure's caption never stays behind at the foot of a page, nor leaves its drawing alone at the top
    of the next: the timeline, repeated after text of growing length so it meets the end of a page at many
    heights, is on the page of its caption every time.  The caption comes first, in the drawing's paragraph."""
    import copy as copying

    from briefer.domain.briefing import Briefing, BriefingSection, FactItem, Options
    from briefer.domain.document import ParagraphBlock

    b = Briefing(options=Options(figures=["timeline"], contents=False, summary=False, sources_appendix=False),
                 sections=[BriefingSection(section="background",
                                           items=[FactItem(fact_id="bg-ai-guidelines-for-business-2024")])])
    doc = resolve(b, store, today=TODAY)
    figure = doc.figures()[0]
    first = figure.drawing.events[0].label  # type: ignore[attr-defined]
    blocks: list = []
    for n in range(1, 25):
        words = " ".join(["Filler text that pushes the next figure down the page."] * n)
        fig = copying.copy(figure)
        fig.number = n
        blocks += [ParagraphBlock(words), fig]
    doc.sections[0].blocks = blocks
    for note, block in enumerate(doc.note_blocks(), 1):
        block.note = note
    out = tmp_path / "figures.docx"
    export_briefing(doc, out, layout=False)
    from export_support import xml

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    paras = list(xml(out, "word/document.xml").iter(f"{w}p"))
    drawn = [i for i, p in enumerate(paras) if p.find(f".//{w}drawing") is not None]
    assert len(drawn) == 24
    for i in drawn:  # the caption and its drawing in one paragraph that is never split
        assert "".join(paras[i].itertext()).startswith("Figure ")
        assert paras[i].find(f"{w}pPr/{w}keepLines") is not None
    pdf = docx_to_pdf(out, tmp_path)
    pages = _pages(pdf)
    assert pages >= 4
    seen = 0
    for page in range(1, pages + 1):
        text = " ".join(_tool("pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-").split())
        captions = len(re.findall(r"Figure \d+\. ", text))
        drawings = text.count(first)
        assert captions == drawings, f"page {page}: {captions} captions, {drawings} drawings"
        seen += captions
    assert seen == 24


def test_the_full_briefings_figures_sit_on_their_captions_page(store, data_dir: Path, tmp_path: Path) -> None:
    """Seen in LibreOffice: the full briefing's timeline caption left at the foot of page 2, its drawing on
    page 3.  Each figure's caption and its drawing's first label are on one page."""
    from briefer.domain.templates import begin_template_export

    exp = begin_template_export(store, data_dir, "full-briefing", today=TODAY)
    doc = resolve(exp.briefing, store, today=TODAY)
    figures = doc.figures()
    assert len(figures) == 2
    out = tmp_path / "full.docx"
    export_briefing(doc, out, layout=False)
    pdf = docx_to_pdf(out, tmp_path)
    pages = [" ".join(_tool("pdftotext", "-f", str(p), "-l", str(p), str(pdf), "-").split())
             for p in range(1, _pages(pdf) + 1)]
    for fig in figures:
        drawing = fig.drawing
        first = drawing.events[0].label if hasattr(drawing, "events") else drawing.boxes[0].title  # type: ignore[attr-defined]
        caption = next(i for i, text in enumerate(pages) if fig.label in text)
        assert first in pages[caption], f"{fig.label} is on page {caption + 1}, its drawing is not"
