"""What import proposes does not change when the per-sentence work is made cheaper (issue 12, point 6).

The golden file holds the candidates (quote, statement, offsets, location, suggested section, score,
matched terms, every section's score, as-of date, tags, near duplicates, repeats) and the skipped
counts that main's importer gave for the five seeds and for synthetic texts of every format, before
vocabulary matching, glossary tagging, date finding and the near-duplicate search were rewritten."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.ingest_snapshot import COMMIT_GOLDEN, GOLDEN, ROOT, commit_snapshot, snapshot


def _first_difference(want: dict, got: dict) -> str:
    for name in sorted(set(want) | set(got)):
        if name not in got or name not in want:
            return f"{name}: present in only one snapshot"
        w, g = want[name], got[name]
        if w["skipped"] != g["skipped"]:
            return f"{name}: skipped {w['skipped']} became {g['skipped']}"
        if len(w["candidates"]) != len(g["candidates"]):
            return f"{name}: {len(w['candidates'])} candidates became {len(g['candidates'])}"
        for a, b in zip(w["candidates"], g["candidates"], strict=True):
            if a != b:
                keys = [k for k in a if a[k] != b.get(k)]
                return f"{name} candidate {a['pos']}: {keys}: {[a[k] for k in keys]} became {[b[k] for k in keys]}"
    return ""


def test_candidates_sections_terms_and_near_duplicates_are_as_before() -> None:
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    got = json.loads(json.dumps(snapshot(), ensure_ascii=False))
    assert sum(len(d["candidates"]) for d in want.values()) > 1000
    assert any(c["near"] for d in want.values() for c in d["candidates"])
    assert any(c["tags"] for d in want.values() for c in d["candidates"])
    assert _first_difference(want, got) == ""
    assert got == want


def test_the_snapshot_does_not_depend_on_string_hashing() -> None:
    """Near duplicates with the same similarity come in fact-id order, whatever PYTHONHASHSEED is."""
    code = ("import json, sys; sys.path.insert(0, '.'); from tests.ingest_snapshot import snapshot; "
            "print(json.dumps({k: [c['near'] for c in v['candidates']] for k, v in snapshot().items()}))")
    outs = {subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(outs) == 1


def test_a_document_with_more_candidates_than_the_limit_says_how_many_sentences_it_left() -> None:
    from datetime import date

    from briefer.domain import sentences
    from briefer.ingest import candidates as cand
    from briefer.ingest.furniture import clean
    from briefer.resources import seeds_dir

    text = sorted(seeds_dir().glob("*.txt"))[0].read_text(encoding="utf-8").strip()
    cleaned = clean(text)
    n_sentences = sum(len(sentences.split(text, s.start, s.end)) for s in cleaned.body())
    args = dict(vocabulary=cand.default_vocabulary(), glossary=[], index=None, doc_date=None, today=date(2026, 1, 15))
    full, full_skipped = cand.propose(text, cleaned, **args)
    assert len(full) > 5 and cand.NOT_ANALYSED not in full_skipped
    capped, skipped = cand.propose(text, cleaned, max_candidates=5, **args)
    assert [c.quote for c in capped] == [c.quote for c in full[:5]]
    over = [why for why in skipped if why.startswith("not analysed")]
    assert over == ["not analysed: the import proposes at most 5 candidates per document"]
    # every sentence is accounted for: a candidate, skipped for a reason, or counted as not analysed
    assert len(capped) + sum(skipped.values()) == n_sentences == len(full) + sum(full_skipped.values())
    later = sum(1 for seg in cleaned.body() for st, _ in sentences.split(text, seg.start, seg.end)
                if st > capped[-1].start)
    assert skipped[over[0]] == later > 0


def _score_by_scanning(vocabulary, sentence: str) -> dict:
    """Vocabulary.score as main had it: every term's needle tested against the sentence, in order."""
    out = {}
    lowered = sentence.lower()
    for section, terms in vocabulary.sections.items():
        total, hits, taken = 0.0, [], []
        for t in terms:
            if t.needle not in lowered:
                continue
            for m in t.pattern.finditer(sentence):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append(m.span())
                total += t.weight
                hits.append(m.group(0))
                break
        if hits:
            out[section] = (total, hits)
    return out


def test_vocabulary_matching_by_words_finds_what_scanning_every_term_finds() -> None:
    import random

    from briefer.ingest import candidates as cand
    from tests.ingest_snapshot import seed_sentences

    vocabulary = cand.default_vocabulary()
    rng = random.Random(4)
    terms = [t.text.rstrip("*") for ts in vocabulary.sections.values() for t in ts]
    odd = ["\u212a", "\u017f", "\u0130", "\u0131", "_", "-", "\u2019", "'", "\u00df", "\u0345", "5.0", "U.S."]
    pool = seed_sentences()
    for _ in range(3000):
        words = rng.choice(pool).split()
        for _ in range(rng.randint(0, 5)):
            piece = rng.choice(terms + odd)
            if rng.random() < 0.3:
                piece = piece.upper() if rng.random() < 0.5 else piece.lower()
            if rng.random() < 0.3:  # glue it to a neighbour, or put an odd letter inside it
                piece = rng.choice(odd) + piece if rng.random() < 0.5 else piece.replace("i", "\u0131")
            words.insert(rng.randint(0, len(words)), piece)
        sentence = " ".join(words)
        assert vocabulary.score(sentence) == _score_by_scanning(vocabulary, sentence), sentence


def test_glossary_tags_searched_from_where_a_name_stands_are_the_tags_of_searching_the_sentence() -> None:
    """A name's pattern is searched from the first place its lower case stands (where the sentence holds no
    odd-case letter): the tags are those of searching the whole sentence, as main did, with
    names in capitals, glued to odd letters, curly quotes and accents, and with dotless or dotted i's."""
    import random

    from briefer.ingest import candidates as cand
    from briefer.ingest.factpack import load
    from tests.ingest_snapshot import seed_sentences

    glossary = load().glossary
    tagger = cand._Tagger(glossary)
    names = [n for g in glossary for n in g.all_names()] + [g.japanese for g in glossary if g.japanese]
    odd = ["\u212a", "\u017f", "\u0130", "\u0131", "_", "-", "\u2019", "\u201c", "\u00e9", "\u00df", "\u0345",
           "x", "A"]
    rng = random.Random(6)
    pool = seed_sentences()
    tagged = 0
    for _ in range(3000):
        words = rng.choice(pool).split()
        for _ in range(rng.randint(0, 4)):
            piece = rng.choice(names + odd)
            if rng.random() < 0.3:
                piece = piece.upper() if rng.random() < 0.5 else piece.lower()
            if rng.random() < 0.3:
                piece = rng.choice(odd) + piece if rng.random() < 0.5 else piece.replace("i", "\u0131")
            words.insert(rng.randint(0, len(words)), piece)
        sentence = " ".join(words)
        lowered = sentence.lower()
        present = tagger._finder.present(lowered) | {""}
        want = []  # as main had it: a name's pattern searched over the whole sentence where its lower case stands
        for tag, pats in tagger.entries:
            if tag not in want and any(piece in present and needle in lowered and p.search(sentence)
                                       for piece, needle, p, _ in pats):
                want.append(tag)
        got = tagger.tags(sentence)
        assert got == want, sentence
        tagged += bool(got) and cand._ODD_CASE.search(sentence) is None and lowered != sentence
    assert tagged > 1000


def test_fewest_shared_tokens_is_the_first_count_that_can_reach_the_threshold() -> None:
    from briefer.ingest.candidates import _NEVER, NEAR_THRESHOLD, _fewest_shared, _similarity_bound

    for la in range(70):
        for lb in range(70):
            want = next((i for i in range(1, min(la, lb) + 1) if _similarity_bound(i, la, lb) >= NEAR_THRESHOLD),
                        _NEVER)
            assert _fewest_shared(la, lb) == want


def test_what_an_import_stores_is_as_before() -> None:
    """Sources, candidates as stored (ids, statements, sections, dates, tags, quotes and their locations,
    near duplicates, decisions) and the facts accepted, as main's importer stored them."""
    want = json.loads(COMMIT_GOLDEN.read_text(encoding="utf-8"))
    got = json.loads(json.dumps(commit_snapshot(), ensure_ascii=False, default=str))
    assert len(want["candidates"]) > 500 and len(want["facts"]) > 100 and want["again"]["duplicates"]
    assert {c["status"] for c in want["candidates"]} == {"accepted", "rejected", "pending"}
    for key in ("result", "again", "sources"):
        assert got[key] == want[key], key
    for a, b in zip(want["candidates"], got["candidates"], strict=True):
        assert a == b, (a["id"], [k for k in a if a[k] != b.get(k)])
    assert got["facts"] == want["facts"]


def _chunk_reference(vocabulary, tagger, sentence: str):
    """What the importer took from a whole sentence before it worked chunk by chunk."""
    import re

    from briefer.domain.provenance import normalise
    from briefer.ingest import candidates as cand

    lowered = sentence.lower()
    folded = {cand._fold(w) for w in cand._WORD.findall(sentence)}
    return (folded, vocabulary._finder.present(lowered), tagger._finder.present(lowered),
            set(cand.tokens(sentence, norm=normalise(sentence).lower())), len(cand._CJK.findall(sentence)),
            re.search(r"https?://|www\.", sentence) is not None,
            cand._FIRST_PERSON.search(sentence.replace("AI", "")) is not None, normalise(sentence).lower())


def test_a_sentence_read_chunk_by_chunk_gives_what_the_whole_sentence_gives() -> None:
    """Words, vocabulary needles, glossary name pieces, tokens, CJK characters, web addresses, first-person
    words and the normalised sentence, with odd letters, quotes, dashes and every
    kind of white space (non-breaking, ideographic, tabs, line breaks) in and between the words."""
    import random

    from briefer.ingest import candidates as cand
    from briefer.ingest.factpack import load
    from briefer.ingest.furniture import strip_inline_markup
    from tests.ingest_snapshot import seed_sentences

    vocabulary = cand.default_vocabulary()
    glossary = load().glossary
    tagger = cand._Tagger(glossary)
    words = cand._Words(vocabulary, tagger, memo_limit=50)  # a small memo: past it chunks are worked out afresh
    rng = random.Random(5)
    names = [n for g in glossary for n in g.all_names()] + [t.text.rstrip("*") for ts in vocabulary.sections.values()
                                                              for t in ts]
    odd = ["\u212a", "\u017f", "\u0130", "\u0131", "_", "-", "\u2019", "'", "\u00df", "\u2014", "\u201c", "AI",
           "\u4eba\u5de5\u77e5\u80fd", "*", "[x](y)", "\u2022", "I", "I'm", "AIme", "mAIy", "MY", "let\u2019s",
           "https://example.org", "www.", "AAII"]
    spaces = [" ", "  ", "\u00a0", "\u3000", "\t", "\n", "\u2009", "\u202f", "\x1c"]
    pool = seed_sentences()
    for _ in range(3000):
        ws = rng.choice(pool).split()
        for _ in range(rng.randint(0, 5)):
            piece = rng.choice(names + odd)
            if rng.random() < 0.3:
                piece = rng.choice(odd) + piece if rng.random() < 0.5 else piece.replace("i", "\u0131")
            ws.insert(rng.randint(0, len(ws)), piece)
        sentence = "".join(w + rng.choice(spaces) for w in ws).strip(rng.choice(["", " "]))
        got = words.of(sentence.split())
        assert (*map(set, got[:4]), *got[4:]) == _chunk_reference(vocabulary, tagger, sentence), sentence
        statement = strip_inline_markup(sentence)
        assert statement == cand_strip_by_patterns(sentence), sentence


def cand_strip_by_patterns(sentence: str) -> str:
    """strip_inline_markup as main had it: every pattern tried."""
    import re

    from briefer.ingest.furniture import _IMAGE_INLINE

    s = _IMAGE_INLINE.sub("", sentence)
    s = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"(?<!\w)[_*]{1,3}(?=\S)|(?<=\S)[_*]{1,3}(?!\w)", "", s)
    s = re.sub(r"^\s*(?:[-*\u2022]|\d+[.)])\s+", "", s)
    return re.sub(r"\s+", " ", s).strip()
