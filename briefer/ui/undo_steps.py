"""Undoable composer edits.  Each command changes the briefing through the
outline model or the document's ``set_*`` methods and can put it back exactly."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from briefer.domain.briefing import BriefingSection
    from briefer.ui.briefing_model import BriefingDoc

_MERGE_SECTION_FIELD = 1001
_MERGE_COVER = 1002
_MERGE_SUMMARY = 1003


class _Step(QUndoCommand):
    """An undo step that refers to its briefing weakly.  The briefing's undo stack owns its steps, so a
    step holding the briefing strongly made a reference cycle (briefing -> stack -> step -> briefing)
    that only Python's cycle collector could free, deleting the stack and its steps in whatever order
    the collector chose: the suite crashed that way in garbage collection about one run in eight.
    Without the cycle, the briefing and its steps go when the last reference to it does."""

    _doc_ref: weakref.ReferenceType[BriefingDoc]

    @property
    def doc(self) -> BriefingDoc:
        doc = self._doc_ref()
        if doc is None:
            raise RuntimeError("the briefing this undo step belongs to is gone")
        return doc

    @doc.setter
    def doc(self, doc: BriefingDoc) -> None:
        self._doc_ref = weakref.ref(doc)


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"


class InsertItems(_Step):
    def __init__(self, doc: BriefingDoc, sec: int, pos: int, items: list[Any], text: str) -> None:
        super().__init__(text)
        self.doc, self.sec, self.pos, self.items = doc, sec, pos, items

    def redo(self) -> None:
        self.doc.model.insert_items(self.sec, self.pos, list(self.items))

    def undo(self) -> None:
        self.doc.model.remove_items(self.sec, self.pos, len(self.items))


class RemoveItems(_Step):
    """Remove items at (section, row) positions."""

    def __init__(self, doc: BriefingDoc, positions: list[tuple[int, int]], text: str = "") -> None:
        super().__init__(text or (f"Remove {len(positions)} items" if len(positions) > 1 else "Remove item"))
        self.doc = doc
        self.positions = sorted(set(positions))
        self.removed: list[tuple[int, int, Any]] = []

    def redo(self) -> None:
        self.removed = []
        for sec, row in reversed(self.positions):
            item = self.doc.model.remove_items(sec, row, 1)[0]
            self.removed.append((sec, row, item))

    def undo(self) -> None:
        for sec, row, item in reversed(self.removed):
            self.doc.model.insert_items(sec, row, [item])


class MoveItem(_Step):
    def __init__(self, doc: BriefingDoc, src: tuple[int, int], dest: tuple[int, int]) -> None:
        super().__init__("Move item")
        self.doc, self.src, self.dest = doc, src, dest

    def redo(self) -> None:
        self.doc.model.move_item(*self.src, *self.dest)

    def undo(self) -> None:
        self.doc.model.move_item(*self.dest, *self.src)


class MoveItems(_Step):
    """Move several items (dragged together) to (dest_sec, dest_row), keeping their order.
    ``dest_row`` counts rows as they were before the move."""

    def __init__(self, doc: BriefingDoc, moves: list[tuple[int, int]], dest_sec: int, dest_row: int) -> None:
        super().__init__(f"Move {len(moves)} items" if len(moves) > 1 else "Move item")
        self.doc = doc
        self.moves = sorted(set(moves))
        self.dest_sec = dest_sec
        # rows taken out of the destination section above the drop point shift it up
        self.dest_row = dest_row - sum(1 for s, r in self.moves if s == dest_sec and r < dest_row)
        self.removed: list[tuple[int, int, Any]] = []

    def redo(self) -> None:
        self.removed = []
        for sec, row in reversed(self.moves):
            self.removed.append((sec, row, self.doc.model.remove_items(sec, row, 1)[0]))
        items = [it for _s, _r, it in reversed(self.removed)]
        self.doc.model.insert_items(self.dest_sec, self.dest_row, items)

    def undo(self) -> None:
        self.doc.model.remove_items(self.dest_sec, self.dest_row, len(self.removed))
        for sec, row, item in reversed(self.removed):
            self.doc.model.insert_items(sec, row, [item])


class InsertSection(_Step):
    def __init__(self, doc: BriefingDoc, pos: int, section: BriefingSection, text: str = "") -> None:
        super().__init__(text or f"Add section \u201c{doc.section_title(section)}\u201d")
        self.doc, self.pos, self.section = doc, pos, section

    def redo(self) -> None:
        self.doc.model.insert_section(self.pos, self.section)

    def undo(self) -> None:
        self.section = self.doc.model.remove_section(self.pos)


class RemoveSection(_Step):
    def __init__(self, doc: BriefingDoc, pos: int) -> None:
        super().__init__(f"Remove section \u201c{doc.section_title(doc.briefing.sections[pos])}\u201d")
        self.doc, self.pos = doc, pos
        self.section: BriefingSection | None = None

    def redo(self) -> None:
        self.section = self.doc.model.remove_section(self.pos)

    def undo(self) -> None:
        assert self.section is not None
        self.doc.model.insert_section(self.pos, self.section)


class MoveSection(_Step):
    def __init__(self, doc: BriefingDoc, src: int, dest: int) -> None:
        super().__init__("Move section")
        self.doc, self.src, self.dest = doc, src, dest

    def redo(self) -> None:
        self.doc.model.move_section(self.src, self.dest)

    def undo(self) -> None:
        self.doc.model.move_section(self.dest, self.src)


class SetOverride(_Step):
    """This briefing's wording of a fact (None: the store's wording)."""

    def __init__(self, doc: BriefingDoc, sec: int, row: int, text: str | None) -> None:
        super().__init__("Revert wording to the store" if text is None else "Reword fact for this briefing")
        # not ``self.text``: that would hide QUndoCommand.text(), the step's name in the Undo menu
        self.doc, self.sec, self.row, self.wording = doc, sec, row, text
        self.old: str | None = doc.briefing.sections[sec].items[row].override  # type: ignore[union-attr]

    def _set(self, value: str | None) -> None:
        item = self.doc.briefing.sections[self.sec].items[self.row]
        self.doc.model.replace_item(self.sec, self.row, item.model_copy(update={"override": value}))

    def redo(self) -> None:
        self._set(self.wording)

    def undo(self) -> None:
        self._set(self.old)


class SetParagraph(_Step):
    def __init__(self, doc: BriefingDoc, sec: int, row: int, text: str) -> None:
        super().__init__("Edit paragraph")
        self.doc, self.sec, self.row, self.paragraph = doc, sec, row, text
        self.old: str = doc.briefing.sections[sec].items[row].text  # type: ignore[union-attr]

    def _set(self, value: str) -> None:
        item = self.doc.briefing.sections[self.sec].items[self.row]
        self.doc.model.replace_item(self.sec, self.row, item.model_copy(update={"text": value}))

    def redo(self) -> None:
        self._set(self.paragraph)

    def undo(self) -> None:
        self._set(self.old)


class SetSectionField(_Step):
    """A section's heading, intro or layout; typing in one field merges into one step."""

    def __init__(self, doc: BriefingDoc, sec: int, name: str, value: Any, text: str = "") -> None:
        super().__init__(text or f"Edit section {name}")
        self.doc, self.sec, self.name, self.value = doc, sec, name, value
        self.old = getattr(doc.briefing.sections[sec], name)

    def id(self) -> int:
        return _MERGE_SECTION_FIELD if self.name == "intro" else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetSectionField) or (other.sec, other.name) != (self.sec, self.name):
            return False
        self.value = other.value
        return True

    def redo(self) -> None:
        self.doc.model.set_section_field(self.sec, self.name, self.value)

    def undo(self) -> None:
        self.doc.model.set_section_field(self.sec, self.name, self.old)


class SetCover(_Step):
    def __init__(self, doc: BriefingDoc, name: str, value: Any, label: str = "") -> None:
        super().__init__(f"Edit {label or name.replace('_', ' ')}")
        self.doc, self.name, self.value = doc, name, value
        self.old = getattr(doc.briefing.cover, name)

    def id(self) -> int:
        return _MERGE_COVER

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetCover) or other.name != self.name:
            return False
        self.value = other.value
        return True

    def redo(self) -> None:
        self.doc.set_cover_field(self.name, self.value)

    def undo(self) -> None:
        self.doc.set_cover_field(self.name, self.old)


class SetSummary(_Step):
    def __init__(self, doc: BriefingDoc, text: str | None) -> None:
        super().__init__("Edit summary")
        self.doc, self.summary = doc, text
        self.old = doc.briefing.summary

    def id(self) -> int:
        return _MERGE_SUMMARY

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetSummary):
            return False
        self.summary = other.summary
        return True

    def redo(self) -> None:
        self.doc.set_summary(self.summary)

    def undo(self) -> None:
        self.doc.set_summary(self.old)


class SetOption(_Step):
    def __init__(self, doc: BriefingDoc, name: str, value: Any) -> None:
        super().__init__(f"Change option {name.replace('_', ' ')}")
        self.doc, self.name, self.value = doc, name, value
        self.old = getattr(doc.briefing.options, name)

    def redo(self) -> None:
        self.doc.set_option(self.name, self.value)

    def undo(self) -> None:
        self.doc.set_option(self.name, self.old)


# -- helpers that build one undo step out of several commands ------------------------


def new_section(section_id: str) -> BriefingSection:
    from briefer.domain.briefing import BriefingSection

    return BriefingSection(section=section_id)


def add_facts(doc: BriefingDoc, fact_ids: list[str], sec: int | None = None, at: int | None = None) -> list[str]:
    """Add facts as one undo step; facts already in the briefing are skipped.
    With no section, each fact goes to its own section (created where the store's order puts it).
    Returns the ids added."""
    from briefer.domain.briefing import FactItem

    present = set(doc.briefing.fact_ids())
    ids = [fid for n, fid in enumerate(fact_ids) if fid not in present and fid not in fact_ids[:n]]
    unknown = [fid for fid in ids if fid not in doc.facts]
    if unknown and doc.fact_loader is not None:
        doc.add_known_facts(doc.fact_loader(unknown))
    ids = [fid for fid in ids if fid in doc.facts]
    if not ids:
        return []
    label = f"Add {len(ids)} facts" if len(ids) > 1 else f"Add fact \u201c{_short(doc.facts[ids[0]].statement)}\u201d"
    doc.undo.beginMacro(label)
    try:
        if sec is not None and sec < len(doc.briefing.sections):
            pos = at if at is not None else len(doc.briefing.sections[sec].items)
            doc.undo.push(InsertItems(doc, sec, pos, [FactItem(fact_id=f) for f in ids], "Add facts"))
        else:
            for fid in ids:
                s, create = doc.section_for_fact(fid)
                if create:
                    doc.undo.push(InsertSection(doc, s, new_section(doc.facts[fid].section)))
                n = len(doc.briefing.sections[s].items)
                doc.undo.push(InsertItems(doc, s, n, [FactItem(fact_id=fid)], "Add fact"))
    finally:
        doc.undo.endMacro()
    return ids


def add_section(doc: BriefingDoc, section_id: str, pos: int | None = None) -> int:
    if pos is None:
        order = {sid: n for n, sid in enumerate(doc.section_order)}
        rank = order.get(section_id, len(order))
        pos = len(doc.briefing.sections)
        for i, s in enumerate(doc.briefing.sections):
            if order.get(s.section, len(order)) > rank:
                pos = i
                break
    doc.undo.push(InsertSection(doc, pos, new_section(section_id)))
    return pos


def add_paragraph(doc: BriefingDoc, sec: int, pos: int, text: str) -> None:
    from briefer.domain.briefing import ParagraphItem

    doc.undo.push(InsertItems(doc, sec, pos, [ParagraphItem(text=text)], "Add paragraph"))


def move_by_keyboard(doc: BriefingDoc, sec: int, row: int | None, delta: int) -> tuple[int, int | None] | None:
    """Alt+Up/Down: move a section, or an item (across section boundaries). Returns the new position."""
    sections = doc.briefing.sections
    if row is None:
        dest = sec + delta
        if not 0 <= dest < len(sections):
            return None
        doc.undo.push(MoveSection(doc, sec, dest))
        return dest, None
    n = len(sections[sec].items)
    dest_row = row + delta
    if 0 <= dest_row < n:
        doc.undo.push(MoveItem(doc, (sec, row), (sec, dest_row)))
        return sec, dest_row
    target: tuple[int, int]
    if delta < 0 and sec > 0:
        target = (sec - 1, len(sections[sec - 1].items))
    elif delta > 0 and sec + 1 < len(sections):
        target = (sec + 1, 0)
    else:
        return None
    doc.undo.push(MoveItem(doc, (sec, row), target))
    return target
