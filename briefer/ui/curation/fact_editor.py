"""Add or edit a fact: statement, section, tags, priority, as_of, status and
the fact that supersedes it, notes; citations made by selecting text in a
source's full-text view and pressing "Cite selection" (so every quote is
verbatim by construction), graded for credibility, with the source's
reliability grade beside it; and the fact's history, with restore."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from briefer.domain.models import CREDIBILITY_LABELS, RELIABILITY_LABELS, Citation, Fact, FactStatus
from briefer.domain.typography import count
from briefer.domain.versions import VersionConflict
from briefer.errors import KnownError
from briefer.model.permissions import Permissions
from briefer.ui import messages
from briefer.ui.dialogs.discard_guard import DiscardGuard
from briefer.ui.utf16 import py_index, utf16_pos


class FactEditorDialog(DiscardGuard, QDialog):
    """Edit fact ``fact_id``, or add a new fact when it is None."""

    #: emitted after the store was changed (saved, restored, deleted, a source graded)
    changed = Signal()

    def __init__(self, store: Any, fact_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        from briefer.ui import role_gates

        self._perms = role_gates.of_store(store)
        self._fact_id = fact_id
        #: the version the editor shows (read before the fact: a change in between is a conflict, never lost)
        self._version: int | None = store.fact_version(fact_id).version if fact_id else None
        self._source_versions: dict[str, int] = {}
        self._fact: Fact | None = store.fact(fact_id) if fact_id else None
        self._citations: list[Citation] = list(self._fact.citations) if self._fact else []
        self.setWindowTitle(f"Edit fact \u2014 {fact_id}" if fact_id else "New fact")
        self.setAccessibleName(self.windowTitle())
        self.resize(1100, 760)
        self._sources = {s.id: s for s in store.sources()}
        self._build()
        self._connect_signals()
        self._load()

    # -- layout -------------------------------------------------------------------------

    def _build(self) -> None:
        self.tabs = QTabWidget()
        fact_tab = QWidget()
        form = QFormLayout(fact_tab)  # the fact
        self.id_edit = QLineEdit()
        self.id_edit.setPlaceholderText("made from the statement when empty")
        self.statement_edit = QPlainTextEdit()
        self.statement_edit.setTabChangesFocus(True)  # Tab goes on to Section, as in every form
        self.statement_edit.setMaximumHeight(90)
        self.section_combo = QComboBox()
        for s in self._store.sections():
            self.section_combo.addItem(s.title, s.id)
        self.tags_edit = QLineEdit()
        self.tags_edit.setPlaceholderText("kind:value; kind:value (e.g. person:Shigeru Ishiba; topic:penalties)")
        self.priority_spin = QSpinBox()
        self.priority_spin.setRange(1, 5)
        self.priority_spin.setToolTip("1 = background detail \u2026 5 = headline")
        self.as_of_edit = QDateEdit()
        self.as_of_edit.setCalendarPopup(True)
        self.as_of_edit.setDisplayFormat("yyyy-MM-dd")
        self.stale_label = QLabel()
        self.status_combo = QComboBox()
        for st in FactStatus:
            self.status_combo.addItem(str(st), st)
        self.superseded_combo = QComboBox()
        self.superseded_combo.setEditable(True)
        self.superseded_combo.addItem("")
        for f in self._store.facts():
            if f.id != self._fact_id:
                self.superseded_combo.addItem(f.id)
        self.supersedes_label = QLabel()
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("why the status changes (kept in the notes)")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setMinimumHeight(80)
        self.statement_edit.setMinimumHeight(60)
        for label, w in (("&Id", self.id_edit), ("Stat&ement", self.statement_edit), ("Se&ction", self.section_combo),
                         ("&Tags", self.tags_edit), ("&Priority", self.priority_spin), ("&As of", self.as_of_edit),
                         ("", self.stale_label), ("Stat&us", self.status_combo),
                         ("Superseded &by", self.superseded_combo), ("", self.supersedes_label),
                         ("&Reason", self.reason_edit), ("&Notes", self.notes_edit)):
            form.addRow(label, w)
            if label:
                w.setAccessibleName(label.replace("&", ""))
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        for note in (self.stale_label, self.supersedes_label):
            note.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.tabs.addTab(fact_tab, "&Fact")

        # citations: the source's full text, select, cite
        cite_tab = QWidget()
        self.source_combo = QComboBox()
        self.source_combo.setAccessibleName("Source")
        for s in self._sources.values():
            self.source_combo.addItem(f"{s.display_title} ({s.id})", s.id)
        self.reliability_combo = QComboBox()
        self.reliability_combo.setAccessibleName("Source reliability")
        for g, label in RELIABILITY_LABELS.items():
            self.reliability_combo.addItem(f"{g} \u2014 {label}", g)
        self.source_text = QPlainTextEdit()
        self.source_text.setTabChangesFocus(True)
        self.source_text.setReadOnly(True)
        self.source_text.setAccessibleName("Source text")
        self.source_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                                 | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.cite_button = QPushButton("&Cite selection")
        self.cite_button.setToolTip("Add the selected text as a citation (quoted exactly as it stands)")
        self.citations_table = QTableWidget(0, 4)
        self.citations_table.setHorizontalHeaderLabels(["Source", "Quote", "Location", "Credibility"])
        self.citations_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.citations_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.citations_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.citations_table.setAccessibleName("Citations")
        self.remove_cite_button = QPushButton("&Remove citation")
        top = QHBoxLayout()
        top.addWidget(QLabel("Source"))
        top.addWidget(self.source_combo, 1)
        top.addWidget(QLabel("Reliability"))
        top.addWidget(self.reliability_combo)
        upper = QWidget()
        uv = QVBoxLayout(upper)
        uv.setContentsMargins(0, 0, 0, 0)
        uv.addLayout(top)
        uv.addWidget(self.source_text, 1)
        row = QHBoxLayout()
        row.addWidget(self.cite_button)
        row.addStretch(1)
        uv.addLayout(row)
        lower = QWidget()
        lv = QVBoxLayout(lower)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(QLabel("Citations (select text above and press Cite selection)"))
        lv.addWidget(self.citations_table, 1)
        lv.addWidget(self.remove_cite_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        cv = QVBoxLayout(cite_tab)
        cv.addWidget(split)
        self.tabs.addTab(cite_tab, "Citati&ons")

        # history
        hist_tab = QWidget()
        self.history_table = QTableWidget(0, 4)
        self.history_table.setHorizontalHeaderLabels(["#", "When", "Who", "What changed"])
        self.history_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.history_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_table.setAccessibleName("History")
        self.restore_button = QPushButton("Re&store this version")
        hv = QVBoxLayout(hist_tab)
        hv.addWidget(self.history_table, 1)
        hv.addWidget(self.restore_button)
        self.tabs.addTab(hist_tab, "&History")

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.save_button = QPushButton("&Save")
        self.save_button.setDefault(True)
        self.delete_button = QPushButton("&Delete fact\u2026")
        self.cancel_button = QPushButton("Close")
        bottom = QHBoxLayout()
        bottom.addWidget(self.delete_button)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

    def _connect_signals(self) -> None:
        self.source_combo.currentIndexChanged.connect(self._show_source)
        self.reliability_combo.activated.connect(self._grade_source)
        self.cite_button.clicked.connect(self.cite_selection)
        self.remove_cite_button.clicked.connect(self._remove_citation)
        self.status_combo.currentIndexChanged.connect(self._status_changed)
        self.as_of_edit.dateChanged.connect(self._update_stale)
        self.restore_button.clicked.connect(self._restore_selected)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        self.cancel_button.clicked.connect(self.reject)
        self.source_text.selectionChanged.connect(
            lambda: self.cite_button.setEnabled(self.source_text.textCursor().hasSelection()))

    # -- loading -------------------------------------------------------------------------------

    def _load(self) -> None:
        f = self._fact
        self.id_edit.setText(f.id if f else "")
        self.statement_edit.setPlainText(f.statement if f else "")
        if f:
            self.section_combo.setCurrentIndex(max(self.section_combo.findData(f.section), 0))
        self.tags_edit.setText("; ".join(f.tags) if f else "")
        self.priority_spin.setValue(f.priority if f else 3)
        d = f.as_of if f else date.today()
        self.as_of_edit.setDate(QDate(d.year, d.month, d.day))
        self.status_combo.setCurrentIndex(max(self.status_combo.findData(f.status if f else FactStatus.CURRENT), 0))
        self.superseded_combo.setCurrentText(f.superseded_by or "" if f else "")
        self.notes_edit.setPlainText(f.notes if f else "")
        if f:
            from briefer.domain.curation import supersedes

            older = supersedes(self._store, f.id)
            self.supersedes_label.setText(f"This fact supersedes: {', '.join(older)}" if older else "")
            first = f.citations[0].source
            self.source_combo.setCurrentIndex(max(self.source_combo.findData(first), 0))
        self._status_changed()
        self._show_source()
        self._fill_citations()
        self._fill_history()
        self._update_stale()
        self.cite_button.setEnabled(False)

    def _update_stale(self) -> None:
        from briefer.domain.freshness import cutoff
        from briefer.store.preferences import stale_after_months

        horizon = stale_after_months(self._store.path.parent)
        d: date = self.as_of_edit.date().toPython()  # type: ignore[assignment]
        stale = d < cutoff(date.today(), horizon)
        self.stale_label.setText(f"\u26a0 Stale: older than {count(horizon, 'month')}" if stale else "")

    def _status_changed(self) -> None:
        superseded = self.status_combo.currentData() == FactStatus.SUPERSEDED
        self.superseded_combo.setEnabled(superseded)

    def _show_source(self) -> None:
        sid = self.source_combo.currentData()
        if not sid:
            return
        self._source_versions[sid] = self._store.source_version(sid).version
        src = self._store.source(sid)
        self._sources[sid] = src
        self.source_text.setPlainText(src.text)
        self.reliability_combo.setCurrentIndex(max(self.reliability_combo.findData(src.reliability), 0))

    def _fill_citations(self) -> None:
        t = self.citations_table
        t.setRowCount(len(self._citations))
        for r, c in enumerate(self._citations):
            src = self._sources.get(c.source)
            t.setItem(r, 0, QTableWidgetItem(f"{c.source} ({src.reliability if src else '?'})"))
            t.setItem(r, 1, QTableWidgetItem(c.quote))
            t.setItem(r, 2, QTableWidgetItem(c.location))
            combo = QComboBox()
            combo.addItem("\u2014 not graded", None)
            for n, label in CREDIBILITY_LABELS.items():
                combo.addItem(f"{n} \u2014 {label}", n)
            combo.setCurrentIndex(max(combo.findData(c.credibility), 0) if c.credibility else 0)
            combo.setAccessibleName(f"Credibility of citation {r + 1}")
            combo.currentIndexChanged.connect(lambda _i, row=r, cb=combo: self._set_credibility(row, cb.currentData()))
            t.setCellWidget(r, 3, combo)

    def _fill_history(self) -> None:
        hist = self._store.history(self._fact_id) if self._fact_id else []
        self._history = hist
        t = self.history_table
        t.setRowCount(len(hist))
        for r, h in enumerate(hist):
            from briefer.domain.curation import history_changes

            what = "; ".join(history_changes(h["before"], h["after"])) or h["action"]
            for col, value in enumerate((str(h["version"]), h["changed_at"], h["analyst"] or "unknown",
                                         f"{h['action']}: {what}" if what != h["action"] else what)):
                t.setItem(r, col, QTableWidgetItem(value))
        self._gate_role()

    def role_changed(self, perms: Permissions) -> None:
        """An admin changed this user's role while the editor is open (a team library's live updates):
        grey out, or give back, at once; what the analyst typed stays."""
        self._perms = perms
        self._gate_role()

    def _gate_role(self) -> None:
        """What the role may not do stays grey, saying why (the server would refuse it anyway)."""
        from briefer.ui import role_gates

        for thing, usable, capability in ((self.save_button, True, "can_edit"),
                                          (self.delete_button, self._fact is not None, "can_delete"),
                                          (self.restore_button, bool(self._history), "can_edit"),
                                          (self.reliability_combo, True, "can_grade")):
            thing.setEnabled(usable)
            role_gates.gate(thing, self._perms, capability)

    # -- citations --------------------------------------------------------------------------------

    def cite_selection(self) -> Citation | None:
        """Add the selected source text as a citation, exactly as it stands in the source."""
        from briefer.domain.provenance import locate

        cursor = self.source_text.textCursor()
        if not cursor.hasSelection():
            self.message.setText("Select the passage to quote in the source text first.")
            return None
        sid = self.source_combo.currentData()
        text = self._store.source(sid).text
        shown = self.source_text.toPlainText()
        # Qt counts positions in UTF-16 units: an emoji or a rare kanji is two of them
        start, end = py_index(shown, cursor.selectionStart()), py_index(shown, cursor.selectionEnd())
        if shown != text:  # the view changed line breaks: find the passage in the stored text
            from briefer.domain.provenance import find_quote

            span = find_quote(text, shown[start:end])
            if span is None:
                self.message.setText("The selection could not be matched to the source text.")
                return None
            start, end = span
        quote = text[start:end].strip()
        if len(quote) < 3:
            self.message.setText("Select a longer passage (at least three characters).")
            return None
        lead = len(text[start:end]) - len(text[start:end].lstrip())
        cite = Citation(source=sid, quote=quote, location=locate(text, start + lead))
        if any(c.source == cite.source and c.quote == cite.quote for c in self._citations):
            self.message.setText("That passage is already cited.")
            return None
        self._citations.append(cite)
        self._fill_citations()
        self.message.setText(f"Cited {sid}, {cite.location}.")
        return cite

    def select_in_source(self, source_id: str, passage: str) -> bool:
        """Select ``passage`` in ``source_id``'s text (for the keyboard, and for tests)."""
        self.source_combo.setCurrentIndex(self.source_combo.findData(source_id))
        text = self.source_text.toPlainText()
        pos = text.find(passage)
        if pos < 0:
            return False
        cursor = self.source_text.textCursor()
        cursor.setPosition(utf16_pos(text, pos))
        cursor.setPosition(utf16_pos(text, pos + len(passage)), QTextCursor.MoveMode.KeepAnchor)
        self.source_text.setTextCursor(cursor)
        return True

    def _remove_citation(self) -> None:
        rows = sorted({i.row() for i in self.citations_table.selectionModel().selectedRows()}, reverse=True)
        for r in rows:
            self._citations.pop(r)
        self._fill_citations()

    def _set_credibility(self, row: int, grade: int | None) -> None:
        self._citations[row] = self._citations[row].model_copy(update={"credibility": grade})

    def _grade_source(self) -> None:
        from briefer.domain.curation import edit_source
        from briefer.store.preferences import analyst_name

        sid = self.source_combo.currentData()
        grade = self.reliability_combo.currentData()
        analyst = analyst_name(self._store.path.parent)
        try:
            with self._store.transaction():
                src = edit_source(self._store, sid, analyst=analyst, reliability=grade,
                                  expected_version=self._source_versions.get(sid))
                self._source_versions[sid] = self._store.source_version(sid).version
        except VersionConflict as exc:
            src = self._resolve_source(exc, self._sources[sid].model_copy(update={"reliability": grade}), analyst)
            if src is None:
                return
        except KnownError as exc:
            messages.error(self, "Could not grade the source", str(exc))
            return
        self._sources[sid] = src
        self._fill_citations()
        self.reliability_combo.setCurrentIndex(max(self.reliability_combo.findData(src.reliability), 0))
        self.message.setText(f"Source {sid} graded {src.reliability} ({RELIABILITY_LABELS[src.reliability]}).")
        self.changed.emit()

    def _resolve_source(self, exc: VersionConflict, yours: Any, analyst: str) -> Any:
        """Someone changed the source meanwhile: theirs and yours side by side; save the choice."""
        from briefer.domain.curation import SOURCE_FIELDS, edit_source
        from briefer.ui.curation.version_conflict import VersionConflictDialog

        while True:
            dlg = VersionConflictDialog(exc, yours, self, base=self._sources.get(exc.record_id))
            if not dlg.exec() or dlg.choice is None:
                self._show_source()
                self.message.setText("Nothing was saved: the source is as its last version left it.")
                return None
            chosen = dlg.chosen()
            sid = exc.record_id
            if dlg.choice == dlg.THEIRS:
                self._source_versions[sid] = exc.current.version
                return exc.theirs
            try:
                with self._store.transaction():
                    src = edit_source(self._store, sid, analyst=analyst, expected_version=exc.current.version,
                                      **{name: getattr(chosen, name) for name in SOURCE_FIELDS})
                    self._source_versions[sid] = self._store.source_version(sid).version
                return src
            except VersionConflict as again:  # a third change meanwhile: compare with that one
                exc = again

    # -- saving -------------------------------------------------------------------------------------

    def _gathered(self) -> Fact:
        from briefer.domain.curation import build_fact, slugify, unique_id

        statement = self.statement_edit.toPlainText().strip()
        fid = self.id_edit.text().strip()
        if not fid:
            fid = unique_id(slugify(statement), [f.id for f in self._store.facts()], fallback_seed=statement)
        tags = [t.strip() for t in self.tags_edit.text().split(";") if t.strip()]
        status = self.status_combo.currentData()
        notes = self.notes_edit.toPlainText().strip()
        reason = self.reason_edit.text().strip()
        if reason and (self._fact is None or status != self._fact.status):
            notes = f"{notes}\nMarked {status}: {reason}".strip()
        superseded_by = self.superseded_combo.currentText().strip() or None
        return build_fact(id=fid, section=self.section_combo.currentData(), statement=statement,
                          citations=[c.model_dump() for c in self._citations],
                          as_of=self.as_of_edit.date().toPython(), tags=tags, priority=self.priority_spin.value(),
                          status=status, superseded_by=superseded_by if status == FactStatus.SUPERSEDED else None,
                          notes=notes,
                          # what the editor does not show stays as it was (saving dropped a fact's headline)
                          headline=self._fact.headline if self._fact else None,
                          variance=self._fact.variance if self._fact else None)

    def save(self) -> bool:
        from briefer.domain import curation
        from briefer.store.preferences import analyst_name

        if not self._citations:
            self.message.setText("A fact needs at least one citation: select a passage and press Cite selection.")
            self.tabs.setCurrentIndex(1)
            return False
        status = self.status_combo.currentData()
        if self._fact is not None and status != self._fact.status and not self.reason_edit.text().strip():
            self.message.setText("Give a reason for the change of status.")
            self.reason_edit.setFocus()
            return False
        try:
            fact = self._gathered()
            analyst = analyst_name(self._store.path.parent)
            with self._store.transaction():  # the version read is the one this save left
                if self._fact is None:
                    fact = curation.add_fact(self._store, fact, analyst=analyst)
                else:
                    fact = curation.edit_fact(self._store, self._fact.id, fact, analyst=analyst,
                                              expected_version=self._version)
                version = self._store.fact_version(fact.id).version
        except VersionConflict as exc:
            return self._resolve(exc, fact, analyst)
        except KnownError as exc:
            messages.error(self, "Could not save the fact", str(exc))
            return False
        return self._saved(fact, version, f"Saved {fact.id}.")

    def _resolve(self, exc: VersionConflict, yours: Fact, analyst: str) -> bool:
        """Someone saved the fact while it was open here: theirs and yours side by side; save the choice
        on top of their version (which stays in the history)."""
        from briefer.domain import curation, versions
        from briefer.ui.curation.version_conflict import VersionConflictDialog

        while True:
            dlg = VersionConflictDialog(exc, yours, self, base=self._fact)
            if not dlg.exec() or dlg.choice is None:
                self.message.setText("Not saved: your edit is still here. Save again to compare once more.")
                return False
            if dlg.choice == dlg.THEIRS:
                self.reason_edit.clear()
                return self._saved(exc.theirs, exc.current.version,
                                   f"Kept {versions.who(exc.current)}'s version; your edit was dropped.")
            action = ("edit, kept over" if dlg.choice == dlg.YOURS else "merge with") + (
                f" version {exc.current.version} by {versions.who(exc.current)}")
            try:
                with self._store.transaction():
                    fact = curation.edit_fact(self._store, exc.record_id, dlg.chosen(), analyst=analyst,
                                              expected_version=exc.current.version, action=action)
                    version = self._store.fact_version(fact.id).version
            except VersionConflict as again:  # a third change meanwhile: compare with that one
                exc = again
                continue
            except KnownError as err:
                messages.error(self, "Could not save the fact", str(err))
                return False
            word = "Saved your version" if dlg.choice == dlg.YOURS else "Saved the merge"
            return self._saved(fact, version, f"{word} on top of version {exc.current.version}.")

    def _saved(self, fact: Fact, version: int, message: str) -> bool:
        self._version = version
        self._fact, self._fact_id = fact, fact.id
        self._citations = list(fact.citations)
        self.setWindowTitle(f"Edit fact \u2014 {fact.id}")
        self.reason_edit.clear()
        self._load()
        self.message.setText(message)
        self.changed.emit()
        return True

    def record_changed(self, change: Any) -> None:
        """A colleague's change in the team library (live updates): say so when it is this fact or a source
        the editor shows.  Saving then compares the two versions side by side."""
        from briefer.domain import versions
        from briefer.ui.live_updates import clock

        if change.kind == "fact" and change.id == self._fact_id and change.version != self._version:
            gone = change.op == "delete"
            by, at = change.who, clock()
            if not gone:
                with contextlib.suppress(KnownError):  # the analyst's name, from the fact's history
                    info = self._store.fact_version(change.id)
                    by, at = versions.who(info), versions.when(info) or at
            self.message.setText(f"\u26a0 {by} {'deleted' if gone else 'changed'} this fact at {at} "
                                 "after you opened it." + ("" if gone else " Saving will show their version "
                                                           "beside yours, to keep one or merge."))
        elif change.kind == "source" and change.id in self._sources and \
                change.version != self._source_versions.get(change.id):
            self.message.setText(f"\u26a0 {change.who} changed source {change.id} at {clock()}.")

    def _restore_selected(self) -> None:
        rows = sorted({i.row() for i in self.history_table.selectionModel().selectedRows()})
        if not rows:
            self.message.setText("Choose the version to restore in the history.")
            return
        self.restore(self._history[rows[0]]["version"])

    def restore(self, version: int) -> bool:
        from briefer.domain.curation import restore_fact
        from briefer.store.preferences import analyst_name

        try:
            fact = restore_fact(self._store, self._fact_id or "", version,
                                analyst=analyst_name(self._store.path.parent))
        except KnownError as exc:
            messages.error(self, "Could not restore the fact", str(exc))
            return False
        self._fact = fact
        self._version = self._store.fact_version(fact.id).version
        self._citations = list(fact.citations)
        self._load()
        self.message.setText(f"Restored version {version}.")
        self.changed.emit()
        return True

    def usage_warning(self) -> str:
        """Which templates and saved editions use this fact, in a sentence ("" when none)."""
        from briefer.app.curation import dependents

        return dependents(self._store, self._store.path.parent, self._fact_id or "").sentence(
            lambda name: f"\u201c{name}\u201d")

    def delete(self) -> bool:
        from briefer.app.curation import delete_fact
        from briefer.store.preferences import analyst_name

        if self._fact_id is None:
            return False
        users = self.usage_warning()
        text = f"Delete fact {self._fact_id}?"
        if users:
            text += f"\n\nIt is used by {users}."
        text += "\n\nIt can be restored later from its history (briefer facts history)."
        if not messages.confirm(self, "Delete fact", text, ok="Delete"):
            return False
        try:
            delete_fact(self._store, self._store.path.parent, self._fact_id, confirmed=True,
                        analyst=analyst_name(self._store.path.parent))
        except KnownError as exc:
            messages.error(self, "Could not delete the fact", str(exc))
            return False
        self.changed.emit()
        self.accept()
        return True
