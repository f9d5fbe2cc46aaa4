"""Text and core properties out of a Word ``.docx``, read defensively.

A DOCX is a ZIP archive: before any member is read, the archive's directory
is checked (member count, declared sizes, compression ratios), so a zip bomb
is refused without inflating it.  Macro-enabled documents (``.docm``, or a
``.docx`` whose content types declare macros or that carries a VBA project)
are refused.  The XML is parsed with the standard library's expat parser and
any document type declaration is refused, so no entity is ever expanded.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from xml.etree import ElementTree as ET

from briefer.errors import ImportFailed
from briefer.fileio import ZIP_DAMAGE

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CORE_NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
}

MAX_MEMBERS = 5000
#: the most a DOCX may inflate to, all members together
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
#: the most one XML part may inflate to
MAX_PART = 64 * 1024 * 1024
#: a member inflating more than this many times its compressed size is a bomb
MAX_RATIO = 150
_RATIO_FLOOR = 2 * 1024 * 1024  # small parts may compress very well; only larger ones are judged on ratio


@dataclass
class DocxResult:
    text: str
    meta: dict[str, str] = field(default_factory=dict)


def _check_archive(zf: zipfile.ZipFile, name: str) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ImportFailed(f"{name} is not a normal Word document (it holds {len(infos)} parts); "
                           "refused as a possible zip bomb")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_PART and info.filename.endswith(".xml"):
            raise ImportFailed(f"{name} is refused: its part {info.filename} would inflate to "
                               f"{info.file_size // (1024 * 1024)} MB (a possible zip bomb)")
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ImportFailed(f"{name} is refused: its part {info.filename} inflates "
                               f"{info.file_size // max(info.compress_size, 1)} times (a zip bomb)")
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise ImportFailed(f"{name} is refused: it would inflate to {total // (1024 * 1024)} MB "
                           f"(the limit is {MAX_TOTAL_UNCOMPRESSED // (1024 * 1024)} MB; a possible zip bomb)")


def _read_xml(zf: zipfile.ZipFile, part: str, name: str) -> ET.Element | None:
    try:
        info = zf.getinfo(part)
    except KeyError:
        return None
    try:
        with zf.open(info) as fh:
            data = fh.read(MAX_PART + 1)
    except ZIP_DAMAGE as exc:
        raise ImportFailed(f"{name} is a damaged Word document ({part}: {type(exc).__name__}: {exc})") from None
    if len(data) > MAX_PART:
        raise ImportFailed(f"{name} is refused: {part} is larger than it claims (a possible zip bomb)")
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise ImportFailed(f"{name} is refused: {part} declares a document type or entities, "
                           "which Word documents never do")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise ImportFailed(f"{name} is a damaged Word document ({part} is not well-formed XML: {exc})") from None


def _para_text(p: ET.Element) -> str:
    parts: list[str] = []
    for el in p.iter():
        tag = el.tag
        if tag == W + "t":
            parts.append(el.text or "")
        elif tag == W + "tab":
            parts.append("\t")
        elif tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
    return "".join(parts)


def _style(p: ET.Element) -> tuple[str, bool]:
    ppr = p.find(W + "pPr")
    if ppr is None:
        return "", False
    st = ppr.find(W + "pStyle")
    style = (st.get(W + "val") or "") if st is not None else ""
    return style, ppr.find(W + "numPr") is not None


def _body_lines(body: ET.Element) -> list[str]:
    lines: list[str] = []
    for child in body:
        if child.tag == W + "p":
            text = _para_text(child).strip()
            if not text:
                continue
            style, listed = _style(child)
            m = re.match(r"(?i)heading\s*(\d)", style)
            if m:
                text = "#" * min(int(m.group(1)), 6) + " " + text
            elif style.lower() == "title":
                text = "# " + text
            elif listed or style.lower().startswith("list"):
                text = "- " + text
            lines.append(text)
        elif child.tag == W + "tbl":
            for row in child.iter(W + "tr"):
                cells = [" ".join(_para_text(p).strip() for p in tc.iter(W + "p")).strip()
                         for tc in row.iter(W + "tc")]
                cells = [c for c in cells if c]
                if cells:
                    lines.append(" | ".join(cells))
        elif child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                lines.extend(_body_lines(content))
    return lines


def read_docx(raw: bytes, name: str) -> DocxResult:
    if not raw.startswith(b"PK"):
        raise ImportFailed(f"{name} is not a Word document (a .docx is a ZIP archive; this file is not one)")
    try:
        zf = zipfile.ZipFile(BytesIO(raw))
    except ZIP_DAMAGE as exc:
        raise ImportFailed(f"{name} is a damaged Word document ({type(exc).__name__}: {exc})") from None
    with zf:
        try:
            _check_archive(zf, name)
            names = set(zf.namelist())
            types = zf.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            if b"macroEnabled" in types or any(n.lower().endswith("vbaproject.bin") for n in names):
                raise ImportFailed(f"{name} is a macro-enabled Word document; Briefer does not open documents "
                                   "with macros (save it as .docx without macros first)")
            root = _read_xml(zf, "word/document.xml", name)
            if root is None:
                raise ImportFailed(f"{name} is not a Word document (it has no word/document.xml)")
            body = root.find(W + "body")
            lines = _body_lines(body) if body is not None else []
            meta: dict[str, str] = {}
            core = _read_xml(zf, "docProps/core.xml", name)
            if core is not None:
                for key, path in (("title", "dc:title"), ("author", "dc:creator"), ("subject", "dc:subject"),
                                  ("description", "dc:description"), ("created", "dcterms:created"),
                                  ("keywords", "cp:keywords")):
                    el = core.find(path, _CORE_NS)
                    if el is not None and (el.text or "").strip():
                        meta[key] = el.text.strip()  # type: ignore[union-attr]
        except ZIP_DAMAGE as exc:
            raise ImportFailed(f"{name} is a damaged Word document ({type(exc).__name__}: {exc})") from None
        except RecursionError:
            raise ImportFailed(f"{name} is a damaged Word document (its XML is nested too deeply)") from None
    return DocxResult(text="\n\n".join(lines) + "\n" if lines else "", meta=meta)
