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
