"""The composer pane: the briefing's outline, the editor of what is selected
in it, the cover and summary, and the running length against the budget."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from briefer.ui import icons, shortcut_guard, undo_steps
from briefer.ui.briefing_model import BriefingDoc
from briefer.ui.button_row import ButtonRow
from briefer.ui.elided_label import ElidedLabel, SqueezableStack
from briefer.ui.outline_model import OutlineModel
from briefer.ui.panes.cover import MARKINGS, CoverEditor
from briefer.ui.panes.outline_view import FirstStartPanel, OutlineView
from briefer.ui.panes.wording import WordingApply

__all__ = ["MARKINGS", "ComposerPane", "OutlineView"]


class ComposerPane(WordingApply, QWidget):
    itemSelected = Signal(str)  # fact id, or "" for a section/paragraph
    statusMessage = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ComposerPane")
        self.doc: BriefingDoc | None = None
        self._updating = False

        # -- outline tab -------------------------------------------------------
        self.tree = OutlineView()
        self.toolbar = QToolBar()
        self.toolbar.setIconSize(self.toolbar.iconSize() * 0.8)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.add_section_button = QToolButton()
        self.add_section_button.setIcon(icons.icon("add"))
        self.add_section_button.setText("Add section")
        self.add_section_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.add_section_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_section_button.setToolTip("Add a section of the store to the briefing")
        self.add_section_button.setAccessibleName("Add section")
        self.add_section_menu = QMenu(self.add_section_button)
        self.add_section_button.setMenu(self.add_section_menu)
        self.toolbar.addWidget(self.add_section_button)

        self.remove_action = QAction(icons.icon("remove"), "Remove from briefing", self)
        self.remove_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.remove_action.setToolTip("Remove the selected sections or items from the briefing (Delete)")
        self.up_action = QAction(icons.icon("up"), "Move up", self)
        self.up_action.setShortcut(QKeySequence("Alt+Up"))
        self.up_action.setToolTip("Move the selected section or item up (Alt+Up)")
        self.down_action = QAction(icons.icon("down"), "Move down", self)
        self.down_action.setShortcut(QKeySequence("Alt+Down"))
        self.down_action.setToolTip("Move the selected section or item down (Alt+Down)")
        self.paragraph_action = QAction(icons.icon("paragraph"), "Add paragraph", self)
        self.paragraph_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.paragraph_action.setToolTip("Write your own paragraph after the selected item (Ctrl+Shift+P)")
        self.edit_action = QAction(icons.icon("override"), "Reword for this briefing", self)
        self.edit_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.edit_action.setToolTip("Change the wording of this fact for this briefing only (F2)")
        self.revert_action = QAction(icons.icon("revert"), "Revert to the store's wording", self)
        self.revert_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.revert_action.setToolTip("Drop this briefing's wording and use the store's (Ctrl+Shift+R)")
        for a in (self.remove_action, self.up_action, self.down_action, self.paragraph_action, self.edit_action,
                  self.revert_action):
            a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.tree.addAction(a)
        for a in (self.up_action, self.down_action, self.remove_action, self.paragraph_action, self.revert_action):
            self.toolbar.addAction(a)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

        # detail editors
        self.detail = SqueezableStack()
        self.detail.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        hint = QLabel("Select a section, fact or paragraph to edit it here. Add facts from the library "
                      "(double-click, Enter, or drag).")
        hint.setWordWrap(True)
        hint.setEnabled(False)
        self.detail.addWidget(hint)

        sec_page = QWidget()
        sf = QFormLayout(sec_page)
        sf.setContentsMargins(0, 0, 0, 0)
        # a narrow pane puts a field under its label rather than widen the pane (the preview's room)
        sf.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.heading_edit = QLineEdit()
        self.heading_edit.setAccessibleName("Section heading")
        self.heading_edit.setToolTip("The heading this briefing uses (empty: the section's own title)")
        self.layout_combo = QComboBox()
        self.layout_combo.addItem("Bullets", "bullets")
        self.layout_combo.addItem("Paragraphs", "paragraphs")
        self.layout_combo.setAccessibleName("Section layout")
        self.intro_edit = QPlainTextEdit()
        self.intro_edit.setPlaceholderText("An introduction to the section (optional)")
        self.intro_edit.setAccessibleName("Section introduction")
        self.intro_edit.setTabChangesFocus(True)
        self.intro_edit.setMaximumHeight(90)
        shortcut_guard.undoes_in_briefing(self.intro_edit)  # each edit is a briefing undo step
        self.keep_empty_check = QCheckBox("&Keep it when empty")
        self.keep_empty_check.setToolTip("A section with nothing in it is left out of the preview and the export; "
                                         "tick this to print its heading all the same")
        # "printed": the heading the briefing prints (Alt+G is the library filters' Tag beside it)
        sf.addRow("&Printed heading:", self.heading_edit)
        sf.addRow("&Layout:", self.layout_combo)
        sf.addRow("&Intro:", self.intro_edit)
        sf.addRow("", self.keep_empty_check)
        self.detail.addWidget(sec_page)

        fact_page = QWidget()
        ff = QVBoxLayout(fact_page)
        ff.setContentsMargins(0, 0, 0, 0)
        self.override_marker = QLabel()
        self.override_marker.setWordWrap(True)
        self.override_marker.setTextFormat(Qt.TextFormat.RichText)
        self.store_text = ElidedLabel()  # a short window shows fewer whole lines, never a cut one
        self.store_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.store_text.setAccessibleName("The store's wording")
        self.wording_edit = QPlainTextEdit()
        self.wording_edit.setAccessibleName("This briefing's wording of the fact")
        self.wording_edit.setToolTip("Edit, then Apply (Ctrl+Return). The store is not changed.")
        self.wording_edit.setTabChangesFocus(True)
        self.wording_edit.setMaximumHeight(80)
        self.apply_wording = QPushButton(icons.icon("override"), "Apply wording")
        self.apply_wording.setShortcut(QKeySequence("Ctrl+Return"))
        self.apply_wording.setToolTip("Use this wording in this briefing only (Ctrl+Return)")
        self.revert_button = QPushButton(icons.icon("revert"), "Revert to store wording")
        # wraps in a narrow window rather than hold the splitter (the preview's room): see ButtonRow
        row = ButtonRow(self.revert_button, self.apply_wording)
        ff.addWidget(self.override_marker)
        ff.addWidget(self.store_text, 1)  # the spare height (not the button row's: see ButtonRow)
        ff.addWidget(self.wording_edit)
        ff.addWidget(row)
        self.detail.addWidget(fact_page)

        para_page = QWidget()
        pf = QVBoxLayout(para_page)
        pf.setContentsMargins(0, 0, 0, 0)
        pf.addWidget(QLabel("Your paragraph (no citation):"))
        self.paragraph_edit = QPlainTextEdit()
        self.paragraph_edit.setAccessibleName("Analyst paragraph")
        self.paragraph_edit.setTabChangesFocus(True)
        self.paragraph_edit.setMaximumHeight(90)
        self.apply_paragraph = QPushButton("Apply")
        self.apply_paragraph.setShortcut(QKeySequence("Ctrl+Return"))
        prow = QHBoxLayout()
        prow.addStretch(1)
        prow.addWidget(self.apply_paragraph)
        pf.addWidget(self.paragraph_edit)
        pf.addLayout(prow)
        self.detail.addWidget(para_page)

        self.length_label = QLabel("")
        self.length_label.setAccessibleName("Length of the briefing")
        self.length_label.setWordWrap(True)
        self.length_label.setToolTip("Words of text (and in the footnotes), and the printed pages as the export "
                                     "lays the briefing out, against the template's budget")

        outline_tab = QWidget()
        ol = QVBoxLayout(outline_tab)
        ol.setContentsMargins(4, 4, 4, 4)
        ol.addWidget(self.toolbar)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("ComposerSplit")
        # a new, empty briefing first offers how to start; the outline takes over once it has content
        self.first_start = FirstStartPanel()
        self.outline_stack = QStackedWidget()
        self.outline_stack.addWidget(self.tree)
        self.outline_stack.addWidget(self.first_start)
        split.addWidget(self.outline_stack)
        # the detail may be squeezed below its natural minimum, so the window fits a 1024×640 screen (issue 14):
        # it scrolls then, rather than cut off its lower part (the Revert / Apply buttons at 800×600)
        detail_scroll = QScrollArea()
        detail_scroll.setWidget(self.detail.holder())  # the long fact's wording elided, not scrolled
        detail_scroll.setWidgetResizable(True)
        detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        detail_scroll.setMinimumHeight(72)
        split.addWidget(detail_scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        self.split = split
        ol.addWidget(split, 1)

        # -- cover & summary tab (briefer.ui.panes.cover) ---------------------------------------
        self.cover = CoverEditor()
        # scrolled: its fields need ~350 px, and the window must fit a 1024×640 screen (issue 14)
        cover_tab = QScrollArea()
        cover_tab.setWidget(self.cover)
        cover_tab.setWidgetResizable(True)
        cover_tab.setFrameShape(QFrame.Shape.NoFrame)
        cover_tab.viewport().setAutoFillBackground(False)
        self.cover.setAutoFillBackground(False)
        # the cover's fields, under the names the composer has always given them
        self.cover_edits, self.marking_combo = self.cover.cover_edits, self.cover.marking_combo
        self.date_check, self.date_edit = self.cover.date_check, self.cover.date_edit
        self.summary_edit, self.option_checks = self.cover.summary_edit, self.cover.option_checks

        self.tabs = QTabWidget()
        self.tabs.addTab(outline_tab, icons.icon("section"), "&Outline")
        self.tabs.addTab(cover_tab, icons.icon("fact"), "Cover && summar&y")
        self.tabs.setAccessibleName("Composer")

        title = QLabel("<b>Briefing</b>")
        self.title_label = title
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(title)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.length_label)
        self._connect_signals()
        self._update_actions()

    # -- wiring -------------------------------------------------------------------------

    def _connect_signals(self) -> None:
        self.remove_action.triggered.connect(self.remove_selected)
        self.up_action.triggered.connect(lambda: self.move_selected(-1))
        self.down_action.triggered.connect(lambda: self.move_selected(1))
        self.paragraph_action.triggered.connect(self.add_paragraph)
        self.edit_action.triggered.connect(self._edit_current)
        self.revert_action.triggered.connect(self.revert_selected)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.add_section_menu.aboutToShow.connect(self._fill_section_menu)
        self.heading_edit.editingFinished.connect(self._heading_done)
        self.layout_combo.activated.connect(self._layout_changed)
        self.intro_edit.textChanged.connect(self._intro_changed)
        self.keep_empty_check.toggled.connect(self._keep_empty_toggled)
        self.apply_wording.clicked.connect(self._apply_wording)
        self.revert_button.clicked.connect(self.revert_selected)
        self.apply_paragraph.clicked.connect(self._apply_paragraph)
        self.connect_pending()

    def set_doc(self, doc: BriefingDoc) -> None:
        if self.doc is not None:
            self.doc.changed.disconnect(self._doc_changed)
        self.doc = doc
        self.tree.setModel(doc.model)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.tree.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        doc.changed.connect(self._doc_changed)
        doc.model.rowsInserted.connect(self._expand_inserted)
        self.tree.expandAll()
        self.cover.load(self.doc)
        self._show_detail(QModelIndex())
        self._update_length()
        self._update_actions()
        self._update_first_start()

    def _update_first_start(self) -> None:
        doc = self.doc
        fresh = (doc is not None and not doc.briefing.sections and doc.path is None
                 and not getattr(doc, "first_start_dismissed", False))
        if fresh and doc is not None:  # the store's sections to start from, the core ones ticked
            from briefer.domain.section_start import default_sections

            self.first_start.set_sections([(sid, doc.sections[sid].title) for sid in doc.section_order],
                                          default_sections(doc.section_order))
        self.outline_stack.setCurrentWidget(self.first_start if fresh else self.tree)

    def dismiss_first_start(self) -> None:
        """Start empty: the outline, ready for facts."""
        if self.doc is not None:
            self.doc.first_start_dismissed = True  # type: ignore[attr-defined]
        self._update_first_start()

    def _expand_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if not parent.isValid():
            for r in range(first, last + 1):
                self.tree.expand(self.doc.model.index(r, 0))  # type: ignore[union-attr]

    # -- reacting to the document ------------------------------------------------------------

    def _doc_changed(self, kind: str, sec: int) -> None:
        if kind in ("cover", "summary", "options"):
            self.cover.load(self.doc)
        self._update_length()
        if kind == "structure":
            self._update_first_start()
        cur = self.tree.currentIndex()
        if kind in ("section", "structure") and not self._updating:
            self._show_detail(cur)
        self._update_actions()

    def _update_length(self) -> None:
        if self.doc is None:
            return
        length = self.doc.length()
        over = length.over_words or length.over_pages
        icon = "\u26a0 " if over else ""
        self.length_label.setText(f"{icon}{length.text()}")
        self.length_label.setStyleSheet("font-weight: bold;" if over else "")

    # -- outline selection and detail editors ---------------------------------------------------

    def current_position(self) -> tuple[int, int | None] | None:
        idx = self.tree.currentIndex()
        if not idx.isValid():
            return None
        return OutlineModel.position(idx)

    def selected_positions(self) -> list[tuple[int, int | None]]:
        sel = self.tree.selectionModel()
        if sel is None:
            return []
        rows = [OutlineModel.position(i) for i in sel.selectedRows()]
        if not rows and self.tree.currentIndex().isValid():
            rows = [OutlineModel.position(self.tree.currentIndex())]
        return rows

    def select(self, sec: int, row: int | None) -> None:
        if self.doc is None:
            return
        idx = self.doc.model.section_index(sec) if row is None else self.doc.model.item_index(sec, row)
        if idx.isValid():
            self.tree.setCurrentIndex(idx)
            self.tree.selectionModel().select(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.tree.scrollTo(idx)

    def _current_changed(self, current: QModelIndex, prev: QModelIndex) -> None:
        self.commit_pending(prev)  # what was typed for the item left behind, before the box shows the next
        self._show_detail(current)
        self._update_actions()
        fid = current.data(OutlineModel.FactIdRole) if current.isValid() else None
        self.itemSelected.emit(fid or "")

    def _show_detail(self, idx: QModelIndex) -> None:
        if self.doc is None or not idx.isValid():
            self.detail.setCurrentIndex(0)
            return
        sec_i, row = OutlineModel.position(idx)
        if not 0 <= sec_i < len(self.doc.briefing.sections):
            self.detail.setCurrentIndex(0)
            return
        sec = self.doc.briefing.sections[sec_i]
        self._updating = True
        try:
            if row is None:
                self.detail.setCurrentIndex(1)
                store_sec = self.doc.sections.get(sec.section)
                self.heading_edit.setPlaceholderText(store_sec.title if store_sec else sec.section)
                if self.heading_edit.text() != (sec.heading or ""):
                    self.heading_edit.setText(sec.heading or "")
                self.layout_combo.setCurrentIndex(max(0, self.layout_combo.findData(sec.layout)))
                if self.intro_edit.toPlainText() != sec.intro:
                    self.intro_edit.setPlainText(sec.intro)
                self.keep_empty_check.setChecked(sec.keep_empty)
                return
            if row >= len(sec.items):
                self.detail.setCurrentIndex(0)
                return
            item = sec.items[row]
            if item.kind == "paragraph":
                self.detail.setCurrentIndex(3)
                if self.paragraph_edit.toPlainText() != item.text:
                    self.paragraph_edit.setPlainText(item.text)
                return
            self.detail.setCurrentIndex(2)
            fact = self.doc.facts.get(item.fact_id)
            store_wording = fact.statement if fact else "(this fact is no longer in the store)"
            if item.override is not None:
                self.override_marker.setText("<b>\u270e Reworded for this briefing.</b> The store's wording:")
            else:
                self.override_marker.setText("The store's wording (edit below to reword it for this briefing only):")
            self.store_text.set_full_text(store_wording)
            text = item.override if item.override is not None else store_wording
            if self.wording_edit.toPlainText() != text:
                self.wording_edit.setPlainText(text)
            self.revert_button.setEnabled(item.override is not None)
            self.show_pending()
        finally:
            self._updating = False

    def _heading_done(self) -> None:
        pos = self.current_position()
        if self._updating or self.doc is None or pos is None or pos[1] is not None:
            return
        text = self.heading_edit.text().strip() or None
        if text != self.doc.briefing.sections[pos[0]].heading:
            self.doc.undo.push(undo_steps.SetSectionField(self.doc, pos[0], "heading", text, "Rename section"))

    def _layout_changed(self, _i: int) -> None:
        pos = self.current_position()
        if self.doc is None or pos is None or pos[1] is not None:
            return
        value = self.layout_combo.currentData()
        if value != self.doc.briefing.sections[pos[0]].layout:
            self.doc.undo.push(undo_steps.SetSectionField(self.doc, pos[0], "layout", value, "Change layout"))

    def _keep_empty_toggled(self, on: bool) -> None:
        pos = self.current_position()
        if self._updating or self.doc is None or pos is None or pos[1] is not None:
            return
        if on != self.doc.briefing.sections[pos[0]].keep_empty:
            self.doc.undo.push(undo_steps.SetSectionField(
                self.doc, pos[0], "keep_empty", on, "Keep the empty section" if on else "Leave out the empty section"))

    def _intro_changed(self) -> None:
        pos = self.current_position()
        if self._updating or self.doc is None or pos is None or pos[1] is not None:
            return
        text = self.intro_edit.toPlainText()
        if text != self.doc.briefing.sections[pos[0]].intro:
            self.doc.undo.push(undo_steps.SetSectionField(self.doc, pos[0], "intro", text, "Edit introduction"))

    # -- actions ------------------------------------------------------------------------------------

    def _update_actions(self) -> None:
        pos = self.current_position() if self.doc is not None else None
        has = pos is not None
        self.remove_action.setEnabled(has)
        self.up_action.setEnabled(has)
        self.down_action.setEnabled(has)
        self.paragraph_action.setEnabled(self.doc is not None and bool(self.doc.briefing.sections))
        overridden = False
        if pos is not None and self.doc is not None and pos[1] is not None:
            sec = self.doc.briefing.sections[pos[0]]
            if pos[1] < len(sec.items):
                item = sec.items[pos[1]]
                overridden = item.kind == "fact" and item.override is not None
        self.revert_action.setEnabled(overridden)
        self.edit_action.setEnabled(has)
        self.add_section_button.setEnabled(self.doc is not None)

    def _fill_section_menu(self) -> None:
        self.add_section_menu.clear()
        if self.doc is None:
            return
        present = {s.section for s in self.doc.briefing.sections}
        for sid in self.doc.section_order:
            s = self.doc.sections[sid]
            act = self.add_section_menu.addAction(s.title)
            act.setToolTip(s.description)
            if sid in present:
                act.setEnabled(False)
                act.setText(f"{s.title} (in the briefing)")
            act.triggered.connect(lambda _c=False, sid=sid: self.add_section(sid))

    def add_section(self, section_id: str) -> None:
        """Add a section right after the selected one (or the section of the selected item), at the end
        when nothing is selected, and select it: where the user is looking, not where the store's
        order would put it (first, often, out of sight)."""
        if self.doc is None:
            return
        current = self.current_position()
        n = len(self.doc.briefing.sections)
        pos = n if current is None or not 0 <= current[0] < n else current[0] + 1
        pos = undo_steps.add_section(self.doc, section_id, pos)
        self.select(pos, None)

    def remove_selected(self) -> None:
        if self.doc is None:
            return
        positions = self.selected_positions()
        if not positions:
            return
        sections = sorted({s for s, r in positions if r is None}, reverse=True)
        items = [(s, r) for s, r in positions if r is not None and s not in sections]
        first = min(positions, key=lambda p: (p[0], -1 if p[1] is None else p[1]))
        n = len(sections) + len(items)
        self.doc.undo.beginMacro(f"Remove {n} items" if n > 1 else "Remove from briefing")
        try:
            if items:
                self.doc.undo.push(undo_steps.RemoveItems(self.doc, items))
            for s in sections:
                self.doc.undo.push(undo_steps.RemoveSection(self.doc, s))
        finally:
            self.doc.undo.endMacro()
        self._select_after_removal(first, removed_sections=len(sections))
        self.statusMessage.emit("Removed from the briefing (Ctrl+Z to undo)")

    def _select_after_removal(self, first: tuple[int, int | None], *, removed_sections: int) -> None:
        """After Delete the row that took the first removed one's place is selected (the one above at
        the end of a list), so the next Delete goes on down the list."""
        if self.doc is None:
            return
        secs = self.doc.briefing.sections
        sec, row = first
        if not secs:
            return
        if row is None or removed_sections:
            sec = min(sec if row is None else sec, len(secs) - 1)
            self.select(max(0, sec), None)
            return
        if sec >= len(secs):
            return
        items = secs[sec].items
        if items:
            self.select(sec, min(row, len(items) - 1))
        else:
            self.select(sec, None)

    def move_selected(self, delta: int) -> None:
        pos = self.current_position()
        if self.doc is None or pos is None:
            return
        new = undo_steps.move_by_keyboard(self.doc, pos[0], pos[1], delta)
        if new is not None:
            self.select(*new)

    def add_paragraph(self) -> None:
        if self.doc is None or not self.doc.briefing.sections:
            return
        pos = self.current_position()
        if pos is None:
            sec, at = len(self.doc.briefing.sections) - 1, len(self.doc.briefing.sections[-1].items)
        elif pos[1] is None:
            sec, at = pos[0], len(self.doc.briefing.sections[pos[0]].items)
        else:
            sec, at = pos[0], pos[1] + 1
        undo_steps.add_paragraph(self.doc, sec, at, "New paragraph: write your analysis here.")
        self.select(sec, at)
        self.tree.edit(self.tree.currentIndex())

    def revert_selected(self) -> None:
        if self.doc is None:
            return
        for sec, row in self.selected_positions():
            if row is None:
                continue
            item = self.doc.briefing.sections[sec].items[row]
            if item.kind == "fact" and item.override is not None:
                self.doc.undo.push(undo_steps.SetOverride(self.doc, sec, row, None))
        self.statusMessage.emit("Back to the store's wording")

    def _edit_current(self) -> None:
        if self.tree.currentIndex().isValid():
            self.tree.edit(self.tree.currentIndex())

    def _context_menu(self, pos: Any) -> None:
        menu = QMenu(self)
        idx = self.tree.indexAt(pos)
        if idx.isValid():
            menu.addAction(self.edit_action)
            menu.addAction(self.revert_action)
            menu.addSeparator()
            menu.addAction(self.up_action)
            menu.addAction(self.down_action)
            menu.addSeparator()
            menu.addAction(self.paragraph_action)
            menu.addAction(self.remove_action)
        menu.addSeparator()
        sub = menu.addMenu(icons.icon("add"), "Add section")
        self.add_section_menu_for(sub)
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def add_section_menu_for(self, menu: QMenu) -> None:
        if self.doc is None:
            return
        present = {s.section for s in self.doc.briefing.sections}
        for sid in self.doc.section_order:
            if sid in present:
                continue
            act = menu.addAction(self.doc.sections[sid].title)
            act.triggered.connect(lambda _c=False, sid=sid: self.add_section(sid))
