"""The layout of the library's filter panel: a form (a label, then its field, one a row) where the
library is tall, two columns of fields without labels where it is short.  The panel drops down over
the section tree and the fact list; at 1024×640 the form's eight rows covered the tree and all but
two of the list's rows, while the analyst changed a filter to watch the list change."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from briefer.ui.qt_names import TOOLTIP_ROLE, set_enum

#: the fact list keeps at least this many rows in sight below an open filter panel (if it has them)
KEEP_ROWS = 4


class FilterLayout:
    """Arranges the filter fields in ``panel``: :meth:`arrange` switches between the form and the
    compact two columns.  A compact field's label is hidden, but the fields say what they are ("All
    sections", "Any source", "Any status"…), their accessible names and tooltips stay, and so do the
    labels' Alt shortcuts (Alt+R: the reliability grade) while focus is in the panel."""

    def __init__(self, panel: QWidget, fields: list[tuple[str, QWidget]], date_from: QHBoxLayout,
                 date_to: QHBoxLayout, reset: QPushButton) -> None:
        self.panel = panel
        self.grid = QGridLayout(panel)
        self.grid.setContentsMargins(8, 8, 8, 8)
        self.fields: list[tuple[QLabel, QWidget]] = []
        #: the labels' Alt shortcuts while they are hidden (a hidden label's own shortcut is off)
        self.shortcuts: list[QShortcut] = []
        for text, field in fields:
            label = QLabel(text, panel)
            label.setBuddy(field)
            self.fields.append((label, field))
            key = QShortcut(QKeySequence.mnemonic(text), panel)
            set_enum(key, "context", "WidgetWithChildrenShortcut")
            key.activated.connect(field.setFocus)
            self.shortcuts.append(key)
        self.dates: list[QWidget] = []
        for row in (date_from, date_to):
            box = QWidget(panel)
            row.setContentsMargins(0, 0, 0, 0)
            box.setLayout(row)
            self.dates.append(box)
        self.as_of = QLabel("&Dated:", panel)
        item = date_from.itemAt(0) if date_from.count() else None
        first = item.widget() if item is not None else None
        if first is not None:
            self.as_of.setBuddy(first)
        self.reset = reset
        self.compact: bool | None = None
        self.arrange(compact=False)

    def _clear(self) -> None:
        while self.grid.count():
            self.grid.takeAt(0)  # the widgets stay the panel's children
        for c in range(self.grid.columnCount()):
            self.grid.setColumnStretch(c, 0)

    def arrange(self, *, compact: bool) -> None:
        if compact == self.compact:
            return
        self.compact = compact
        self._clear()
        g = self.grid
        labels = [label for label, _ in self.fields] + [self.as_of]
        for label in labels:
            label.setVisible(not compact)
        for key in self.shortcuts:
            key.setEnabled(compact)
        # compact: tighter margins and spacing, so the two dates side by side show their whole date
        m = 3 if compact else 8
        g.setContentsMargins(m, m, m, m)
        g.setHorizontalSpacing(4 if compact else -1)
        for box in self.dates:
            inner = box.layout()
            if inner is not None:
                inner.setSpacing(1 if compact else -1)
        # a combo elides its text: compact, it takes its column's half, not the room of its longest
        # entry (the source combo's wanted the dates' room too)
        for _, field in self.fields:
            field.setMinimumWidth(60 if compact else 0)
        if compact:
            # two fields a row, the dates side by side, the reset button in the last free cell
            widgets = [field for _, field in self.fields] + [self.reset] + self.dates
            for i, w in enumerate(widgets):
                g.addWidget(w, i // 2, i % 2)
            g.setColumnStretch(0, 1)
            g.setColumnStretch(1, 1)
        else:
            for row, (label, field) in enumerate(self.fields):
                g.addWidget(label, row, 0)
                g.addWidget(field, row, 1)
            n = len(self.fields)
            g.addWidget(self.as_of, n, 0)
            g.addWidget(self.dates[0], n, 1)
            g.addWidget(self.dates[1], n + 1, 1)
            g.addWidget(self.reset, n + 2, 1)
            g.setColumnStretch(1, 1)
        g.invalidate()
        g.activate()

    def fit(self, room: int) -> int:
        """Arrange the fields for a panel at most ``room`` pixels high (the form if it fits, else the
        compact columns); the panel's height."""
        self.arrange(compact=False)
        if self.panel.sizeHint().height() > room:
            self.arrange(compact=True)
        return self.panel.sizeHint().height()


#: the statuses a row shows (briefer.ui.factflags.display_status), offered by the Status filter
SHOWN_STATUSES = ("current", "stale", "conflict", "disputed", "superseded")


class FilterPanel:
    """The library's filter fields in their panel (a child of the pane laid over its siblings, not a popup
    window: it stays open while the analyst looks at the list).  The pane makes it when it is first opened
    or asked for: nothing of it shows before, and at the start the combo boxes, the date fields and their
    layout were ~17 M instructions on the way to a filled library."""

    def __init__(self, pane: QWidget) -> None:
        from PySide6.QtCore import QDate
        from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QFrame

        from briefer.ui import icons

        self.frame = frame = QFrame(pane)
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame.setFrameShadow(QFrame.Shadow.Raised)
        frame.setAutoFillBackground(True)
        frame.setAccessibleName("Filters")
        frame.setVisible(False)
        self.section_combo = QComboBox()
        self.section_combo.setAccessibleName("Section filter")
        self.source_combo = QComboBox()
        self.source_combo.setAccessibleName("Source filter")
        self.source_combo.setMinimumContentsLength(18)
        self.source_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Status filter")
        # the words and icons of the list's rows (one vocabulary: icons.STATUS_LOOK)
        self.status_combo.addItem(icons.icon("filter"), "Any status", None)
        for shown in SHOWN_STATUSES:
            self.status_combo.addItem(icons.status_icon(shown), icons.STATUS_LOOK[shown][1], shown)
        self.reliability_combo = QComboBox()
        self.reliability_combo.setAccessibleName("Source reliability filter")
        self.reliability_combo.setToolTip("Only facts citing a source with this reliability grade (A\u2013F scale)")
        for label, value in [("Any grade", None), ("A \u2014 completely reliable", "A"),
                             ("A\u2013B \u2014 usually reliable or better", "AB"),
                             ("A\u2013C \u2014 fairly reliable or better", "ABC"),
                             ("F \u2014 cannot be judged", "F")]:
            self.reliability_combo.addItem(label, value)
        self.tag_combo = QComboBox()
        self.tag_combo.setEditable(False)
        self.tag_combo.setAccessibleName("Tag filter")
        self.tag_combo.setMinimumContentsLength(18)
        self.tag_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.date_from_check = QCheckBox("from")
        self.date_from = QDateEdit()
        self.date_from.setCalendarPopup(True)
        self.date_from.setDisplayFormat("yyyy-MM-dd")
        self.date_from.setDate(QDate(2024, 1, 1))
        self.date_from.setEnabled(False)
        self.date_from.setAccessibleName("As of from")
        self.date_to_check = QCheckBox("to")
        self.date_to = QDateEdit()
        self.date_to.setCalendarPopup(True)
        self.date_to.setDisplayFormat("yyyy-MM-dd")
        self.date_to.setDate(QDate.currentDate())
        self.date_to.setEnabled(False)
        self.date_to.setAccessibleName("As of to")
        # one date a row: side by side they were cut short in a narrow library
        dates = QHBoxLayout()
        dates.addWidget(self.date_from_check)
        dates.addWidget(self.date_from, 1)
        dates_to = QHBoxLayout()
        dates_to.addWidget(self.date_to_check)
        dates_to.addWidget(self.date_to, 1)
        width = max(self.date_from_check.sizeHint().width(), self.date_to_check.sizeHint().width())
        self.date_from_check.setMinimumWidth(width)
        self.date_to_check.setMinimumWidth(width)
        self.reset_filters_button = QPushButton("Reset filters")
        # a form where the library is tall, two columns where it is short
        self.filter_layout = FilterLayout(frame, [
            ("&Section:", self.section_combo), ("So&urce:", self.source_combo), ("S&tatus:", self.status_combo),
            ("&Reliability:", self.reliability_combo), ("Ta&g:", self.tag_combo)], dates, dates_to,
            self.reset_filters_button)

    def fill(self, items: dict[str, list[tuple[str, Any]]]) -> None:
        """Offer ``items`` (combo attribute name -> (label, value)) in those combo boxes, each keeping what
        it had chosen if it is still offered; no signal is sent."""
        for name, entries in items.items():
            combo = getattr(self, name)
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for label, value in entries:
                combo.addItem(label, value)
                if value is not None:
                    combo.setItemData(combo.count() - 1, label, TOOLTIP_ROLE)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

