"""A table's note (the reliability scale under the sources, the renderings note under the glossary) is never
alone at the top of a page, nor with a lone row above it: the table's last two rows keep with it.  Found by
the reviewer: the full briefing's page 9 held only the glossary's two-line note, detached from its table."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path


def test_the_last_two_rows_of_a_noted_table_keep_with_its_note(cli, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "full.docx"
    r = cli("export", "--template", "full-briefing", "--out", str(out), "--no-page-numbers")
    assert r.code == 0, r.err
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml)
    noted = [t for t in tables if "Also rendered as" in t or "Reliability" in t]
    assert len(noted) == 2
    for t in noted:
        rows = re.findall(r"<w:tr>.*?</w:tr>", t)
        assert len(rows) > 3
        for row in rows[-2:]:  # every cell's paragraph of the last two rows
            assert all("<w:keepNext/>" in c for c in re.findall(r"<w:tc>.*?</w:tc>", row))
        assert not any("<w:keepNext/>" in row for row in rows[1:-2])  # the rest may break anywhere between rows
        # ... and the note follows the table
        after = xml[xml.index(t) + len(t):][:400]
        assert "SectionIntro" in after


def test_the_page_estimate_keeps_the_last_two_rows_with_the_note() -> None:
    """The estimate places a table as Word does: where only the last row would fit above the page's end,
    it and the row before it move over with the note, so the estimate counts that page."""
    from briefer.domain.pages import KEPT_ROWS, PAGE_HEIGHT, _Item, _walk

    row = 40.0
    note = _Item(2, 12.0, 6.0, 6.0)
    filler = _Item(1, PAGE_HEIGHT - 3 * row - 10, 0.0, 0.0)  # room for the header and two rows, not the note too
    table = [_Item(fixed=row, row=True)] + [_Item(fixed=row, row=True, header=row, keep_next=n >= 3 - KEPT_ROWS)
                                            for n in range(3)]
    trace: list[tuple[int, float, float]] = []
    assert _walk([filler, *table, note], trace=trace) == 2
    # the second row (the first kept one) starts the second page: the header repeats above it
    assert trace[3][0] == 2
