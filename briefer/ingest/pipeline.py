"""Importing documents (.txt, .md, .html, .docx, .pdf): read, decode, strip furniture, propose candidate
facts (:func:`prepare`, which never writes), then store everything in one
transaction (:func:`commit`): the import completes, or the store is left
exactly as it was.

Bad input is refused with one clear sentence (:class:`ImportFailed`): a
missing, unreadable or empty file, one over the size cap (refused from its
size alone, nothing read), a binary file, undecodable text, a macro-enabled
or damaged DOCX, a zip bomb.  HTML is parsed for text only; nothing in it
runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefer.domain.dates import parse_date
from briefer.errors import ImportFailed
from briefer.ingest import candidates as cand_mod
from briefer.ingest import docx as docx_mod
from briefer.ingest import html as html_mod
from briefer.ingest.encoding import check_text, decode
from briefer.ingest.furniture import clean
from briefer.ingest.similar import FactIndex
from briefer.model import Fact, GlossaryEntry, Source, SourceKind

if TYPE_CHECKING:
    from briefer.store.db import Store

#: the largest file Briefer reads (checked from the file's size before reading)
MAX_FILE_BYTES = 25 * 1024 * 1024
FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
           ".htm": "html", ".xhtml": "html", ".docx": "docx", ".pdf": "pdf"}
REFUSED = {
    ".docm": "is a macro-enabled Word document; Briefer does not open documents with macros "
             "(save it as .docx without macros first)",
    ".dotm": "is a macro-enabled Word template; Briefer does not open documents with macros",
    ".doc": "is an old binary Word document; save it as .docx first",
    ".rtf": "is an RTF file; save it as .docx or .txt first",
    ".odt": "is an OpenDocument file; save it as .docx first",
}
_JA = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@dataclass
class ImportedDocument:
    path: Path
    name: str
    format: str
    encoding: str
    text: str
    #: metadata as found, editable by the analyst before commit
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: date | None = None
    date_note: str = ""
    language: str = "en"
    kind: SourceKind = SourceKind.OTHER
    reliability: str = "F"
    source_id: str = ""
    content_hash: str = ""
    #: id of a source already in the store with the same text (then nothing is imported)
    duplicate_of: str | None = None
    removed: list[tuple[str, str]] = field(default_factory=list)
    candidates: list[cand_mod.Candidate] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    #: per candidate position: "pending", "accepted" or "rejected" (the review dialog edits these)
    decisions: dict[int, str] = field(default_factory=dict)
    #: per candidate position: edited fields (statement, section, as_of, tags, priority)
    edits: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.title or self.name

    def source(self) -> Source:
        return Source(id=self.source_id, title=self.title, label=f"Imported: {self.title or self.name}"[:200],
                      outlet=self.outlet, author=self.author, published=self.published, date_note=self.date_note,
                      kind=self.kind, language=self.language, reliability=self.reliability,
                      file=self.name, notes="", text=self.text)


@dataclass
class ImportPlan:
    documents: list[ImportedDocument] = field(default_factory=list)
    #: files that could not be read: (path, message)
    errors: list[tuple[Path, str]] = field(default_factory=list)


@dataclass
class ImportResult:
    sources: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    pending: int = 0
    rejected: int = 0


# -- reading -----------------------------------------------------------------------


def read_bytes(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    from briefer.fileio import read_capped

    name = path.name or str(path)

    def too_large(size: int) -> str:
        if size < 0:
            return f"{name} grew past the size limit while being read; nothing was imported"
        return (f"{name} is too large to import ({size / 1024 / 1024:.1f} MB; the limit is "
                f"{max_bytes // (1024 * 1024)} MB); nothing was read")

    raw = read_capped(path, max_bytes, what="document", error=ImportFailed, too_large=too_large)
    if not raw:
        raise ImportFailed(f"{name} is empty: there is no text to import")
    return raw


def read_document(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> tuple[str, str, str, dict[str, str],
                                                                             list[tuple[str, str]]]:
    """(format, encoding, text, metadata, furniture removed by the reader) of one file."""
    path = Path(path)
    suffix = path.suffix.lower()
    name = path.name
    if suffix in REFUSED:
        raise ImportFailed(f"{name} {REFUSED[suffix]}")
    raw = read_bytes(path, max_bytes=max_bytes)
    fmt = FORMATS.get(suffix)
    if fmt is None:
        if raw.startswith(b"PK\x03\x04"):
            fmt = "docx"
        elif raw.startswith(b"%PDF"):
            fmt = "pdf"
        else:
            fmt = "text"
    if fmt == "pdf":
        if not raw.lstrip()[:5].startswith(b"%PDF"):
            raise ImportFailed(f"{name} is not a PDF (it does not start with %PDF)")
        from briefer.ingest.pdf import read_pdf

        res_pdf = read_pdf(raw, name)
        check_text(res_pdf.text, name=name)
        return "pdf", "", res_pdf.text, res_pdf.meta, []
    if fmt == "docx":
        res = docx_mod.read_docx(raw, name)
        check_text(res.text, name=name)
        return "docx", "", res.text, res.meta, []
    if raw.startswith(b"%PDF"):
        raise ImportFailed(f"{name} is a PDF named like a {fmt} file; rename it to .pdf to import it")
    if raw.startswith(b"PK\x03\x04"):
        raise ImportFailed(f"{name} is a ZIP archive, not a {fmt} file")
    decoded = decode(raw, name=name)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    check_text(text, name=name)
    if fmt == "text" and html_mod.looks_like_html(text):
        fmt = "html"
    if fmt == "html":
        page = html_mod.extract(text)
        check_text(page.text, name=name)
        meta = _html_meta(page)
        return "html", decoded.encoding, page.text, meta, page.removed
    return fmt, decoded.encoding, text, {}, []


def _html_meta(res: html_mod.HtmlResult) -> dict[str, str]:
    m = res.meta
    meta: dict[str, str] = {}
    title = m.get("og:title") or m.get("twitter:title") or m.get("dc.title") or m.get("headline") or res.title
    if title:
        meta["title"] = title
        meta["title_from"] = "the page's meta tags"
    author = m.get("author") or m.get("article:author") or m.get("dc.creator") or m.get("byl")
    if author and not author.startswith("http"):
        meta["author"] = re.sub(r"^by\s+", "", author, flags=re.I)
    for key in ("article:published_time", "datepublished", "date", "dc.date", "pubdate", "publish-date",
                "og:published_time", "sailthru.date", "article.published"):
        if m.get(key) and parse_date(m[key]):
            meta["date"] = parse_date(m[key]).isoformat()  # type: ignore[union-attr]
            meta["date_from"] = f"meta tag {key} = {m[key]}"
            break
    outlet = m.get("og:site_name") or m.get("application-name") or m.get("publisher")
    if outlet:
        meta["outlet"] = outlet
    if m.get("description") or m.get("og:description"):
        meta["description"] = m.get("description") or m.get("og:description", "")
    return meta


# -- analysing --------------------------------------------------------------------


@dataclass
class Library:
    """What an import compares against, read once from the store."""

    facts: list[Fact]
    glossary: list[GlossaryEntry]
    source_ids: set[str]
    hashes: dict[str, str]
    index: FactIndex

    @classmethod
    def of(cls, store: Store) -> Library:
        facts = store.facts()
        hashes = store.source_hashes()
        return cls(facts, store.glossary(), {s.id for s in store.sources()}, hashes,
                   FactIndex.build(facts))


def analyse(path: Path, library: Library, *, today: date | None = None,
            vocabulary: cand_mod.Vocabulary | None = None, taken_ids: set[str] | None = None,
            max_bytes: int = MAX_FILE_BYTES) -> ImportedDocument:
    from briefer.domain.curation import content_hash, slugify, unique_id

    today = today or date.today()
    path = Path(path)
    fmt, encoding, text, reader_meta, removed = read_document(path, max_bytes=max_bytes)
    text = text.strip()  # as a Source stores it: offsets and the content hash must match the stored text
    cleaned = clean(text)
    meta = {**cleaned.meta, **{k: v for k, v in reader_meta.items() if v}}
    doc = ImportedDocument(path=path, name=path.name, format=fmt, encoding=encoding, text=text)
    doc.content_hash = content_hash(text)
    doc.duplicate_of = library.hashes.get(doc.content_hash)
    doc.title = meta.get("title") or None
    doc.author = meta.get("author") or None
    doc.outlet = meta.get("outlet") or None
    if meta.get("date"):
        doc.published = parse_date(meta["date"])
        doc.date_note = f"From the {meta.get('date_from', 'document')}." if doc.published else ""
    if not doc.published and fmt in ("docx", "pdf") and meta.get("created"):
        doc.date_note = f"No date in the text; the file's properties say it was created {meta['created'][:10]}."
    if not doc.published and not doc.date_note:
        doc.date_note = "The document gives no date."
    if fmt == "html" and (meta.get("date_from", "").startswith("meta tag") or reader_meta.get("outlet")):
        doc.kind = SourceKind.NEWS_REPORT  # a dated web article; the analyst can change it
    letters = re.findall(r"\w", text[:20000])
    doc.language = "ja" if letters and len(_JA.findall(text[:20000])) > 0.2 * len(letters) else "en"
    doc.removed = [*removed, *cleaned.removed(text)]
    taken = set(library.source_ids) | (taken_ids or set())
    base = slugify(doc.title or path.stem, max_words=6) or "imported-document"
    doc.source_id = unique_id(base, taken)
    doc.candidates, doc.skipped = cand_mod.propose(
        text, cleaned, vocabulary=vocabulary or cand_mod.default_vocabulary(), glossary=library.glossary,
        index=library.index, doc_date=doc.published, today=today)
    doc.decisions = {c.pos: "pending" for c in doc.candidates}
    return doc


def prepare(paths: list[Path], store: Store, *, today: date | None = None,
            progress: Callable[[int, int, str], None] | None = None,
            cancelled: Callable[[], bool] | None = None, max_bytes: int = MAX_FILE_BYTES) -> ImportPlan:
    """Read and analyse ``paths`` without writing anything.  Per-file problems go to ``plan.errors``."""
    library = Library.of(store)
    plan = ImportPlan()
    taken: set[str] = set()
    hashes_in_batch: dict[str, str] = {}
    for i, p in enumerate(paths):
        if cancelled and cancelled():
            break
        if progress:
            progress(i, len(paths), Path(p).name)
        try:
            doc = analyse(Path(p), library, today=today, taken_ids=taken, max_bytes=max_bytes)
        except ImportFailed as exc:
            plan.errors.append((Path(p), str(exc)))
            continue
        if doc.duplicate_of is None and doc.content_hash in hashes_in_batch:
            doc.duplicate_of = hashes_in_batch[doc.content_hash]
        hashes_in_batch.setdefault(doc.content_hash, doc.source_id)
        taken.add(doc.source_id)
        plan.documents.append(doc)
    if progress:
        progress(len(paths), len(paths), "")
    return plan


# -- committing ---------------------------------------------------------------------


def commit(plan: ImportPlan, store: Store, *, analyst: str, accept_all: bool = False,
           before_commit: Callable[[], None] | None = None) -> ImportResult:
    """Store the plan's new sources and their candidates in one transaction.

    Candidates marked accepted (or all, with ``accept_all``) become facts,
    rejected ones are recorded as rejected, the rest stay pending for review.
    Duplicates of a stored document are skipped.  ``before_commit`` runs
    inside the transaction, last (tests use it to simulate a failure)."""
    from briefer.domain import curation

    result = ImportResult()
    lengths: dict[str, int] = {}  # of the new sources' texts, as stored
    with cand_mod.collector_paused(), store.transaction():
        # read under the write lock: a parallel import cannot take the same ids meanwhile
        taken = store.fact_ids()
        source_ids = {s.id for s in store.sources()}
        for doc in plan.documents:
            if doc.duplicate_of:
                result.duplicates.append((doc.name, doc.duplicate_of))
                continue
            if doc.source_id in source_ids:
                doc.source_id = curation.unique_id(doc.source_id, source_ids)
            src = doc.source()
            store.add_source(src, analyst=analyst)
            source_ids.add(src.id)
            store.record_source_import(src.id, analyst=analyst, original_name=doc.name, format=doc.format,
                                       encoding=doc.encoding, removed=doc.removed[:200])
            result.sources.append(src.id)
            lengths[src.id] = len(src.text)
            rows: list[Any] = []  # the candidates as stored, in order, written in one statement
            for c in doc.candidates:
                decision = "accepted" if accept_all else doc.decisions.get(c.pos, "pending")
                edits = doc.edits.get(c.pos, {})
                near = [{"fact": f, "similarity": s, "why": w} for f, s, w in c.near]
                if decision == "accepted":
                    stored = curation.StoredCandidate(
                        id=0, source=src.id, pos=c.pos, statement=c.statement, quote=c.quote, location=c.location,
                        section=c.section, reason=c.reason, score=c.score, as_of=c.as_of, tags=c.tags)
                    fact = curation.candidate_fact(store, stored, taken=taken, **edits)
                    taken.add(fact.id)
                    if rows:  # the writes in the order they always had: the candidates before, then the fact
                        store.add_candidates(src.id, rows, analyst=analyst)
                        rows = []
                    store.add_fact(fact, analyst=analyst)
                    result.facts.append(fact.id)
                    rows.append((c.pos, fact.statement, c.quote, c.location, fact.section, c.reason, c.score,
                                 fact.as_of, fact.tags, near, "accepted", fact.id))
                else:
                    statement = edits.get("statement") or c.statement
                    rows.append((c.pos, statement, c.quote, c.location, edits.get("section") or c.section, c.reason,
                                 c.score, edits.get("as_of") or c.as_of, edits.get("tags", c.tags), near, decision,
                                 None))
                    if decision == "rejected":
                        result.rejected += 1
                    else:
                        result.pending += 1
            store.add_candidates(src.id, rows, analyst=analyst)
        # the conflict finder's reading of each new source, kept with it (briefer/ingest/review.py)
        from briefer.ingest.review import prepare_new_sources

        prepare_new_sources(store, result.sources, lengths=lengths)
        if before_commit:
            before_commit()
    return result
