"""Someone saved the fact (or source) while you were editing it: theirs and yours side by side, field by
field, the differences highlighted; keep theirs, keep yours (saved on top of their version, which
stays in the history), or merge, picking per field (issue 15, point 2).

The dialog only chooses; the editor saves the choice (:func:`briefer.domain.versions.merged`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefer.domain import versions
from briefer.ui.labels import escape

#: the highlight of a field the two versions disagree on
DIFFERS = QColor("#fef3c7")


class VersionConflictDialog(QDialog):
    """Choose between their version (stored) and yours (not saved).  After ``exec``: :attr:`choice`
    is "theirs", "yours" or "merge" (None when cancelled) and :meth:`chosen` the record to keep."""

    THEIRS, YOURS, MERGE = "theirs", "yours", "merge"
    FIELD, THEIRS_COL, YOURS_COL, KEEP = range(4)

    def __init__(self, conflict: versions.VersionConflict, yours: Any, parent: QWidget | None = None, *,
                 base: Any = None) -> None:
        """``base``: the version the analyst started from, when known: a field only they changed is kept
        from theirs, one only the analyst changed from yours (what Merge does unless told otherwise)."""
        super().__init__(parent)
        self.conflict = conflict
        self.yours = yours
        self.choice: str | None = None
        self.diffs = versions.differences(conflict.theirs, yours)
        before = {d.name: d.yours for d in versions.differences(base, base)} if base is not None else {}
        noun = conflict.kind
        by = versions.who(conflict.current)
        at = versions.when(conflict.current)
        self.setWindowTitle(f"{noun.capitalize()} changed while you edited it \u2014 {conflict.record_id}")
        self.setAccessibleName(self.windowTitle())
        self.resize(1000, 560)
        head = QLabel(f"<b>{escape(by)} saved {noun} {escape(conflict.record_id)}"
                      + (f" at {escape(at)}" if at else "") + " after you opened it</b> (version "
                      f"{conflict.current.version}; you started from version {conflict.expected}). "
                      "Their version is saved; yours is not yet. The fields that differ are highlighted.")
        head.setWordWrap(True)
        self.head = head
        n = sum(d.differs for d in self.diffs)
        self.summary = QLabel(f"{n} field{'s differ' if n != 1 else ' differs'}: "
                              + ", ".join(d.label for d in self.diffs if d.differs) if n else
                              "The two versions say the same: keeping either loses nothing.")
        self.table = QTableWidget(len(self.diffs), 4)
        self.table.setHorizontalHeaderLabels(["Field", f"Theirs \u2014 {by}", "Yours (not saved)", "Keep"])
        self.table.setAccessibleName("Their version and yours, field by field")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(self.THEIRS_COL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.YOURS_COL, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.picks: dict[str, QComboBox] = {}
        bold = QFont()
        bold.setBold(True)
        for row, d in enumerate(self.diffs):
            name = QTableWidgetItem(d.label + ("  \u2260" if d.differs else ""))
            cells = [name, QTableWidgetItem(d.theirs), QTableWidgetItem(d.yours)]
            for col, cell in enumerate(cells):
                cell.setToolTip(cell.text())
                if d.differs:
                    cell.setBackground(QBrush(DIFFERS))
                    if col == self.FIELD:
                        cell.setFont(bold)
                else:
                    cell.setForeground(QBrush(QColor("#6b7280")))
                self.table.setItem(row, col, cell)
            if d.differs:
                pick = QComboBox()
                pick.addItem("Theirs", self.THEIRS)
                pick.addItem("Yours", self.YOURS)
                if d.name in before and d.yours != before[d.name]:
                    pick.setCurrentIndex(1)  # the analyst changed it: Merge keeps it unless told otherwise
                    pick.setToolTip("You changed this field")
                elif d.name in before:
                    pick.setToolTip(f"{by} changed this field; yours is as you opened it")
                pick.setAccessibleName(f"Keep whose {d.label.lower()}")
                self.picks[d.name] = pick
                self.table.setCellWidget(row, self.KEEP, pick)
            else:
                same = QTableWidgetItem("the same")
                same.setForeground(QBrush(QColor("#6b7280")))
                self.table.setItem(row, self.KEEP, same)
        self.table.resizeRowsToContents()
        self.theirs_button = QPushButton("Keep &theirs")
        self.theirs_button.setToolTip("Drop your edit; the editor shows their version")
        self.yours_button = QPushButton("Keep &yours")
        self.yours_button.setToolTip("Save your version on top of theirs (theirs stays in the history)")
        self.merge_button = QPushButton("&Merge")
        self.merge_button.setToolTip("Save their version with the fields you set to \u201cYours\u201d in the Keep "
                                     "column")
        self.merge_button.setEnabled(bool(self.picks))
        cancel = QPushButton("Cancel")
        cancel.setToolTip("Save nothing yet: your edit stays in the editor")
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addStretch(1)
        for b in (self.theirs_button, self.yours_button, self.merge_button):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        self.theirs_button.clicked.connect(lambda: self._choose(self.THEIRS))
        self.yours_button.clicked.connect(lambda: self._choose(self.YOURS))
        self.merge_button.clicked.connect(lambda: self._choose(self.MERGE))
        cancel.clicked.connect(self.reject)
        self.yours_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def pick(self, field: str, whose: str) -> None:
        """Set the Keep column of ``field`` ("theirs" or "yours") — for the keyboard, and for tests."""
        combo = self.picks[field]
        combo.setCurrentIndex(combo.findData(whose))

    def mine(self) -> set[str]:
        """The fields set to "Yours"."""
        return {name for name, combo in self.picks.items() if combo.currentData() == self.YOURS}

    def chosen(self) -> Any:
        """The record the analyst chose: theirs, yours, or theirs with the fields picked from yours."""
        if self.choice == self.THEIRS:
            return self.conflict.theirs
        if self.choice == self.YOURS:
            return self.yours
        return versions.merged(self.conflict.theirs, self.yours, self.mine())

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()
