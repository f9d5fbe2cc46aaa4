"""The composer's Cover & summary tab: title, subtitle, who it is for and by, the handling
marking, the date of issue, the summary and what the briefing includes.  Every edit is an
undo step of the open briefing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from briefer.ui import undo_steps
from briefer.ui.briefing_model import BriefingDoc

MARKINGS = [
    "INTERNAL \u2014 NOT FOR DISTRIBUTION",
    "OFFICIAL",
    "OFFICIAL-SENSITIVE",
    "CONFIDENTIAL",
    "UNCLASSIFIED",
    "",
]


class CoverEditor(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc: BriefingDoc | None = None
        self._updating = False
        cf = QFormLayout(self)
        # a narrow pane (1280×720) puts a field under its label rather than run off the right edge behind
        # a scroll bar, as the composer's section page does
        cf.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.cover_edits: dict[str, QLineEdit] = {}
        for name, label, tip in [
            ("title", "&Title:", "The briefing's title, on the cover and in the page header"),
            ("subtitle", "S&ubtitle:", "A line under the title (optional)"),
            ("prepared_for", "Prepa&red for:", "Who the briefing is for, e.g. the Minister"),
            ("prepared_by", "Prepared &by:", "Your name or unit"),
        ]:
            edit = QLineEdit()
            edit.setAccessibleName(label.replace("&", "").rstrip(":"))
            edit.setToolTip(tip)
            self.cover_edits[name] = edit
            cf.addRow(label, edit)
        self.marking_combo = QComboBox()
        self.marking_combo.setEditable(True)
        self.marking_combo.addItems(MARKINGS)
        self.marking_combo.setAccessibleName("Handling marking")
        # as narrow as the pane: the marking's full text would be the form's minimum width
        self.marking_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.marking_combo.setMinimumContentsLength(12)
        self.marking_combo.setToolTip("Printed in the header and footer of every page; may be empty")
        cf.addRow("&Marking:", self.marking_combo)
        self.date_check = QCheckBox("Fixed date of issue")
        self.date_check.setToolTip("Unticked: the date the briefing is exported")
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMMM yyyy")
        self.date_edit.setDate(QDate.currentDate())
        self.date_edit.setEnabled(False)
        self.date_edit.setAccessibleName("Date of issue")
        drow = QVBoxLayout()  # the date under its box: side by side they were wider than the pane at 1024×640
        drow.setSpacing(2)
        drow.addWidget(self.date_check)
        drow.addWidget(self.date_edit)
        cf.addRow("Date:", drow)
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setAccessibleName("Summary")
        self.summary_edit.setPlaceholderText("Bottom line up front, in your words. Leave empty for key points drawn "
                                             "from the highest-priority facts.")
        self.summary_edit.setTabChangesFocus(True)
        cf.addRow("&Summary:", self.summary_edit)
        self.option_checks: dict[str, QCheckBox] = {}
        opts = QGridLayout()
        for n, (name, label, tip) in enumerate([
            ("summary", "Summary", "A summary up front: yours, or key points from the highest-priority facts"),
            ("contents", "Contents", "A list of the sections, linked"),
            ("sources_appendix", "Sources table", "An appendix listing every source cited, with its grade"),
            ("glossary", "Glossary", "An appendix of names, their other renderings and the Japanese"),
            ("include_superseded", "Superseded facts", "Keep facts that newer ones replaced (marked as such)"),
        ]):
            cb = QCheckBox(label)
            cb.setAccessibleName(f"Include {label.lower()}")
            cb.setToolTip(tip)
            self.option_checks[name] = cb
            opts.addWidget(cb, n, 0)  # one column: two made the form wider than the pane at 1024×640
        cf.addRow("Include:", opts)
        from briefer.ui.shortcut_guard import undoes_in_briefing

        # each edit is a step of the briefing's undo stack: Ctrl+Z is the window's Undo, not the box's
        for box in (*self.cover_edits.values(), self.marking_combo.lineEdit(), self.summary_edit):
            if box is not None:
                undoes_in_briefing(box)
        for name, edit in self.cover_edits.items():
            edit.textEdited.connect(lambda text, n=name: self._cover_edited(n, text))
        self.marking_combo.editTextChanged.connect(lambda t: self._cover_edited("marking", t))
        self.date_check.toggled.connect(self._date_toggled)
        self.date_edit.dateChanged.connect(self._date_changed)
        self.summary_edit.textChanged.connect(self._summary_changed)
        for name, cb in self.option_checks.items():
            cb.toggled.connect(lambda on, n=name: self._option_toggled(n, on))

    def load(self, doc: BriefingDoc | None) -> None:
        """Show ``doc``'s cover, summary and switches (edits then go to its undo stack)."""
        self.doc = doc
        if self.doc is None:
            return
        self._updating = True
        try:
            b = self.doc.briefing
            for name, edit in self.cover_edits.items():
                value = getattr(b.cover, name) or ""
                if edit.text() != value:
                    edit.setText(value)
            if self.marking_combo.currentText() != b.cover.marking:
                self.marking_combo.setEditText(b.cover.marking)
            if (line := self.marking_combo.lineEdit()) is not None:
                line.setCursorPosition(0)  # its start in sight, not its end
            self.date_check.setChecked(b.cover.date_of_issue is not None)
            self.date_edit.setEnabled(b.cover.date_of_issue is not None)
            if b.cover.date_of_issue is not None:
                d = b.cover.date_of_issue
                self.date_edit.setDate(QDate(d.year, d.month, d.day))
            summary = b.summary or ""
            if self.summary_edit.toPlainText() != summary:
                self.summary_edit.setPlainText(summary)
            for name, cb in self.option_checks.items():
                cb.setChecked(bool(getattr(b.options, name)))
        finally:
            self._updating = False

    def _cover_edited(self, name: str, text: str) -> None:
        if self._updating or self.doc is None or getattr(self.doc.briefing.cover, name) == text:
            return
        self.doc.undo.push(undo_steps.SetCover(self.doc, name, text))

    def _date_toggled(self, on: bool) -> None:
        self.date_edit.setEnabled(on)
        if self._updating or self.doc is None:
            return
        day = _pydate(self.date_edit.date()) if on else None
        self.doc.undo.push(undo_steps.SetCover(self.doc, "date_of_issue", day, "date of issue"))

    def _date_changed(self, d: QDate) -> None:
        if self._updating or self.doc is None or not self.date_check.isChecked():
            return
        self.doc.undo.push(undo_steps.SetCover(self.doc, "date_of_issue", _pydate(d), "date of issue"))

    def _summary_changed(self) -> None:
        if self._updating or self.doc is None:
            return
        text = self.summary_edit.toPlainText()
        value = text if text.strip() else None
        if value != self.doc.briefing.summary:
            self.doc.undo.push(undo_steps.SetSummary(self.doc, value))

    def _option_toggled(self, name: str, on: bool) -> None:
        if self._updating or self.doc is None or getattr(self.doc.briefing.options, name) == on:
            return
        self.doc.undo.push(undo_steps.SetOption(self.doc, name, on))


def _pydate(d: QDate) -> Any:
    from datetime import date

    return date(d.year(), d.month(), d.day())
