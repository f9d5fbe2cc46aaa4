"""The window at 800 x 600 (the offscreen screen; a small laptop's): the preview keeps a usable width,
and no button is cut off -- the library's and the briefing's button rows wrap instead of holding the
splitter (briefer/ui/button_row.py), and the default split gives the preview its room."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QAbstractButton, QApplication, QPushButton
from window_support import open_window, shut_windows  # noqa: F401

#: the narrowest preview a reader can read a page in (a line of the printed text at the preview's scale)
USABLE = 280


def _clipped(window) -> list[str]:  # noqa: ANN001
    """The visible buttons smaller than they need (squeezed), or running past the side of a pane that
    holds them (a panel that scrolls up and down may hide one below its fold: it is not cut)."""
    out = []
    for b in window.findChildren(QAbstractButton):
        if not b.isVisible() or not b.text():
            continue
        need = b.minimumSizeHint() if not isinstance(b, QPushButton) else b.sizeHint()
        if b.width() < need.width() or b.height() < need.height():
            out.append(f"{b.text()!r} is {b.width()}x{b.height()} of {need.width()}x{need.height()}")
            continue
        # across, it lies within every widget that holds it (up and down, a scrolled panel may hide it)
        left = b.mapToGlobal(QPoint(0, 0)).x()
        holder = b.parentWidget()
        while holder is not None:
            start = holder.mapToGlobal(QPoint(0, 0)).x()
            if left < start or left + b.width() > start + holder.width():
                out.append(f"{b.text()!r} runs past {type(holder).__name__} ({left}..{left + b.width()} "
                           f"in {start}..{start + holder.width()})")
                break
            holder = holder.parentWidget()
    return out


def _settle(qtbot) -> None:  # noqa: ANN001
    QApplication.processEvents()
    qtbot.wait(100)
    QApplication.processEvents()


def test_the_preview_keeps_a_usable_width_at_800_by_600(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    w.resize(800, 600)
    _settle(qtbot)
    assert w.preview.width() >= USABLE, w.splitter.sizes()
    assert not _clipped(w)
    # with a briefing in the outline, and a fact of it open in the editor (its Revert / Apply row)
    create = next(b for b in w.findChildren(QPushButton) if b.text().startswith("Create &briefing"))
    create.click()
    qtbot.waitUntil(lambda: w.doc is not None and bool(w.doc.briefing.sections), timeout=20000)
    w.composer.select(0, 0)
    _settle(qtbot)
    assert w.composer.detail.currentIndex() == 2  # the fact editor
    assert w.preview.width() >= USABLE, w.splitter.sizes()
    assert not _clipped(w)
    assert w.composer.revert_button.isVisible() and w.composer.apply_wording.isVisible()
    # a width the user drags to is kept through a resize
    w.splitter.moveSplitter(w.splitter.sizes()[0] + 40, 1)
    dragged = w.splitter.sizes()
    w.resize(790, 600)
    _settle(qtbot)
    assert w.splitter.sizes()[0] >= dragged[0] - 12


def test_at_800_px_the_filters_button_gives_the_search_field_its_room(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    """A library 222 px wide left "Search f…" to type in: the Filters button keeps its icon (and the count
    of filters on) without the word, and takes the word back when the window is wide again."""
    from PySide6.QtWidgets import QToolButton

    w = open_window(qtbot, data_dir)
    lib = w.library
    w.resize(800, 600)
    _settle(qtbot)
    chars = lib.search.width() / lib.search.fontMetrics().averageCharWidth()
    assert chars >= lib.SEARCH_ROOM_CHARS, (lib.search.width(), lib.width())
    assert lib.filter_button.text() == "" and lib.filter_button.toolButtonStyle() == \
        lib.filter_button.toolButtonStyle().ToolButtonIconOnly
    assert lib.filter_button.accessibleName() == "Show filters" and lib.filter_button.toolTip()
    # a filter on: its count shows beside the icon, and nothing is cut
    lib.filter_button.click()
    lib.status_combo.setCurrentIndex(lib.status_combo.findData("disputed"))
    lib.filter_button.click()
    _settle(qtbot)
    assert lib.filter_button.text() == "(1)" and lib.filter_button.font().bold()
    assert lib.filter_button.width() >= lib.filter_button.sizeHint().width()
    assert isinstance(lib.filter_button, QToolButton) and not _clipped(w)
    # wide again: the word is back
    w.resize(1440, 900)
    _settle(qtbot)
    assert lib.filter_button.text() == "Filters (1)"
    lib.widen()
    _settle(qtbot)
    assert lib.filter_button.text() == "Filters"
