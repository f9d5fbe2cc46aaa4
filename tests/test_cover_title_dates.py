"""A dated cover title keeps its date on one line: the U.S.-Japan note's title broke as
"U.S.-Japan Cooperation on AI — 2" / "December 2026" on its cover page (session 22 review)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from briefer.domain.typography import unbroken_dates

NBSP = "\u00a0"


def test_a_date_is_joined_by_no_break_spaces() -> None:
    assert unbroken_dates("U.S.\u2013Japan Cooperation on AI \u2014 2 December 2026") == \
        f"U.S.\u2013Japan Cooperation on AI \u2014 2{NBSP}December{NBSP}2026"
    assert unbroken_dates("Risk Watch, Sept 2025") == f"Risk Watch, Sept{NBSP}2025"
    # numbers that are not a day, and words that are not a month, are left alone
    assert unbroken_dates("AI Strategy 2022: 3 pillars, 12 Maytime") == "AI Strategy 2022: 3 pillars, 12 Maytime"


def test_the_exported_cover_title_keeps_its_date_whole(cli, tmp_path: Path) -> None:  # noqa: ANN001
    docx, page = tmp_path / "usj.docx", tmp_path / "usj.html"
    for out in (docx, page):
        r = cli("export", "--template", "us-japan-cooperation", "--no-page-numbers", "--no-record-edition",
                "--out", str(out))
        assert r.code == 0, r.err
    body = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    title = body.split('<w:pStyle w:val="Title"/>', 1)[1].split("</w:p>", 1)[0]
    assert f"December{NBSP}20" in title and f"{NBSP}December" in title, title
    html = page.read_text(encoding="utf-8")
    h1 = html.split('<h1 class="title">', 1)[1].split("</h1>", 1)[0]
    assert f"{NBSP}December{NBSP}20" in h1, h1
    # the running header and the file's metadata keep the title as typed
    assert "Cooperation on AI \u2014 " in html.split("<title>", 1)[1].split("</title>", 1)[0]
