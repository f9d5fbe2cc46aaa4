"""The store's facts a candidate says much the same as (issue 12, point 6): the near-duplicate search an
import makes for every sentence narrows the facts it looks at by bit sets and signatures instead of counting
every fact's shared tokens; it must find exactly what counting and comparing with every ranked fact finds."""

from __future__ import annotations

import random
from datetime import date

from briefer.domain.provenance import normalise
from briefer.ingest.factpack import load
from briefer.ingest.similar import NEAR_THRESHOLD, FactIndex, similarity, tokens
from briefer.model import Citation, Fact
from tests.ingest_snapshot import mutated, seed_sentences


def naive_near(facts: list[Fact], text: str, limit: int = 3) -> list[tuple[str, float, str]]:
    """What import has always answered: the 50 facts sharing most tokens (at least three, fact-id order
    among equals), each citing the same passage (a quote within the sentence, a long sentence within a
    quote) or NEAR_THRESHOLD similar to its statement or one of its quotes."""
    toks = tokens(text)
    norm = normalise(text).lower()
    counts = {f.id: len(toks & tokens(f.statement + " " + " ".join(c.quote for c in f.citations))) for f in facts}
    ranked = sorted((-n, fid) for fid, n in counts.items() if n >= 3)[:50]
    by_id = {f.id: f for f in facts}
    out = []
    for _, fid in ranked:
        f = by_id[fid]
        quotes = [q for q in (normalise(c.quote).lower() for c in f.citations) if q]
        if any((len(q) <= len(norm) and q in norm) or (len(norm) > 30 and len(norm) <= len(q) and norm in q)
               for q in quotes):
            out.append((fid, 1.0, "cites this same passage"))
            continue
        sim = max(similarity(toks, ts) for ts in [tokens(f.statement), *map(tokens, quotes)])
        if sim >= NEAR_THRESHOLD:
            out.append((fid, round(sim, 2), "says much the same"))
    out.sort(key=lambda x: (-x[1], x[0]))
    return out[:limit]


def sentences_like_the_facts(rng: random.Random, facts: list[Fact], n: int) -> list[str]:
    """Seed sentences as they are and with words swapped, pieces of the facts' quotes cut anywhere (inside a
    word too), quotes within longer sentences, and CJK text."""
    pool = seed_sentences()
    quotes = [c.quote for f in facts for c in f.citations]
    out = [*rng.sample(pool, min(n // 4, len(pool))), *mutated(rng, pool, n // 4)]
    while len(out) < n:
        q = rng.choice(quotes)
        kind = rng.randrange(4)
        if kind == 0:  # a piece of a quote, cut anywhere
            a = rng.randrange(len(q))
            out.append(q[a : rng.randint(a + 1, len(q))])
        elif kind == 1:  # a quote within a sentence, glued to a word or not
            glue = rng.choice(["", " ", "\u2014", "'"])
            out.append(rng.choice(pool)[:40] + glue + q + glue + rng.choice(["", "and more.", " So it is."]))
        elif kind == 2:  # a quote with its words changed in case or quotes
            out.append(q.upper().replace("'", "\u2019") if rng.random() < 0.5 else q.replace(" ", "  "))
        else:
            out.append(rng.choice(["人工知能戦略本部は内閣に置かれる。", "The AI Act（人工知能法） " + q[:60]]))
    return out


def test_the_narrowed_search_finds_what_counting_every_fact_finds() -> None:
    facts = load().facts
    index = FactIndex.build(facts)
    rng = random.Random(21)
    texts = sentences_like_the_facts(rng, facts, 1200)
    found = 0
    for text in texts:
        want = naive_near(facts, text)
        assert index.near(text) == want, text
        toks = tokens(text)
        assert index.near(text, toks=toks, norm=normalise(text).lower()) == want, text
        found += bool(want)
    assert found > 500
    # both ways a passage is the same, and a near duplicate of a statement, are among the answers
    reasons = {r for text in texts for _, _, r in index.near(text)}
    assert reasons == {"cites this same passage", "says much the same"}
    assert any(len(normalise(t)) > 30 and any(r == "cites this same passage" for _, _, r in index.near(t))
               and all(normalise(c.quote).lower() not in normalise(t).lower() for f in facts for c in f.citations)
               for t in texts)  # a sentence within a quote (no quote within it)


def test_when_more_than_fifty_facts_share_three_tokens_the_fifty_sharing_most_are_looked_at() -> None:
    """Many facts made of the same common words and a few of their own: a sentence shares three or more
    tokens with more than fifty of them, and only the fifty sharing most (fact-id order among equals)
    can be named, as counting names them."""
    rng = random.Random(8)
    common = [f"common{i}" for i in range(12)]
    own = [f"word{i}" for i in range(400)]
    facts = []
    for i in range(160):
        words = rng.sample(common, rng.randint(3, 8)) + rng.sample(own, rng.randint(2, 9))
        rng.shuffle(words)
        quote = " ".join(words)
        facts.append(Fact(id=f"fact-{i:03d}", section="policy", statement=f"Statement {i}: " + " ".join(words[::-1]),
                          citations=[Citation(source="src", quote=quote)], as_of=date(2025, 1, 1)))
    index = FactIndex.build(facts)
    crowded = 0
    for _ in range(600):
        f = rng.choice(facts)
        words = f.citations[0].quote.split()
        words = words[: rng.randint(1, len(words))] + rng.sample(common, rng.randint(3, 10))
        text = " ".join(words) if rng.random() < 0.7 else f.citations[0].quote[rng.randint(0, 5):]
        toks = tokens(text)
        crowded += sum(len(toks & tokens(g.statement + " " + g.citations[0].quote)) >= 3 for g in facts) > 50
        assert index.near(text) == naive_near(facts, text), text
    assert crowded > 100
