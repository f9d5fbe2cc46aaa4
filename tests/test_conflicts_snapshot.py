"""The conflict finder's result does not change when it is made faster: on the seed store, and on the
seed store with 60 more sources built from the seeds' sentences (each repeated many times, as in a big
store), compared with a snapshot taken from the finder before its speed work (tests/golden/conflicts_snapshot.json).
Run with a fresh cache and again with a warm one: both give the snapshot."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

from briefer import resources
from briefer.domain import conflicts as finder
from briefer.domain import sentences
from briefer.domain.models import Source
from briefer.ingest.furniture import clean
from briefer.ingest.review import body_spans, store_conflicts

GOLDEN = Path(__file__).parent / "golden" / "conflicts_snapshot.json"


def _pool() -> list[str]:
    out = []
    for p in sorted(resources.seeds_dir().glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        for seg in clean(text).body():
            out += [text[s:e] for s, e in sentences.split(text, seg.start, seg.end)]
    return out


def _synthetic(n: int, per: int) -> list[Source]:
    rng = random.Random(11)
    pool = _pool()
    out = []
    for i in range(n):
        sents = [rng.choice(pool) for _ in range(per)]
        text = "\n\n".join(" ".join(sents[k : k + 4]) for k in range(0, per, 4))
        out.append(Source(id=f"synthetic-{i}", label=f"Synthetic report {i}", kind="news report", text=text))
    return out


def _compact(conflicts) -> list[dict]:
    out = []
    for c in conflicts:
        j = c.to_json()
        for side in j["sides"]:
            quotes = side.pop("quotes")
            side["quotes"] = len(quotes)
            side["quotes_sha1"] = hashlib.sha1(json.dumps(quotes, ensure_ascii=False).encode("utf-8")).hexdigest()
        out.append(j)
    return out


def snapshot(store) -> dict[str, list[dict]]:
    seed = [c.to_json() for c in store_conflicts(store)]
    sources = store.sources(with_text=True) + _synthetic(60, 40)
    big = _compact(finder.find_conflicts(sources, store.facts(), store.glossary(), body=body_spans))
    bare = _compact(finder.find_conflicts(sources, store.facts(), [], body=body_spans))
    return {"seed": seed, "seed_and_60_synthetic": big, "seed_and_60_synthetic_no_glossary": bare}


def _clear() -> None:
    finder.clear_caches()


def test_the_finder_finds_what_it_found_before_cold_and_warm(store):
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    _clear()
    cold = snapshot(store)
    warm = snapshot(store)
    for name in expected:
        assert cold[name] == expected[name], name
        assert warm[name] == expected[name], name
    assert len(expected["seed"]) >= 10 and len(expected["seed_and_60_synthetic"]) > len(expected["seed"])


if __name__ == "__main__":  # regenerate the snapshot (only from a finder whose results are trusted)
    import sys
    import tempfile

    from briefer.ingest.factpack import open_store

    with tempfile.TemporaryDirectory() as tmp:
        s = open_store(Path(tmp))
        data = snapshot(s)
        s.close()
    Path(sys.argv[1] if len(sys.argv) > 1 else GOLDEN).write_text(
        json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
