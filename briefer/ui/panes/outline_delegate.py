"""How the outline draws a section row: the count slot ("6 facts", "empty — left out of the briefing")
at the row's right end, always whole, and the title elided into the room left.  Drawn as one string,
a long title ("Background: Japan's AI strategies and the soft-law approach") pushed the count, and the
empty-section mark, past the row's end, where Qt elided them away."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from briefer.ui.outline_model import OutlineModel

Index = QModelIndex | QPersistentModelIndex

#: room between the title and the count slot, in pixels
GAP = 10
#: the full count text may take at most this share of the row's text room; above it, the short one
MAX_COUNT_SHARE = 0.55


@dataclass(frozen=True)
class SectionLayout:
    """What a section row shows and where: the title as drawn (elided) and the count slot, whole."""

    title: str
    title_rect: QRect
    count: str
    count_rect: QRect


class OutlineDelegate(QStyledItemDelegate):
    """Section rows: title elided, count slot whole; fact and paragraph rows as Qt draws them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    @staticmethod
    def _style(opt: QStyleOptionViewItem) -> QStyle:
        widget = opt.widget
        return widget.style() if widget is not None else QApplication.style()

    @staticmethod
    def count_font(title_font: QFont) -> QFont:
        f = QFont(title_font)
        f.setBold(False)
        return f

    def section_layout(self, option: QStyleOptionViewItem, index: Index) -> SectionLayout | None:
        """The layout of a section row drawn in ``option.rect`` (None for a fact or a paragraph)."""
        if not index.isValid() or index.data(OutlineModel.KindRole) != "section":
            return None
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        title = str(index.data(Qt.ItemDataRole.EditRole) or "")
        opt.text = title
        style = self._style(opt)
        text = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        text = text.adjusted(3, 0, -3, 0)  # the style's own text margin
        cfm = QFontMetrics(self.count_font(opt.font))
        count = str(index.data(OutlineModel.CountRole) or "")
        if cfm.horizontalAdvance(count) > MAX_COUNT_SHARE * text.width():
            count = str(index.data(OutlineModel.CountShortRole) or count)
        cw = min(cfm.horizontalAdvance(count) + 1, max(0, text.width()))
        count_rect = QRect(text.right() - cw + 1, text.top(), cw, text.height())
        tw = max(0, text.width() - cw - GAP)
        fm = QFontMetrics(opt.font)
        shown = fm.elidedText(title, Qt.TextElideMode.ElideRight, tw)
        return SectionLayout(shown, QRect(text.left(), text.top(), tw, text.height()), count, count_rect)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        lay = self.section_layout(option, index)
        if lay is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = self._style(opt)
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (QPalette.ColorGroup.Normal if opt.state & QStyle.StateFlag.State_Enabled
                 else QPalette.ColorGroup.Disabled)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setPen(opt.palette.color(group, role))
        painter.setFont(opt.font)
        align = Qt.AlignmentFlag.AlignVCenter
        painter.drawText(lay.title_rect, int(align | Qt.AlignmentFlag.AlignLeft), lay.title)
        painter.setFont(self.count_font(opt.font))
        painter.drawText(lay.count_rect, int(align | Qt.AlignmentFlag.AlignRight), lay.count)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        if index.isValid() and index.data(OutlineModel.KindRole) == "section":
            # one line: the title is elided, never wrapped under the count
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            opt.text = "Xg"
            opt.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText
            size = self._style(opt).sizeFromContents(QStyle.ContentsType.CT_ItemViewItem, opt, QSize(),
                                                     opt.widget)
            return QSize(size.width(), size.height())
        return super().sizeHint(option, index)
