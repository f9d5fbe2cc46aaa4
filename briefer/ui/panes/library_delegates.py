"""How the library list draws its cells (the status as an icon, statements with the search words marked)
and words the line above the list (what it holds, and where else more is)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyledItemDelegate, QStyleOptionViewItem

from briefer.domain.typography import count
from briefer.ui.models.library import HtmlRole
from briefer.ui.workers import QueryResult


def _qstyle() -> Any:
    """``QStyle``, imported when the first row is painted: the class carries ~600 enum members (built
    as Python enums when it is first imported, ~45 M instructions) that the library does not need to be
    filled and take a search."""
    global _QStyle
    if _QStyle is None:
        from PySide6.QtWidgets import QStyle

        _QStyle = QStyle
    return _QStyle


_QStyle: Any = None


class StatusIconDelegate(QStyledItemDelegate):
    """The status column: its icon only (the word is in the tooltip and the accessible name)."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        # no text: the style centres the icon in the cell (an alignment set here would be a Qt.AlignmentFlag, and
        # the first row painted would build Qt's namespace; see briefer.ui.qt_names)
        option.text = ""
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.HasDisplay


class HtmlDelegate(QStyledItemDelegate):
    """Paints a cell's ``HtmlRole`` text (plain text with the store's ``<b>…</b>`` match marks) on up
    to :attr:`LINES` lines, wrapped at spaces, matches in bold, elided at the end.  Drawn with the
    painter directly: a QTextDocument per row made a list repaint take ~20 ms."""

    LINES = 2

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> Any:  # noqa: N802
        size = super().sizeHint(option, index)
        # two lines and a 1-2 px margin: the alternating row colours part the rows (issue 14 point 6: at
        # 1024×640 the list showed five rows)
        size.setHeight(max(size.height(), option.fontMetrics.lineSpacing() * self.LINES + 3))
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        marked = index.data(HtmlRole)
        if marked is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget else QApplication.style()
        opt.text = ""
        QStyle = _qstyle()  # noqa: N806 - the class
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget).adjusted(2, 0, -2, 0)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setClipRect(rect)
        # (the text's colour: drawItemText takes the palette's role; painter.setPen(QColor) would have the
        # binding try its Qt.PenStyle overload, and build Qt's namespace, on the first row painted)
        fonts = self._fonts(opt.font)
        left, right = rect.left(), rect.right()
        step = fonts[False][1].lineSpacing()
        lines = max(1, min(self.LINES, rect.height() // step))
        top = rect.top() + (rect.height() - lines * step) // 2
        words = _words(marked)
        x, line = left, 0
        for i, (word, is_bold) in enumerate(words):
            font, fm = fonts[is_bold]
            if word[:1].isspace() and line + 1 < lines:
                # a line breaks only at a space, before a word (and what sticks to it) that does not fit
                glued = fm.horizontalAdvance(word) + sum(
                    fonts[b][1].horizontalAdvance(w) for w, b in _glued(words, i + 1))
                if x + glued > right and x > left:
                    line, x = line + 1, left
                    word = word.lstrip()
            width = fm.horizontalAdvance(word)
            painter.setFont(font)
            y = top + line * step
            # on the last line, a word followed by more must leave room for the ellipsis
            room = fm.horizontalAdvance("\u2026") if line + 1 == lines and i + 1 < len(words) else 0
            if x + width + room > right:
                # the last line is full: the rest of the sentence, elided, in what is left of it
                rest = word + "".join(w for w, _b in words[i + 1:])
                style.drawItemText(painter, QRect(x, y, right - x, step), _TOP_LEFT, opt.palette, True,
                                   elided(fm, rest[: max(8, (right - x) // 3)], right - x), role)
                break
            style.drawItemText(painter, QRect(x, y, width + 2, step), _TOP_LEFT, opt.palette, True, word, role)
            x += width
        painter.restore()

    def _fonts(self, base: QFont) -> dict[bool, tuple[QFont, QFontMetrics]]:
        key = base.key()
        if getattr(self, "_font_key", None) != key:
            bold = QFont(base)
            bold.setBold(True)
            self._font_key = key
            self._font_cache = {False: (QFont(base), QFontMetrics(base)), True: (bold, QFontMetrics(bold))}
        return self._font_cache


#: Qt.AlignmentFlag.AlignTop | AlignLeft, as the int Qt takes (see briefer.ui.qt_names)
_TOP_LEFT = 0x21


def elided(fm: QFontMetrics, text: str, width: int) -> str:
    """``text`` cut to fit ``width`` with an ellipsis at its end (as ``fm.elidedText(text, ElideRight, width)``,
    whose mode argument is a member of Qt's namespace)."""
    if fm.horizontalAdvance(text) <= width:
        return text
    low, high = 0, len(text)  # the longest prefix that fits with the ellipsis: low fits, high does not
    while high - low > 1:
        mid = (low + high) // 2
        if fm.horizontalAdvance(text[:mid].rstrip() + "\u2026") <= width:
            low = mid
        else:
            high = mid
    return text[:low].rstrip() + "\u2026" if low else ""


_SEGMENTS: dict[str, list[tuple[str, bool]]] = {}


def _segments(marked: str) -> list[tuple[str, bool]]:
    """``a <b>b</b> c`` -> [("a ", False), ("b", True), (" c", False)] (other text is taken as plain)."""
    cached = _SEGMENTS.get(marked)
    if cached is not None:
        return cached
    if len(_SEGMENTS) > 2000:
        _SEGMENTS.clear()
    out: list[tuple[str, bool]] = []
    _SEGMENTS[marked] = out
    parts = marked.split("<b>")
    if parts[0]:
        out.append((html_unescape(parts[0]), False))
    for part in parts[1:]:
        inner, _, rest = part.partition("</b>")
        if inner:
            out.append((html_unescape(inner), True))
        if rest:
            out.append((html_unescape(rest), False))
    return out


_WORDS: dict[str, list[tuple[str, bool]]] = {}


def _words(marked: str) -> list[tuple[str, bool]]:
    """The marked text as words, each with the spaces before it, and whether it is a match (bold)."""
    cached = _WORDS.get(marked)
    if cached is not None:
        return cached
    if len(_WORDS) > 2000:
        _WORDS.clear()
    # a space at a segment's end goes with it ("The " + "<b>Headquarters</b>" keeps its space)
    out = [(w, bold) for text, bold in _segments(marked) for w in re.findall(r"\s*\S+|\s+", text)]
    _WORDS[marked] = out
    return out


def _glued(words: list[tuple[str, bool]], start: int) -> list[tuple[str, bool]]:
    """The pieces from ``start`` that stick to the word before them (no space between: "Headquarters" + "'")."""
    out = []
    for word, bold in words[start:]:
        if not word or word[:1].isspace():
            break
        out.append((word, bold))
    return out


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)


def count_text(result: QueryResult, section_title: Callable[[str], str], filters: list[str]) -> tuple[str, str]:
    """What the list holds, in plain text, and when a section or a filter narrows it, how many the
    whole library has, with one link to show them ("0 in Risks — 3 in all sections: show"): the link
    is the second item (rich text, after the escaped first), else empty."""
    n = len(result.rows)
    text = result.query.text.strip()
    if text and result.note.startswith("type another"):
        return "Type another letter to search", ""
    where = []
    section = result.query.filters.get("section")
    if section:
        where.append(f"in {section_title(section)}")
    if filters:
        where.append(f"with {'the filter' if len(filters) == 1 else f'{len(filters)} filters'}")
    narrowed = " ".join(where)
    everywhere = result.everywhere
    shown = result.total if result.total is not None else n
    if narrowed and everywhere is not None and everywhere > shown:
        # the search box says what was searched for: the line says where, and where else
        scope = "all sections" if section and not filters else "the whole library"
        return f"{shown:,} {narrowed} \u2014 {everywhere:,} in {scope}: ", '<a href="widen">show</a>'
    if text:
        more = " (best matches)" if n >= result.query.limit else ""
        out = (f"{n:,} fact{'s' if n != 1 else ''} match{'es' if n == 1 else ''} \u201c{text}\u201d"
               + (f" {narrowed}" if narrowed else "") + more
               + (f" \u2014 {result.note}" if result.note else ""))
    elif result.total is not None and result.total > n:
        out = f"Showing {n:,} of {count(result.total, 'fact')}" + (f" {narrowed}" if narrowed else "") + \
            " \u2014 search or filter to narrow"
    else:
        out = count(n, "fact") + (f" {narrowed}" if narrowed else "")
    return out, ""
