"""The live preview: the briefing rendered by the export's own HTML renderer.

A full refresh resolves the briefing against the store and sets the whole
HTML.  A change to one fact's wording (the commonest edit) rewrites only that
fact's paragraph in place, so Qt lays out one block instead of the document.
The sources table sits in its own tab: a table below the edit point would make
every edit lay out the whole document again.
"""

from __future__ import annotations

import contextlib
import re
import time
from datetime import date
from typing import Any

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QResizeEvent, QTextCharFormat, QTextCursor, QTextDocument, QTextFormat, QTextImageFormat
from PySide6.QtWidgets import QLabel, QTabWidget, QTextBrowser, QVBoxLayout, QWidget

from briefer.domain.typography import smart_quotes
from briefer.ui.utf16 import utf16_len


class _Page(QTextBrowser):
    """A page of the preview: a figure is drawn at its printed size where the pane is wide enough,
    and scaled down to the pane's width where it is not (it would run off the right edge, its last
    milestones behind a scroll bar)."""

    #: the format property holding an image's printed (width, height), as the HTML gave them
    PRINTED = QTextFormat.Property.UserProperty + 1

    #: the character-format property holding a fragment's own point size where :meth:`fit_words` drew
    #: it smaller
    OWN_SIZE = QTextFormat.Property.UserProperty + 2
    OWN_ADJUSTMENT = QTextFormat.Property.UserProperty + 3
    #: no word of the briefing is wider than this (px): a wider pane needs no :meth:`fit_words`
    WIDEST_WORD = 360
    #: a word too wide for the pane is drawn at no less than this share of its size
    SMALLEST = 0.4

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt's names
        """Tab goes on to the next pane, as the window's help says, not through the page's every contents
        entry, "see §" and note number (a full briefing has dozens); the links stay a click away."""
        return QWidget.focusNextPrevChild(self, next)

    def setHtml(self, text: str) -> None:
        super().setHtml(text)
        self._shrunk = False
        self.fit_words()
        self.fit_figures()

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        if e.size().width() != e.oldSize().width():
            # once Qt has laid the page out at its new width: measured now, the lines are the old width's
            QTimer.singleShot(0, self, self._refit)  # not after the page is gone

    def _refit(self) -> None:
        self.fit_words()
        self.fit_figures()

    def fit_words(self) -> None:
        """A word wider than the pane -- the cover title's "Governance" in 26 pt when a window 800 px
        wide leaves the preview 160 px -- is drawn smaller, with its line, until it fits: never cut
        in two ("Govern" / "ance"), never hidden past the pane's edge."""
        qdoc = self.document()
        narrow = 0 < qdoc.textWidth() < self.WIDEST_WORD
        if getattr(self, "_shrunk", False):  # measure every word at its own size again
            block = qdoc.begin()
            while block.isValid():
                self._own_sizes(block)
                block = block.next()
            self._shrunk = False
        if not narrow:
            return
        layout = qdoc.documentLayout()
        block = qdoc.begin()
        while block.isValid():
            if "\ufffc" not in block.text():  # an image is fitted apart
                layout.blockBoundingRect(block)  # lays the block out at this width
                lines = block.layout()
                room = lines.lineAt(0).width() if lines.lineCount() else 0.0  # a line of text is as wide as the room
                widest = max((lines.lineAt(i).naturalTextWidth() for i in range(lines.lineCount())), default=0.0)
                if 0 < room < widest:  # glyphs do not scale quite evenly: a little to spare
                    self._scale(block, max(self.SMALLEST, 0.96 * room / widest))
                    self._shrunk = True
            block = block.next()

    def _fragments(self, block: Any) -> list[Any]:
        out, it = [], block.begin()
        while not it.atEnd():
            out.append(it.fragment())
            it += 1
        return out

    def _apply(self, frag: Any, fmt: QTextCharFormat) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(frag.position())
        cursor.setPosition(frag.position() + frag.length(), QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(fmt)

    def _own_sizes(self, block: Any) -> None:
        """The sizes the HTML gave the block's text, where :meth:`fit_words` drew it smaller."""
        for frag in self._fragments(block):
            fmt = frag.charFormat()
            if not fmt.hasProperty(self.OWN_SIZE):
                continue
            size = fmt.doubleProperty(self.OWN_SIZE)
            if size > 0:
                fmt.setFontPointSize(size)
            else:
                fmt.clearProperty(QTextFormat.Property.FontPointSize)
            fmt.setProperty(QTextFormat.Property.FontSizeAdjustment, fmt.intProperty(self.OWN_ADJUSTMENT))
            fmt.clearProperty(self.OWN_SIZE)
            fmt.clearProperty(self.OWN_ADJUSTMENT)
            self._apply(frag, fmt)

    def _scale(self, block: Any, scale: float) -> None:
        for frag in self._fragments(block):
            fmt = frag.charFormat()
            size = fmt.fontPointSize() or fmt.font().pointSizeF()
            if not fmt.hasProperty(self.OWN_SIZE):
                fmt.setProperty(self.OWN_SIZE, float(fmt.fontPointSize()))
                # a heading's size may be an adjustment of the base size; a size set here overrides it
                fmt.setProperty(self.OWN_ADJUSTMENT, fmt.intProperty(QTextFormat.Property.FontSizeAdjustment))
            fmt.setFontPointSize(size * scale)
            fmt.setProperty(QTextFormat.Property.FontSizeAdjustment, 0)
            self._apply(frag, fmt)

    def fit_figures(self) -> None:
        qdoc = self.document()
        layout = qdoc.documentLayout()
        block = qdoc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                it += 1
                fmt = frag.charFormat()
                if not fmt.isImageFormat():
                    continue
                image = QTextImageFormat(fmt)
                printed = image.property(self.PRINTED)
                if not printed:
                    printed = [image.width(), image.height()]
                    image.setProperty(self.PRINTED, printed)
                width, height = printed
                if width <= 0:
                    continue
                # the room: the page's width less the block's indent (a line widens to hold the image)
                left = layout.blockBoundingRect(block).left()
                margins = block.blockFormat()  # the body's margins are each block's
                room = (qdoc.textWidth() - left - qdoc.documentMargin()
                        - margins.leftMargin() - margins.rightMargin())
                shown = max(1.0, min(width, room)) if qdoc.textWidth() > 0 else width
                if abs(shown - image.width()) < 0.5 and image.property(self.PRINTED):
                    continue
                image.setWidth(shown)
                image.setHeight(height * shown / width)
                cursor = QTextCursor(qdoc)
                cursor.setPosition(frag.position())
                cursor.setPosition(frag.position() + frag.length(), QTextCursor.MoveMode.KeepAnchor)
                cursor.setCharFormat(image)
            block = block.next()


class PreviewPane(QWidget):
    footnoteClicked = Signal(str, int)  # fact id, note number
    rendered = Signal(float)  # seconds the last refresh took
    #: the store could not be read (a team library whose server went away): the last preview stays
    storeUnreachable = Signal(object)

    #: wait this long after an edit before refreshing (ms), so typing stays smooth
    DELAY_MS = 120

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PreviewPane")
        self.browser = _Page()
        self.browser.setOpenLinks(False)
        _paper(self.browser)
        self.browser.setAccessibleName("Preview of the briefing")
        self.browser.setToolTip("")
        self.sources = _Page()
        self.sources.setOpenLinks(False)
        _paper(self.sources, whole_words=False)
        self.sources.setAccessibleName("Sources cited")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.browser, "Briefing")
        self.tabs.addTab(self.sources, "Sources && glossary")
        self.tabs.setDocumentMode(True)
        self.warning = QLabel("")
        self.warning.setWordWrap(True)
        self.warning.setVisible(False)
        self.warning.setAccessibleName("Preview warnings")
        title = QLabel("<b>Preview</b> \u2014 as it will print; click a note number to see its source")
        title.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(title)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.warning)

        self.doc: Any = None
        self.store: Any = None
        self.today: date | None = None
        self.document: Any = None  # the last resolved briefer.domain.document.Document
        #: the analyst's freshness horizon (Preferences), for the cover's "facts as of" note
        self.horizon_months = 12
        self._pending_full = False
        self._pending_sections: set[int] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DELAY_MS)
        self._timer.timeout.connect(self.refresh_pending)
        self.browser.anchorClicked.connect(self._anchor_clicked)
        self.sources.anchorClicked.connect(self._anchor_clicked)
        self.last_seconds = 0.0
        self._note_blocks: dict[int, int] | None = None
        #: (the briefing's facts, the store read once for them): an edit of the briefing is previewed without
        #: reading the store again, so it goes on while a team library's server is away
        self._cached: tuple[Any, Any] | None = None

    # -- inputs ------------------------------------------------------------------------------

    def set_doc(self, doc: Any, store: Any) -> None:
        if self.doc is not None:
            self.doc.changed.disconnect(self._changed)
        self.doc = doc
        self.store = store
        doc.changed.connect(self._changed)
        self.refresh()

    def detach(self) -> None:
        """The store is closing: render nothing more."""
        self._timer.stop()
        self.store = None

    def _changed(self, kind: str, sec: int) -> None:
        if kind == "section" and sec >= 0:
            self._pending_sections.add(sec)
        else:
            self._pending_full = True
        self._timer.start()

    def refresh_pending(self) -> None:
        if self.store is None:
            return
        if self._pending_full or not self.document:
            self.refresh()
            return
        secs, self._pending_sections = self._pending_sections, set()
        self.refresh_sections(sorted(secs))

    # -- rendering ------------------------------------------------------------------------------

    def _resolve(self) -> Any:
        from briefer.domain.document import CachedStore, resolve

        facts = getattr(self.doc, "facts", None)
        cached: Any
        if self._cached is None or self._cached[0] is not facts or self._cached[1]._store is not self.store:
            # a new set of facts (the store changed, another briefing): sources and glossary read anew
            self._cached = (facts, CachedStore(self.store, facts if isinstance(facts, dict) else None))
        cached = self._cached[1]
        return resolve(self.doc.briefing, cached, today=self.today or date.today(),
                       horizon_months=self.horizon_months)

    def refresh(self) -> float:
        """Render everything again; returns the seconds it took."""
        from briefer.export import html as render

        if self.doc is None or self.store is None:
            return 0.0
        t0 = time.perf_counter()
        self._timer.stop()
        self._pending_full = False
        self._pending_sections = set()
        from briefer.errors import StoreUnreachable

        try:
            document = self._resolve()
        except StoreUnreachable as exc:
            self._cached = None
            self.storeUnreachable.emit(exc)
            return 0.0
        self.document = document
        body = render.render_lead_html(document)
        body += [render.render_section_html(s) for s in document.sections]
        body.append(render.render_notes_html(document))
        head = render.html_head(document)
        tail = render.html_tail(document)
        bar = self.browser.verticalScrollBar()
        keep = bar.value()
        self.browser.setHtml(head + "".join(body) + tail)
        self._note_blocks = None
        bar.setValue(keep)
        appendix = (render.render_evidence_html(document) + render.render_sources_html(document)
                    + render.render_glossary_html(document))
        self.sources.setHtml(head + (appendix or _no_appendix(self.doc.briefing.options, document)) + tail)
        self._show_warnings(document)
        self.last_seconds = time.perf_counter() - t0
        self.rendered.emit(self.last_seconds)
        return self.last_seconds

    def refresh_sections(self, sections: list[int]) -> float:
        """Facts reworded in ``sections``: patch the last rendered document in place, one paragraph
        a fact, without resolving the briefing again.  Anything else (an intro, a heading, a
        paragraph) falls back to a full refresh."""
        from briefer.domain.document import clean_text

        t0 = time.perf_counter()
        old = self.document
        if old is None or len(old.sections) != len(self.doc.briefing.sections):
            return self.refresh()
        qdoc = self.browser.document()
        changed: list[tuple[Any, str]] = []
        for si in sections:
            if si >= len(old.sections):
                continue
            bs = self.doc.briefing.sections[si]
            shown = old.sections[si]
            if shown.section_id != bs.section or shown.layout != bs.layout or \
                    " ".join((bs.intro or "").split()) != shown.intro or (bs.heading and bs.heading != shown.heading):
                return self.refresh()
            blocks, pos = shown.blocks, 0
            # walk the briefing's items and the rendered blocks together
            for item in bs.items:
                while pos < len(blocks) and blocks[pos].kind == "figure":
                    pos += 1  # figures are drawn from the facts and placed among them; nothing to patch
                if item.kind != "fact":
                    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", clean_text(item.text)[0]) if p.strip()]
                    got = [b.text for b in blocks[pos:pos + len(paras)] if b.kind == "paragraph"]
                    if got != paras:
                        return self.refresh()
                    pos += len(paras)
                    continue
                fact = self.doc.facts.get(item.fact_id)
                if pos < len(blocks) and blocks[pos].kind == "fact" and blocks[pos].fact_id == item.fact_id:
                    fb = blocks[pos]
                    pos += 1
                elif fact is None or (str(fact.status) == "superseded"
                                      and not self.doc.briefing.options.include_superseded):
                    continue  # left out of the document: nothing to patch
                else:
                    return self.refresh()
                override = item.override if item.override and item.override.strip() else None
                if fact is None:
                    continue
                text = clean_text(override or fact.statement)[0]
                if text != fb.text or bool(override) != fb.overridden:
                    changed.append((fb, fb.text))
                    fb.text = text
                    fb.overridden = bool(override)
            while pos < len(blocks) and blocks[pos].kind == "figure":
                pos += 1
            if pos != len(blocks):
                return self.refresh()
        points: list[tuple[Any, str]] = []
        if old.summary and old.summary.points:
            # a key point says the analyst's wording of a reworded fact (else its headline)
            from briefer.domain.document import key_point_text

            items = {i.fact_id: i for bs in self.doc.briefing.sections for i in bs.items if i.kind == "fact"}
            for p in old.summary.points:
                fact = self.doc.facts.get(p.fact_id)
                if fact is None or p.fact is not None or p.fact_id not in items:
                    continue
                new = clean_text(key_point_text(fact, items[p.fact_id].override))[0]
                if new != p.text:
                    points.append((p, p.text))
                    p.text = new
        for fb, old_text in changed:
            if not self._replace_fact(qdoc, fb, old_text):
                return self.refresh()
        for kp, old_text in points:
            if not self._replace_point(qdoc, kp, old_text):
                return self.refresh()
        self.last_seconds = time.perf_counter() - t0
        self.rendered.emit(self.last_seconds)
        return self.last_seconds

    def _note_block(self, qdoc: QTextDocument, note: int) -> Any:
        """The block holding footnote marker ``note``, from an index built once per full render."""
        if self._note_blocks is None:
            index: dict[int, int] = {}
            block = qdoc.begin()
            while block.isValid():
                it = block.begin()
                while not it.atEnd():
                    frag = it.fragment()
                    href = frag.charFormat().anchorHref() if frag.isValid() else ""
                    if href.startswith("#fn-"):
                        with contextlib.suppress(ValueError):
                            index[int(href[4:])] = block.blockNumber()
                    it += 1
                block = block.next()
            self._note_blocks = index
        number = self._note_blocks.get(note)
        return qdoc.findBlockByNumber(number) if number is not None else None

    def _replace_fact(self, qdoc: QTextDocument, fb: Any, old_text: str) -> bool:
        """Replace ``old_text`` by ``fb.text`` in the paragraph carrying footnote marker ``fb.note``,
        keeping its character format (one block laid out again).  False when the paragraph does
        not read as expected, so the caller renders everything instead."""
        block = self._note_block(qdoc, fb.note)
        if block is None or not block.isValid():
            return False
        # the renderer sets quotes and apostrophes typographically: compare and insert the same way
        old_text, new_text = smart_quotes(old_text), smart_quotes(fb.text)
        target = f"#fn-{fb.note}"
        it = block.begin()
        anchor_pos = -1
        while not it.atEnd():
            frag = it.fragment()
            if frag.isValid() and frag.charFormat().anchorHref() == target:
                anchor_pos = frag.position()
                break
            it += 1
        old16 = utf16_len(old_text)
        if anchor_pos < 0 or anchor_pos - old16 < block.position():
            return False
        cursor = QTextCursor(qdoc)
        cursor.setPosition(anchor_pos - old16)
        cursor.setPosition(anchor_pos, QTextCursor.MoveMode.KeepAnchor)
        if cursor.selectedText() != old_text:
            return False
        cursor.beginEditBlock()
        fmt = cursor.charFormat()
        cursor.insertText(new_text, fmt)
        cursor.endEditBlock()
        return True

    def _replace_point(self, qdoc: QTextDocument, kp: Any, old_text: str) -> bool:
        """Replace a key point's ``old_text`` by ``kp.text`` in the paragraph that holds it and links to
        its section; False when no paragraph reads so (the caller renders everything)."""
        target = f"#{kp.anchor}"
        old_text = smart_quotes(old_text)
        block = qdoc.begin()
        while block.isValid():
            if block.text().startswith(old_text + " (") and target in self._hrefs(block):
                cursor = QTextCursor(qdoc)
                cursor.setPosition(block.position())
                cursor.setPosition(block.position() + utf16_len(old_text), QTextCursor.MoveMode.KeepAnchor)
                if cursor.selectedText() != old_text:
                    return False
                cursor.beginEditBlock()
                cursor.insertText(smart_quotes(kp.text), cursor.charFormat())
                cursor.endEditBlock()
                return True
            block = block.next()
        return False

    @staticmethod
    def _hrefs(block: Any) -> set[str]:
        out = set()
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.isValid() and frag.charFormat().anchorHref():
                out.add(frag.charFormat().anchorHref())
            it += 1
        return out

    def _show_warnings(self, document: Any) -> None:
        if document.warnings:
            self.warning.setText("\u26a0 " + "; ".join(document.warnings[:3])
                                 + (f" (and {len(document.warnings) - 3} more)" if len(document.warnings) > 3 else ""))
            self.warning.setVisible(True)
        else:
            self.warning.setVisible(False)

    # -- links ------------------------------------------------------------------------------------

    def _anchor_clicked(self, url: QUrl) -> None:
        frag = url.fragment() or url.toString().lstrip("#")
        if frag.startswith("fn-") and self.document is not None:
            try:
                note = int(frag[3:])
            except ValueError:
                return
            for fb in self.document.fact_blocks():
                if fb.note == note:
                    self.footnoteClicked.emit(fb.fact_id, note)
                    break
            self.browser.scrollToAnchor(frag)
            return
        if frag:
            self.browser.scrollToAnchor(frag)

    def scroll_to_fact(self, fact_id: str) -> None:
        if self.document is None:
            return
        for fb in self.document.fact_blocks():
            if fb.fact_id == fact_id:
                self.browser.scrollToAnchor(f"fnref-{fb.note}")
                return


def _no_appendix(options: Any, document: Any) -> str:
    """What the Sources tab says when it has nothing to show: switched off is not the same as empty."""
    if not options.sources_appendix and document.sources:
        n = len(document.sources)
        return (f"<p><b>The sources table is switched off</b> for this briefing, so it is not printed. The "
                f"footnotes still cite {'the source' if n == 1 else f'all {n} sources'}.</p>"
                "<p>To print it, tick <i>Sources table</i> under <i>Include</i> on the "
                "<i>Cover &amp; summary</i> tab.</p>")
    return "<p>No sources cited yet: add facts from the library.</p>"


def _paper(browser: QTextBrowser, *, whole_words: bool = True) -> None:
    """The preview is the printed page: white paper and dark ink, in a dark theme too.  Its text
    breaks between words only, as on paper (``whole_words``): Qt's default breaks a word that does
    not fit ("Govern" / "ance") in a narrow pane.  The sources and glossary tables keep Qt's default,
    which breaks a word only where a column is narrower than it: there, whole words would push the
    last column (the reliability grade) out of sight."""
    from PySide6.QtGui import QColor, QPalette, QTextOption

    if whole_words:
        browser.setWordWrapMode(QTextOption.WrapMode.WordWrap)
    pal = browser.palette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled):
        pal.setColor(group, QPalette.ColorRole.Base, QColor("#ffffff"))
        pal.setColor(group, QPalette.ColorRole.Text, QColor("#1a1a1a"))
    browser.setPalette(pal)
