"""The glossary of names (the appendix after the sources table): a name with no other rendering, or no
Japanese name on record, has a blank cell -- not "unknown", not a dash -- and a column no listed name
fills is left out; the caption and the note speak of the columns the table keeps."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx

from briefer.domain.document import GlossaryRow, glossary_table, resolve
from briefer.domain.templates import begin_template_export
from briefer.export import export_briefing
from briefer.export.html import render_glossary_html
from briefer.export.markdown import render_markdown

DAY = date(2025, 10, 1)
PLACEHOLDERS = {"-", "\u2014", "\u2013", "None", "none", "unknown", "Unknown", "null", "n/a"}
BLANK_NOTE = "A blank cell means there is none on record."


def test_a_missing_rendering_or_japanese_name_is_a_blank_cell_and_the_note_says_what_blank_means() -> None:
    table = glossary_table([GlossaryRow("OECD", "body", "Organisation for Economic Co-operation and Development", ""),
                            GlossaryRow("Digital Agency", "body", "", "\u30c7\u30b8\u30bf\u30eb\u5e81")])
    assert table.headings == ["Name", "Also rendered as", "Japanese", "Kind"]
    assert sum(w for _, w in table.columns) == 5000
    assert table.rows == [["OECD", "Organisation for Economic Co-operation and Development", "", "body"],
                          ["Digital Agency", "", "\u30c7\u30b8\u30bf\u30eb\u5e81", "body"]]
    assert table.caption == "Table 2. Names, the other renderings the sources use, and the name in Japanese"
    assert BLANK_NOTE in table.note and "unknown" not in table.note and "left out" not in table.note
    # every cell filled: no word on blanks
    full = glossary_table([GlossaryRow("Cabinet Office", "body", "CAO", "\u5185\u95a3\u5e9c")], number=1)
    assert full.caption.startswith("Table 1. Names") and BLANK_NOTE not in full.note


def test_a_column_no_listed_name_fills_is_left_out_and_the_caption_and_note_follow() -> None:
    no_japanese = glossary_table([GlossaryRow("OECD", "body", "Organisation for Economic Co-operation", "")])
    assert no_japanese.headings == ["Name", "Also rendered as", "Kind"]
    assert sum(w for _, w in no_japanese.columns) == 5000  # the names take the width left over
    assert no_japanese.caption == "Table 2. Names and the other renderings the sources use"
    assert "The \u201cJapanese\u201d column is left out: no name listed has one." in no_japanese.note
    assert "Japanese names are the analyst" not in no_japanese.note  # nothing said of a column not printed
    neither = glossary_table([GlossaryRow("Society 5.0", "term", "", None)])  # type: ignore[arg-type]
    assert neither.headings == ["Name", "Kind"] and neither.caption == "Table 2. Names"
    assert "The \u201cAlso rendered as\u201d and \u201cJapanese\u201d columns are left out" in neither.note


def test_the_full_briefing_s_glossary_prints_no_placeholder_in_word_html_or_markdown(store, data_dir: Path,
                                                                                        tmp_path: Path) -> None:
    exp = begin_template_export(store, data_dir, "full-briefing", today=DAY)
    doc = resolve(exp.briefing, store, today=DAY)
    assert doc.glossary and doc.sources
    table = doc.glossary_as_table()
    out = tmp_path / "b.docx"
    export_briefing(doc, out, fmt="docx", layout=False)
    word = docx.Document(str(out))
    grid = [[c.text for c in row.cells] for row in word.tables[1].rows]
    assert grid[0] == table.headings and grid[1:] == table.rows
    cells = [c for row in grid[1:] for c in row]
    assert not PLACEHOLDERS & set(cells)
    texts = [p.text for p in word.paragraphs]
    assert table.caption in texts and table.note in texts and "\u201cunknown\u201d" not in " ".join(texts)
    by_name = {row[0]: row for row in table.rows}
    japanese, aliases = table.headings.index("Japanese"), table.headings.index("Also rendered as")
    assert by_name["OECD"][japanese] == ""  # a body abroad: no Japanese name on record
    assert by_name["Fumio Kishida"][aliases] == "" and by_name["Fumio Kishida"][japanese]  # no other rendering
    assert BLANK_NOTE in table.note
    html = render_glossary_html(doc)
    assert ">unknown<" not in html and "<td>\u2014</td>" not in html and table.caption in html
    md = render_markdown(doc)
    assert "| unknown |" not in md and "| \u2014 |" not in md and table.note in md


def test_without_the_sources_table_the_glossary_is_table_1(store, data_dir: Path) -> None:
    exp = begin_template_export(store, data_dir, "full-briefing", today=DAY)
    exp.briefing.options.sources_appendix = False
    doc = resolve(exp.briefing, store, today=DAY)
    assert doc.glossary and doc.sources_appendix is None
    assert doc.glossary_as_table().caption.startswith("Table 1. Names")
