"""The library pane: section tree with counts, search as you type, filters, and the fact list."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QItemSelectionModel, QModelIndex, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from briefer.ui import icons, view_state
from briefer.ui.button_row import ButtonRow
from briefer.ui.labels import escape, plain_label, show_text, title_label
from briefer.ui.models.library import FactIdRole, FactListModel, SectionIdRole, SectionTreeModel
from briefer.ui.panes.fact_view import FactView, SearchField
from briefer.ui.panes.library_delegates import HtmlDelegate, StatusIconDelegate, count_text
from briefer.ui.panes.library_filters import KEEP_ROWS, SHOWN_STATUSES, FilterPanel
from briefer.ui.qt_names import set_enum
from briefer.ui.workers import Query, QueryResult, searchable

#: "Add all shown": the window's action and the button's tooltip
ADD_ALL_SHORTCUT = "Ctrl+Shift+A"
__all__ = ["ADD_ALL_SHORTCUT", "SHOWN_STATUSES", "LibraryPane"]


def _panel_part(name: str) -> Any:
    """A field of the filter panel, made with the panel when first asked for (:attr:`LibraryPane.filter_panel`)."""
    return property(lambda pane: getattr(pane.filter_panel, name), doc=f"The filter panel's ``{name}``.")


class LibraryPane(QWidget):
    """Finds facts.  Emits ``addRequested(ids)`` and ``factSelected(id)``; the
    window sends queries to the query thread and results back via ``show_result``."""

    addRequested = Signal(list)
    factSelected = Signal(str)
    queryChanged = Signal(object)

    #: how long typing may pause before a query runs (ms); the query itself runs off the GUI thread
    DEBOUNCE_MS = 0
    SEARCH_LIMIT = 100
    BROWSE_LIMIT = 500

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LibraryPane")
        self._generation = 0
        self._shown_generation = -1
        self._section: str | None = None
        self._add_when_answered = False
        #: actions the window adds to the fact list's context menu (Inspect, Edit fact…)
        self.extra_context_actions: list[QAction] = []
        self.last_result: QueryResult | None = None
        #: the pane is too narrow for the Filters button's word (_fit_top_row)
        self._narrow = False

        self.search = SearchField()
        self.search.setPlaceholderText("Search facts, quotes, names, sources\u2026 (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setAccessibleName("Search facts")
        self.search.setToolTip("Full-text search of statements, quotes, tags and source titles.\n"
                               "Japanese names match from three characters (e.g. \u6226\u7565\u672c\u90e8).")

        self.filter_button = QToolButton()
        self.filter_button.setIcon(icons.icon("filter"))
        self.filter_button.setText("Filters")
        set_enum(self.filter_button, "toolButtonStyle", "ToolButtonTextBesideIcon")
        self.filter_button.setCheckable(True)
        self.filter_button.setAccessibleName("Show filters")
        self.filter_button.setToolTip("Filter by source, status, tag and as-of date")
        # filters that are on say so while the panel is shut, and go in one click
        self.clear_filters_button = QToolButton()
        self.clear_filters_button.setText("\u2715")
        self.clear_filters_button.setAutoRaise(True)
        self.clear_filters_button.setAccessibleName("Clear the filters")
        self.clear_filters_button.setToolTip("Clear the filters (search the whole library)")
        keep = self.clear_filters_button.sizePolicy()
        keep.setRetainSizeWhenHidden(True)  # appearing must not move the search box
        self.clear_filters_button.setSizePolicy(keep)
        self.clear_filters_button.setVisible(False)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.filter_button)
        top.addWidget(self.clear_filters_button)

        # filters: a panel that drops down over the list, so opening it moves nothing (made when it is first
        # opened or asked for: nothing of it shows until then; see library_filters.FilterPanel)
        self._panel: FilterPanel | None = None
        #: what the section, source and tag filters offer (set_store_data), put in them once they exist
        self._filter_items: dict[str, list[tuple[str, Any]]] = {}

        # section tree and fact list
        self.section_model = SectionTreeModel(self)
        self.sections = QTreeView()
        self.sections.setModel(self.section_model)
        self.sections.setHeaderHidden(True)
        self.sections.setAccessibleName("Sections")
        self.sections.setToolTip("Pick a section to list its facts")
        self.sections.setUniformRowHeights(True)
        # three rows at least (Qt's default minimum is four): the list below gets the rest on a small screen
        tree_rows = self.sections.fontMetrics().lineSpacing() * 3
        self.sections.setMinimumHeight(tree_rows + 2 * self.sections.frameWidth() + 6)

        self.fact_model = FactListModel(self)
        self.facts = FactView()
        self.facts.setModel(self.fact_model)
        self.facts.setRootIsDecorated(False)
        self.facts.setAlternatingRowColors(True)
        self.facts.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.facts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.facts.setDragEnabled(True)
        self.facts.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.facts.setItemDelegateForColumn(FactListModel.FACT, HtmlDelegate(self.facts))
        self.facts.setUniformRowHeights(True)
        self.facts.setAccessibleName("Facts found")
        self.facts.setToolTip("Double-click, press Enter or drag a fact to the briefing")
        set_enum(self.facts, "contextMenuPolicy", "CustomContextMenu")
        header = self.facts.header()
        # the header's labels from a model of their own: the list's model naming them in headerData would
        # be handed a Qt.Orientation (see models.library.FactListModel.header_model)
        header.setModel(self.fact_model.header_model(header))
        header.setAccessibleName("Columns of the fact list")
        header.setStretchLastSection(False)
        # fixed widths from the font: ResizeToContents would read every row on every reset
        fm = self.facts.fontMetrics()
        icon = self.facts.small_icon_size()
        # the status is an icon (its word in the tooltip and the accessible name); the statement takes
        # the width and two lines; the source's short label sits over the as-of date
        self.facts.setItemDelegateForColumn(FactListModel.STATUS, StatusIconDelegate(self.facts))
        header.setSectionResizeMode(FactListModel.STATUS, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(FactListModel.STATUS, icon + 12)
        header.setMinimumSectionSize(icon + 12)
        header.setSectionResizeMode(FactListModel.FACT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FactListModel.SOURCE, QHeaderView.ResizeMode.Fixed)
        self.facts.setItemDelegateForColumn(FactListModel.SOURCE, HtmlDelegate(self.facts))
        header.moveSection(header.visualIndex(FactListModel.SOURCE), header.visualIndex(FactListModel.FACT) + 1)
        header.setSectionResizeMode(FactListModel.AS_OF, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(FactListModel.AS_OF, fm.horizontalAdvance("2025-12-31") + 18)
        # the date has a column where the list is wide; else it is in the tooltip and the inspector
        self.facts.setColumnHidden(FactListModel.AS_OF, True)
        header.setSectionResizeMode(FactListModel.SECTION, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(FactListModel.SECTION, 150)
        # the section is in each fact's tooltip and the inspector; the pane is too narrow for another column
        self.facts.setColumnHidden(FactListModel.SECTION, True)
        set_enum(self.facts, "textElideMode", "ElideRight")
        self.facts.setWordWrap(False)
        self.facts.viewportResized.connect(self._fit_columns)

        self.add_button = QPushButton(icons.icon("add"), "&Add to briefing")
        self.add_button.setEnabled(False)
        self.add_button.setAccessibleName("Add the selected facts to the briefing")
        self.add_button.setToolTip("Add the selected facts to the briefing (Enter)")
        self.count_label = plain_label()  # rich text only when it holds a link (show_result)
        self.count_label.setAccessibleName("Number of facts found")
        self.count_label.setWordWrap(True)
        # two lines' room, always: a longer answer must not push the list up
        self.count_label.setFixedHeight(self.count_label.fontMetrics().lineSpacing() * 2 + 4)
        # its text changes on every keystroke: never let that re-lay out the pane
        self.count_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.count_label.setMinimumWidth(40)
        self.add_all_button = QPushButton(icons.icon("add"), "Add all show&n")
        self.add_all_button.setEnabled(False)
        self.add_all_button.setAccessibleName("Add every fact shown in the list to the briefing")
        self.add_all_button.setToolTip(f"Add every fact the list shows to the briefing ({ADD_ALL_SHORTCUT})")
        # wraps in a narrow window rather than hold the splitter (the preview's room): see ButtonRow
        buttons = ButtonRow(self.add_button, self.add_all_button)
        bottom = QVBoxLayout()
        bottom.setSpacing(2)
        bottom.addWidget(self.count_label)
        bottom.addWidget(buttons)

        self.split = QSplitter()
        set_enum(self.split, "orientation", "Vertical")
        self.split.setObjectName("LibrarySplit")
        self.split.addWidget(self.sections)
        self.split.addWidget(self.facts)
        # the list takes four fifths of the height (the tree scrolls; its splitter handle gives it more)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 4)
        self.split.setChildrenCollapsible(False)

        title = title_label("Library")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(title)
        lay.addLayout(top)
        lay.addWidget(self.split, 1)
        lay.addLayout(bottom)

        self.add_action = QAction(icons.icon("add"), "Add to briefing", self)
        self.add_action.setShortcuts([QKeySequence("Return"), QKeySequence("Enter")])
        set_enum(self.add_action, "shortcutContext", "WidgetShortcut")
        self.facts.addAction(self.add_action)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DEBOUNCE_MS)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.search.textEdited.connect(self._schedule)
        self.search.textChanged.connect(lambda t: self._schedule() if not t else None)
        self.search.returnPressed.connect(self._add_from_search)
        self.search.downPressed.connect(self._focus_results)  # into the results, the first selected
        self.add_all_button.clicked.connect(self._add_all_shown)
        self._timer.timeout.connect(self.requery)
        self.filter_button.toggled.connect(self._toggle_filters)
        self.clear_filters_button.clicked.connect(self.widen)
        self.count_label.linkActivated.connect(lambda _link: self.widen())
        self.sections.selectionModel().currentChanged.connect(self._section_picked)
        self.facts.doubleClicked.connect(lambda _i: self._add_selected())
        self.add_button.clicked.connect(self._add_selected)
        self.add_action.triggered.connect(self._add_selected)
        self.facts.selectionModel().selectionChanged.connect(self._selection_changed)
        self.facts.selectionModel().currentChanged.connect(self._current_changed)
        self.facts.customContextMenuRequested.connect(self._context_menu)

    # -- the filter panel, made when first opened or asked for ---------------------------

    @property
    def filter_panel(self) -> FilterPanel:
        if self._panel is None:
            panel = self._panel = FilterPanel(self)
            panel.fill(self._filter_items)
            panel.section_combo.setCurrentIndex(max(0, panel.section_combo.findData(self._section)))
            panel.frame.installEventFilter(self)
            panel.section_combo.currentIndexChanged.connect(self._section_combo_changed)
            for combo in (panel.source_combo, panel.status_combo, panel.reliability_combo, panel.tag_combo):
                combo.currentIndexChanged.connect(self._schedule)
            for check, edit in ((panel.date_from_check, panel.date_from), (panel.date_to_check, panel.date_to)):
                check.toggled.connect(edit.setEnabled)
                check.toggled.connect(self._schedule)
                edit.dateChanged.connect(self._schedule)
            panel.reset_filters_button.clicked.connect(self.reset_filters)
        return self._panel

    filters = _panel_part("frame")
    filter_layout = _panel_part("filter_layout")
    section_combo = _panel_part("section_combo")
    source_combo = _panel_part("source_combo")
    status_combo = _panel_part("status_combo")
    reliability_combo = _panel_part("reliability_combo")
    tag_combo = _panel_part("tag_combo")
    date_from_check = _panel_part("date_from_check")
    date_from = _panel_part("date_from")
    date_to_check = _panel_part("date_to_check")
    date_to = _panel_part("date_to")
    reset_filters_button = _panel_part("reset_filters_button")

    # -- filling ---------------------------------------------------------------------

    def set_store_data(self, sections: list[Any], counts: dict[str, int], sources: list[Any],
                       tags: list[tuple[str, int]]) -> None:
        from briefer.domain.source_names import short_label

        self.section_model.set_sections(sections, counts)
        self.sections.expandAll()
        self.fact_model.set_source_labels({s.id: short_label(s) for s in sources})
        self.fact_model.set_section_titles({s.id: s.title for s in sections})
        self._filter_items = {
            "section_combo": [("All sections", None)] + [(s.title, s.id) for s in sections],
            "source_combo": [("Any source", None)] + [(s.display_title, s.id) for s in sources],
            "tag_combo": [("Any tag", None)] + [(f"{t} ({n})", t) for t, n in tags],
        }
        if self._panel is not None:
            self._panel.fill(self._filter_items)
        if not self.sections.currentIndex().isValid():
            self.sections.setCurrentIndex(self.section_model.index(0, 0))

    def set_counts(self, counts: dict[str, int]) -> None:
        self.section_model.set_counts(counts)

    # -- the filters panel ----------------------------------------------------------------

    #: the list is wide enough for an as-of column from this many pixels
    AS_OF_FROM = 600

    def _fit_columns(self) -> None:
        """The source's label takes about a quarter of the list, on two lines; the statement the rest."""
        width = self.facts.viewport_width()
        fm = self.facts.fontMetrics()
        source = max(fm.horizontalAdvance("2025-12-31") + 12, min(fm.horizontalAdvance("x") * 26, width // 4))
        header = self.facts.header()
        if header.sectionSize(FactListModel.SOURCE) != source:
            header.resizeSection(FactListModel.SOURCE, source)
        narrow = width < self.AS_OF_FROM
        if self.facts.isColumnHidden(FactListModel.AS_OF) != narrow:
            self.facts.setColumnHidden(FactListModel.AS_OF, narrow)

    def _toggle_filters(self, on: bool) -> None:
        if on:
            self._place_filters()
            self.filters.show()
            self.filters.raise_()
        else:
            self.filters.hide()

    def _place_filters(self) -> None:
        below = self.filter_button.mapTo(self, self.filter_button.rect().bottomRight())
        # the fact list keeps KEEP_ROWS rows in sight below the panel; compact, it takes the pane's width
        row = self.facts.sizeHintForRow(0) if self.fact_model.rowCount() else 2 * self.fontMetrics().lineSpacing()
        bottom = self.facts.viewport().mapTo(self, self.facts.viewport().rect().bottomLeft()).y()
        height = self.filter_layout.fit(bottom - KEEP_ROWS * row - below.y() - 2)
        width = min(max(self.filters.sizeHint().width(), 320), self.width() - 12)
        self.filters.resize(self.width() - 6 if self.filter_layout.compact else width, height)
        left = below.x() - self.filters.width() + 1 + self.clear_filters_button.width()
        self.filters.move(max(3 if self.filter_layout.compact else 6, left), below.y() + 2)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_top_row(event.size().width())
        if self._panel is not None and self._panel.frame.isVisible():
            self._place_filters()

    #: the search field's least room, in average characters, before the Filters button gives up its word
    SEARCH_ROOM_CHARS = 20

    def _fit_top_row(self, width: int) -> None:
        """In a narrow pane (the library of an 800 px window) the Filters button shows its icon and the
        count of filters on, without the word, so the search field keeps room to type in."""
        fm = self.search.fontMetrics()
        icon = self.filter_button.iconSize().width()
        wide_button = fm.horizontalAdvance("Filters (9)") + 2 * fm.averageCharWidth() + icon
        room = width - wide_button - self.clear_filters_button.sizeHint().width() - 24
        narrow = room < self.SEARCH_ROOM_CHARS * fm.averageCharWidth()
        if narrow != self._narrow:
            self._narrow = narrow
            self._show_active_filters()

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802
        """Escape in the open filter panel shuts it (the panel's frame is watched once it is made)."""
        from PySide6.QtCore import QEvent

        panel = self._panel.frame if self._panel is not None else None
        if obj is panel and event.type() == QEvent.Type.KeyPress:
            from PySide6.QtCore import Qt

            if event.key() == Qt.Key.Key_Escape:
                self.filter_button.setChecked(False)
                self.filter_button.setFocus()
                return True
        return super().eventFilter(obj, event)

    def active_filters(self) -> list[str]:
        """The filters that are on (the section is shown by the tree, not counted here)."""
        if self._panel is None:
            return []  # none is on before the panel is made
        out = [combo.currentText() for combo in (self.source_combo, self.status_combo, self.reliability_combo,
                                                 self.tag_combo) if combo.currentData()]
        if self.date_from_check.isChecked():
            out.append(f"as of from {self.date_from.date().toString('yyyy-MM-dd')}")
        if self.date_to_check.isChecked():
            out.append(f"as of to {self.date_to.date().toString('yyyy-MM-dd')}")
        return out

    def _show_active_filters(self) -> None:
        active = self.active_filters()
        count = f"({len(active)})" if active else ""
        if self._narrow:
            self.filter_button.setText(count)
            style = "ToolButtonTextBesideIcon" if count else "ToolButtonIconOnly"
            set_enum(self.filter_button, "toolButtonStyle", style)
        else:
            self.filter_button.setText(f"Filters {count}".strip())
            set_enum(self.filter_button, "toolButtonStyle", "ToolButtonTextBesideIcon")
        font = self.filter_button.font()
        font.setBold(bool(active))
        self.filter_button.setFont(font)
        self.filter_button.setToolTip("Filters on: " + "; ".join(active) if active
                                      else "Filter by source, status, tag and as-of date")
        self.filter_button.setAccessibleDescription("; ".join(active))
        self.clear_filters_button.setVisible(bool(active))

    def widen(self) -> None:
        """Search the whole library: every filter off and all sections (one click)."""
        self.reset_filters()
        self.requery()

    # -- querying ----------------------------------------------------------------------

    def filters_dict(self) -> dict[str, Any]:
        """The store's filter (briefer.store.db.FactFilter keywords); a status the store does not hold
        (stale, conflict) goes with the query as ``shown_status``."""
        out: dict[str, Any] = {}
        if self._section:
            out["section"] = self._section
        if self._panel is None:
            return out  # the other filters are off until the panel is made
        for key, combo in (("source", self.source_combo), ("reliability", self.reliability_combo),
                           ("tag", self.tag_combo)):
            if combo.currentData():
                out[key] = combo.currentData()
        status = self.status_combo.currentData()
        if status:
            out["status"] = status if status in ("disputed", "superseded") else "current"
        if self.date_from_check.isChecked():
            out["as_of_from"] = _pydate(self.date_from.date())
        if self.date_to_check.isChecked():
            out["as_of_to"] = _pydate(self.date_to.date())
        return out

    def _schedule(self, *_args: Any) -> None:
        self._timer.start()

    def requery(self) -> Query | None:
        q = self.next_query()
        if q is not None:
            self.queryChanged.emit(q)
        return q

    def next_query(self) -> Query | None:
        """The query for what the pane shows now (the search, the section, the filters), the newest one
        it will show the answer to; None while one letter waits for the next.  :meth:`requery` sends it
        to the window; the start answers the first one in the worker that opens the store."""
        text = self.search.text()
        if text.strip() and not searchable(text):
            # one letter would match most of the vocabulary: keep the list, wait for the next
            show_text(self.count_label, "Type another letter to search")
            return None
        self._generation += 1
        # a search shows the best matches (a screenful or five); browsing a section lists more
        limit = self.SEARCH_LIMIT if text.strip() else self.BROWSE_LIMIT
        shown = self._panel.status_combo.currentData() if self._panel is not None else None
        q = Query(self._generation, text, self.filters_dict(), limit=limit, issued=time.perf_counter(),
                  shown_status=shown, counts=True)
        self._show_active_filters()
        return q

    def show_result(self, result: QueryResult) -> None:
        if result.query.generation < self._shown_generation or result.query.generation < self._generation:
            return  # an answer to a query the user has typed past
        self._shown_generation = result.query.generation
        current = self.current_fact_id()
        same_search = self.last_result is not None and self.last_result.query.text == result.query.text
        self.last_result = result
        kept = view_state.remember(self.facts, FactIdRole) if same_search else None  # the store changed
        self.fact_model.set_rows(result.rows, result.flags)
        # one section picked: its name in every row would only take room from the facts
        # the section column is worth its room only when the pane is wide and no section is picked
        hide = bool(result.query.filters.get("section")) or self.facts.viewport_width() < 640
        if self.facts.isColumnHidden(FactListModel.SECTION) != hide:
            self.facts.setColumnHidden(FactListModel.SECTION, hide)
        if result.section_counts is not None:
            # the tree counts what the search and the filters find in each section
            self.section_model.set_counts(result.section_counts)
        line, link = count_text(result, self.section_model.title_of, self.active_filters())
        show_text(self.count_label, escape(line) + link if link else line, rich=bool(link))
        n = len(result.rows)
        self.add_all_button.setText(f"Add all show&n ({n:,})" if n else "Add all show&n")
        self.add_all_button.setEnabled(n > 0)
        if self._add_when_answered:
            self._add_when_answered = False
            self._add_from_search()
        if kept is not None:
            kept.restore(self.fact_model.row_of)
        elif current:
            row = self.fact_model.row_of(current)
            if row >= 0:
                idx = self.fact_model.index(row, FactListModel.FACT)
                # a new search: the fact stays current (the inspector), but a row picked in the
                # last list is not a pick in this one (Enter adds this list's first result)
                self.facts.selectionModel().setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.NoUpdate)
        self._selection_changed()

    def show_error(self, message: str) -> None:
        show_text(self.count_label, f"Search failed: {message}")

    def reset_filters(self) -> None:
        panel = self._panel
        if panel is not None:
            for combo in (panel.source_combo, panel.status_combo, panel.reliability_combo, panel.tag_combo):
                combo.setCurrentIndex(0)
            panel.date_from_check.setChecked(False)
            panel.date_to_check.setChecked(False)
        self.sections.setCurrentIndex(self.section_model.index(0, 0))
        self._show_active_filters()

    def focus_search(self) -> None:
        from PySide6.QtCore import Qt

        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # -- selection -------------------------------------------------------------------------

    def selected_fact_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.facts.selectionModel().selectedRows()})
        if not rows and self.facts.currentIndex().isValid():
            rows = [self.facts.currentIndex().row()]
        return [self.fact_model.fact_at(r).id for r in rows]

    def current_fact_id(self) -> str | None:
        i = self.facts.currentIndex()
        return i.data(FactIdRole) if i.isValid() else None

    def _add_selected(self) -> None:
        ids = self.selected_fact_ids()
        if ids:
            self.addRequested.emit(ids)

    def shown_fact_ids(self) -> list[str]:
        """Every fact the list shows, in its order."""
        return [self.fact_model.fact_at(r).id for r in range(self.fact_model.rowCount())]

    def _add_all_shown(self) -> None:
        ids = self.shown_fact_ids()
        if ids:
            self.addRequested.emit(ids)

    def _add_from_search(self) -> None:
        """Enter in the search box: add the selected result, or the first; the answer to what was typed
        last, so a quick Enter after typing waits for it."""
        if self.search.text().strip() and not searchable(self.search.text()):
            return  # one letter is not a search yet (requery waits for the next)
        if self._timer.isActive() or self._shown_generation < self._generation:
            self._add_when_answered = True
            return
        rows = sorted({i.row() for i in self.facts.selectionModel().selectedRows()})
        ids = [self.fact_model.fact_at(r).id for r in rows] or self.shown_fact_ids()[:1]
        if ids:
            self.addRequested.emit(ids)
            self.search.selectAll()  # the next search replaces this one

    def _selection_changed(self, *_args: Any) -> None:
        self.add_button.setEnabled(bool(self.facts.selectionModel().selectedRows()))

    def _current_changed(self, current: QModelIndex, _prev: QModelIndex) -> None:
        if current.isValid():
            self.factSelected.emit(current.data(FactIdRole))

    def _focus_results(self) -> None:
        if self.fact_model.rowCount():
            self.facts.setFocus()
            if not self.facts.currentIndex().isValid():
                self.facts.setCurrentIndex(self.fact_model.index(0, FactListModel.FACT))
            self.facts.selectionModel().select(self.facts.currentIndex(),
                                               self.facts.selectionModel().SelectionFlag.ClearAndSelect
                                               | self.facts.selectionModel().SelectionFlag.Rows)

    def _section_picked(self, current: QModelIndex, _prev: QModelIndex) -> None:
        sid = current.data(SectionIdRole) if current.isValid() else None
        if sid == self._section:
            return
        self._section = sid
        if self._panel is not None:
            combo = self._panel.section_combo
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(sid)))
            combo.blockSignals(False)
        self._schedule()

    def _section_combo_changed(self, _i: int) -> None:
        sid = self.section_combo.currentData()
        idx = self.section_model.section_row(sid)
        if idx.isValid():
            self.sections.setCurrentIndex(idx)
        else:
            self._section = sid
            self._schedule()

    def _context_menu(self, pos: Any) -> None:
        if not self.facts.indexAt(pos).isValid():
            return
        menu = QMenu(self)
        menu.addAction(self.add_action)
        copy = menu.addAction("Copy statement")
        copy.triggered.connect(lambda: QApplication.clipboard().setText(
            "\n".join(self.fact_model.fact_at(i.row()).statement for i in self.facts.selectionModel().selectedRows())))
        menu.addSeparator()
        for extra in self.extra_context_actions:
            menu.addAction(extra)
        menu.exec(self.facts.viewport().mapToGlobal(pos))


def _pydate(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())
