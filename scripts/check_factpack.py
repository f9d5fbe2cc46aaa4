"""Validate the fact pack without a store: models, sections, quotes, counts.

    python scripts/check_factpack.py
"""

import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from briefer.errors import KnownError  # noqa: E402
from briefer.ingest import factpack  # noqa: E402

try:
    pack = factpack.load()
except KnownError as exc:
    print(f"error: {exc}")
    sys.exit(2)
counts = collections.Counter(f.section for f in pack.facts)
for s in pack.sections:
    print(f"{s.id:28} {counts.get(s.id, 0)}")
print(f"{'total':28} {len(pack.facts)}")
print("disputed:", [f.id for f in pack.facts if f.status == "disputed"])
for fid, msg in pack.problems:
    print(f"PROBLEM {fid}: {msg}")
sys.exit(1 if pack.problems else 0)
