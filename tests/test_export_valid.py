"""Word-valid output: every export passes openxml-audit's strict policy (the
OOXML schemas and Word's semantic rules), including one restyled with a
house reference document; and the typesetting a reader sees (page breaks,
keep-with-next, rows that never split, East Asian language, table header
colour) survives a house reference."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from export_support import NS, W, part, xml
from openxml_audit import OpenXmlValidator

TEMPLATES = ["full-briefing", "one-page-brief", "risk-watch", "us-japan-cooperation"]


def _errors(path: Path) -> list[str]:
    result = OpenXmlValidator(strict=True, max_errors=0).validate(str(path))
    return [str(e) for e in result.errors]


def _house(tmp_path: Path) -> Path:
    """A house reference as Word writes one: its own theme, no East Asian language (eastAsia="en-US"), a
    Normal in navy, a Letter page."""
    ref = tmp_path / "house.docx"
    d = docx.Document()
    d.styles["Normal"].font.color.rgb = docx.shared.RGBColor(0x1F, 0x38, 0x64)
    d.sections[0].page_width = docx.shared.Inches(8.5)
    d.save(str(ref))
    return ref


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_export_passes_openxml_audit_strict(cli, tmp_path: Path, template: str) -> None:
    out = tmp_path / f"{template}.docx"
    r = cli("export", "--template", template, "--out", str(out))
    assert r.code == 0, r.err
    assert _errors(out) == []


def test_an_export_restyled_by_a_house_reference_passes_openxml_audit_strict(cli, tmp_path: Path) -> None:
    out = tmp_path / "house-styled.docx"
    r = cli("export", "--template", "full-briefing", "--out", str(out), "--reference-doc", str(_house(tmp_path)))
    assert r.code == 0, r.err
    assert _errors(out) == []


def test_the_validator_catches_what_it_is_here_for(cli, tmp_path: Path) -> None:
    # the class of fault of version 1: styles out of schema order, no theme part
    out = tmp_path / "b.docx"
    assert cli("export", "--sections", "risks", "--out", str(out)).code == 0
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(broken, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "word/styles.xml":
                data = data.replace(b"<w:unhideWhenUsed/><w:qFormat/>", b"<w:qFormat/><w:unhideWhenUsed/>", 1)
            if name != "word/theme/theme1.xml":
                dst.writestr(name, data)
    errors = _errors(broken)
    assert any("unhideWhenUsed" in e for e in errors) and any("theme" in e for e in errors)


def test_house_reference_keeps_japanese_settings_and_a_readable_table_header(cli, tmp_path: Path) -> None:
    out = tmp_path / "b.docx"
    r = cli("export", "--template", "full-briefing", "--out", str(out), "--reference-doc", str(_house(tmp_path)),
            "--no-page-numbers")
    assert r.code == 0, r.err
    styles = xml(out, "word/styles.xml")
    rpr = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert rpr.find("w:lang", NS).get(f"{{{W}}}eastAsia") == "ja-JP"
    assert rpr.find("w:rFonts", NS).get(f"{{{W}}}eastAsia") == "IPAexGothic"
    assert rpr.find("w:rFonts", NS).get(f"{{{W}}}eastAsiaTheme") is None
    assert styles.find("w:style[@w:styleId='Normal']/w:rPr/w:color", NS).get(f"{{{W}}}val") == "1F3864"
    heading = styles.xpath("w:style[w:name/@w:val='Table Heading']", namespaces=NS)[0]
    assert heading.find("w:rPr/w:color", NS).get(f"{{{W}}}val") == "FFFFFF"  # its own colour, not navy-on-navy
    assert _errors(out) == []


def test_a_macro_enabled_reference_is_refused_in_one_line(cli, tmp_path: Path) -> None:
    house = _house(tmp_path)
    docm = tmp_path / "house.docm"
    with zipfile.ZipFile(house) as src, zipfile.ZipFile(docm, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
            dst.writestr(name, data)
        dst.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really a macro")
    out = tmp_path / "b.docx"
    r = cli("export", "--out", str(out), "--reference-doc", str(docm))
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1 and "macro-enabled" in r.err
    assert "Traceback" not in r.err and not out.exists()


@pytest.mark.parametrize("content", [b"%PDF-1.4 not a word file", b"PK\x03\x04 truncated zip"])
def test_a_reference_that_is_not_a_docx_is_refused_in_one_line(cli, tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "house.docx"
    bad.write_bytes(content)
    out = tmp_path / "b.docx"
    r = cli("export", "--out", str(out), "--reference-doc", str(bad))
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1 and "not a .docx file" in r.err
    assert not out.exists()


def test_page_breaks_are_page_break_before_and_headings_keep_with_next(cli, tmp_path: Path) -> None:
    out = tmp_path / "b.docx"
    assert cli("export", "--template", "full-briefing", "--out", str(out)).code == 0
    body = part(out, "word/document.xml").decode()
    assert '<w:br w:type="page"/>' not in body
    root = xml(out, "word/document.xml")
    broken = root.xpath(".//w:p[w:pPr/w:pageBreakBefore]", namespaces=NS)
    texts = ["".join(p.itertext()) for p in broken]
    assert texts == ["Contents", "Appendix A. Sources cited"]  # after the cover, before the appendices
    def style(p) -> str | None:
        el = p.find("w:pPr/w:pStyle", NS) if p is not None else None
        return el.get(f"{{{W}}}val") if el is not None else None

    kept = 0
    for p in root.findall(".//w:p", NS):
        # headings, and a section's intro (the one right under its heading)
        if style(p) in ("Heading1", "TOCHeading") or (style(p) == "SectionIntro"
                                                      and style(p.getprevious()) == "Heading1"):
            assert p.find("w:pPr/w:keepNext", NS) is not None, "".join(p.itertext())
            kept += 1
    assert kept >= 10
    rows = root.findall(".//w:tbl/w:tr", NS)
    assert rows and all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
    headers = [r for r in rows if r.find("w:trPr/w:tblHeader", NS) is not None]
    assert len(headers) == len(root.findall(".//w:tbl", NS))  # one repeating header row a table


def test_compact_cover_title_has_its_own_spacing(cli, tmp_path: Path) -> None:
    out = tmp_path / "b.docx"
    assert cli("export", "--template", "one-page-brief", "--out", str(out)).code == 0
    root = xml(out, "word/document.xml")
    first = root.find(".//w:body/w:p", NS)
    if first.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") == "Marking":
        first = first.getnext()
    assert first.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") == "TitleCompact"
    style = xml(out, "word/styles.xml").find("w:style[@w:styleId='TitleCompact']", NS)
    assert style.find("w:pPr/w:spacing", NS).get(f"{{{W}}}before") == "0"  # the full cover's Title drops 2400


def test_typographic_quotes_throughout(cli, tmp_path: Path) -> None:
    out = tmp_path / "b.docx"
    assert cli("export", "--template", "full-briefing", "--out", str(out)).code == 0
    for name in ("word/document.xml", "word/footnotes.xml", "docProps/core.xml"):
        text = "".join(xml(out, name).itertext())
        assert "'" not in text and '"' not in text, name
        assert "\u2019" in text
    html = tmp_path / "b.html"
    assert cli("export", "--template", "full-briefing", "--out", str(html)).code == 0
    import re

    visible = re.sub(r"<[^>]*>", "", html.read_text(encoding="utf-8").split("</style>", 1)[1])
    assert "'" not in visible and "&#x27;" not in visible and "&quot;" not in visible


def test_japanese_cells_in_html_carry_lang_ja(cli, tmp_path: Path) -> None:
    out = tmp_path / "b.html"
    assert cli("export", "--template", "full-briefing", "--out", str(out)).code == 0
    page = out.read_text(encoding="utf-8")
    assert '<td lang="ja">石破茂</td>' in page
    assert '<td lang="ja">Shigeru Ishiba</td>' not in page


@pytest.mark.skipif(shutil.which("localedef") is None, reason="no localedef to build a French locale")
def test_dates_never_follow_the_desktop_locale(tmp_path: Path) -> None:
    """Qt's QApplication calls setlocale(LC_ALL, ""): on a French desktop strftime("%B") says "septembre"."""
    import subprocess
    import sys

    loc = tmp_path / "locales"
    loc.mkdir()
    made = subprocess.run(["localedef", "-i", "fr_FR", "-f", "UTF-8", str(loc / "fr_FR.UTF-8")],
                          capture_output=True, text=True)
    assert (loc / "fr_FR.UTF-8").exists(), made.stderr
    code = (
        "import locale, datetime\n"
        "locale.setlocale(locale.LC_ALL, '')\n"  # what Qt does when the window starts
        "from briefer.domain.document import format_date\n"
        "from briefer.domain.dates import find_dates\n"
        "d = datetime.date(2025, 9, 13)\n"
        "print(d.strftime('%B'))\n"
        "print(format_date(d))\n"
        "print(find_dates('on 13 September 2025')[0].label)\n"
    )
    env = {"LOCPATH": str(loc), "LC_ALL": "fr_FR.UTF-8", "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    french, ours, label = r.stdout.splitlines()
    assert french == "septembre"  # the locale took effect: this test can fail
    assert ours == "13 September 2025" and label == "13 September 2025"
