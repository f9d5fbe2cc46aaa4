"""What ``briefer export`` loads: a command-line export waits for every module it imports (issue 11 holds the
whole process to pandoc's time), so an export from a store that exists loads none of what only other work
needs -- the fact pack's loader and its checks (a new store's seeding), the backup and restore code (an
interrupted restore to finish), a library copy's tables, the record types of history and conflicts, the
permissions and template shelf of a team library, and lxml (Briefer's own reference document is read
without it).  Each of these once stood on the export's path (benchmarks/bench_export.py measures the
process)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: run as ``python -m briefer`` is, printing the modules loaded by the end of the command
CHILD = r"""
import atexit, sys
atexit.register(lambda: print("loaded", " ".join(sorted(sys.modules)), file=sys.__stderr__))
from briefer.cli import main
sys.exit(main(sys.argv[1:]))
"""

NOT_NEEDED = ("briefer.domain.pack_rules", "briefer.store.restore", "briefer.store.backup", "briefer.store.portable",
              "briefer.model.records", "briefer.model.permissions", "briefer.store.template_shelf", "lxml",
              "lxml.etree", "briefer.ingest.review", "briefer.ingest.pipeline")


def _export(data_dir: Path, tmp_path: Path, *args: str) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    p = subprocess.run([sys.executable, "-c", CHILD, "--data-dir", str(data_dir), "export", *args],
                       capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    lines = [line for line in p.stderr.splitlines() if line.startswith("loaded ")]
    assert p.returncode == 0 and lines, p.stderr[-2000:]
    return set(lines[-1].split()[1:]), p


def test_a_template_export_loads_only_what_it_writes(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "full.docx"
    loaded, p = _export(data_dir, tmp_path, "--template", "full-briefing", "--out", str(out), "--no-page-numbers")
    assert "wrote" in p.stdout and "recorded as edition 1" in p.stdout
    with zipfile.ZipFile(out) as zf:
        assert "Key points" in zf.read("word/document.xml").decode("utf-8")
    # the export did its work: the store, the template, the page estimate and the Word writer are loaded
    did = {"briefer.store.db", "briefer.domain.template_model", "briefer.domain.pages", "briefer.export.docx"}
    assert did <= loaded
    # ... and none of what only seeding, restoring, copying, curation or a house reference document needs
    assert loaded.isdisjoint(NOT_NEEDED), sorted(loaded & set(NOT_NEEDED))


def test_a_house_reference_document_still_gets_its_page_estimate(data_dir: Path, tmp_path: Path) -> None:
    """The estimate reads a reference document's styles with the standard library's parser; a house
    document with larger type is estimated longer than Briefer's own, as before."""
    import json

    import docx

    house = tmp_path / "house.docx"
    d = docx.Document()
    for name in ("Normal", "List Bullet"):
        d.styles[name].font.size = docx.shared.Pt(16)
    d.save(str(house))

    def pages(*extra: str) -> int:
        _, p = _export(data_dir, tmp_path, "--template", "full-briefing", "--dry-run", "--json", *extra)
        return int(json.loads(p.stdout)["pages_estimated"])

    assert pages("--reference-doc", str(house)) > pages()
