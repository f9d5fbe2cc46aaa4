"""The export dialog (Ctrl+E): format, file, reference document, marking; the
quality report first; the export in a worker with progress and Cancel; then
Open file / Show in folder."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from briefer.app.export import EditionRequest
from briefer.errors import KnownError
from briefer.export import formats as export_formats
from briefer.export.formats import get as export_format
from briefer.ui import filedialogs, icons
from briefer.ui import settings as ui_settings
from briefer.ui.context import WindowContext
from briefer.ui.panes.composer import MARKINGS
from briefer.ui.workers import Task, start

__all__ = ["EditionRequest", "ExportDialog", "run_export"]


def _buddy(text: str, widget: QWidget) -> QLabel:
    """A form label whose Alt+letter moves to ``widget`` (a row holding a layout gets no buddy itself)."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def _preferences(data_dir: Path) -> dict[str, Any]:
    """The export defaults the Preferences hold (folder, format, reference document); a preference
    that cannot be read leaves its default."""
    from briefer.store import preferences

    out: dict[str, Any] = {}
    for key, read in (("folder", preferences.export_folder), ("format", preferences.export_format),
                      ("reference", preferences.reference_doc)):
        try:
            out[key] = read(data_dir)
        except KnownError:
            out[key] = None
    return out


class Cancelled(Exception):
    pass


class CancelToken:
    """Cancel and the rename into place race: whichever comes first wins, under a lock.

    Cancel before :meth:`claim` wins (nothing is replaced); after it, Cancel is
    refused, because the file is being (or has been) written."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = "running"

    def cancel(self) -> bool:
        """Ask to cancel; False when it is too late (the file is being written)."""
        with self._lock:
            if self._state == "committing":
                return False
            self._state = "cancelled"
            return True

    # the threading.Event spelling the worker machinery uses
    def set(self) -> None:
        self.cancel()

    def is_set(self) -> bool:
        with self._lock:
            return self._state == "cancelled"

    @contextlib.contextmanager
    def claim(self) -> Iterator[None]:
        """Enter the last step (the rename); raises :class:`Cancelled` when Cancel came first."""
        with self._lock:
            if self._state == "cancelled":
                raise Cancelled()
            self._state = "committing"
        yield


def run_export(store_opener: Any, briefing: Any, path: Path, fmt: str, reference: Path | None, today: date,
               cancelled: CancelToken, report: Any, edition: EditionRequest | None = None,
               horizon_months: int = 12) -> Any:
    """In a worker, on its own store connection: resolve, write to a temporary file next to
    ``path``, then, unless cancelled first, record the edition and rename the file into place
    in one step (an earlier file stays intact unless both succeed)."""
    from briefer import faults
    from briefer.app.export import resolve_briefing, write_export

    report(5, "Reading the facts\u2026")
    store = store_opener()
    try:
        document = resolve_briefing(store, briefing, today=today, horizon_months=horizon_months)
        if cancelled.is_set():
            raise Cancelled()
        report(30, "Converting with LibreOffice\u2026" if export_format(fmt).needs_libreoffice
               else "Writing the document\u2026")

        @contextlib.contextmanager
        def guard() -> Iterator[None]:
            faults.step("export-dialog-before-claim")
            with cancelled.claim():
                report(95, "Finishing\u2026")
                yield

        result = write_export(store, document, path, fmt, today=today, reference_doc=reference, edition=edition,
                              guard=guard, cancelled=cancelled.is_set)
    finally:
        store.close()
    report(100, "Done")
    return result


#: the citation styles the dialog offers (briefer.domain.briefing.CITATION_STYLES)
CITATION_CHOICES = [
    ("full", "Full \u2014 each footnote quotes its sources"),
    ("short", "Short \u2014 source, date and place"),
    ("evidence", "Evidence \u2014 short footnotes and an Evidence appendix of quotes"),
]


class ExportDialog(QDialog):
    def __init__(self, doc: Any, store: Any, *, today: date | None = None, parent: QWidget | None = None,
                 context: WindowContext | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.horizon_months = context.horizon_months if context is not None else 12
        from briefer.ui.prewarm import prewarm

        prewarm("export")  # the export modules the format registry lists
        from briefer.export.pdf import find_soffice

        self.doc = doc
        self.store = store
        self.today = today or date.today()
        self.task: Task | None = None
        self._token = CancelToken()
        self.written: Path | None = None
        self.result: Any = None
        self.edition: Any = None
        self.setWindowTitle("Export briefing")
        self.setWindowIcon(icons.icon("export"))
        s = ui_settings.settings()

        self.format_combo = QComboBox()
        self.format_combo.setAccessibleName("Format")
        has_soffice = find_soffice() is not None
        for f in export_formats.FORMATS:
            self.format_combo.addItem(f.label, f.code)
            if f.needs_libreoffice and not has_soffice:
                i = self.format_combo.count() - 1
                self.format_combo.model().item(i).setEnabled(False)  # type: ignore[attr-defined]
                self.format_combo.setItemText(i, f"{f.code.upper()} \u2014 needs LibreOffice, which is not installed")
                self.format_combo.setItemData(i, f"Install LibreOffice to export {f.code.upper()} (Debian/Ubuntu: "
                                                 "libreoffice-writer-nogui)", Qt.ItemDataRole.ToolTipRole)
        self.data_dir = context.data_dir if context is not None else Path(store.path).parent
        prefs = _preferences(self.data_dir)
        last = str(s.value("export/format", "") or prefs.get("format") or "docx")
        i = self.format_combo.findData(last)
        if i >= 0 and (has_soffice or not any(f.code == last and f.needs_libreoffice for f in export_formats.FORMATS)):
            self.format_combo.setCurrentIndex(i)

        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("File to write")
        self.path_edit.setText(str(self._proposed_path(prefs)))
        browse = QPushButton(icons.icon("folder"), "&Browse\u2026")
        browse.clicked.connect(self._browse)
        prow = QHBoxLayout()
        prow.addWidget(self.path_edit, 1)
        prow.addWidget(browse)

        self.reference_edit = QLineEdit(str(s.value("export/reference", "") or prefs.get("reference") or ""))
        self.reference_edit.setPlaceholderText("Briefer's own styles")
        self.reference_edit.setAccessibleName("Reference document")
        self.reference_edit.setToolTip("A .docx whose styles (fonts, colours, headings) the export uses, as pandoc's "
                                       "--reference-doc")
        ref_browse = QPushButton("Choose\u2026")
        ref_browse.clicked.connect(self._browse_reference)
        ref_clear = QPushButton("Default")
        ref_clear.clicked.connect(self.reference_edit.clear)
        rrow = QHBoxLayout()
        rrow.addWidget(self.reference_edit, 1)
        rrow.addWidget(ref_browse)
        rrow.addWidget(ref_clear)

        self.marking_combo = QComboBox()
        self.marking_combo.setEditable(True)
        self.marking_combo.addItems(MARKINGS)
        self.marking_combo.setEditText(doc.briefing.cover.marking)
        self.marking_combo.setAccessibleName("Handling marking")
        self.marking_combo.setToolTip("Printed in the header and footer of every page (may be empty)")

        self.citations_combo = QComboBox()
        for code, label in CITATION_CHOICES:
            self.citations_combo.addItem(label, code)
        self.citations_combo.setCurrentIndex(
            max(0, self.citations_combo.findData(doc.briefing.options.citations)))
        self.citations_combo.setAccessibleName("Citation style")
        self.citations_combo.setToolTip("Full: each footnote quotes its sources. Short: source, date and place. "
                                        "Evidence: short footnotes and an Evidence appendix with the quotes.")

        self.edition_check = QCheckBox()
        self.edition_check.setVisible(bool(doc.template))
        self.edition_check.setAccessibleName("Issue as an edition of the template")
        self._update_edition_check()

        form = QFormLayout()
        form.addRow("&Format:", self.format_combo)
        form.addRow(_buddy("&Save to:", self.path_edit), prow)
        form.addRow(_buddy("&Reference document:", self.reference_edit), rrow)
        form.addRow("&Marking:", self.marking_combo)
        form.addRow("C&itations:", self.citations_combo)
        if doc.template:
            form.addRow("", self.edition_check)

        self.report_view = QTextBrowser()
        self.report_view.setAccessibleName("Quality report")
        self.report_view.setMinimumHeight(200)

        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.progress.setAccessibleName("Export progress")
        self.state_label = QLabel("")
        self.state_label.setWordWrap(True)
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.export_button = QPushButton(icons.icon("export"), "&Export")
        self.export_button.setDefault(True)
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.setVisible(False)
        self.open_button = QPushButton(icons.icon("open"), "&Open file")
        self.open_button.setVisible(False)
        self.folder_button = QPushButton(icons.icon("folder"), "Show in f&older")
        self.folder_button.setVisible(False)
        self.close_button = QPushButton("Close")
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)

        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(QLabel("<b>Quality report</b> \u2014 read it before you send the briefing:"))
        lay.addWidget(self.report_view, 1)
        lay.addWidget(self.progress)
        lay.addWidget(self.state_label)
        lay.addLayout(buttons)
        self.resize(640, 560)

        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self.cancel_export)
        self.open_button.clicked.connect(self.open_file)
        self.folder_button.clicked.connect(self.show_folder)
        self.close_button.clicked.connect(self.reject)
        self._format_changed()
        self.report = self._build_report()

    # -- inputs -----------------------------------------------------------------------------

    def _proposed_path(self, prefs: dict[str, Any]) -> Path:
        """Where the export goes unless the user says otherwise: the file this briefing last exported to
        (a re-export asks nothing); else a name of its own (the briefing file's, or title and date) in
        the last export folder, the Preferences' export folder, the briefing's folder or Documents."""
        from briefer.ui.file_controller import export_stem, unused_name

        last = self.doc.last_export
        if last is not None:
            return Path(last).with_suffix(self._ext())
        documents = Path.home() / "Documents"
        folder = (ui_settings.last_folder("export") or prefs.get("folder")
                  or (self.doc.path.parent if self.doc.path is not None else None)
                  or (documents if documents.is_dir() else Path.home()))
        return unused_name(Path(folder), export_stem(self.doc, self.today), self._ext(), self.doc)

    def _update_edition_check(self) -> None:
        """"Issue as edition N": on for the first export of a briefing just made from its template, off
        once an edition was recorded from it (briefer.app.editions holds the rule)."""
        template = self.doc.template
        if not template:
            self.edition_check.setChecked(False)
            return
        from briefer.app.editions import next_edition_number, record_by_default

        try:
            number: int | None = next_edition_number(self.store, template, self.doc.template_id)
        except KnownError:
            number = None
        self.edition_check.setText(f"Issue as edition {number} of \u201c{template}\u201d" if number
                                   else f"Issue as the next edition of \u201c{template}\u201d")
        self.edition_check.setToolTip("Record this export as an edition, so the next briefing from the template "
                                      "can say what changed since. Leave it off for another format of the same "
                                      "briefing.")
        self.edition_check.setChecked(record_by_default(template, fresh_run=self.doc.fresh_template_run,
                                                        recorded=self.doc.editions_recorded))

    def fmt(self) -> str:
        return str(self.format_combo.currentData())

    def _ext(self) -> str:
        code = self.format_combo.currentData() if hasattr(self, "format_combo") else export_formats.FORMATS[0].code
        return export_format(str(code)).extension

    def _format_changed(self, *_args: Any) -> None:
        text = self.path_edit.text().strip()
        if text:
            p = Path(text)
            stem = p.name
            for ext in sorted((e for f in export_formats.FORMATS for e in f.extensions), key=len, reverse=True):
                if stem.lower().endswith(ext):
                    stem = stem[: -len(ext)]
                    break
            self.path_edit.setText(str(p.with_name(stem + self._ext())))
        self.reference_edit.setEnabled(export_format(self.fmt()).reference_doc)

    def _browse(self) -> None:
        flt = export_format(self.fmt()).file_filter
        path = filedialogs.ask_save_path(self, "Export briefing to", f"{flt};;All files (*)", self.path_edit.text())
        if path is not None:
            if not path.suffix:
                path = path.with_suffix(self._ext())
            self.path_edit.setText(str(path))

    def _browse_reference(self) -> None:
        path = filedialogs.ask_open_path(self, "Reference document", filedialogs.DOCX_FILTER,
                                         self.reference_edit.text())
        if path is not None:
            self.reference_edit.setText(str(path))

    def _build_report(self) -> Any:
        from briefer.app.export import resolve_briefing
        from briefer.ui.quality import build_report

        document = resolve_briefing(self.store, self.doc.briefing, today=self.today, horizon_months=self.horizon_months)
        sources = {}
        for fid in self.doc.briefing.fact_ids():
            f = self.doc.facts.get(fid)
            for c in f.citations if f else []:
                if c.source not in sources:
                    try:
                        sources[c.source] = self.store.source(c.source)
                    except KnownError:
                        sources[c.source] = None
        report = build_report(self.doc, document, {k: v for k, v in sources.items() if v is not None},
                              getattr(self.store, "damaged", None), today=self.today)
        self.report_view.setHtml(report.to_html())
        return report

    # -- exporting --------------------------------------------------------------------------------

    def start_export(self) -> None:
        from briefer.app.export import refuse_empty

        try:
            refuse_empty(self.doc.briefing)  # the CLI's rule: nothing written, the reason said
        except KnownError as exc:
            self.state_label.setText(f"\u2716 {exc}.")
            return
        text = self.path_edit.text().strip()
        if not text:
            self.state_label.setText("Choose where to save the file.")
            return
        path = Path(text).expanduser()
        if path.suffix.lower() != self._ext():
            path = path.with_name(path.name + self._ext())
            self.path_edit.setText(str(path))
        reference = Path(self.reference_edit.text().strip()).expanduser() if (
            self.reference_edit.text().strip() and export_format(self.fmt()).reference_doc) else None
        from briefer.ui.file_controller import may_write

        if not may_write(self, self.doc, path):
            self.state_label.setText(f"Not exported: {path.name} was left as it was. Choose another name.")
            return
        from briefer.app.export import with_default_author

        try:
            briefing = with_default_author(self.doc.briefing, self.data_dir).model_copy(deep=True)
        except KnownError as exc:
            self.state_label.setText(f"\u2716 {exc}")
            return
        briefing.cover.marking = self.marking_combo.currentText().strip()
        briefing.options.citations = str(self.citations_combo.currentData())
        fmt = self.fmt()
        cancelled = CancelToken()
        opener = self.store.reopen
        today = self.today
        edition = self._edition_request()
        horizon = self.horizon_months
        task = Task(lambda report: run_export(opener, briefing, path, fmt, reference, today, cancelled, report,
                                              edition, horizon))
        task.cancelled = cancelled  # type: ignore[assignment]
        self._token = cancelled
        task.signals.progress.connect(self._progress)
        task.signals.finished.connect(self._done)
        task.signals.failed.connect(self._failed)
        self.task = task
        self._busy(True)
        self.state_label.setText(f"Exporting to {path}\u2026")
        s = ui_settings.settings()
        s.setValue("export/format", fmt)
        ui_settings.set_last_folder("export", path.absolute().parent)
        s.setValue("export/reference", self.reference_edit.text().strip())
        start(task)

    def cancel_export(self) -> bool:
        """Cancel the export if it has not reached the rename; False (and a message) when too late."""
        if self.task is not None:
            if not self._token.cancel():
                self.state_label.setText("Too late to cancel: the file was written (or is being written now).")
                return False
            self.task = None
        self._busy(False)
        self.state_label.setText("Export cancelled. No file was written; any earlier file is unchanged.")
        return True

    def _busy(self, on: bool) -> None:
        self.progress.setVisible(on)
        self.progress.setValue(0)
        self.cancel_button.setVisible(on)
        self.export_button.setEnabled(not on)
        self.close_button.setEnabled(not on)
        for w in (self.format_combo, self.path_edit, self.reference_edit, self.marking_combo, self.edition_check):
            w.setEnabled(not on)
        if on:
            self.open_button.setVisible(False)
            self.folder_button.setVisible(False)
        else:
            self.reference_edit.setEnabled(export_format(self.fmt()).reference_doc)

    def _progress(self, percent: int, message: str) -> None:
        if self.task is None:
            return
        self.progress.setValue(percent)
        self.state_label.setText(message)

    def _done(self, result: Any) -> None:
        if self.task is None:  # cancelled meanwhile
            return
        self.task = None
        self._busy(False)
        self.result = result
        self.written = result.path
        self.edition = getattr(result, "edition", None)
        from briefer.ui.file_controller import wrote

        wrote(self.doc, result.path)
        self.doc.last_export = result.path
        if self.edition is not None:
            self.doc.editions_recorded += 1
        self._update_edition_check()
        extra = ""
        if result.warnings:
            extra = "<br>Notes: " + "; ".join(result.warnings[:5])
        if self.edition is not None:
            extra += f"<br>Recorded as edition {self.edition.number} of \u201c{self.doc.template}\u201d."
        self.state_label.setText(f"\u2714 Exported {result.footnotes} footnoted facts to <b>{result.path}</b>{extra}")
        self.open_button.setVisible(True)
        self.folder_button.setVisible(True)
        self.open_button.setFocus()
        self.close_button.setText("Close")

    def _edition_request(self) -> EditionRequest | None:
        """The briefing came from a template: record this export as its next edition (facts and
        their content hashes), so the next edition can report what changed."""
        if not self.edition_check.isChecked():
            return None
        from briefer.app.export import edition_request

        return edition_request(self.doc.briefing, self.doc.facts, self.doc.template, self.doc.template_id)

    def _failed(self, exc: BaseException, details: str) -> None:
        if self.task is None:
            return
        self.task = None
        self._busy(False)
        from briefer.export.pdf import ConversionCancelled

        if isinstance(exc, (Cancelled, ConversionCancelled)):
            self.state_label.setText("Export cancelled.")
            return
        if isinstance(exc, KnownError):
            self.state_label.setText(f"\u2716 The export failed: {exc}. Any earlier file is unchanged.")
            return
        if self.context is not None:
            self.context.show_crash(exc, details)  # a bug: the briefing is autosaved, then the crash dialog
        self.state_label.setText(f"\u2716 The export failed unexpectedly: {type(exc).__name__}: {exc}")

    def open_file(self) -> None:
        if self.written is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.written)))

    def show_folder(self) -> None:
        if self.written is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.written.parent)))

    def reject(self) -> None:
        if self.task is not None and not self.cancel_export():
            return  # the file is being written: the dialog stays until it is done
        super().reject()
