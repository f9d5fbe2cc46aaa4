"""The Conflicts view: where the sources disagree (names, dates, numbers,
claims), what each side says and which facts quote it, each source named by
its label; a candidate is confirmed in its case, always with a reason: a
disagreement marks a fact disputed (each side cited), one source contradicting
itself or a difference too small to matter is recorded on a fact (never
disputed), names are recorded as aliases; or a fact is superseded, or the
candidate dismissed.  What each case allows is the store's rule
(``conflict_resolution.resolution_actions``), the same the CLI follows."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from briefer.domain.typography import count
from briefer.errors import KnownError
from briefer.ui import messages
from briefer.ui.workers import Task, start

_INDEX = QModelIndex | QPersistentModelIndex


class ConflictsModel(QAbstractTableModel):
    STATUS, KIND, QUESTION, SOURCES = range(4)
    HEADERS = ["Status", "Case", "Question", "Sources"]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflicts: list[Any] = []
        #: source id -> its label (what a reader knows the source by)
        self.labels: dict[str, str] = {}
        #: fact id -> its statement (what a reader knows the fact by)
        self.statements: dict[str, str] = {}

    def set_conflicts(self, conflicts: list[Any], labels: dict[str, str] | None = None,
                      statements: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self.conflicts = conflicts
        if labels is not None:
            self.labels = labels
        if statements is not None:
            self.statements = statements
        self.endResetModel()

    def rowCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.conflicts)

    def columnCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: _INDEX, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        c = self.conflicts[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return [("\u26a0 Candidate" if c.open else "\u2714 Resolved"), _case(c), _question(c, self.labels),
                    "; ".join(_label(x, self.labels) for x in c.sources)][col]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.SOURCES:
                return "\n".join(f"{_label(x, self.labels)} ({x})" for x in c.sources)
            return _name_facts(c.resolution, self.statements) if c.resolution else f"Found by: {_basis(c)}"
        if role == Qt.ItemDataRole.UserRole:
            return c
        return None


_CASES = {"disagreement": "Disagreement", "self-contradiction": "Self-contradiction", "alias": "Alias",
          "minor": "Minor difference"}


def _case(c: Any) -> str:
    return f"{_CASES.get(getattr(c, 'case', ''), c.kind)} ({c.kind})"


def _label(source_id: str, labels: dict[str, str]) -> str:
    return labels.get(source_id) or source_id


#: "(word lists in resources/vocabularies.json)": where the finder keeps its rules, not the analyst's business
_FILE_NOTE = re.compile(r"\s*\([^()]*\b[\w.-]+/[\w./-]+\.json\)")
#: a fact id in a resolution ("fact ai-act-penalties-disputed is marked disputed")
_FACT_ID = re.compile(r"(?<![\w-])(fact )?([a-z0-9]+(?:-[a-z0-9]+)+)(?![\w-])")


def _basis(c: Any) -> str:
    """How the finder found it, in the analyst's words (no file of the program named)."""
    return _FILE_NOTE.sub("", str(c.basis))


def elide(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


def _name_facts(text: str, statements: dict[str, str]) -> str:
    """``text`` with each fact id in it replaced by the fact's statement, shortened and quoted."""
    def one(m: re.Match[str]) -> str:
        statement = statements.get(m.group(2))
        if statement is None:
            return m.group(0)
        return ("the fact " if m.group(1) else "") + f"\u201c{elide(statement)}\u201d"

    return _FACT_ID.sub(one, text) if statements else text


def _question(c: Any, labels: dict[str, str]) -> str:
    """The conflict's question, a source contradicting itself named by its label."""
    if getattr(c, "source", None):
        return str(c.question).replace(f"({c.source} says both)", f"({_label(c.source, labels)} says both)")
    return str(c.question)


def _html(c: Any, labels: dict[str, str] | None = None, statements: dict[str, str] | None = None) -> str:
    from html import escape

    from briefer.domain.conflicts import CASE_TEXT

    labels = labels or {}
    statements = statements or {}
    case = CASE_TEXT.get(getattr(c, "case", ""), c.kind)
    parts = [f"<h3>{escape(_question(c, labels))}</h3>",
             f"<p><b>{escape(case[:1].upper() + case[1:])}</b>"
             + (" \u2014 a candidate for you to confirm; nothing is marked until you resolve it." if c.open else "")
             + "</p>", f"<p><i>Found by: {escape(_basis(c))}</i></p>"]
    if getattr(c, "case", "") == "self-contradiction":
        parts.append(f"<p>{escape(_label(c.source or '', labels))} says both; it is on no side of a dispute "
                     "between sources.</p>")
    if c.resolution:
        parts.append(f"<p><b>Resolved:</b> {escape(_name_facts(c.resolution, statements))}</p>")
    for s in c.sides:
        named = "; ".join(_label(x, labels) for x in s.sources)
        parts.append(f"<p><b>\u201c{escape(s.value)}\u201d</b> \u2014 {escape(named)}"
                     + (f"<br>{'fact' if len(s.facts) == 1 else 'facts'}: "
                        + escape("; ".join(f"\u201c{elide(statements[f])}\u201d" if f in statements else f
                                           for f in s.facts))
                        if s.facts else "<br>no fact quotes this yet")
                     + "</p><ul>")
        for src, sentence in s.quotes[:4]:
            parts.append(f"<li><small>{escape(_label(src, labels))}:</small> {escape(sentence)}</li>")
        if len(s.quotes) > 4:
            parts.append(f"<li>\u2026 and {len(s.quotes) - 4} more</li>")
        parts.append("</ul>")
    # (the conflict's key is for the CLI's "conflicts resolve KEY"; the analyst reads the question)
    return "".join(parts)


def _chosen_fact(combo: QComboBox) -> str | None:
    """The fact picked in ``combo``: a listed statement stands for its id; typed text is taken as an id."""
    text = combo.currentText().strip()
    i = combo.findText(text, Qt.MatchFlag.MatchExactly)
    if i >= 0 and combo.itemData(i):
        return str(combo.itemData(i))
    return text or None


class ConflictsDialog(QDialog):
    """List the conflicts between sources and resolve them."""

    #: emitted after the store was changed (a resolution recorded, a fact marked, an alias added)
    changed = Signal()
    #: emitted when the conflicts have been (re)computed
    loaded = Signal()

    def __init__(self, store: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Conflicts between sources")
        self.setAccessibleName("Conflicts between sources")
        self.resize(1100, 700)
        self._store = store
        self._all: list[Any] = []
        self._labels: dict[str, str] = {}
        self._statements: dict[str, str] = {}
        self._task: Task | None = None
        self._build()
        self._connect_signals()
        self._gate_role()
        self.refresh()

    def role_changed(self, _perms: object) -> None:
        """An admin changed this user's role while the dialog is open: Resolve and Reopen follow it at once."""
        self._update_form()

    def _gate_role(self) -> None:
        """A team library's role that may not resolve: the buttons stay grey, saying why (the server
        would refuse the resolution anyway)."""
        from briefer.ui import role_gates

        perms = role_gates.of_store(self._store)
        role_gates.gate(self.resolve_button, perms, "can_resolve")
        role_gates.gate(self.reopen_button, perms, "can_resolve")

    def _build(self) -> None:
        self.show_resolved = QCheckBox("Show &resolved conflicts too")
        self.show_resolved.setChecked(True)
        self.summary = QLabel("Looking for conflicts\u2026")
        self.model = ConflictsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Conflicts")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(ConflictsModel.QUESTION, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        # the question is what a reader scans: it takes what the other columns leave (they name the case
        # and sources in full in the detail pane beside)
        self.table.setColumnWidth(ConflictsModel.STATUS, 96)
        self.table.setColumnWidth(ConflictsModel.KIND, 136)
        self.table.setColumnWidth(ConflictsModel.SOURCES, 132)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("Conflict details")

        box = QGroupBox("Confirm or resolve")
        self.act_dispute = QRadioButton("Mark a fact &disputed: the sources disagree (each side cited)")
        self.act_self = QRadioButton("Record on a fact: one source &contradicting itself (not disputed)")
        self.act_minor = QRadioButton("Record on a fact: a difference too s&mall to matter (not disputed)")
        self.act_alias = QRadioButton("Record the names as &aliases (one name, not a dispute)")
        self.act_supersede = QRadioButton("Mark a fact &superseded by another")
        self.act_dismiss = QRadioButton("&Not a contradiction")
        self.action_group = QButtonGroup(self)
        self._buttons = {"dispute": self.act_dispute, "self-contradiction": self.act_self, "minor": self.act_minor,
                         "alias": self.act_alias, "supersede": self.act_supersede, "dismiss": self.act_dismiss}
        for i, b in enumerate(self._buttons.values()):
            self.action_group.addButton(b, i)
        self.act_dispute.setChecked(True)
        self.fact_combo = QComboBox()
        self.fact_combo.setEditable(True)
        self.fact_combo.setAccessibleName("Fact")
        self.other_combo = QComboBox()
        self.other_combo.setEditable(True)
        self.other_combo.setAccessibleName("Newer fact")
        self.canonical_combo = QComboBox()
        self.canonical_combo.setEditable(True)
        self.canonical_combo.setAccessibleName("Canonical name")
        self.reason_edit = QLineEdit()
        self.reason_edit.setAccessibleName("Reason")
        self.reason_edit.setPlaceholderText("why (required; kept with the resolution and in the fact's notes)")
        self.resolve_button = QPushButton("Resol&ve")
        self.reopen_button = QPushButton("Re&open")
        form = QFormLayout(box)
        radios = QVBoxLayout()
        for b in self._buttons.values():
            radios.addWidget(b)
        form.addRow(radios)
        form.addRow("&Fact", self.fact_combo)
        form.addRow("Superseded b&y", self.other_combo)
        form.addRow("&Canonical name", self.canonical_combo)
        form.addRow("R&eason", self.reason_edit)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.reopen_button)
        row.addWidget(self.resolve_button)
        form.addRow(row)

        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.detail, 1)
        rv.addWidget(box)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([640, 430])  # the table first: its width is the Question column's
        self.close_button = QPushButton("Close")
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.show_resolved)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)

    def _connect_signals(self) -> None:
        self.show_resolved.toggled.connect(self._filter)
        self.table.selectionModel().selectionChanged.connect(self._show)
        self.action_group.idToggled.connect(lambda _i, _on: self._update_form())
        self.resolve_button.clicked.connect(self.resolve)
        self.reopen_button.clicked.connect(self.reopen)
        self.close_button.clicked.connect(self.reject)

    # -- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Find the conflicts again, in a worker thread (it reads every source)."""
        from briefer.ingest.review import store_conflicts

        store = self._store

        def work(_report: Any) -> Any:
            own = store.reopen()
            try:
                from briefer.domain.source_names import short_label

                # the window's one way of naming a source (briefer.domain.source_names); a fact by its statement
                found = store_conflicts(own)
                return found, {x.id: short_label(x) for x in own.sources()}, \
                    {f.id: f.statement for f in own.facts()}
            finally:
                own.close()

        self.summary.setText("Looking for conflicts\u2026")
        self._task = Task(work)
        self._task.signals.finished.connect(self._loaded)
        self._task.signals.failed.connect(lambda exc, _d: self.summary.setText(f"Could not look for conflicts: {exc}"))
        start(self._task)

    def _loaded(self, found: tuple[list[Any], dict[str, str], dict[str, str]]) -> None:
        self._task = None
        conflicts, self._labels, self._statements = found
        selected = self.current()
        self._all = conflicts
        self._filter()
        if selected is not None:
            self.select(selected.subject)
        n_open = sum(1 for c in conflicts if c.open)
        self.summary.setText(f"{count(len(conflicts), 'conflict')}: {n_open} open, {len(conflicts) - n_open} resolved.")
        self.loaded.emit()

    def _filter(self) -> None:
        shown = self._all if self.show_resolved.isChecked() else [c for c in self._all if c.open]
        self.model.set_conflicts(shown, self._labels, self._statements)
        if shown and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._show()

    def conflicts(self) -> list[Any]:
        return list(self.model.conflicts)

    def select(self, subject_or_key: str) -> bool:
        for r, c in enumerate(self.model.conflicts):
            if subject_or_key in (c.key, c.subject) or subject_or_key in _question(c, self._labels):
                self.table.selectRow(r)
                return True
        return False

    def current(self) -> Any:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.conflicts[rows[0].row()] if rows and rows[0].row() < len(self.model.conflicts) else None

    def _show(self) -> None:
        from briefer.domain.conflict_resolution import resolution_actions

        c = self.current()
        self.detail.setHtml(_html(c, self._labels, self._statements) if c else "<p>No conflict selected.</p>")
        self.fact_combo.clear()
        self.other_combo.clear()
        self.canonical_combo.clear()
        if c is not None:
            for combo in (self.fact_combo, self.other_combo):
                self._fill_facts(combo, c.facts)
            self.canonical_combo.addItems([c.subject.split(":")[0], *[s.value for s in c.sides]])
            # what this case allows (the store's rule): only a disagreement between sources is disputed
            allowed = resolution_actions(c)
            for action, button in self._buttons.items():
                button.setEnabled(action in allowed)
            # the candidate's own case first: confirming it is the usual answer
            self._buttons[allowed[0]].setChecked(True)
        for combo in (self.fact_combo, self.other_combo, self.canonical_combo):
            if (line := combo.lineEdit()) is not None:
                line.setCursorPosition(0)  # show a long statement from its start, not its end
        self._update_form()

    def _fill_facts(self, combo: QComboBox, fact_ids: list[str]) -> None:
        """Each fact by its statement, shortened; the id (for the CLI and the fact editor) in its tooltip."""
        for fid in fact_ids:
            statement = self._statements.get(fid)
            combo.addItem(elide(statement) if statement else fid, fid)
            combo.setItemData(combo.count() - 1, f"{statement}\n\n(fact id: {fid})" if statement else fid,
                              Qt.ItemDataRole.ToolTipRole)

    def checked_action(self) -> str:
        return list(self._buttons)[self.action_group.checkedId()]

    def _update_form(self) -> None:
        c = self.current()
        action = self.checked_action()
        self.fact_combo.setEnabled(action in ("dispute", "self-contradiction", "minor", "supersede"))
        self.other_combo.setEnabled(action == "supersede")
        self.canonical_combo.setEnabled(action == "alias")
        self.resolve_button.setEnabled(c is not None)
        self.reopen_button.setEnabled(c is not None and not c.open and self._recorded(c))
        self._gate_role()

    def _recorded(self, c: Any) -> bool:
        from briefer.domain.curation import resolutions

        return c.key in resolutions(self._store)

    # -- resolving ------------------------------------------------------------------------------

    def resolve(self) -> bool:
        from briefer.domain.conflict_resolution import resolve_conflict
        from briefer.store.preferences import analyst_name

        c = self.current()
        if c is None:
            return False
        reason = self.reason_edit.text().strip()
        if not reason:
            self.summary.setText("Give a reason for the resolution.")
            self.reason_edit.setFocus()
            return False
        action = self.checked_action()
        try:
            resolve_conflict(self._store, c, action=action, reason=reason,
                             analyst=analyst_name(self._store.path.parent),
                             fact_id=_chosen_fact(self.fact_combo), other_fact_id=_chosen_fact(self.other_combo),
                             canonical=self.canonical_combo.currentText().strip() or None)
        except KnownError as exc:
            messages.error(self, "Could not resolve the conflict", str(exc))
            return False
        self.reason_edit.clear()
        self.changed.emit()
        self.refresh()
        return True

    def reopen(self) -> bool:
        from briefer.domain.curation import forget_resolution

        c = self.current()
        if c is None:
            return False
        try:
            forget_resolution(self._store, c.key)
        except KnownError as exc:
            messages.error(self, "Could not reopen the conflict", str(exc))
            return False
        self.changed.emit()
        self.refresh()
        return True
