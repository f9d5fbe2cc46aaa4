"""A note quotes its source as a typesetter would: the passage's own quotation marks nest as single
ones inside the note's double ones, and a note that ends with a quoted sentence gets no second full
stop."""

from __future__ import annotations

import re
from pathlib import Path

from briefer.domain.typography import ends_sentence, nested_quotes


def _notes(markdown: str) -> dict[str, str]:
    return dict(re.findall(r"^\[\^(\d+)\]: (.*)$", markdown, flags=re.M))


def _depth_ok(text: str) -> bool:
    """Double quotes open and close in turn, never one inside another."""
    depth = 0
    for ch in text:
        if ch == "\u201c":
            depth += 1
            if depth > 1:
                return False
        elif ch == "\u201d":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def test_a_quoted_title_inside_a_quote_nests_and_the_note_ends_once(cli, tmp_path: Path) -> None:
    out = tmp_path / "compendium.md"
    r = cli("export", "--template", "compendium", "--out", str(out), "--no-record-edition")
    assert r.code == 0, r.err
    notes = _notes(out.read_text(encoding="utf-8"))
    dialogue = [n for n in notes.values() if "Dialogue on the Digital Economy" in n]
    assert dialogue, "the compendium quotes Ichikawa's para. 42 on the Digital Economy dialogue"
    assert dialogue[0].endswith("discussed in the \u2018Japan-U.S. Dialogue on the Digital Economy.\u2019\u201d")
    # every note of the full style (the pack has 25 quotes with quotation marks of their own)
    assert len(notes) > 100
    bad = {k: v for k, v in notes.items() if not _depth_ok(v) or "\u201d." in v.replace("\u201d.\u201d", "")
           and v.endswith("\u201d.") and ends_sentence(v[:-1])}
    assert bad == {}


def test_nesting_turns_double_quotes_single_and_leaves_apostrophes() -> None:
    assert nested_quotes("the so-called \u201csoft-law approach\u201d") == "the so-called \u2018soft-law approach\u2019"
    assert nested_quotes('a "basic law" of Japan\u2019s') == "a \u2018basic law\u2019 of Japan\u2019s"
    assert nested_quotes("no quotes, Japan\u2019s law") == "no quotes, Japan\u2019s law"
    assert ends_sentence("\u201c\u2026Economy.\u2019\u201d") and ends_sentence("(see above.)")
    assert not ends_sentence("\u201c\u2026Economy\u2019\u201d") and not ends_sentence("para. 42")
