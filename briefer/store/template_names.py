"""How a template may be named: the name is its file name (``NAME.json``), in
the user's library and inside a backup, so the rules live with the store.

Names are compared without regard to case (:func:`name_key`).
"""

from __future__ import annotations

import unicodedata

from briefer.errors import KnownError

MAX_NAME = 64
#: a template's file is NAME.json, and file names hold at most 255 bytes on most systems
MAX_NAME_BYTES = 200
# Characters no template name may hold: path separators, characters Windows
# and macOS reserve in file names, and anything invisible.
_RESERVED_CHARS = set('/\\:*?"<>|')
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                     *(f"lpt{i}" for i in range(1, 10))}


class TemplateNameError(KnownError):
    """A template name that cannot be used."""


def check_template_name(name: str) -> str:
    """``name`` (with surrounding spaces removed) if it can name a template, else TemplateNameError."""
    if not isinstance(name, str):
        raise TemplateNameError("a template name must be text")
    name = unicodedata.normalize("NFC", name.strip())
    shown = name if len(name) <= 80 else name[:77] + "..."
    if not name:
        raise TemplateNameError("a template name cannot be empty")
    if len(name) > MAX_NAME:
        raise TemplateNameError(f"the template name {shown!r} is longer than {MAX_NAME} characters")
    if len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        # the name is the file name (NAME.json): most file systems allow 255 bytes
        raise TemplateNameError(f"the template name {shown!r} is too long for a file name "
                                f"({len(name.encode('utf-8', 'surrogatepass'))} bytes in UTF-8; the limit is "
                                f"{MAX_NAME_BYTES})")
    bad = sorted({ch for ch in name if ch in _RESERVED_CHARS})
    if bad:
        raise TemplateNameError(f"the template name {shown!r} contains {' '.join(bad)}: "
                                "names cannot hold / \\ : * ? \" < > |")
    if any(unicodedata.category(ch)[0] == "C" for ch in name):
        raise TemplateNameError(f"the template name {shown!r} contains control or invisible characters")
    if name.startswith(".") or name.endswith("."):
        raise TemplateNameError(f"the template name {shown!r} cannot start or end with a dot")
    if name.split(".")[0].strip().lower() in _WINDOWS_RESERVED:
        raise TemplateNameError(f"{shown!r} is a reserved device name on Windows and cannot name a template")
    return name


def name_key(name: str) -> str:
    """Template names are compared without regard to case: 'Risk Watch' and 'risk watch' clash."""
    return unicodedata.normalize("NFC", name.strip()).casefold()
