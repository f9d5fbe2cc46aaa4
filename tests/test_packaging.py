"""Packaging and desktop integration: the desktop entry, AppStream metainfo and
MIME type are valid and agree with each other; the icons are generated from the
SVG at the right sizes and the .ico/.icns open in Qt; the version has one
source; install-desktop.sh installs and removes exactly its files, from a
source checkout and from the bundle layout; the bundle's smoke-test hook
closes a real window cleanly."""

from __future__ import annotations

import configparser
import importlib.metadata
import os
import re
import shutil
import stat
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import briefer
from briefer import __version__

REPO = Path(__file__).resolve().parents[1]
LINUX = REPO / "packaging" / "linux"
ICONS = REPO / "resources" / "icons"
APP_ID = "io.briefer.Briefer"
MIME = "application/x-briefer-briefing"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
MIME_XML = LINUX / f"{APP_ID}.xml"
INSTALL = LINUX / "install-desktop.sh"
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)

sys.path.insert(0, str(REPO / "packaging"))
import make_icons  # noqa: E402

sys.path.pop(0)


def _desktop(path: Path) -> dict[str, str]:
    parser = configparser.RawConfigParser(delimiters=("=",), interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


# -- metadata files ------------------------------------------------------------------------


def test_desktop_entry_says_what_a_menu_needs() -> None:
    entry = _desktop(DESKTOP)
    assert entry["Type"] == "Application" and entry["Name"] == "Briefer"
    assert entry["Icon"] == APP_ID
    assert entry["Exec"] == "briefer gui %f"  # install-desktop.sh puts the real path in
    assert entry["Terminal"] == "false"
    assert MIME in entry["MimeType"].split(";")
    assert "Office" in entry["Categories"].split(";")


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate is not installed (Debian package desktop-file-utils)")
def test_desktop_entry_passes_desktop_file_validate() -> None:
    p = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert p.returncode == 0 and p.stdout.strip() == "", p.stdout + p.stderr


def test_metainfo_agrees_with_the_desktop_entry_mime_type_and_version() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "MIT"
    assert root.findtext("provides/mediatype") == MIME
    assert root.findtext("provides/binary") == "briefer"
    releases = root.findall("releases/release")
    assert releases, "no release listed"
    # the newest release listed is this version: bumping __version__ needs release notes here
    assert releases[0].get("version") == __version__


@pytest.mark.skipif(shutil.which("appstreamcli") is None,
                    reason="appstreamcli is not installed (Debian package appstream)")
def test_metainfo_passes_appstreamcli_validate() -> None:
    p = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "E:" not in p.stdout and "W:" not in p.stdout, p.stdout


def test_mime_type_claims_briefing_files_only() -> None:
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    root = ET.parse(MIME_XML).getroot()
    types = root.findall("m:mime-type", ns)
    assert [t.get("type") for t in types] == [MIME]
    t = types[0]
    assert [g.get("pattern") for g in t.findall("m:glob", ns)] == ["*.briefing.json"]
    assert t.find("m:sub-class-of", ns).get("type") == "application/json"  # type: ignore[union-attr]
    assert t.findtext("m:comment", namespaces=ns)


# -- icons ------------------------------------------------------------------------------------


def test_hicolor_icons_exist_at_every_size_and_are_up_to_date() -> None:
    for size in HICOLOR_SIZES:
        png = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png.is_file(), f"missing {png} (run 'make icons')"
        assert _png_size(png.read_bytes()) == (size, size)
    scalable = ICONS / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == (ICONS / "briefer.svg").read_bytes(), "icons are stale: run 'make icons'"


@pytest.mark.parametrize("size", [16, 48, 256])
def test_committed_pngs_are_renderings_of_the_svg(qapp, size: int) -> None:
    from PySide6.QtGui import QImage

    fresh = QImage.fromData(make_icons.render_png(ICONS / "briefer.svg", size))
    committed = QImage(str(ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
    assert fresh.size() == committed.size()
    fresh = fresh.convertToFormat(QImage.Format.Format_RGBA8888)
    committed = committed.convertToFormat(QImage.Format.Format_RGBA8888)
    a, b = bytes(fresh.constBits()), bytes(committed.constBits())  # type: ignore[call-overload]
    diff = sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)
    assert diff < 2.0, f"{size}px icon differs from the SVG (mean {diff:.1f}/255): run 'make icons'"
    opaque = sum(1 for i in range(3, len(a), 4) if a[i] > 200)
    assert opaque > size * size // 4, "the icon is mostly empty"


def _reader_sizes(path: Path) -> list[int]:
    from PySide6.QtGui import QImageReader

    reader = QImageReader(str(path))
    assert reader.canRead(), f"Qt cannot read {path}: {reader.errorString()}"
    sizes = []
    for i in range(reader.imageCount()):
        assert reader.jumpToImage(i)
        image = reader.read()
        assert not image.isNull(), reader.errorString()
        assert image.width() == image.height()
        sizes.append(image.width())
    return sizes


def test_ico_and_icns_are_readable_by_qt(qapp) -> None:
    assert sorted(_reader_sizes(ICONS / "briefer.ico")) == sorted(make_icons.ICO_SIZES)
    assert _reader_sizes(ICONS / "briefer.icns") == [size for _kind, size in make_icons.ICNS_TYPES]


def test_icon_writers_produce_well_formed_containers(qapp) -> None:
    pngs = {s: make_icons.render_png(ICONS / "briefer.svg", s) for s in (16, 256)}
    ico = make_icons.ico_bytes(pngs)
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, 2)
    w, h, _c, _r, _p, bpp, length, offset = struct.unpack("<BBBBHHII", ico[6 + 16: 6 + 32])
    assert (w, h, bpp) == (0, 0, 32)  # 0 stands for 256
    assert ico[offset: offset + length] == pngs[256]
    icns = make_icons.icns_bytes({b"icp4": pngs[16], b"ic08": pngs[256]})
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    assert icns[8:12] == b"icp4" and struct.unpack(">I", icns[12:16])[0] == 8 + len(pngs[16])


def test_make_icons_writes_everything_to_another_folder(qapp, tmp_path: Path) -> None:
    written = make_icons.build(ICONS / "briefer.svg", tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in written}
    assert {"briefer.ico", "briefer.icns", f"hicolor/scalable/apps/{APP_ID}.svg"} <= names
    assert all(f"hicolor/{s}x{s}/apps/{APP_ID}.png" in names for s in HICOLOR_SIZES)
    assert not list(tmp_path.rglob("*.part"))


# -- one version ---------------------------------------------------------------------------------


def test_version_has_a_single_source(qapp, briefer_proc) -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+([ab]|rc)?\d*", __version__)
    r = briefer_proc("--version")
    assert r.code == 0 and r.out.strip() == f"briefer {__version__}"
    assert importlib.metadata.version("briefer") == __version__, "reinstall: pip install -e ."
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'version = { attr = "briefer.__version__" }' in pyproject
    spec = (REPO / "packaging" / "briefer.spec").read_text(encoding="utf-8")
    assert '"briefer" / "__init__.py"' in spec and __version__ not in spec, "the spec must read the version"
    from PySide6.QtWidgets import QLabel

    from briefer.ui.dialogs.about import AboutDialog

    about = AboutDialog()
    try:
        labels = [w.text() for w in about.findChildren(QLabel)]
        assert any(f"Briefer {__version__}" in t for t in labels), labels
        assert __version__ in about.licences.toPlainText()
    finally:
        about.deleteLater()


def test_spec_bundles_resources_seeds_and_python_docx_parts() -> None:
    spec = (REPO / "packaging" / "briefer.spec").read_text(encoding="utf-8")
    compile(spec, "briefer.spec", "exec")
    assert '(str(REPO / "resources"), "resources")' in spec
    assert '(str(REPO / "seeds"), "seeds")' in spec
    assert '"parts" / "__init__.py"), "docx/parts")' in spec
    assert 'collect_data_files("docx")' in spec
    assert "briefer.ico" in spec and "briefer.icns" in spec


# -- install-desktop.sh ----------------------------------------------------------------------------


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local/share"), XDG_CONFIG_HOME=str(home / ".config"))
    return env


def _installed(home: Path) -> list[str]:
    return sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.is_file())


def _mime_of(path: Path, home: Path) -> str:
    """The MIME type Qt gives ``path`` with the user's installed types (a fresh process: Qt caches them)."""
    env = _env(home)
    env["XDG_DATA_DIRS"] = "/usr/local/share:/usr/share"
    code = ("import sys; from PySide6.QtCore import QCoreApplication, QMimeDatabase; "
            "app = QCoreApplication([]); print(QMimeDatabase().mimeTypeForFile(sys.argv[1]).name())")
    p = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env, timeout=60)
    return p.stdout.strip()


def _run_install(script: Path, action: str, home: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(script), action], capture_output=True, text=True,
                          env={**_env(home), **extra}, timeout=120)


def test_install_desktop_from_the_source_checkout(tmp_path: Path) -> None:
    home = tmp_path / "user"
    home.mkdir()
    p = _run_install(INSTALL, "install", home)
    assert p.returncode == 0, p.stderr
    share = home / ".local/share"
    entry_path = share / "applications" / f"{APP_ID}.desktop"
    entry = _desktop(entry_path)
    exe = REPO / ".venv" / "bin" / "briefer"
    assert entry["Exec"] == f"{exe} gui %f" and entry["TryExec"] == str(exe)
    for size in HICOLOR_SIZES:
        assert (share / f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png").is_file()
        assert (share / f"icons/hicolor/{size}x{size}/mimetypes/application-x-briefer-briefing.png").is_file()
    assert (share / f"icons/hicolor/scalable/apps/{APP_ID}.svg").is_file()
    assert (share / f"metainfo/{APP_ID}.metainfo.xml").is_file()
    assert (share / f"mime/packages/{APP_ID}.xml").is_file()
    mimeapps = (home / ".config" / "mimeapps.list").read_text()
    assert f"{MIME}={APP_ID}.desktop" in mimeapps
    if shutil.which("desktop-file-validate"):
        v = subprocess.run(["desktop-file-validate", str(entry_path)], capture_output=True, text=True)
        assert v.returncode == 0, v.stdout
    if shutil.which("update-mime-database"):
        briefing = tmp_path / "minister.briefing.json"
        briefing.write_text('{"schema_version": 1}')
        assert _mime_of(briefing, home) == MIME
        plain = tmp_path / "other.json"
        plain.write_text("{}")
        assert _mime_of(plain, home) == "application/json"

    again = _run_install(INSTALL, "install", home)  # installing twice is harmless
    assert again.returncode == 0 and mimeapps == (home / ".config" / "mimeapps.list").read_text()

    p = _run_install(INSTALL, "uninstall", home)
    assert p.returncode == 0, p.stderr
    left = [f for f in _installed(home) if APP_ID in f or "briefer" in f.lower()]
    assert left == []
    assert MIME not in (home / ".config" / "mimeapps.list").read_text()
    if shutil.which("update-mime-database"):
        assert _mime_of(briefing, home) == "application/json"


def _fake_bundle(root: Path) -> Path:
    """The layout PyInstaller makes (dist/briefer/), with a stand-in program."""
    bundle = root / "Briefer app" / "briefer"
    internal = bundle / "_internal"
    shutil.copytree(REPO / "resources" / "icons", internal / "resources" / "icons")
    shutil.copytree(LINUX, internal / "packaging" / "linux")
    shutil.copy2(INSTALL, bundle / "install-desktop.sh")
    exe = bundle / "briefer"
    exe.write_text("#!/bin/sh\necho briefer 0\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return bundle


def test_install_desktop_from_the_bundle_quotes_a_path_with_spaces(tmp_path: Path) -> None:
    bundle = _fake_bundle(tmp_path)
    home = tmp_path / "user"
    home.mkdir()
    p = _run_install(bundle / "install-desktop.sh", "install", home)
    assert p.returncode == 0, p.stderr
    entry_path = home / ".local/share/applications" / f"{APP_ID}.desktop"
    entry = _desktop(entry_path)
    assert entry["Exec"] == f'"{bundle}/briefer" gui %f'
    assert entry["TryExec"] == f"{bundle}/briefer"
    if shutil.which("desktop-file-validate"):
        v = subprocess.run(["desktop-file-validate", str(entry_path)], capture_output=True, text=True)
        assert v.returncode == 0, v.stdout
    assert _run_install(bundle / "install-desktop.sh", "uninstall", home).returncode == 0
    assert not entry_path.exists()


def test_exec_key_escapes_reserved_characters(tmp_path: Path) -> None:
    odd = tmp_path / 'we$ird "name"'
    odd.mkdir()
    exe = odd / "briefer"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    home = tmp_path / "user"
    home.mkdir()
    p = _run_install(INSTALL, "install", home, BRIEFER_EXEC=str(exe))
    assert p.returncode == 0, p.stderr
    raw = (home / ".local/share/applications" / f"{APP_ID}.desktop").read_text()
    exec_line = next(line for line in raw.splitlines() if line.startswith("Exec="))
    # the spec: inside quotes, $ and " take a backslash, and the string value doubles every backslash
    assert exec_line == f'Exec="{tmp_path}/we\\\\$ird \\\\"name\\\\"/briefer" gui %f'


def test_install_desktop_explains_a_missing_program(tmp_path: Path) -> None:
    home = tmp_path / "user"
    home.mkdir()
    p = _run_install(INSTALL, "install", home, BRIEFER_EXEC=str(tmp_path / "nope"))
    assert p.returncode == 2 and "not an executable program" in p.stderr
    assert not (home / ".local").exists()
    p = _run_install(INSTALL, "bogus", home)
    assert p.returncode == 2 and "usage" in p.stderr


# -- the bundle's smoke-test hook, run from source ------------------------------------------------------


def test_smoke_quit_hook_closes_a_real_window_cleanly(tmp_path: Path) -> None:
    shot = tmp_path / "window.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BRIEFER_SMOKE_QUIT_MS": "1500",
           "BRIEFER_SMOKE_SHOT": str(shot)}
    p = subprocess.run([sys.executable, str(REPO / "packaging" / "briefer_main.py"), "--data-dir",
                        str(tmp_path / "data"), "gui"], capture_output=True, text=True, env=env, timeout=120,
                       cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "briefer-smoke: visible windows: MainWindow" in p.stderr
    assert "Traceback" not in p.stderr
    assert _png_size(shot.read_bytes())[0] >= 800
    assert (tmp_path / "data" / "briefer.sqlite3").is_file()


def test_entry_point_without_the_variable_is_the_plain_cli(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "BRIEFER_SMOKE_QUIT_MS"}
    p = subprocess.run([sys.executable, str(REPO / "packaging" / "briefer_main.py"), "--version"],
                       capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path)
    assert p.returncode == 0 and p.stdout.strip() == f"briefer {__version__}"
    assert Path(briefer.__file__).resolve().parent.parent == REPO
