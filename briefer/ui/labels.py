"""Plain-text labels for what the window shows from its first paint (pane titles, the library's count
line).  A label given ``<b>…</b>`` is a rich-text label: Qt lays its text out as a document
(QTextDocument) at every width its layout tries, where a plain label just draws its line.  A bold
title is a plain label in the bold font instead."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from briefer.ui.qt_names import set_enum


def escape(text: str) -> str:
    """``html.escape(text)``: ``&``, ``<``, ``>`` and both quotes as character references.  The window's start
    needs no more of :mod:`html`, whose import builds its table of 2,231 named entities (8 M instructions,
    about 1 % of the start; tests/test_ui_labels.py checks this against ``html.escape``)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("'", "&#x27;")


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that shows ``text`` as it is: no markup is read in it (a ``<`` in a message stays one)."""
    label = QLabel(text, parent)
    set_enum(label, "textFormat", "PlainText")
    return label


def title_label(text: str, parent: QWidget | None = None) -> QLabel:
    """A pane's title: ``text`` in bold, as ``<b>text</b>`` would show it."""
    label = plain_label(text, parent)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def show_text(label: QLabel, text: str, *, rich: bool = False) -> None:
    """Show ``text`` in ``label``: plain, or with ``rich`` as Qt rich text (a link in it)."""
    set_enum(label, "textFormat", "RichText" if rich else "PlainText")
    label.setText(text)
