"""The quality report the export dialog shows before writing a file.

Pure Python over the briefing, its facts and the resolved document (no Qt), so
the report is the same wherever it is shown and is tested without a window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from briefer.domain.typography import count, nested_quotes

#: the order the report gives its items in
_LEVELS = ("problem", "check", "ok")


@dataclass
class QualityItem:
    #: "problem" (the reader would be misled), "check" (worth a look), "ok"
    level: str
    title: str
    details: list[str] = field(default_factory=list)
    #: the fact id behind each detail ("" for none): shown after its statement, in grey, for the
    #: analyst who looks a fact up by id; the statement is what names the fact
    ids: list[str] = field(default_factory=list)

    def id_of(self, n: int) -> str:
        return self.ids[n] if n < len(self.ids) else ""


@dataclass
class QualityReport:
    items: list[QualityItem]

    @property
    def problems(self) -> int:
        return sum(1 for i in self.items if i.level == "problem")

    @property
    def checks(self) -> int:
        return sum(1 for i in self.items if i.level == "check")

    def headline(self) -> str:
        if not self.problems and not self.checks:
            return "No problems found: every fact is cited, current and in the store."
        parts = []
        if self.problems:
            parts.append(count(self.problems, "problem"))
        if self.checks:
            parts.append(f"{count(self.checks, 'thing')} to check")
        return ", ".join(parts) + " before you export."

    def to_html(self) -> str:
        from briefer.ui.labels import escape

        marks = {"problem": "\u2716 Problem", "check": "\u26a0 Check", "ok": "\u2714 OK"}
        out = [f"<p><b>{escape(self.headline())}</b></p>"]
        for item in self.items:
            out.append(f"<p><b>{marks[item.level]}:</b> {escape(item.title)}</p>")
            if item.details:
                out.append("<ul>" + "".join(
                    f"<li>{escape(d)}" + (f' <span style="color:#777777">{escape(item.id_of(n))}</span>'
                                               if item.id_of(n) else "") + "</li>"
                    for n, d in enumerate(item.details[:50])) + "</ul>")
                if len(item.details) > 50:
                    out.append(f"<p>\u2026 and {len(item.details) - 50} more</p>")
        return "".join(out)

    def to_text(self) -> str:
        lines = [self.headline()]
        for item in self.items:
            lines.append(f"[{item.level}] {item.title}")
            lines += [f"  - {d}" + (f" ({item.id_of(n)})" if item.id_of(n) else "") for n, d in enumerate(item.details)]
        return "\n".join(lines)


def _unreadable(doc: Any, fact_items: list[Any], damaged: dict[str, str]) -> list[QualityItem]:
    """What the briefing uses that the store cannot read: its facts held back (left out of the export until
    repaired, kept in the file) and the sources its facts cite whose fallbacks the export prints."""
    out = []
    held = [item.fact_id for _sid, _pos, item, _snap in doc.briefing._held]
    if held:
        out.append(QualityItem("problem", f"{count(len(held), 'fact')} of this briefing cannot be read (a stored "
                                          "value no longer parses): left out of the export until repaired, kept "
                                          "in the file", [damaged.get(f, f) for f in held], held))
    from briefer.store.damage import source_notes

    notes = source_notes(damaged, (c.source for _s, it in fact_items if it.fact_id in doc.facts
                                   for c in doc.facts[it.fact_id].citations))
    if notes:
        out.append(QualityItem("problem", f"{count(len(notes), 'stored value')} of the sources cited cannot be "
                                          "read: the export prints the fallback each note gives", notes))
    return out


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def _is(n: int) -> str:
    return "is" if n == 1 else "are"


def _named(doc: Any, fact_ids: list[str]) -> tuple[list[str], list[str]]:
    """Each fact by its statement (shortened), with its id kept beside it (QualityItem.ids)."""
    return [_short(doc.facts[f].statement) if f in doc.facts else f for f in fact_ids], list(fact_ids)


def build_report(doc: Any, document: Any, sources: dict[str, Any] | None = None,
                 damaged: dict[str, str] | None = None, today: Any = None) -> QualityReport:
    """``doc``: the BriefingDoc (briefing, facts, flags, length); ``document``: the resolved Document;
    ``sources``: source id -> Source with text, to check each quote stands in its source; ``damaged``: the
    store's notes on stored values that no longer parse (``Store.damaged``)."""
    b = doc.briefing
    items: list[QualityItem] = []
    fact_items = [(sec, it) for sec in b.sections for it in sec.items if it.kind == "fact"]
    if not fact_items and not b._held:
        items.append(QualityItem("problem", "The briefing has no facts yet"))
    items += _unreadable(doc, fact_items, damaged or {})

    missing = [it.fact_id for _s, it in fact_items if it.fact_id not in doc.facts]
    if missing:
        items.append(QualityItem("problem", f"{count(len(missing), 'fact')} {_is(len(missing))} no longer in the "
                                 "store and will be left out", missing))
    uncited = [it.fact_id for _s, it in fact_items if it.fact_id in doc.facts and not doc.facts[it.fact_id].citations]
    if uncited:
        items.append(QualityItem("problem", f"{count(len(uncited), 'fact')} {'has' if len(uncited) == 1 else 'have'} "
                                 "no citation", *_named(doc, uncited)))

    if sources is not None:
        from briefer.domain.checks import check_quotes

        present = [doc.facts[it.fact_id] for _s, it in fact_items if it.fact_id in doc.facts]
        _n, _c, problems = check_quotes(present, sources)
        from briefer.domain.source_names import short_label

        def source_name(sid: str) -> str:
            src = sources.get(sid) if sources is not None else None
            return short_label(src) if src is not None else sid

        bad_quotes = [_short(doc.facts[p.fact_id].statement, 60) + ": "
                      + ("its source " + source_name(p.source_id) + " is not in the store"
                         if "does not exist" in p.reason else
                         f"the quote \u201c{_short(nested_quotes(p.quote), 60)}\u201d is not in "
                         f"{source_name(p.source_id)}")
                      for p in problems]
        if bad_quotes:
            n_bad = len(bad_quotes)
            items.append(QualityItem("problem", f"{count(n_bad, 'citation')} cannot "
                                     f"be checked against {'its' if n_bad == 1 else 'their'} source", bad_quotes,
                                     [p.fact_id for p in problems]))

    def with_status(status: str) -> list[str]:
        return [it.fact_id for _s, it in fact_items if doc.fact_status(it.fact_id) == status]

    disputed = with_status("disputed")
    if disputed:
        items.append(QualityItem("check", f"{count(len(disputed), 'disputed fact')}: marked as disputed, each "
                                 "version footnoted", *_named(doc, disputed)))
    superseded = with_status("superseded")
    if superseded:
        left = "" if b.options.include_superseded else " \u2014 left out of the export (the option is off)"
        items.append(QualityItem("problem" if b.options.include_superseded else "check",
                                 f"{count(len(superseded), 'superseded fact')}{left}", *_named(doc, superseded)))
    stale = [it.fact_id for _s, it in fact_items
             if it.fact_id in doc.facts and "stale" in doc.flags.get(it.fact_id, ())]
    if stale:
        items.append(QualityItem("check", f"{count(len(stale), 'stale fact')}: older than the freshness horizon",
                                 [f"{_short(doc.facts[f].statement)} (as of {doc.facts[f].as_of.isoformat()})"
                                  for f in stale], stale))

    if today is not None:  # what a fact said was to come by a date that has passed (supersession.overdue_by)
        from briefer.domain.supersession import overdue_by

        due = {it.fact_id: overdue_by(doc.facts[it.fact_id], today) for _s, it in fact_items if it.fact_id in doc.facts}
        late = [f for f, by in due.items() if by]
        if late:
            items.append(QualityItem("check", f"{count(len(late), 'fact')} {_is(len(late))} about something due by "
                                     "a date that has passed: check what happened since",
                                     [f"{_short(doc.facts[f].statement)} (due by {due[f]})" for f in late], late))

    overrides = [f"\u201c{_short(it.override or '', 70)}\u201d \u2014 store: "
                 f"\u201c{_short(doc.facts[it.fact_id].statement, 70) if it.fact_id in doc.facts else '?'}\u201d"
                 for _s, it in fact_items if it.override is not None]
    if overrides:
        n_over = len(overrides)
        items.append(QualityItem("check", f"{count(n_over, 'wording override')}: the briefing words "
                                 f"{'this fact' if n_over == 1 else 'these facts'} differently from the store, "
                                 "under the same footnote", overrides))

    empty = [doc.section_title(s) for s in b.sections if not s.items]
    if empty:
        items.append(QualityItem("check", f"{count(len(empty), 'section')} {'has' if len(empty) == 1 else 'have'} "
                                 "no facts or paragraphs", empty))

    length = doc.length()
    if length.over_words or length.over_pages:
        items.append(QualityItem("problem", f"Over the length budget: {length.text()}"))
    elif length.budget and (length.budget.words or length.budget.pages):
        items.append(QualityItem("ok", f"Within the length budget: {length.text()}"))

    if document is not None and document.warnings:
        items.append(QualityItem("check", "Notes from preparing the document", list(document.warnings)))
    if not [i for i in items if i.level != "ok"]:
        items.append(QualityItem("ok", f"{count(len(fact_items), 'fact')}, each cited; nothing disputed, stale or "
                                 "reworded"))
    # the problems first, then what to check: "1 problem" was the last line, under 26 stale facts
    return QualityReport(sorted(items, key=lambda i: _LEVELS.index(i.level)))
