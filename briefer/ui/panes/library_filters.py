"""The layout of the library's filter panel: a form (a label, then its field, one a row) where the
library is tall, two columns of fields without labels where it is short.  The panel drops down over
the section tree and the fact list; at 1024×640 the form's eight rows covered the tree and all but
two of the list's rows, while the analyst changed a filter to watch the list change."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

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
            key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
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
