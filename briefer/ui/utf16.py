"""Qt counts text positions in UTF-16 code units, Python in code points: a Japanese name or an emoji
beyond the Basic Multilingual Plane is one Python character but two Qt positions.  These convert."""

from __future__ import annotations


def utf16_len(text: str) -> int:
    """The length of ``text`` in UTF-16 code units (Qt's positions)."""
    return len(text.encode("utf-16-le")) // 2


def py_index(text: str, utf16_pos: int) -> int:
    """The Python string index of a Qt (UTF-16) position in ``text``."""
    return len(text.encode("utf-16-le")[: 2 * utf16_pos].decode("utf-16-le", errors="ignore"))


def utf16_pos(text: str, index: int) -> int:
    """The Qt (UTF-16) position of Python index ``index`` in ``text``."""
    return utf16_len(text[:index])
