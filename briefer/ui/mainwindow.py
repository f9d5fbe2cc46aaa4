"""The main window: library | composer | preview, the inspector dock, menus,
files, autosave, export, templates, error handling.

The window lays out the panes, wires them in :meth:`MainWindow._connect_signals`
and opens dialogs; the panes do their own work.  Nothing heavy is imported
before the window has painted: the store opens in a worker, then the panes fill.
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from briefer.errors import KnownError
from briefer.ui import recovery
from briefer.ui import settings as ui_settings


class _Lazy:
    """A module (or Qt's namespace) imported on first use.  Importing ``Qt`` builds Python
    classes for its ~100 enums (~30 ms): that waits until after the window's first paint."""

    def __init__(self, module: str, attr: str | None = None) -> None:
        self._module, self._attr = module, attr

    def __getattr__(self, name: str) -> Any:
        import importlib

        target = importlib.import_module(self._module)
        if self._attr:
            target = getattr(target, self._attr)
        return getattr(target, name)


Qt: Any = _Lazy("PySide6.QtCore", "Qt")
filedialogs: Any = _Lazy("briefer.ui.filedialogs")
html: Any = _Lazy("html")
icons: Any = _Lazy("briefer.ui.icons")
messages: Any = _Lazy("briefer.ui.messages")


def Task(fn: Any) -> Any:  # noqa: N802 - stands for the class, imported when first needed
    from briefer.ui.workers import Task as _Task

    return _Task(fn)


def start(task: Any) -> Any:
    from briefer.ui.workers import start as _start

    return _start(task)

BRIEFING_SUFFIX = ".briefing.json"


def load_store_data(data_dir: Path) -> dict[str, Any]:
    """Open (create, seed) the store and read what the library shows first.  Runs in a worker."""
    from briefer.ingest.factpack import open_store

    store = open_store(data_dir)
    return {
        "store": store,
        "sections": store.sections(),
        "counts": store.section_counts(),
        "sources": store.sources(),
        "tags": store.tags(),
    }


class _Shell(QWidget):
    """What the window shows for the moment before its panes are built: the three pane titles."""

    def __init__(self) -> None:
        super().__init__()
        from PySide6.QtWidgets import QHBoxLayout

        lay = QHBoxLayout(self)
        for title in ("Library", "Briefing", "Preview"):
            column = QVBoxLayout()
            column.addWidget(QLabel(f"<b>{title}</b><br><br>Loading\u2026"))
            column.addStretch(1)
            lay.addLayout(column, 1)


class MainWindow(QMainWindow):
    #: emitted once the store is open and the panes are filled (tests and the benchmark wait for it)
    ready = Signal()
    #: emitted when the preview has been refreshed
    previewUpdated = Signal(float)
    #: emitted when the open conflicts between sources have been counted (number of conflicts)
    conflictsUpdated = Signal(int)

    def __init__(self, data_dir: Path, *, file: Path | None = None, today: date | None = None) -> None:
        super().__init__()
        from briefer.ui import collector

        collector.install()  # the window starts workers: cycles must be collected on this thread
        self.data_dir = Path(data_dir)
        self.initial_file = file
        self.today = today
        self.store: Any = None
        self.doc: Any = None
        self.query_thread: Any = None
        self.session = recovery.new_session()
        self._sources_cache: dict[str, Any] = {}
        self._section_titles: dict[str, str] = {}
        self._store_data: dict[str, Any] = {}
        self._tasks: list[Any] = []
        self._closing = False
        self._usage_task: Any = None
        self._flags: Any = None
        self._shown_once = False
        self._start_pending = False
        self.undo_group = QUndoGroup(self)

        self._built = False
        self.setObjectName("MainWindow")
        self.status_label = QLabel("Opening the fact store\u2026")
        self.statusBar().addWidget(self.status_label, 1)
        self.preview_label = QLabel("")
        self.preview_label.setToolTip("How long the last preview refresh took")
        self.statusBar().addPermanentWidget(self.preview_label)
        self.setCentralWidget(_Shell())
        self.setWindowTitle("Briefer")
        geometry = ui_settings.settings().value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 900)
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(recovery.AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)

    def build(self) -> None:
        """Create the panes, actions and menus.  Run after the first paint (the window shows its
        shell at once), or by :meth:`start`."""
        if self._built:
            return
        self._built = True
        from briefer.ui.panes.composer import ComposerPane
        from briefer.ui.panes.inspector import InspectorPane
        from briefer.ui.panes.library import LibraryPane
        from briefer.ui.panes.preview import PreviewPane

        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)
        self.library = LibraryPane()
        self.composer = ComposerPane()
        self.preview = PreviewPane()
        self.preview.today = self.today
        self.inspector = InspectorPane()

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("MainSplit")
        self.splitter.addWidget(self.library)
        self.splitter.addWidget(self.composer)
        self.splitter.addWidget(self.preview)
        self.splitter.setChildrenCollapsible(False)
        w = max(900, self.width())
        self.splitter.setSizes([int(w * 0.3), int(w * 0.33), int(w * 0.37)])
        old = self.centralWidget()
        self.setCentralWidget(self.splitter)
        if old is not None:
            old.deleteLater()

        self.inspector_dock = QDockWidget("Inspector", self)
        self.inspector_dock.setObjectName("InspectorDock")
        self.inspector_dock.setWidget(self.inspector)
        self.inspector_dock.setAccessibleName("Inspector")
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.inspector_dock)
        self.inspector_dock.dockLocationChanged.connect(self._dock_moved)
        self.inspector_dock.topLevelChanged.connect(lambda floating: self._dock_moved(None))

        self._create_actions()
        self._create_menus()
        self._connect_signals()
        self._set_enabled(False)
        self._restore_settings()
        self._update_title()
        if self.isVisible():
            QTimer.singleShot(0, self._restore_splitters)

    # -- building ----------------------------------------------------------------------

    def _action(self, text: str, icon: str | None = None, shortcut: Any = None, tip: str = "",
                slot: Any = None) -> QAction:
        a = QAction(icons.icon(icon) if icon else icons.icon("__none__"), text, self)
        if shortcut is not None:
            if isinstance(shortcut, list):
                a.setShortcuts(shortcut)
            else:
                a.setShortcut(QKeySequence(shortcut))
        if tip:
            a.setToolTip(tip)
            a.setStatusTip(tip)
        if slot is not None:
            a.triggered.connect(slot)
        return a

    def _create_actions(self) -> None:
        SK = QKeySequence.StandardKey
        self.new_action = self._action("&New briefing", "new", SK.New, "Start an empty briefing", self.new_briefing)
        self.new_from_template_action = self._action(
            "New from &template\u2026", "template", "Ctrl+Shift+N",
            "Start a briefing from a built-in or saved template", self.new_from_template)
        self.open_action = self._action("&Open\u2026", "open", SK.Open, "Open a briefing file", self.open_file)
        self.save_action = self._action("&Save", "save", SK.Save, "Save the briefing", self.save)
        self.save_as_action = self._action("Save &as\u2026", "save-as", SK.SaveAs,
                                           "Save the briefing under a new name", self.save_as)
        if not QKeySequence(SK.SaveAs).toString():
            self.save_as_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.export_action = self._action("&Export\u2026", "export", "Ctrl+E",
                                          "Export the briefing to Word, PDF, Markdown or HTML", self.export)
        self.save_template_action = self._action("Save as te&mplate\u2026", "template", None,
                                                 "Save this briefing's shape as a reusable template",
                                                 self.save_as_template)
        self.manage_templates_action = self._action("&Manage templates\u2026", "template", None,
                                                    "Rename, duplicate, delete, import and export templates",
                                                    self.manage_templates)
        self.import_action = self._action("&Import sources\u2026", "import", None,
                                          "Bring new documents into the store", self.import_sources)
        self.quit_action = self._action("&Quit", "quit", SK.Quit, "Close Briefer", self.close)
        if not QKeySequence(SK.Quit).toString():
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setIcon(icons.icon("undo"))
        self.undo_action.setShortcut(QKeySequence(SK.Undo))
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setIcon(icons.icon("redo"))
        self.redo_action.setShortcuts(QKeySequence.keyBindings(SK.Redo) or [QKeySequence("Ctrl+Shift+Z")])
        self.find_action = self._action("&Find facts", "search", SK.Find, "Search the library (Ctrl+F)",
                                        self.library.focus_search)
        self.add_action = self._action("&Add to briefing", "add", None,
                                       "Add the facts selected in the library to the briefing",
                                       lambda: self.add_facts(self.library.selected_fact_ids()))
        self.inspect_action = self._action("&Inspect fact", "inspector", "Ctrl+I",
                                           "Show the selected fact's sources and where it is used",
                                           self._inspect_current)
        self.new_fact_action = self._action("&New fact\u2026", "add", None, "Add a fact to the store",
                                            self.new_fact)
        self.edit_fact_action = self._action("&Edit fact\u2026", "rename", None,
                                             "Edit the selected fact in the store (all briefings see it)",
                                             self.edit_fact)
        self.conflicts_action = self._action("&Conflicts\u2026", "conflicts", None,
                                             "Facts whose sources disagree", self.show_conflicts)
        self.refresh_action = self._action("&Refresh preview", None, SK.Refresh,
                                           "Render the preview again", lambda: self._refresh_preview(True))
        if not QKeySequence(SK.Refresh).toString():
            self.refresh_action.setShortcut(QKeySequence("F5"))
        self.focus_library_action = self._action("Go to &library", None, "Ctrl+1", "Move the focus to the library",
                                                 lambda: self.library.facts.setFocus())
        self.focus_outline_action = self._action("Go to &outline", None, "Ctrl+2", "Move the focus to the outline",
                                                 self._focus_outline)
        self.focus_preview_action = self._action("Go to &preview", None, "Ctrl+3", "Move the focus to the preview",
                                                 lambda: self.preview.browser.setFocus())
        self.about_action = self._action("&About Briefer", "about", None, "Version and licences", self.about)
        self.shortcuts_action = self._action("&Keyboard shortcuts", None, SK.HelpContents,
                                             "Every shortcut of the window", self.show_shortcuts)
        for a in (self.new_action, self.new_from_template_action, self.open_action, self.save_action,
                  self.save_as_action, self.export_action, self.quit_action, self.undo_action, self.redo_action,
                  self.find_action, self.inspect_action, self.refresh_action, self.focus_library_action,
                  self.focus_outline_action, self.focus_preview_action, self.shortcuts_action):
            self.addAction(a)
        # curation dialogs arrive in briefer.ui.curation; without it the actions say so
        import importlib.util

        if importlib.util.find_spec("briefer.ui.curation") is None:
            for a in (self.import_action, self.new_fact_action, self.edit_fact_action, self.conflicts_action):
                a.setEnabled(False)
                a.setToolTip("not available in this build")
                a.setStatusTip("not available in this build")
            self._curation = False
        else:
            self._curation = True

    def _create_menus(self) -> None:
        mb = self.menuBar()
        file_menu = mb.addMenu("&File")
        file_menu.addActions([self.new_action, self.new_from_template_action, self.open_action])
        self.recent_menu = file_menu.addMenu(icons.icon("open"), "Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.save_action, self.save_as_action])
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addActions([self.save_template_action, self.manage_templates_action])
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = mb.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addSeparator()
        c = self.composer
        edit_menu.addActions([c.edit_action, c.revert_action, c.up_action, c.down_action, c.paragraph_action,
                              c.remove_action])

        facts_menu = mb.addMenu("F&acts")
        facts_menu.addActions([self.add_action, self.inspect_action])
        facts_menu.addSeparator()
        facts_menu.addActions([self.new_fact_action, self.edit_fact_action, self.conflicts_action])

        view_menu = mb.addMenu("&View")
        view_menu.addAction(self.inspector_dock.toggleViewAction())
        self.inspector_dock.toggleViewAction().setShortcut(QKeySequence("Ctrl+Shift+I"))
        view_menu.addActions([self.focus_library_action, self.focus_outline_action, self.focus_preview_action])
        view_menu.addSeparator()
        view_menu.addAction(self.refresh_action)

        help_menu = mb.addMenu("&Help")
        help_menu.addActions([self.shortcuts_action, self.about_action])

        tb = self.addToolBar("Main")
        tb.setObjectName("MainToolbar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        from PySide6.QtCore import QSize

        tb.setIconSize(QSize(20, 20))
        tb.addActions([self.new_from_template_action, self.open_action, self.save_action])
        tb.addSeparator()
        tb.addActions([self.undo_action, self.redo_action])
        for a in (self.undo_action, self.redo_action):  # their text names the step: keep the toolbar steady
            button = tb.widgetForAction(a)
            if button is not None:
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)  # type: ignore[attr-defined]
        tb.addSeparator()
        tb.addAction(self.export_action)
        self.library.extra_context_actions = [self.inspect_action, self.edit_fact_action]

    def _connect_signals(self) -> None:
        self.library.addRequested.connect(self.add_facts)
        self.library.factSelected.connect(self.inspect_fact)
        self.library.queryChanged.connect(self._submit_query)
        self.composer.itemSelected.connect(lambda fid: self.inspect_fact(fid) if fid else None)
        self.composer.statusMessage.connect(self.show_status)
        self.preview.footnoteClicked.connect(self._footnote_clicked)
        self.preview.rendered.connect(self._preview_rendered)

    def _set_enabled(self, on: bool) -> None:
        for a in (self.new_action, self.new_from_template_action, self.open_action, self.save_action,
                  self.save_as_action, self.export_action, self.save_template_action, self.manage_templates_action,
                  self.add_action):
            a.setEnabled(on)
        for a in (self.import_action, self.new_fact_action, self.edit_fact_action, self.conflicts_action):
            a.setEnabled(on and self._curation)
        self.library.setEnabled(on)
        self.composer.setEnabled(on)

    # -- settings --------------------------------------------------------------------------

    def _dock_moved(self, _area: Any) -> None:
        area = self.dockWidgetArea(self.inspector_dock)
        wide = not self.inspector_dock.isFloating() and area in (Qt.DockWidgetArea.BottomDockWidgetArea,
                                                                  Qt.DockWidgetArea.TopDockWidgetArea)
        self.inspector.set_wide(wide)

    def _restore_settings(self) -> None:
        s = ui_settings.settings()
        state = s.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        else:
            self.resizeDocks([self.inspector_dock], [240], Qt.Orientation.Vertical)

    def _restore_splitters(self) -> None:
        # after the window has its real size: restored earlier, the panes would be scaled to it
        self._shown_once = True
        s = ui_settings.settings()
        for key, split in (("main", self.splitter), ("library", self.library.split),
                           ("composer", self.composer.split), ("inspector", self.inspector.split)):
            value = s.value(f"splitters/{key}")
            if isinstance(value, QByteArray) and not value.isEmpty():
                split.restoreState(value)

    def start_after_first_paint(self) -> None:
        """Open the store once the window has been painted, so it shows at once."""
        self._start_pending = True

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        if self._start_pending:
            self._start_pending = False
            if not self._built:
                # the shell is on screen: build the panes, let them paint, then open the store
                QTimer.singleShot(0, self._build_then_start)
            else:
                QTimer.singleShot(0, self.start)

    def _build_then_start(self) -> None:
        self.build()
        self._start_pending = True
        self.update()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._shown_once and self._built:
            self._shown_once = True
            QTimer.singleShot(0, self._restore_splitters)

    def save_settings(self) -> None:
        if not self._built:
            return
        s = ui_settings.settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        for key, split in (("main", self.splitter), ("library", self.library.split),
                           ("composer", self.composer.split), ("inspector", self.inspector.split)):
            s.setValue(f"splitters/{key}", split.saveState())
        s.sync()

    # -- start-up ---------------------------------------------------------------------------

    def start(self) -> None:
        """Open the store in a worker; the panes fill when it is ready."""
        from briefer.ui.prewarm import prewarm

        self.build()
        self.show_status("Opening the fact store\u2026")
        prewarm("store")
        task = Task(lambda report: load_store_data(self.data_dir))
        task.signals.finished.connect(self._store_ready)
        task.signals.failed.connect(self._store_failed)
        self._tasks.append(task)
        start(task)

    def _store_failed(self, exc: BaseException, details: str) -> None:
        self.status_label.setText("The fact store could not be opened")
        if isinstance(exc, KnownError):
            messages.error(self, "Cannot open the fact store", str(exc),
                           "Fix the problem (or choose another data folder with --data-dir) and start Briefer again.")
        else:
            self.show_crash(exc, details)

    def _store_ready(self, data: dict[str, Any]) -> None:
        if self._closing:
            # the window was closed while the store was still opening (a slow first start seeds
            # the pack): start nothing more, and let go of the connection the task opened
            data["store"].close()
            return
        self.store = data["store"]
        self._store_data = data
        self._section_titles = {s.id: s.title for s in data["sections"]}
        self.library.set_store_data(data["sections"], data["counts"], data["sources"], data["tags"])
        from briefer.ui.workers import QueryThread

        self.query_thread = QueryThread(self.store.reopen, self._flagger(), self)
        self.query_thread.resultReady.connect(self._query_result)
        self.query_thread.failed.connect(lambda q, msg: self.library.show_error(msg))
        self.query_thread.start()
        self._set_enabled(True)
        self.set_doc(self._new_doc())
        self.library.requery()
        n = sum(data["counts"].values())
        self.show_status(f"{n:,} facts in {len(data['sections'])} sections \u2014 {self.store.path}")
        for notice in getattr(self.store, "notices", []):  # e.g. an interrupted restore that was completed
            messages.info(self, "The data folder was repaired", notice)
        self.autosave_timer.start()
        self._compute_conflicts()
        if self.initial_file is not None:
            self.open_path(self.initial_file)
        else:
            self.offer_recovery()
        self.ready.emit()

    def _estimator(self) -> Any:
        """briefing -> its page estimate: resolved against the store as the export resolves it and laid
        out by the one estimate the export's budget and ``briefer export --dry-run`` use."""
        store = self.store
        if store is None:
            return None
        from briefer.domain.document import CachedStore, resolve
        from briefer.domain.pages import estimate

        horizon = self._flagger().horizon
        cache: dict[str, Any] = {}

        def run(briefing: Any) -> Any:
            doc = self.doc
            facts = doc.facts if doc is not None else None
            # the open briefing's facts as the window holds them; sources and the glossary read once per
            # set of facts (an edit of the store gives the briefing a new set)
            if cache.get("facts") is not facts or "store" not in cache:
                cache["facts"] = facts
                cache["store"] = CachedStore(store, facts)
            return estimate(resolve(briefing, cache["store"], today=self.today or date.today(),
                                    horizon_months=horizon))

        return run

    def _flagger(self) -> Any:
        if self._flags is None:
            from briefer.ui.factflags import FactFlags

            self._flags = FactFlags(self.data_dir, self.today)
        return self._flags

    #: above this many facts the whole-store conflict pass is left to Facts → Conflicts… (it would hold
    #: the interpreter for minutes and make typing sluggish)
    CONFLICT_SCAN_LIMIT = 20_000

    def _compute_conflicts(self) -> None:
        """Open conflicts between sources, per fact: a pass over the whole store, so in a worker."""
        from briefer.ui.prewarm import prewarm

        if sum(self._store_data.get("counts", {}).values()) > self.CONFLICT_SCAN_LIMIT:
            return

        prewarm("curation")
        opener = self.store.reopen

        def work(_report: Any) -> Any:
            from briefer.ui.factflags import compute_conflicts

            st = opener()
            try:
                return compute_conflicts(st)
            finally:
                st.close()

        task = Task(work)
        task.signals.finished.connect(self._conflicts_ready)
        task.signals.failed.connect(lambda exc, _t: self.show_status(f"Could not check for conflicts: {exc}"))
        self._tasks.append(task)
        start(task)

    def _conflicts_ready(self, conflicts: dict[str, list[str]]) -> None:
        if self.store is None:
            return
        flags = self._flagger()
        flags.conflicts = conflicts
        if self.doc is not None:
            self.doc.flags = flags(list(self.doc.facts.values()))
            self.doc.model.refresh_all()
            self.composer.tree.expandAll()
        self.library.requery()
        self.conflictsUpdated.emit(len({line for lines in conflicts.values() for line in lines}))

    # -- the document ---------------------------------------------------------------------

    def _new_doc(self, briefing: Any = None, *, path: Path | None = None, template: str | None = None,
                 budget: Any = None) -> Any:
        from briefer.domain.briefing import Briefing
        from briefer.ui.briefing_model import BriefingDoc

        briefing = briefing or Briefing()
        facts = self.store.facts_by_ids(list(dict.fromkeys(briefing.fact_ids())))
        doc = BriefingDoc(briefing, store_sections=self._store_data["sections"], facts=facts, path=path,
                          template=template, budget=budget, parent=self)
        doc.flags = self._flagger()(list(facts.values()))
        doc.fact_loader = self._load_facts
        return doc

    def _load_facts(self, ids: list[str]) -> dict[str, Any]:
        facts = self.store.facts_by_ids(ids)
        if self.doc is not None:
            self.doc.flags.update(self._flagger()(list(facts.values())))
        return facts

    def set_doc(self, doc: Any) -> None:
        old = self.doc
        self.doc = doc
        self.undo_group.addStack(doc.undo)
        self.undo_group.setActiveStack(doc.undo)
        doc.modifiedChanged.connect(lambda _m: self._update_title())
        doc.pathChanged.connect(lambda _p: self._update_title())
        doc.changed.connect(self._doc_changed)
        doc.estimator = self._estimator()
        self.composer.set_doc(doc)
        self.preview.set_doc(doc, self.store)
        self.library.fact_model.set_in_briefing(set(doc.briefing.fact_ids()))
        self.composer.title_label.setText(f"<b>Briefing</b> \u2014 {html.escape(doc.display_name)}"
                                          + (f" <small>(template: {html.escape(doc.template)})</small>"
                                             if doc.template else ""))
        self.inspector.clear()
        if old is not None:
            self.undo_group.removeStack(old.undo)
            old.deleteLater()
        self._update_title()

    def _doc_changed(self, kind: str, _sec: int) -> None:
        if kind == "structure":
            self.library.fact_model.set_in_briefing(set(self.doc.briefing.fact_ids()))

    def _update_title(self) -> None:
        name = self.doc.display_name if self.doc is not None else "Briefer"
        self.setWindowTitle(f"{name}[*] \u2014 Briefer")
        self.setWindowModified(bool(self.doc is not None and self.doc.is_modified))

    def _preview_rendered(self, seconds: float) -> None:
        self.preview_label.setText(f"Preview {seconds * 1000:.0f} ms")
        self.previewUpdated.emit(seconds)

    def _refresh_preview(self, full: bool = True) -> None:
        if self.doc is not None:
            self.preview.refresh()

    # -- library ----------------------------------------------------------------------------

    def _submit_query(self, q: Any) -> None:
        if self.query_thread is not None:
            self.query_thread.submit(q)

    def _query_result(self, result: Any) -> None:
        self.library.show_result(result)

    def add_facts(self, ids: list[str]) -> list[str]:
        """Add facts (from the library) to the briefing, each into its own section."""
        from briefer.ui import undo_steps

        if self.doc is None or not ids:
            return []
        facts = self.store.facts_by_ids(ids)
        self.doc.add_known_facts(facts)
        self.doc.flags.update(self._flagger()(list(facts.values())))
        added = undo_steps.add_facts(self.doc, ids)
        skipped = len(ids) - len(added)
        if added:
            msg = f"Added {len(added)} fact{'s' if len(added) != 1 else ''} to the briefing"
            if skipped:
                msg += f" ({skipped} already in it)"
            self.show_status(msg)
            # show where the (last) fact went
            for si, sec in enumerate(self.doc.briefing.sections):
                for ri, item in enumerate(sec.items):
                    if item.kind == "fact" and item.fact_id == added[-1]:
                        self.composer.select(si, ri)
        else:
            self.show_status("Already in the briefing" if skipped else "Nothing to add")
        return added

    # -- inspector -----------------------------------------------------------------------------

    def _source(self, sid: str) -> Any:
        if sid not in self._sources_cache:
            try:
                self._sources_cache[sid] = self.store.source(sid)
            except KnownError:
                self._sources_cache[sid] = None
        return self._sources_cache[sid]

    def inspect_fact(self, fact_id: str) -> None:
        if not fact_id or self.store is None:
            return
        try:
            fact = self.store.fact(fact_id)
        except KnownError:
            if self.doc is not None and fact_id in self.doc.facts:
                fact = self.doc.facts[fact_id]
            else:
                self.inspector.clear()
                return
        sources = {c.source: self._source(c.source) for c in fact.citations}
        sources = {k: v for k, v in sources.items() if v is not None}
        where: list[str] = []
        override = None
        if self.doc is not None:
            for sec in self.doc.briefing.sections:
                for item in sec.items:
                    if item.kind == "fact" and item.fact_id == fact_id:
                        where.append(self.doc.section_title(sec))
                        override = item.override
        from briefer.ui.briefing_model import display_status

        flagger = self._flagger()
        status = display_status(fact, flagger([fact]).get(fact_id, set()))
        conflicts = list(flagger.conflicts.get(fact_id, []))
        stale = flagger.stale_label(fact) if status == "stale" else ""
        self.inspector.show_fact(fact, status=status, sources=sources, in_briefing=where, override=override,
                                 conflicts=conflicts, stale=stale,
                                 section_title=self._section_titles.get(fact.section, fact.section))
        self._load_usage(fact_id)

    def _load_usage(self, fact_id: str) -> None:
        """Which templates and editions use the fact: runs every template's selection, so off the GUI thread."""
        store_opener = self.store.reopen
        data_dir = self.data_dir

        def work(_report: Any) -> Any:
            from briefer.domain.usage import fact_usage

            st = store_opener()
            try:
                return fact_id, fact_usage(st, data_dir, fact_id)
            finally:
                st.close()

        task = Task(work)
        task.signals.finished.connect(self._usage_ready)
        task.signals.failed.connect(lambda _e, _t: None)
        self._usage_task = task
        start(task)

    def _usage_ready(self, result: Any) -> None:
        fact_id, usage = result
        if self.inspector.fact is None or self.inspector.fact.id != fact_id:
            return
        tpl = ", ".join(f"{html.escape(t.template)}{' (built-in)' if t.builtin else ''}"
                        for t in usage.templates if t.how != "named-but-not-selected")
        eds = ", ".join(f"{html.escape(e.template)} #{e.number} ({e.exported_on.isoformat()})" for e in usage.editions)
        self.inspector.set_usage(f"<p><b>Used by templates:</b> {tpl or 'none'}<br>"
                                 f"<b>In exported editions:</b> {eds or 'none yet'}</p>")

    def _inspect_current(self) -> None:
        if self.library.facts.hasFocus() and self.library.current_fact_id():
            self.inspect_fact(self.library.current_fact_id() or "")
        else:
            idx = self.composer.tree.currentIndex()
            from briefer.ui.briefing_model import OutlineModel

            fid = idx.data(OutlineModel.FactIdRole) if idx.isValid() else None
            if fid:
                self.inspect_fact(fid)
            elif self.library.current_fact_id():
                self.inspect_fact(self.library.current_fact_id() or "")
        self.inspector_dock.show()
        self.inspector_dock.raise_()

    def _footnote_clicked(self, fact_id: str, note: int) -> None:
        self.inspect_fact(fact_id)
        self.inspector_dock.show()
        self.inspector_dock.raise_()
        self.show_status(f"Note {note}: the source of fact {fact_id} is shown in the inspector")

    def _focus_outline(self) -> None:
        self.composer.tabs.setCurrentIndex(0)
        self.composer.tree.setFocus()

    # -- files --------------------------------------------------------------------------------------

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current briefing (saved, discarded, or unchanged)."""
        if self.doc is None or not self.doc.is_modified:
            return True
        answer = messages.save_changes(self, self.doc.display_name)
        if answer == messages.Answer.CANCEL:
            return False
        if answer == messages.Answer.YES:
            return self.save()
        return True

    def new_briefing(self) -> None:
        if not self.maybe_save():
            return
        self.set_doc(self._new_doc())
        self.show_status("New briefing: add facts from the library")

    def open_file(self) -> None:
        if not self.maybe_save():
            return
        start_dir = str(self.doc.path.parent) if self.doc is not None and self.doc.path else ""
        path = filedialogs.ask_open_path(self, "Open briefing", filedialogs.BRIEFING_FILTER, start_dir)
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> bool:
        from briefer.domain.briefing_file import check_briefing, read_briefing_file

        path = Path(path).expanduser()
        try:
            envelope = read_briefing_file(path)
            briefing, warnings = check_briefing(envelope, self.store)
        except KnownError as exc:
            self.show_known_error("Cannot open the briefing", exc)
            if str(path.resolve()) in ui_settings.recent_files() and not path.exists():
                ui_settings.remove_recent_file(str(path.resolve()))
            return False
        doc = self._new_doc(briefing, path=path, template=envelope.template,
                            budget=self._budget_for(envelope.template))
        self.set_doc(doc)
        ui_settings.add_recent_file(path)
        self.show_status(f"Opened {path}")
        if warnings:
            messages.info(self, "Opened with changes", "The store changed since this briefing was saved:\n\n\u2022 "
                          + "\n\u2022 ".join(warnings))
        return True

    def _budget_for(self, template_name: str | None) -> Any:
        from briefer.ui.briefing_model import Budget

        if not template_name:
            return None
        try:
            from briefer.domain.template_library import TemplateLibrary

            t = TemplateLibrary(self.data_dir).get(template_name)
        except (KnownError, ImportError):
            return None
        return Budget(t.length.target_words, t.length.target_pages)

    def save(self) -> bool:
        if self.doc is None:
            return False
        if self.doc.path is None:
            return self.save_as()
        return self._write(self.doc.path)

    def save_as(self) -> bool:
        if self.doc is None:
            return False
        suggested = str(self.doc.path) if self.doc.path else _safe_name(self.doc.briefing.cover.title) + BRIEFING_SUFFIX
        path = filedialogs.ask_save_path(self, "Save briefing as", filedialogs.BRIEFING_FILTER, suggested)
        if path is None:
            return False
        if not path.name.endswith(BRIEFING_SUFFIX):
            path = path.with_name(path.name.removesuffix(".json") + BRIEFING_SUFFIX)
        return self._write(path)

    def _write(self, path: Path) -> bool:
        from briefer.domain.briefing_file import save_briefing_file

        try:
            save_briefing_file(path, self.doc.briefing, template=self.doc.template, store=self.store)
        except KnownError as exc:
            self.show_known_error("Cannot save the briefing", exc)
            return False
        except OSError as exc:
            self.show_known_error("Cannot save the briefing", KnownError(f"cannot write {path}: {exc.strerror}"))
            return False
        self.doc.mark_saved(path)
        ui_settings.add_recent_file(path)
        self.composer.title_label.setText(f"<b>Briefing</b> \u2014 {html.escape(self.doc.display_name)}")
        self.show_status(f"Saved {path}")
        return True

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = ui_settings.recent_files()
        if not files:
            a = self.recent_menu.addAction("No recent briefings")
            a.setEnabled(False)
            return
        for n, f in enumerate(files, 1):
            label = f"&{n} {Path(f).name}" if n < 10 else Path(f).name
            a = self.recent_menu.addAction(label)
            a.setToolTip(f)
            a.setStatusTip(f)
            a.triggered.connect(lambda _c=False, f=f: self._open_recent(f))
        self.recent_menu.addSeparator()
        self.recent_menu.addAction("Clear the list").triggered.connect(ui_settings.clear_recent_files)

    def _open_recent(self, f: str) -> None:
        if not Path(f).exists():
            messages.error(self, "File not found", f"{f} no longer exists; it was removed from the recent list.")
            ui_settings.remove_recent_file(f)
            return
        if self.maybe_save():
            self.open_path(Path(f))

    # -- autosave and recovery ------------------------------------------------------------------

    def autosave(self) -> Path | None:
        if self.doc is None or not self.doc.is_modified:
            return None
        try:
            return recovery.write(self.session, self.data_dir, self.doc.briefing, original=self.doc.path,
                                  template=self.doc.template)
        except (KnownError, OSError) as exc:
            self.show_status(f"Autosave failed: {exc}")
            return None

    def offer_recovery(self) -> bool:
        found = recovery.orphans(self.data_dir)
        if not found:
            return False
        rec = found[0]
        what = f"\u201c{rec.title or 'Untitled'}\u201d" + (f" ({rec.original})" if rec.original else "")
        answer = messages.recover(self, f"Briefer did not close normally. Work on {what} was saved automatically "
                                        f"{recovery.age_text(rec)}.\n\nRecover it?")
        if answer == messages.Answer.CANCEL:
            return False
        if answer == messages.Answer.NO:
            for r in found:
                recovery.discard(r)
            return False
        from briefer.domain.briefing_file import load_briefing_file

        try:
            briefing, warnings = load_briefing_file(rec.path, self.store)
        except KnownError as exc:
            self.show_known_error("Cannot recover the briefing", exc)
            return False
        doc = self._new_doc(briefing, path=rec.original, template=rec.template,
                            budget=self._budget_for(rec.template))
        doc.mark_unsaved()
        self.set_doc(doc)
        recovery.discard(rec)
        self.show_status("Recovered the autosaved briefing: save it to keep it")
        return True

    # -- templates ------------------------------------------------------------------------------------

    def new_from_template(self) -> None:
        from briefer.ui.dialogs.templates import NewFromTemplateDialog

        if not self.maybe_save():
            return
        dlg = NewFromTemplateDialog(self.store, self.data_dir, today=self.today, parent=self)
        if dlg.exec() != NewFromTemplateDialog.DialogCode.Accepted or dlg.result_export is None:
            return
        self.start_from_template(dlg.result_export)

    def start_from_template(self, prepared: Any) -> None:
        from briefer.ui.briefing_model import Budget

        t = prepared.template
        doc = self._new_doc(prepared.briefing, template=t.name,
                            budget=Budget(t.length.target_words, t.length.target_pages))
        doc.mark_unsaved()
        self.set_doc(doc)
        msg = f"New briefing from template \u201c{t.name}\u201d: {len(prepared.briefing.fact_ids())} facts"
        if prepared.changes:
            msg += f"; {len(prepared.changes)} changes since the last edition"
        self.show_status(msg)
        if prepared.warnings:
            messages.info(self, "Template notes", "\u2022 " + "\n\u2022 ".join(prepared.warnings))

    def save_as_template(self) -> None:
        from briefer.ui.dialogs.templates import SaveTemplateDialog

        if self.doc is None:
            return
        dlg = SaveTemplateDialog(self.doc, self.data_dir, parent=self)
        if dlg.exec() == SaveTemplateDialog.DialogCode.Accepted and dlg.saved is not None:
            self.doc.template = dlg.saved.name
            self.doc.budget = self._budget_for(dlg.saved.name)
            self.composer._update_length()
            self.show_status(f"Saved template \u201c{dlg.saved.name}\u201d")

    def manage_templates(self) -> None:
        from briefer.ui.dialogs.templates import ManageTemplatesDialog

        ManageTemplatesDialog(self.store, self.data_dir, parent=self).exec()

    # -- export ------------------------------------------------------------------------------------------

    def export(self) -> None:
        from briefer.ui.dialogs.export import ExportDialog

        if self.doc is None:
            return
        dlg = ExportDialog(self.doc, self.store, today=self.today, parent=self)
        dlg.exec()
        if dlg.written is not None:
            self.show_status(f"Exported {dlg.written}")

    # -- curation (briefer.ui.curation) ---------------------------------------------------------------

    def _curation_dialog(self, name: str, *args: Any) -> None:
        from briefer.ui.prewarm import prewarm

        prewarm("store", "curation")
        try:
            import importlib

            module = importlib.import_module("briefer.ui.curation")
            cls = getattr(module, name)
        except (ImportError, AttributeError):
            messages.error(self, "Not available", "This part of Briefer is not available in this build.")
            return
        dlg = cls(self.store, *args, parent=self)
        if hasattr(dlg, "changed"):
            dlg.changed.connect(self.store_changed)
        dlg.exec()

    def import_sources(self) -> None:
        self._curation_dialog("ImportSourcesDialog")

    def new_fact(self) -> None:
        self._curation_dialog("FactEditorDialog", None)

    def edit_fact(self) -> None:
        fid = self.library.current_fact_id()
        if self.composer.tree.hasFocus():
            from briefer.ui.briefing_model import OutlineModel

            idx = self.composer.tree.currentIndex()
            fid = (idx.data(OutlineModel.FactIdRole) if idx.isValid() else None) or fid
        if not fid:
            messages.info(self, "Edit fact", "Select a fact in the library or the outline first.")
            return
        self._curation_dialog("FactEditorDialog", fid)

    def show_conflicts(self) -> None:
        self._curation_dialog("ConflictsDialog")

    def store_changed(self) -> None:
        """The store was edited (curation): refresh the library, the briefing's facts, the preview."""
        self._sources_cache.clear()
        data = {
            "store": self.store, "sections": self.store.sections(), "counts": self.store.section_counts(),
            "sources": self.store.sources(), "tags": self.store.tags(),
        }
        self._store_data = data
        self.library.set_store_data(data["sections"], data["counts"], data["sources"], data["tags"])
        self.library.requery()
        if self.doc is not None:
            facts = self.store.facts_by_ids(list(dict.fromkeys(self.doc.briefing.fact_ids())))
            self.doc.flags = self._flagger()(list(facts.values()))
            self.doc.refresh_facts(facts)
        if self.inspector.fact is not None:
            self.inspect_fact(self.inspector.fact.id)
        self._compute_conflicts()

    # -- help ---------------------------------------------------------------------------------------------

    def about(self) -> None:
        from briefer.ui.dialogs.about import AboutDialog

        AboutDialog(self).exec()

    def show_shortcuts(self) -> None:
        from briefer.ui.dialogs.about import ShortcutsDialog

        ShortcutsDialog(self).exec()

    # -- messages and errors ------------------------------------------------------------------------------

    def show_status(self, text: str, timeout: int = 8000) -> None:
        self.status_label.setText(text)
        self.statusBar().showMessage("", 1)
        _ = timeout

    def show_known_error(self, title: str, exc: BaseException) -> None:
        messages.error(self, title, str(exc), _advice(exc))

    def handle_exception(self, exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
        """sys.excepthook while the window runs: known errors become a dialog; anything else is
        autosaved first, then shown in the crash dialog.  The window keeps running."""
        if isinstance(exc, KnownError):
            self.show_known_error("Briefer", exc)
            return

        import traceback

        details = "".join(traceback.format_exception(exc_type, exc, tb))
        self.show_crash(exc, details)

    def show_crash(self, exc: BaseException, details: str) -> None:
        saved = None
        with contextlib.suppress(Exception):
            saved = self.autosave()
        from briefer.ui.dialogs.crash import CrashDialog

        CrashDialog(exc, details, saved, parent=self).exec()

    # -- closing --------------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self.save_settings()
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        self._closing = True
        self.autosave_timer.stop()
        if self._built:
            self.preview.detach()
        if self.query_thread is not None:
            self.query_thread.stop()
            self.query_thread = None
        recovery.end_session(self.session, self.data_dir)
        from PySide6.QtCore import QThreadPool

        # no timeout: a pool thread still running when the process exits aborts it ("QThread:
        # Destroyed while thread is still running"), and every task here ends by itself
        QThreadPool.globalInstance().waitForDone()
        from PySide6.QtCore import QCoreApplication

        # deliver what the tasks emitted while we waited, so late results see _closing now
        QCoreApplication.sendPostedEvents()
        if self.store is not None:
            self.store.close()
            self.store = None


def _safe_name(title: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in " -_" else " " for ch in title).strip()
    return "-".join(keep.split())[:60] or "briefing"


def _advice(exc: BaseException) -> str:
    from briefer.errors import SchemaTooNewError, StoreError

    if isinstance(exc, SchemaTooNewError):
        return "Install the newer version of Briefer to open it."
    if isinstance(exc, StoreError):
        return "Nothing was changed. Close other programs using the store, or restore it from a backup."
    text = str(exc)
    if "permission denied" in text or "locked" in text:
        return "Choose another folder, or close the program that holds the file, then try again."
    if "not a" in text or "not valid" in text or "JSON" in text:
        return "The file was left as it is. Check that it is a Briefer file and not damaged."
    return "Nothing was lost: your briefing is still open."


def open_in_desktop(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


