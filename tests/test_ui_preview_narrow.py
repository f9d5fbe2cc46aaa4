"""The preview in a narrow pane (a window of 800 px): words are never cut in two, and a figure is
drawn whole within the pane rather than running off its right edge."""

from __future__ import annotations

from datetime import date

import pytest

from briefer.domain.template_library import TemplateLibrary
from briefer.domain.templates import prepare
from briefer.ui.briefing_model import BriefingDoc, Budget

TODAY = date(2025, 11, 20)


@pytest.fixture
def pane(qapp, store, data_dir):  # noqa: ANN001, ANN201
    from briefer.ui.panes.preview import PreviewPane

    prepared = prepare(TemplateLibrary(data_dir).get("full-briefing"), store, today=TODAY, origin="builtin")
    facts = {f.id: f for f in store.facts()}
    doc = BriefingDoc(prepared.briefing, store_sections=store.sections(), facts=facts, budget=Budget(4000, 9))
    doc.fact_loader = store.facts_by_ids
    p = PreviewPane()
    p.today = TODAY
    p.resize(190, 700)  # the preview's width in a window 800 px wide
    p.show()
    p.set_doc(doc, store)
    p.refresh()
    qapp.processEvents()
    yield p
    p.close()
    p.deleteLater()


def _lines(browser, text: str) -> list[str]:  # noqa: ANN001
    """The lines the preview breaks the block holding ``text`` into, as laid out on screen."""
    qdoc = browser.document()
    found = qdoc.find(text)
    assert not found.isNull(), text
    block = found.block()
    qdoc.documentLayout().blockBoundingRect(block)  # lays the block out
    layout, whole = block.layout(), block.text()
    return [whole[layout.lineAt(i).textStart():layout.lineAt(i).textStart() + layout.lineAt(i).textLength()]
            for i in range(layout.lineCount())]


def test_a_narrow_preview_breaks_lines_between_words_only(qapp, pane) -> None:  # noqa: ANN001
    for text in ("Japan\u2019s AI Governance", "NOT FOR DISTRIBUTION", "Background briefing"):
        lines = _lines(pane.browser, text)
        assert len(lines) > 1, lines  # narrow enough to wrap
        for before, after in zip(lines, lines[1:], strict=False):
            # a line ends at a space or a dash, never inside a word ("Govern" / "ance")
            assert before[-1:] in (" ", "\u2013", "\u2014", "-") or after[:1] in (" ", "\u2014"), (before, after)
    # ... and a word wider than the pane ("Governance" in 26 pt) is drawn smaller, not hidden past its edge
    qdoc = pane.browser.document()
    for text in ("Japan\u2019s AI Governance", "Background briefing"):
        block = qdoc.find(text).block()
        lines = block.layout()
        widest = max(lines.lineAt(i).naturalTextWidth() for i in range(lines.lineCount()))
        assert qdoc.documentLayout().blockBoundingRect(block).left() + widest <= pane.browser.viewport().width()
    # a wider pane draws the title at its own size again
    title = qdoc.find("Japan\u2019s AI Governance")
    small = title.charFormat().fontPointSize()
    pane.resize(900, 700)
    qapp.processEvents()
    title = pane.browser.document().find("Japan\u2019s AI Governance")
    assert title.charFormat().fontPointSize() > small


def _images(browser) -> list:  # noqa: ANN001
    from PySide6.QtGui import QTextImageFormat

    qdoc, found = browser.document(), []
    block = qdoc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                found.append((block, QTextImageFormat(fmt)))
            it += 1
        block = block.next()
    return found


def test_a_figure_fits_the_preview_pane_whole(qapp, pane) -> None:  # noqa: ANN001
    """At the default window's preview width (about 500 px) the 6.5-inch timeline ran off the pane:
    its last milestones were hidden behind a horizontal scroll bar."""
    pane.resize(900, 700)  # wide enough: each figure at its printed size
    qapp.processEvents()
    printed = [(f.width(), f.height()) for _b, f in _images(pane.browser)]
    assert [round(w) for w, _h in printed] == [624, 624]  # the timeline and the Headquarters chart
    for width in (500, 330):
        pane.resize(width, 700)
        qapp.processEvents()
        browser = pane.browser
        images = _images(browser)
        for (block, fmt), (w, h) in zip(images, printed, strict=True):
            rect = browser.document().documentLayout().blockBoundingRect(block)
            assert rect.right() <= browser.viewport().width(), (width, rect)
            assert abs(fmt.height() / fmt.width() - h / w) < 0.02  # scaled, not squeezed
        # nothing is wider than the page: no scroll bar (the figure kept the body's margins' 24 px too wide)
        assert browser.document().size().width() <= browser.viewport().width(), width
    # a wider pane draws them at their printed size again, never larger
    pane.resize(1200, 700)
    qapp.processEvents()
    assert [(f.width(), f.height()) for _b, f in _images(pane.browser)] == printed


def test_a_key_points_pointer_is_never_cut_in_two(qapp, pane) -> None:  # noqa: ANN001
    """'(see' at the end of a line and '§3)' at the start of the next, in the default window's preview."""
    for width in (500, 330, 190):
        pane.resize(width, 700)
        qapp.processEvents()
        for point in pane.document.summary.points:
            lines = _lines(pane.browser, point.text[:40])
            assert not any(line.rstrip().endswith("(see") for line in lines), (width, lines)


def test_the_sources_tab_shows_every_column_of_its_tables(qapp, pane) -> None:  # noqa: ANN001
    """Breaking between words only pushed the sources table's last column (the reliability grade) past
    the pane's edge in the default window; the tables' tab keeps every column in sight."""
    pane.resize(500, 700)
    pane.tabs.setCurrentIndex(1)
    qapp.processEvents()
    assert "Reliability" in pane.sources.toPlainText()
    assert pane.sources.horizontalScrollBar().maximum() == 0
