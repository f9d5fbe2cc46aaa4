"""SVG action icons, drawn in the palette's text colour so they read in light
and dark themes alike, and rendered at whatever size and pixel ratio Qt asks
for (sharp on high-DPI screens)."""

from __future__ import annotations

import re
from functools import cache

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

from briefer import resources


@cache
def _svg_text(name: str) -> str | None:
    try:
        path = resources.resource("icons", "ui", f"{name}.svg")
        return path.read_text(encoding="utf-8")
    except (OSError, FileNotFoundError):
        return None


class _SvgEngine(QIconEngine):
    def __init__(self, name: str, color: QColor | None = None) -> None:
        super().__init__()
        self._name = name
        self._color = color
        self._cache: dict[tuple[int, int, int, str], QPixmap] = {}

    def _svg(self, mode: QIcon.Mode, size: QSize) -> bytes | None:
        """The icon's SVG in the colour for ``mode``, sized ``size`` in pixels (the drawing scales to it
        through its viewBox)."""
        text = _svg_text(self._name)
        if text is None:
            return None
        pal = QApplication.palette() if QApplication.instance() else QPalette()
        if self._color is not None:
            color = QColor.fromRgba(self._color.rgba())  # (QColor(QColor) would build Qt's namespace: below)
            if mode == QIcon.Mode.Disabled:
                color.setAlphaF(0.4)
        else:
            group = QPalette.ColorGroup.Disabled if mode == QIcon.Mode.Disabled else QPalette.ColorGroup.Active
            color = pal.color(group, QPalette.ColorRole.WindowText)
        svg = text.replace("currentColor", color.name(QColor.NameFormat.HexRgb))
        extra = f' opacity="{color.alphaF():.2f}"' if color.alpha() < 255 else ""  # SVG colours carry no alpha
        return _sized(svg, size, extra).encode("utf-8")

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        dpr = _device_ratio(painter)
        size = QSize(max(1, round(rect.width() * dpr)), max(1, round(rect.height() * dpr)))
        pm = self.pixmap(size, mode, state)
        pm.setDevicePixelRatio(dpr)
        painter.drawPixmap(rect, pm)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        # rendered once per size, mode and palette (list views ask for it on every paint)
        pal = QApplication.palette() if QApplication.instance() else QPalette()
        key = (size.width(), size.height(), int(mode.value), pal.color(QPalette.ColorRole.WindowText).name())
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        # read by Qt's SVG image reader (the qsvg plugin, Qt's SVG renderer), not by a QSvgRenderer made
        # here: the binding's QSvgRenderer builds QXmlStreamReader's enums for its overloads, and its
        # module is one more to load before the window's first icons
        pm = QPixmap()
        svg = self._svg(mode, size)
        if svg is None or not pm.loadFromData(svg, "SVG") or pm.size() != size:
            pm = QPixmap(size)
            pm.fill(_TRANSPARENT)
        self._cache[key] = pm
        return pm

    def clone(self) -> QIconEngine:
        return _SvgEngine(self._name, self._color)


_ROOT_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')


def _sized(svg: str, size: QSize, extra: str = "") -> str:
    """``svg`` with its root element ``size`` pixels wide and high (its viewBox keeps the drawing's
    coordinates), and ``extra`` attributes on it."""
    start = svg.find("<svg")
    end = svg.find(">", start)
    if start < 0 or end < 0:
        return svg
    root = _ROOT_SIZE.sub("", svg[start + 4:end])
    return f'{svg[:start]}<svg width="{size.width()}" height="{size.height()}"{extra}{root}{svg[end:]}'


def _device_ratio(painter: QPainter) -> float:
    """The pixel ratio of the device ``painter`` paints on.  With every screen at one ratio (one screen,
    or the offscreen platform) that is the screens' ratio, read without ``painter.device()``: that returns
    a ``QPaintDevice *`` that is most often a widget Qt made itself (the search box's icon button), and
    the binding then searches every widget class for its type, building ~50 Python classes and their
    enums (~50 M instructions, once) on the way to the window's first icons.  Screens at several ratios:
    asked of the device, as Qt's own SVG icon engine does."""
    screens = QGuiApplication.screens()
    ratios = {s.devicePixelRatio() for s in screens}
    if len(ratios) == 1:
        return float(ratios.pop())
    device = painter.device()
    return float(device.devicePixelRatioF()) if device is not None else 1.0


#: Qt.GlobalColor.transparent.  The binding picks among QColor's and fill()'s overloads by trying each
#: argument against each, and one of them takes a Qt.GlobalColor: a QColor(QColor) or a fill() with a
#: member of Qt's namespace would build the ~95 enums of that namespace on the way to the first icons
_TRANSPARENT = QColor(0, 0, 0, 0)


def icon(name: str, color: QColor | str | None = None) -> QIcon:
    """The action icon ``resources/icons/ui/<name>.svg`` (a null icon if missing)."""
    if _svg_text(name) is None:
        return QIcon()
    return QIcon(_SvgEngine(name, QColor(color) if color is not None else None))


#: status -> (icon name, label, colour used *with* the icon and text, never alone)
STATUS_LOOK = {
    "current": ("status-current", "Current", None),
    "disputed": ("status-disputed", "Disputed", "#b45309"),
    "superseded": ("status-superseded", "Superseded", "#6b7280"),
    "stale": ("status-stale", "Stale", "#1d4ed8"),
    "missing": ("status-missing", "Missing from store", "#b91c1c"),
    "conflict": ("conflicts", "Conflict", "#b45309"),
}


@cache
def status_icon(status: str) -> QIcon:
    name, _label, color = STATUS_LOOK.get(status, STATUS_LOOK["current"])
    return icon(name, color)


def app_icon() -> QIcon:
    try:
        path = resources.resource("icons", "briefer.svg")
    except FileNotFoundError:
        return QIcon()
    return QIcon(str(path)) if path.exists() else QIcon()
