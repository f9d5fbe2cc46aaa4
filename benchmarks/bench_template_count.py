"""The template editor's live count (printed as JSON; run by `make bench`).

For each built-in template on the shipped fact pack: the CPU time of one count
(:func:`briefer.domain.template_check.preview_template`: the selection, the budget
fitting and the page estimate), median of 5 after a warm-up, against a peer measured
in the same run -- the page estimate alone of the briefing the template makes -- and
against a 16 ms frame: the count runs on a worker when it is longer than a frame."""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from briefer.domain.document import resolve  # noqa: E402
from briefer.domain.pages import estimate  # noqa: E402
from briefer.domain.template_check import preview_template  # noqa: E402
from briefer.domain.template_library import TemplateLibrary  # noqa: E402
from briefer.domain.templates import briefing_from_selection, run_selection  # noqa: E402
from briefer.ingest.factpack import open_store  # noqa: E402

TODAY = date(2025, 11, 20)
FRAME_S = 0.016


def cpu(fn, n: int = 5) -> float:  # noqa: ANN001
    fn()
    times = []
    for _ in range(n):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return statistics.median(times)


def main() -> int:
    store = open_store(Path(tempfile.mkdtemp(prefix="bench-tcount-")))
    lib = TemplateLibrary(store.path.parent)
    out = []
    for info in lib.list():
        t = lib.get(info.name)
        briefing = briefing_from_selection(t, run_selection(t, store, today=TODAY), today=TODAY, edition=1)
        count = cpu(lambda t=t: preview_template(t, store, today=TODAY))
        peer = cpu(lambda b=briefing: estimate(resolve(b, store, today=TODAY)))
        out.append({"template": info.name, "count_cpu_s": round(count, 4), "estimate_cpu_s": round(peer, 4),
                    "ratio_to_estimate": round(count / peer, 1) if peer else None,
                    "frames": round(count / FRAME_S, 1), "on_worker": count > FRAME_S})
    print(json.dumps({"benchmark": "template_count", "results": out}, indent=2))
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
