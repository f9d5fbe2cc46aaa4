"""The main window: library | composer | preview and the inspector dock, laid out and wired.

The window builds the panes and connects them (:meth:`MainWindow._connect_signals`); its
parts do the work: :mod:`briefer.ui.window_actions` (actions, menus, toolbar),
:mod:`briefer.ui.file_controller` (open, save, recovery, templates, export) and
:mod:`briefer.ui.store_session` (the store, the library's queries, the fact flags).  Dialogs get
a :class:`~briefer.ui.context.WindowContext`, not the window.  Nothing heavy is imported before
the window has painted: the store opens in a worker, then the panes fill.
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QUndoGroup
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from briefer.errors import KnownError
from briefer.ui import recovery
from briefer.ui import settings as ui_settings
from briefer.ui.file_controller import BRIEFING_SUFFIX, FileController, safe_name
from briefer.ui.inspection import Curation, Inspection
from briefer.ui.labels import escape
from briefer.ui.store_session import StoreSession, load_store_data
from briefer.ui.window_size import default_split, first_size

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu, QToolBar

    from briefer.ui.context import WindowContext
    from briefer.ui.panes.composer import ComposerPane
    from briefer.ui.panes.inspector import InspectorPane
    from briefer.ui.panes.library import LibraryPane
    from briefer.ui.panes.preview import PreviewPane
    from briefer.ui.window_actions import WindowActions

__all__ = ["BRIEFING_SUFFIX", "MainWindow", "load_store_data", "open_in_desktop", "safe_name"]

#: kept for callers of the old name
_safe_name = safe_name


class _Shell(QWidget):
    """What the window shows for the moment before its panes are built: the pane titles (the three, then
    the briefing's and the preview's beside the library until the library is filled)."""

    def __init__(self, titles: tuple[str, ...] = ("Library", "Briefing", "Preview")) -> None:
        super().__init__()
        from PySide6.QtWidgets import QHBoxLayout

        from briefer.ui.labels import plain_label, title_label

        lay = QHBoxLayout(self)
        for title in titles:
            column = QVBoxLayout()
            heading = title_label(title)
            column.addWidget(heading)
            column.addSpacing(heading.fontMetrics().lineSpacing())
            column.addWidget(plain_label("Loading\u2026"))
            column.addStretch(1)
            lay.addLayout(column, 1)


class MainWindow(QMainWindow):
    #: emitted once the store is open and the panes are filled (tests and the benchmark wait for it)
    ready = Signal()
    #: emitted before ``ready``, once the library lists the store's facts and takes a search (what a
    #: user waits for at the start: the benchmark measures it); the briefing and the preview follow
    libraryFilled = Signal()
    #: emitted when the preview has been refreshed
    previewUpdated = Signal(float)
    #: emitted when the open conflicts between sources have been counted (number of conflicts)
    conflictsUpdated = Signal(int)

    library: LibraryPane
    composer: ComposerPane
    preview: PreviewPane
    inspector: InspectorPane
    action_set: WindowActions

    def __init__(self, data_dir: Path, *, file: Path | None = None, today: date | None = None) -> None:
        super().__init__()
        from briefer.ui import collector

        collector.install()  # the window starts workers: cycles must be collected on this thread
        self.data_dir = Path(data_dir)
        self.initial_file = file
        self.today = today
        self.store: Any = None
        #: the role in a team library and what it may do (briefer.model.permissions; None: a local store)
        self.permissions: Any = None
        self.doc: Any = None
        self.query_thread: Any = None
        #: the recovery session (autosave file names)
        self.session = recovery.new_session()
        self.files = FileController(self)
        self.store_session = StoreSession(self)
        self.inspection = Inspection(self)
        self.curation = Curation(self)
        from briefer.ui.connection_watch import ConnectionWatch
        from briefer.ui.live_updates import LiveUpdates

        #: a team library's live updates, and the window's state when its server goes away (made before
        #: the window shows: bars made later, after the show, left the offscreen window inactive)
        self.live = LiveUpdates(self)
        self.connection = ConnectionWatch(self)
        self._closing = False
        self._shown_once = False
        #: the main splitter has the user's sizes (dragged, or restored from the settings): a resize keeps
        #: them; until then it takes the default split for the window's width (:func:`default_split`)
        self._own_split = False
        self._start_pending = False
        self.undo_group = QUndoGroup(self)

        #: the library pane, actions and menus made (build_library); all the panes made (build)
        self._library_built = False
        self._built = False
        #: facts the library asked to add before the briefing existed (between the list being filled and
        #: the other panes being made): added once it does, never dropped
        self._early_adds: list[str] = []
        self.setObjectName("MainWindow")
        self.status_label = QLabel("Opening the fact store\u2026")
        self.statusBar().addWidget(self.status_label, 1)
        self.preview_label = QLabel("")
        self.preview_label.setToolTip("How long the last preview refresh took")
        self.statusBar().addPermanentWidget(self.preview_label)
        self.setCentralWidget(_Shell())
        from briefer.ui.window_actions import reserve_bars

        #: the menus and the toolbar made empty, their room kept (the actions fill them in build_library)
        self.bar_menus: dict[str, QMenu] = {}
        self.main_toolbar: QToolBar | None = None
        reserve_bars(self)
        self.setWindowTitle("Briefer")
        geometry = ui_settings.settings().value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            first_size(self)
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(recovery.AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.files.autosave)
        # the file and store operations, under the names the window has always had
        f, s = self.files, self.store_session
        self.open_path, self.save, self.save_as, self.autosave = f.open_path, f.save, f.save_as, f.autosave
        self.maybe_save, self.start_from_template, self.export = f.maybe_save, f.start_from_template, f.export
        self._fill_recent_menu, self._open_recent = f.fill_recent_menu, f.open_recent
        self.start, self.store_changed = s.start, s.store_changed
        self.apply_preferences, self.say_preference_notices = s.apply_preferences, s.say_preference_notices
        self.inspect_fact = self.inspection.inspect_fact

    def build(self) -> None:
        """Create the panes, actions and menus: all of them (:meth:`build_library`, then the rest).  Run
        after the first paint (the window shows its shell at once), or by :meth:`start`."""
        self.build_library()
        if self._built:
            return
        self._built = True
        from briefer.ui.panes.composer import ComposerPane
        from briefer.ui.panes.inspector import InspectorPane
        from briefer.ui.panes.preview import PreviewPane

        self.composer = ComposerPane()
        self.preview = PreviewPane()
        self.preview.today = self.today
        self.inspector = InspectorPane()
        # in the places the shell kept for them, at the sizes the splitter gave those
        sizes = self.splitter.sizes()
        for i, pane in ((1, self.composer), (2, self.preview)):
            old = self.splitter.replaceWidget(i, pane)
            if old is not None:
                old.deleteLater()
        self.splitter.setSizes(sizes)
        old = self.inspector_dock.widget()
        self.inspector_dock.setWidget(self.inspector)
        if old is not None:
            old.deleteLater()
        self.live.attach()
        self.action_set.add_pane_actions()
        self._connect_signals()
        self.set_enabled(False)
        self._place_dock()
        self._restore_settings()
        self._dock_moved(None)
        self._update_title()
        if self.isVisible():
            QTimer.singleShot(0, self._restore_splitters)

    def build_library(self) -> None:
        """Create the library pane, the actions, the menus and the toolbar, with the shell's columns
        holding the places of the briefing and the preview and an empty inspector dock: what a start
        shows until the library is filled (the store session then calls :meth:`build`).  The window's
        layout is already the final one, so nothing moves when the other panes arrive."""
        if self._library_built:
            return
        self._library_built = True
        from briefer.ui.panes.library import LibraryPane
        from briefer.ui.window_actions import WindowActions

        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)
        self.library = LibraryPane()

        self.splitter = QSplitter()  # (horizontal: naming Qt.Orientation would build Qt's namespace)
        self.splitter.setObjectName("MainSplit")
        self.splitter.addWidget(self.library)
        for title in ("Briefing", "Preview"):
            self.splitter.addWidget(_Shell((title,)))
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes(default_split(max(900, self.width())))
        self.splitter.splitterMoved.connect(self._split_moved)
        old = self.centralWidget()
        self.setCentralWidget(self.splitter)
        if old is not None:
            old.deleteLater()
        self.connection.attach()

        self.inspector_dock = QDockWidget("Inspector", self)
        self.inspector_dock.setObjectName("InspectorDock")
        self.inspector_dock.setWidget(QWidget())
        self.inspector_dock.setAccessibleName("Inspector")
        #: the inspector's place below the panes until the dock is placed there (_keep_dock_room)
        self._dock_room: QWidget | None = None
        # a slot that takes none of the signal's arguments: the binding then converts none (the area is a
        # Qt namespace enum, which is not built before the library is filled, see briefer.ui.qt_names; a
        # slot taking it failed when restoreState moved the dock at the start after the first)
        self.inspector_dock.dockLocationChanged.connect(self._dock_place_changed)
        self.inspector_dock.topLevelChanged.connect(self._dock_place_changed)

        self.action_set = WindowActions(self)
        for name, action in self.action_set.named().items():  # window.save_action, …
            setattr(self, name, action)
        self.recent_menu = self.action_set.build_menus()
        # the library's search runs as soon as the list is filled, and what it asks works from then on
        self.library.queryChanged.connect(self.store_session.submit_query)
        self.library.addRequested.connect(self._add_requested)
        self.library.factSelected.connect(self._fact_selected)
        self.action_set.set_enabled(False)
        self.library.setEnabled(False)
        if not self._restore_settings():  # a saved layout places the dock where the user left it
            self._keep_dock_room()

    def _keep_dock_room(self) -> None:
        """The inspector's room at its first height, kept below the panes by a placeholder until the dock
        goes there (:meth:`_place_dock`, once the library is filled): ``addDockWidget`` takes a member of
        Qt's namespace, whose ~95 enums the binding would build on the way to the filled library."""
        self.inspector_dock.hide()
        self.inspector_dock.toggleViewAction().setEnabled(False)
        room = self._dock_room = _Shell(("Inspector",))
        room.setFixedHeight(self.default_inspector_height())
        self._central_column().addWidget(room)

    def _central_column(self) -> QVBoxLayout:
        """The column that holds the bars above the panes, the panes and, at first, the inspector's room
        (briefer.ui.connection_watch.ConnectionWatch.attach makes it)."""
        central = self.centralWidget()
        column = central.layout() if central is not None else None
        if not isinstance(column, QVBoxLayout):
            raise RuntimeError("the window's central widget has lost its column")
        return column

    def _place_dock(self) -> None:
        """The inspector dock below the panes, in the room kept for it: the panes keep their height."""
        room, self._dock_room = self._dock_room, None
        if room is None:
            return
        from PySide6.QtCore import Qt

        before = self.splitter.height()
        self._central_column().removeWidget(room)
        room.hide()
        room.deleteLater()
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.inspector_dock)
        self.inspector_dock.toggleViewAction().setEnabled(True)
        self.inspector_dock.show()
        self.resizeDocks([self.inspector_dock], [self.default_inspector_height()], Qt.Orientation.Vertical)
        layout = self.layout()
        if layout is not None:
            layout.activate()
        # the dock's separator takes a few pixels more than the room did: the dock gives them back
        moved = self.splitter.height() - before
        if moved and self.isVisible():
            self.resizeDocks([self.inspector_dock], [self.inspector_dock.height() + moved], Qt.Orientation.Vertical)

    def _add_requested(self, ids: list[str]) -> None:
        """The library's "add to briefing" (Enter, a double-click, Add all shown): into the briefing, or
        kept until the briefing exists when the list was filled before it (see :meth:`take_early_acts`)."""
        if self._built and self.doc is not None:
            self.add_facts(ids)
        else:
            from briefer.domain.typography import count

            self._early_adds.extend(ids)
            self.show_status(f"{count(len(self._early_adds), 'fact')} will be added as soon as the briefing opens")

    def _fact_selected(self, fact_id: str) -> None:
        if self._built:  # else the inspector shows the library's current fact once it exists
            self.inspect_fact(fact_id)

    def take_early_acts(self) -> None:
        """Once the briefing exists: add what the library asked for before it did, and show the fact then
        selected in the inspector."""
        ids, self._early_adds = list(dict.fromkeys(self._early_adds)), []
        if ids and self.doc is not None:
            self.add_facts(ids)
        current = self.library.current_fact_id()
        if current:
            self.inspect_fact(current)

    def _connect_signals(self) -> None:
        self.composer.itemSelected.connect(lambda fid: self.inspect_fact(fid) if fid else None)
        self.composer.statusMessage.connect(self.show_status)
        self.composer.first_start.template_button.clicked.connect(self.action_set.new_from_template_action.trigger)
        self.composer.first_start.empty_button.clicked.connect(self._start_empty)
        self.composer.first_start.sectionsChosen.connect(self.files.start_from_sections)
        self.composer.first_start.factsDropped.connect(self.add_facts)
        self.composer.first_start.reopenChosen.connect(self.files.open_recent)
        self.preview.footnoteClicked.connect(self.inspection.footnote_clicked)
        self.preview.rendered.connect(self._preview_rendered)
        self.preview.storeUnreachable.connect(self.connection.lost)

    def set_enabled(self, on: bool) -> None:
        self.action_set.set_enabled(on)
        self.library.setEnabled(on)
        if self._built:
            self.composer.setEnabled(on)

    def context(self) -> WindowContext:
        """What a dialog may use of the window."""
        from briefer.ui.context import WindowContext

        return WindowContext(store=self.store, data_dir=self.data_dir, today=self.today,
                             horizon_months=self.store_session.flagger().horizon, show_crash=self.show_crash,
                             store_changed=self.store_changed)

    # -- settings and start-up --------------------------------------------------------------

    def _dock_place_changed(self) -> None:
        self._dock_moved(None)

    def _dock_moved(self, _area: Any) -> None:
        if not self._built:  # the inspector is made once the library is filled (then told where it is)
            return
        from PySide6.QtCore import Qt

        area = self.dockWidgetArea(self.inspector_dock)
        wide = not self.inspector_dock.isFloating() and area in (Qt.DockWidgetArea.BottomDockWidgetArea,
                                                                  Qt.DockWidgetArea.TopDockWidgetArea)
        self.inspector.set_wide(wide)

    def _restore_settings(self) -> bool:
        """The toolbars and the dock as the user left them; False when no saved layout was restored (the
        dock then goes below the panes at its first height: :meth:`_place_dock`)."""
        state = ui_settings.settings().value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            return bool(self.restoreState(state))  # the dock's size is set again once shown (below)
        return False

    def default_inspector_height(self) -> int:
        """The inspector's first height: a fifth of the window, 200 px at most, so the library's list gets
        the room (issue 14: at 1440×900 it showed six rows); the user's own size is remembered."""
        return max(self.inspector_dock.minimumSizeHint().height(), min(200, self.height() // 5))

    def _splitters(self) -> tuple[tuple[str, QSplitter], ...]:
        return (("main", self.splitter), ("library", self.library.split), ("composer", self.composer.split),
                ("inspector", self.inspector.split))

    def _restore_splitters(self) -> None:
        # after the window has its real size: restored earlier, the panes would be scaled to it
        self._shown_once = True
        s = ui_settings.settings()
        # restored before the window had its size, the dock was scaled with it (the inspector grew to half
        # the window): restore the state again now, so the user's sizes come back as they were
        state = s.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        for key, split in self._splitters():
            value = s.value(f"splitters/{key}")
            if isinstance(value, QByteArray) and not value.isEmpty():
                split.restoreState(value)
                self._own_split = self._own_split or split is self.splitter
        if not self._own_split:
            self.splitter.setSizes(default_split(self.splitter.width()))

    def _split_moved(self, _pos: int, _index: int) -> None:
        self._own_split = True

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self._library_built and not self._own_split:
            self.splitter.setSizes(default_split(self.splitter.width()))

    def start_after_first_paint(self) -> None:
        """Open the store once the window has been painted, so it shows at once."""
        self._start_pending = True

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self._start_pending:
            self._start_pending = False
            # the shell is on screen: build the panes, let them paint, then open the store
            QTimer.singleShot(0, self._build_then_start if not self._library_built else self.start)

    def _build_then_start(self) -> None:
        self.build_library()
        self._start_pending = True
        self.update()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
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
        for key, split in self._splitters():
            s.setValue(f"splitters/{key}", split.saveState())
        s.sync()

    # -- the document ---------------------------------------------------------------------

    def set_doc(self, doc: Any) -> None:
        old = self.doc
        self.doc = doc
        self.undo_group.addStack(doc.undo)
        self.undo_group.setActiveStack(doc.undo)
        doc.modifiedChanged.connect(lambda _m: self._update_title())
        doc.pathChanged.connect(lambda _p: self._update_title())
        doc.changed.connect(self._doc_changed)
        doc.estimator = self.store_session.estimator()
        self.composer.set_doc(doc)
        self.composer.first_start.offer_reopen(self.files.reopen_offer())  # a start lands here: the last file
        self.preview.set_doc(doc, self.store)
        self.library.fact_model.set_in_briefing(set(doc.briefing.fact_ids()))
        self.show_doc_title()
        self.inspector.clear()
        self.live.bar.hide()  # the marks of a colleague's changes belong to the briefing they were made in
        if old is not None:
            self.undo_group.removeStack(old.undo)
            old.deleteLater()
        self._update_title()

    def show_doc_title(self) -> None:
        """The composer's heading: the briefing's name and the template it is linked to (by id, so it
        shows the template's current name)."""
        doc = self.doc
        if doc is None:
            return
        link = ""
        if doc.template and doc.template_missing:
            link = f" <small>(template \u201c{escape(doc.template)}\u201d is no longer in the library)</small>"
        elif doc.template:
            link = f" <small>(template: {escape(doc.template)})</small>"
        self.composer.title_label.setText(f"<b>Briefing</b> \u2014 {escape(doc.display_name)}{link}")

    def _doc_changed(self, kind: str, _sec: int) -> None:
        if kind == "structure":
            self.library.fact_model.set_in_briefing(set(self.doc.briefing.fact_ids()))
        if kind in ("structure", "section"):
            self.inspection.briefing_changed()

    def _update_title(self) -> None:
        name = self.doc.display_name if self.doc is not None else "Briefer"
        self.setWindowTitle(f"{name}[*] \u2014 Briefer")
        self.setWindowModified(bool(self.doc is not None and self.doc.is_modified))

    def _preview_rendered(self, seconds: float) -> None:
        self.preview_label.setText(f"Preview {seconds * 1000:.0f} ms")
        self.previewUpdated.emit(seconds)

    def _start_empty(self) -> None:
        self.composer.dismiss_first_start()
        self.library.focus_search()

    def add_facts(self, ids: list[str]) -> list[str]:
        """Add facts (from the library) to the briefing, each into its own section."""
        from briefer.ui import undo_steps

        if self.doc is None or not ids:
            return []
        facts = self.store.facts_by_ids(ids)
        self.doc.add_known_facts(facts)
        self.doc.flags.update(self.store_session.flagger()(list(facts.values())))
        added = undo_steps.add_facts(self.doc, ids)
        skipped = len(ids) - len(added)
        if not added:
            self.show_status("Already in the briefing" if skipped else "Nothing to add")
            return added
        self.show_status(f"Added {len(added)} fact{'s' if len(added) != 1 else ''} to the briefing"
                         + (f" ({skipped} already in it)" if skipped else ""))
        for si, sec in enumerate(self.doc.briefing.sections):  # show where the (last) fact went
            for ri, item in enumerate(sec.items):
                if item.kind == "fact" and item.fact_id == added[-1]:
                    self.composer.select(si, ri)
        return added

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
        """A fault of the input or the environment: its sentence, and the advice its class carries."""
        from briefer.errors import KnownError, advice_for

        if self.connection.handles(exc):  # the team library's server went away: a bar, not a message
            return
        from briefer.ui import messages

        advice = advice_for(exc)
        if advice == KnownError.advice and (self.doc is None or self.doc.path is None and not self.doc.is_modified):
            advice = "Nothing was changed."  # not "your briefing is still open" where none is (a start-up file)
        messages.error(self, title, str(exc), advice)

    def handle_exception(self, exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
        """sys.excepthook while the window runs: known errors become a dialog; anything else (a
        BugError) is autosaved first, then shown in the crash dialog.  The window keeps running."""
        if isinstance(exc, KnownError):
            self.show_known_error("Briefer", exc)
            return
        import traceback

        self.show_crash(exc, "".join(traceback.format_exception(exc_type, exc, tb)))

    def show_crash(self, exc: BaseException, details: str) -> None:
        saved = None
        with contextlib.suppress(Exception):
            saved = self.files.autosave()
        from briefer.ui.dialogs.crash import CrashDialog

        CrashDialog(exc, details, saved, parent=self).exec()

    # -- closing --------------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if not self.files.maybe_save():
            event.ignore()
            return
        self.save_settings()
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        self._closing = True
        self.autosave_timer.stop()
        self.live.stop()
        if self._built:
            self.preview.detach()
        if self.query_thread is not None:
            self.query_thread.stop()
            self.query_thread = None
        recovery.end_session(self.session, self.data_dir)
        from PySide6.QtCore import QCoreApplication, QThreadPool

        # no timeout: a pool thread still running when the process exits aborts it ("QThread:
        # Destroyed while thread is still running"), and every task here ends by itself
        QThreadPool.globalInstance().waitForDone()
        # deliver what the tasks emitted while we waited, so late results see _closing now
        QCoreApplication.sendPostedEvents()
        if self.store is not None:
            self.store.close()
            self.store = None


def open_in_desktop(path: Path) -> bool:
    from PySide6.QtCore import QUrl  # here: its enums are not needed to start the window

    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
