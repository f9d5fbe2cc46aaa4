"""The candidates import proposes for a fixed set of documents, as plain data (issue 12, point 6).

``tests/golden/ingest_candidates.json`` holds this snapshot as main's importer produced it before
the per-sentence work was made cheaper; tests/test_ingest_snapshot.py compares the importer of
today with it.  Regenerate only when a change of behaviour is intended:
``.venv/bin/python tests/ingest_snapshot.py --write``."""

from __future__ import annotations

import json
import random
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefer import resources  # noqa: E402
from briefer.domain import sentences  # noqa: E402
from briefer.ingest import pipeline  # noqa: E402
from briefer.ingest.furniture import clean  # noqa: E402

GOLDEN = ROOT / "tests" / "golden" / "ingest_candidates.json"
#: what an import stores (sources, candidates as stored, the facts accepted), written by main's importer before
#: the import was made linear in cost per sentence; regenerate with ``--write-commit`` only for an intended change
COMMIT_GOLDEN = ROOT / "tests" / "golden" / "import_commit.json"
TODAY = date(2026, 1, 15)


def seed_sentences() -> list[str]:
    out = []
    for p in sorted(resources.seeds_dir().glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        for seg in clean(text).body():
            out += [text[s:e].replace("\n", " ") for s, e in sentences.split(text, seg.start, seg.end)]
    return out


def mutated(rng: random.Random, pool: list[str], n: int) -> list[str]:
    """``n`` sentences from the seeds with words swapped among them, so most are new."""
    words = sorted({w for s in pool for w in s.split()})
    out = []
    for _ in range(n):
        ws = rng.choice(pool).split()
        for _ in range(rng.randint(0, 4)):
            if ws:
                ws[rng.randrange(len(ws))] = rng.choice(words)
        out.append(" ".join(ws))
    return out


def documents(folder: Path) -> list[Path]:
    """The five seeds, and synthetic texts in every shape the importer reads."""
    rng = random.Random(12)
    pool = seed_sentences()
    paths = sorted(resources.seeds_dir().glob("*.txt"))
    extra = {
        "mutated-paragraphs.txt": "\n\n".join(" ".join(mutated(rng, pool, 4)) for _ in range(150)),
        "one-line.txt": " ".join(mutated(rng, pool, 300)),
        "dated.md": "---\ntitle: Dated note\ndate: 2025-09-01\n---\n\n# Heading\n\n"
                    + "\n\n".join(" ".join(mutated(rng, pool, 3)) for _ in range(40)),
        "article.html": "<html><head><meta property='og:title' content='Synthetic'></head><body><nav>Home | News</nav>"
                        "<article>" + "".join(f"<p>{' '.join(mutated(rng, pool, 3))}</p>" for _ in range(40))
                        + "</article></body></html>",
        "japanese.txt": "人工知能関連技術の研究開発及び活用の推進に関する法律が2025年5月28日に成立した。"
                        "人工知能戦略本部は内閣に置かれ、内閣総理大臣が本部長を務める。"
                        "政府は人工知能基本計画を策定し、国際協力を推進する。\n\n" * 3,
    }
    for name, text in extra.items():
        p = folder / name
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def snapshot() -> dict[str, object]:
    from briefer.ingest.factpack import open_store

    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store = open_store(root / "data")
        try:
            library = pipeline.Library.of(store)
            for p in documents(root):
                doc = pipeline.analyse(p, library, today=TODAY)
                out[p.name] = {
                    "skipped": dict(sorted(doc.skipped.items())),
                    "candidates": [
                        {"pos": c.pos, "quote": c.quote, "statement": c.statement, "start": c.start, "end": c.end,
                         "location": c.location, "section": c.section, "score": c.score, "reason": c.reason,
                         "scores": {k: [v[0], v[1]] for k, v in sorted(c.scores.items())},
                         "as_of": c.as_of.isoformat() if c.as_of else None, "as_of_note": c.as_of_note,
                         "tags": c.tags, "near": [list(n) for n in c.near], "repeats": c.repeats}
                        for c in doc.candidates],
                }
        finally:
            store.close()
    return out


def commit_snapshot() -> dict[str, object]:
    """The same documents imported in one plan into a fresh store, with an analyst's decisions (every fourth
    candidate accepted, every seventh rejected, one statement and one section edited), then imported again
    (all duplicates): the result, every stored candidate and every accepted fact, without clock times."""
    from briefer.ingest.factpack import open_store

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store = open_store(root / "data")
        try:
            before = {f.id for f in store.facts()}
            paths = documents(root)
            plan = pipeline.prepare(paths, store, today=TODAY)
            for doc in plan.documents:
                for c in doc.candidates:
                    if c.pos % 4 == 1:
                        doc.decisions[c.pos] = "accepted"
                    elif c.pos % 7 == 3:
                        doc.decisions[c.pos] = "rejected"
                if len(doc.candidates) > 9:
                    doc.edits[5] = {"statement": "An edited statement that says what the analyst wants said."}
                    doc.edits[9] = {"section": "risks"}
            res = pipeline.commit(plan, store, analyst="golden")
            again = pipeline.commit(pipeline.prepare(paths, store, today=TODAY), store, analyst="golden")
            cands = [{k: v for k, v in c.to_json().items() if k not in ("created_at", "decided_at")}
                     for c in store.candidates(status=None)]
            facts = [f.model_dump(mode="json")
                     for f in store.facts() if f.id not in before]
            sources = [{"id": s.id, "label": s.label, "title": s.title, "published": str(s.published),
                        "date_note": s.date_note, "kind": str(s.kind), "language": s.language}
                       for s in store.sources() if s.id in res.sources]
            return {"result": vars(res), "again": vars(again), "sources": sources, "candidates": cands,
                    "facts": facts}
        finally:
            store.close()


if __name__ == "__main__":
    if "--write-commit" in sys.argv:
        got = json.loads(json.dumps(commit_snapshot(), ensure_ascii=False, default=str))
        COMMIT_GOLDEN.write_text(json.dumps(got, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {COMMIT_GOLDEN}: {len(got['candidates'])} candidates, {len(got['facts'])} facts")
        sys.exit(0)
    data = snapshot()
    if "--write" in sys.argv:
        GOLDEN.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {GOLDEN}: {sum(len(d['candidates']) for d in data.values())} candidates")  # type: ignore[arg-type]
    else:
        print(json.dumps({k: len(v["candidates"]) for k, v in data.items()}))  # type: ignore[index]
