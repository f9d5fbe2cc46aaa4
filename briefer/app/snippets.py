"""How a list shows a search hit's snippet: the statement's own words, or a note that the match was
elsewhere.  Its own module (re-exported by :mod:`briefer.app.search`), so the window's library list
does not load the search service and its data types before it is filled."""

from __future__ import annotations


def statement_snippet(statement: str, snippet: str | None, mark: tuple[str, str] = ("<b>", "</b>")) -> str | None:
    """The hit's snippet when it is a piece of the fact's statement, else None.

    The store's snippet comes from whichever part of the fact matched best: the statement, a quote,
    the tags or the sources' names.  A list of facts shows statements, so a snippet cut from the
    tags ("… ; hq-chart:minister:…") must not stand in for one: the caller shows the statement and
    says where the match was (:data:`MATCHED_ELSEWHERE`)."""
    if not snippet:
        return None
    plain = snippet.replace(mark[0], "").replace(mark[1], "").strip().strip("\u2026").strip()
    return snippet if plain and plain in statement else None


#: said of a fact found by its quotes, tags or sources' names rather than its statement
MATCHED_ELSEWHERE = "Found by its quotes, tags or sources, not by its statement."
