"""The window's SVG icons: drawn at the size asked for, in the palette's text colour (or their own),
fainter when disabled, and the same pixels as Qt's SVG renderer draws."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QPoint, QRect, QSize
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from briefer.ui import icons

NAMES = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "resources" / "icons" / "ui").glob("*.svg"))


def _ink(img: QImage) -> tuple[int, QRect, set[str]]:
    """How many pixels are drawn, the box around them, and their colours (opaque ones, as #rrggbb)."""
    n, box, colours = 0, QRect(), set()
    for y in range(img.height()):
        for x in range(img.width()):
            c = img.pixelColor(x, y)
            if c.alpha():
                n += 1
                box = box.united(QRect(x, y, 1, 1))
                if c.alpha() == 255:
                    colours.add(c.name())
    return n, box, colours


def _reference(engine: icons._SvgEngine, mode: QIcon.Mode, size: QSize) -> QImage:
    svg = engine._svg(mode, QSize(24, 24))
    assert svg is not None
    pm = QPixmap(size)
    pm.fill(QColor(0, 0, 0, 0))
    p = QPainter(pm)
    QSvgRenderer(QByteArray(svg)).render(p, QRect(QPoint(0, 0), size))
    p.end()
    return pm.toImage()


def test_the_icons_are_found() -> None:
    assert len(NAMES) >= 30 and {"add", "status-current", "status-disputed"} <= set(NAMES)


@pytest.mark.parametrize("px", [16, 24, 48])
def test_every_icon_is_drawn_at_the_size_asked_as_qts_renderer_draws_it(qapp: QApplication, px: int) -> None:
    size = QSize(px, px)
    for name in NAMES:
        engine = icons._SvgEngine(name)
        img = engine.pixmap(size, QIcon.Mode.Normal, QIcon.State.Off).toImage()
        assert img.size() == size, name
        n, box, _ = _ink(img)
        # a drawing across the icon, not a 24 px one in a corner of a 48 px square
        assert n > px and box.width() > px // 2 and box.height() > px // 2, (name, px, box)
        assert img == _reference(engine, QIcon.Mode.Normal, size).convertToFormat(img.format()), (name, px)


def test_icons_take_the_palettes_text_colour_or_their_own_and_fade_when_disabled(qapp: QApplication) -> None:
    text = QApplication.palette().windowText().color().name()
    size = QSize(24, 24)
    plain = icons._SvgEngine("add").pixmap(size, QIcon.Mode.Normal, QIcon.State.Off).toImage()
    assert _ink(plain)[2] == {text}
    own = icons._SvgEngine("add", QColor("#b45309")).pixmap(size, QIcon.Mode.Normal, QIcon.State.Off).toImage()
    assert _ink(own)[2] == {"#b45309"}
    faded = icons._SvgEngine("add", QColor("#b45309")).pixmap(size, QIcon.Mode.Disabled, QIcon.State.Off).toImage()
    assert _ink(faded)[2] == set()  # no pixel fully opaque
    assert max(faded.pixelColor(x, y).alpha() for y in range(24) for x in range(24)) <= 0.45 * 255


def test_an_icon_paints_sharp_at_twice_the_pixels(qapp: QApplication) -> None:
    pm = icons.icon("add").pixmap(QSize(24, 24), 2.0)
    assert pm.size() == QSize(48, 48) and pm.devicePixelRatio() == 2.0


def test_a_missing_icon_is_null_and_a_broken_one_is_blank(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    assert icons.icon("no-such-icon").isNull()
    monkeypatch.setattr(icons, "_svg_text", lambda name: "<svg this is not SVG")
    pm = icons._SvgEngine("add").pixmap(QSize(20, 20), QIcon.Mode.Normal, QIcon.State.Off)
    assert pm.size() == QSize(20, 20) and _ink(pm.toImage())[0] == 0


def test_sizing_rewrites_only_the_root_elements_size() -> None:
    svg = ('<?xml version="1.0"?>\n<svg xmlns="x" width="24" height="24" viewBox="0 0 24 24">'
           '<rect width="3" height="4"/></svg>')
    out = icons._sized(svg, QSize(40, 30), ' opacity="0.40"')
    assert out == ('<?xml version="1.0"?>\n<svg width="40" height="30" opacity="0.40" xmlns="x" viewBox="0 0 24 24">'
                   '<rect width="3" height="4"/></svg>')
    assert icons._sized("no svg here", QSize(1, 1)) == "no svg here"
