"""The quality report the export dialog shows before writing a file.

Pure Python over the briefing, its facts and the resolved document (no Qt), so
the report is the same wherever it is shown and is tested without a window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class QualityItem:
    #: "problem" (the reader would be misled), "check" (worth a look), "ok"
    level: str
    title: str
    details: list[str] = field(default_factory=list)


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
            parts.append(f"{self.problems} problem{'s' if self.problems != 1 else ''}")
        if self.checks:
            parts.append(f"{self.checks} thing{'s' if self.checks != 1 else ''} to check")
        return ", ".join(parts) + " before you export."

    def to_html(self) -> str:
        import html

        marks = {"problem": "\u2716 Problem", "check": "\u26a0 Check", "ok": "\u2714 OK"}
        out = [f"<p><b>{html.escape(self.headline())}</b></p>"]
        for item in self.items:
            out.append(f"<p><b>{marks[item.level]}:</b> {html.escape(item.title)}</p>")
            if item.details:
                out.append("<ul>" + "".join(f"<li>{html.escape(d)}</li>" for d in item.details[:50]) + "</ul>")
                if len(item.details) > 50:
                    out.append(f"<p>\u2026 and {len(item.details) - 50} more</p>")
        return "".join(out)

    def to_text(self) -> str:
        lines = [self.headline()]
        for item in self.items:
            lines.append(f"[{item.level}] {item.title}")
            lines += [f"  - {d}" for d in item.details]
        return "\n".join(lines)


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def build_report(doc: Any, document: Any, sources: dict[str, Any] | None = None) -> QualityReport:
    """``doc``: the BriefingDoc (briefing, facts, flags, length); ``document``: the resolved Document;
    ``sources``: source id -> Source with text, to check each quote stands in its source."""
    b = doc.briefing
    items: list[QualityItem] = []
    fact_items = [(sec, it) for sec in b.sections for it in sec.items if it.kind == "fact"]
    if not fact_items:
        items.append(QualityItem("problem", "The briefing has no facts yet"))

    missing = [it.fact_id for _s, it in fact_items if it.fact_id not in doc.facts]
    if missing:
        items.append(QualityItem("problem", f"{len(missing)} fact(s) are no longer in the store and will be left out",
                                 missing))
    uncited = [f"{_short(doc.facts[it.fact_id].statement)} ({it.fact_id})" for _s, it in fact_items
               if it.fact_id in doc.facts and not doc.facts[it.fact_id].citations]
    if uncited:
        items.append(QualityItem("problem", f"{len(uncited)} fact(s) have no citation", uncited))

    if sources is not None:
        from briefer.domain.checks import check_quotes

        present = [doc.facts[it.fact_id] for _s, it in fact_items if it.fact_id in doc.facts]
        _n, _c, problems = check_quotes(present, sources)
        bad_quotes = [f"{p.fact_id}: " + ("source " + p.source_id + " is not in the store"
                                           if "does not exist" in p.reason else
                                           f"the quote \u201c{_short(p.quote, 60)}\u201d is not in {p.source_id}")
                      for p in problems]
        if bad_quotes:
            items.append(QualityItem("problem", f"{len(bad_quotes)} citation(s) cannot be checked against their "
                                     "source", bad_quotes))

    def with_status(status: str) -> list[str]:
        return [f"{_short(doc.facts[it.fact_id].statement)} ({it.fact_id})" for _s, it in fact_items
                if doc.fact_status(it.fact_id) == status]

    disputed = with_status("disputed")
    if disputed:
        items.append(QualityItem("check", f"{len(disputed)} disputed fact(s): marked as disputed, each version "
                                 "footnoted", disputed))
    superseded = with_status("superseded")
    if superseded:
        left = "" if b.options.include_superseded else " \u2014 left out of the export (the option is off)"
        items.append(QualityItem("problem" if b.options.include_superseded else "check",
                                 f"{len(superseded)} superseded fact(s){left}", superseded))
    stale = [f"{_short(doc.facts[it.fact_id].statement)} (as of {doc.facts[it.fact_id].as_of.isoformat()})"
             for _s, it in fact_items if it.fact_id in doc.facts and "stale" in doc.flags.get(it.fact_id, ())]
    if stale:
        items.append(QualityItem("check", f"{len(stale)} stale fact(s): older than the freshness horizon", stale))

    overrides = [f"\u201c{_short(it.override or '', 70)}\u201d \u2014 store: "
                 f"\u201c{_short(doc.facts[it.fact_id].statement, 70) if it.fact_id in doc.facts else '?'}\u201d"
                 for _s, it in fact_items if it.override is not None]
    if overrides:
        items.append(QualityItem("check", f"{len(overrides)} wording override(s): the briefing words these facts "
                                 "differently from the store, under the same footnote", overrides))

    empty = [doc.section_title(s) for s in b.sections if not s.items]
    if empty:
        items.append(QualityItem("check", f"{len(empty)} section(s) have no facts or paragraphs", empty))

    length = doc.length()
    if length.over_words or length.over_pages:
        items.append(QualityItem("problem", f"Over the length budget: {length.text()}"))
    elif length.budget and (length.budget.words or length.budget.pages):
        items.append(QualityItem("ok", f"Within the length budget: {length.text()}"))

    if document is not None and document.warnings:
        items.append(QualityItem("check", "Notes from preparing the document", list(document.warnings)))
    if not [i for i in items if i.level != "ok"]:
        items.append(QualityItem("ok", f"{len(fact_items)} facts, each cited; nothing disputed, stale or reworded"))
    return QualityReport(items)
