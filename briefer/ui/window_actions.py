"""The main window's actions, menus and toolbar.

:class:`WindowActions` creates every action (text, icon, shortcut, tip) and connects it to the
window's controllers; :meth:`WindowActions.build_menus` lays them out in the menu bar and the
toolbar.  The actions are also reachable as ``window.<name>_action``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from briefer.ui.qt_names import set_enum

if TYPE_CHECKING:
    from briefer.ui.mainwindow import MainWindow


#: the menu bar's menus, in order: made before the window's first paint (:func:`reserve_bars`), filled by
#: :meth:`WindowActions.build_menus`
MENU_TITLES = ("&File", "&Edit", "F&acts", "&View", "&Help")
#: the toolbar's icon size
TOOLBAR_ICON = 20


def reserve_bars(w: MainWindow) -> None:
    """The menu bar with its menus (empty) and the toolbar at the height its buttons will give it, before the
    window's first paint: the panes do not move down when the actions arrive after it (build_menus fills
    both).  Nothing here needs an icon or Qt's enums; the toolbar's height is taken from one blank button
    of the real icon size, which is then removed."""
    from PySide6.QtGui import QIcon, QPixmap

    mb = w.menuBar()
    w.bar_menus = {title: mb.addMenu(title) for title in MENU_TITLES}
    tb = w.addToolBar("Main")
    tb.setObjectName("MainToolbar")
    tb.setIconSize(QSize(TOOLBAR_ICON, TOOLBAR_ICON))
    blank = QPixmap(TOOLBAR_ICON, TOOLBAR_ICON)
    blank.fill()
    room = tb.addAction(QIcon(blank), "")
    tb.setMinimumHeight(tb.sizeHint().height())
    tb.removeAction(room)
    w.main_toolbar = tb


class WindowActions:
    """Every action of the window.  Shortcuts go through ``setShortcuts([...])`` and styles through
    :func:`~briefer.ui.qt_names.set_enum`: ``setShortcut``'s overloads and the toolbar's style enums
    would build Qt's namespace on the way to the filled library."""

    def __init__(self, window: MainWindow) -> None:
        from briefer.ui import icons

        self.w = w = window
        files, SK = w.files, QKeySequence.StandardKey  # noqa: N806
        act = self._action
        self.new_action = act("&New briefing", "new", SK.New, "Start an empty briefing", files.new_briefing)
        self.new_from_template_action = act("New from &template\u2026", "template", "Ctrl+Shift+N",
                                            "Start a briefing from a built-in or saved template",
                                            files.new_from_template)
        self.open_action = act("&Open\u2026", "open", SK.Open, "Open a briefing file", files.open_file)
        self.save_action = act("&Save", "save", SK.Save, "Save the briefing", files.save)
        self.save_as_action = act("Save &as\u2026", "save-as", SK.SaveAs, "Save the briefing under a new name",
                                  files.save_as)
        if not QKeySequence(SK.SaveAs).toString():
            self.save_as_action.setShortcuts([QKeySequence("Ctrl+Shift+S")])
        self.export_action = act("&Export\u2026", "export", "Ctrl+E",
                                 "Export the briefing to Word, PDF, Markdown or HTML", files.export)
        self.save_template_action = act("Save as temp&late\u2026", "template", None,
                                        "Save this briefing's shape as a reusable template", files.save_as_template)
        self.manage_templates_action = act("&Manage templates\u2026", "template", None,
                                           "Rename, duplicate, delete, import and export templates",
                                           files.manage_templates)
        self.import_action = act("&Import sources\u2026", "import", None, "Bring new documents into the store",
                                 w.curation.import_sources)
        self.quit_action = act("&Quit", "quit", SK.Quit, "Close Briefer", w.close)
        if not QKeySequence(SK.Quit).toString():
            self.quit_action.setShortcuts([QKeySequence("Ctrl+Q")])
        self.undo_action = w.undo_group.createUndoAction(w, "&Undo")
        self.undo_action.setIcon(icons.icon("undo"))
        self.undo_action.setShortcuts([QKeySequence(SK.Undo)])
        self.redo_action = w.undo_group.createRedoAction(w, "&Redo")
        self.redo_action.setIcon(icons.icon("redo"))
        self.redo_action.setShortcuts(QKeySequence.keyBindings(SK.Redo) or [QKeySequence("Ctrl+Shift+Z")])
        # the status bar says what was undone or redone (it kept saying "Wording changed…" after an undo)
        self.undo_action.triggered.connect(lambda: self._say_step(w, "Undone", 0))
        self.redo_action.triggered.connect(lambda: self._say_step(w, "Redone", -1))
        self.find_action = act("&Find facts", "search", SK.Find, "Search the library (Ctrl+F)",
                               w.library.focus_search)
        self.add_action = act("&Add to briefing", "add", None, "Add the facts selected in the library to the briefing",
                              lambda: w.add_facts(w.library.selected_fact_ids()))
        from briefer.ui.panes.library import ADD_ALL_SHORTCUT

        self.add_all_shown_action = act("Add all &shown", "add", ADD_ALL_SHORTCUT,
                                        "Add every fact the library list shows to the briefing",
                                        lambda: w.add_facts(w.library.shown_fact_ids()))
        self.inspect_action = act("&Inspect fact", "inspector", "Ctrl+I",
                                  "Show the selected fact's sources and where it is used", w.inspection.inspect_current)
        self.new_fact_action = act("&New fact\u2026", "add", None, "Add a fact to the store", w.curation.new_fact)
        self.edit_fact_action = act("&Edit fact\u2026", "rename", None,
                                    "Edit the selected fact in the store (all briefings see it)", w.curation.edit_fact)
        self.conflicts_action = act("&Conflicts\u2026", "conflicts", None, "Facts whose sources disagree",
                                    w.curation.show_conflicts)
        self.refresh_action = act("&Refresh preview", None, SK.Refresh, "Render the preview again",
                                  lambda: w.preview.refresh() if w.doc is not None else None)
        if not QKeySequence(SK.Refresh).toString():
            self.refresh_action.setShortcuts([QKeySequence("F5")])
        self.focus_library_action = act("Go to &library", None, "Ctrl+1", "Move the focus to the library",
                                        lambda: w.library.facts.setFocus())
        self.focus_outline_action = act("Go to &outline", None, "Ctrl+2", "Move the focus to the outline",
                                        w.inspection.focus_outline)
        self.focus_preview_action = act("Go to &preview", None, "Ctrl+3", "Move the focus to the preview",
                                        lambda: w.preview.browser.setFocus())
        self.preferences_action = act("&Preferences\u2026", "preferences", SK.Preferences,
                                      "Your name, the freshness horizon, export defaults", self.show_preferences)
        if not QKeySequence(SK.Preferences).toString():  # no platform binding (Linux, Windows)
            self.preferences_action.setShortcuts([QKeySequence("Ctrl+,")])
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)  # macOS: the application menu
        self.about_action = act("&About Briefer", "about", None, "Version and licences", w.about)
        self.shortcuts_action = act("&Keyboard shortcuts", None, SK.HelpContents, "Every shortcut of the window",
                                    w.show_shortcuts)
        for a in (self.new_action, self.new_from_template_action, self.open_action, self.save_action,
                  self.save_as_action, self.export_action, self.quit_action, self.undo_action, self.redo_action,
                  self.find_action, self.add_all_shown_action, self.inspect_action, self.refresh_action,
                  self.focus_library_action, self.focus_outline_action, self.focus_preview_action,
                  self.shortcuts_action, self.preferences_action):
            w.addAction(a)
        # curation dialogs arrive in briefer.ui.curation; without it the actions say so
        self.curation = importlib.util.find_spec("briefer.ui.curation") is not None
        if not self.curation:
            for a in self._curation_actions():
                a.setEnabled(False)
                a.setToolTip("not available in this build")
                a.setStatusTip("not available in this build")
        self.recent_menu: QMenu | None = None

    def _action(self, text: str, icon: str | None = None, shortcut: Any = None, tip: str = "",
                slot: Callable[..., Any] | None = None) -> QAction:
        from briefer.ui import icons

        a = QAction(icons.icon(icon) if icon else icons.icon("__none__"), text, self.w)
        if shortcut is not None:
            if isinstance(shortcut, list):
                a.setShortcuts(shortcut)
            else:
                a.setShortcuts([QKeySequence(shortcut)])
        if tip:
            a.setToolTip(tip)
            a.setStatusTip(tip)
        if slot is not None:
            a.triggered.connect(slot)
        return a

    def show_preferences(self) -> None:
        from briefer.ui.dialogs.preferences import show_preferences

        show_preferences(self.w)

    def _curation_actions(self) -> tuple[QAction, ...]:
        return (self.import_action, self.new_fact_action, self.edit_fact_action, self.conflicts_action)

    def named(self) -> dict[str, QAction]:
        """Every action by its attribute name (``save_action``…)."""
        return {k: v for k, v in vars(self).items() if k.endswith("_action") and isinstance(v, QAction)}

    def set_enabled(self, on: bool) -> None:
        """Before the store is open only Quit, Help and the view actions work."""
        for a in (self.new_action, self.new_from_template_action, self.open_action, self.save_action,
                  self.save_as_action, self.export_action, self.save_template_action, self.manage_templates_action,
                  self.add_action, self.add_all_shown_action, self.preferences_action):
            a.setEnabled(on)
        for a in self._curation_actions():
            a.setEnabled(on and self.curation)
        if on:
            self.apply_role()

    def apply_role(self) -> None:
        """Grey out what the role in the team library may not do, saying why (a local store: nothing)."""
        from briefer.ui import role_gates

        perms = role_gates.of_window(self.w)
        for action, capability in ((self.new_fact_action, "can_edit"), (self.edit_fact_action, "can_edit"),
                                   (self.import_action, "can_import")):
            role_gates.gate(action, perms, capability)

    def add_pane_actions(self) -> None:
        """The composer's actions in the Edit menu (made after the menus: the composer is made once the
        library is filled)."""
        c = self.w.composer
        self._edit_menu.insertActions(self._before_preferences, [c.edit_action, c.revert_action, c.up_action,
                                                                  c.down_action, c.paragraph_action, c.remove_action])

    def build_menus(self) -> QMenu:
        """The menu bar and the toolbar; returns the Open recent menu (filled when it is shown)."""
        from briefer.ui import icons

        w = self.w
        mb = w.menuBar()
        menus = w.bar_menus or {title: mb.addMenu(title) for title in MENU_TITLES}
        file_menu = menus["&File"]
        file_menu.addActions([self.new_action, self.new_from_template_action, self.open_action])
        recent = file_menu.addMenu(icons.icon("open"), "Open &recent")
        recent.aboutToShow.connect(w.files.fill_recent_menu)
        self.recent_menu = recent
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

        edit_menu = menus["&Edit"]
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addSeparator()
        # the composer's own actions go here once it is made (add_pane_actions)
        self._edit_menu, self._before_preferences = edit_menu, edit_menu.addSeparator()
        edit_menu.addAction(self.preferences_action)  # Linux and Windows: Edit ▸ Preferences (macOS moves it)

        facts_menu = menus["F&acts"]
        facts_menu.addActions([self.add_action, self.add_all_shown_action, self.inspect_action])
        facts_menu.addSeparator()
        facts_menu.addActions([self.new_fact_action, self.edit_fact_action, self.conflicts_action])

        view_menu = menus["&View"]
        view_menu.addAction(w.inspector_dock.toggleViewAction())
        w.inspector_dock.toggleViewAction().setShortcuts([QKeySequence("Ctrl+Shift+I")])
        view_menu.addActions([self.focus_library_action, self.focus_outline_action, self.focus_preview_action])
        view_menu.addSeparator()
        view_menu.addAction(self.refresh_action)

        help_menu = menus["&Help"]
        help_menu.addActions([self.shortcuts_action, self.about_action])

        tb = w.main_toolbar if w.main_toolbar is not None else w.addToolBar("Main")
        tb.setObjectName("MainToolbar")
        set_enum(tb, "toolButtonStyle", "ToolButtonTextBesideIcon")
        tb.setIconSize(QSize(TOOLBAR_ICON, TOOLBAR_ICON))
        tb.addActions([self.new_from_template_action, self.open_action, self.save_action])
        tb.addSeparator()
        tb.addActions([self.undo_action, self.redo_action])
        for a in (self.undo_action, self.redo_action):  # their text names the step: keep the toolbar steady
            button = tb.widgetForAction(a)
            if button is not None:
                set_enum(button, "toolButtonStyle", "ToolButtonIconOnly")
        tb.addSeparator()
        tb.addAction(self.export_action)
        tb.setMinimumHeight(0)  # the room kept before the first paint (reserve_bars): now the buttons' own
        w.library.extra_context_actions = [self.inspect_action, self.edit_fact_action]
        return recent

    @staticmethod
    def _say_step(w: Any, done: str, offset: int) -> None:
        """After an undo (``offset`` 0: the step now at the stack's index) or a redo (-1: the one before)."""
        stack = w.undo_group.activeStack()
        if stack is not None and 0 <= stack.index() + offset < stack.count():
            w.show_status(f"{done}: {stack.text(stack.index() + offset)}")
