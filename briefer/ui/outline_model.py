"""The composer's outline: sections at the top level, their facts and paragraphs below, as a Qt item
model over the open briefing (:class:`briefer.ui.briefing_model.BriefingDoc`), with drag and drop."""

from __future__ import annotations

import json
import weakref
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from briefer.ui import icons

if TYPE_CHECKING:
    from briefer.domain.briefing import BriefingSection
    from briefer.ui.briefing_model import BriefingDoc

# the drag formats (briefer.ui.mime), importable from here as before
from briefer.ui.mime import FACTS_MIME as FACTS_MIME  # noqa: E402
from briefer.ui.mime import OUTLINE_MIME as OUTLINE_MIME  # noqa: E402

Index = QModelIndex | QPersistentModelIndex
#: the invisible root (a default argument Qt passes as "no parent")
_ROOT = QModelIndex()


class OutlineModel(QAbstractItemModel):
    """Sections at the top level, their facts and paragraphs below.

    Column 0 only.  A top-level index has internal id 0; an item's internal id
    is a key of its section object that stays the same while sections move, are
    removed and put back: a row index a view holds (the current item, the
    selection) must still name the same item after a section above it moved
    (with the section's row as the id it named a row of another section, and Qt
    printed ``endRemoveRows: Invalid index`` on the next removal there).
    """

    StatusRole = Qt.ItemDataRole.UserRole + 1
    KindRole = Qt.ItemDataRole.UserRole + 2
    FactIdRole = Qt.ItemDataRole.UserRole + 3
    OverriddenRole = Qt.ItemDataRole.UserRole + 4
    #: a section's count slot, shown in full at the row's right end while the title is elided
    #: ("6 facts", "empty — left out of the briefing"); CountShortRole: the same in fewer words
    #: for a narrow outline ("empty — left out")
    CountRole = Qt.ItemDataRole.UserRole + 5
    CountShortRole = Qt.ItemDataRole.UserRole + 6

    def __init__(self, doc: BriefingDoc) -> None:
        super().__init__(doc)
        # weakly: the briefing owns its model, and a model holding the briefing strongly made a cycle
        # that only the cycle collector could free (see briefer.ui.undo_steps._Step)
        self._doc_ref = weakref.ref(doc)
        # section key (>= 1) <-> section object; the objects are kept so their id() is not reused
        self._key_of: dict[int, int] = {}
        self._by_key: dict[int, BriefingSection] = {}
        self.modelReset.connect(self._forget_keys)

    @property
    def doc(self) -> BriefingDoc:
        doc = self._doc_ref()
        if doc is None:
            raise RuntimeError("the briefing this outline belongs to is gone")
        return doc

    @property
    def _sections(self) -> list[BriefingSection]:
        return self.doc.briefing.sections

    def _key(self, sec: BriefingSection) -> int:
        key = self._key_of.get(id(sec))
        if key is None:
            key = len(self._by_key) + 1
            self._key_of[id(sec)] = key
            self._by_key[key] = sec
        return key

    def _section_row_of_key(self, key: int) -> int:
        sec = self._by_key.get(key)
        if sec is not None:
            for i, s in enumerate(self._sections):
                if s is sec:
                    return i
        return -1

    def _forget_keys(self) -> None:
        # after a reset no index survives: start over
        self._key_of.clear()
        self._by_key.clear()

    # -- structure ----------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, 0) if row < len(self._sections) else QModelIndex()
        if parent.internalId() != 0:
            return QModelIndex()
        sec = parent.row()
        if sec >= len(self._sections) or row >= len(self._sections[sec].items):
            return QModelIndex()
        return self.createIndex(row, 0, self._key(self._sections[sec]))

    def parent(self, index: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        row = self._section_row_of_key(index.internalId())
        return self.createIndex(row, 0, 0) if row >= 0 else QModelIndex()

    def rowCount(self, parent: Index = _ROOT) -> int:
        if not parent.isValid():
            return len(self._sections)
        if parent.column() != 0 or parent.internalId() != 0:
            return 0
        return len(self._sections[parent.row()].items) if parent.row() < len(self._sections) else 0

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 1

    def section_index(self, sec: int) -> QModelIndex:
        return self.index(sec, 0)

    def item_index(self, sec: int, row: int) -> QModelIndex:
        return self.index(row, 0, self.index(sec, 0))

    @staticmethod
    def position(index: Index) -> tuple[int, int | None]:
        """(section, item row or None for a section)."""
        if index.internalId() == 0:
            return index.row(), None
        model = index.model()
        assert isinstance(model, OutlineModel)
        return model._section_row_of_key(index.internalId()), index.row()

    # -- data ------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        sec_i, row = self.position(index)
        if not 0 <= sec_i < len(self._sections):
            return None
        sec = self._sections[sec_i]
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{self.doc.section_title(sec)}  ({self._count_text(sec)})"
            if role == self.CountRole:
                return self._count_text(sec)
            if role == self.CountShortRole:
                return self._count_text(sec, short=True)
            if role == Qt.ItemDataRole.ForegroundRole and sec.is_empty() and not sec.keep_empty:
                return QColor("#6b7280")
            if role == Qt.ItemDataRole.EditRole:
                return self.doc.section_title(sec)
            if role == Qt.ItemDataRole.FontRole:
                f = QFont()
                f.setBold(True)
                return f
            if role == Qt.ItemDataRole.DecorationRole:
                return icons.icon("section")
            if role == Qt.ItemDataRole.ToolTipRole:
                s = self.doc.sections.get(sec.section)
                # the title and the count first: the row may show the title elided
                tip = f"{self.doc.section_title(sec)} ({self._count_text(sec)})\n\n"
                tip += (s.description if s else "") or "A section of the briefing"
                if sec.is_empty() and not sec.keep_empty:
                    tip += ("\n\nNothing is in it, so the preview and the export leave it out. Add facts or a "
                            "paragraph, or tick \u201cKeep it when empty\u201d below.")
                return tip
            if role == self.KindRole:
                return "section"
            if role == Qt.ItemDataRole.AccessibleTextRole:
                if sec.is_empty():
                    return (f"Section {self.doc.section_title(sec)}, empty, "
                            + ("kept" if sec.keep_empty else "left out of the briefing"))
                return f"Section {self.doc.section_title(sec)}, {len(sec.items)} items"
            return None
        if row >= len(sec.items):
            return None
        item = sec.items[row]
        if item.kind == "paragraph":
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                # the paragraph icon (a pilcrow) marks it: a second "¶" in the text read "¶ ¶"
                return item.text
            if role == Qt.ItemDataRole.DecorationRole:
                return icons.icon("paragraph")
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Your own paragraph (no citation). Double-click or F2 to edit."
            if role == self.KindRole:
                return "paragraph"
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"Analyst paragraph: {item.text}"
            return None
        status = self.doc.fact_status(item.fact_id)
        overridden = item.override is not None
        text = self.doc.fact_text(item.fact_id, item.override)
        if role == Qt.ItemDataRole.DisplayRole:
            marks = []
            if overridden:
                marks.append("\u270e edited")
            if status != "current":
                marks.append(icons.STATUS_LOOK[status][1].lower())
            if item.fact_id in self.doc.store_notes:
                marks.append("changed in the store")
            return f"{text}" + (f"   [{', '.join(marks)}]" if marks else "")
        if role == Qt.ItemDataRole.EditRole:
            return text
        if role == Qt.ItemDataRole.DecorationRole:
            if overridden:
                return icons.icon("override", "#7c3aed")
            return icons.status_icon(status) if status != "current" else icons.icon("fact")
        if role == Qt.ItemDataRole.BackgroundRole and item.fact_id in self.doc.store_notes:
            return QColor("#fef3c7")  # changed by a colleague while the briefing was open (live updates)
        if role == Qt.ItemDataRole.FontRole and overridden:
            f = QFont()
            f.setItalic(True)
            return f
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"Fact {item.fact_id} \u2014 {icons.STATUS_LOOK[status][1]}"]
            if overridden:
                store_text = self.doc.facts[item.fact_id].statement if item.fact_id in self.doc.facts else "?"
                lines.append("Reworded for this briefing; the store says:\n" + store_text)
            note = self.doc.store_notes.get(item.fact_id)
            if note:
                lines.append(note[0].upper() + note[1:] + ".")
            lines.append("Double-click or F2 to reword it for this briefing only.")
            return "\n".join(lines)
        if role == self.StatusRole:
            return status
        if role == self.KindRole:
            return "fact"
        if role == self.FactIdRole:
            return item.fact_id
        if role == self.OverriddenRole:
            return overridden
        if role == Qt.ItemDataRole.AccessibleTextRole:
            extra = " (reworded for this briefing)" if overridden else ""
            return f"Fact, {icons.STATUS_LOOK[status][1]}{extra}: {text}"
        return None

    @staticmethod
    def _count_text(sec: BriefingSection, *, short: bool = False) -> str:
        if sec.is_empty():
            if sec.keep_empty:
                return "empty \u2014 kept"
            return "empty \u2014 left out" if short else "empty \u2014 left out of the briefing"
        n = len(sec.fact_ids())
        if n == 0 and sec.items:  # paragraphs of the analyst's own only
            p = len(sec.items)
            return f"{p} paragraph{'s' if p != 1 else ''}"
        return f"{n} fact{'s' if n != 1 else ''}"

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        f |= Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDropEnabled
        return f

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """An inline edit: becomes an undoable command."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        from briefer.ui import undo_steps

        sec_i, row = self.position(index)
        text = str(value).strip()
        if row is None:
            sec = self._sections[sec_i]
            default = self.doc.sections[sec.section].title if sec.section in self.doc.sections else sec.section
            heading = None if not text or text == default else text
            if heading != sec.heading:
                self.doc.undo.push(undo_steps.SetSectionField(self.doc, sec_i, "heading", heading, "Rename section"))
            return True
        item = self._sections[sec_i].items[row]
        if item.kind == "paragraph":
            if text and text != item.text:
                self.doc.undo.push(undo_steps.SetParagraph(self.doc, sec_i, row, text))
            return True
        store_text = self.doc.facts[item.fact_id].statement if item.fact_id in self.doc.facts else None
        new = None if (not text or text == store_text) else text
        if new != item.override:
            self.doc.undo.push(undo_steps.SetOverride(self.doc, sec_i, row, new))
        return True

    # -- drag and drop ----------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [OUTLINE_MIME, FACTS_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        secs = sorted({i.row() for i in indexes if i.isValid() and i.internalId() == 0})
        items = sorted({self.position(i) for i in indexes if i.isValid() and i.internalId() != 0})
        payload: dict[str, Any] = {"sections": secs} if secs else {"items": [list(p) for p in items]}
        md = QMimeData()
        md.setData(OUTLINE_MIME, QByteArray(json.dumps(payload).encode()))
        return md

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: Index) -> bool:
        return data.hasFormat(OUTLINE_MIME) or data.hasFormat(FACTS_MIME)

    def drop_target(self, row: int, parent: Index) -> tuple[int | None, int | None]:
        """(section, row) an item dropped at (row, parent) lands at; section None: by the fact's own section."""
        if not parent.isValid():
            if row < 0 or not self._sections:
                return None, None
            # between sections: the end of the section above
            sec = max(0, min(row, len(self._sections)) - 1)
            if row == 0:
                return 0, 0
            return sec, len(self._sections[sec].items)
        sec_i, item_row = self.position(parent)
        if item_row is None:
            return sec_i, (row if row >= 0 else len(self._sections[sec_i].items))
        return sec_i, item_row + 1

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: Index) -> bool:
        from briefer.ui import undo_steps

        if action == Qt.DropAction.IgnoreAction:
            return True
        if data.hasFormat(FACTS_MIME):
            ids = json.loads(bytes(data.data(FACTS_MIME).data()).decode())
            sec, at = self.drop_target(row, parent)
            undo_steps.add_facts(self.doc, ids, sec, at)
            return True
        if not data.hasFormat(OUTLINE_MIME):
            return False
        payload = json.loads(bytes(data.data(OUTLINE_MIME).data()).decode())
        if "sections" in payload:
            if parent.isValid():
                sec_i, _ = self.position(parent)
                target = sec_i
            else:
                target = row if row >= 0 else len(self._sections)
            for src in payload["sections"][:1]:
                dest = target if target <= src else target - 1
                if dest != src:
                    self.doc.undo.push(undo_steps.MoveSection(self.doc, src, dest))
            return False  # moved here: the view must not remove anything
        sec, at = self.drop_target(row, parent)
        if sec is None or at is None:
            return False
        moves = [tuple(p) for p in payload.get("items", [])]
        if moves:
            self.doc.undo.push(undo_steps.MoveItems(self.doc, moves, sec, at))
        return False

    def removeRows(self, row: int, count: int, parent: Index = _ROOT) -> bool:
        # Drag-and-drop moves are done in dropMimeData as undoable commands; the view's
        # follow-up removal after a move must do nothing.
        return False

    # -- mutations (called by undo commands) -------------------------------------------

    def refresh_all(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def insert_section(self, pos: int, section: BriefingSection) -> None:
        self.beginInsertRows(QModelIndex(), pos, pos)
        self._sections.insert(pos, section)
        self.endInsertRows()
        self.doc.changed.emit("structure", pos)

    def remove_section(self, pos: int) -> BriefingSection:
        self.beginRemoveRows(QModelIndex(), pos, pos)
        sec = self._sections.pop(pos)
        self.endRemoveRows()
        self.doc.changed.emit("structure", pos)
        return sec

    def move_section(self, src: int, dest: int) -> None:
        if src == dest:
            return
        # Qt's destination is the row *before which* the section goes, in the old numbering
        qt_dest = dest + 1 if dest > src else dest
        self.beginMoveRows(QModelIndex(), src, src, QModelIndex(), qt_dest)
        sec = self._sections.pop(src)
        self._sections.insert(dest, sec)
        self.endMoveRows()
        self.doc.changed.emit("structure", min(src, dest))

    def insert_items(self, sec: int, pos: int, items: list[Any]) -> None:
        if not items:
            return
        parent = self.section_index(sec)
        self.beginInsertRows(parent, pos, pos + len(items) - 1)
        self._sections[sec].items[pos:pos] = items
        self.endInsertRows()
        self.dataChanged.emit(parent, parent)
        self.doc.changed.emit("structure", sec)

    def remove_items(self, sec: int, pos: int, count: int) -> list[Any]:
        parent = self.section_index(sec)
        self.beginRemoveRows(parent, pos, pos + count - 1)
        removed = self._sections[sec].items[pos : pos + count]
        del self._sections[sec].items[pos : pos + count]
        self.endRemoveRows()
        self.dataChanged.emit(parent, parent)
        self.doc.changed.emit("structure", sec)
        return removed

    def move_item(self, src_sec: int, src_row: int, dest_sec: int, dest_row: int) -> None:
        """Move one item so it ends up at ``dest_row`` of ``dest_sec`` (numbering after the move)."""
        if (src_sec, src_row) == (dest_sec, dest_row):
            return
        sp, dp = self.section_index(src_sec), self.section_index(dest_sec)
        qt_dest = dest_row + 1 if (src_sec == dest_sec and dest_row > src_row) else dest_row
        self.beginMoveRows(sp, src_row, src_row, dp, qt_dest)
        item = self._sections[src_sec].items.pop(src_row)
        self._sections[dest_sec].items.insert(dest_row, item)
        self.endMoveRows()
        if src_sec != dest_sec:
            self.dataChanged.emit(sp, sp)
            self.dataChanged.emit(dp, dp)
        self.doc.changed.emit("structure", min(src_sec, dest_sec))

    def replace_item(self, sec: int, row: int, item: Any) -> None:
        self._sections[sec].items[row] = item
        idx = self.item_index(sec, row)
        self.dataChanged.emit(idx, idx)
        self.doc.changed.emit("section", sec)

    def set_section_field(self, sec: int, name: str, value: Any) -> None:
        setattr(self._sections[sec], name, value)
        idx = self.section_index(sec)
        self.dataChanged.emit(idx, idx)
        self.doc.changed.emit("section", sec)
