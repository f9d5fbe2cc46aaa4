"""The page estimate against LibreOffice: the number the window shows, the
length budget fits to and ``briefer export --dry-run`` prints is within 10%
of the pages LibreOffice lays out, for every built-in template and for a
dozen briefings of other shapes (one section or all, each citation style,
with and without a cover page, contents and glossary).  Skipped only when
``soffice`` is not installed (``make test`` installs it when run as root)."""

from __future__ import annotations

import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from briefer.domain.compose import briefing_from_sections
from briefer.domain.document import resolve
from briefer.domain.pages import estimate
from briefer.domain.templates import begin_template_export
from briefer.export import export_briefing
from briefer.export.pdf import docx_to_pdf

pytestmark = [
    pytest.mark.soffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
]

DAY = date(2025, 10, 1)
BUILTINS = ["compendium", "full-briefing", "one-page-brief", "risk-watch", "us-japan-cooperation"]
#: what a policy office expects of each built-in, in LibreOffice's pages
TARGET_PAGES = {"one-page-brief": (1, 1), "full-briefing": (6, 10), "us-japan-cooperation": (3, 5),
                "risk-watch": (3, 5)}


def _pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, flags=re.M).group(1))


def _briefings(store, data_dir: Path) -> dict[str, object]:
    out: dict[str, object] = {}
    for name in BUILTINS:
        out[name] = begin_template_export(store, data_dir, name, today=DAY).briefing
    sections = [s.id for s in store.sections()]
    for n, sid in enumerate(sections):  # one section each, in every style and shape
        b = briefing_from_sections(store, [sid])
        b.options.citations = ("full", "short", "evidence")[n % 3]
        b.options.cover_page = n % 2 == 0
        b.options.contents = n % 3 != 1
        b.options.glossary = n % 2 == 1
        out[f"section-{sid}"] = b
    for k in (1, 3):
        b = briefing_from_sections(store, sections[:4], facts_per_section=k)
        b.options.citations = "short"
        b.options.cover_page = k != 1
        out[f"four-sections-{k}"] = b
    b = briefing_from_sections(store, None)
    b.options.citations = "short"
    out["everything-short"] = b
    return out


def test_the_estimate_is_within_ten_percent_of_libreoffice(store, data_dir: Path, tmp_path: Path) -> None:
    briefings = _briefings(store, data_dir)
    assert len(briefings) - len(BUILTINS) >= 10
    estimates: dict[str, object] = {}
    for name, b in briefings.items():
        doc = resolve(b, store, today=DAY)
        estimates[name] = estimate(doc)
        export_briefing(doc, tmp_path / f"{name}.docx")

    def convert(name: str) -> int:
        out = tmp_path / name
        out.mkdir()
        return _pages(docx_to_pdf(tmp_path / f"{name}.docx", out))

    with ThreadPoolExecutor(max_workers=2) as pool:
        real = dict(zip(briefings, pool.map(convert, briefings), strict=True))
    table = {name: (real[name], estimates[name].pages) for name in briefings}  # type: ignore[attr-defined]
    off = {name: (lo, est) for name, (lo, est) in table.items() if abs(est - lo) > 0.1 * lo}
    assert not off, f"estimate vs LibreOffice (pages): {off}; all: {table}"
    for name, (low, high) in TARGET_PAGES.items():
        assert low <= real[name] <= high, f"{name}: {real[name]} pages in LibreOffice, expected {low}-{high}"
        est = estimates[name]
        assert est.footnote_words <= est.body_words, name  # type: ignore[attr-defined]
