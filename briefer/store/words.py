"""The store's word list: every word the full-text index holds, with how
many facts use it, so a typed prefix can be expanded cheaply.

FTS5 answers a prefix query longer than its prefix indexes (2 and 3
characters) by merging the doclists of every word with that prefix in
memory, which costs ~100 ms for a word in most of a million facts.  Expanding
the prefix through this table instead (a B-tree range) gives FTS5 an OR of
whole words, which it reads lazily.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import cache

#: unicode61's token characters: letters and digits (not "_")
_WORD = re.compile(r"[^\W_]+")
#: CJK ideographs, kana, half/full-width forms, CJK punctuation (a class whose compiling costs a millisecond:
#: compiled when a word list or a search first needs it, not by every command that opens the store)
_CJK_CLASS = r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"


@cache
def _cjk() -> re.Pattern[str]:
    return re.compile(_CJK_CLASS)


@cache
def cjk_run() -> re.Pattern[str]:
    """A run of CJK characters."""
    return re.compile(_CJK_CLASS + "+")

#: at most this many words stand in for one typed prefix (the most used first)
MAX_EXPANSION = 64


def fold(text: str) -> str:
    """Lower case without diacritics, as FTS5's unicode61 tokenizer folds text."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def unaccented(text: str) -> str:
    """``text`` with the diacritics of its Latin letters taken off ("Kishidá" -> "Kishida"), case and
    everything else as it is (a Japanese ガ keeps its mark): what a team library's search folds the words
    typed with, as the index folds its own (unaccent)."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch.isascii() or not ("\u00c0" <= ch <= "\u024f" or "\u1e00" <= ch <= "\u1eff"):
            out.append(ch)
            continue
        out.append("".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)) or ch)
    return "".join(out)


def words_of(text: str) -> set[str]:
    return {w for w in _WORD.findall(fold(text)) if len(w) <= 64 and not _cjk().search(w)}


def apply_delta(conn: sqlite3.Connection, removed: Iterable[str], added: Iterable[str]) -> None:
    """Count ``added`` words (one fact's) in and ``removed`` words out."""
    conn.executemany("INSERT INTO fts_words (word, n) VALUES (?, 1)"
                     " ON CONFLICT(word) DO UPDATE SET n = fts_words.n + 1", [(w,) for w in added])
    conn.executemany("UPDATE fts_words SET n = n - 1 WHERE word = ?", [(w,) for w in removed])


def add_many(conn: sqlite3.Connection, texts: Iterable[str]) -> None:
    """Count the words of many facts' texts in one go (bulk loads, backfill)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(words_of(text))
    conn.executemany("INSERT INTO fts_words (word, n) VALUES (?, ?)"
                     " ON CONFLICT(word) DO UPDATE SET n = fts_words.n + excluded.n", counts.items())


def backfill(conn: sqlite3.Connection) -> None:
    """Fill the word list from the facts already indexed (migration 6)."""
    rows = conn.execute("SELECT statement, quotes, tags, sources FROM fact_fts")
    add_many(conn, (" ".join(r) for r in rows))


def expand(conn: sqlite3.Connection, prefix: str) -> list[str]:
    """The most used words starting with ``prefix`` (folded), at most MAX_EXPANSION."""
    p = fold(prefix)
    if not p:
        return []
    upper = p[:-1] + chr(ord(p[-1]) + 1)
    rows = conn.execute(
        "SELECT word FROM (SELECT word, n FROM fts_words WHERE word >= ? AND word < ? AND n > 0) AS w"
        " ORDER BY n DESC, word LIMIT ?", (p, upper, MAX_EXPANSION)).fetchall()
    return [r[0] for r in rows]


def cjk_runs(text: str) -> str:
    return " ".join(cjk_run().findall(text))
