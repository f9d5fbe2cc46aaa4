"""The HTML preview/export and the Markdown export: same content and order as
the Word file, numbered notes, self-contained, and readable by Qt's rich text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pypandoc
import pytest
from export_support import TODAY, small_briefing, small_store

from briefer.domain.document import resolve
from briefer.export.html import (
    html_head,
    html_tail,
    render_body_html,
    render_fact_html,
    render_html,
    render_notes_html,
    render_section_html,
    render_sources_html,
)
from briefer.export.markdown import md_escape, render_markdown


@pytest.fixture
def document(tmp_path: Path):
    store = small_store(tmp_path / "d")
    yield resolve(small_briefing(), store, today=TODAY)
    store.close()


def test_html_is_self_contained(document) -> None:
    page = render_html(document)
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)=["'](?!#)""", page), "only in-page links"
    assert "@import" not in page and "url(" not in page


def test_html_notes_are_numbered_and_linked(document) -> None:
    page = render_html(document)
    refs = re.findall(r'href="#fn-(\d+)"', page)
    assert refs == [str(i) for i in range(1, document.footnote_count + 1)]
    for n in refs:
        assert f'<a name="fn-{n}" id="fn-{n}"></a>' in page
        assert f'id="fnref-{n}"' in page
    assert "Version 2, given by 1 source: \u201cMinister Kiuchi will head it.\u201d" in page
    assert '<span class="disputed">Disputed</span> Reports differ' in page


def test_html_same_content_and_order_as_the_document(document) -> None:
    page = render_html(document)
    order = ["Key points", "Contents", "1. The AI Promotion Act (2025)", "What the Act provides.",
             "The bill was approved", "The analyst notes", "2. Who runs the Headquarters", "石破茂",
             "3. Risks and gaps", "Notes", "Appendix A. Sources cited", "Appendix B. Glossary of names"]
    pos = 0
    for x in order:  # each found after the one before (the contents list headings first too)
        pos = page.index(x, pos) + len(x)


def test_html_fragments_compose_the_page(document) -> None:
    page = render_html(document)
    assert page == html_head(document) + render_body_html(document) + html_tail(document)
    sec = document.sections[1]
    assert render_section_html(sec) in page
    for fb in sec.facts():
        assert render_fact_html(fb) in page
    assert render_sources_html(document) in page
    assert "Appendix A" not in render_section_html(sec)
    # the notes of one section alone, for a partial re-render
    part = render_notes_html(document, sec.facts())
    assert part.count('class="note"') == len(sec.facts())


def test_qt_rich_text_keeps_text_anchors_and_links(document, qapp) -> None:
    from PySide6.QtGui import QTextDocument

    qdoc = QTextDocument()
    qdoc.setHtml(render_html(document))
    text = qdoc.toPlainText()
    assert "The Prime Minister (石破茂) chairs the Headquarters." in text
    assert "Japan\u2019s AI Governance Strategy" in text  # the sources table
    names: set[str] = set()
    hrefs: set[str] = set()
    block = qdoc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            names.update(fmt.anchorNames())
            if fmt.anchorHref():
                hrefs.add(fmt.anchorHref())
            it += 1
        block = block.next()
    for n in range(1, document.footnote_count + 1):
        assert f"fn-{n}" in names and f"#fn-{n}" in hrefs
    assert "sec-hq-structure" in names and "#sec-hq-structure" in hrefs
    assert qdoc.toHtml().count("<table") >= 2


def test_markdown_footnotes_parse_with_pandoc(document) -> None:
    md = render_markdown(document)
    assert md.count("[^") == 2 * document.footnote_count
    ast = json.loads(pypandoc.convert_text(md, "json", format="markdown"))
    notes = json.dumps(ast).count('"t": "Note"')
    assert notes == document.footnote_count
    headers = [b for b in ast["blocks"] if b["t"] == "Header"]
    ids = [h["c"][1][0] for h in headers]
    assert "sec-hq-structure" in ids and "app-sources" in ids
    # the disputed footnote is one note giving each version, most-supported first, with its sources
    note = next(line for line in md.splitlines() if "Version 1, given by 1 source" in line)
    assert note.startswith("[^") and "in substance: The Prime Minister heads it." in note
    assert "Version 2, given by 1 source:" in note and "\n    Version 2" not in md


def test_markdown_escapes_markup_in_text() -> None:
    assert md_escape("*not bold* [link](x) # no heading") == r"\*not bold\* \[link\](x) \# no heading"
    assert md_escape("- not a bullet") == r"\- not a bullet"
    assert md_escape("1. not a list") == r"1\. not a list"
