"""The source pane's text: a stored document as a reader sees it (briefer.ingest.furniture.reading),
the importer's furniture rule applied, and every quote still found and shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefer.domain.provenance import find_quote
from briefer.ingest.furniture import reading

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _seed(source_id: str) -> str:
    meta = json.loads((SEEDS / "sources.json").read_text(encoding="utf-8"))
    file = next(s["file"] for s in meta["sources"] if s["id"] == source_id)
    return (SEEDS / file).read_text(encoding="utf-8")


def test_the_white_paper_reads_without_front_matter_marks_or_image_links() -> None:
    text = _seed("ichikawa-white-paper")
    assert text.startswith("---") and "### Introduction" in text and "![image01]" in text
    shown = reading(text).text
    assert shown.startswith("This report explains the evolution")
    assert "layout: post" not in shown and "excerpt_separator" not in shown and "<excerpt/>" not in shown
    assert "![" not in shown and "imgur" not in shown and "Table 1: History" not in shown
    assert not [line for line in shown.splitlines() if line.lstrip().startswith("#")]
    assert "\nIntroduction\n" in shown
    assert "__" not in shown and "Tagui Ichikawa is a specially appointed professor" in shown


def test_the_comment_thread_is_left_out() -> None:
    text = _seed("news-kiuchi-hq")
    shown = reading(text).text
    assert "7 Comments" in text and "BuggaBoom" in text
    assert "7 Comments" not in shown and "BuggaBoom" not in shown
    assert shown.rstrip().endswith("stricter safety regulations for major AI developers.")


@pytest.mark.parametrize("source_id", ["news-kiuchi-hq", "news-hq-established", "news-hq-first-meeting",
                                       "newsletter-ai-law", "ichikawa-white-paper"])
def test_every_quote_of_the_fact_pack_is_shown_in_the_reading(store, source_id: str) -> None:  # noqa: ANN001
    text = store.source(source_id).text
    shown = reading(text)
    quotes = [c.quote for f in store.facts() for c in f.citations if c.source == source_id]
    assert quotes
    for quote in quotes:
        at = find_quote(text, quote)
        assert at is not None
        span = shown.span(*at)
        assert span is not None, quote
        assert find_quote(shown.text[span[0]:span[1]], quote) is not None, quote


def test_a_link_keeps_its_words_and_a_heading_loses_its_marks() -> None:
    text = "## The plan\n\nThe [Cabinet Office](https://example.org/co) approved the plan in December 2025.\n"
    r = reading(text)
    assert r.text == "The plan\n\nThe Cabinet Office approved the plan in December 2025."
    at = text.index("Cabinet Office")
    assert r.span(at, at + len("Cabinet Office")) == (r.text.index("Cabinet"), r.text.index(" approved"))
