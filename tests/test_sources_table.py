"""The sources table (the appendix of the sources cited): a value a source does not give reads
"not stated", and a column no cited source fills is left out, with a note under the table that says so."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx

from briefer.domain.document import NOT_STATED, SourceRow, resolve, sources_table
from briefer.domain.templates import begin_template_export
from briefer.export import export_briefing
from briefer.export.html import render_sources_html
from briefer.export.markdown import render_markdown

DAY = date(2025, 10, 1)
EMPTY = {"", "-", "\u2014", "None", "none", "unknown", "null"}


def _row(sid: str, outlet: str = NOT_STATED, author: str = NOT_STATED, date_text: str = NOT_STATED) -> SourceRow:
    return SourceRow(sid, f"Title {sid}", outlet, author, date_text, "news report", "C", "fairly reliable", 1)


def test_a_column_no_source_fills_is_left_out_and_the_note_says_why() -> None:
    table = sources_table([_row("a", author="Hana Sato"), _row("b", date_text="1 May 2025")])
    assert table.headings == ["Title", "Author", "Date", "Kind", "Reliability"]
    assert sum(w for _, w in table.columns) == 5000  # the title takes the width left over
    assert table.rows[0] == ["Title a", "Hana Sato", NOT_STATED, "news report", "C \u2014 fairly reliable"]
    assert "The Outlet column is left out: none of the sources cited states its outlet." in table.note
    # two columns left out are named together; a table every column of which is filled has no such note
    two = sources_table([_row("a", date_text="1 May 2025")])
    assert "The Outlet and Author columns are left out" in two.note
    full = sources_table([_row("a", outlet="Kyodo", author="Hana Sato", date_text="1 May 2025")])
    assert len(full.headings) == 6 and "left out" not in full.note


def test_the_shipped_pack_s_table_reads_not_stated_and_drops_the_outlet(store, data_dir: Path, tmp_path: Path) -> None:
    """No seed document names its outlet: the full briefing's table has no Outlet column, a note saying
    so, and "not stated" where a source gives no author or date -- in Word, HTML and Markdown alike."""
    exp = begin_template_export(store, data_dir, "full-briefing", today=DAY)
    doc = resolve(exp.briefing, store, today=DAY)
    assert doc.sources and all(s.outlet == NOT_STATED for s in doc.sources)
    out = tmp_path / "b.docx"
    export_briefing(doc, out, fmt="docx", layout=False)
    word = docx.Document(str(out))
    grid = [[c.text for c in row.cells] for row in word.tables[0].rows]
    assert grid[0] == ["Title", "Author", "Date", "Kind", "Reliability"]
    cells = [c for row in grid[1:] for c in row]
    assert NOT_STATED in cells and not EMPTY & set(cells)
    assert "Ichikawa" in " ".join(cells)
    notes = [p.text for p in word.paragraphs if "left out" in p.text]
    assert notes == [sources_table(doc.sources).note]
    assert "The Outlet column is left out" in notes[0]
    html = render_sources_html(doc)
    assert "<th>Outlet</th>" not in html and "Outlet column is left out" in html and ">unknown<" not in html
    md = render_markdown(doc)
    assert "| Outlet |" not in md and "Outlet column is left out" in md
