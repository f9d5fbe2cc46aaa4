"""A table's note (the reliability scale under the sources, the renderings note under the glossary) is never
alone at the top of a page: the table's last row keeps with it.  Found by the reviewer: the full
briefing's page 9 held only the glossary's two-line note, detached from its table."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path


def test_the_last_row_of_a_noted_table_keeps_with_its_note(cli, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "full.docx"
    r = cli("export", "--template", "full-briefing", "--out", str(out), "--no-page-numbers")
    assert r.code == 0, r.err
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml)
    noted = [t for t in tables if "Also rendered as" in t or "Reliability" in t]
    assert len(noted) == 2
    for t in noted:
        rows = re.findall(r"<w:tr>.*?</w:tr>", t)
        assert all("<w:keepNext/>" in c for c in re.findall(r"<w:tc>.*?</w:tc>", rows[-1]))
        assert not any("<w:keepNext/>" in row for row in rows[1:-1])  # the rest may break anywhere between rows
        # ... and the note follows the table
        after = xml[xml.index(t) + len(t):][:400]
        assert "SectionIntro" in after
