"""Checking that a quote really stands in its source, and saying where.

Only whitespace and typographic quotes/dashes are normalised: a quote that
differs from its source in any word is not found.
"""

from __future__ import annotations

import bisect
import functools
import re

from briefer.model.plain import Frozen

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u3000": " ",
    }
)
_WS = re.compile(r"\s+")
#: pictographs a heading may carry as decoration (flags, emoji and their joiners and selectors): not words
#: of the heading, and boxes in a document set in text fonts
_PICTOGRAPH_CHARS = ("\U0001F1E6-\U0001F1FF\U0001F000-\U0001F0FF\U0001F300-\U0001FAFF\u2600-\u27BF"
                     "\u2B00-\u2BFF\uFE0E\uFE0F\u200D\U000E0020-\U000E007F")


@functools.cache
def _pictographs() -> re.Pattern[str]:
    return re.compile(f"[{_PICTOGRAPH_CHARS}]+\\s*")


def without_pictographs(text: str) -> str:
    """``text`` without the flags and emoji a heading may be decorated with ("🇯🇵 Japan's Parliament…" ->
    "Japan's Parliament…"), as a location quotes it."""
    if text.isascii():
        return text
    return _pictographs().sub("", text).strip()


def normalise(text: str) -> str:
    """Fold typographic quotes and dashes to ASCII and runs of whitespace to one space."""
    # every character the table folds is outside ASCII: an ASCII text needs no (slow) translate
    return _WS.sub(" ", text if text.isascii() else text.translate(_TRANSLATE)).strip()


class _Index(Frozen):
    _fields = ("norm", "offsets")
    norm: str
    #: for each character of ``norm``, its offset in the original text
    offsets: list[int]

    def __init__(self, norm: str, offsets: list[int]) -> None:
        object.__setattr__(self, "norm", norm)
        object.__setattr__(self, "offsets", offsets)


@functools.lru_cache(maxsize=16)
def _index(text: str) -> _Index:
    """The normalised text with its offset map; cached, since a pack checks many quotes against one text."""
    out: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for i, ch in enumerate(text.translate(_TRANSLATE)):
        if ch.isspace():
            pending_space = bool(out)
            continue
        if pending_space:
            out.append(" ")
            offsets.append(i - 1)
            pending_space = False
        out.append(ch)
        offsets.append(i)
    return _Index("".join(out), offsets)


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` stands in ``text`` (start, end offsets in the original), or None."""
    needle = normalise(quote)
    if not needle:
        return None
    idx = _index(text)
    pos = idx.norm.find(needle)
    if pos < 0:
        return None
    start = idx.offsets[pos]
    end = idx.offsets[pos + len(needle) - 1] + 1
    return start, end


def quote_in(text: str, quote: str) -> bool:
    needle = normalise(quote)
    return bool(needle) and needle in normalise(text)


def front_matter_end(text: str) -> int:
    """Offset just after a leading ``---`` front-matter block, or 0 if there is none."""
    if not text.startswith("---"):
        return 0
    m = re.search(r"^---[ \t]*$", text[3:], flags=re.M)
    if not m:
        return 0
    end = 3 + m.end()
    return end + 1 if text[end : end + 1] == "\n" else end


#: a line that ends like a sentence (or a quoted/bracketed one) is prose
_PROSE_END = re.compile(r"[.!?:;\u2026]['\"\u2019\u201d)\]]*$")
#: a line this long is prose even without closing punctuation
_PROSE_WORDS = 20


def _is_prose(line: str) -> bool:
    """A paragraph of text, as opposed to a heading, a navigation or header line,
    an image link or a caption: it ends like a sentence or is long."""
    if re.fullmatch(r"_+(.+?)_+", line) or line.startswith(("![", "<")):
        return False
    return bool(_PROSE_END.search(line)) or len(line.split()) >= _PROSE_WORDS


def _is_image(line: str) -> bool:
    return line.startswith(("![", "<"))


def _is_caption_or_image(line: str) -> bool:
    return bool(re.fullmatch(r"_+(.+?)_+", line)) or _is_image(line)


#: how a caption begins: a marker or the word naming what it captions
_CAPTION_START = re.compile(r"(?i)[\u25b2\u25b3\u25bc\u25b6\u2191\u2193\u2190\u2192\u261d^*\u2020]|"
                            r"(table|figure|fig\.|chart|graph|map|photo|image|picture|source|credit)\b")


def _italic_heading(line: str, after_image: bool) -> str:
    """The text of an italic line that heads what follows (``_Balance with Regulations in Specific
    Fields_``, a white paper's sub-subheading), or "": not when it captions the image above it or
    begins like a caption ("_\u25b2 Table 1: ..._"), nor when it is an emphasised sentence."""
    m = re.fullmatch(r"_+(.+?)_+", line)
    if m is None or after_image:
        return ""
    inner = m.group(1).strip().strip("_*").strip()
    if not inner or _CAPTION_START.match(inner) or _PROSE_END.search(inner) or len(inner.split()) >= _PROSE_WORDS:
        return ""
    return inner


class Locator:
    """Locations in one text, computed in one pass so that locating every sentence of a
    document stays linear in its size (a per-offset rescan made a 3 MB one-line text take minutes).

    Paragraphs are the article's prose lines: front matter, headings, image
    links, captions and the short header or navigation lines of a web page
    (a date line, "Home Politics: …", a view count) are not counted.  A short
    line without closing punctuation after the article has begun is a plain-text
    heading, and so is a short italic line that neither captions the image above it
    nor ends like a sentence (a white paper's sub-subheading, so a note names
    "U.S.-Japan Collaboration on AI During the Biden Administration", not only the
    section it falls in).  If an offset falls in a line that is not prose, that line
    is counted so the location still points at it."""

    _SKIP, _HEADING, _PROSE, _OTHER = range(4)

    def __init__(self, text: str) -> None:
        body_start = front_matter_end(text)
        self._ends: list[int] = []
        #: per line: paragraphs counted before it, the heading above it, its kind, its own heading text
        self._before: list[int] = []
        self._heading: list[str] = []
        self._kind: list[int] = []
        self._own: list[str] = []
        para = 0
        heading = ""
        started = False
        after_image = False  # the last line with text was an image (an italic line then is its caption)
        pos = 0
        for line in text.splitlines(keepends=True):
            line_end = pos + len(line)
            stripped = line.strip()
            kind, own = self._SKIP, ""
            if pos >= body_start and stripped:
                m = re.match(r"^#{1,6}\s+(.*)$", stripped)
                if m:
                    kind, own = self._HEADING, m.group(1).strip().strip("_*").strip()
                elif _is_prose(stripped):
                    kind = self._PROSE
                elif started and (own := _italic_heading(stripped, after_image)):
                    kind = self._HEADING
                else:
                    kind = self._OTHER
            if stripped:
                after_image = _is_image(stripped)
            self._ends.append(line_end)
            self._before.append(para)
            self._heading.append(heading)
            self._kind.append(kind)
            self._own.append(own)
            if kind == self._HEADING:
                heading = own
            elif kind == self._PROSE:
                para += 1
                started = True
            elif kind == self._OTHER and started and not _is_caption_or_image(stripped):
                heading = stripped
            pos = line_end
        self._total = para
        self._last_heading = heading

    def at(self, offset: int) -> str:
        """A human location for ``offset``: the paragraph number and the nearest heading above it."""
        i = bisect.bisect_right(self._ends, offset)
        if i < len(self._ends):
            kind = self._kind[i]
            para, heading = self._before[i], self._heading[i]
            if kind == self._HEADING:
                heading = self._own[i]
            elif kind in (self._PROSE, self._OTHER):
                para += 1
        else:
            para, heading = self._total, self._last_heading
        where = f"para. {para}"
        heading = without_pictographs(heading)
        return f"{where}, under \u201c{heading}\u201d" if heading else where


def locate(text: str, offset: int) -> str:
    """A human location for ``offset`` in ``text`` (see :class:`Locator`; use one for many offsets)."""
    return Locator(text).at(offset)
