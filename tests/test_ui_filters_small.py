"""The library's filter panel at small heights (issue 14 review): at 1024×640 it covered the section
tree and all but two rows of the fact list while the analyst changed a filter; now its fields go into
two columns there, so at least four result rows stay in sight, and it is the labelled form where the
library is tall."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from window_support import open_window, shut_windows  # noqa: F401 - shut_windows: autouse

from briefer.ui.models.library import SectionIdRole
from briefer.ui.panes.library_filters import KEEP_ROWS


def _open_filters(qtbot, w, size: tuple[int, int]):  # noqa: ANN001, ANN202
    w.resize(*size)
    qtbot.waitUntil(lambda: w.library.fact_model.rowCount() > 20, timeout=20000)
    qtbot.wait(50)
    lib = w.library
    if not lib.filter_button.isChecked():
        lib.filter_button.click()
    assert lib.filters.isVisible()
    return lib


def _rows_in_sight(lib) -> float:  # noqa: ANN001
    """How many fact rows' height of the list's viewport is left in sight below the open panel."""
    vp = lib.facts.viewport()
    top = vp.mapTo(lib, QPoint(0, 0)).y()
    shown = top + vp.height() - max(top, lib.filters.geometry().bottom() + 1)
    return shown / lib.facts.sizeHintForRow(0)


def _fields(lib) -> list:  # noqa: ANN001
    return [lib.section_combo, lib.source_combo, lib.status_combo, lib.reliability_combo, lib.tag_combo,
            lib.date_from_check, lib.date_from, lib.date_to_check, lib.date_to, lib.reset_filters_button]


def _all_fields_whole(lib) -> None:  # noqa: ANN001
    inside = lib.filters.rect()
    for field in _fields(lib):
        assert field.isVisible(), field.accessibleName()
        at = QRect(field.mapTo(lib.filters, QPoint(0, 0)), field.size())
        assert inside.contains(at), field.accessibleName()
    # a date edit, a check box and a button are cut, not elided, when narrower than they need (a combo
    # elides its current text: it may be narrower)
    for field in _fields(lib)[5:]:
        assert field.width() >= field.minimumSizeHint().width(), field.accessibleName() or field.text()


def test_at_1024x640_open_filters_leave_four_result_rows_in_sight(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    lib = _open_filters(qtbot, w, (1024, 640))
    assert _rows_in_sight(lib) >= KEEP_ROWS == 4  # was 0.45: half a row peeked out
    _all_fields_whole(lib)
    # changing a filter with the panel open: the list changes in sight, the panel stays
    lib.status_combo.setCurrentIndex(lib.status_combo.findData("disputed"))
    qtbot.waitUntil(lambda: lib.last_result.query.filters.get("status") == "disputed", timeout=5000)
    assert lib.filters.isVisible()
    assert _rows_in_sight(lib) >= min(4, lib.fact_model.rowCount())
    # the fields say what they are without their labels; the names stay for a screen reader
    assert [lib.section_combo.currentText(), lib.source_combo.currentText(), lib.tag_combo.currentText()] == [
        "All sections", "Any source", "Any tag"]
    assert lib.status_combo.accessibleName() == "Status filter"
    lib.status_combo.setCurrentIndex(0)
    # the labels' Alt shortcuts still go to their fields
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)
    lib.section_combo.setFocus()
    qtbot.keyClick(lib.section_combo, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert lib.window().focusWidget() is lib.reliability_combo, lib.window().focusWidget().accessibleName()
    qtbot.keyClick(lib.filters, Qt.Key.Key_Escape)
    assert not lib.filters.isVisible()


def test_where_the_library_is_tall_the_filters_are_the_labelled_form(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    lib = _open_filters(qtbot, w, (1440, 900))
    labels = {label.text() for label, _ in lib.filter_layout.fields if label.isVisible()}
    assert labels == {"&Section:", "So&urce:", "S&tatus:", "&Reliability:", "Ta&g:"}
    _all_fields_whole(lib)
    assert _rows_in_sight(lib) >= KEEP_ROWS
    # from tall to short and back while open
    lib = _open_filters(qtbot, w, (1024, 640))
    assert lib.filter_layout.compact and _rows_in_sight(lib) >= KEEP_ROWS
    lib = _open_filters(qtbot, w, (1440, 900))
    assert not lib.filter_layout.compact


def test_the_panel_made_when_first_opened_offers_the_store_and_follows_the_picked_section(qtbot, data_dir: Path) -> None:  # noqa: ANN001, E501
    """The panel is made when it is first opened (nothing of it shows before): it then offers the store's
    sections, sources and tags, shows the section picked in the tree, and its filters narrow the list."""
    w = open_window(qtbot, data_dir)
    lib = w.library
    qtbot.waitUntil(lambda: lib.fact_model.rowCount() > 20, timeout=20000)
    assert lib._panel is None
    assert lib.filters_dict() == {} and lib.active_filters() == []
    top = lib.section_model.index(0, 0)
    picked = lib.section_model.index(1, 0, top)
    section = picked.data(SectionIdRole)
    lib.sections.setCurrentIndex(picked)
    qtbot.waitUntil(lambda: lib.last_result is not None and lib.last_result.query.filters.get("section") == section,
                    timeout=20000)
    lib.filter_button.click()
    assert lib._panel is not None and lib.filters.isVisible()
    sections, sources, tags = (w.store.section_rows(), w.store.source_rows(), w.store.tags())
    def offered(combo) -> list:  # noqa: ANN001
        return [combo.itemData(i) for i in range(combo.count())]

    assert offered(lib.section_combo) == [None] + [s.id for s in sections]
    assert offered(lib.source_combo) == [None] + [s.id for s in sources]
    assert offered(lib.tag_combo) == [None] + [t for t, _n in tags]
    assert lib.section_combo.currentData() == section
    lib.status_combo.setCurrentIndex(lib.status_combo.findData("disputed"))
    qtbot.waitUntil(lambda: lib.last_result.query.filters.get("status") == "disputed", timeout=20000)
    assert lib.active_filters() == ["Disputed"]
    assert all(lib.fact_model.status_of(lib.fact_model.fact_at(r)) == "disputed"
               for r in range(lib.fact_model.rowCount()))
