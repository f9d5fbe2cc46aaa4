"""Arbitrary Unicode (control characters, lone surrogates, RTL, emoji, CJK …)
in statements, titles and quotes always yields files that readers can open."""

from __future__ import annotations

import io
import re
from datetime import date

import docx
from docx2python import docx2python
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefer.domain.briefing import Briefing, BriefingSection, Cover, FactItem, Options, ParagraphItem
from briefer.domain.document import clean_text, resolve
from briefer.domain.models import Citation, Fact, GlossaryEntry, Section, Source
from briefer.domain.typography import smart_quotes
from briefer.export.docx import write_docx
from briefer.export.docx_reference import load_reference
from briefer.export.html import render_html
from briefer.export.markdown import render_markdown

ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
TEXT = st.text(alphabet=ANY_CHAR, min_size=0, max_size=60)


class FakeStore:
    """Just what resolve() reads, holding text SQLite could not (lone surrogates)."""

    def __init__(self, facts: list[Fact], sources: list[Source]) -> None:
        self._facts = {f.id: f for f in facts}
        self._sources = sources

    def facts_by_ids(self, ids: list[str]) -> dict[str, Fact]:
        return {i: self._facts[i] for i in ids if i in self._facts}

    def sources(self) -> list[Source]:
        return self._sources

    def sections(self) -> list[Section]:
        return [Section(id="sec-a", title="Section A")]

    def glossary(self) -> list[GlossaryEntry]:
        return [GlossaryEntry.model_construct(id="g", kind="person", name="Name", aliases=["alias"],
                                              japanese="石破茂", japanese_from="analyst", description="")]


def _expected(text: str) -> str:
    # typeset as the renderer does: straight quotes become curly ones
    return smart_quotes(re.sub(r"[\t\r\n]+", " ", clean_text(text)[0]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# found by hypothesis: an author of only whitespace that str.split() splits on (NEL) left no surname
@example(statements=["A"], title="", quote="\x85", source_title="", paragraph="", marking="")
@example(statements=["A"], title="", quote="\u2028 ", source_title="", paragraph="", marking="")
@given(statements=st.lists(TEXT, min_size=1, max_size=4), title=TEXT, quote=TEXT, source_title=TEXT,
       paragraph=TEXT, marking=TEXT)
def test_arbitrary_unicode_always_gives_a_readable_docx(statements: list[str], title: str, quote: str,
                                                        source_title: str, paragraph: str, marking: str) -> None:
    src = Source.model_construct(id="s", title=source_title or None, label="label", outlet=None, author=quote[:5],
                                 published=None, date_note="", kind="other", language="en", reliability="C",
                                 file=None, notes="", text="")
    facts = [Fact.model_construct(id=f"f{i}", section="sec-a", statement=s, as_of=date(2025, 1, 1), tags=[],
                                  status="current", priority=3, notes="", superseded_by=None,
                                  citations=[Citation.model_construct(source="s", quote=quote, location=quote[:3],
                                                                      claim=None, credibility=None)])
             for i, s in enumerate(statements)]
    briefing = Briefing(
        cover=Cover(title=title, subtitle=title[::-1], prepared_by=quote[:10], marking=marking),
        options=Options(glossary=True),
        sections=[BriefingSection(section="sec-a", heading=title or None, intro=paragraph,
                                  items=[*(FactItem(fact_id=f.id) for f in facts), ParagraphItem(text=paragraph)])],
    )
    doc = resolve(briefing, FakeStore(facts, [src]), today=date(2025, 1, 1))
    buf = io.BytesIO()
    write_docx(doc, buf, load_reference())

    buf.seek(0)
    d = docx.Document(buf)
    texts = [p.text for p in d.paragraphs]
    for s in statements:
        want = _expected(s)
        assert any(t.startswith(want) for t in texts if t), want
    buf.seek(0)
    with docx2python(buf) as read:
        notes = [n for n in _flatten(read.footnotes) if n.startswith("footnote")]
    assert len(notes) == doc.footnote_count

    # HTML and Markdown are valid UTF-8 with no character XML or HTML cannot hold
    for text in (render_html(doc), render_markdown(doc)):
        text.encode("utf-8")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]", text)


def _flatten(nested) -> list[str]:
    if isinstance(nested, str):
        return [nested]
    out: list[str] = []
    for item in nested:
        out.extend(_flatten(item))
    return out
