"""The template editor's other tabs: key points and the length budget, the cover, and the switches.

Each page loads from and returns the template's JSON data for its part (``load(data)`` /
``dump() -> dict``) and emits ``changed`` on every edit.  The switches page builds a control for
every switch the model holds (:class:`~briefer.domain.template_model.Switches`), so a switch added
to the model appears here without a change to this file.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from briefer.ui.dialogs.template_editor_sections import attach_completer, split_words

#: what each switch is called in the editor (a switch not named here shows its field name)
SWITCH_LABELS = {
    "summary": "Key points (summary) at the start",
    "contents": "Table of contents",
    "sources_appendix": "Sources table at the end",
    "glossary": "Glossary of Japanese names and terms",
    "whats_new": "\u201cWhat\u2019s new\u201d since the last edition",
    "whats_new_first": "\u2026 and open the briefing with it",
    "include_superseded": "Include superseded facts",
    "cover_page": "Cover on a page of its own",
    "compact": "Compact type (a size smaller, for a one-page brief)",
}
FIGURE_LABELS = {"timeline": "Timeline of the dated milestones",
                 "hq-chart": "AI Strategy Headquarters organisation chart"}
CITATION_LABELS = [("full", "Full \u2014 each footnote quotes its sources"),
                   ("short", "Short \u2014 source, date and place"),
                   ("evidence", "Evidence \u2014 short footnotes and an Evidence appendix")]


class KeyPointsLengthPage(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, fact_ids: list[str] | None = None,
                 tags: list[str] | None = None) -> None:
        super().__init__(parent)
        self.pinned_ids_edit = QLineEdit()
        self.pinned_ids_edit.setAccessibleName("Pinned key points by fact id")
        self.pinned_ids_edit.setPlaceholderText("fact ids, in the order the key points take them")
        self.pinned_tags_edit = QLineEdit()
        self.pinned_tags_edit.setAccessibleName("Pinned key points by tag")
        self.pinned_tags_edit.setPlaceholderText("e.g. topic:enforcement (its most important fact)")
        attach_completer(self.pinned_ids_edit, fact_ids or [])
        attach_completer(self.pinned_tags_edit, tags or [])
        self.pinned_note = QLabel("")
        self.pinned_note.setWordWrap(True)
        kp = QGroupBox("Pinned key points")
        kform = QFormLayout(kp)
        kform.addRow("By fact &id:", self.pinned_ids_edit)
        kform.addRow("By &tag:", self.pinned_tags_edit)
        kform.addRow("", self.pinned_note)

        self.budget_box = QGroupBox("&Length budget")
        self.budget_box.setCheckable(True)
        self.budget_box.setAccessibleName("Length budget")
        self.words_spin = QSpinBox()
        self.words_spin.setAccessibleName("Target words")
        self.words_spin.setRange(0, 200_000)
        self.words_spin.setSingleStep(100)
        self.words_spin.setSpecialValueText("no word limit")
        self.pages_spin = QSpinBox()
        self.pages_spin.setAccessibleName("Target pages")
        self.pages_spin.setRange(0, 500)
        self.pages_spin.setSpecialValueText("no page limit")
        bform = QFormLayout(self.budget_box)
        bform.addRow("At most w&ords:", self.words_spin)
        bform.addRow("At most &pages:", self.pages_spin)
        note = QLabel("With a budget, facts go in by importance while the briefing fits; the rest are left "
                      "out and the export says which.")
        note.setWordWrap(True)
        bform.addRow(note)
        lay = QVBoxLayout(self)
        lay.addWidget(kp)
        lay.addWidget(self.budget_box)
        lay.addStretch(1)
        for e in (self.pinned_ids_edit, self.pinned_tags_edit):
            e.textEdited.connect(lambda _t: self.changed.emit())
        for s in (self.words_spin, self.pages_spin):
            s.valueChanged.connect(lambda _v: self.changed.emit())
        self.budget_box.toggled.connect(lambda _on: self.changed.emit())

    def load(self, key_points: dict[str, Any], length: dict[str, Any]) -> None:
        self.pinned_ids_edit.setText(", ".join(key_points.get("fact_ids") or []))
        self.pinned_tags_edit.setText(", ".join(key_points.get("tags") or []))
        words, pages = length.get("target_words"), length.get("target_pages")
        for w in (self.budget_box, self.words_spin, self.pages_spin):
            w.blockSignals(True)
        self.budget_box.setChecked(words is not None or pages is not None)
        self.words_spin.setValue(words or 0)
        self.pages_spin.setValue(pages or 0)
        for w in (self.budget_box, self.words_spin, self.pages_spin):
            w.blockSignals(False)

    def dump_key_points(self) -> dict[str, Any]:
        return {"fact_ids": list(dict.fromkeys(split_words(self.pinned_ids_edit.text()))),
                "tags": list(dict.fromkeys(split_words(self.pinned_tags_edit.text())))}

    def dump_length(self) -> dict[str, Any]:
        if not self.budget_box.isChecked():
            return {"target_words": None, "target_pages": None}
        words, pages = self.words_spin.value(), self.pages_spin.value()
        if not words and not pages:  # a budget of nothing: the check says why it is refused
            return {"target_words": None, "target_pages": 0}
        return {"target_words": words or None, "target_pages": pages or None}

    def show_unknown_pins(self, unknown: list[str]) -> None:
        self.pinned_note.setText("" if not unknown else "\u26a0 Not in the store (left out): " + ", ".join(unknown))


class CoverPage(QWidget):
    changed = Signal()
    FIELDS = [("title", "&Title:", "the value of {title}"),
              ("title_pattern", "Title &pattern:", "{title} \u2014 {date:%-d %B %Y}"),
              ("subtitle", "Subt&itle:", ""),
              ("prepared_for", "Prepared &for:", "e.g. The Minister for Foreign Affairs"),
              ("prepared_by", "Prepared &by:", "empty: the analyst's name from Preferences"),
              ("marking", "&Marking:", "handling marking in header and footer; may be empty")]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key, label, hint in self.FIELDS:
            e = QLineEdit()
            e.setAccessibleName(label.replace("&", "").rstrip(":"))
            e.setPlaceholderText(hint)
            e.textEdited.connect(lambda _t: self.changed.emit())
            self.edits[key] = e
            form.addRow(label, e)
        self.pattern_help = QLabel("Placeholders: {title} {template} {audience} {date} {as_of} {edition}; "
                                   "dates take codes such as %d %B %Y.")
        self.pattern_help.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.pattern_help)
        lay.addStretch(1)

    def load(self, cover: dict[str, Any]) -> None:
        for key, e in self.edits.items():
            e.setText(str(cover.get(key) or ""))

    def dump(self) -> dict[str, Any]:
        return {key: e.text().strip() for key, e in self.edits.items()}


class SwitchesPage(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from briefer.domain.template_model import Switches

        self.checks: dict[str, QCheckBox] = {}
        self.figure_checks: dict[str, QCheckBox] = {}
        lay = QVBoxLayout(self)
        for name, info in Switches.model_fields.items():
            if info.annotation is bool:
                cb = QCheckBox(SWITCH_LABELS.get(name, name.replace("_", " ")))
                cb.setAccessibleName(cb.text())
                cb.toggled.connect(lambda _on: self.changed.emit())
                self.checks[name] = cb
                lay.addWidget(cb)
        self.points_spin = QSpinBox()
        self.points_spin.setAccessibleName("Key points")
        self.points_spin.setRange(1, 20)
        self.citations_combo = QComboBox()
        self.citations_combo.setAccessibleName("Citation style")
        for key, label in CITATION_LABELS:
            self.citations_combo.addItem(label, key)
        form = QFormLayout()
        form.addRow("Key points (at &most):", self.points_spin)
        form.addRow("Citation st&yle:", self.citations_combo)
        figures = QGroupBox("Figures")
        fl = QVBoxLayout(figures)
        for key, label in FIGURE_LABELS.items():
            cb = QCheckBox(label)
            cb.setAccessibleName(label)
            cb.toggled.connect(lambda _on: self.changed.emit())
            self.figure_checks[key] = cb
            fl.addWidget(cb)
        lay.addLayout(form)
        lay.addWidget(figures)
        lay.addStretch(1)
        self.points_spin.valueChanged.connect(lambda _v: self.changed.emit())
        self.citations_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        if "whats_new" in self.checks:
            self.checks["whats_new"].toggled.connect(self._follow)

    def _follow(self, on: bool) -> None:
        if "whats_new_first" in self.checks:
            self.checks["whats_new_first"].setEnabled(on)

    def load(self, switches: dict[str, Any]) -> None:
        widgets = [*self.checks.values(), *self.figure_checks.values(), self.points_spin, self.citations_combo]
        for w in widgets:
            w.blockSignals(True)
        for name, cb in self.checks.items():
            cb.setChecked(bool(switches.get(name)))
        for key, cb in self.figure_checks.items():
            cb.setChecked(key in (switches.get("figures") or []))
        self.points_spin.setValue(int(switches.get("summary_points") or 5))
        self.citations_combo.setCurrentIndex(max(0, self.citations_combo.findData(switches.get("citations", "full"))))
        for w in widgets:
            w.blockSignals(False)
        self._follow(bool(switches.get("whats_new")))

    def dump(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: cb.isChecked() for name, cb in self.checks.items()}
        out["summary_points"] = self.points_spin.value()
        out["citations"] = self.citations_combo.currentData()
        out["figures"] = [key for key, cb in self.figure_checks.items() if cb.isChecked()]
        return out
