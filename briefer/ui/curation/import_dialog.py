"""File → Import sources: several documents at once, read in a worker
thread with progress; then the analyst corrects each document's metadata and
accepts, edits or rejects its candidate facts, and imports everything in one
transaction."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from briefer.domain.typography import count, nested_quotes
from briefer.errors import KnownError
from briefer.ui import filedialogs, messages
from briefer.ui.workers import Task, start

IMPORT_FILTER = "Documents (*.txt *.md *.markdown *.html *.htm *.docx *.pdf);;All files (*)"
DECISION_TEXT = {"pending": "Pending", "accepted": "Accept", "rejected": "Reject"}
#: the grade of a source nobody has graded yet (the Admiralty scale's "cannot be judged")
UNGRADED = "F"
_INDEX = QModelIndex | QPersistentModelIndex


class CandidatesModel(QAbstractTableModel):
    """The candidate facts of one document, with the analyst's decisions and edits."""

    DECISION, STATEMENT, SECTION, REASON, NEAR, AS_OF = range(6)
    HEADERS = ["Decision", "Statement", "Section", "Why this section", "Near duplicate of", "As of"]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc: Any = None

    def set_document(self, doc: Any) -> None:
        self.beginResetModel()
        self.doc = doc
        self.endResetModel()

    def rowCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.doc is None else len(self.doc.candidates)

    def columnCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def candidate(self, row: int) -> Any:
        return self.doc.candidates[row]

    def value(self, row: int, key: str) -> Any:
        c = self.candidate(row)
        return self.doc.edits.get(c.pos, {}).get(key, getattr(c, key))

    def data(self, index: _INDEX, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.doc is None:
            return None
        row, col = index.row(), index.column()
        c = self.candidate(row)
        decision = self.doc.decisions.get(c.pos, "pending")
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.DECISION:
                return DECISION_TEXT[decision]
            if col == self.STATEMENT:
                edited = "\u270e " if self.doc.edits.get(c.pos, {}).get("statement") else ""
                return edited + self.value(row, "statement")
            if col == self.SECTION:
                return self.value(row, "section")
            if col == self.REASON:
                return ", ".join(c.reason)
            if col == self.NEAR:
                return ", ".join(f"{f} ({s:.0%})" for f, s, _ in c.near)
            if col == self.AS_OF:
                d = self.value(row, "as_of")
                return d.isoformat() if d else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.REASON:
                return "Matched terms from the section vocabularies: " + \
                    "; ".join(f"{s}: {', '.join(t)} ({score:g})" for s, (score, t) in c.scores.items())
            if col == self.NEAR and c.near:
                return "\n".join(f"{f}: {why} ({s:.0%})" for f, s, why in c.near)
            if col == self.STATEMENT:
                return f"Quote (verbatim, {c.location}): {c.quote}"
            if col == self.AS_OF:
                return f"From {c.as_of_note}"
        if role == Qt.ItemDataRole.ForegroundRole and decision == "rejected":
            return QColor(Qt.GlobalColor.gray)
        if role == Qt.ItemDataRole.AccessibleTextRole and col == self.DECISION:
            return f"{DECISION_TEXT[decision]}: {c.statement}"
        return None

    def set_decision(self, rows: list[int], decision: str) -> None:
        for r in rows:
            self.doc.decisions[self.candidate(r).pos] = decision
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), self.columnCount() - 1))

    def set_edit(self, row: int, key: str, value: Any) -> None:
        c = self.candidate(row)
        edits = self.doc.edits.setdefault(c.pos, {})
        if value == getattr(c, key, None) or value in (None, ""):
            edits.pop(key, None)
        else:
            edits[key] = value
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))


class ImportSourcesDialog(QDialog):
    """Import documents as sources, with a review of their candidate facts."""

    #: emitted after the store was changed (an import committed)
    changed = Signal()
    #: emitted when the worker has read and analysed the files (the plan, for tests and the window)
    analysisFinished = Signal(object)
    analysisFailed = Signal(str)

    def __init__(self, store: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import sources")
        self.setAccessibleName("Import sources")
        self.resize(1100, 720)
        self._store = store
        self._paths: list[Path] = []
        self._plan: Any = None
        self._task: Task | None = None
        self._cancel = threading.Event()
        self._sections = [s.id for s in store.sections()]
        self._loading_doc = False
        self._build()
        self._connect_signals()
        self._update_buttons()

    # -- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        top = QHBoxLayout()
        self.add_button = QPushButton("&Add files\u2026")
        self.add_button.setToolTip("Choose .txt, .md, .html, .docx or .pdf documents (several at once)")
        self.cancel_button = QPushButton("Cancel reading")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Reading progress")
        self.status = QLabel("Add the documents to import. Nothing is stored until you press Import.")
        self.status.setWordWrap(True)
        top.addWidget(self.add_button)
        top.addWidget(self.cancel_button)
        top.addWidget(self.progress, 1)

        self.documents = QListWidget()
        self.documents.setAccessibleName("Documents")
        meta_box = QGroupBox("Document")
        form = QFormLayout(meta_box)
        self.title_edit = QLineEdit()
        self.author_edit = QLineEdit()
        self.outlet_edit = QLineEdit()
        self.published_edit = QLineEdit()
        self.published_edit.setPlaceholderText("YYYY-MM-DD, or empty when the document gives no date")
        self.date_note_edit = QLineEdit()
        self.kind_combo = QComboBox()
        from briefer.domain.models import RELIABILITY_LABELS, SourceKind

        for k in SourceKind:
            self.kind_combo.addItem(str(k), k)
        self.reliability_combo = QComboBox()
        for g, label in RELIABILITY_LABELS.items():
            self.reliability_combo.addItem(f"{g} \u2014 {label}", g)
        # an imported source is ungraded until the analyst grades it: F, "cannot be judged" (Admiralty)
        self.reliability_combo.setCurrentIndex(self.reliability_combo.findData(UNGRADED))
        self.info_label = QLabel()
        self.info_label.setWordWrap(True)
        for label, w in (("&Title", self.title_edit), ("A&uthor", self.author_edit), ("&Outlet", self.outlet_edit),
                         ("&Published", self.published_edit), ("Date note", self.date_note_edit),
                         ("&Kind", self.kind_combo), ("&Reliability", self.reliability_combo)):
            form.addRow(label, w)
            w.setAccessibleName(label.replace("&", ""))
        form.addRow(self.info_label)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(QLabel("Documents"))
        lv.addWidget(self.documents, 1)
        lv.addWidget(meta_box, 2)

        self.model = CandidatesModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Candidate facts")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(CandidatesModel.STATEMENT, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        for col, width in ((CandidatesModel.DECISION, 70), (CandidatesModel.SECTION, 120),
                           (CandidatesModel.REASON, 140), (CandidatesModel.NEAR, 120), (CandidatesModel.AS_OF, 85)):
            self.table.setColumnWidth(col, width)
        buttons = QHBoxLayout()
        self.accept_button = QPushButton("&Accept")
        self.reject_button = QPushButton("Re&ject")
        self.pending_button = QPushButton("Leave &pending")
        self.accept_all_button = QPushButton("Accept a&ll")
        for b in (self.accept_button, self.reject_button, self.pending_button, self.accept_all_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        edit_box = QGroupBox("Selected candidate")
        ef = QFormLayout(edit_box)
        self.statement_edit = QPlainTextEdit()
        self.statement_edit.setTabChangesFocus(True)
        self.statement_edit.setAccessibleName("Statement")
        self.statement_edit.setMaximumHeight(70)
        self.section_combo = QComboBox()
        self.section_combo.addItems(self._sections)
        self.section_combo.setAccessibleName("Section")
        self.as_of_edit = QLineEdit()
        self.as_of_edit.setAccessibleName("As of")
        self.priority_spin = QSpinBox()
        self.priority_spin.setRange(1, 5)
        self.priority_spin.setValue(3)
        self.quote_label = QLabel()
        self.quote_label.setWordWrap(True)
        self.quote_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        ef.addRow("S&tatement", self.statement_edit)
        ef.addRow("&Section", self.section_combo)
        ef.addRow("As o&f", self.as_of_edit)
        ef.addRow("Priorit&y", self.priority_spin)
        ef.addRow("Quote", self.quote_label)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(QLabel("Candidate facts (the section suggested and the terms that suggested it)"))
        rv.addWidget(self.table, 1)
        rv.addLayout(buttons)
        rv.addWidget(edit_box)

        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        split.setSizes([300, 800])

        bottom = QHBoxLayout()
        self.import_button = QPushButton("&Import")
        self.import_button.setDefault(True)
        self.close_button = QPushButton("Close")
        bottom.addStretch(1)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self._ask_files)
        self.cancel_button.clicked.connect(self._cancel.set)
        self.documents.currentRowChanged.connect(self._show_document)
        self.table.selectionModel().selectionChanged.connect(self._show_candidate)
        self.accept_button.clicked.connect(lambda: self._decide("accepted"))
        self.reject_button.clicked.connect(lambda: self._decide("rejected"))
        self.pending_button.clicked.connect(lambda: self._decide("pending"))
        self.accept_all_button.clicked.connect(self._accept_all)
        self.statement_edit.textChanged.connect(lambda: self._edit("statement", self.statement_edit.toPlainText()))
        self.section_combo.currentTextChanged.connect(lambda t: self._edit("section", t))
        self.as_of_edit.editingFinished.connect(self._edit_as_of)
        self.priority_spin.valueChanged.connect(lambda v: self._edit("priority", v if v != 3 else None))
        for w in (self.title_edit, self.author_edit, self.outlet_edit, self.published_edit, self.date_note_edit):
            w.editingFinished.connect(self._save_metadata)
        self.kind_combo.currentIndexChanged.connect(self._save_metadata)
        self.reliability_combo.currentIndexChanged.connect(self._save_metadata)
        self.import_button.clicked.connect(self.commit)
        self.close_button.clicked.connect(self.reject)

    # -- reading ----------------------------------------------------------------------------

    def _ask_files(self) -> None:
        paths = filedialogs.ask_open_paths(self, "Import sources", IMPORT_FILTER)
        if paths:
            self.add_files(paths)

    def add_files(self, paths: list[Path]) -> None:
        """Read and analyse ``paths`` (with those added before) in a worker thread."""
        for p in paths:
            if Path(p) not in self._paths:
                self._paths.append(Path(p))
        self._analyse()

    def _analyse(self) -> None:
        from briefer.app.importing import analyse

        self._cancel.clear()
        paths = list(self._paths)
        store = self._store
        cancel = self._cancel

        def work(report: Any) -> Any:
            own = store.reopen()  # this thread's own connection
            try:
                return analyse(paths, own, progress=lambda i, n, name: report(int(100 * i / max(n, 1)), name),
                               cancelled=cancel.is_set)
            finally:
                own.close()

        self._task = Task(work)
        self._task.signals.progress.connect(self._on_progress)
        self._task.signals.finished.connect(self._on_analysed)
        self._task.signals.failed.connect(self._on_failed)
        self.progress.setValue(0)
        self.status.setText(f"Reading {count(len(paths), 'document')}\u2026")
        self._update_buttons()
        start(self._task)

    def _on_progress(self, percent: int, name: str) -> None:
        self.progress.setValue(percent)
        if name:
            self.status.setText(f"Reading {name}\u2026")

    def _on_failed(self, exc: BaseException, details: str) -> None:
        self._task = None
        self.status.setText(f"Reading failed: {exc}")
        self._update_buttons()
        self.analysisFailed.emit(str(exc))

    def _on_analysed(self, plan: Any) -> None:
        # keep the analyst's decisions and corrections for documents read before
        if self._plan is not None:
            old = {d.path: d for d in self._plan.documents}
            plan.documents = [old.get(d.path, d) for d in plan.documents]
        self._plan = plan
        self._task = None
        self.progress.setValue(100)
        self.documents.clear()
        for doc in plan.documents:
            n = len(doc.candidates)
            what = f"already in the store as {doc.duplicate_of}" if doc.duplicate_of else count(n, "candidate fact")
            over = {why: k for why, k in doc.skipped.items() if why.startswith("not analysed")}
            if over and not doc.duplicate_of:  # the candidate limit: never silent
                what += "".join(f"; {count(k, 'later sentence')} {why}" for why, k in over.items())
            text = f"{doc.name}\n  {what}"
            item = QListWidgetItem(("\u2714 " if not doc.duplicate_of else "\u2261 ") + text)
            item.setToolTip(f"{doc.format}, {doc.encoding or 'binary'}; removed: "
                            + (", ".join(sorted({k for k, _ in doc.removed})) or "nothing"))
            self.documents.addItem(item)
        for path, msg in plan.errors:
            item = QListWidgetItem(f"\u2716 {path.name}\n  {msg}")
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            item.setToolTip(msg)
            self.documents.addItem(item)
        ok = [d for d in plan.documents if not d.duplicate_of]
        parts = [f"{count(len(ok), 'document')} ready to import"]
        dups = [d for d in plan.documents if d.duplicate_of]
        if dups:
            parts.append(f"{len(dups)} already in the store (not imported twice)")
        if plan.errors:
            parts.append(f"{len(plan.errors)} could not be read (see the list)")
        self.status.setText("; ".join(parts) + ". Review the candidates, then press Import.")
        if plan.documents:
            self.documents.setCurrentRow(0)
        self._update_buttons()
        self.analysisFinished.emit(plan)

    # -- reviewing ---------------------------------------------------------------------------

    def current_document(self) -> Any:
        row = self.documents.currentRow()
        if self._plan is None or not 0 <= row < len(self._plan.documents):
            return None
        return self._plan.documents[row]

    def _show_document(self, row: int) -> None:
        doc = self.current_document()
        self._loading_doc = True
        try:
            self.model.set_document(doc)
            for w, value in ((self.title_edit, doc.title if doc else ""), (self.author_edit, doc.author if doc else ""),
                             (self.outlet_edit, doc.outlet if doc else ""),
                             (self.published_edit, doc.published.isoformat() if doc and doc.published else ""),
                             (self.date_note_edit, doc.date_note if doc else "")):
                w.setText(value or "")
            if doc:
                self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(doc.kind), 0))
                grade = self.reliability_combo.findData(doc.reliability or UNGRADED)
                self.reliability_combo.setCurrentIndex(grade if grade >= 0 else
                                                       self.reliability_combo.findData(UNGRADED))
                removed = sorted({k for k, _ in doc.removed})
                self.info_label.setText(
                    f"{doc.format.upper()}, {doc.encoding or 'zip'}; language {doc.language}; will be source "
                    f"\u201c{doc.source_id}\u201d."
                    + (f" Removed as page furniture: {', '.join(removed)}." if removed else "")
                    + (f" Already in the store as {doc.duplicate_of}: it will not be imported again."
                       if doc.duplicate_of else ""))
        finally:
            self._loading_doc = False
        if doc and doc.candidates:
            self.table.selectRow(0)
        self._update_buttons()

    def _save_metadata(self) -> None:
        doc = self.current_document()
        if doc is None or self._loading_doc:
            return
        from briefer.domain.dates import parse_date

        doc.title = self.title_edit.text().strip() or None
        doc.author = self.author_edit.text().strip() or None
        doc.outlet = self.outlet_edit.text().strip() or None
        text = self.published_edit.text().strip()
        published = parse_date(text) if text else None
        if text and published is None:
            self.status.setText(f"\u201c{text}\u201d is not a date: write it as YYYY-MM-DD.")
            self.published_edit.setFocus()
        else:
            doc.published = published
        doc.date_note = self.date_note_edit.text().strip()
        doc.kind = self.kind_combo.currentData()
        doc.reliability = self.reliability_combo.currentData()

    def _rows(self) -> list[int]:
        return sorted({i.row() for i in self.table.selectionModel().selectedRows()})

    def _show_candidate(self) -> None:
        rows = self._rows()
        if len(rows) != 1 or self.model.doc is None:
            return
        r = rows[0]
        c = self.model.candidate(r)
        self._loading_doc = True
        try:
            self.statement_edit.setPlainText(self.model.value(r, "statement"))
            self.section_combo.setCurrentText(self.model.value(r, "section"))
            d = self.model.value(r, "as_of")
            self.as_of_edit.setText(d.isoformat() if d else "")
            self.priority_spin.setValue(self.model.doc.edits.get(c.pos, {}).get("priority", 3))
            near = "".join(f"\n\u26a0 Near duplicate of fact {f}: {why} ({s:.0%})" for f, s, why in c.near)
            self.quote_label.setText(f"\u201c{nested_quotes(c.quote)}\u201d ({c.location}){near}")
        finally:
            self._loading_doc = False

    def _edit(self, key: str, value: Any) -> None:
        rows = self._rows()
        if self._loading_doc or len(rows) != 1 or self.model.doc is None:
            return
        self.model.set_edit(rows[0], key, value.strip() if isinstance(value, str) else value)

    def _edit_as_of(self) -> None:
        text = self.as_of_edit.text().strip()
        try:
            value = date.fromisoformat(text) if text else None
        except ValueError:
            self.status.setText(f"\u201c{text}\u201d is not a date: write it as YYYY-MM-DD.")
            return
        self._edit("as_of", value)

    def _decide(self, decision: str) -> None:
        self.model.set_decision(self._rows(), decision)
        self._update_buttons()

    def _accept_all(self) -> None:
        if self.model.doc is not None:
            self.model.set_decision(list(range(self.model.rowCount())), "accepted")
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self._task is not None
        self.add_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        has_doc = self.model.doc is not None and not self.model.doc.duplicate_of
        for b in (self.accept_button, self.reject_button, self.pending_button, self.accept_all_button):
            b.setEnabled(has_doc and not busy)
        ready = self._plan is not None and any(not d.duplicate_of for d in self._plan.documents)
        self.import_button.setEnabled(ready and not busy)

    def done(self, result: int) -> None:
        self._cancel.set()  # a reading still running stops after the current file
        super().done(result)

    # -- committing --------------------------------------------------------------------------

    def commit(self) -> Any:
        """Import the documents (one transaction).  Returns the result, or None if nothing happened."""
        from briefer.app.importing import import_plan

        if self._plan is None:
            return None
        self._save_metadata()
        try:
            result = import_plan(self._plan, self._store, self._store.path.parent)
        except KnownError as exc:
            messages.error(self, "Import failed", str(exc), "Nothing was imported; the store is as it was.")
            return None
        self.changed.emit()
        pending = result.pending
        self.status.setText(
            f"Imported {count(len(result.sources), 'source')}: {count(len(result.facts), 'fact')} added, "
            f"{count(pending, 'candidate')} kept for review, {result.rejected} rejected.")
        self._plan = None
        self._paths = []
        self.documents.clear()
        self.model.set_document(None)
        self._update_buttons()
        return result
