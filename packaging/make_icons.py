"""Render Briefer's application icon from its SVG source (``make icons``).

Writes, under ``resources/icons/``:

- ``hicolor/<N>x<N>/apps/io.briefer.Briefer.png`` for the freedesktop icon theme,
  and ``hicolor/scalable/apps/io.briefer.Briefer.svg`` (a copy of the source);
- ``briefer.ico`` (Windows: PNG-compressed entries, 16-256 px);
- ``briefer.icns`` (macOS: PNG entries, 16-1024 px including the @2x sizes).

Both container formats are simple (a directory of PNG images), so they are
written here rather than with a platform tool that exists only on Windows or
macOS.  Rendering uses QtSvg; run it with ``QT_QPA_PLATFORM=offscreen``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ICONS = REPO / "resources" / "icons"
SOURCE = ICONS / "briefer.svg"
APP_ID = "io.briefer.Briefer"

#: hicolor sizes (the freedesktop icon theme spec's usual set)
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
#: sizes in the Windows .ico (Explorer picks among these; 256 is the largest it uses)
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
#: macOS icns element types holding PNG data, and their pixel sizes
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256), (b"ic09", 512),
    (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512),
)


def render_png(svg: Path, size: int) -> bytes:
    """The SVG rendered to a ``size`` x ``size`` PNG with a transparent background."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:
        render_png.app = QGuiApplication([sys.argv[0]])  # type: ignore[attr-defined]
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG file")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    return bytes(data.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """A Windows .ico holding each PNG as one entry (PNG entries are valid since Windows Vista)."""
    sizes = sorted(images)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries = b""
    body = b""
    for size in sizes:
        png = images[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset)
        body += png
        offset += len(png)
    return header + entries + body


def icns_bytes(images: dict[bytes, bytes]) -> bytes:
    """A macOS .icns: ``icns`` + total length, then (type, length, PNG) elements."""
    body = b""
    for kind, png in images.items():
        body += kind + struct.pack(">I", 8 + len(png)) + png
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def build(source: Path = SOURCE, out: Path = ICONS) -> list[Path]:
    cache: dict[int, bytes] = {}

    def png(size: int) -> bytes:
        if size not in cache:
            cache[size] = render_png(source, size)
        return cache[size]

    written = []
    hicolor = out / "hicolor"
    for size in HICOLOR_SIZES:
        path = hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        _write(path, png(size))
        written.append(path)
    scalable = hicolor / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, scalable)
    written.append(scalable)
    ico = out / "briefer.ico"
    _write(ico, ico_bytes({s: png(s) for s in ICO_SIZES}))
    icns = out / "briefer.icns"
    _write(icns, icns_bytes({kind: png(size) for kind, size in ICNS_TYPES}))
    written += [ico, icns]
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="the SVG to render (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=ICONS, help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)
    for path in build(args.source, args.out):
        print(path.relative_to(args.out.parent) if path.is_relative_to(args.out.parent) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
