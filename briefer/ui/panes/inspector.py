"""The inspector: one fact in full — statement, status, as-of, citations with
the quote highlighted inside the source's full text, conflicts, where it is used."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from briefer.domain.typography import nested_quotes
from briefer.ui import icons
from briefer.ui.labels import escape
from briefer.ui.utf16 import utf16_len


class InspectorPane(QWidget):
    usageRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InspectorPane")
        self.fact: Any = None
        self.summary = QTextBrowser()
        self.summary.setOpenLinks(False)
        self.summary.setAccessibleName("Fact details")
        self.citation_combo = QComboBox()
        self.citation_combo.setAccessibleName("Citation shown in the source text")
        self.citation_combo.setToolTip("Which citation's quote to show in the source's full text")
        self.source_text = QTextEdit()
        self.source_text.setTabChangesFocus(True)
        self.source_text.setReadOnly(True)
        self.source_text.setAccessibleName("Full text of the cited source, the quote highlighted")
        self.source_label = QLabel("")
        self.source_label.setWordWrap(True)
        self.source_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        lab = QLabel("&Citation:")
        lab.setBuddy(self.citation_combo)
        row.addWidget(lab)
        row.addWidget(self.citation_combo, 1)
        ll.addLayout(row)
        ll.addWidget(self.source_label)
        ll.addWidget(self.source_text, 1)

        # three lines of text at least (Qt's default minimum is about four and a half): on a 640-pixel
        # screen the inspector's first height then leaves the library list its rows (issue 14 point 6)
        for text in (self.summary, self.source_text):
            text.setMinimumHeight(text.fontMetrics().lineSpacing() * 3 + 2 * text.frameWidth() + 4)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setObjectName("InspectorSplit")
        self.split.addWidget(self.summary)
        self.split.addWidget(lower)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 3)
        self.split.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.split)
        self.citation_combo.currentIndexChanged.connect(self._show_citation)
        self._sources: dict[str, Any] = {}
        self._readings: dict[str, tuple[str, Any]] = {}
        self._usage_html = ""
        self.clear()

    def set_wide(self, wide: bool) -> None:
        """Side by side when docked along the top or bottom, one above the other when tall."""
        self.split.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)

    def clear(self) -> None:
        self.fact = None
        self.summary.setHtml("<p><i>Select a fact in the library, the outline or the preview to inspect it: its "
                             "sources, the quote in context, its status and where it is used.</i></p>")
        self.citation_combo.clear()
        self.source_text.clear()
        self.source_label.clear()

    def show_fact(self, fact: Any, *, status: str, sources: dict[str, Any], in_briefing: list[str],
                  override: str | None = None, conflicts: list[str] | None = None,
                  usage_html: str = "", section_title: str = "", stale: str = "",
                  all_sources: Any = None, unreadable: list[str] | None = None) -> None:
        """``sources``: source id -> Source (with text) for every citation; ``unreadable``: the store's notes
        on this fact's and its sources' stored values that could not be read (each with its repair)."""
        again = self.fact is not None and self.fact.id == fact.id  # the same fact, shown as it now is
        keep = (self.citation_combo.currentIndex(), self.summary.verticalScrollBar().value()) if again else (0, 0)
        self.fact = fact
        self._sources = sources
        label = icons.STATUS_LOOK.get(status, icons.STATUS_LOOK["current"])[1]
        parts = [f"<p><b>{escape(fact.statement)}</b></p>"]
        if override is not None:
            parts.append(f"<p><b>\u270e This briefing's wording:</b> {escape(override)}</p>")
        meta = [f"<b>Status:</b> {escape(label)}", f"<b>As of:</b> {fact.as_of.isoformat()}",
                f"<b>Priority:</b> {fact.priority}/5", f"<b>Section:</b> {escape(section_title or fact.section)}",
                f"<b>Id:</b> <code>{escape(fact.id)}</code>"]
        parts.append("<p>" + " &nbsp;\u00b7&nbsp; ".join(meta) + "</p>")
        if stale:
            parts.append(f"<p><b>{escape(stale.capitalize())}</b> \u2014 check it is still true before "
                         "you use it.</p>")
        if fact.superseded_by:
            parts.append(f"<p><b>Superseded by:</b> <code>{escape(fact.superseded_by)}</code></p>")
        if status == "disputed":
            versions = "".join(
                f"<li>{escape(c.claim or '(no version recorded)')} \u2014 "
                f"<i>{escape(self._source_name(c.source))}</i></li>" for c in fact.citations)
            parts.append("<p><b>\u26a0 Disputed \u2014 the sources give different versions:</b></p>"
                         f"<ul>{versions}</ul>")
        if conflicts:
            parts.append("<p><b>\u26a0 Sources disagree (open conflicts):</b></p><ul>"
                         + "".join(f"<li>{escape(c)}</li>" for c in conflicts)
                         + "</ul>")
        if unreadable:
            parts.append("<p><b>\u26a0 Stored values that cannot be read</b> (shown as their fallbacks):</p><ul>"
                         + "".join(f"<li>{escape(n)}</li>" for n in unreadable) + "</ul>")
        if fact.tags:
            parts.append("<p><b>Tags:</b> " + ", ".join(escape(t) for t in fact.tags) + "</p>")
        cites = []
        for n, c in enumerate(fact.citations, 1):
            src = sources.get(c.source)
            cites.append(f"<li>{escape(self._source_line(src, c.source))}"
                         f"{(', ' + escape(c.location)) if c.location else ''}: "
                         f"\u201c{escape(nested_quotes(c.quote))}\u201d</li>")
            _ = n
        parts.append(f"<p><b>Citations ({len(fact.citations)}):</b></p><ol>{''.join(cites)}</ol>")
        where = ", ".join(escape(w) for w in in_briefing) if in_briefing else "not in this briefing"
        parts.append(f"<p><b>In this briefing:</b> {where}</p>")
        self._before = "".join(parts)
        if fact.notes:
            from briefer.domain.source_names import name_sources

            # the pack's notes name sources by their seed file's number ("004 and 001 agree")
            notes = name_sources(fact.notes, all_sources if all_sources is not None else sources.values())
            self._after = f"<p><b>Analyst notes:</b> {escape(notes)}</p>"
        else:
            self._after = ""
        self._usage = usage_html or "<p><b>Used by templates and editions:</b> <i>looking\u2026</i></p>"
        self.summary.setHtml(self._before + self._usage + self._after)
        self.citation_combo.blockSignals(True)
        self.citation_combo.clear()
        for n, c in enumerate(fact.citations, 1):
            self.citation_combo.addItem(f"{n}. {self._source_name(c.source)}", n - 1)
        self.citation_combo.blockSignals(False)
        cite = keep[0] if 0 <= keep[0] < len(fact.citations) else 0
        self.citation_combo.setCurrentIndex(cite)
        self._show_citation(cite)
        self.summary.verticalScrollBar().setValue(keep[1])

    def set_usage(self, usage_html: str) -> None:
        """Where-used lines (templates, editions), computed off the GUI thread, appended when ready."""
        if self.fact is None:
            return
        bar = self.summary.verticalScrollBar()
        keep = bar.value()
        self._usage = usage_html
        self.summary.setHtml(self._before + self._usage + self._after)
        bar.setValue(keep)

    def _source_name(self, sid: str) -> str:
        src = self._sources.get(sid)
        return src.display_title if src is not None else f"[source {sid}]"

    @staticmethod
    def _source_line(src: Any, sid: str) -> str:
        if src is None:
            return f"[source {sid} is not in the store]"
        bits = [b for b in (src.outlet, src.display_title, src.author,
                            src.published.isoformat() if src.published else (src.date_note or "n.d.")) if b]
        return ", ".join(bits) + f" (reliability {src.reliability})"

    def _show_citation(self, i: int) -> None:
        from briefer.domain.provenance import find_quote

        if self.fact is None or i < 0 or i >= len(self.fact.citations):
            return
        c = self.fact.citations[i]
        src = self._sources.get(c.source)
        if src is None:
            self.source_label.setText(f"Source {c.source} is not in the store.")
            self.source_text.clear()
            return
        self.source_label.setText(self._source_line(src, c.source))
        # QTextDocument counts a line break as one character and positions in UTF-16 units
        stored = src.text.replace("\r\n", "\n").replace("\r", "\n")
        # the analyst reads the document, not its page furniture and markup (the importer's rule)
        shown = self._reading(c.source, stored)
        text = shown.text
        self.source_text.setPlainText(text)
        at = find_quote(stored, c.quote)
        found = shown.span(*at) if at is not None else None
        if found is None:
            self.source_text.setExtraSelections([])
            self.source_label.setText(self.source_label.text() + " \u2014 \u26a0 the quote was not found in this text")
            return
        span = (utf16_len(text[: found[0]]), utf16_len(text[: found[1]]))
        cursor = QTextCursor(self.source_text.document())
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        fmt.setBackground(QColor("#fde68a"))
        fmt.setForeground(QColor("#111111"))
        fmt.setFontWeight(700)
        sel = QTextEdit.ExtraSelection()
        sel.cursor = cursor
        sel.format = fmt
        self.source_text.setExtraSelections([sel])
        # scroll so the quote stands in view
        c2 = QTextCursor(self.source_text.document())
        c2.setPosition(span[1])
        self.source_text.setTextCursor(c2)
        self.source_text.ensureCursorVisible()
        c2.setPosition(span[0])
        self.source_text.setTextCursor(c2)
        self.source_text.ensureCursorVisible()

    def _reading(self, sid: str, stored: str) -> Any:
        from briefer.ingest.furniture import reading

        cached = self._readings.get(sid)
        if cached is None or cached[0] != stored:
            cached = self._readings[sid] = (stored, reading(stored))
        return cached[1]

    def highlighted_quote(self) -> str:
        """The text currently highlighted in the source view (for tests and accessibility)."""
        sels = self.source_text.extraSelections()
        return sels[0].cursor.selectedText() if sels else ""
