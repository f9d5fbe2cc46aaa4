"""The live preview: the briefing rendered by the export's own HTML renderer.

A full refresh resolves the briefing against the store and sets the whole
HTML.  A change to one fact's wording (the commonest edit) rewrites only that
fact's paragraph in place, so Qt lays out one block instead of the document.
The sources table sits in its own tab: a table below the edit point would make
every edit lay out the whole document again.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QLabel, QTabWidget, QTextBrowser, QVBoxLayout, QWidget


class PreviewPane(QWidget):
    footnoteClicked = Signal(str, int)  # fact id, note number
    rendered = Signal(float)  # seconds the last refresh took

    #: wait this long after an edit before refreshing (ms), so typing stays smooth
    DELAY_MS = 120

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PreviewPane")
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName("Preview of the briefing")
        self.browser.setToolTip("")
        self.sources = QTextBrowser()
        self.sources.setOpenLinks(False)
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
        self._pending_full = False
        self._pending_sections: set[int] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DELAY_MS)
        self._timer.timeout.connect(self.refresh_pending)
        self.browser.anchorClicked.connect(self._anchor_clicked)
        self.sources.anchorClicked.connect(self._anchor_clicked)
        self.last_seconds = 0.0

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
        from briefer.domain.document import resolve

        return resolve(self.doc.briefing, self.store, today=self.today or date.today())

    def refresh(self) -> float:
        """Render everything again; returns the seconds it took."""
        from briefer.export import html as render

        if self.doc is None or self.store is None:
            return 0.0
        t0 = time.perf_counter()
        self._timer.stop()
        self._pending_full = False
        self._pending_sections = set()
        document = self._resolve()
        self.document = document
        body = [render.render_cover_html(document), render.render_contents_html(document),
                render.render_summary_html(document), render.render_whats_new_html(document)]
        body += [render.render_section_html(s) for s in document.sections]
        body.append(render.render_notes_html(document))
        head = render.html_head(document)
        tail = render.html_tail(document)
        bar = self.browser.verticalScrollBar()
        keep = bar.value()
        self.browser.setHtml(head + "".join(body) + tail)
        bar.setValue(keep)
        appendix = render.render_sources_html(document) + render.render_glossary_html(document)
        self.sources.setHtml(head + (appendix or "<p>No sources cited yet.</p>") + tail)
        self._show_warnings(document)
        self.last_seconds = time.perf_counter() - t0
        self.rendered.emit(self.last_seconds)
        return self.last_seconds

    def refresh_sections(self, sections: list[int]) -> float:
        """One section's text changed (a fact reworded, an intro edited): update it in place."""
        from briefer.export import html as render

        t0 = time.perf_counter()
        old = self.document
        document = self._resolve()
        if old is None or not self._same_shape(old, document):
            return self.refresh()
        qdoc = self.browser.document()
        done = True
        for si in sections:
            if si >= len(document.sections):
                continue
            new_sec, old_sec = document.sections[si], old.sections[si]
            if (new_sec.heading, new_sec.intro, new_sec.layout) != (old_sec.heading, old_sec.intro, old_sec.layout):
                done = False
                break
            for nb, ob in zip(new_sec.blocks, old_sec.blocks, strict=True):
                if nb.kind != ob.kind:
                    done = False
                    break
                if nb.kind == "fact":
                    if (nb.text, nb.status) != (ob.text, ob.status) and not self._replace_fact(qdoc, nb, render):
                        done = False
                        break
                elif nb.text != ob.text:
                    done = False
                    break
            if not done:
                break
        if not done:
            return self.refresh()
        # the default summary repeats the highest-priority facts: keep its copies in step
        if document.summary and document.summary.points:
            old_points = {p.fact_id: p for p in old.summary.points} if old.summary else {}
            for p in document.summary.points:
                op = old_points.get(p.fact_id)
                if op is not None and op.text != p.text and not self._replace_fact(qdoc, p, render):
                    return self.refresh()
        self.document = document
        self._show_warnings(document)
        self.last_seconds = time.perf_counter() - t0
        self.rendered.emit(self.last_seconds)
        return self.last_seconds

    @staticmethod
    def _same_shape(a: Any, b: Any) -> bool:
        if len(a.sections) != len(b.sections) or (a.summary is None) != (b.summary is None):
            return False
        if a.summary and b.summary and ([p.fact_id for p in a.summary.points] != [p.fact_id for p in b.summary.points]
                                        or a.summary.paragraphs != b.summary.paragraphs):
            return False
        if a.cover != b.cover:
            return False
        for sa, sb in zip(a.sections, b.sections, strict=True):
            if sa.section_id != sb.section_id or len(sa.blocks) != len(sb.blocks):
                return False
        return True

    def _replace_fact(self, qdoc: QTextDocument, fb: Any, render: Any) -> bool:
        """Rewrite the paragraph carrying footnote marker ``fb.note`` (in place, one block)."""
        target = f"#fn-{fb.note}"
        block = qdoc.begin()
        while block.isValid():
            it = block.begin()
            found = False
            while not it.atEnd():
                frag = it.fragment()
                if frag.isValid() and frag.charFormat().anchorHref() == target:
                    found = True
                    break
                it += 1
            if found:
                break
            block = block.next()
        if not block.isValid():
            return False
        cursor = QTextCursor(block)
        cursor.beginEditBlock()
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        cursor.insertHtml(render._fact_inner(fb))
        cursor.endEditBlock()
        return True

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
