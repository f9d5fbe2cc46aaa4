"""Every result of a fixed list of searches on a library, as JSON, to compare a change to the search with
(before and after on the same library: the two files must be identical).

    python benchmarks/team_search_dump.py LOCATION OUT.json [--analyst-dir DIR]

LOCATION is a team library's address or a local data folder, holding bench_team.py's synthetic library
(its words are the queries'): the list is bench_team's mixed queries (400), prefixes of 2, 4 and 5
letters, Japanese and mixed ones, a third of them under a filter and a fifth also with a page of 200;
for each search the ids, snippets, scores and whole facts of its hits, in order.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(1, str(Path(__file__).resolve().parent))

import bench_team  # noqa: E402

from briefer.model.query import FactFilter  # noqa: E402
from briefer.store.library import open_location, parse_location  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("location")
    ap.add_argument("out", type=Path)
    ap.add_argument("--analyst-dir", type=Path, default=None, help="the local folder a team library is opened with")
    args = ap.parse_args()
    words = bench_team.Words(random.Random(20251201))
    queries = bench_team.query_list(words, 400)
    queries += [words.vocab[i][:k] for i in range(0, 3000, 97) for k in (2, 4, 5)]
    queries += ["内閣", "基本計画 推進法", "law 基本計画", "para", "source", "cabinet", "topic"]
    filters = [None, FactFilter(section="risks"), FactFilter(min_priority=4), FactFilter(tag="body:Diet")]
    with tempfile.TemporaryDirectory() as tmp:
        store = open_location(parse_location(args.location), create=False, data_dir=args.analyst_dir or Path(tmp))
        out = []
        try:
            for i, q in enumerate(queries):
                flt = filters[i % 4] if i % 3 == 0 else None
                for limit in (20,) if i % 5 else (20, 200):
                    hits = store.search(q, flt, limit=limit)
                    out.append({"q": q, "filter": repr(flt), "limit": limit, "hits": [
                        [h.fact.id, h.snippet, h.score, h.fact.model_dump(mode="json")] for h in hits]})
        finally:
            store.close()
    tmp_out = args.out.with_name(args.out.name + ".tmp")
    tmp_out.write_text(json.dumps(out, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    tmp_out.replace(args.out)
    print(f"{len(out)} searches, {sum(len(o['hits']) for o in out)} hits -> {args.out}")


if __name__ == "__main__":
    main()
