"""Exporting a briefing: one rule for ``briefer export`` and the window's export dialog.

Resolve the briefing against the store (with the user's freshness horizon), compute the quality
flags, write the file atomically, and record the template edition in the same step as the rename
(a locked store leaves any earlier file as it was).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import Any

from briefer.errors import KnownError
from briefer.model.plain import Plain


class EditionRequest(Plain):
    """Record the export as the next edition of ``template`` (in the same step as the rename)."""

    _fields = ("template", "title", "facts", "template_id")
    template: str
    title: str
    #: the facts' fingerprints (:func:`briefer.domain.editions.fingerprint`), in briefing order
    facts: list[Any]
    #: the template's stable id: its editions are numbered and found by it (None: by the name)
    template_id: str | None

    def __init__(self, template: str, title: str, facts: list[Any] | None = None,
                       template_id: str | None = None) -> None:
        self.template, self.title = template, title
        self.facts = [] if facts is None else facts
        self.template_id = template_id


def edition_request(briefing: Any, facts: dict[str, Any], template: str | None,
                    template_id: str | None = None) -> EditionRequest | None:
    """What recording ``briefing`` as an edition of ``template`` stores: each fact it shows with its
    content hash, so the next edition can say what changed.  None without a template."""
    if not template:
        return None
    from briefer.domain.editions import fingerprint

    prints = [fingerprint(facts[item.fact_id], sec.section)
              for sec in briefing.sections for item in sec.items
              if item.kind == "fact" and item.fact_id in facts]
    return EditionRequest(template, briefing.cover.title, prints, template_id)


def refuse_empty(briefing: Any) -> None:
    """A briefing with nothing in it is not exported, from the window or the CLI: one sentence instead
    of a cover over blank pages (``export --dry-run`` says the same)."""
    if briefing.is_empty():
        from briefer.domain.briefing import EMPTY_BRIEFING

        raise KnownError(f"{EMPTY_BRIEFING}; nothing was exported")


def check_options(fmt: str, *, reference_doc: Path | None = None, pdf_a: bool = False) -> None:
    """Options that do not fit the format, refused before any work (the format registry says which
    formats take a reference document)."""
    from briefer.export.formats import get

    if reference_doc is not None and not get(fmt).reference_doc:
        from briefer.export.formats import with_reference_doc

        raise KnownError(f"--reference-doc only applies to {' and '.join('.' + c for c in with_reference_doc())} "
                         "exports")
    if pdf_a and fmt != "pdf":
        raise KnownError("--pdf-a only applies to .pdf exports")


def quality_flags(store: Any, briefing: Any, today: date, horizon_months: int) -> list[Any]:
    """Superseded, disputed, deleted and stale facts the briefing uses."""
    from briefer.domain.supersession import flag_briefing

    facts = store.facts_by_ids(briefing.fact_ids())
    return list(flag_briefing(briefing, facts, today, horizon_months))


def resolve_briefing(store: Any, briefing: Any, *, today: date, horizon_months: int) -> Any:
    """The document an export writes (and its page estimate is made from)."""
    from briefer.domain.document import resolve

    return resolve(briefing, store, today=today, horizon_months=horizon_months)


def write_export(store: Any, document: Any, path: Path, fmt: str, *, today: date,
                 reference_doc: Path | None = None, edition: EditionRequest | None = None,
                 guard: Callable[[], AbstractContextManager[object]] | None = None,
                 cancelled: Callable[[], bool] | None = None, layout: bool | None = None,
                 pdf_a: bool = False) -> Any:
    """Write ``document`` to ``path`` atomically.  ``guard`` (the window's Cancel) is entered just before
    the rename; inside it the edition is recorded, so the file and the edition land together or not
    at all.  The result's ``edition`` is the recorded edition (or None)."""
    from briefer.export import export_briefing

    recorded: list[Any] = []

    @contextlib.contextmanager
    def commit() -> Iterator[None]:
        with guard() if guard is not None else contextlib.nullcontext():
            if edition is None:
                yield
                return
            from briefer.store.editions import recording_edition

            with recording_edition(store, edition.template, exported_on=today, title=edition.title,
                                   facts=edition.facts, output=str(path), template_id=edition.template_id) as ed:
                yield
            recorded.append(ed)

    result = export_briefing(document, path, fmt, reference_doc=reference_doc, commit=commit,
                             cancelled=cancelled, layout=layout, pdf_a=pdf_a)
    result.edition = recorded[0] if recorded else None
    return result


def with_default_author(briefing: Any, data_dir: Path) -> Any:
    """``briefing`` with the analyst's name (Preferences, ``briefer config --analyst``) as its author
    ("Prepared by" and the document's author) when it gives none; a copy, the original is kept."""
    if briefing.cover.prepared_by.strip():
        return briefing
    from briefer.store.preferences import configured_analyst

    analyst = configured_analyst(data_dir)
    if not analyst:
        return briefing
    filled = briefing.model_copy(deep=True)
    filled.cover.prepared_by = analyst
    return filled
