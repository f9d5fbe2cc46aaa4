"""Models of the library pane: the section tree with fact counts, and the fact list."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
)
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel

from briefer.app.snippets import MATCHED_ELSEWHERE, statement_snippet
from briefer.domain.typography import count
from briefer.ui import icons
from briefer.ui.factflags import display_status
from briefer.ui.labels import escape
from briefer.ui.mime import FACTS_MIME
from briefer.ui.qt_names import (
    ACCESSIBLE_TEXT_ROLE,
    DECORATION_ROLE,
    DISPLAY_ROLE,
    FONT_ROLE,
    TOOLTIP_ROLE,
    USER_ROLE,
)

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

Index = QModelIndex | QPersistentModelIndex
#: the invalid index, as a default argument
_ROOT = QModelIndex()

# roles are ints to Qt; naming Qt.ItemDataRole here would build Qt's namespace (see briefer.ui.qt_names)
SectionIdRole = USER_ROLE + 1
FactIdRole = USER_ROLE + 2
HtmlRole = USER_ROLE + 3
StatusRole = USER_ROLE + 4


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

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> Any:
        role = int(role)
        if not index.isValid():
            return None
        if index.internalId() == 0:
            total = sum(self._counts.values())
            if role == DISPLAY_ROLE:
                return f"All sections ({total:,})"
            if role == ACCESSIBLE_TEXT_ROLE:
                return f"All sections, {count(total, 'fact')}"
            if role == FONT_ROLE:
                f = QFont()
                f.setBold(True)
                return f
            if role == SectionIdRole:
                return None
            if role == TOOLTIP_ROLE:
                return "Every fact in the store"
            return None
        sid, title, desc = self._sections[index.row()]
        n = self._counts.get(sid, 0)
        if role == DISPLAY_ROLE:
            return f"{title} ({n:,})"
        if role == ACCESSIBLE_TEXT_ROLE:
            return f"{title}, {count(n, 'fact')}"
        if role == TOOLTIP_ROLE:
            return desc or title
        if role == DECORATION_ROLE:
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

    @classmethod
    def header_label(cls, section: int) -> str:
        """The header's text of column ``section``: the status column is as narrow as its icons, and the
        header says it by its tooltip (and its accessible text)."""
        return "" if section == cls.STATUS else cls.HEADERS[section]

    def header_model(self, parent: Any = None) -> QStandardItemModel:
        """The column labels, tooltips and accessible texts for the list's header
        (``view.header().setModel(...)``): Qt would call an overridden :meth:`headerData` with a
        ``Qt.Orientation``, and the binding would build Qt's namespace to hand it over."""
        model = QStandardItemModel(0, len(self.HEADERS), parent)
        for column, name in enumerate(self.HEADERS):
            item = QStandardItem(self.header_label(column))
            item.setData(name, TOOLTIP_ROLE)
            item.setData(name, ACCESSIBLE_TEXT_ROLE)
            model.setHorizontalHeaderItem(column, item)
        return model

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY_ROLE) -> Any:  # noqa: N802
        """The same labels for other views of this model (the window's list takes :meth:`header_model`)."""
        from PySide6.QtCore import Qt

        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        role = int(role)
        if role == DISPLAY_ROLE:
            return self.header_label(section)
        if role in (TOOLTIP_ROLE, ACCESSIBLE_TEXT_ROLE):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> Any:
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
                body = _escape_keep_marks(shown) if shown else escape(fact.statement)
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
                return escape(self.source_text(fact))
            if role == _TOOLTIP:
                ids = list(dict.fromkeys(fact.source_ids))
                return "Cited from:\n" + "\n".join(self._source_labels.get(i, i) for i in ids) + \
                    f"\n\nAs of {fact.as_of.isoformat()}"
        return None

    def mimeTypes(self) -> list[str]:
        return [FACTS_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        rows = sorted({i.row() for i in indexes if i.isValid()})
        ids = [self._rows[r][0].id for r in rows]
        md = QMimeData()
        md.setData(FACTS_MIME, QByteArray(json.dumps(ids).encode()))
        md.setText("\n".join(self._rows[r][0].statement for r in rows))
        return md

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        from PySide6.QtCore import Qt

        return Qt.DropAction.CopyAction


_DISPLAY = DISPLAY_ROLE
_DECORATION = DECORATION_ROLE
_TOOLTIP = TOOLTIP_ROLE
_FONT = FONT_ROLE
_ACCESSIBLE = ACCESSIBLE_TEXT_ROLE
_FACT_ID = int(FactIdRole)
_HTML = int(HtmlRole)
_STATUS = int(StatusRole)
_FACT_ROLES = frozenset({_DISPLAY, _DECORATION, _TOOLTIP, _FONT, _ACCESSIBLE, _FACT_ID, _HTML, _STATUS})
_ITALIC = QFont()
_ITALIC.setItalic(True)


def _escape_keep_marks(snippet: str) -> str:
    parts = snippet.split("<b>")
    out = [escape(parts[0])]
    for part in parts[1:]:
        inner, _, rest = part.partition("</b>")
        out.append(f"<b>{escape(inner)}</b>{escape(rest)}")
    return "".join(out)
