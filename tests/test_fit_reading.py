"""The length budget's shortcuts give what the long way gives: a "What's new" variant made from a resolved
document (:func:`briefer.domain.resolving.with_whats_new`) is the document resolving that variant makes, and
a fitted template's briefing resolved from the fitting's reading of the store is the one a fresh reading gives."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefer.domain.briefing import BriefingSection, Change, FactItem, WhatsNew
from briefer.domain.document import CachedStore, resolve
from briefer.domain.pages import estimate
from briefer.domain.resolving import with_whats_new
from briefer.domain.template_select import FIRST_EDITION_LINE, WHATS_NEW_ROOM
from briefer.domain.templates import begin_template_export

TODAY = date(2025, 10, 1)
WITH_WHATS_NEW = ["full-briefing", "risk-watch", "us-japan-cooperation"]


@pytest.mark.parametrize("name", WITH_WHATS_NEW)
def test_a_whats_new_variant_made_from_a_resolved_document_is_the_resolved_variant(store, data_dir: Path,
                                                                                    name: str) -> None:
    briefing = begin_template_export(store, data_dir, name, today=TODAY).briefing
    variants = [WHATS_NEW_ROOM, FIRST_EDITION_LINE, None]
    for first in variants:
        for other in variants:
            a, b = briefing.model_copy(), briefing.model_copy()
            a.whats_new, b.whats_new = first, other
            made = with_whats_new(resolve(a, store, today=TODAY), b)
            direct = resolve(b, store, today=TODAY)
            assert made is not None
            assert made == direct
            assert estimate(made) == estimate(direct)
            assert (made.whats_new is None) == (other is None)


def test_a_variant_is_resolved_again_when_it_could_differ_elsewhere(store, data_dir: Path) -> None:
    briefing = begin_template_export(store, data_dir, "full-briefing", today=TODAY).briefing
    with_lines = briefing.model_copy()
    fid = briefing.fact_ids()[0]
    with_lines.whats_new = WhatsNew(since=date(2025, 9, 1), changes=[Change(kind="added", fact_id=fid, text="x")])
    doc = resolve(with_lines, store, today=TODAY)
    plain = briefing.model_copy()
    plain.whats_new = None
    # the lines of changes are words the glossary looks for: not made from the other variant
    assert with_whats_new(doc, plain) is None
    assert with_whats_new(resolve(plain, store, today=TODAY), with_lines) is None
    # a section whose anchor a "What's new" section would displace
    odd = briefing.model_copy()
    outside = next(f.id for f in store.facts() if f.id not in briefing.fact_ids() and f.status == "current")
    odd.sections = [*briefing.sections, BriefingSection(section="whats-new", items=[FactItem(fact_id=outside)])]
    odd.whats_new = WHATS_NEW_ROOM
    other = odd.model_copy()
    other.whats_new = None
    assert with_whats_new(resolve(odd, store, today=TODAY), other) is None
    assert [s.anchor for s in resolve(other, store, today=TODAY).sections][-1] == "sec-whats-new"


@pytest.mark.parametrize("name", ["full-briefing", "one-page-brief", "risk-watch", "us-japan-cooperation"])
def test_a_fitted_briefing_resolves_from_the_fitting_reading_as_from_a_fresh_one(store, data_dir: Path,
                                                                                 name: str) -> None:
    job = begin_template_export(store, data_dir, name, today=TODAY)
    assert job.reading is not None  # every built-in but the compendium has a length budget
    fresh = CachedStore(store, store.facts_by_ids(job.briefing.fact_ids()))
    mine = resolve(job.briefing, job.reading, today=TODAY)  # type: ignore[arg-type]
    theirs = resolve(job.briefing, fresh, today=TODAY)  # type: ignore[arg-type]
    assert mine == theirs
    assert estimate(mine) == estimate(theirs)


def test_no_fitting_reading_without_a_budget(store, data_dir: Path) -> None:
    assert begin_template_export(store, data_dir, "compendium", today=TODAY).reading is None
