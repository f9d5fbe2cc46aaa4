"""The plain record classes an export imports (briefer.model.plain) behave as the dataclasses they replaced:
the same repr, equality, hashing and frozenness, and copies and pickles that hold the same fields."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from datetime import date

import pytest

from briefer.domain.blocks import ContentsEntry, Cover
from briefer.domain.fact_block import FactBlock
from briefer.domain.freshness import Staleness
from briefer.export.figure_draw import Line


@dataclasses.dataclass(slots=True)
class _ContentsEntry:  # ContentsEntry as it was
    heading: str
    anchor: str
    level: int = 1


@dataclasses.dataclass(frozen=True)
class _Staleness:  # Staleness as it was
    fact_id: str
    as_of: date
    age_months: int
    stale: bool
    superseded_by: str | None


def test_a_plain_record_shows_and_compares_as_its_dataclass_did() -> None:
    a, b = ContentsEntry("1. Background", "sec-background"), ContentsEntry("1. Background", "sec-background", 2)
    old = _ContentsEntry("1. Background", "sec-background")
    assert repr(a) == repr(old).replace("_ContentsEntry", "ContentsEntry")
    assert a == ContentsEntry("1. Background", "sec-background") and a != b
    assert a != old  # only an instance of the same class is equal, as with a dataclass
    with pytest.raises(TypeError):
        hash(a)  # a mutable record is unhashable, as a dataclass that compares
    a.level = 3
    assert a.level == 3 and not hasattr(a, "__dict__")  # slotted, as it was
    c = copy.copy(a)
    assert c == a and c is not a


def test_a_cached_footnote_is_neither_shown_nor_compared() -> None:
    def block() -> FactBlock:
        return FactBlock("f-1", "Text.", "current", 1, [], date(2025, 1, 2), 3, "background")

    done = block()
    done.notes_made, done.notes_for = ["A note."], None
    assert done == block() and "notes_made" not in repr(done) and repr(done) == repr(block())


def test_a_frozen_record_cannot_change_and_hashes_by_its_fields() -> None:
    s = Staleness("f-1", date(2024, 1, 1), 14, True, None)
    old = _Staleness("f-1", date(2024, 1, 1), 14, True, None)
    assert repr(s) == repr(old).replace("_Staleness", "Staleness")
    assert hash(s) == hash(Staleness("f-1", date(2024, 1, 1), 14, True, None)) == hash(old)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.stale = False  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del s.stale  # type: ignore[misc]
    line = Line(0, 0, 1, 1)
    for other in (copy.copy(line), copy.deepcopy(line), pickle.loads(pickle.dumps(line)),
                  copy.copy(s), pickle.loads(pickle.dumps(s))):
        assert other == (line if isinstance(other, Line) else s)
    assert {line: 1}[Line(0, 0, 1, 1)] == 1


def test_defaults_are_fresh_for_each_record() -> None:
    a = Cover("T", "", "", "", date(2025, 1, 1), None, "")
    assert (a.page, a.compact, a.horizon_months) == (True, False, 12)
    x = FactBlock("f-1", "Text.", "current", 1, [], date(2025, 1, 2), 3, "background")
    y = FactBlock("f-2", "Text.", "current", 2, [], date(2025, 1, 2), 3, "background")
    x.flags.append("stale")
    assert y.flags == []


def _plain_classes() -> list[type]:
    import importlib
    import pkgutil

    import briefer
    from briefer.model.plain import Plain

    for info in pkgutil.walk_packages(briefer.__path__, "briefer."):
        if not info.name.startswith(("briefer.ui", "briefer.__main__")):
            importlib.import_module(info.name)
    found, todo = [], list(Plain.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return [c for c in found if c.__module__.startswith("briefer.") and c.__name__ not in ("Frozen",)]


#: fields that are a cache kept beside a record's data, neither shown nor compared (a dataclass's
#: ``field(repr=False, compare=False)``)
_CACHES = {"FactBlock": {"notes_made", "notes_for"}}


def test_every_plain_record_shows_and_compares_every_field_it_declares() -> None:
    """A field added to a plain record's annotations but not to its ``_fields`` would be left out of its
    equality and repr without a word: every declared field is shown (``_fields``) or at least compared
    (``_compared``, a dataclass's ``field(repr=False)``)."""
    classes = _plain_classes()
    assert len(classes) > 30  # the export path's records, as moved from dataclasses
    for cls in classes:
        declared = [name for klass in reversed(cls.__mro__)
                    for name, kind in vars(klass).get("__annotations__", {}).items() if "ClassVar" not in str(kind)]
        assert set(cls._fields) <= set(declared), cls
        missing = set(declared) - set(cls._fields) - set(cls._compared or ()) - _CACHES.get(cls.__qualname__, set())
        assert not missing, f"{cls.__qualname__} declares {sorted(missing)} but does not list them in _fields"


def test_the_start_s_records_compare_copy_and_refuse_changes_as_their_dataclasses_did() -> None:
    from briefer.model.permissions import LOCAL, Permissions
    from briefer.model.query import FactFilter
    from briefer.ui.workers import Query, QueryResult

    flt = FactFilter(section="s1", min_priority=2)
    wide = flt.replace(section=None)  # what dataclasses.replace made
    assert wide == FactFilter(min_priority=2) and flt.section == "s1" and hash(wide) == hash(FactFilter(min_priority=2))
    assert repr(wide).startswith("FactFilter(section=None, status=None, ")
    with pytest.raises(dataclasses.FrozenInstanceError):
        flt.section = "s2"  # type: ignore[misc]
    assert Permissions(role="local") == LOCAL and not LOCAL.team and LOCAL.why_not("can_edit") is None
    a, b = Query(1), Query(1)
    assert a == b and a.filters == {} and a.filters is not b.filters  # each its own dict, as default_factory
    result = QueryResult(a, [], 0, 0.0)
    result.total = 3  # a result is filled in by the worker
    assert result.flags == {} and result.damaged == {} and result != QueryResult(a, [], 0, 0.0)
