"""Every date Briefer writes is in Briefer's own English, whatever the desktop's locale: once Qt has
started (QApplication calls ``setlocale(LC_ALL, "")``, so ``strftime("%B")`` follows LC_TIME) and
with a French QLocale as the default, an export still says "13 September 2025", never "13 septembre
2025" — in the Word file, the Markdown, the HTML and what the CLI prints."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest

from briefer.domain.dates import MONTH_NAMES

REPO = Path(__file__).resolve().parents[1]
FRENCH_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                 "novembre", "décembre")

CHILD = r"""
import datetime, sys
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication
app = QApplication([sys.argv[0]])  # Qt takes the locale from the environment, as on a French desktop
QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
print(datetime.date(2025, 9, 13).strftime("%B"), QLocale().monthName(9), flush=True)
from briefer.cli import main
data, *outs = sys.argv[1:]
for out in outs:
    assert main(["--data-dir", data, "export", "--template", "risk-watch", "--out", out]) == 0
assert main(["--data-dir", data, "facts", "show", "hq-established-sept-1"]) == 0
assert main(["--data-dir", data, "templates", "editions", "risk-watch"]) == 0
"""


def _french_locale(tmp_path: Path) -> Path:
    loc = tmp_path / "locales"
    loc.mkdir()
    made = subprocess.run(["localedef", "-i", "fr_FR", "-f", "UTF-8", str(loc / "fr_FR.UTF-8")],
                          capture_output=True, text=True)
    assert (loc / "fr_FR.UTF-8").exists(), made.stderr
    return loc


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and n.endswith(".xml"))
    return re.sub(r"<[^>]+>", "", xml)


@pytest.mark.skipif(shutil.which("localedef") is None, reason="no localedef to build a French locale")
def test_exports_and_cli_output_keep_english_dates_under_a_french_qt_locale(data_dir: Path, tmp_path: Path) -> None:
    loc = _french_locale(tmp_path)
    outs = [tmp_path / "note.docx", tmp_path / "note.md", tmp_path / "note.html"]
    env = {**os.environ, "LOCPATH": str(loc), "LC_ALL": "fr_FR.UTF-8", "LANG": "fr_FR.UTF-8",
           "LANGUAGE": "fr", "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    p = subprocess.run([sys.executable, "-c", CHILD, str(data_dir), *map(str, outs)], capture_output=True,
                       text=True, env=env, cwd=REPO, timeout=300)
    assert p.returncode == 0, p.stderr[-3000:]
    first, rest = p.stdout.split("\n", 1)
    # the locale took effect, for the C library and for Qt: this test can fail
    assert first.split() == ["septembre", "septembre"], first
    today = date.today()
    issued = f"{today.day} {MONTH_NAMES[today.month - 1]} {today.year}"
    texts = {"docx": _docx_text(outs[0]), "md": outs[1].read_text(encoding="utf-8"),
             "html": outs[2].read_text(encoding="utf-8"), "cli": rest}
    for kind, text in texts.items():
        low = text.lower()
        assert not [m for m in FRENCH_MONTHS if re.search(rf"\d {m}\b|\b{m} \d", low)], kind
    for kind in ("docx", "md", "html"):
        assert f"Risk Watch \u2014 {issued}" in texts[kind], kind  # the title pattern's {date:%d %B %Y}
        assert "1 September 2025" in texts[kind], kind  # a fact's date in the text and the cover
    assert "2025-09-01" in texts["cli"] or "1 September 2025" in texts["cli"]
