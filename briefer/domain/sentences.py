"""Splitting text into sentences, as spans of the original text (so a
sentence can be cited verbatim).  English rules: a full stop, question or
exclamation mark followed by space and a capital, a digit or an opening
quote ends a sentence, except after common abbreviations ("U.S.", "Dr.",
"e.g.", "No. 7"), initials ("J. D. Vance") and inside decimals ("26.7%").
Japanese: 。！？ always end one."""

from __future__ import annotations

import re

_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "gen", "gov", "sen", "rep", "rev", "hon", "pres",
    "lt", "col", "capt", "sgt", "vs", "etc", "e.g", "i.e", "cf", "al", "approx", "no", "nos", "vol", "fig",
    "figs", "p", "pp", "para", "art", "sec", "ch", "ed", "eds", "inc", "ltd", "co", "corp", "dept", "est",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n",
    "e.u", "a.m", "p.m", "ph.d", "m.a", "b.a", "ver",
}
# one character class first (the regex engine then skips to candidates quickly), then which kind it was:
# ``[.!?…]+`` closers, followed by space and a capital, a digit or an opening quote; or ``[。！？]+`` closers
_END = re.compile(r"[.!?\u2026。！？](?:(?<=[.!?\u2026])[.!?\u2026]*[\"'\u201d\u2019)\]]*"
                  r"(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9\u3040-\u9fff])|(?<=[。！？])[。！？]*[」』）]*)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.")
_ACRONYM = re.compile(r"(?:[a-z]\.)+[a-z]")


def _is_abbreviation(text: str, dot: int) -> bool:
    # the word before the dot: the run of letters and dots (at most 12 characters back) that starts with a
    # letter -- what ``_WORD_BEFORE`` finds, without a regex search per full stop
    lo = max(0, dot - 12)
    i = dot
    while i > lo and text[i - 1] in _ASCII_WORD:
        i -= 1
    while i < dot and text[i] == ".":
        i += 1
    if i >= dot:
        return False
    word = text[i:dot].lower()
    if word in _ABBREV:
        return True
    # initials: "J." "D." (a single capital), and dotted acronyms "U.S."
    return len(word) == 1 or bool(_ACRONYM.fullmatch(word))


def split(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) within ``text[start:end]``, trimmed of surrounding space."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    # matched in place (no copy of the chunk); a lookahead still stops at ``end``
    for m in _END.finditer(text, start, end):
        stop = m.end()
        at = m.start()
        if text[at] == "." and (stop - at == 1 or text[at:stop].rstrip("\"'\u201d\u2019)]") == ".") \
                and _is_abbreviation(text, at):
            nxt = text[stop:stop + 40].lstrip()
            # "U.S. Congress" stays one sentence; "... the U.S. The next" is ambiguous: keep together
            if nxt[:1].isupper() or nxt[:1].isdigit():
                continue
        spans.append((pos, stop))
        pos = stop
    if pos < end:
        spans.append((pos, end))
    out = []
    for s, e in spans:
        piece = text[s:e]
        kept = piece.strip()  # str.strip drops what str.isspace calls space
        if kept:
            s += len(piece) - len(piece.lstrip())
            out.append((s, s + len(kept)))
    return out


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split(text)]
