"""How the window names a source to the analyst: by its label, never by its id or its seed file's
number.  The fact pack's notes say "004 and 001 agree" (the seed files' numbers) and the conflict
finder's questions carry source ids ("news-kiuchi-hq says both"); shown to the analyst, both become
the sources' labels.

The cut of a label to its head is this module's (a short note cuts alike: briefer.domain.blocks imports
it); it imports no model, so the library's first list names its sources before pydantic is loaded."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

#: a short note names a source in at most this many words of its title or label
SHORT_TITLE_WORDS = 6
#: an analyst's label is a description ("News report on the Headquarters' first meeting"): cut later,
#: so two labels that differ only at their end stay apart
SHORT_LABEL_WORDS = 9


def _short_label(label: str) -> str:
    """An analyst's label cut to its head: "News report on the launch (unsigned, …)" -> "News report on the launch"."""
    head = re.split(r"\s+\(", label, maxsplit=1)[0].strip() or label
    return _cut_words(head, SHORT_LABEL_WORDS)


def _cut_words(text: str, most: int = SHORT_TITLE_WORDS) -> str:
    words = text.split()
    return text if len(words) <= most else " ".join(words[:most - 1]) + "\u2026"


def short_label(source: Any) -> str:
    """The analyst's label cut to its head ("Press digest of Asahi and Jiji reports"), the short
    note's rule (briefer.domain.document); the title when there is no label."""
    label = (getattr(source, "label", "") or "").strip()
    if label.startswith("Imported: "):  # the importer's stand-in: the document's own title says more
        label = (source.title or label[len("Imported: "):]).strip()
    label = label or source.title or source.id
    # "Report by Tagui Ichikawa: Japan's AI governance strategy…": a list names it by its head
    head = label.split(": ", 1)[0]
    return _short_label(head if len(head.split()) >= 2 else label)


def _keys(source: Any) -> list[str]:
    keys = [source.id]
    file = getattr(source, "file", None) or ""
    number = re.match(r"(\d{3})_", file)
    if number:
        keys.append(number.group(1))
    return keys


def name_sources(text: str, sources: Iterable[Any]) -> str:
    """``text`` with every source id and seed-file number in it replaced by the source's short label."""
    names: dict[str, str] = {}
    for src in sources:
        for key in _keys(src):
            names.setdefault(key, short_label(src))
    if not text or not names:
        return text
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))
                         + r")(?![\w-])")
    return pattern.sub(lambda m: names[m.group(1)], text)
