"""Exporting a :class:`~briefer.domain.document.Document`: DOCX, HTML, Markdown, PDF.

:func:`export_briefing` is the one entry point the CLI and the window use.
Renderers are imported when needed, so starting Briefer does not load
python-docx's XML machinery.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefer.errors import ExportError

if TYPE_CHECKING:
    from briefer.domain.document import Document

FORMATS = ("docx", "md", "html", "pdf")
_EXTENSIONS = {".docx": "docx", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}


@dataclass
class ExportResult:
    path: Path
    fmt: str
    #: text-safety and reference-document warnings, one sentence each
    warnings: list[str] = field(default_factory=list)
    footnotes: int = 0
    #: the page count, when the format fixes it (PDF); None for Word, HTML and Markdown
    pages: int | None = None
    #: the template edition recorded in the same step as the rename (the window's exports of a template)
    edition: object | None = None


def format_for(path: Path, fmt: str | None = None) -> str:
    """The format to write: ``fmt`` when given, else inferred from the extension."""
    if fmt:
        fmt = fmt.lower().lstrip(".")
        fmt = {"markdown": "md", "htm": "html"}.get(fmt, fmt)
        if fmt not in FORMATS:
            raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
        return fmt
    found = _EXTENSIONS.get(Path(path).suffix.lower())
    if found is None:
        raise ExportError(f"cannot tell the format from {Path(path).name!r}: end the file name with .docx, .md, "
                          ".html or .pdf, or pass --format")
    return found


def export_briefing(document: Document, path: Path | str, fmt: str | None = None,
                    reference_doc: Path | str | None = None,
                    commit: Callable[[], AbstractContextManager[object]] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Write ``document`` to ``path`` atomically: a failure leaves any earlier file intact.

    ``commit`` (see :func:`briefer.fileio.atomic_open`) is what the rename into
    place runs inside, e.g. recording the template's edition: when it fails the
    earlier file is back as it was."""
    from briefer.fileio import protecting

    with protecting(reference_doc, f"the reference document being read ({reference_doc})"):
        return _export(document, Path(path), fmt, reference_doc, commit, cancelled)


def _export(document: Document, path: Path, fmt: str | None, reference_doc: Path | str | None,
            commit: Callable[[], AbstractContextManager[object]] | None,
            cancelled: Callable[[], bool] | None = None) -> ExportResult:
    from briefer.fileio import atomic_open, check_target

    check_target(path)  # before any work
    fmt = format_for(path, fmt)
    pages: int | None = None
    warnings = list(document.warnings)
    if fmt in ("docx", "pdf"):
        from briefer.export.docx import write_docx
        from briefer.export.docx_reference import load_reference

        ref = load_reference(Path(reference_doc) if reference_doc else None)
        if fmt == "docx":
            with atomic_open(path, commit=commit) as fh:
                warnings += write_docx(document, fh, ref)
        else:
            from briefer.export.pdf import docx_to_pdf, find_soffice

            if find_soffice() is None:
                from briefer.export.pdf import INSTALL_HINT

                raise ExportError(INSTALL_HINT)
            if path.is_dir():
                raise ExportError(f"cannot write {path}: it is a folder")
            if not path.parent.is_dir():
                raise ExportError(f"cannot write {path}: the folder {path.parent} does not exist")
            with tempfile.TemporaryDirectory(prefix="briefer-pdf-") as tmp:
                docx = Path(tmp) / f"{path.stem or 'briefing'}.docx"
                with docx.open("wb") as fh:
                    warnings += write_docx(document, fh, ref)
                pdf = docx_to_pdf(docx, Path(tmp), cancelled=cancelled)
                pages = count_pdf_pages(pdf)
                with atomic_open(path, commit=commit) as out, pdf.open("rb") as src:
                    shutil.copyfileobj(src, out)
    elif fmt == "html":
        from briefer.export.html import render_html

        data = render_html(document).encode("utf-8")
        with atomic_open(path, commit=commit) as fh:
            fh.write(data)
    else:
        from briefer.export.markdown import render_markdown

        data = render_markdown(document).encode("utf-8")
        with atomic_open(path, commit=commit) as fh:
            fh.write(data)
    return ExportResult(path, fmt, list(dict.fromkeys(warnings)), document.footnote_count, pages)


def count_pdf_pages(pdf: Path) -> int | None:
    """The number of page objects in a PDF LibreOffice wrote (uncompressed object dictionaries)."""
    try:
        data = pdf.read_bytes()
    except OSError:
        return None
    n = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    return n or None
