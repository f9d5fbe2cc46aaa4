"""Concurrent edits of one fact or source (issue 15, point 2): an edit is based on the version the
analyst saw; when the stored version has moved on, the edit is refused with
:class:`VersionConflict`, which names who changed it and when and carries their version, so the
window can show both side by side (:func:`differences`) and save the analyst's choice
(:func:`merged`) on top of the new version.

Versions exist on both backends (each write increments them), so this holds for two windows on one
local store as for two analysts on a team library.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from briefer.domain.typography import nested_quotes
from briefer.errors import StaleEdit
from briefer.model.records import RecordVersion

#: the fields of a fact an analyst edits, in the order the editor shows them, with their labels
FACT_FIELDS: tuple[tuple[str, str], ...] = (
    ("id", "Id"), ("statement", "Statement"), ("section", "Section"), ("tags", "Tags"), ("priority", "Priority"),
    ("as_of", "As of"), ("status", "Status"), ("superseded_by", "Superseded by"), ("notes", "Notes"),
    ("citations", "Citations"), ("headline", "Headline"),
)
#: the metadata of a source (its text never changes)
SOURCE_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "Title"), ("label", "Label"), ("outlet", "Outlet"), ("author", "Author"), ("published", "Published"),
    ("date_note", "Date note"), ("kind", "Kind"), ("language", "Language"), ("reliability", "Reliability"),
    ("file", "File"), ("notes", "Notes"),
)


def who(version: RecordVersion) -> str:
    """"demo_editor (Alice)" on a team library, "Alice" on a local store, "someone" when unknown."""
    user, analyst = version.changed_by, version.analyst
    if user and analyst and analyst != user:
        return f"{user} ({analyst})"
    return user or analyst or "someone"


def when(version: RecordVersion, *, today: datetime | None = None) -> str:
    """"14:02 UTC" today, "2025-11-30 14:02 UTC" another day, "" when the history does not say."""
    if not version.changed_at:
        return ""
    try:
        stamp = datetime.fromisoformat(version.changed_at)
    except ValueError:
        return version.changed_at
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    stamp = stamp.astimezone(UTC)
    now = (today or datetime.now(UTC)).astimezone(UTC)
    clock = stamp.strftime("%H:%M UTC")
    return clock if stamp.date() == now.date() else f"{stamp.date().isoformat()} {clock}"


class VersionConflict(StaleEdit):
    """An edit based on version ``expected`` of a record whose stored version is now ``current``."""

    def __init__(self, kind: str, record_id: str, *, expected: int, current: RecordVersion, theirs: BaseModel) -> None:
        at = when(current)
        super().__init__(f"{kind} {record_id!r} was changed by {who(current)}" + (f" at {at}" if at else "")
                         + " after you opened it; your edit was not saved: "
                         + ("reload it to see the change, then edit again" if kind == "fact" else
                            f"see 'briefer sources show {record_id}', then edit again"))
        self.kind = kind
        self.record_id = record_id
        self.expected = expected
        self.current = current
        #: the record as it is stored now (a Fact or a Source)
        self.theirs: Any = theirs


def check(kind: str, record_id: str, expected: int | None, current: RecordVersion, theirs: BaseModel) -> None:
    """Refuse an edit based on version ``expected`` when the stored one has moved (None: not checked)."""
    if expected is not None and current.version != expected:
        raise VersionConflict(kind, record_id, expected=expected, current=current, theirs=theirs)


@dataclass(frozen=True)
class FieldDifference:
    """One field of two versions of a record, as the analyst reads it."""

    name: str
    label: str
    theirs: str
    yours: str

    @property
    def differs(self) -> bool:
        return self.theirs != self.yours


def shown(name: str, value: Any) -> str:
    """A field's value as the side-by-side view shows it."""
    if value is None or value == "" or value == []:
        return "\u2014"
    if name == "tags":
        return "; ".join(value)
    if name == "citations":
        lines = []
        for c in value:
            c = c if isinstance(c, dict) else c.model_dump()
            grade = f" (credibility {c['credibility']})" if c.get("credibility") else ""
            where = c.get("location") or "no location"
            lines.append(f"{c['source']}, {where}{grade}: \u201c{nested_quotes(c['quote'])}\u201d")
        return "\n".join(lines)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def differences(theirs: BaseModel, yours: BaseModel) -> list[FieldDifference]:
    """Every field the analyst edits, theirs beside yours (those that differ say so)."""
    fields = FACT_FIELDS if "statement" in type(theirs).model_fields else SOURCE_FIELDS
    return [FieldDifference(name, label, shown(name, getattr(theirs, name)), shown(name, getattr(yours, name)))
            for name, label in fields]


def merged(theirs: BaseModel, yours: BaseModel, mine: set[str]) -> Any:
    """``theirs`` with the fields named in ``mine`` taken from ``yours``: a merge, validated."""
    data = theirs.model_dump()
    mine_data = yours.model_dump()
    for name in mine:
        data[name] = mine_data[name]
    return type(theirs).model_validate(data)
