"""The export formats, listed once.

The CLI's ``--format`` choices, the export dialog's format list and file filters, which formats
take a reference document or need LibreOffice, and the modules a worker thread imports before an
export (the window's prewarm) all come from :data:`FORMATS`.  A new format is one writer module
and one entry here: a text format's writer is ``writer(document) -> str``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from briefer.errors import ExportError
from briefer.model.plain import Frozen


class ExportFormat(Frozen):
    _fields = ("code", "label", "extensions", "filter_name", "writer", "reference_doc", "needs_libreoffice", "preload")
    #: the short name (``--format``, the settings, :class:`~briefer.export.ExportResult`)
    code: str
    #: what the export dialog lists
    label: str
    #: file name endings, the first one the one written
    extensions: tuple[str, ...]
    #: the file dialog's filter description ("Word documents")
    filter_name: str
    #: writer as "module:function", imported when the format is first used
    writer: str
    #: whether the styles can come from a reference .docx (pandoc's --reference-doc)
    reference_doc: bool
    #: whether LibreOffice (soffice) must be installed
    needs_libreoffice: bool
    #: imported on the GUI thread before an export of this format starts in a worker
    preload: tuple[str, ...]

    def __init__(self, code: str, label: str, extensions: tuple[str, ...], filter_name: str, writer: str,
                       reference_doc: bool = False, needs_libreoffice: bool = False,
                       preload: tuple[str, ...] = ()) -> None:
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "extensions", extensions)
        object.__setattr__(self, "filter_name", filter_name)
        object.__setattr__(self, "writer", writer)
        object.__setattr__(self, "reference_doc", reference_doc)
        object.__setattr__(self, "needs_libreoffice", needs_libreoffice)
        object.__setattr__(self, "preload", preload)

    @property
    def extension(self) -> str:
        return self.extensions[0]

    @property
    def file_filter(self) -> str:
        """The Qt file-dialog filter: ``Word documents (*.docx)``."""
        return f"{self.filter_name} ({' '.join('*' + e for e in self.extensions)})"

    def load_writer(self) -> Callable[..., Any]:
        module, _, name = self.writer.partition(":")
        fn: Callable[..., Any] = getattr(importlib.import_module(module), name)
        return fn


_DOCX_MODULES = ("zipfile", "lxml.etree", "briefer.export.docx_reference", "briefer.export.docx",
                 "signal", "subprocess", "briefer.export.layout", "briefer.export.pdf")

#: in the order the export dialog lists them
FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("docx", "Word document (.docx)", (".docx",), "Word documents", "briefer.export.docx:write_docx",
                 reference_doc=True, preload=_DOCX_MODULES),
    ExportFormat("pdf", "PDF (.pdf, through LibreOffice)", (".pdf",), "PDF files", "briefer.export.docx:write_docx",
                 reference_doc=True, needs_libreoffice=True, preload=(*_DOCX_MODULES, "pypdf")),
    ExportFormat("md", "Markdown (.md)", (".md", ".markdown"), "Markdown", "briefer.export.markdown:render_markdown",
                 preload=("briefer.export.markdown",)),
    ExportFormat("html", "Web page (.html)", (".html", ".htm"), "Web pages", "briefer.export.html:render_html",
                 preload=("briefer.export.html",)),
)

_ALIASES = {"markdown": "md", "htm": "html"}


def codes() -> tuple[str, ...]:
    """Every format's code: the CLI's ``--format`` choices."""
    return tuple(f.code for f in FORMATS)


def get(code: str) -> ExportFormat:
    code = _ALIASES.get(code.lower().lstrip("."), code.lower().lstrip("."))
    for f in FORMATS:
        if f.code == code:
            return f
    raise ExportError(f"unknown format {code!r}: use one of {', '.join(codes())}")


def for_extension(suffix: str) -> ExportFormat | None:
    """The format a file name ending in ``suffix`` (".docx") is written as, or None."""
    suffix = suffix.lower()
    return next((f for f in FORMATS if suffix in f.extensions), None)


def extensions() -> tuple[str, ...]:
    return tuple(e for f in FORMATS for e in f.extensions)


def with_reference_doc() -> tuple[str, ...]:
    """The codes of the formats that take a reference document."""
    return tuple(f.code for f in FORMATS if f.reference_doc)


def preload_modules() -> tuple[str, ...]:
    """What a worker imports to export any format (the window imports it on the GUI thread first)."""
    return tuple(dict.fromkeys(m for f in FORMATS for m in f.preload))
