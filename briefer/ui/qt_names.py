"""Qt's item roles as the ints they are, and enum-valued properties set by their key's name.

The first use of ``PySide6.QtCore.Qt`` (even ``from PySide6.QtCore import Qt``) makes the binding build
the Python classes of the ~95 enums of Qt's namespace (~100 M instructions, a tenth of the window's
start).  The library pane, its models and its delegates are on the way to a filled library, so they
name no member of ``Qt``: a role is an int to Qt, and a property of an enum type takes its key's name
(``QObject.setProperty`` converts it with the property's meta-enum).  Code that runs later (a click, a
dialog) imports ``Qt`` where it needs it.
"""

from __future__ import annotations

from typing import Any

#: Qt.ItemDataRole, as ints (tests/test_qt_names.py checks each against Qt)
DISPLAY_ROLE = 0
DECORATION_ROLE = 1
TOOLTIP_ROLE = 3
FONT_ROLE = 6
ACCESSIBLE_TEXT_ROLE = 11
USER_ROLE = 256

#: Qt.Key, as ints
KEY_DOWN = 0x01000015
#: Qt.Key.Key_Escape
KEY_ESCAPE = 0x01000000


def set_enum(obj: Any, prop: str, key: str) -> None:
    """Set the enum-valued Qt property ``prop`` of ``obj`` to the member named ``key``
    (``set_enum(button, "toolButtonStyle", "ToolButtonTextBesideIcon")``).  A property the class does not
    have, or a key its enum does not have, raises ValueError: ``setProperty`` alone would make a dynamic
    property or do nothing, silently."""
    meta = obj.metaObject()
    index = meta.indexOfProperty(prop)
    if index < 0:
        raise ValueError(f"{type(obj).__name__} has no Qt property {prop!r}")
    if not meta.property(index).isEnumType():
        raise ValueError(f"{type(obj).__name__}.{prop} is not an enum property")
    if not obj.setProperty(prop, key):
        raise ValueError(f"{type(obj).__name__}.{prop} has no value {key!r}")
