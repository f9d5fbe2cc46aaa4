"""The shipped fact pack: coverage, verbatim quotes, disputes recorded, no page furniture."""

from __future__ import annotations

import collections
import re

import pytest

from briefer import resources
from briefer.domain.models import REQUIRED_SECTIONS, FactStatus
from briefer.domain.provenance import find_quote, normalise
from briefer.ingest import factpack


@pytest.fixture(scope="module")
def pack() -> factpack.FactPack:
    return factpack.load()


def test_pack_has_enough_facts_in_every_required_section(pack: factpack.FactPack) -> None:
    counts = collections.Counter(f.section for f in pack.facts)
    assert len(pack.facts) >= 80
    for section in REQUIRED_SECTIONS:
        assert counts[section] >= 12, f"{section} has only {counts[section]} facts"
    assert {s.id for s in pack.sections} >= {*REQUIRED_SECTIONS, "background"}


def test_every_quote_stands_verbatim_in_its_source(pack: factpack.FactPack) -> None:
    assert pack.problems == []
    texts = {s.id: s.text for s in pack.sources}
    for fact in pack.facts:
        for c in fact.citations:
            assert find_quote(texts[c.source], c.quote), (fact.id, c.quote)
            assert c.location.startswith("para. "), (fact.id, c.location)


def test_fact_ids_are_readable_unique_slugs(pack: factpack.FactPack) -> None:
    ids = [f.id for f in pack.facts]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)


# Lines of the seeds that are page furniture, not fact material (1-based, inclusive).
FURNITURE = {
    "000_2b21e0870ad15696.txt": [(7, 21)],            # "7 Comments" and the reader comments
    "001_f20f6a5bd50e470c.txt": [(1, 7), (21, 45)],    # page header lines; "Related Articles" block
    "004_9995c0efdbc0b007.txt": [(1, 10)],             # Markdown front matter
}


def _furniture_text() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, ranges in FURNITURE.items():
        lines = (resources.seeds_dir() / name).read_text(encoding="utf-8").splitlines()
        out[name] = [normalise(ln) for a, b in ranges for ln in lines[a - 1 : b] if len(ln.strip()) > 12]
    # image links and table captions of the white paper
    wp = (resources.seeds_dir() / "004_9995c0efdbc0b007.txt").read_text(encoding="utf-8").splitlines()
    out["004_9995c0efdbc0b007.txt"] += [normalise(ln) for ln in wp if ln.startswith(("![", "_\u25b2"))]
    return out


def test_no_page_furniture_reaches_a_fact(pack: factpack.FactPack) -> None:
    files = {s.id: s.file for s in pack.sources}
    furniture = _furniture_text()
    for fact in pack.facts:
        for c in fact.citations:
            q = normalise(c.quote)
            for line in furniture.get(files[c.source] or "", []):
                assert q not in line and line not in q, f"{fact.id} quotes page furniture: {c.quote!r}"
        # the commenters' names and the unrelated headlines never appear in a statement
        for word in ("BuggaBoom", "Loubianka", "Donatello", "Chicago", "Gaza", "Qatar", "imgur"):
            assert word not in fact.statement, (fact.id, word)


def test_known_disagreements_between_sources_are_recorded(pack: factpack.FactPack) -> None:
    by_id = {f.id: f for f in pack.facts}
    disputed = [f for f in pack.facts if f.status == FactStatus.DISPUTED]
    assert len(disputed) >= 3
    for f in disputed:
        # each version carries its own citation and says what that source claims
        assert len(f.citations) >= 2, f.id
        assert sum(1 for c in f.citations if c.claim) >= 2, f.id
    # the minister's name (two readings of one name) and the Paris summit's date (one document, two
    # nested datings) are recorded, but not as disputes
    assert by_id["hq-responsible-minister-disputed"].variance == "alias"
    assert by_id["hq-responsible-minister-disputed"].status == FactStatus.CURRENT
    assert by_id["intl-paris-summit-date"].variance == "minor"
    quotes = " ".join(c.quote for c in by_id["intl-paris-summit-date"].citations)
    assert "January\u2013February 2025" in quotes
    assert by_id  # ids are unique (checked above)


def test_glossary_names_both_renderings_and_japanese(pack: factpack.FactPack) -> None:
    names = {g.name: g for g in pack.glossary}
    assert "Minoru Jonouchi" in names["Minoru Kiuchi"].aliases
    assert any("Strategic" in a for a in names["AI Strategy Headquarters"].aliases)
    assert names["Shigeru Ishiba"].japanese == "\u77f3\u7834\u8302"  # 石破茂
    # no seed gives Japanese script, so every Japanese name is marked as the analyst's
    assert all(g.japanese_from == "analyst" for g in pack.glossary if g.japanese)


def test_source_metadata_is_only_what_the_documents_show(pack: factpack.FactPack) -> None:
    by_id = {s.id: s for s in pack.sources}
    assert by_id["ichikawa-white-paper"].author == "Tagui Ichikawa"
    assert by_id["ichikawa-white-paper"].published.isoformat() == "2025-06-17"
    assert by_id["news-hq-established"].published.isoformat() == "2025-09-13"
    # undated, unsigned documents stay unknown rather than guessed
    for sid in ("news-kiuchi-hq", "news-hq-first-meeting", "newsletter-ai-law"):
        assert by_id[sid].published is None and by_id[sid].author is None
        assert by_id[sid].date_note
    assert all(s.outlet is None for s in pack.sources)
    assert by_id["news-kiuchi-hq"].display_title.startswith("[")
