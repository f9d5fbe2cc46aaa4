"""Text and document properties out of a PDF, with pypdf (pure Python).

Only the text layer is read: nothing in the file runs (PDF JavaScript and
forms are ignored).  Password-protected PDFs and PDFs without a text layer
(scans) are refused with a clear message.  The lines pypdf returns are
re-flowed into paragraphs, so a sentence broken across lines is one
sentence again; the stored text is that re-flowed text, and every quote is
checked against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO

from briefer.errors import ImportFailed

MAX_PAGES = 2000
#: the most text Briefer takes from one PDF (a bomb of tiny text streams stops here)
MAX_CHARS = 5_000_000


@dataclass
class PdfResult:
    text: str
    meta: dict[str, str] = field(default_factory=dict)


_END = re.compile(r"[.!?:;\"\u201d\u2019)\]]\s*$|[。！？]\s*$")


def reflow(text: str) -> str:
    """Join the lines of a paragraph: a line that does not end a sentence continues on the next one
    (a hyphen at a line break before a lower-case letter is kept: the text is what the PDF says)."""
    out: list[str] = []
    para: list[str] = []
    lengths = [len(ln.strip()) for ln in text.splitlines() if ln.strip()]
    wide = sorted(lengths)[int(len(lengths) * 0.9)] if lengths else 0

    def flush() -> None:
        if para:
            out.append(" ".join(para))
            para.clear()

    for raw in text.splitlines():
        line = re.sub(r"\s+", " ", raw).strip()
        if not line:
            flush()
            continue
        if para:
            prev = para[-1]
            continues = not _END.search(prev) and (line[:1].islower() or len(prev) >= 0.6 * wide)
            ends_paragraph = _END.search(prev) and len(prev) < 0.6 * wide
            if not continues or ends_paragraph:
                flush()
        if para and para[-1].endswith("-") and line[:1].islower():
            para[-1] = para[-1] + line
        else:
            para.append(line)
    flush()
    return "\n\n".join(out) + "\n"


def _one_line(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def read_pdf(raw: bytes, name: str) -> PdfResult:
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is a dependency
        raise ImportFailed(f"{name} is a PDF, and this installation of Briefer cannot read PDFs "
                           "(pypdf is missing); save it as text or .docx first") from None
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged-but-readable files warn a lot
    try:
        reader = PdfReader(BytesIO(raw), strict=False)
        if reader.is_encrypted:
            ok: object
            try:
                ok = reader.decrypt("")
            except Exception:  # noqa: BLE001 - any failure means we cannot read it
                ok = 0
            if not ok:
                raise ImportFailed(f"{name} is a password-protected PDF; open it, save a copy without a password, "
                                   "and import that")
        n = len(reader.pages)
        if n > MAX_PAGES:
            raise ImportFailed(f"{name} has {n} pages; Briefer imports PDFs of up to {MAX_PAGES} pages")
        parts: list[str] = []
        total = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            total += len(text)
            if total > MAX_CHARS:
                raise ImportFailed(f"{name} holds more than {MAX_CHARS // 1_000_000} million characters of text; "
                                   "refused")
            parts.append(text)
        meta: dict[str, str] = {}
        info = reader.metadata
        if info is not None:
            if info.title:
                meta["title"] = str(info.title).strip()
            if info.author:
                meta["author"] = str(info.author).strip()
            try:
                created = info.creation_date
            except Exception:  # noqa: BLE001 - a malformed date is just not used
                created = None
            if created is not None:
                meta["created"] = created.date().isoformat()
    except ImportFailed:
        raise
    except MemoryError:
        raise ImportFailed(f"{name} is a damaged PDF (reading it needed more memory than there is)") from None
    except Exception as exc:  # noqa: BLE001 - see below
        # pypdf parses hostile input with its own code and that of zlib, struct and the codecs: a
        # damaged file raises PdfReadError, LimitReachedError, zlib.error, struct.error, OverflowError,
        # ZeroDivisionError and more.  Nothing in this block is Briefer's own logic, so any exception
        # means "this PDF cannot be read", one line; the fuzz test in tests/ checks it
        raise ImportFailed(f"{name} is a damaged PDF ({type(exc).__name__}: {_one_line(str(exc))})") from None
    text = reflow("\n\n".join(parts))
    if len(re.findall(r"\w", text)) < 20:
        raise ImportFailed(f"{name} has no text layer (probably a scanned image); Briefer cannot read its text")
    return PdfResult(text=text, meta={k: v for k, v in meta.items() if v})
