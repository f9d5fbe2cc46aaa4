"""briefer.ui.qt_names: the item roles the library names as ints are Qt's, and an enum property set by its
key's name takes that value, or says what is wrong instead of doing nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QSplitter, QToolButton

from briefer.ui import qt_names
from briefer.ui.models.library import FactIdRole, HtmlRole, SectionIdRole, StatusRole


def test_the_roles_are_qts() -> None:
    r = Qt.ItemDataRole
    assert r.DisplayRole.value == qt_names.DISPLAY_ROLE
    assert r.DecorationRole.value == qt_names.DECORATION_ROLE
    assert r.ToolTipRole.value == qt_names.TOOLTIP_ROLE
    assert r.FontRole.value == qt_names.FONT_ROLE
    assert r.AccessibleTextRole.value == qt_names.ACCESSIBLE_TEXT_ROLE
    assert r.UserRole.value == qt_names.USER_ROLE
    assert Qt.Key.Key_Down.value == qt_names.KEY_DOWN
    assert Qt.Key.Key_Escape.value == qt_names.KEY_ESCAPE
    # the library's own roles are above Qt's, and distinct
    assert len({SectionIdRole, FactIdRole, HtmlRole, StatusRole}) == 4
    assert min(SectionIdRole, FactIdRole, HtmlRole, StatusRole) > r.UserRole.value


def test_an_enum_property_is_set_by_its_keys_name(qtbot) -> None:  # noqa: ANN001
    button, split, label, action = QToolButton(), QSplitter(), QLabel(), QAction()
    qtbot.addWidget(button)
    qtbot.addWidget(split)
    qtbot.addWidget(label)
    qt_names.set_enum(button, "toolButtonStyle", "ToolButtonTextBesideIcon")
    qt_names.set_enum(split, "orientation", "Vertical")
    qt_names.set_enum(label, "textFormat", "RichText")
    qt_names.set_enum(action, "shortcutContext", "WidgetShortcut")
    assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    assert split.orientation() == Qt.Orientation.Vertical
    assert label.textFormat() == Qt.TextFormat.RichText
    assert action.shortcutContext() == Qt.ShortcutContext.WidgetShortcut


def test_a_wrong_property_or_key_is_refused_not_ignored(qtbot) -> None:  # noqa: ANN001
    button = QToolButton()
    qtbot.addWidget(button)
    with pytest.raises(ValueError, match="no Qt property 'toolbuttonstyle'"):
        qt_names.set_enum(button, "toolbuttonstyle", "ToolButtonIconOnly")  # (no dynamic property made)
    assert button.property("toolbuttonstyle") is None
    with pytest.raises(ValueError, match="has no value 'TextBesideIcon'"):
        qt_names.set_enum(button, "toolButtonStyle", "TextBesideIcon")
    with pytest.raises(ValueError, match="not an enum property"):
        qt_names.set_enum(button, "text", "ToolButtonIconOnly")
    assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly  # unchanged (Qt's default)
