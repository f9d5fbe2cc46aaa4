"""The composer's "store's wording" in a short window: whole lines ending in "…", never a line cut in half."""

from __future__ import annotations

from briefer.ui.elided_label import ElidedLabel

TEXT = ("According to Ichikawa (2025), the November 2023 economic 2+2 joint statement encourages collaboration "
        "between the U.S. National Institute of Standards and Technology (NIST) and Japan's Information "
        "Technology Promotion Agency (IPA) as partner AI Safety Institutes.")


def test_a_label_with_room_for_two_lines_shows_two_whole_lines_and_the_rest_as_its_tooltip(qtbot) -> None:  # noqa: ANN001
    label = ElidedLabel()
    qtbot.addWidget(label)
    label.show()  # a hidden widget gets its resize events only when shown
    label.set_full_text(TEXT)
    line = label.fontMetrics().lineSpacing()
    label.resize(300, 2 * line + line // 2)  # two lines and a half
    shown = label.text().split("\n")
    assert len(shown) == 2 and shown[-1].endswith("\u2026")
    assert label.toolTip() == TEXT and label.full_text() == TEXT
    assert all(label.fontMetrics().horizontalAdvance(s) <= 300 for s in shown)
    label.resize(2000, 10 * line)  # room for all of it: the text itself, no tooltip
    assert label.text() == TEXT and label.toolTip() == ""
    assert label.minimumSizeHint().height() == line  # a layout may take it down to one whole line
