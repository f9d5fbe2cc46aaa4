"""Template dialogs: new briefing from a template, and manage the template library (edit, new,
rename, duplicate, delete, import, export).  Editing -- and saving a briefing as a template --
is the template editor (:mod:`briefer.ui.dialogs.template_editor`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from briefer.errors import KnownError
from briefer.ui import filedialogs, icons, messages
from briefer.ui.labels import escape
from briefer.ui.workers import Task, start

NameRole = Qt.ItemDataRole.UserRole + 1
BuiltinRole = Qt.ItemDataRole.UserRole + 2
#: the built-in "New briefing from template" offers first: the brief to send (the compendium, first by
#: name, keeps every fact in the store and says that full-briefing is the one to send)
RECOMMENDED = "full-briefing"
#: settings key: the id (or the name) of the template the user last made a briefing from
LAST_TEMPLATE_KEY = "templates/last_new_from"


def template_from_briefing(briefing: Any, *, name: str, description: str = "", audience: str = "",
                           target_words: int | None = None, target_pages: int | None = None) -> Any:
    """A template that rebuilds this briefing's shape: its sections (heading, intro, layout) with
    their facts named explicitly in order, its cover and its switches.  Wording overrides and
    analyst paragraphs belong to the briefing, not the template, and are not kept."""
    from briefer.domain.templates import (
        CoverSettings,
        KeyPoints,
        LengthBudget,
        Selection,
        Switches,
        Template,
        TemplateSection,
    )

    b = briefing
    sections = [
        TemplateSection(section=s.section, heading=s.heading, intro=s.intro, layout=s.layout,
                        selection=Selection(fact_ids=s.fact_ids(), query=None, order="explicit"))
        for s in b.sections
    ]
    o = b.options
    return Template(
        name=name, description=description, audience=audience,
        length=LengthBudget(target_words=target_words, target_pages=target_pages),
        cover=CoverSettings(title=b.cover.title, subtitle=b.cover.subtitle, prepared_for=b.cover.prepared_for,
                            prepared_by=b.cover.prepared_by, marking=b.cover.marking),
        switches=Switches.model_validate(o.model_dump()),
        key_points=KeyPoints(fact_ids=list(b.key_points)),
        sections=sections,
    )


def describe(template: Any, section_titles: dict[str, str] | None = None) -> str:
    """HTML describing a template for the dialogs."""
    titles = section_titles or {}
    t = template
    parts = [f"<h3>{escape(t.name)}</h3>"]
    if t.description:
        parts.append(f"<p>{escape(t.description)}</p>")
    meta = []
    if t.audience:
        meta.append(f"<b>For:</b> {escape(t.audience)}")
    if t.length.target_words or t.length.target_pages:
        from briefer.domain.templates import budget_text

        meta.append(f"<b>Length:</b> {escape(budget_text(t.length))}")
    if meta:
        parts.append("<p>" + "<br>".join(meta) + "</p>")
    secs = []
    for s in t.sections:
        n_explicit = len(s.selection.fact_ids)
        how = []
        if n_explicit:
            how.append(f"{n_explicit} named facts")
        if s.selection.query is not None:
            how.append("facts picked by a query" + (f", at most {s.selection.max_count}"
                                                    if s.selection.max_count else ""))
        secs.append(f"<li>{escape(s.heading or titles.get(s.section, s.section))}"
                    f" <small>({escape('; '.join(how) or 'empty')})</small></li>")
    parts.append(f"<p><b>Sections:</b></p><ol>{''.join(secs)}</ol>")
    sw = t.switches
    on = [label for flag, label in ((sw.summary, "summary"), (sw.contents, "contents"),
                                    (sw.sources_appendix, "sources table"), (sw.glossary, "glossary"),
                                    (sw.whats_new, "what's new since the last edition")) if flag]
    parts.append(f"<p><b>Includes:</b> {escape(', '.join(on) or 'the sections only')}</p>")
    return "".join(parts)


class _TemplateList(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Templates")
        #: what the list shows, one per row (TemplateInfo; a team library's tell sharing and owner)
        self.infos: list[Any] = []

    def fill(self, infos: list[Any]) -> None:
        current = self.current_name()
        self.clear()
        self.infos = list(infos)
        for info in infos:
            label = info.name + ("  (built-in)" if info.builtin else "  (shared)" if getattr(info, "shared", False)
                                 else "")
            if info.problem:
                label += "  \u26a0 unreadable"
            item = QListWidgetItem(icons.icon("template"), label)
            item.setData(NameRole, info.name)
            item.setData(BuiltinRole, info.builtin)
            item.setToolTip(info.problem or info.description or info.name)
            self.addItem(item)
        if current:
            self.select_name(current)
        if self.currentRow() < 0 and self.count():
            self.setCurrentRow(0)

    def current_name(self) -> str | None:
        item = self.currentItem()
        return item.data(NameRole) if item else None

    def current_builtin(self) -> bool:
        item = self.currentItem()
        return bool(item.data(BuiltinRole)) if item else False

    def select_name(self, name: str) -> None:
        for i in range(self.count()):
            if self.item(i).data(NameRole) == name:
                self.setCurrentRow(i)
                return


class NewFromTemplateDialog(QDialog):
    """Pick a template; the briefing is built by re-running its selection against the store."""

    def __init__(self, store: Any, data_dir: Path, *, today: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from briefer.domain.team_templates import open_library

        self.store = store
        self.today = today or date.today()
        self.library = open_library(data_dir, store)
        self.result_export: Any = None
        self._task: Task | None = None
        self.setWindowTitle("New briefing from template")
        self.setWindowIcon(icons.icon("template"))
        self.titles = {s.id: s.title for s in store.sections()}
        self.list = _TemplateList()
        self.details = QTextBrowser()
        self.details.setAccessibleName("Template description")
        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(self.details)
        split.setSizes([220, 420])
        self.state = QLabel("")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton("&Create briefing", QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setIcon(icons.icon("new"))
        self.buttons.accepted.connect(self.create_briefing)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Built-in templates and your own. The briefing takes the current facts of the store."))
        lay.addWidget(split, 1)
        lay.addWidget(self.state)
        lay.addWidget(self.buttons)
        self.resize(720, 460)
        self.list.currentItemChanged.connect(self._show)
        self.list.itemDoubleClicked.connect(lambda _i: self.create_briefing())
        self.list.fill(self.library.list())
        self._preselect()
        self.list.setFocus()

    def _preselect(self) -> None:
        """The template the user last made a briefing from (by its id, so a rename keeps it), else the
        recommended brief: the list's first row was the compendium, every fact in the store."""
        from briefer.ui import settings

        last = str(settings.settings().value(LAST_TEMPLATE_KEY, "") or "")
        infos = self.list.infos
        row = next((i for i, info in enumerate(infos) if last and last in (getattr(info, "id", ""), info.name)
                    and not info.problem), None)
        if row is None:
            row = next((i for i, info in enumerate(infos) if info.builtin and info.name == RECOMMENDED), None)
        if row is not None:
            self.list.setCurrentRow(row)

    def _remember(self, name: str) -> None:
        from briefer.ui import settings

        info = next((i for i in self.list.infos if i.name == name), None)
        s = settings.settings()
        s.setValue(LAST_TEMPLATE_KEY, (getattr(info, "id", "") or name))
        s.sync()

    def _show(self, *_args: Any) -> None:
        name = self.list.current_name()
        self.create_button.setEnabled(name is not None)
        if name is None:
            self.details.clear()
            return
        try:
            self.details.setHtml(describe(self.library.get(name), self.titles))
            self.create_button.setEnabled(True)
        except KnownError as exc:
            self.details.setHtml(f"<p><b>This template cannot be used:</b> {escape(str(exc))}</p>")
            self.create_button.setEnabled(False)

    def create_briefing(self) -> None:
        """Run the chosen template (not ``create``: that is QWidget.create, which makes the native window)."""
        from briefer.domain.templates import prepare

        name = self.list.current_name()
        if name is None:
            return
        try:
            template = self.library.get(name)
        except KnownError as exc:
            messages.error(self, "Cannot use the template", str(exc))
            return
        origin = "builtin" if self.list.current_builtin() else "user"
        opener = self.store.reopen
        today = self.today

        def work(_report: Any) -> Any:
            st = opener()
            try:
                return prepare(template, st, today=today, origin=origin)
            finally:
                st.close()

        self.create_button.setEnabled(False)
        self.state.setText(f"Selecting facts for \u201c{name}\u201d\u2026")
        task = Task(work)
        task.signals.finished.connect(self._ready)
        task.signals.failed.connect(self._failed)
        self._task = task
        start(task)

    def _ready(self, prepared: Any) -> None:
        self.result_export = prepared
        self._remember(prepared.template.name)
        self.accept()

    def _failed(self, exc: BaseException, details: str) -> None:
        self.create_button.setEnabled(True)
        self.state.setText("")
        messages.error(self, "Cannot use the template", str(exc) if isinstance(exc, KnownError) else
                       f"{type(exc).__name__}: {exc}")


class ManageTemplatesDialog(QDialog):
    def __init__(self, store: Any, data_dir: Path, parent: QWidget | None = None, *,
                 context: Any = None) -> None:
        super().__init__(parent)
        from briefer.domain.team_templates import open_library
        from briefer.ui.context import WindowContext

        self.context = context or WindowContext(store=store, data_dir=Path(data_dir))
        self.store = store
        self.library = open_library(data_dir, store)
        self.titles = {s.id: s.title for s in store.sections()}
        self.setWindowTitle("Manage templates")
        self.setWindowIcon(icons.icon("template"))
        self.list = _TemplateList()
        self.details = QTextBrowser()
        self.details.setAccessibleName("Template description")
        self.edit_button = QPushButton(icons.icon("template"), "&Edit\u2026")
        self.new_button = QPushButton(icons.icon("new"), "&New\u2026")
        self.rename_button = QPushButton(icons.icon("rename"), "&Rename\u2026")
        self.duplicate_button = QPushButton(icons.icon("duplicate"), "&Duplicate\u2026")
        self.delete_button = QPushButton(icons.icon("delete"), "De&lete")
        self.import_button = QPushButton(icons.icon("import"), "&Import\u2026")
        self.export_button = QPushButton(icons.icon("export"), "E&xport\u2026")
        #: a team library only: share a personal template with the team, or take a shared one back
        self.share_button = QPushButton(icons.icon("duplicate"), "&Share with team")
        self._team = bool(getattr(self.library, "team", False))
        self.share_button.setVisible(self._team)
        col = QVBoxLayout()
        for b in (self.edit_button, self.new_button, self.rename_button, self.duplicate_button, self.delete_button,
                  self.import_button,
                  self.export_button, self.share_button):
            col.addWidget(b)
        col.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 2)
        row.addWidget(self.details, 3)
        row.addLayout(col)
        self.state = QLabel("Built-in templates are read-only: editing one offers to duplicate it.")
        self.state.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(row, 1)
        lay.addWidget(self.state)
        lay.addWidget(close)
        self.resize(820, 460)
        self.list.currentItemChanged.connect(self._show)
        self.edit_button.clicked.connect(self.edit)
        self.list.itemDoubleClicked.connect(lambda _i: self.edit())
        self.new_button.clicked.connect(self.new)
        self.rename_button.clicked.connect(self.rename)
        self.duplicate_button.clicked.connect(self.duplicate)
        self.delete_button.clicked.connect(self.delete)
        self.import_button.clicked.connect(self.import_template)
        self.export_button.clicked.connect(self.export_template)
        self.share_button.clicked.connect(self.share)
        self.refresh()

    def refresh(self) -> None:
        self.list.fill(self.library.list())
        self._show()

    def _show(self, *_args: Any) -> None:
        name = self.list.current_name()
        builtin = self.list.current_builtin()
        for b in (self.rename_button, self.delete_button):
            b.setEnabled(name is not None and not builtin)
            b.setToolTip("Built-in templates cannot be changed: duplicate it first" if builtin else "")
        self.duplicate_button.setEnabled(name is not None)
        self.export_button.setEnabled(name is not None)
        self.edit_button.setEnabled(name is not None)
        self.edit_button.setToolTip("Built-in: duplicate it and edit the copy" if builtin else "Edit the template")
        self._show_share(name, builtin)
        if name is None:
            self.details.clear()
            return
        try:
            self.details.setHtml(describe(self.library.get(name), self.titles))
        except KnownError as exc:
            self.details.setHtml(f"<p><b>Unreadable:</b> {escape(str(exc))}</p>")

    def _info(self, name: str | None) -> Any:
        return next((i for i in self.list.infos if i.name == name), None) if name is not None else None

    def role_changed(self, _perms: object) -> None:
        """An admin changed this user's role while the dialog is open: Share follows it at once."""
        self._show()

    def _show_share(self, name: str | None, builtin: bool) -> None:
        """The share button follows the selected template: "Share with team" for a personal one (an
        editor's role may), "Make personal" for a shared one its owner made; why not, when it cannot."""
        if not self._team:
            return
        from briefer.ui import role_gates

        info = self._info(name)
        shared = bool(getattr(info, "shared", False))
        self.share_button.setText("Make &personal" if shared else "&Share with team")
        perms = role_gates.of_store(self.store)
        why = ""
        if info is None:
            why = "Select a template"
        elif builtin:
            why = "Built-in templates are everyone's already"
        elif info.problem:
            why = "This template cannot be read, so it cannot be shared"
        elif shared and getattr(info, "owner", "") != perms.user:
            why = f"Only its owner ({getattr(info, 'owner', '')}) can make a shared template personal again"
        elif not shared:
            why = perms.why_not("can_write_shared_templates") or ""
        self.share_button.setEnabled(not why)
        self.share_button.setToolTip(why or ("Take it back: only you will see it" if shared else
                                             "Everyone in the team library sees it; editors can change it"))

    def share(self) -> None:
        """The CLI's ``briefer templates share NAME [--off]``: the same call of the team template library."""
        name = self.list.current_name()
        info = self._info(name)
        if name is None or info is None:
            return
        on = not getattr(info, "shared", False)
        library: Any = self.library  # a TeamTemplateLibrary: the button is shown for a team library only
        row = self._run("share the template" if on else "make the template personal",
                        lambda: library.share(name, on))
        if row is not None:
            self.list.select_name(name)
            self.state.setText(f"\u201c{name}\u201d is now shared with the team (version {row.version})." if on else
                               f"\u201c{name}\u201d is personal again: only you see it (version {row.version}).")

    def _run(self, what: str, fn: Any) -> Any:
        try:
            result = fn()
        except KnownError as exc:
            messages.error(self, f"Cannot {what}", str(exc))
            return None
        self.refresh()
        return result

    def edit(self) -> None:
        from briefer.ui.dialogs.template_editor import editor_for

        name = self.list.current_name()
        if name is None:
            return
        self._run_editor(editor_for(self.context, name, parent=self))

    def new(self) -> None:
        from briefer.domain.templates import Template, TemplateSection
        from briefer.ui.dialogs.template_editor import TemplateEditor

        sections = self.store.sections()
        # a new template: one section to start from, no name yet (the editor says it needs one)
        blank = Template(name="x", sections=[TemplateSection(section=sections[0].id if sections else "section")])
        blank = blank.model_copy(update={"name": ""})
        self._run_editor(TemplateEditor(self.context, blank, parent=self))

    def _run_editor(self, editor: Any) -> None:
        if editor is None:
            return
        if editor.exec() == editor.DialogCode.Accepted and editor.saved is not None:
            self.refresh()
            self.list.select_name(editor.saved.name)
            self.state.setText(f"Saved \u201c{editor.saved.name}\u201d.")

    def rename(self) -> None:
        name = self.list.current_name()
        if name is None:
            return
        new = messages.ask_text(self, "Rename template", "New name:", name)
        if not new or new == name:
            return
        if self._run("rename the template", lambda: self.library.rename(name, new, store=self.store)) is not None:
            self.list.select_name(new)
            self.state.setText(f"Renamed \u201c{name}\u201d to \u201c{new}\u201d.")

    def duplicate(self) -> None:
        name = self.list.current_name()
        if name is None:
            return
        new = messages.ask_text(self, "Duplicate template", "Name of the copy:", self.library.suggest_copy_name(name))
        if not new:
            return
        if self._run("duplicate the template", lambda: self.library.duplicate(name, new)) is not None:
            self.list.select_name(new)
            self.state.setText(f"Copied \u201c{name}\u201d to \u201c{new}\u201d.")

    def delete(self) -> None:
        from briefer.domain.template_library import TRASH_DIR

        name = self.list.current_name()
        if name is None:
            return
        team = getattr(self.library, "team", False)
        where = ("It is deleted from the team library, for everyone who sees it." if team
                 else f"It is moved to {self.library.dir / TRASH_DIR}, so it can be restored by hand.")
        if not messages.confirm(self, "Delete template", f"Delete the template \u201c{name}\u201d? {where}", "Delete"):
            return
        gone = self._run("delete the template", lambda: self.library.delete(name))
        if gone is not None:
            kept = f" It is in {gone}." if isinstance(gone, Path) else ""
            self.state.setText(f"Deleted \u201c{name}\u201d.{kept}")

    def import_template(self) -> None:
        path = filedialogs.ask_open_path(self, "Import template", filedialogs.TEMPLATE_FILTER)
        if path is None:
            return
        try:
            template, warnings = self.library.read_import(path, store=self.store)
        except KnownError as exc:
            messages.error(self, "Cannot import the template", str(exc))
            return
        name = template.name
        if self.library.exists(name):
            asked: str | None = messages.ask_text(self, "Name taken", f"A template named \u201c{template.name}\u201d "
                                                  "already exists. Import it as:",
                                                  self.library.suggest_copy_name(template.name))
            if not asked:
                return
            name = asked
        result = self._run("import the template", lambda: self.library.import_file(path, name=name,
                                                                                    store=self.store))
        if result is not None:
            self.list.select_name(result[0].name)
            note = (" Notes: " + "; ".join(warnings)) if warnings else ""
            self.state.setText(f"Imported \u201c{result[0].name}\u201d.{note}")

    def export_template(self) -> None:
        from briefer.domain.templates import suggest_file_name

        name = self.list.current_name()
        if name is None:
            return
        path = filedialogs.ask_save_path(self, "Export template", filedialogs.TEMPLATE_FILTER,
                                         suggest_file_name(name))
        if path is None:
            return
        if self._run("export the template", lambda: self.library.export(name, path)) is not None:
            self.state.setText(f"Exported \u201c{name}\u201d to {path}.")
