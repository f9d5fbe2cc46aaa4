"""Telling a document's body from its page furniture, line by line.

Works on the text Briefer stores (plain text, Markdown, or what the HTML and
DOCX readers produced), and returns segments of that text: body paragraphs,
headings, and furniture with what kind it is.  Offsets always point into the
stored text, so a candidate fact's quote is verbatim.

Furniture recognised (each a case in the seed documents):
front matter (``---`` … ``---``, whose keys become metadata), a dateline,
breadcrumb/navigation lines ("Home Politics: …"), a headline repeated as a
breadcrumb, counters and image alt lines at the top of a page, Markdown
image links and their captions, ``<excerpt/>``-style markup, "Related
Articles" blocks, comment threads ("7 Comments" then commenter/comment
lines), share/subscribe lines and calls to action ("Read this deep dive").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from briefer.domain.dates import dateline, parse_date


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    #: "body", "heading" or "furniture"
    kind: str
    #: for furniture: what it is ("comment thread", "image link" …)
    label: str = ""


@dataclass
class Cleaned:
    segments: list[Segment]
    #: title, author, date (ISO), description, dateline … as the document shows them
    meta: dict[str, str] = field(default_factory=dict)

    def body(self) -> list[Segment]:
        return [s for s in self.segments if s.kind == "body"]

    def removed(self, text: str) -> list[tuple[str, str]]:
        """Furniture found: (what, a short excerpt), one entry per block."""
        out: list[tuple[str, str]] = []
        for s in self.segments:
            if s.kind != "furniture":
                continue
            excerpt = re.sub(r"\s+", " ", text[s.start:s.end]).strip()
            if out and out[-1][0] == s.label and s.label in {"comment thread", "related articles"}:
                continue
            out.append((s.label, excerpt[:100]))
        return out


_COMMENTS = re.compile(
    r"^(?:\d[\d,]*\s+(?:comments?|responses?|replies)|comments?\s*\(\d+\)|comments?|"
    r"(?:leave|post|add|write) a (?:comment|reply)|join the (?:discussion|conversation)|reader comments|"
    r"show comments|view comments|discussion)\s*:?$",
    re.I,
)
_RELATED = re.compile(
    r"^(?:related(?: articles| stories| posts| news| content| reading| links)?|recommended(?: for you| articles|"
    r" stories)?|you (?:may|might) also like|more (?:from|on|stories|news|articles)(?: [\w ]{0,30})?|"
    r"read (?:more|next|also)|also read|trending(?: now)?|most (?:read|popular)|popular (?:posts|stories)|"
    r"see also|further reading|latest (?:news|stories))\s*:?$",
    re.I,
)
_NAV = re.compile(r"^(?:home|menu|skip to (?:main )?content|main menu|navigation|back to top|search)\b", re.I)
_BREADCRUMB = re.compile(r"\S\s*(?:>|»|›|/|\|)\s*\S.*(?:>|»|›|/|\|)")
_SHARE = re.compile(
    r"^(?:share(?: this(?: article| story)?)?(?: on \w+)?|tweet|print|email|subscribe(?: now)?|sign up.*|"
    r"follow us.*|advertisement|sponsored(?: content)?|click here.*|copyright\b.*|©.*|all rights reserved.*|"
    r"tags?:.*|filed under:.*|categories?:.*|photo:.*|image:.*|credit:.*|source: getty.*|\(?photo by .*)$",
    re.I,
)
_IMAGE_LINE = re.compile(r"^\s*(?:!\[[^\]]*\]\([^)]*\)\s*)+$")
_IMAGE_INLINE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_CAPTION = re.compile(r"^\s*[_*]*\s*(?:[▲△▼►▶•]|(?:table|figure|fig\.|chart|image|photo|graph)\s+\d+\b)", re.I)
_MARKUP = re.compile(r"^\s*(?:<[^>]{1,60}/?>\s*)+$|^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+\S")
_EMPH_HEADING = re.compile(r"^\s*(?:_{2,3}|\*{2,3})(?P<t>[^_*].*?)(?:_{2,3}|\*{2,3})\s*$")
_CALL_TO_ACTION = re.compile(r"^(?:read|click|subscribe|sign up|share|follow|download|watch|listen)\b", re.I)
_BYLINE = re.compile(r"^\s*(?:by|written by|author:)\s+(?P<a>[A-Z][\w.'\- ]{2,60}?)\s*(?:[,|].*)?$", re.I)


def _lines(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        out.append((pos, pos + len(line.rstrip("\r\n"))))
        pos += len(line)
    return out


def front_matter(text: str) -> tuple[int, dict[str, str]]:
    """(offset after a leading ``---`` block, its ``key: value`` pairs), or (0, {})."""
    if not text.startswith("---"):
        return 0, {}
    m = re.search(r"^---[ \t]*$", text[3:], flags=re.M)
    if not m:
        return 0, {}
    end = 3 + m.end()
    meta: dict[str, str] = {}
    for line in text[3 : 3 + m.start()].splitlines():
        kv = re.match(r"^\s*([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$", line)
        if kv and not line.lstrip().startswith("#"):
            value = kv.group(2).strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            if value:
                meta.setdefault(kv.group(1).lower(), value)
    return (end + 1 if text[end : end + 1] == "\n" else end), meta


_SENTENCE_END = re.compile(r"[.!?。！？:;)\"\u201d\u2019]\s*$")
_HEADING_END = re.compile(r"[.!?。；;,]\s*$")


def _words(line: str, cap: int) -> int:
    """How many words ``line`` has, counted up to ``cap + 1`` (a long paragraph is not split whole)."""
    return len(line.split(None, cap))


def _is_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line)) and _words(line, 3) >= 4


def _heading_like(line: str) -> bool:
    """A short line without closing punctuation: a subheading (or a headline)."""
    return 1 <= _words(line, 16) <= 16 and not _HEADING_END.search(line) and not _is_sentence(line)


def _looks_like_commenter(line: str) -> bool:
    return _words(line, 4) <= 4 and len(line) <= 40 and not re.search(r"[.!?]$", line)


def clean(text: str) -> Cleaned:
    segments: list[Segment] = []
    meta: dict[str, str] = {}
    fm_end, fm = front_matter(text)
    if fm_end:
        segments.append(Segment(0, fm_end, "furniture", "front matter"))
        for key in ("title", "author", "description", "outlet", "publisher", "source"):
            if fm.get(key):
                meta[key] = fm[key]
        for key in ("date", "published", "pubdate", "published_at"):
            if fm.get(key) and parse_date(fm[key]):
                meta["date"] = parse_date(fm[key]).isoformat()  # type: ignore[union-attr]
                meta["date_from"] = f"front matter '{key}: {fm[key]}'"
                break
    lines = [(s, e) for s, e in _lines(text) if s >= fm_end]
    nonblank = [(s, e) for s, e in lines if text[s:e].strip()]
    n = len(nonblank)
    first_body = None  # index of the first long body paragraph
    for i, (s, e) in enumerate(nonblank):
        if _is_sentence(text[s:e].strip()) and _words(text[s:e], 11) >= 12:
            first_body = i
            break
    tail_block: str | None = None
    prev_label = ""
    for i, (s, e) in enumerate(nonblank):
        line = text[s:e].strip()
        label = ""
        kind = "body"
        if tail_block:
            # inside a comment thread or a related-articles block, until a Markdown heading
            if _MD_HEADING.match(line):
                tail_block = None
            else:
                label = tail_block
        if not label:
            top = first_body is None or i < first_body
            if _COMMENTS.match(line) and (re.match(r"\d", line) or i + 1 < n):
                label = tail_block = "comment thread"
            elif _RELATED.match(line):
                label = tail_block = "related articles"
            elif _IMAGE_LINE.match(line):
                label = "image link"
            elif prev_label == "image link" and (_CAPTION.match(line) or re.fullmatch(r"[_*].+[_*]", line)):
                label = "image caption"
            elif _MARKUP.match(line):
                label = "markup"
            elif top and dateline(line) is not None:
                label = "dateline"
                meta.setdefault("date", dateline(line).isoformat())  # type: ignore[union-attr]
                meta.setdefault("date_from", f"dateline '{line}'")
            elif top and _BYLINE.match(line) and len(line.split()) <= 10:
                label = "byline"
                meta.setdefault("author", _BYLINE.match(line).group("a").strip())  # type: ignore[union-attr]
            elif not _is_sentence(line) and (_NAV.match(line) or (_BREADCRUMB.search(line) and len(line) < 200)):
                label = "navigation"
            elif _SHARE.match(line) and len(line) < 120:
                label = "share/subscribe line"
            elif top and re.fullmatch(r"[\d,.\s]+[kK]?", line):
                label = "page counter"
            elif _MD_HEADING.match(line) or _EMPH_HEADING.match(line):
                kind = "heading"
            elif top and _heading_like(line):
                # the first heading-like line is the headline; a later repeat, or a short line that is
                # neither, is a page header line (an image's alt text, a kicker)
                title = re.sub(r"^#+\s*", "", line)
                if "title" not in meta:
                    meta["title"] = title
                    meta["title_from"] = "first line"
                    kind = "heading"
                elif title == meta.get("title"):
                    label = "repeated headline"
                elif title.endswith(meta["title"]):
                    label = "navigation"
                else:
                    label = "page header line"
            elif _heading_like(line):
                kind = "heading"
            elif _CALL_TO_ACTION.match(line) and len(line.split()) <= 14:
                label = "call to action"
        if label:
            kind = "furniture"
        segments.append(Segment(s, e, kind, label))
        prev_label = label
    segments.sort(key=lambda seg: seg.start)
    # the body's first heading at the top is the title when the front matter gave none
    if "title" not in meta:
        for seg in segments:
            if seg.kind == "heading":
                meta["title"] = re.sub(r"^[#_*\s]+|[_*\s]+$", "", text[seg.start:seg.end])
                meta["title_from"] = "first heading"
                break
            if seg.kind == "body":
                break
    return Cleaned(segments, meta)


def strip_inline_markup(sentence: str) -> str:
    """A sentence fit for a statement: image links, emphasis markers and list bullets removed."""
    head = sentence.lstrip()[:1]
    if "[" not in sentence and "_" not in sentence and "*" not in sentence and head not in "-\u2022" \
            and not head.isdigit():
        # no markup can match (each pattern needs a bracket, an underscore or asterisk, or a leading bullet or
        # number): only the white space is folded (``\\s`` is what ``str.split`` splits on)
        return " ".join(sentence.split())
    s = _IMAGE_INLINE.sub("", sentence)
    s = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", s)  # [text](url) -> text
    s = re.sub(r"(?<!\w)[_*]{1,3}(?=\S)|(?<=\S)[_*]{1,3}(?!\w)", "", s)
    s = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", s)
    return re.sub(r"\s+", " ", s).strip()


def meta_date(meta: dict[str, str]) -> date | None:
    value = meta.get("date")
    return parse_date(value) if value else None


#: inside a kept line, what a reader does not need to see: image links, a Markdown heading's ``#``s,
#: emphasis markers around a heading, and a link's brackets and address (its words stay)
_READING_DROP = re.compile(
    r"!\[[^\]]*\]\([^)]*\)"
    r"|^\s*#{1,6}\s+"
    r"|(?<=\S)\s+#+\s*$"
    r"|\]\([^)]*\)"
    r"|\[(?=[^\]]*\]\()"
    r"|(?<![\w_*])[_*]{2,3}(?=[^\s_*])|(?<=[^\s_*])[_*]{2,3}(?![\w_*])",
    re.M,
)
_READING_EMPH = re.compile(r"^\s*(?:_{2,3}|\*{2,3})|(?:_{2,3}|\*{2,3})\s*$")
_WHOLE_EMPH = re.compile(r"\s*(?P<m>[_*]{1,3})(?P<t>[^_*\s](?:.*[^_*\s])?)(?P=m)\s*$")


@dataclass(frozen=True)
class Reading:
    """A stored text as a reader should see it: the body and its headings, without the page
    furniture that :func:`clean` finds (front matter, comment threads, image links…), and with the
    Markdown marks of what is kept taken out.  ``runs`` maps it back to the stored text, so a quote
    found there can be shown here."""

    text: str
    #: (offset in ``text``, offset in the stored text, length) of each piece copied unchanged
    runs: tuple[tuple[int, int, int], ...]

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """Where the stored text's ``start:end`` stands in :attr:`text` (None when all of it was left out)."""
        out_start = out_end = None
        for r_at, s_at, n in self.runs:
            if s_at + n <= start or s_at >= end:
                continue
            lo = max(start, s_at) - s_at + r_at
            hi = min(end, s_at + n) - s_at + r_at
            out_start = lo if out_start is None else out_start
            out_end = hi
        return None if out_start is None or out_end is None else (out_start, out_end)


def reading(text: str) -> Reading:
    """``text`` without its furniture and markup, for the window's source pane (one rule with the
    importer: what :func:`clean` calls furniture is what a reader is spared)."""
    out: list[str] = []
    runs: list[tuple[int, int, int]] = []
    size = 0
    previous_kind = ""
    for seg in clean(text).segments:
        if seg.kind == "furniture":
            continue
        drops = [(m.start(), m.end()) for m in _READING_DROP.finditer(text, seg.start, seg.end)]
        if seg.kind == "heading":
            drops += [(m.start(), m.end()) for m in _READING_EMPH.finditer(text, seg.start, seg.end)]
        whole = _WHOLE_EMPH.match(text, seg.start, seg.end)
        if whole:  # a line in italics or bold as a whole (a standfirst, an author's note)
            drops += [(seg.start, whole.start("t")), (whole.end("t"), seg.end)]
        pieces: list[tuple[int, int]] = []
        pos = seg.start
        for a, b in sorted(drops):
            if a > pos:
                pieces.append((pos, a))
            pos = max(pos, b)
        if pos < seg.end:
            pieces.append((pos, seg.end))
        if not "".join(text[a:b] for a, b in pieces).strip():
            continue
        if out:
            # a heading stands apart; body lines keep the paragraphs the document gave them
            sep = "\n\n" if "heading" in (seg.kind, previous_kind) or _blank_before(text, seg.start) else "\n"
            out.append(sep)
            size += len(sep)
        for a, b in pieces:
            runs.append((size, a, b - a))
            out.append(text[a:b])
            size += b - a
        previous_kind = seg.kind
    return Reading("".join(out), tuple(runs))


def _blank_before(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \t")
    return before.endswith("\n\n") or before.endswith("\r\n\r\n")
