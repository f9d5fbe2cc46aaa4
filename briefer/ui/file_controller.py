"""The window's file controller: new, open, save, save as, recent files, autosave and recovery,
templates (new from, save as, manage) and the export dialog.

It owns no state of its own: the open briefing is ``window.doc``; it asks the user through
:mod:`briefer.ui.messages` and :mod:`briefer.ui.filedialogs`, so the tests can answer.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from briefer.domain.typography import count
from briefer.errors import KnownError
from briefer.ui import recovery
from briefer.ui import settings as ui_settings

if TYPE_CHECKING:
    from briefer.ui.mainwindow import MainWindow

BRIEFING_SUFFIX = ".briefing.json"


def safe_name(title: str) -> str:
    """A file name stem for a briefing titled ``title``: "U.S.–Japan Cooperation" is
    ``US-Japan-Cooperation`` (stops and apostrophes go, not split a word: it was ``U-S-Japan``)."""
    title = "".join(ch for ch in title if ch not in ".'\u2019")
    keep = "".join(ch if ch.isalnum() or ch in " -_" else " " for ch in title).strip()
    return "-".join(keep.split())[:60] or "briefing"


def _key(path: Path) -> str:
    try:
        return str(Path(path).expanduser().resolve())
    except OSError:
        return str(Path(path).expanduser().absolute())


def own_budget(doc: Any) -> Any:
    """The budget a briefing file keeps: that of a briefing that follows no template (one started from
    sections); a template's briefing takes the template's when it is opened again."""
    from briefer.domain.briefing_file import FileBudget

    if doc.budget is None or doc.template or doc.template_id:
        return None
    return FileBudget(words=doc.budget.words, pages=doc.budget.pages)


def keep_budget(doc: Any, envelope: Any) -> None:
    """A reopened briefing that follows no template gets back the budget its file kept."""
    if envelope.budget is not None and not (doc.template or doc.template_id):
        from briefer.ui.briefing_model import Budget

        doc.budget = Budget(envelope.budget.words, envelope.budget.pages)


def may_write(parent: Any, doc: Any, path: Path) -> bool:
    """Whether ``doc`` may write ``path``: yes when no file is there, when it is the briefing's own
    file, or when this briefing wrote it in this session; otherwise the user is asked "Replace?"."""
    from briefer.ui import messages

    path = Path(path)
    if not path.exists() and not path.is_symlink():
        return True
    key = _key(path)
    if key in doc.written_paths or (doc.path is not None and _key(doc.path) == key):
        return True
    return bool(messages.replace_file(parent, str(path)))


def wrote(doc: Any, path: Path) -> None:
    """Remember that ``doc`` wrote ``path`` (writing it again asks nothing)."""
    doc.written_paths.add(_key(path))


def export_stem(doc: Any, today: Any) -> str:
    """The file name an export proposes: the briefing file's name, else its title and the date, so two
    briefings never propose the same file."""
    if doc.path is not None:
        name = Path(doc.path).name
        return name.removesuffix(BRIEFING_SUFFIX).removesuffix(".json") or "briefing"
    title = safe_name(doc.briefing.cover.title)
    if re.search(r"(19|20)\d\d", title):  # "Risk Watch — 1 December 2026": dated already
        return title
    return f"{title}-{today.isoformat()}"


def unused_name(folder: Path, stem: str, ext: str, doc: Any) -> Path:
    """``folder/stem+ext``, or ``stem-2``, ``stem-3``… when a file there was not written by ``doc``."""
    candidate = folder / f"{stem}{ext}"
    n = 1
    while (candidate.exists() and _key(candidate) not in doc.written_paths) and n < 1000:
        n += 1
        candidate = folder / f"{stem}-{n}{ext}"
    return candidate


class FileController(QObject):
    """Files, autosave, recovery, templates and export for one window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current briefing (saved, discarded, or unchanged)."""
        from briefer.ui import messages

        self.commit_typing()
        if self.w.doc is None or not self.w.doc.is_modified:
            return True
        answer = messages.save_changes(self.w, self.w.doc.display_name)
        if answer == messages.Answer.CANCEL:
            return False
        if answer == messages.Answer.YES:
            return self.save()
        return True

    def new_briefing(self) -> None:
        if not self.maybe_save():
            return
        self.w.set_doc(self.w.store_session.new_doc())
        self.w.show_status("New briefing: add facts from the library")

    def open_file(self) -> None:
        from briefer.ui import filedialogs

        if not self.maybe_save():
            return
        start_dir = (str(self.w.doc.path.parent) if self.w.doc is not None and self.w.doc.path
                     else str(ui_settings.last_folder("save") or ""))
        path = filedialogs.ask_open_path(self.w, "Open briefing", filedialogs.BRIEFING_FILTER, start_dir)
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> bool:
        from briefer.domain.briefing_file import checked_briefing, read_briefing_file

        path = Path(path).expanduser()
        try:
            envelope = read_briefing_file(path)
            checked = checked_briefing(envelope, self.w.store)
        except KnownError as exc:
            self.w.show_known_error("Cannot open the briefing", exc)
            if str(path.resolve()) in ui_settings.recent_files() and not path.exists():
                ui_settings.remove_recent_file(str(path.resolve()))
            return False
        doc = self.w.store_session.new_doc(checked.briefing, path=path)
        self.link_template(doc, envelope.template_id, envelope.template)
        keep_budget(doc, envelope)
        self.w.set_doc(doc)
        ui_settings.add_recent_file(path)
        self.w.show_status(f"Opened {path}" + self._since_saved(doc, checked))
        return True

    def _since_saved(self, doc: Any, checked: Any) -> str:
        """Mark what changed in the store since the file was saved -- each changed fact in the outline, and
        the list in the bar above it, the marks a colleague's live change gets (no modal message) -- and
        say it in the status line ("" when nothing changed)."""
        doc.store_notes, doc.warnings = dict(checked.changed), list(checked.left_out)
        self.w.live.show_since_saved(doc)
        n = len(checked.warnings)
        return f": {n} change{'s' if n != 1 else ''} in the store since it was saved, listed above the outline" \
            if n else ""

    def budget_for(self, template_name: str | None, template_id: str | None = None) -> Any:
        t = self.linked_template(template_id, template_name)
        return self.budget_of(t) if t is not None else None

    @staticmethod
    def budget_of(template: Any) -> Any:
        from briefer.ui.briefing_model import Budget

        return Budget(template.length.target_words, template.length.target_pages)

    def linked_template(self, template_id: str | None, name: str | None) -> Any:
        """The template a briefing links to: by id (it survives a rename), else by name (older files)."""
        if not template_id and not name:
            return None
        try:
            from briefer.domain.team_templates import open_library

            return open_library(self.w.data_dir, self.w.store).find_link(template_id, name)
        except (KnownError, ImportError):
            return None

    def link_template(self, doc: Any, template_id: str | None, name: str | None) -> None:
        """Link ``doc`` to its template as it is now: its current name and budget (a renamed template is
        found by its id); a template that is gone leaves the name the file gave, and no budget."""
        t = self.linked_template(template_id, name)
        if t is None:
            doc.template, doc.template_id, doc.budget = name, template_id, None
            doc.template_missing = bool(name or template_id)
            return
        doc.template, doc.template_id, doc.budget = t.name, t.id or None, self.budget_of(t)
        doc.template_missing = False

    def commit_typing(self) -> None:
        """What the outline's editor box holds and was not applied becomes part of the briefing first."""
        if self.w._built:
            self.w.composer.commit_pending()

    def save(self) -> bool:
        self.commit_typing()
        if self.w.doc is None:
            return False
        if self.w.doc.path is None:
            return self.save_as()
        return self.write(self.w.doc.path)

    def save_as(self) -> bool:
        from briefer.ui import filedialogs

        self.commit_typing()
        if self.w.doc is None:
            return False
        doc = self.w.doc
        if doc.path:
            suggested = str(doc.path)
        else:
            folder = ui_settings.last_folder("save")
            today = self.w.today or date.today()
            stem = export_stem(doc, today)  # a title with its date in it gets no second one
            suggested = str(unused_name(folder, stem, BRIEFING_SUFFIX, doc)) if folder else stem + BRIEFING_SUFFIX
        while True:  # "Replace?" answered No: the file dialog again, to choose another name
            path = filedialogs.ask_save_path(self.w, "Save briefing as", filedialogs.BRIEFING_FILTER, suggested,
                                             confirm_overwrite=False)
            if path is None:
                return False
            if not path.name.endswith(BRIEFING_SUFFIX):
                path = path.with_name(path.name.removesuffix(".json") + BRIEFING_SUFFIX)
            if may_write(self.w, doc, path):
                return self.write(path, asked=True)
            suggested = str(path)

    def write(self, path: Path, *, asked: bool = False) -> bool:
        """Save the briefing to ``path``; ``asked``: the user has agreed to replace what is there."""
        from briefer.domain.briefing_file import save_briefing_file

        if not asked and not may_write(self.w, self.w.doc, path):
            self.w.show_status(f"Not saved: {path} was left as it was")
            return False
        from briefer.errors import StoreUnreachable

        doc = self.w.doc
        try:
            try:
                save_briefing_file(path, doc.briefing, template=doc.template, template_id=doc.template_id,
                                   store=self.w.connection.store_for_saving(), budget=own_budget(doc))
            except StoreUnreachable as exc:  # the team library went away: save from the facts the window holds
                self.w.connection.lost(exc)
                save_briefing_file(path, doc.briefing, template=doc.template, template_id=doc.template_id,
                                   store=self.w.connection.store_for_saving(), budget=own_budget(doc))
        except KnownError as exc:
            self.w.show_known_error("Cannot save the briefing", exc)
            return False
        except OSError as exc:
            from briefer.errors import WriteFailed

            self.w.show_known_error("Cannot save the briefing", WriteFailed(f"cannot write {path}: {exc.strerror}"))
            return False
        self.w.doc.mark_saved(path)
        wrote(self.w.doc, path)
        ui_settings.set_last_folder("save", path.expanduser().absolute().parent)
        ui_settings.add_recent_file(path)
        self.w.show_doc_title()
        self.w.show_status(f"Saved {path}")
        return True

    def fill_recent_menu(self) -> None:
        self.w.recent_menu.clear()
        files = ui_settings.recent_files()
        if not files:
            a = self.w.recent_menu.addAction("No recent briefings")
            a.setEnabled(False)
            return
        for n, f in enumerate(files, 1):
            label = f"&{n} {Path(f).name}" if n < 10 else Path(f).name
            a = self.w.recent_menu.addAction(label)
            a.setToolTip(f)
            a.setStatusTip(f)
            a.triggered.connect(lambda _c=False, f=f: self.open_recent(f))
        self.w.recent_menu.addSeparator()
        self.w.recent_menu.addAction("Clear the list").triggered.connect(ui_settings.clear_recent_files)

    def reopen_offer(self) -> str | None:
        """The newest recent briefing that still exists and is not the one open: what a start offers."""
        here = _key(self.w.doc.path) if self.w.doc is not None and self.w.doc.path else None
        return next((f for f in ui_settings.recent_files() if Path(f).exists() and _key(Path(f)) != here), None)

    def open_recent(self, f: str) -> None:
        from briefer.ui import messages

        if not Path(f).exists():
            messages.error(self.w, "File not found", f"{f} no longer exists; it was removed from the recent list.")
            ui_settings.remove_recent_file(f)
            return
        if self.maybe_save():
            self.open_path(Path(f))

    def autosave(self) -> Path | None:
        if self.w.doc is None or not self.w.doc.is_modified:
            return None
        try:
            return recovery.write(self.w.session, self.w.data_dir, self.w.doc.briefing, original=self.w.doc.path,
                                  template=self.w.doc.template, template_id=self.w.doc.template_id,
                                  store=self.w.store, budget=own_budget(self.w.doc))
        except (KnownError, OSError) as exc:
            self.w.show_status(f"Autosave failed: {exc}")
            return None

    def offer_recovery(self) -> bool:
        found = recovery.orphans(self.w.data_dir)
        if not found:
            return False
        from briefer.ui import messages

        rec = found[0]
        what = f"\u201c{rec.title or 'Untitled'}\u201d" + (f" ({rec.original})" if rec.original else "")
        answer = messages.recover(self.w, f"Briefer did not close normally. Work on {what} was saved automatically "
                                        f"{recovery.age_text(rec)}.\n\nRecover it?")
        if answer == messages.Answer.CANCEL:
            return False
        if answer == messages.Answer.NO:
            for r in found:
                recovery.discard(r)
            return False
        from briefer.domain.briefing_file import checked_briefing, read_briefing_file

        try:
            envelope = read_briefing_file(rec.path)
            checked = checked_briefing(envelope, self.w.store)
        except KnownError as exc:
            self.w.show_known_error("Cannot recover the briefing", exc)
            return False
        doc = self.w.store_session.new_doc(checked.briefing, path=rec.original)
        self.link_template(doc, envelope.template_id, envelope.template or rec.template)
        keep_budget(doc, envelope)
        doc.mark_unsaved()
        self.w.set_doc(doc)
        recovery.discard(rec)
        self.w.show_status("Recovered the autosaved briefing: save it to keep it" + self._since_saved(doc, checked))
        return True

    def new_from_template(self) -> None:
        from briefer.ui.dialogs.templates import NewFromTemplateDialog

        if not self.maybe_save():
            return
        dlg = NewFromTemplateDialog(self.w.store, self.w.data_dir, today=self.w.today, parent=self.w)
        if dlg.exec() != NewFromTemplateDialog.DialogCode.Accepted or dlg.result_export is None:
            return
        self.start_from_template(dlg.result_export)

    def start_from_template(self, prepared: Any) -> None:
        from briefer.ui import messages
        from briefer.ui.briefing_model import Budget

        t = prepared.template
        doc = self.w.store_session.new_doc(prepared.briefing, template=t.name,
                                           budget=Budget(t.length.target_words, t.length.target_pages))
        doc.template_id = t.id or None
        doc.mark_unsaved()
        doc.fresh_template_run = True  # its first export records an edition by default
        self.w.set_doc(doc)
        msg = f"New briefing from template \u201c{t.name}\u201d: {count(len(prepared.briefing.fact_ids()), 'fact')}"
        if prepared.changes:
            msg += f"; {count(len(prepared.changes), 'change')} since the last edition"
        self.w.show_status(msg)
        if prepared.warnings:
            messages.info(self.w, "Template notes", "\u2022 " + "\n\u2022 ".join(prepared.warnings))

    def start_from_sections(self, section_ids: list[str]) -> None:
        """The first-start panel's sections: their most important facts within the default budget
        (briefer.domain.section_start), selected off the window's thread; not linked to a template."""
        from briefer.domain.section_start import prepare_from_sections
        from briefer.ui.workers import Task, start

        panel = self.w.composer.first_start
        opener, today, was = self.w.store.reopen, self.w.today or date.today(), self.w.doc
        horizon = self.w.store_session.flagger().horizon

        def work(_report: Any) -> Any:
            st = opener()
            try:
                return prepare_from_sections(st, section_ids, today=today, horizon_months=horizon)
            finally:
                st.close()

        def ready(prepared: Any) -> None:
            from briefer.ui.briefing_model import Budget

            panel.set_busy("")
            if self.w.doc is not was or (was is not None and was.briefing.sections):
                return  # the user started otherwise meanwhile: nothing of theirs is replaced
            length = prepared.template.length
            doc = self.w.store_session.new_doc(prepared.briefing,
                                               budget=Budget(length.target_words, length.target_pages))
            doc.mark_unsaved()
            self.w.set_doc(doc)
            n, left = len(prepared.briefing.fact_ids()), len(prepared.selection.trimmed)
            self.w.show_status(f"New briefing from {len(section_ids)} sections: the {n} most important facts"
                               + (f" ({left} more did not fit the budget)" if left else ""))

        def failed(exc: BaseException, details: str) -> None:
            panel.set_busy("")
            if isinstance(exc, KnownError):
                self.w.show_known_error("Cannot start the briefing", exc)
            else:
                self.w.show_crash(exc, details)

        panel.set_busy("Selecting the most important facts\u2026")
        task = Task(work)
        task.signals.finished.connect(ready)
        task.signals.failed.connect(failed)
        self._sections_task = start(task)

    def save_as_template(self) -> None:
        """The template editor, prefilled from the briefing; once saved, the briefing is linked to it."""
        from briefer.ui.dialogs.template_editor import editor_from_briefing

        if self.w.doc is None:
            return
        dlg = editor_from_briefing(self.w.context(), self.w.doc, parent=self.w)
        if dlg.exec() == dlg.DialogCode.Accepted and dlg.saved is not None:
            doc = self.w.doc
            doc.template, doc.template_id, doc.budget = dlg.saved.name, dlg.saved.id, self.budget_of(dlg.saved)
            self.w.composer._update_length()
            self.w.show_doc_title()
            self.w.show_status(f"Saved template \u201c{dlg.saved.name}\u201d")

    def manage_templates(self) -> None:
        from briefer.ui.dialogs.templates import ManageTemplatesDialog

        dlg = ManageTemplatesDialog(self.w.store, self.w.data_dir, parent=self.w, context=self.w.context())
        with self.w.live.followed_by(dlg):  # a team library: this user's new role re-greys Share at once
            dlg.exec()
        doc = self.w.doc
        if doc is not None and (doc.template or doc.template_id):  # renamed or edited: the link follows its id
            self.link_template(doc, doc.template_id, doc.template)
            self.w.composer._update_length()
            self.w.show_doc_title()

    def export(self) -> None:
        from briefer.ui.dialogs.export import ExportDialog

        self.commit_typing()
        if self.w.doc is None:
            return
        dlg = ExportDialog(self.w.doc, self.w.store, today=self.w.today, parent=self.w, context=self.w.context())
        dlg.exec()
        if dlg.written is not None:
            self.w.show_status(f"Exported {dlg.written}")
        self.w.say_preference_notices()
