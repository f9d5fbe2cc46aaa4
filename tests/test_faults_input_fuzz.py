"""Mutation fuzz over PDF and DOCX imports (issue 12, point 7): damaged files make pypdf, zipfile
and zlib raise their own exceptions (LimitReachedError, zlib.error, BadZipFile, a bare
ValueError...); every one must reach the user as one ImportFailed line.  The corpus is seeded,
so a failure names a case that can be replayed."""

from __future__ import annotations

import io
import random
import zipfile
import zlib
from pathlib import Path

import pytest

from briefer.errors import ImportFailed
from briefer.ingest import pipeline

SENTENCE = b"The AI Promotion Act was enacted in May 2025 and sets up the AI Strategy Headquarters."
#: bytes that steer a parser into its corners: huge and negative numbers, structure tokens
TOKENS = [b"9" * 5000, b"-1", b"0", b"99999999999", b"/FlateDecode", b"<<", b">>", b"[", b"]", b" R ", b"obj",
          b"\x00", b"stream", b"endobj", b"/Length 999999999", b"1e308", b"/ObjStm", b"xref"]
CASES = 150


def pdf_bytes() -> bytes:
    """A one-page PDF whose content stream is deflated (so zlib sees damaged data too)."""
    stream = zlib.compress(b"BT /F1 11 Tf 14 TL 72 760 Td (" + SENTENCE + b") Tj ET")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            None, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Title (A title) /CreationDate (D:20251105120000Z) >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        if body is None:
            out += (f"{i} 0 obj\n<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode() + stream
                    + b"\nendstream\nendobj\n")
        else:
            out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def docx_bytes() -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph(SENTENCE.decode())
    doc.core_properties.title = "A title"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def mutate(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        i = rng.randrange(len(out))
        if op == 0:
            out[i] = rng.randrange(256)
        elif op == 1:
            del out[i : i + rng.randint(1, 64)]
        elif op == 2:
            out[i:i] = rng.choice(TOKENS)
        elif op == 3:
            out = out[:i] or out[:1]
        elif op == 4:
            j = rng.randrange(len(out))
            out[i:i] = out[j : j + rng.randint(1, 200)]
        else:
            for k in range(i, min(len(out), i + rng.randint(1, 16))):
                out[k] ^= 0xFF
    return bytes(out)


def damage_deflate(rng: random.Random, data: bytes) -> bytes:
    """Keep the zip structure and damage the compressed bytes of one member (zlib.error, bad CRC)."""
    info = rng.choice(zipfile.ZipFile(io.BytesIO(data)).infolist())
    out = bytearray(data)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for _ in range(rng.randint(1, 3)):
        out[start + rng.randrange(max(1, info.compress_size))] = rng.randrange(256)
    return bytes(out)


def corpus(kind: str) -> list[bytes]:
    rng = random.Random(f"briefer-fuzz-{kind}")
    base = pdf_bytes() if kind == "pdf" else docx_bytes()
    return [damage_deflate(rng, base) if kind == "docx" and i % 2 else mutate(rng, base) for i in range(CASES)]


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_damaged_pdf_and_docx_always_give_one_line(tmp_path: Path, kind: str) -> None:
    outcomes = {"read": 0, "refused": 0}
    messages = set()
    for n, data in enumerate(corpus(kind)):
        path = tmp_path / f"case-{n}.{kind}"
        path.write_bytes(data)
        try:
            fmt, _enc, text, _meta, _removed = pipeline.read_document(path)
        except ImportFailed as exc:
            message = str(exc)
            assert "\n" not in message and message.startswith(path.name), (n, message)
            messages.add(message.split("(")[0])
            outcomes["refused"] += 1
        else:
            assert fmt == kind and isinstance(text, str), n
            outcomes["read"] += 1
    # the corpus really reaches both outcomes, so it exercises the parsers' error paths
    assert outcomes["refused"] >= CASES // 4 and outcomes["read"] >= 5, outcomes


def test_the_corpus_reaches_the_exceptions_of_pypdf_and_zlib() -> None:
    """Without Briefer's translation these cases raise the parsers' own exceptions (what the issue
    found: LimitReachedError, zlib.error, BadZipFile); the corpus must keep containing such cases."""
    from pypdf import PdfReader

    raised: set[str] = set()
    for data in corpus("pdf"):
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            for page in reader.pages:
                page.extract_text()
        except Exception as exc:  # noqa: BLE001 - collecting what escapes pypdf
            raised.add(type(exc).__name__)
    for data in corpus("docx"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for name in zf.namelist():
                    zf.read(name)
        except Exception as exc:  # noqa: BLE001 - collecting what escapes zipfile
            raised.add(type(exc).__name__)
    assert {"error", "BadZipFile"} <= raised, raised  # zlib.error is named "error"
    assert raised - {"PdfReadError", "PdfStreamError"}, raised
