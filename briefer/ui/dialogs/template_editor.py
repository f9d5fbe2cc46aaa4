"""The template editor: every part of a template (name, audience, sections and their queries,
pinned key points, the length budget, the cover and the switches) edited in the window, with a
live count of what it would select from the store and the page estimate.

The count runs the template's selection and the page estimate (the one the export and
``briefer export --dry-run`` use) on a worker, 250 ms after the last edit; the latest edit wins.
Whether the template may be saved is decided in the core (:mod:`briefer.domain.template_check`),
the same rule ``briefer templates import`` applies: while it may not, Save is disabled and the
dialog says why, naming the field.  Built-in templates are read-only: :func:`editor_for` offers to
duplicate one and edit the copy.  The sections tab is :mod:`.template_editor_sections`, the other
tabs :mod:`.template_editor_pages`.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from briefer.errors import KnownError
from briefer.ui import icons, messages
from briefer.ui.dialogs.discard_guard import DiscardGuard
from briefer.ui.dialogs.template_editor_pages import CoverPage, KeyPointsLengthPage, SwitchesPage
from briefer.ui.dialogs.template_editor_sections import SectionsPanel
from briefer.ui.workers import Task, start

if TYPE_CHECKING:
    from briefer.domain.template_check import TemplatePreview, TemplateProblem
    from briefer.domain.template_model import Template
    from briefer.ui.context import WindowContext

#: how long after the last edit the count runs again
COUNT_DELAY_MS = 250


class TemplateEditor(DiscardGuard, QDialog):
    """Edit ``template``: the user's template ``original`` (saving replaces it, keeping its id, and
    renames it when the name changed), or a new template (``original`` None)."""

    #: the live count arrived (the preview) -- tests and the screenshots wait for it
    counted = Signal(object)

    def __init__(self, context: WindowContext, template: Template, *, original: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from briefer.domain.team_templates import open_library

        self.context = context
        self.library = open_library(context.data_dir, context.store)
        self.original = original
        self.saved: Template | None = None
        self.base = template.model_dump(mode="json")
        self.preview: TemplatePreview | None = None
        self._generation = 0
        self._running: Task | None = None
        self._again = False
        self._sync_problems: list[TemplateProblem] = []
        self._store_problems: list[TemplateProblem] = []
        self._built: Template | None = None
        #: what the count runs on: the template, or with only its name wrong, the rest of it
        self._to_count: Template | None = None
        #: the names other templates hold (name key -> id); the template edited keeps its own name
        self.taken = self.library.taken(ignore_id=template.id if original is not None and template.id else None)

        self.setObjectName("TemplateEditor")
        self.setWindowTitle(f"Edit template \u2014 {original}" if original else "New template")
        self.setWindowIcon(icons.icon("template"))
        self.name_edit = QLineEdit(template.name)
        self.name_edit.setAccessibleName("Template name")
        self.name_edit.setPlaceholderText("e.g. Minister weekly note")
        self.audience_edit = QLineEdit(template.audience)
        self.audience_edit.setAccessibleName("Audience")
        self.audience_edit.setPlaceholderText("who reads it, e.g. Risk and policy desks, weekly")
        self.description_edit = QPlainTextEdit(template.description)
        self.description_edit.setAccessibleName("Template description")
        self.description_edit.setPlaceholderText("What the template is for")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(56)
        head = QFormLayout()
        head.addRow("&Name:", self.name_edit)
        head.addRow("A&udience:", self.audience_edit)
        head.addRow("&Description:", self.description_edit)

        facts = context.store.facts()  # for completing fact ids and tags as they are typed
        ids = [f.id for f in facts]
        tags = sorted({t for f in facts for t in f.tags})
        self.sections = SectionsPanel(context.store.sections(), fact_ids=ids, tags=tags)
        self.sections.load(self.base["sections"])
        self.key_points = KeyPointsLengthPage(fact_ids=ids, tags=tags)
        self.key_points.load(self.base["key_points"], self.base["length"])
        self.cover = CoverPage()
        self.cover.load(self.base["cover"])
        self.switches = SwitchesPage()
        self.switches.load(self.base["switches"])
        self.tabs = QTabWidget()
        self.tabs.addTab(self.sections, icons.icon("section"), "&Sections")
        self.tabs.addTab(_scrolled(self.key_points), "&Key points && length")
        self.tabs.addTab(_scrolled(self.cover), "&Cover")
        self.tabs.addTab(_scrolled(self.switches), "S&witches")

        self.summary = QLabel("Counting\u2026")
        self.summary.setAccessibleName("What the template selects")
        self.summary.setObjectName("TemplateCount")
        self.problems = QLabel("")
        self.problems.setAccessibleName("Why the template cannot be saved")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b91c1c;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(head)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.summary)
        lay.addWidget(self.problems)
        lay.addWidget(self.buttons)
        from briefer.ui.window_size import screen_of

        found = screen_of(parent if parent is not None else self)
        screen = found.availableGeometry() if found is not None else None
        self.resize(min(940, screen.width() - 40) if screen else 940, min(740, screen.height() - 40) if screen else 740)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(COUNT_DELAY_MS)
        self.timer.timeout.connect(self._count)
        for e in (self.name_edit, self.audience_edit):
            e.textEdited.connect(self._changed)
        self.description_edit.textChanged.connect(self._changed)
        for page in (self.sections, self.key_points, self.cover, self.switches):
            page.changed.connect(self._changed)
        from briefer.ui.dialogs.template_editor_undo import EditorUndo

        #: undo and redo over every edit (Ctrl+Z, Ctrl+Shift+Z)
        self.history = EditorUndo(self)
        self._changed()
        self.name_edit.setFocus()

    # -- the template being edited ---------------------------------------------------------------

    def data(self) -> dict[str, Any]:
        """The template as the editor holds it now, in the JSON shape of the template file."""
        data = copy.deepcopy(self.base)
        data.update(name=self.name_edit.text().strip(), audience=self.audience_edit.text().strip(),
                    description=self.description_edit.toPlainText().strip(),
                    sections=copy.deepcopy(self.sections.data), key_points=self.key_points.dump_key_points(),
                    length=self.key_points.dump_length(), cover=self.cover.dump(), switches=self.switches.dump())
        return data

    def template(self) -> Template | None:
        return self._built

    def load_state(self, data: dict[str, Any]) -> None:
        """Put ``data`` (a state :meth:`data` returned: undo, redo) back into every field."""
        self.name_edit.setText(str(data.get("name", "")))
        self.audience_edit.setText(str(data.get("audience", "")))
        if self.description_edit.toPlainText().strip() != data.get("description", ""):
            self.description_edit.setPlainText(str(data.get("description", "")))
        row = self.sections.list.currentRow()
        self.sections.load(data["sections"])
        if data["sections"]:
            self.sections.list.setCurrentRow(max(0, min(row, len(data["sections"]) - 1)))
        self.key_points.load(data["key_points"], data["length"])
        self.cover.load(data["cover"])
        self.switches.load(data["switches"])
        self._changed()

    def _changed(self, *_args: Any) -> None:
        """After every edit: the model's own checks and the name at once; the count (and what the store
        says) once the typing pauses."""
        from briefer.domain.template_check import build_template, template_problems

        history = getattr(self, "history", None)
        if history is not None:
            history.record()  # one undo step (typing on in one field adds to it)
        self._generation += 1
        data = self.data()
        built, problems = build_template(data)
        self._built = built
        counted = built
        if built is not None:
            problems = template_problems(built, taken=self.taken)
        elif all(p.field == "name" for p in problems):  # only the name is wrong: the rest can still be counted
            counted, _ = build_template({**data, "name": "untitled template"})
        self._to_count = counted
        self._sync_problems = problems
        self._store_problems = []
        self.summary.setText("Counting\u2026" if counted is not None else "")
        if counted is None:
            self.sections.set_counts(None)
        self._show_problems()
        if counted is not None:
            self.timer.start()

    def _show_problems(self) -> None:
        problems = [*self._sync_problems, *self._store_problems]
        if not problems:
            self.problems.setText("")
            self.save_button.setEnabled(True)
            self.save_button.setToolTip("Save the template")
            return
        shown = problems[:3]
        more = len(problems) - len(shown)
        text = "\n".join(f"\u2716 {p.message}" for p in shown) + (f"\n\u2026 and {more} more" if more else "")
        self.problems.setText(text)
        self.save_button.setEnabled(False)
        self.save_button.setToolTip("Cannot be saved yet: " + problems[0].message)

    # -- the live count --------------------------------------------------------------------------------

    def _count(self) -> None:
        template = self._to_count
        if template is None:
            return
        if self._running is not None:  # one at a time: the latest edit runs when this one ends
            self._again = True
            return
        from briefer.domain.template_check import preview_template

        opener = self.context.store.reopen
        today = self.context.today or date.today()
        horizon = self.context.horizon_months
        generation = self._generation
        pinned = list(template.key_points.fact_ids)

        def work(_report: Any) -> Any:
            st = opener()
            try:
                found = st.facts_by_ids(pinned) if pinned else {}
                return (generation, preview_template(template, st, today=today, horizon_months=horizon),
                        [fid for fid in pinned if fid not in found])
            finally:
                st.close()

        task = Task(work)
        task.signals.finished.connect(self._counted)
        task.signals.failed.connect(self._count_failed)
        self._running = task
        start(task)

    def _next(self) -> None:
        self._running = None
        if self._again:
            self._again = False
            self._count()

    def _counted(self, result: tuple[int, TemplatePreview, list[str]]) -> None:
        generation, preview, unknown_pins = result
        self._running = None
        if generation != self._generation:  # edited since: count again
            self._again = False
            self._count()
            return
        self.preview = preview
        self._store_problems = [p for p in preview.problems if p.field != "name"]
        self.sections.set_counts(list(zip(preview.selected, preview.matches, strict=True)))
        self.key_points.show_unknown_pins(unknown_pins)
        self.summary.setText(self.count_text(preview))
        self._show_problems()
        self.counted.emit(preview)
        self._next()

    def _count_failed(self, exc: BaseException, details: str) -> None:
        self._running = None
        if isinstance(exc, KnownError):
            self.summary.setText(f"Cannot count: {exc}")
        else:
            self.context.show_crash(exc, details)
        self._next()

    @staticmethod
    def count_text(preview: TemplatePreview) -> str:
        n = len(preview.selected)
        if preview.total == 0:
            return f"Selects no fact in {n} section{'s' if n != 1 else ''}"
        text = (f"Selects {preview.total} fact{'s' if preview.total != 1 else ''} in {n} "
                f"section{'s' if n != 1 else ''} \u00b7 {preview.body_words:,} words \u00b7 "
                f"\u2248 {preview.pages} page{'s' if preview.pages != 1 else ''}")
        if preview.trimmed:
            text += f" ({preview.trimmed} left out to fit the budget)"
        return text

    # -- saving ------------------------------------------------------------------------------------------

    def save(self) -> None:
        """Save through the library, which checks the template against the store first (the same rule as
        the CLI); a refusal is shown here and nothing is written."""
        self.timer.stop()
        template = self._built
        if template is None or self._sync_problems:
            self._show_problems()
            return
        try:
            self.saved = self.library.update(self.original, template, store=self.context.store)
        except KnownError as exc:
            self.problems.setText(f"\u2716 {exc}")
            self.save_button.setToolTip(str(exc))
            return
        self.accept()

    def done(self, result: int) -> None:
        self.timer.stop()
        super().done(result)


def _scrolled(page: QWidget) -> QWidget:
    """``page`` in a scroll area, so the editor fits a 1024×640 screen."""
    from PySide6.QtWidgets import QFrame, QScrollArea

    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.viewport().setAutoFillBackground(False)
    page.setAutoFillBackground(False)
    return area


def editor_for(context: WindowContext, name: str, parent: QWidget | None = None) -> TemplateEditor | None:
    """The editor for template ``name``.  A built-in is read-only: the user is offered to duplicate it
    ("Duplicate and edit"), and the editor then holds the copy (saved as a new template)."""
    from briefer.domain.team_templates import open_library

    library = open_library(context.data_dir, context.store)
    try:
        template = library.get(name)
        builtin = library.is_builtin(name)
    except KnownError as exc:
        messages.error(parent, "Cannot edit the template", str(exc))
        return None
    if builtin:
        if not messages.confirm(parent, "Built-in template",
                                f"\u201c{template.name}\u201d is a built-in template and cannot be changed. "
                                "Duplicate it and edit the copy?", "Duplicate and edit"):
            return None
        copy_ = template.model_copy(update={"id": "", "name": library.suggest_copy_name(template.name)})
        return TemplateEditor(context, copy_, parent=parent)
    return TemplateEditor(context, template, original=template.name, parent=parent)


def editor_from_briefing(context: WindowContext, doc: Any, parent: QWidget | None = None) -> TemplateEditor:
    """The editor prefilled from the open briefing ("Save as template…"): its sections with their
    facts named in order, its cover, switches, pinned key points and budget; a new template."""
    from briefer.domain.team_templates import open_library
    from briefer.ui.dialogs.templates import template_from_briefing

    library = open_library(context.data_dir, context.store)
    name = ""
    if doc.template:
        try:
            name = library.suggest_copy_name(doc.template)
        except KnownError:
            name = ""
    budget = doc.budget
    # an empty section is left out of the briefing's export, and of its template (it would select nothing)
    kept = [s for s in doc.briefing.sections if s.fact_ids()]
    briefing = doc.briefing.model_copy(update={"sections": kept or [_placeholder_section(context)]})
    data = template_from_briefing(briefing, name="x", audience=doc.briefing.cover.prepared_for,
                                  target_words=budget.words if budget else None,
                                  target_pages=budget.pages if budget else None)
    # the name and the sections are checked in the editor (an empty name says why Save is disabled)
    update: dict[str, Any] = {"name": name, "id": ""}
    if not kept:  # shown as it is: the editor says a template needs a section
        update["sections"] = []
    return TemplateEditor(context, data.model_copy(update=update), parent=parent)


def _placeholder_section(context: WindowContext) -> Any:
    from briefer.domain.briefing import BriefingSection

    sections = context.store.sections()
    return BriefingSection(section=sections[0].id if sections else "section")
