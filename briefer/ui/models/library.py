"""Models of the library pane: the section tree with fact counts, and the fact list."""

from __future__ import annotations

import html
import json
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from briefer.app.snippets import MATCHED_ELSEWHERE, statement_snippet
from briefer.domain.typography import count
from briefer.ui import icons
from briefer.ui.factflags import display_status
from briefer.ui.mime import FACTS_MIME

Index = QModelIndex | QPersistentModelIndex
#: the invalid index, as a default argument
_ROOT = QModelIndex()

SectionIdRole = Qt.ItemDataRole.UserRole + 1
FactIdRole = Qt.ItemDataRole.UserRole + 2
HtmlRole = Qt.ItemDataRole.UserRole + 3
StatusRole = Qt.ItemDataRole.UserRole + 4


class SectionTreeModel(QAbstractItemModel):
    """One top row, "All sections", with every section of the store below it."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._sections: list[tuple[str, str, str]] = []  # (id, title, description)
        self._counts: dict[str, int] = {}

    def set_sections(self, sections: list[Any], counts: dict[str, int]) -> None:
        self.beginResetModel()
        self._sections = [(s.id, s.title, s.description) for s in sections]
        self._counts = dict(counts)
        self.endResetModel()

    def set_counts(self, counts: dict[str, int]) -> None:
        self._counts = dict(counts)
        top = self.index(0, 0)
        self.dataChanged.emit(top, top)
        if self._sections:
            self.dataChanged.emit(self.index(0, 0, top), self.index(len(self._sections) - 1, 0, top))

    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, 0) if row == 0 else QModelIndex()
        if parent.internalId() == 0 and parent.row() == 0 and row < len(self._sections):
            return self.createIndex(row, 0, 1)
        return QModelIndex()

    def parent(self, index: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(0, 0, 0)

    def rowCount(self, parent: Index = _ROOT) -> int:
        if not parent.isValid():
            return 1
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._sections)
        return 0

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 1

    def title_of(self, section_id: str) -> str:
        return next((t for sid, t, _d in self._sections if sid == section_id), section_id)

    def section_row(self, section_id: str | None) -> QModelIndex:
        if section_id is None:
            return self.index(0, 0)
        for i, (sid, _t, _d) in enumerate(self._sections):
            if sid == section_id:
                return self.index(i, 0, self.index(0, 0))
        return QModelIndex()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            total = sum(self._counts.values())
            if role == Qt.ItemDataRole.DisplayRole:
                return f"All sections ({total:,})"
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"All sections, {count(total, 'fact')}"
            if role == Qt.ItemDataRole.FontRole:
                f = QFont()
                f.setBold(True)
                return f
            if role == SectionIdRole:
                return None
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Every fact in the store"
            return None
        sid, title, desc = self._sections[index.row()]
        n = self._counts.get(sid, 0)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{title} ({n:,})"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{title}, {count(n, 'fact')}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return desc or title
        if role == Qt.ItemDataRole.DecorationRole:
            return icons.icon("section")
        if role == SectionIdRole:
            return sid
        return None


class FactListModel(QAbstractTableModel):
    """Facts found in the library: status (icon and word), the fact (or the
    matching passage, with matches in bold), as-of date, section."""

    STATUS, FACT, AS_OF, SECTION, SOURCE = range(5)
    HEADERS = ("Status", "Fact", "As of", "Section", "Source")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[Any, str | None]] = []
        self._flags: dict[str, set[str]] = {}
        self._titles: dict[str, str] = {}
        self._in_briefing: set[str] = set()
        self._source_labels: dict[str, str] = {}

    def set_source_labels(self, labels: dict[str, str]) -> None:
        """Source id -> its short label (briefer.domain.source_names.short_label)."""
        self._source_labels = dict(labels)

    def source_text(self, fact: Any) -> str:
        """The first source's short label (the tooltip names every source)."""
        ids = list(dict.fromkeys(fact.source_ids))
        return self._source_labels.get(ids[0], ids[0]) if ids else "no source"

    def set_section_titles(self, titles: dict[str, str]) -> None:
        self._titles = dict(titles)

    def set_rows(self, rows: list[tuple[Any, str | None]], flags: dict[str, set[str]] | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._flags = dict(flags or {})
        self.endResetModel()

    def set_in_briefing(self, ids: set[str]) -> None:
        if ids == self._in_briefing:
            return
        self._in_briefing = set(ids)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))

    def fact_at(self, row: int) -> Any:
        return self._rows[row][0]

    def row_of(self, fact_id: str) -> int:
        for i, (f, _s) in enumerate(self._rows):
            if f.id == fact_id:
                return i
        return -1

    def status_of(self, fact: Any) -> str:
        return display_status(fact, self._flags.get(fact.id, ()))

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            # the status column is as narrow as its icons: the header says it by its tooltip
            return "" if section == self.STATUS else self.HEADERS[section]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # called some 800 times a repaint: compare plain ints, not Qt enums
        role = int(role)
        if role not in _FACT_ROLES or not index.isValid() or index.row() >= len(self._rows):
            return None
        fact, snippet = self._rows[index.row()]
        col = index.column()
        if role == _FACT_ID:
            return fact.id
        status = self.status_of(fact)
        if role == _STATUS:
            return status
        in_briefing = fact.id in self._in_briefing
        if role == _ACCESSIBLE:
            # the status word stays here (and in the tooltip) where the list shows only its icon
            return (f"{icons.STATUS_LOOK[status][1]} fact{' (in the briefing)' if in_briefing else ''}: "
                    f"{fact.statement}, as of {fact.as_of.isoformat()}")
        if col == self.STATUS:
            if role == _DISPLAY:
                return icons.STATUS_LOOK[status][1]
            if role == _DECORATION:
                return icons.status_icon(status)
            if role == _TOOLTIP:
                return {
                    "current": "Current: no source disputes it",
                    "disputed": "Disputed: sources disagree; the footnote gives each version",
                    "superseded": "Superseded by a newer fact" + (f" ({fact.superseded_by})"
                                                                 if fact.superseded_by else ""),
                    "stale": "Stale: older than the freshness horizon; check it is still true",
                    "conflict": "Conflict: sources disagree about something this fact says (see the inspector)",
                }.get(status, status)
        elif col == self.FACT:
            if role == _DISPLAY:
                return ("\u2713 " if in_briefing else "") + fact.statement
            if role == _HTML:
                shown = statement_snippet(fact.statement, snippet)
                body = _escape_keep_marks(shown) if shown else html.escape(fact.statement)
                return ("\u2713 " if in_briefing else "") + body
            if role == _TOOLTIP:
                tip = (f"{fact.statement}\n\nAs of {fact.as_of.isoformat()} \u00b7 "
                       f"Section: {self._titles.get(fact.section, fact.section)}")
                if snippet and statement_snippet(fact.statement, snippet) is None:
                    tip += "\n\n" + MATCHED_ELSEWHERE
                if in_briefing:
                    tip += "\n\nAlready in the briefing."
                return tip + "\n\nDouble-click, press Enter or drag to add it to the briefing."
            if role == _FONT and in_briefing:
                return _ITALIC
        elif col == self.AS_OF:
            if role == _DISPLAY:
                return fact.as_of.isoformat()
        elif col == self.SECTION and role == _DISPLAY:
            return self._titles.get(fact.section, fact.section)
        elif col == self.SOURCE:
            if role == _DISPLAY:
                return self.source_text(fact)
            if role == _HTML:  # drawn on two lines, like the statement
                return html.escape(self.source_text(fact))
            if role == _TOOLTIP:
                ids = list(dict.fromkeys(fact.source_ids))
                return "Cited from:\n" + "\n".join(self._source_labels.get(i, i) for i in ids) + \
                    f"\n\nAs of {fact.as_of.isoformat()}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def mimeTypes(self) -> list[str]:
        return [FACTS_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        rows = sorted({i.row() for i in indexes if i.isValid()})
        ids = [self._rows[r][0].id for r in rows]
        md = QMimeData()
        md.setData(FACTS_MIME, QByteArray(json.dumps(ids).encode()))
        md.setText("\n".join(self._rows[r][0].statement for r in rows))
        return md

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction


_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)
_FACT_ID = int(FactIdRole)
_HTML = int(HtmlRole)
_STATUS = int(StatusRole)
_FACT_ROLES = frozenset({_DISPLAY, _DECORATION, _TOOLTIP, _FONT, _ACCESSIBLE, _FACT_ID, _HTML, _STATUS})
_ITALIC = QFont()
_ITALIC.setItalic(True)


def _escape_keep_marks(snippet: str) -> str:
    parts = snippet.split("<b>")
    out = [html.escape(parts[0])]
    for part in parts[1:]:
        inner, _, rest = part.partition("</b>")
        out.append(f"<b>{html.escape(inner)}</b>{html.escape(rest)}")
    return "".join(out)
