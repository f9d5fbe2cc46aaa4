"""Exporting a :class:`~briefer.domain.document.Document`: DOCX, HTML, Markdown, PDF.

:func:`export_briefing` is the one entry point the CLI and the window use.
Renderers are imported when needed, so starting Briefer does not load
python-docx's XML machinery.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from briefer.errors import ExportError
from briefer.model.plain import Plain

if TYPE_CHECKING:
    from briefer.domain.document import Document

from briefer.export import formats as _formats

#: the format codes (the registry, :mod:`briefer.export.formats`, lists them with all they need)
FORMATS = _formats.codes()


class ExportResult(Plain):
    _fields = ("path", "fmt", "warnings", "footnotes", "pages", "page_numbers", "layout_seconds", "edition")
    path: Path
    fmt: str
    #: text-safety and reference-document warnings, one sentence each
    warnings: list[str]
    footnotes: int
    #: the page count, when the format fixes it (PDF) or the layout pass measured it (Word)
    pages: int | None
    #: True when the contents carry page numbers from a LibreOffice layout pass
    page_numbers: bool
    #: seconds the layout pass took (None: no layout pass)
    layout_seconds: float | None
    #: the template edition recorded in the same step as the rename (the window's exports of a template)
    edition: object | None

    def __init__(self, path: Path, fmt: str, warnings: list[str] | None = None, footnotes: int = 0,
                       pages: int | None = None, page_numbers: bool = False, layout_seconds: float | None = None,
                       edition: object | None = None) -> None:
        self.path, self.fmt = path, fmt
        self.warnings = [] if warnings is None else warnings
        self.footnotes, self.pages, self.page_numbers = footnotes, pages, page_numbers
        self.layout_seconds, self.edition = layout_seconds, edition


#: set to 0 to skip the LibreOffice layout pass (contents as links without page numbers)
LAYOUT_ENV = "BRIEFER_LAYOUT_PASS"


def format_for(path: Path, fmt: str | None = None) -> str:
    """The format to write: ``fmt`` when given, else inferred from the extension.  A folder, and a name
    whose extension is another format's (``--format docx`` for ``notes.md``), are refused."""
    path = Path(path)
    found = _formats.for_extension(path.suffix)
    if path.is_dir():
        from briefer.fileio import WriteFailed

        # the writer's own words (it refuses a folder too), with what to give instead
        raise WriteFailed(f"cannot write {path}: it is a folder; give the file to write in it "
                          f"(e.g. {path / ('briefing' + (found.extension if found else '.docx'))})")
    if fmt:
        code = _formats.get(fmt).code
        if found is not None and found.code != code:
            raise ExportError(f"{path.name!r} ends in {path.suffix}, the extension of {found.code}, but the format "
                              f"asked for is {code}: end the name with {_formats.get(code).extension}, or leave out "
                              "the format")
        return code
    if found is None:
        shown = ", ".join(f.extension for f in _formats.FORMATS[:-1]) + f" or {_formats.FORMATS[-1].extension}"
        raise ExportError(f"cannot tell the format from {path.name!r}: end the file name with {shown}, "
                          "or pass --format")
    return found.code


def export_briefing(document: Document, path: Path | str, fmt: str | None = None,
                    reference_doc: Path | str | None = None, *, layout: bool | None = None,
                    layout_timeout: float | None = None, pdf_a: bool = False,
                    commit: Callable[[], AbstractContextManager[object]] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Write ``document`` to ``path`` atomically: a failure leaves any earlier file intact.

    ``layout`` (default: on unless ``$BRIEFER_LAYOUT_PASS`` is 0) lays a Word or PDF export out in
    LibreOffice first, so the contents carry page numbers; without LibreOffice, or when it fails or
    hangs past ``layout_timeout`` seconds, the contents are links without numbers and a warning says so.
    ``pdf_a`` makes a PDF export PDF/A-2b.  ``commit`` makes a context manager the final rename runs
    inside (see :func:`briefer.fileio.atomic_open`); ``cancelled`` ends a LibreOffice conversion early."""
    from briefer.fileio import protecting

    with protecting(reference_doc, f"the reference document being read ({reference_doc})"):
        return _export(document, Path(path), fmt, reference_doc, commit, cancelled,
                       layout=layout, layout_timeout=layout_timeout, pdf_a=pdf_a)


def _export(document: Document, path: Path, fmt: str | None, reference_doc: Path | str | None,
            commit: Callable[[], AbstractContextManager[object]] | None,
            cancelled: Callable[[], bool] | None = None, *, layout: bool | None = None,
            layout_timeout: float | None = None, pdf_a: bool = False) -> ExportResult:
    from briefer.errors import missing_folder
    from briefer.fileio import atomic_open, check_target

    check_target(path)  # before any work
    fmt = format_for(path, fmt)
    pages: int | None = None
    warnings = list(document.warnings)
    toc_pages: dict[str, int] | None = None
    layout_seconds: float | None = None
    if fmt in ("docx", "pdf"):
        from briefer.export.docx import write_docx
        from briefer.export.docx_reference import load_reference

        ref = load_reference(Path(reference_doc) if reference_doc else None)
        if fmt == "pdf":
            from briefer.export.pdf import INSTALL_HINT, find_soffice

            if find_soffice() is None:
                raise ExportError(INSTALL_HINT)
        if layout is None:
            layout = os.environ.get(LAYOUT_ENV, "1").strip() != "0"
        if layout and document.contents:
            from briefer.export import layout as layout_pass

            entries = [(e.anchor, e.heading) for e in document.contents]
            try:
                lay = layout_pass.lay_out(lambda fh: write_docx(document, fh, ref, toc_pages={}), entries,
                                          timeout=layout_timeout or layout_pass.TIMEOUT)
            except layout_pass.LayoutFailed as exc:
                warnings.append(str(exc))
            else:
                toc_pages, pages, layout_seconds = lay.pages, lay.page_count, lay.seconds
        if fmt == "docx":
            with atomic_open(path, commit=commit) as fh:
                warnings += write_docx(document, fh, ref, toc_pages=toc_pages, page_count=pages)
        else:
            from briefer.export.pdf import docx_to_pdf, find_soffice

            if find_soffice() is None:
                from briefer.export.pdf import INSTALL_HINT

                raise ExportError(INSTALL_HINT)
            if path.is_dir():
                raise ExportError(f"cannot write {path}: it is a folder")
            if not path.parent.is_dir():
                raise ExportError(missing_folder(path))
            with tempfile.TemporaryDirectory(prefix="briefer-pdf-") as tmp:
                docx = Path(tmp) / f"{path.stem or 'briefing'}.docx"
                with docx.open("wb") as fh:
                    warnings += write_docx(document, fh, ref, toc_pages=toc_pages, page_count=pages)
                pdf = docx_to_pdf(docx, Path(tmp), pdf_a=pdf_a, cancelled=cancelled)
                pages = count_pdf_pages(pdf)
                with atomic_open(path, commit=commit) as out, pdf.open("rb") as src:
                    shutil.copyfileobj(src, out)
    else:  # a text format: its registry entry names the writer
        data = _formats.get(fmt).load_writer()(document).encode("utf-8")
        with atomic_open(path, commit=commit) as fh:
            fh.write(data)
    return ExportResult(path, fmt, list(dict.fromkeys(warnings)), document.footnote_count, pages,
                        toc_pages is not None, layout_seconds)


def count_pdf_pages(pdf: Path) -> int | None:
    """The number of page objects in a PDF LibreOffice wrote (uncompressed object dictionaries)."""
    try:
        data = pdf.read_bytes()
    except OSError:
        return None
    n = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    return n or None
