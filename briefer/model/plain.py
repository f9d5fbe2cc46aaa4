"""Plain record classes: the ``__eq__`` and ``__repr__`` :func:`dataclasses.dataclass` writes, written once.

A dataclass costs about a millisecond to define (the decorator writes its methods' source and compiles it when the
module is imported), and an export imports dozens of them before it does any work.  The record types on that
path are plain classes instead: their own ``__slots__`` and ``__init__``, and from :class:`Plain` the equality
and repr a dataclass has (fields compared as a tuple, only with an instance of the same class; shown as
``Name(field=value, ...)``)."""

from __future__ import annotations

from typing import Any, ClassVar, Self


class Plain:
    __slots__ = ()
    #: the fields, in order: what the repr shows and equality compares
    _fields: ClassVar[tuple[str, ...]] = ()
    #: the fields equality compares, when not all of them (a cache kept beside the data)
    _compared: ClassVar[tuple[str, ...] | None] = None

    def _values(self, names: tuple[str, ...]) -> tuple[Any, ...]:
        return tuple(getattr(self, n) for n in names)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        names = self._fields if self._compared is None else self._compared
        return self._values(names) == other._values(names)

    # (no __hash__: one that defines __eq__ is unhashable, as a dataclass that compares and is not frozen)

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self._fields)})"

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes`` (what :func:`dataclasses.replace` makes of a dataclass): the class's
        ``__init__`` takes each field by its name."""
        return type(self)(**{**{n: getattr(self, n) for n in self._fields}, **changes})


class Frozen(Plain):
    """A plain record that cannot be changed once made, hashed by its fields (a frozen dataclass): its
    ``__init__`` sets the fields with ``object.__setattr__``."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        from dataclasses import FrozenInstanceError  # (dataclasses is not imported for the window's start)

        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:
        return hash(self._values(self._fields if self._compared is None else self._compared))

    def __setstate__(self, state: Any) -> None:
        """What :mod:`copy` and :mod:`pickle` restore: the fields, set past ``__setattr__``."""
        fields, slots = state if isinstance(state, tuple) else (state, None)
        for part in (fields, slots):
            for name, value in (part or {}).items():
                object.__setattr__(self, name, value)
