"""The composer's outline view (drag and drop, keyboard moves) and the first-start panel of an empty briefing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from briefer.domain.section_start import DEFAULT_PAGES
from briefer.ui import icons
from briefer.ui.button_row import ButtonRow
from briefer.ui.outline_model import FACTS_MIME


class FirstStartPanel(QFrame):
    """What a new, empty briefing offers: the sections ticked in its list (the core four at first),
    filled with their most important facts within a length budget (briefer.domain.section_start);
    a template's sections; or an empty outline to fill from the library.  Facts dropped on it go
    into the briefing as on the outline."""

    factsDropped = Signal(list)
    #: the ticked section ids, in the list's order
    sectionsChosen = Signal(list)
    #: the briefing file last saved or opened, to open again (its path)
    reopenChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FirstStartPanel")
        self.setAccessibleName("Start a briefing")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAcceptDrops(True)
        title = QLabel("<b>Start your briefing</b>")
        self.sections_list = QListWidget()
        self.sections_list.setAccessibleName("Sections to start from")
        self.sections_list.setToolTip("Tick the sections the briefing starts with; each gets its most "
                                      "important facts, within a length budget")
        self.sections_list.setUniformItemSizes(True)
        self.sections_list.itemChanged.connect(lambda _i: self._update_sections_button())
        self.sections_list.installEventFilter(self)  # Enter in the list presses Create, as in a dialog
        self.sections_button = QPushButton(icons.icon("section"), "")
        self.sections_button.setAccessibleName("Create briefing from the ticked sections")
        self.sections_button.setDefault(True)
        self.sections_button.clicked.connect(lambda: self.sectionsChosen.emit(self.ticked_sections()))
        self.busy_label = QLabel("")
        self.busy_label.setEnabled(False)
        self.template_button = QPushButton(icons.icon("template"), "From a te&mplate\u2026")
        self.template_button.setToolTip("A template's sections, filled with the store's current facts; "
                                        "edit them from there")
        self.template_button.setAccessibleName("Start from a template")
        self.empty_button = QPushButton(icons.icon("new"), "Start em&pty")
        self.empty_button.setToolTip("An empty outline: search the library and add facts (Enter adds the "
                                     "first result, Add all shown adds the whole list)")
        self.empty_button.setAccessibleName("Start empty")
        # the briefing last worked on, offered where a start lands (File > Open recent has the others)
        self.reopen_button = QPushButton(icons.icon("open"), "")
        self.reopen_button.setVisible(False)
        self.reopen_button.clicked.connect(lambda: self.reopenChosen.emit(self.reopen_button.toolTip()))
        for b, extra in ((self.sections_button, 10), (self.template_button, 4), (self.empty_button, 4)):
            b.setMinimumHeight(b.sizeHint().height() + extra)
        hint = QLabel("Or search the library on the left and press Enter to add the first result; "
                      "double-click or drag a fact here.")
        hint.setWordWrap(True)
        hint.setEnabled(False)
        budget = QLabel(f"The most important facts of the ticked sections that fit {DEFAULT_PAGES} pages; "
                        "edit them from there.")
        budget.setWordWrap(True)
        budget.setEnabled(False)
        # scrolled inside its frame: the panel shares the outline's place, so its minimum would be the
        # composer's, and the window must still fit a 1024×640 screen (issue 14)
        content = QWidget()
        lay = QVBoxLayout(content)
        lay.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        lay.addWidget(self.reopen_button)
        # the button first: at 1024×640 it shows without scrolling, and it says how many are ticked
        lay.addWidget(self.sections_button)
        lay.addWidget(self.busy_label)
        lay.addWidget(self.sections_list)
        lay.addWidget(budget)
        lay.addSpacing(6)
        others = ButtonRow(self.template_button, self.empty_button, right=False)
        lay.addWidget(others)
        lay.addWidget(hint)
        lay.addStretch(1)
        self.busy_label.setVisible(False)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._update_sections_button()

    def offer_reopen(self, path: str | None) -> None:
        """Offer to open ``path`` again (the newest recent briefing that still exists), or nothing."""
        if path:
            name = Path(path).name.removesuffix(".briefing.json")
            self.reopen_button.setText(f"&Reopen \u201c{name.replace('&', '&&')}\u201d")
            self.reopen_button.setToolTip(path)
            self.reopen_button.setAccessibleName(f"Reopen {name}")
        self.reopen_button.setVisible(bool(path))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Space ticks a section in the list; Enter (or Return) then creates the briefing, the
        panel's default button (a panel has no dialog to give Enter to it)."""
        if watched is self.sections_list and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            if self.sections_button.isEnabled():
                self.sections_button.click()
            return True
        return super().eventFilter(watched, event)

    def sizeHint(self) -> QSize:  # noqa: N802
        # no larger than the outline's: the panel must not take the composer's room from the detail
        # below it when the outline replaces it (the splitter shares by the larger hint)
        return QSize(240, 170)

    def set_sections(self, sections: list[tuple[str, str]], ticked: list[str]) -> None:
        """The store's sections as (id, title), those in ``ticked`` ticked; a user's ticks survive a refill."""
        if self.sections_list.count():
            ticked = self.ticked_sections()
        self.sections_list.blockSignals(True)
        self.sections_list.clear()
        for sid, title in sections:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, sid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if sid in ticked else Qt.CheckState.Unchecked)
            self.sections_list.addItem(item)
        self.sections_list.blockSignals(False)
        # as tall as its rows (the panel scrolls, not the list, unless the store has many sections)
        rows = sum(self.sections_list.sizeHintForRow(i) for i in range(min(self.sections_list.count(), 12)))
        self.sections_list.setFixedHeight(max(rows, 40) + 2 * self.sections_list.frameWidth() + 2)
        self._update_sections_button()

    def ticked_sections(self) -> list[str]:
        items = (self.sections_list.item(i) for i in range(self.sections_list.count()))
        return [str(it.data(Qt.ItemDataRole.UserRole)) for it in items
                if it.checkState() == Qt.CheckState.Checked]

    def set_busy(self, text: str) -> None:
        """While the briefing is being made: the reason, and the create button waits."""
        self.busy_label.setText(text)
        self.busy_label.setVisible(bool(text))
        self._update_sections_button()

    def _update_sections_button(self) -> None:
        n = len(self.ticked_sections())
        self.sections_button.setText(f"Create &briefing from {n} section{'s' if n != 1 else ''}" if n
                                     else "Tick the sections to start from")
        self.sections_button.setEnabled(n > 0 and not self.busy_label.text())

    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802
        if event.mimeData().hasFormat(FACTS_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:  # noqa: N802
        import json

        ids = json.loads(bytes(event.mimeData().data(FACTS_MIME).data()).decode())
        event.acceptProposedAction()
        self.factsDropped.emit(ids)


class OutlineView(QTreeView):
    """The outline tree: drag to reorder, drop facts from the library."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setAccessibleName("Briefing outline")
        from briefer.ui.panes.outline_delegate import OutlineDelegate

        # a section row: its count and empty mark stay whole, the title is elided
        # (held here too: a delegate only Qt holds loses its Python methods to the garbage collector)
        self.delegate = OutlineDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setToolTip("The briefing: sections and their facts and paragraphs.\n"
                        "Drag or Alt+Up/Down to reorder; F2 or double-click to reword; Delete to remove.")

    def commit_open_editor(self) -> bool:
        """The row's own editor (F2, a double-click), if one is open: what it holds is applied and it
        closes, as Enter would.  Ctrl+Return had applied the box under the outline instead, said
        "Wording changed", and left the row's text to be thrown away by the next Esc."""
        editor = QApplication.focusWidget()
        if self.state() != QAbstractItemView.State.EditingState or editor is None \
                or not self.viewport().isAncestorOf(editor):
            return False
        self.commitData(editor)
        self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        return True

    def dragEnterEvent(self, event: Any) -> None:
        if event.mimeData().hasFormat(FACTS_MIME):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            return
        super().dragEnterEvent(event)

    def dragMoveEvent(self, event: Any) -> None:
        super().dragMoveEvent(event)
        if event.mimeData().hasFormat(FACTS_MIME):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
