"""A heading decorated with a flag or an emoji ("🇯🇵 Japan's Parliament Adopts…", in a seed) is quoted
in a location without it: those are boxes in a document set in text fonts (LibreOffice drew two empty
boxes in the figures' footnotes), and not words of the heading."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from briefer.domain.provenance import locate, without_pictographs
from briefer.store.db import DB_NAME

FLAG = "\U0001f1ef\U0001f1f5"
PICTOGRAPH = re.compile("[\U0001f1e6-\U0001f1ff\U0001f300-\U0001faff\u2600-\u27bf\ufe0f\u200d]")


def test_a_location_quotes_a_heading_without_its_pictographs() -> None:
    text = ("Japan has stepped into the AI policy arena with a new national law for artificial intelligence.\n"
            f"{FLAG} Japan\u2019s Parliament Adopts a Law\n"
            "On 28 May 2025, the House of Councillors formally adopted the Act on the Promotion of AI.\n")
    assert locate(text, text.index("On 28 May")) == "para. 2, under \u201cJapan\u2019s Parliament Adopts a Law\u201d"
    assert without_pictographs("\u2705 Done \u2b50") == "Done"
    assert without_pictographs("a \U0001f44d\U0001f3fd b") == "a b"
    assert without_pictographs("人工知能関連技術 — 28 May") == "人工知能関連技術 — 28 May"  # Japanese and dashes stay


def test_a_stored_location_with_a_flag_prints_without_it(data_dir: Path, cli) -> None:  # noqa: ANN001
    """A store seeded before locations lost their pictographs keeps them in its rows: the briefing
    (its footnotes and the figures' source notes) still prints none."""
    db = data_dir / DB_NAME
    con = sqlite3.connect(db)
    con.execute("UPDATE citations SET location = replace(location, 'under \u201cJapan', ?)"
                " WHERE location LIKE '%under \u201cJapan\u2019s Parliament%'", (f"under \u201c{FLAG} Japan",))
    changed = con.execute("SELECT count(*) FROM citations WHERE location LIKE ?", (f"%{FLAG}%",)).fetchone()[0]
    con.commit()
    con.close()
    assert changed > 0
    out = data_dir.parent / "full.md"
    # full notes: they print each place with the heading it falls under (the short notes and the figures'
    # source notes, written as short notes, give the paragraph alone)
    r = cli("export", "--template", "full-briefing", "--citations", "full", "--out", str(out), "--no-page-numbers")
    assert r.code == 0, r.err
    text = out.read_text(encoding="utf-8")
    assert "under \u201cJapan\u2019s Parliament" in text
    assert PICTOGRAPH.findall(text) == []
