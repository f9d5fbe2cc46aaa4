"""What a key point says for a fact, and when it would only repeat the fact's paragraph."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefer.domain.models import Fact


#: a key point lifted from a fact without a headline: its first sentence, at most this many words
KEY_POINT_WORDS = 30


def key_point_text(fact: Fact, override: str | None = None) -> str:
    """What a key point says for ``fact``: the analyst's wording when the briefing rewords the fact,
    else its curated headline, else its first sentence (cut at a clause when long)."""
    text = override.strip() if override and override.strip() else (getattr(fact, "headline", None) or "")
    if text:
        return text
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z])", fact.statement.strip(), maxsplit=1)[0]
    if len(first.split()) > KEY_POINT_WORDS:
        clause = re.split(r"[;:]\s", first, maxsplit=1)[0]
        first = clause if len(clause.split()) >= 6 else " ".join(first.split()[:KEY_POINT_WORDS]) + "\u2026"
    return first if first.endswith((".", "\u2026")) else first.rstrip(";:,") + "."


def copies_body(fact: Fact, override: str | None) -> bool:
    """Whether the key point lifted from ``fact`` (no headline: its first sentence) says word for word what
    its paragraph in the body says.  A fact the briefing rewords keeps its key point in the analyst's words
    (rewording a fact does not take its point off the summary under the analyst's eyes)."""
    if override and override.strip():
        return False

    def words(text: str) -> str:
        return " ".join(text.split()).rstrip(".\u2026")

    return words(key_point_text(fact)) == words(fact.statement)
