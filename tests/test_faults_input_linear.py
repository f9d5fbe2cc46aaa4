"""Import stays linear in the size of a document (issue 12, point 6).  The speed itself is
measured in benchmarks/bench_curation.py; these tests pin the two rewrites that made it linear
to the answers of the simple quadratic versions they replaced."""

from __future__ import annotations

import random
import re

from briefer.domain.provenance import Locator, _is_prose, _italic_heading, front_matter_end, locate
from briefer.ingest.candidates import REPEAT_POSTINGS, REPEAT_THRESHOLD, first_repeats, similarity


def naive_locate(text: str, offset: int) -> str:
    """The per-offset rescan import used to do for every candidate (the article's prose
    paragraphs counted; a short line after the article has begun is a plain-text heading)."""
    body_start = front_matter_end(text)
    para = 0
    heading = ""
    started = False
    previous = ""  # the last line with text
    pos = 0
    for line in text.splitlines(keepends=True):
        line_end = pos + len(line)
        stripped = line.strip()
        if pos >= body_start and stripped:
            m = re.match(r"^#{1,6}\s+(.*)$", stripped)
            italic = re.fullmatch(r"_+(.+?)_+", stripped)
            if m:
                heading = m.group(1).strip().strip("_*").strip()
            elif _is_prose(stripped):
                para += 1
                started = True
            elif started and (own := _italic_heading(stripped, previous.startswith(("![", "<")))):
                heading = own
            elif offset < line_end:
                para += 1
            elif started and not italic and not stripped.startswith(("![", "<")):
                heading = stripped
        if stripped:
            previous = stripped
        if offset < line_end:
            break
        pos = line_end
    where = f"para. {para}"
    return f"{where}, under \u201c{heading}\u201d" if heading else where


def test_one_locator_gives_the_same_locations_as_rescanning() -> None:
    rng = random.Random(3)
    pieces = ["---\n", "title: x\n", "# Heading\n", "## Two words\n", "_emphasis_\n", "_An emphasised sentence._\n",
              "_\u25b2 Table 1: Outline_\n", "A sentence here.\n", "\n",
              "  \n", "text", "\r\n", "Short heading\n", "![img](x.png)\n",
              "A line long enough to count as prose without any closing punctuation at all here\n",
              "y\u2028z", "\x0c"]
    for _ in range(1500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        locator = Locator(text)
        for offset in range(len(text) + 2):
            assert locator.at(offset) == naive_locate(text, offset), (text, offset)
    assert locate("# A\nOne.\nTwo.\n", 9) == "para. 2, under \u201cA\u201d"
    assert locate("Home: News\nFirst sentence of the article.\n", 12) == "para. 1"


def test_repeats_are_the_first_earlier_candidate_that_comparing_with_every_earlier_one_finds() -> None:
    rng = random.Random(5)
    vocab = [f"w{i}" for i in range(30)]
    for _ in range(300):
        sets: list[frozenset[str]] = []
        for _ in range(rng.randint(1, 60)):
            if sets and rng.random() < 0.35:
                near = set(rng.choice(sets))
                if near and rng.random() < 0.5:
                    near.discard(rng.choice(sorted(near)))
                if rng.random() < 0.5:
                    near.add(rng.choice(vocab))
                sets.append(frozenset(near))
            else:
                sets.append(frozenset(rng.sample(vocab, rng.randint(0, 14))))
        want = [next((i for i, other in enumerate(sets[:j]) if similarity(toks, other) >= REPEAT_THRESHOLD), None)
                for j, toks in enumerate(sets)]
        assert first_repeats(sets, postings=None) == want, sets
        # bounded hard: what it reports is still the first earlier one alike among those it looked at
        for j, got in enumerate(first_repeats(sets, postings=2, exact_up_to=0)):
            assert got is None or (got < j and similarity(sets[j], sets[got]) >= REPEAT_THRESHOLD), (sets, j)


def test_below_six_tokens_only_an_equal_set_is_a_repeat() -> None:
    """first_repeats files no set of fewer than six tokens: none can be alike but an equal one."""
    for small in range(1, 6):
        for large in range(small, 40):
            for shared in range(0, small + 1):
                a = frozenset(f"a{i}" for i in range(small))
                b = frozenset([*(f"a{i}" for i in range(shared)), *(f"b{i}" for i in range(large - shared))])
                assert (similarity(a, b) >= REPEAT_THRESHOLD) == (a == b), (small, large, shared)


def test_the_bounded_repeats_are_exact_for_a_document_of_ordinary_size_and_never_invented() -> None:
    rng = random.Random(9)
    vocab = [f"w{i}" for i in range(400)]
    # an ordinary document: no word in more than REPEAT_POSTINGS sentences, so the bounds change nothing
    sets = [frozenset(rng.sample(vocab, rng.randint(7, 14))) for _ in range(40)]
    sets += [frozenset(sorted(s)[:-1]) for s in sets[:10]]  # near repeats of earlier sentences
    assert max(sum(w in s for s in sets) for w in vocab) <= REPEAT_POSTINGS
    exact = first_repeats(sets, postings=None)
    assert first_repeats(sets, exact_up_to=0) == exact
    assert sum(a is not None for a in exact) >= 10
    # a long document built from a few sentences, words swapped: every repeat reported is a real one
    base = [rng.sample(vocab[:60], 14) for _ in range(8)]
    long_doc = []
    for _ in range(3000):
        words = list(rng.choice(base))
        for _ in range(rng.randint(0, 3)):
            words[rng.randrange(len(words))] = rng.choice(vocab)
        long_doc.append(frozenset(words))
    answers = first_repeats(long_doc, exact_up_to=0)
    # with the default bounds a document of this many candidates gets the answer of comparing with every earlier one
    head = long_doc[:800]
    assert first_repeats(head) == [next((i for i in range(j) if similarity(t, head[i]) >= REPEAT_THRESHOLD), None)
                                   for j, t in enumerate(head)]
    assert first_repeats(long_doc) != answers  # where the bounds alone miss some
    for j, (toks, got) in enumerate(zip(long_doc, answers, strict=True)):
        if got is not None:
            assert got < j and similarity(toks, long_doc[got]) >= REPEAT_THRESHOLD, (j, got)
    assert sum(a is not None for a in answers) > 2000  # and it still finds most of them
    exact = first_repeats(long_doc, postings=None)
    assert sum(a == b for a, b in zip(answers, exact, strict=True)) > 0.9 * len(long_doc)


_REPEATS = """
import random
from briefer.ingest.candidates import first_repeats
rng = random.Random(4)
vocab = [f"w{i}" for i in range(300)]
base = [rng.sample(vocab[:50], 14) for _ in range(6)]
sets = []
for _ in range(2500):
    words = list(rng.choice(base))
    for _ in range(rng.randint(0, 3)):
        words[rng.randrange(len(words))] = rng.choice(vocab)
    sets.append(frozenset(words))
print(first_repeats(sets, exact_up_to=0))
"""


def test_the_bounded_repeat_index_gives_the_same_answers_in_every_run() -> None:
    import os
    import subprocess
    import sys

    # a set's order follows the string hashing, which differs from run to run: the answers must not
    runs = {subprocess.run([sys.executable, "-c", _REPEATS], capture_output=True, text=True, check=True, timeout=300,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(runs) == 1 and "None" in next(iter(runs))
