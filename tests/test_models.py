"""Domain models reject malformed data with clear messages."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from briefer.domain.models import Citation, Fact, GlossaryEntry, Source, SourceKind

CITE = [Citation(source="news-kiuchi-hq", quote="Established on September 1")]


def test_a_valid_fact() -> None:
    f = Fact(id="hq-established", section="hq-structure", statement="The HQ was set up on 1 September.",
             citations=CITE, as_of=date(2025, 9, 1), tags=["body:AI Strategy Headquarters", "date:2025-09-01"])
    assert f.status == "current" and f.priority == 3 and f.source_ids == ["news-kiuchi-hq"]


@pytest.mark.parametrize("change, field", [
    ({"id": "Not A Slug"}, "id"),
    ({"citations": []}, "citations"),
    ({"statement": "short"}, "statement"),
    ({"status": "rumoured"}, "status"),
    ({"priority": 9}, "priority"),
    ({"tags": ["Ishiba"]}, "tags"),
    ({"tags": ["person:Ishiba", "person:Ishiba"]}, "tags"),
    ({"as_of": "last spring"}, "as_of"),
    ({"colour": "red"}, "colour"),
])
def test_invalid_facts_are_refused(change: dict, field: str) -> None:
    data = {"id": "ok-id", "section": "risks", "statement": "A long enough statement.", "citations": CITE,
            "as_of": date(2025, 1, 1), **change}
    with pytest.raises(ValidationError) as exc:
        Fact(**data)
    assert field in str(exc.value)


def test_citation_credibility_scale() -> None:
    assert Citation(source="s1", quote="abc", credibility=6).credibility == 6
    with pytest.raises(ValidationError):
        Citation(source="s1", quote="abc", credibility=7)


def test_source_unknowns_and_display_title() -> None:
    s = Source(id="an-article", label="Untitled report", kind=SourceKind.NEWS_REPORT)
    assert s.title is None and s.author is None and s.published is None and s.reliability == "F"
    assert s.display_title == "[Untitled report]"
    with pytest.raises(ValidationError):
        Source(id="x-y", label="L", kind=SourceKind.OTHER, reliability="G")


def test_glossary_names() -> None:
    g = GlossaryEntry(id="kiuchi", kind="person", name="Minoru Kiuchi", aliases=["Minoru Jonouchi"],
                      japanese="\u57ce\u5185\u5b9f", japanese_from="analyst")
    assert g.all_names() == ["Minoru Kiuchi", "Minoru Jonouchi"]
