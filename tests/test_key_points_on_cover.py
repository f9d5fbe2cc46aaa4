"""The point on page one: a briefing with a cover page of its own carries its key points on that page,
under the title, and its contents open page 2 (issue 11: "a reader gets the point on page one").  A note
that leads with what changed, and a briefing whose cover heads page 1, keep their order."""

from __future__ import annotations

from pathlib import Path

import docx
from export_support import TODAY, small_briefing, small_store

from briefer.domain.document import resolve
from briefer.domain.pages import estimate
from briefer.export import export_briefing
from briefer.export.html import render_body_html
from briefer.export.markdown import render_markdown

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _pages(path: Path) -> list[list[str]]:
    """The body's paragraphs grouped by page, a page starting at each pageBreakBefore."""
    pages: list[list[str]] = [[]]
    for p in docx.Document(str(path)).paragraphs:
        ppr = p._p.pPr
        if ppr is not None and ppr.find(f"{W}pageBreakBefore") is not None:
            pages.append([])
        if p.text.strip():
            pages[-1].append(p.text)
    return pages


def _export(tmp_path: Path, **options: object) -> tuple[list[list[str]], object]:
    store = small_store(tmp_path / "d")
    b = small_briefing()
    for name, value in options.items():
        setattr(b.options, name, value)
    doc = resolve(b, store, today=TODAY)
    out = tmp_path / "b.docx"
    export_briefing(doc, out)
    return _pages(out), doc


def test_the_key_points_stand_on_the_cover_page_and_the_contents_open_page_two(tmp_path: Path) -> None:
    pages, doc = _export(tmp_path)
    cover, second = pages[0], pages[1]
    assert cover[1] == "Japan\u2019s AI Governance" and "Key points" in cover
    points = [kp.text for kp in doc.summary.points]
    assert points and all(any(line.startswith(p) for line in cover) for p in points)
    assert second[0] == "Contents" and second.count("Key points") == 1  # listed in the contents only
    assert [e.heading for e in doc.contents][:2] == ["Key points", "1. The AI Promotion Act (2025)"]
    # the preview/HTML and the Markdown show the same order
    html = render_body_html(doc)
    assert html.index(">Key points</h2>") < html.index("Contents") < html.index("1. The AI Promotion Act")
    md = render_markdown(doc)
    assert md.index("## Key points") < md.index("## Contents") < md.index("The AI Promotion Act")
    # the page estimate counts them (on the cover page: the words the reader reads are the same)
    on_cover = estimate(doc)
    _, heading_page_one = _export(tmp_path / "compact", cover_page=False)
    assert on_cover.body_words == estimate(heading_page_one).body_words
    assert on_cover.pages >= 2  # the contents and the sections after the cover page


def test_a_cover_heading_page_one_keeps_contents_then_key_points(tmp_path: Path) -> None:
    pages, doc = _export(tmp_path, cover_page=False)
    first = pages[0]
    assert first.index("Contents") < first.index("Key points")
    assert [e.heading for e in doc.contents][0] == "Key points"


def test_a_note_that_leads_with_what_changed_keeps_its_order(tmp_path: Path) -> None:
    pages, doc = _export(tmp_path, whats_new=True, whats_new_first=True)
    assert "Key points" not in pages[0]  # the cover page holds the cover only
    rest = [line for page in pages[1:] for line in page]
    assert rest.index("Contents") < rest.index("Key points")
    assert "Key points" in [e.heading for e in doc.contents]
