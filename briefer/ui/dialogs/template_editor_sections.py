"""The template editor's Sections tab: the sections in order (add, remove, move, by mouse and by
keyboard) and, for the section selected, its heading, introduction, layout, the facts it names and
the query that picks more (where, tags, status, since, priority, order, count).

The panel edits plain data (a list of dicts shaped like
:class:`~briefer.domain.template_model.TemplateSection` in JSON); the dialog turns it into a
template and checks it.  ``changed`` is emitted after every edit.
"""

from __future__ import annotations

import copy
import re
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from briefer.ui import icons

#: the orders a section offers, as the model names them, with what they mean
ORDERS = [
    ("priority", "Most important first"),
    ("date", "Newest first"),
    ("chronological", "Oldest first (a history)"),
    ("explicit", "The named facts as listed, then by importance"),
]
STATUSES = [("current", "Current"), ("disputed", "Disputed"), ("superseded", "Superseded")]
_SPLIT = re.compile(r"[,\s]+")


def split_words(text: str) -> list[str]:
    """Tags or ids typed into a line: separated by commas or spaces."""
    return [w for w in _SPLIT.split(text.strip()) if w]


class ListCompleter(QCompleter):
    """Completes the last of the comma-separated words of a line (fact ids, tags, section ids)."""

    def __init__(self, words: list[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.words = QStringListModel(sorted(set(words)), self)  # owned here: kept as long as the completer
        self.setModel(self.words)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 - Qt's name
        return [path.split(",")[-1].strip()]

    def pathFromIndex(self, index: Any) -> str:  # noqa: N802 - Qt's name
        widget = self.widget()
        text = widget.text() if isinstance(widget, QLineEdit) else ""
        head = text.rsplit(",", 1)[0] + ", " if "," in text else ""
        return head + str(index.data())


def attach_completer(edit: QLineEdit, words: list[str]) -> None:
    completer = ListCompleter(words, edit)
    edit.setCompleter(completer)
    completer.activated.connect(lambda text: _complete(edit, text))


def _complete(edit: QLineEdit, text: str) -> None:
    """A completion chosen: the line with its last word completed, and an edit like typing it."""
    edit.setText(text)
    edit.textEdited.emit(text)


def new_section(section_id: str) -> dict[str, Any]:
    return {"section": section_id, "heading": None, "intro": "", "layout": "bullets",
            "selection": {"fact_ids": [], "query": _default_query(), "max_count": None, "order": "priority"}}


def _default_query() -> dict[str, Any]:
    return {"sections": None, "tags_any": [], "tags_all": [], "tags_none": [], "status": ["current", "disputed"],
            "since": None, "min_priority": None}


class SectionsPanel(QWidget):
    changed = Signal()

    def __init__(self, store_sections: list[Any], parent: QWidget | None = None, *,
                 fact_ids: list[str] | None = None, tags: list[str] | None = None) -> None:
        super().__init__(parent)
        self.store_sections = store_sections
        self.fact_ids, self.tags = fact_ids or [], tags or []
        self.titles = {s.id: s.title for s in store_sections}
        self.data: list[dict[str, Any]] = []
        #: per section: (facts selected, facts its rules match), from the live count
        self.counts: list[tuple[int, int]] | None = None
        self._loading = False

        self.list = QListWidget()
        self.list.setAccessibleName("Template sections")
        self.list.setObjectName("TemplateSectionList")
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # the count at the end stays visible
        self.add_button = QPushButton(icons.icon("add"), "Add section")
        self.add_button.setToolTip("Add a section after the selected one (Insert)")
        self.remove_button = QPushButton(icons.icon("delete"), "Remove")
        self.remove_button.setToolTip("Remove the selected section (Delete)")
        self.up_button = QPushButton(icons.icon("up"), "Up")
        self.up_button.setToolTip("Move the section up (Ctrl+Up)")
        self.down_button = QPushButton(icons.icon("down"), "Down")
        self.down_button.setToolTip("Move the section down (Ctrl+Down)")
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        self.list.setMinimumWidth(160)
        left = QWidget()
        left_lay = QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 0, 0)
        left_lay.addWidget(self.list, 1)
        left_lay.addLayout(buttons)
        for keys, slot in (("Ctrl+Up", lambda: self.move_section(-1)), ("Ctrl+Down", lambda: self.move_section(1)),
                           (QKeySequence.StandardKey.Delete, self.remove), ("Insert", self.add)):
            sc = QShortcut(QKeySequence(keys), self.list)
            sc.setContext(Qt.ShortcutContext.WidgetShortcut)
            sc.activated.connect(slot)

        self.form = self._build_form()
        # scrolled, so the editor fits a 1024×640 screen
        from PySide6.QtWidgets import QFrame, QScrollArea

        form_area = QScrollArea()
        form_area.setWidget(self.form)
        form_area.setWidgetResizable(True)
        form_area.setFrameShape(QFrame.Shape.NoFrame)
        form_area.viewport().setAutoFillBackground(False)
        self.form.setAutoFillBackground(False)
        split = QSplitter()
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(form_area)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([300, 520])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)

        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.up_button.clicked.connect(lambda: self.move_section(-1))
        self.down_button.clicked.connect(lambda: self.move_section(1))
        self.list.currentRowChanged.connect(self._show)

    # -- the form of one section ------------------------------------------------------------------

    def _build_form(self) -> QWidget:
        box = QWidget()
        self.section_combo = QComboBox()
        self.section_combo.setAccessibleName("Section of the store")
        for s in self.store_sections:
            self.section_combo.addItem(s.title, s.id)
        self.heading_edit = QLineEdit()
        self.heading_edit.setAccessibleName("Heading")
        self.intro_edit = QPlainTextEdit()
        self.intro_edit.setAccessibleName("Introduction")
        self.intro_edit.setTabChangesFocus(True)
        self.intro_edit.setFixedHeight(54)
        self.layout_combo = QComboBox()
        self.layout_combo.setAccessibleName("Layout")
        self.layout_combo.addItem("Bullets", "bullets")
        self.layout_combo.addItem("Paragraphs", "paragraphs")
        self.ids_edit = QLineEdit()
        self.ids_edit.setAccessibleName("Named facts")
        self.ids_edit.setPlaceholderText("fact ids, e.g. hq-established-sept-1, act-passed")
        self.order_combo = QComboBox()
        self.order_combo.setAccessibleName("Order")
        for key, label in ORDERS:
            self.order_combo.addItem(label, key)
        self.count_spin = QSpinBox()
        self.count_spin.setAccessibleName("Count")
        self.count_spin.setRange(0, 2000)
        self.count_spin.setSpecialValueText("no limit")
        form = QFormLayout()
        form.addRow("S&ection:", self.section_combo)
        form.addRow("Headin&g:", self.heading_edit)
        form.addRow("&Introduction:", self.intro_edit)
        form.addRow("&Layout:", self.layout_combo)
        form.addRow("Na&med facts:", self.ids_edit)
        form.addRow("&Order:", self.order_combo)
        form.addRow("At most (count):", self.count_spin)

        self.query_box = QGroupBox("Pick facts by a &query")
        self.query_box.setCheckable(True)
        self.query_box.setAccessibleName("Query")
        self.where_combo = QComboBox()
        self.where_combo.setAccessibleName("Where to look")
        self.where_combo.addItem("This section", "own")
        self.where_combo.addItem("All sections", "all")
        self.where_combo.addItem("These sections\u2026", "list")
        self.where_edit = QLineEdit()
        self.where_edit.setAccessibleName("Sections to look in")
        self.where_edit.setPlaceholderText("section ids, e.g. risks, law-summary")
        self.tags_any_edit = QLineEdit()
        self.tags_any_edit.setAccessibleName("Any of the tags")
        self.tags_any_edit.setPlaceholderText("e.g. topic:enforcement, topic:penalties")
        self.tags_all_edit = QLineEdit()
        self.tags_all_edit.setAccessibleName("All of the tags")
        self.tags_none_edit = QLineEdit()
        self.tags_none_edit.setAccessibleName("None of the tags")
        self.status_checks = {key: QCheckBox(label) for key, label in STATUSES}
        status_row = QHBoxLayout()
        for cb in self.status_checks.values():
            cb.setAccessibleName(f"Status {cb.text().lower()}")
            status_row.addWidget(cb)
        status_row.addStretch(1)
        self.since_check = QCheckBox("Since")
        self.since_check.setAccessibleName("Only facts since a date")
        self.since_edit = QDateEdit()
        self.since_edit.setAccessibleName("Since")
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setDisplayFormat("d MMMM yyyy")
        self.since_edit.setDate(QDate(2025, 1, 1))
        since_row = QHBoxLayout()
        since_row.addWidget(self.since_check)
        since_row.addWidget(self.since_edit, 1)
        self.priority_spin = QSpinBox()
        self.priority_spin.setAccessibleName("Lowest priority")
        self.priority_spin.setRange(0, 5)
        self.priority_spin.setSpecialValueText("any")
        self.priority_spin.setToolTip("Only facts of at least this priority (1 background \u2026 5 headline)")
        where_row = QHBoxLayout()
        where_row.addWidget(self.where_combo)
        where_row.addWidget(self.where_edit, 1)
        qform = QFormLayout(self.query_box)
        where_label = QLabel("W&here:")  # a row of several widgets: the label needs its buddy set by hand
        where_label.setBuddy(self.where_combo)
        qform.addRow(where_label, where_row)
        qform.addRow("An&y of the tags:", self.tags_any_edit)
        qform.addRow("All o&f the tags:", self.tags_all_edit)
        qform.addRow("None of the &tags:", self.tags_none_edit)
        status_label = QLabel("St&atus:")
        status_label.setBuddy(self.status_checks["current"])
        qform.addRow(status_label, status_row)
        qform.addRow("", since_row)
        qform.addRow("Lowest &priority:", self.priority_spin)

        attach_completer(self.ids_edit, self.fact_ids)
        for e in (self.tags_any_edit, self.tags_all_edit, self.tags_none_edit):
            attach_completer(e, self.tags)
        attach_completer(self.where_edit, [s.id for s in self.store_sections])

        self.section_count = QLabel("")
        self.section_count.setAccessibleName("Section count")
        self.section_count.setWordWrap(True)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(form)
        lay.addWidget(self.query_box)
        lay.addWidget(self.section_count)
        lay.addStretch(1)

        self.section_combo.currentIndexChanged.connect(self._edited)
        self.layout_combo.currentIndexChanged.connect(self._edited)
        self.order_combo.currentIndexChanged.connect(self._edited)
        self.where_combo.currentIndexChanged.connect(self._edited)
        for e in (self.heading_edit, self.ids_edit, self.where_edit, self.tags_any_edit, self.tags_all_edit,
                  self.tags_none_edit):
            e.textEdited.connect(self._edited)
        self.intro_edit.textChanged.connect(self._edited)
        for w in (self.count_spin, self.priority_spin):
            w.valueChanged.connect(self._edited)
        self.since_edit.dateChanged.connect(self._edited)
        for cb in (*self.status_checks.values(), self.since_check):
            cb.toggled.connect(self._edited)
        self.query_box.toggled.connect(self._edited)
        return box

    # -- data in and out ------------------------------------------------------------------------------

    def load(self, sections: list[dict[str, Any]]) -> None:
        self.data = copy.deepcopy(sections)
        self.counts = None
        self._fill_list(0 if self.data else -1)

    def title_of(self, i: int) -> str:
        d = self.data[i]
        return str(d.get("heading") or self.titles.get(d["section"], d["section"]))

    def _row_text(self, i: int) -> str:
        text = f"{i + 1}. {self.title_of(i)}"
        if self.counts is not None and i < len(self.counts):
            took, matched = self.counts[i]
            text += f"  \u2014 {took} fact{'s' if took != 1 else ''}"
            if matched == 0:
                text += " \u26a0"
        return text

    def _fill_list(self, current: int) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for i in range(len(self.data)):
            item = QListWidgetItem(self._row_text(i))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, self._row_text(i))
            item.setToolTip(self._row_text(i))
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.list.setCurrentRow(current)
        self._show(current)

    def set_counts(self, counts: list[tuple[int, int]] | None) -> None:
        self.counts = counts
        for i in range(min(self.list.count(), len(self.data))):
            self.list.item(i).setText(self._row_text(i))
        self._show_count(self.list.currentRow())

    def _show_count(self, row: int) -> None:
        if self.counts is None or not 0 <= row < len(self.counts):
            self.section_count.setText("")
            return
        took, matched = self.counts[row]
        if matched == 0:
            self.section_count.setText("\u26a0 This section selects nothing: no named fact is in the store and "
                                       "its query matches no fact.")
            return
        text = f"Its rules match {matched} fact{'s' if matched != 1 else ''}; the briefing would take {took}"
        if took < matched:
            text += " (the others are in an earlier section, or over its count or the length budget)"
        self.section_count.setText(text + ".")

    # -- the list -------------------------------------------------------------------------------------

    def add(self) -> None:
        row = self.list.currentRow()
        sid = self.data[row]["section"] if 0 <= row < len(self.data) else (
            self.store_sections[0].id if self.store_sections else "section")
        at = row + 1 if row >= 0 else len(self.data)
        self.data.insert(at, new_section(sid))
        self.counts = None
        self._fill_list(at)
        self.changed.emit()
        self.heading_edit.setFocus()

    def remove(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.data):
            return
        del self.data[row]
        self.counts = None
        self._fill_list(min(row, len(self.data) - 1))
        self.changed.emit()
        self.list.setFocus()

    def move_section(self, step: int) -> None:
        row = self.list.currentRow()
        to = row + step
        if not (0 <= row < len(self.data) and 0 <= to < len(self.data)):
            return
        self.data[row], self.data[to] = self.data[to], self.data[row]
        if self.counts is not None:
            self.counts[row], self.counts[to] = self.counts[to], self.counts[row]
        self._fill_list(to)
        self.changed.emit()
        self.list.setFocus()

    def _update_buttons(self, row: int) -> None:
        has = 0 <= row < len(self.data)
        self.remove_button.setEnabled(has)
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < len(self.data) - 1)
        self.form.setEnabled(has)

    def _show(self, row: int) -> None:
        self._update_buttons(row)
        if not 0 <= row < len(self.data):
            self._show_count(-1)
            return
        d = self.data[row]
        sel = d["selection"]
        q = sel.get("query")
        self._loading = True
        try:
            i = self.section_combo.findData(d["section"])
            if i < 0:  # a section the store does not know: shown, so the problem can be seen and fixed
                self.section_combo.addItem(f"{d['section']} (not in the store)", d["section"])
                i = self.section_combo.count() - 1
            self.section_combo.setCurrentIndex(i)
            self.heading_edit.setText(d.get("heading") or "")
            self.heading_edit.setPlaceholderText(self.titles.get(d["section"], ""))
            self.intro_edit.setPlainText(d.get("intro") or "")
            self.layout_combo.setCurrentIndex(max(0, self.layout_combo.findData(d.get("layout", "bullets"))))
            self.ids_edit.setText(", ".join(sel.get("fact_ids") or []))
            self.order_combo.setCurrentIndex(max(0, self.order_combo.findData(sel.get("order", "priority"))))
            self.count_spin.setValue(sel.get("max_count") or 0)
            self.query_box.setChecked(q is not None)
            q = q or _default_query()
            where = q.get("sections")
            self.where_combo.setCurrentIndex(0 if where is None else 1 if where == "all" else 2)
            self.where_edit.setText(", ".join(where) if isinstance(where, list) else "")
            self.where_edit.setEnabled(isinstance(where, list))
            self.tags_any_edit.setText(", ".join(q.get("tags_any") or []))
            self.tags_all_edit.setText(", ".join(q.get("tags_all") or []))
            self.tags_none_edit.setText(", ".join(q.get("tags_none") or []))
            for key, cb in self.status_checks.items():
                cb.setChecked(key in (q.get("status") or []))
            since = q.get("since")
            self.since_check.setChecked(bool(since))
            self.since_edit.setEnabled(bool(since))
            if since:
                day = since if isinstance(since, date) else date.fromisoformat(str(since))
                self.since_edit.setDate(QDate(day.year, day.month, day.day))
            self.priority_spin.setValue(q.get("min_priority") or 0)
        finally:
            self._loading = False
        self._show_count(row)

    def _edited(self, *_args: Any) -> None:
        if self._loading:
            return
        row = self.list.currentRow()
        if not 0 <= row < len(self.data):
            return
        d = self.data[row]
        d["section"] = self.section_combo.currentData()
        d["heading"] = self.heading_edit.text().strip() or None
        d["intro"] = self.intro_edit.toPlainText().strip()
        d["layout"] = self.layout_combo.currentData()
        self.heading_edit.setPlaceholderText(self.titles.get(d["section"], ""))
        sel = d["selection"]
        sel["fact_ids"] = list(dict.fromkeys(split_words(self.ids_edit.text())))
        sel["order"] = self.order_combo.currentData()
        sel["max_count"] = self.count_spin.value() or None
        if self.query_box.isChecked():
            where = self.where_combo.currentData()
            self.where_edit.setEnabled(where == "list")
            day = self.since_edit.date()
            self.since_edit.setEnabled(self.since_check.isChecked())
            sel["query"] = {
                "sections": (None if where == "own" else "all" if where == "all"
                             else split_words(self.where_edit.text())),
                "tags_any": split_words(self.tags_any_edit.text()),
                "tags_all": split_words(self.tags_all_edit.text()),
                "tags_none": split_words(self.tags_none_edit.text()),
                "status": [key for key, cb in self.status_checks.items() if cb.isChecked()],
                "since": date(day.year(), day.month(), day.day()).isoformat() if self.since_check.isChecked() else None,
                "min_priority": self.priority_spin.value() or None,
            }
        else:
            sel["query"] = None
        item = self.list.item(row)
        if item is not None:
            item.setText(self._row_text(row))
        self.changed.emit()
