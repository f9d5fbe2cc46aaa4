"""The layout pass: where each heading falls once LibreOffice has laid the document out.

Word fills a TOC field's page numbers only when asked to update fields, which
makes it prompt the reader on opening.  Instead, the DOCX is written once
with a TOC field holding placeholder numbers of the right width, LibreOffice
converts it to PDF, and the PDF's outline (one bookmark per Heading 1, with
its page) gives the number of every contents entry.  The final DOCX carries
those numbers as the field's cached result.

Any failure (no LibreOffice, a crash, a hang past the timeout, an outline
that does not match the contents) is a :class:`LayoutFailed` whose message
says why; the caller then writes the contents without page numbers.
"""

from __future__ import annotations

import contextlib
import importlib
import re
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from briefer.domain.typography import smart_quotes
from briefer.errors import BrieferError, ExportError

#: seconds the layout pass may take before LibreOffice is stopped (a 25-page briefing takes 2-5 s)
TIMEOUT = 60.0

NO_LIBREOFFICE = ("the contents have no page numbers: LibreOffice, which lays the document out to find them, "
                  "is not installed")


class LayoutFailed(BrieferError):
    """The layout pass gave no page numbers; the message says why, in one sentence."""


@dataclass(frozen=True)
class Layout:
    #: contents anchor -> 1-based page number
    pages: dict[str, int]
    page_count: int
    seconds: float


def _import_pdf_reader() -> None:
    with contextlib.suppress(ImportError):  # reading the PDF says so, if it is missing
        importlib.import_module("pypdf")


def outline_pages(pdf: Path) -> tuple[list[tuple[str, int]], int]:
    """The top-level bookmarks of ``pdf`` as (title, 1-based page), and its page count."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(pdf))
        out: list[tuple[str, int]] = []
        for item in reader.outline:
            if isinstance(item, list):
                continue
            page = reader.get_destination_page_number(item)
            if page is not None:  # a bookmark that points nowhere names no page
                out.append((item.title or "", page + 1))
        return out, len(reader.pages)
    except (PyPdfError, OSError, ValueError, KeyError) as exc:
        raise LayoutFailed(f"the laid-out PDF could not be read ({exc})") from None


def _norm(text: str) -> str:
    return " ".join(smart_quotes(text).split()).casefold()


def match_pages(entries: Sequence[tuple[str, str]], outline: Sequence[tuple[str, int]]) -> dict[str, int]:
    """Anchor -> page for each (anchor, heading) of ``entries``, found in ``outline`` in document order."""
    pages: dict[str, int] = {}
    pos = 0
    for anchor, heading in entries:
        want = _norm(heading)
        for i in range(pos, len(outline)):
            if _norm(outline[i][0]) == want:
                pages[anchor] = outline[i][1]
                pos = i + 1
                break
        else:
            raise LayoutFailed(f"the heading \u201c{heading}\u201d was not found in the laid-out document")
    return pages


def lay_out(write: Callable[[IO[bytes]], object], entries: Sequence[tuple[str, str]], *,
            timeout: float = TIMEOUT) -> Layout:
    """Write a draft with ``write``, lay it out in LibreOffice, and read back each entry's page."""
    from briefer.export.pdf import ConversionTimeout, find_soffice, pdf_filter, run_soffice

    if find_soffice() is None:
        raise LayoutFailed(NO_LIBREOFFICE)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="briefer-layout-") as tmp:
        draft = Path(tmp) / "draft.docx"
        with draft.open("wb") as fh:
            write(fh)
        pdf = Path(tmp) / "draft.pdf"
        # the PDF reader is imported while LibreOffice works (a tenth of a second, not spent after it)
        threading.Thread(target=_import_pdf_reader, daemon=True).start()
        try:
            # untagged and unembedded: the quickest PDF that still has the headings as bookmarks
            proc = run_soffice(["--convert-to", pdf_filter(tagged=False), "--outdir", tmp, str(draft)],
                               timeout=timeout, output=pdf)
        except ConversionTimeout:
            raise LayoutFailed(f"the contents have no page numbers: LibreOffice did not lay the document out "
                               f"within {timeout:.0f} seconds and was stopped") from None
        except ExportError as exc:
            raise LayoutFailed(f"the contents have no page numbers: {exc}") from None
        if proc.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            detail = [ln for ln in (proc.stderr or "").strip().splitlines() if ln.strip()]
            why = re.sub(r"\s+", " ", detail[-1]) if detail else f"exit status {proc.returncode}, no PDF"
            raise LayoutFailed(f"the contents have no page numbers: LibreOffice could not lay the document out "
                               f"({why})")
        outline, count = outline_pages(pdf)
    try:
        pages = match_pages(entries, outline)
    except LayoutFailed as exc:
        raise LayoutFailed(f"the contents have no page numbers: {exc}") from None
    return Layout(pages, count, time.perf_counter() - start)
