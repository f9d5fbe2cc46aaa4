"""Templates: the model, safe title patterns, selection rules, the user
library, import/export, and every bad input the issue names."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from briefer.domain import titles
from briefer.domain.models import FactStatus
from briefer.domain.template_library import TemplateExists, TemplateLibrary
from briefer.domain.templates import (
    TEMPLATE_SCHEMA_VERSION,
    Query,
    Selection,
    Template,
    TemplateNameError,
    TemplateSection,
    begin_template_export,
    check_template_name,
    read_template_file,
    run_selection,
)
from briefer.errors import KnownError, NotFoundError, SchemaTooNewError, ValidationFailed
from briefer.resources import resource

TODAY = date(2026, 11, 21)
BUILTINS = ["compendium", "full-briefing", "one-page-brief", "risk-watch", "us-japan-cooperation"]


def _template(**kw) -> Template:
    data = {"name": "test", "sections": [{"section": "risks"}]}
    data.update(kw)
    return Template.model_validate(data)


def _one_error_line(r) -> None:
    assert r.code == 2, (r.out, r.err)
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("briefer: error: "), r.err
    assert "Traceback" not in r.err


# -- the built-ins -------------------------------------------------------------------------


def test_builtins_are_valid_and_listed(data_dir: Path, store) -> None:
    lib = TemplateLibrary(data_dir)
    infos = lib.list()
    assert [i.name for i in infos] == BUILTINS
    assert all(i.builtin and i.description and not i.problem for i in infos)
    section_ids = {s.id for s in store.sections()}
    for name in BUILTINS:
        t = lib.get(name)
        assert t.name == name and t.schema_version == TEMPLATE_SCHEMA_VERSION
        assert {s.section for s in t.sections} <= section_ids
        result = run_selection(t, store, today=TODAY)
        assert not [w for w in result.warnings if "still longer" in w or "names" in w], result.warnings
        # no empty section: one a length budget leaves empty is left out of the briefing
        exp = begin_template_export(store, data_dir, name, today=TODAY)
        assert exp.briefing.sections and all(s.items for s in exp.briefing.sections), f"{name} has an empty section"
        # a fact appears at most once in a briefing
        assert len(result.fact_ids()) == len(set(result.fact_ids()))


def test_compendium_has_every_section_and_all_current_facts(data_dir: Path, store) -> None:
    exp = begin_template_export(store, data_dir, "compendium", today=TODAY)
    assert [s.section for s in exp.briefing.sections] == [s.id for s in store.sections()]
    wanted = {f.id for f in store.facts() if f.status != "superseded"}
    assert set(exp.briefing.fact_ids()) == wanted
    o = exp.briefing.options
    assert o.summary and o.contents and o.sources_appendix and o.whats_new and o.citations == "full"


def _document(store, exp):
    from briefer.domain.document import resolve

    return resolve(exp.briefing, store, today=TODAY)


def test_full_briefing_is_fitted_by_importance_with_histories_in_date_order(data_dir: Path, store) -> None:
    from briefer.domain.pages import estimate

    exp = begin_template_export(store, data_dir, "full-briefing", today=TODAY)
    b = exp.briefing
    assert [s.section for s in b.sections] == [s.id for s in store.sections()]
    assert b.options.citations == "short"
    doc = _document(store, exp)
    est = estimate(doc)
    assert 6 <= est.pages <= 9 and est.footnote_words <= est.body_words
    facts = store.facts_by_ids(b.fact_ids())
    left = store.facts_by_ids(exp.selection.trimmed)
    assert left, "a nine-page brief leaves facts out"
    # the most important facts are kept, not the shortest: nothing left out outranks every kept fact
    assert max(f.priority for f in facts.values()) >= max(f.priority for f in left.values())
    assert {f.id for f in store.facts() if f.priority == 5 and f.status != "superseded"} <= set(facts) | {
        fid for fid, _kept in doc.repeats_left_out}
    from briefer.domain.template_select import about_date

    for sid in ("background", "us-japan-cooperation"):  # histories read oldest first, related facts together
        ids = next(s for s in b.sections if s.section == sid).fact_ids()
        events = [next((t for t in facts[i].tags if t.startswith("event:")), i) for i in ids]
        firsts = list(dict.fromkeys(events))
        # by when what they tell of happened (an assessment of the Biden years, made in June 2025, is of 2021)
        starts = [about_date(facts[ids[events.index(e)]]) for e in firsts]
        assert starts == sorted(starts), sid
        assert all(events[j] == events[j + 1] or events[j + 1] not in events[:j + 1] for j in range(len(ids) - 1))


def test_one_page_brief_says_what_matters_on_one_page(data_dir: Path, store) -> None:
    from briefer.domain.pages import estimate

    exp = begin_template_export(store, data_dir, "one-page-brief", today=TODAY)
    b = exp.briefing
    assert not b.options.contents and not b.options.sources_appendix and b.options.summary
    assert not b.options.cover_page and b.options.citations == "short" and b.options.compact
    facts = store.facts_by_ids(b.fact_ids())
    assert all(f.priority >= 4 for f in facts.values())
    # one section develops the key points in reading order: the Act (passed when, what it is), the
    # Headquarters (since when, who heads it and the minister responsible for it, the counterpart a
    # minister's office asks for first), the risk, the milestone
    assert len(b.sections) == 1
    assert b.sections[0].fact_ids()[:8] == [
        "ai-act-passed-may-28-2025", "ai-act-promotion-oriented", "ai-act-penalties-disputed",
        "hq-established-sept-1", "hq-head-disputed", "hq-responsible-minister-disputed",
        "risk-weak-deterrence", "hq-basic-plan-by-end-of-year"]
    doc = _document(store, exp)
    # what the Act is, who runs the Headquarters and since when, the main risk, the next milestone: in the
    # order the section develops them
    points = [p.fact_id for p in doc.summary.points]
    assert points == [
        "ai-act-promotion-oriented", "ai-act-penalties-disputed", "hq-established-sept-1", "hq-head-disputed",
        "risk-weak-deterrence", "hq-basic-plan-by-end-of-year"]
    body = b.sections[0].fact_ids()
    assert [body.index(p) for p in points] == sorted(body.index(p) for p in points)
    assert all(len(p.text.split()) <= 20 for p in doc.summary.points)
    est = estimate(doc)
    assert est.pages == 1 and est.footnote_words <= est.body_words
    # every key point is developed in the body (its headline points there), none carries a note of its own
    assert all(p.fact is None and p.see == "see \u00a71" for p in doc.summary.points)
    # what a one-page brief holds: 400-650 words of text on its one page (set in the compact styles a
    # briefing without a cover page uses; the regular ones held 394 words and no more facts)
    assert 400 <= est.body_words <= 650, est.body_words
    assert len(b.sections[0].fact_ids()) > 6  # room for more than the six facts behind the key points
    assert not [w for w in exp.warnings if "still longer" in w]  # it fits its one-page budget


def test_risk_watch_gathers_enforcement_and_public_opinion(data_dir: Path, store) -> None:
    exp = begin_template_export(store, data_dir, "risk-watch", today=TODAY)
    secs = exp.briefing.sections
    facts = store.facts_by_ids(exp.briefing.fact_ids())
    assert all(facts[f].section == "risks" for f in secs[0].fact_ids())
    assert all({"topic:enforcement", "topic:penalties"} & set(facts[f].tags) for f in secs[1].fact_ids())
    assert any(facts[f].section != "risks" for f in secs[1].fact_ids())  # drawn from other sections too
    assert secs[2].heading == "Public opinion"
    assert secs[2].fact_ids() and all("topic:public-opinion" in facts[f].tags for f in secs[2].fact_ids())
    assert exp.briefing.cover.title == "Risk Watch \u2014 21 November 2026"


def test_us_japan_note_has_law_and_hq_context(data_dir: Path, store) -> None:
    exp = begin_template_export(store, data_dir, "us-japan-cooperation", today=TODAY)
    secs = {s.section: s for s in exp.briefing.sections}
    assert secs["us-japan-cooperation"].fact_ids()
    assert "ai-act-passed-may-28-2025" in secs["law-summary"].fact_ids()
    assert "hq-established-sept-1" in secs["hq-structure"].fact_ids()
    assert exp.briefing.options.glossary


# -- selection rules -----------------------------------------------------------------------


def test_explicit_ids_come_first_in_order_then_the_query(store) -> None:
    t = _template(sections=[{"section": "risks", "selection": {
        "fact_ids": ["risk-public-interest-vs-profit", "risk-two-types-of-ai-risk"],
        "query": {"min_priority": 4}, "max_count": 4, "order": "explicit"}}])
    ids = run_selection(t, store).fact_ids()
    assert ids[:2] == ["risk-public-interest-vs-profit", "risk-two-types-of-ai-risk"]
    assert len(ids) == 4
    assert ids[2] == "risk-weak-deterrence"  # the only priority-5 risk comes first
    # ordered by priority, the named facts take their place among the others
    t.sections[0].selection.order = "priority"
    facts = {f.id: f for f in store.facts()}
    by_priority = run_selection(t, store).fact_ids()
    assert sorted(by_priority) == sorted(ids) and by_priority[0] == "risk-weak-deterrence"
    prios = [facts[i].priority for i in by_priority]
    assert prios == sorted(prios, reverse=True)


def test_query_rules(store) -> None:
    def pick(**q) -> list[str]:
        return run_selection(_template(sections=[{"section": "risks", "selection": {"query": q}}]),
                             store).fact_ids()

    facts = {f.id: f for f in store.facts()}
    assert all("topic:crime" in facts[i].tags or "topic:deepfakes" in facts[i].tags
               for i in pick(tags_any=["topic:crime", "topic:deepfakes"]))
    both = pick(tags_all=["topic:public-opinion", "topic:crime"])
    assert both and all({"topic:public-opinion", "topic:crime"} <= set(facts[i].tags) for i in both)
    assert not set(pick(tags_none=["topic:enforcement"])) & {i for i, f in facts.items()
                                                             if "topic:enforcement" in f.tags}
    assert all(facts[i].as_of >= date(2025, 9, 1) for i in pick(since="2025-09-01"))
    assert all(facts[i].priority >= 4 for i in pick(min_priority=4))
    everywhere = run_selection(_template(sections=[{"section": "risks", "selection": {
        "query": {"sections": "all", "status": ["disputed"]}}}]), store).fact_ids()
    assert everywhere and all(facts[i].status == "disputed" for i in everywhere)
    # drawn from outside the template's own section (every dispute in the pack is about the law itself)
    assert {facts[i].section for i in everywhere} - {"risks"}
    assert set(everywhere) == {i for i, f in facts.items() if f.status == "disputed"}
    by_date = run_selection(_template(sections=[{"section": "risks", "selection": {"order": "date"}}]),
                            store).fact_ids()
    dates = [facts[i].as_of for i in by_date]
    assert dates == sorted(dates, reverse=True)
    oldest = run_selection(_template(sections=[{"section": "risks", "selection": {"order": "chronological"}}]),
                           store).fact_ids()
    assert [facts[i].as_of for i in oldest] == sorted(dates)


@pytest.mark.parametrize(("as_of", "tags", "about"), [
    (date(2025, 6, 17), ["date:2021"], date(2021, 1, 1)),  # an assessment of the Biden years
    (date(2025, 6, 17), ["date:2024-04"], date(2024, 4, 1)),
    (date(2019, 1, 1), ["date:2017", "date:2019"], date(2017, 1, 1)),  # the earliest time it tells of
    (date(2025, 6, 17), ["date:2025"], date(2025, 6, 17)),  # its own year says no more than its date
    (date(2025, 6, 17), ["date:2025-06"], date(2025, 6, 17)),
    (date(2025, 9, 1), ["date:2025-12"], date(2025, 9, 1)),  # a deadline after it does not move it
    (date(2025, 6, 17), ["date:someday", "date:2024-13", "topic:x"], date(2025, 6, 17)),  # not dates
])
def test_a_chronological_section_places_a_fact_by_when_what_it_tells_of_happened(
        as_of: date, tags: list[str], about: date) -> None:
    from briefer.domain.models import Fact
    from briefer.domain.template_select import about_date

    fact = Fact(id="a-fact", section="background", statement="A statement long enough.", as_of=as_of, tags=tags,
                citations=[{"source": "news-kiuchi-hq", "quote": "Minoru Kiuchi"}])
    assert about_date(fact) == about


def test_the_biden_years_open_the_us_japan_history(store) -> None:
    oldest = run_selection(_template(sections=[{"section": "us-japan-cooperation",
                                                "selection": {"order": "chronological"}}]), store).fact_ids()
    # the white paper's June 2025 assessments of the Biden years come before the events of those years,
    # not after the Trump administration's first months
    at = oldest.index
    assert at("usjp-biden-era-steady-progress") < at("usjp-kishida-biden-joint-statement-april-2024")
    assert at("usjp-biden-era-multilateral-focus") < at("usjp-stargate-project-announced")
    # and the assessments made of the present stay at the end
    assert at("usjp-trump-ai-governance-strategy-uncertain") > at("usjp-ishiba-trump-summit-feb-2025")


def test_what_one_source_tells_of_the_same_time_keeps_the_source_s_order(store) -> None:
    """Para. 42 of the white paper: the assessment, the Digital Economy dialogue, then "most discussion ...
    multilateral": the source's order, not the facts' priorities (3, 2, 3) or their ids."""
    def history() -> list[str]:
        ids = run_selection(_template(sections=[{"section": "us-japan-cooperation",
                                                 "selection": {"order": "chronological"}}]), store).fact_ids()
        return [i for i in ids if i in para_42]

    para_42 = ["usjp-biden-era-steady-progress", "usjp-dialogue-on-digital-economy",
               "usjp-biden-era-multilateral-focus"]
    assert history() == para_42
    # the order follows the quotations, not anything the ids or priorities happen to give
    first = store.fact("usjp-biden-era-steady-progress")
    store.update_fact(first.id, first.model_copy(update={"priority": 1}))
    assert history() == para_42
    # a quotation its source does not hold (an imported text since changed) goes after those it does hold
    moved = store.fact("usjp-biden-era-steady-progress")
    cite = moved.citations[0].model_copy(update={"quote": "A sentence the white paper does not have."})
    store.update_fact(moved.id, moved.model_copy(update={"citations": [cite]}))
    assert history() == [*para_42[1:], para_42[0]]


def test_a_section_reads_source_texts_only_for_facts_that_tie_and_each_once(store, monkeypatch) -> None:
    read: list[str] = []
    real_source, real_sources = store.source, store.sources

    def source(source_id: str):  # noqa: ANN202
        read.append(source_id)
        return real_source(source_id)

    def sources(*, with_text: bool = False):  # noqa: ANN202
        if with_text:
            read.append("every source")
        return real_sources(with_text=with_text)

    monkeypatch.setattr(store, "source", source)
    monkeypatch.setattr(store, "sources", sources)
    # a section read again from the store: a source's text is read only when two of its facts tie (equal
    # in what the order looks at first), and then once
    section_sources = {f.citations[0].source for f in store.facts() if f.section == "recommendations"}
    for order in ("date", "priority", "chronological"):
        read.clear()
        run_selection(_template(sections=[{"section": "recommendations", "selection": {"order": order}}]), store)
        assert read and set(read) <= section_sources and len(read) == len(set(read)), (order, read)
    # facts that never tie (the background section's dated milestones, each of its own day, ordered by
    # date): nothing to compare in source order, nothing read
    read.clear()
    run_selection(_template(sections=[{"section": "background", "selection": {
        "fact_ids": ["bg-ai-strategy-2017", "bg-ai-strategy-2019"], "query": None, "order": "date"}}]), store)
    assert read == []


def test_ranked_tasks_of_one_paragraph_keep_the_paragraph_s_order_in_a_priority_section(store) -> None:
    """Equal in priority and date, the three tasks Ichikawa sets the Headquarters were listed "The second
    task", "The third task", "The first task" (by id); they follow the report now, whatever their ids."""
    result = run_selection(_template(sections=[{"section": "recommendations", "selection": {"order": "priority"}}]),
                           store)
    ids = result.sections[0].fact_ids
    tasks = [f for f in ids if f.startswith("rec-hq-task-")]
    assert tasks == ["rec-hq-task-strategies-and-instructions", "rec-hq-task-agile-multistakeholder-guidelines",
                     "rec-hq-task-rapid-response-to-social-risks"]


def test_a_fact_is_used_once_and_superseded_facts_stay_out(store) -> None:
    fact = store.fact("risk-weak-deterrence")
    store.update_fact(fact.id, fact.model_copy(update={"status": FactStatus.SUPERSEDED}))
    t = _template(sections=[{"section": "risks"}, {"section": "risks", "selection": {
        "fact_ids": ["risk-weak-deterrence"], "query": {"sections": "all", "tags_any": ["topic:enforcement"]}}}])
    result = run_selection(t, store)
    assert "risk-weak-deterrence" not in result.fact_ids()
    assert any("superseded" in w for w in result.warnings)
    assert not set(result.sections[0].fact_ids) & set(result.sections[1].fact_ids)


def _estimate(t: Template, store):
    from briefer.domain.document import resolve
    from briefer.domain.pages import estimate
    from briefer.domain.templates import prepare

    exp = prepare(t, store, today=TODAY)
    return exp, estimate(resolve(exp.briefing, store, today=TODAY))


def test_length_budget_counts_body_words_and_keeps_the_most_important(store) -> None:
    unbudgeted = _template(sections=[{"section": "risks"}, {"section": "law-summary"}])
    everything = run_selection(unbudgeted, store)
    _e0, full = _estimate(unbudgeted, store)
    t = _template(length={"target_words": 700}, sections=[{"section": "risks"}, {"section": "law-summary"}])
    exp, est = _estimate(t, store)
    result = exp.selection
    # the budget counts the words of the text, not the footnotes
    assert est.body_words <= 700 < full.body_words
    assert result.trimmed and set(result.trimmed) | set(result.fact_ids()) == set(everything.fact_ids())
    assert all(s.fact_ids for s in result.sections)  # every section still says something
    kept = store.facts_by_ids(result.fact_ids())
    left = store.facts_by_ids(result.trimmed)
    assert max(f.priority for f in kept.values()) == 5
    # by importance, not brevity: every priority-5 fact is kept, and the kept facts are no shorter than
    # the ones left out on average (a brevity-first choice would keep the short ones)
    assert all(fid in kept for fid, f in {**kept, **left}.items() if f.priority == 5)
    mean = lambda fs: sum(len(f.statement.split()) for f in fs) / len(fs)  # noqa: E731
    assert mean(kept.values()) >= mean([f for f in left.values() if f.priority < 5]) * 0.8
    assert all(why for why in result.trimmed_why.values())


def test_a_template_asking_for_more_than_fits_is_fitted_and_says_what_was_left_out(cli, data_dir: Path,
                                                                                   store) -> None:
    named = ["hq-basic-plan-four-pillars", "ai-act-penalties-disputed", "hq-head-disputed",
             "risk-effectiveness-of-non-punitive-governance", "ai-act-basic-law-character"]
    t = _template(name="Too much", length={"target_words": 120}, sections=[{"section": "hq-structure", "selection": {
        "fact_ids": named, "query": None}}])
    exp, est = _estimate(t, store)
    assert est.body_words <= 120
    out = exp.selection.trimmed
    assert out and set(out) | set(exp.briefing.fact_ids()) == set(named)
    assert any("names" in w and "do not fit its budget of 120 words" in w for w in exp.warnings), exp.warnings
    path = data_dir / "too-much.template.json"
    path.write_text(t.to_json(), encoding="utf-8")
    r = cli("export", "--template", str(path), "--dry-run", "--json")
    data = json.loads(r.out)
    assert r.code == 0 and data["body_words"] <= 120 and not data["over_budget"]
    assert {x["id"] for x in data["left_out"]} == set(out) and all(x["why"] for x in data["left_out"])
    # pages count too
    t3 = _template(length={"target_pages": 2}, sections=[{"section": "risks"}])
    _e3, est3 = _estimate(t3, store)
    assert est3.pages <= 2


def test_title_pattern_placeholders() -> None:
    d = date(2026, 3, 5)
    assert titles.render("{title} \u2014 {date:%d %B %Y}", {"title": "T", "date": d}) == "T \u2014 05 March 2026"
    assert titles.render("{date:%-d %b %y} ({template})", {"date": d, "template": "x"}) == "5 Mar 26 (x)"
    assert titles.render("{title} \u2014 {audience}", {"title": "T", "audience": ""}) == "T"
    assert titles.render("Edition {edition}: {{literal}}", {"edition": 3}) == "Edition 3: {literal}"


@pytest.mark.parametrize("pattern", [
    "{title.__class__}", "{title.__class__.__mro__}", "{0}", "{}", "{title[0]}", "{__import__('os')}",
    "{date:%Z}", "{title:>99999}", "{title!r}", "{", "}", "{date:%}",
])
def test_title_patterns_are_never_evaluated(pattern: str) -> None:
    with pytest.raises(titles.PatternError):
        titles.render(pattern, {"title": "T", "date": date(2026, 1, 1)})
    with pytest.raises(ValueError, match="title pattern|date code|format|%"):
        _template(cover={"title_pattern": pattern})


# -- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a/b", "..\\evil", "x:y", "what?", "a*", "<x>", "pipe|", 'q"', "", "   ",
                                  ".hidden", "trailing.", "CON", "nul.json", "x" * 65, "tab\there", "zero\u200bwidth"])
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(TemplateNameError):
        check_template_name(name)


@pytest.mark.parametrize("name", ["Weekly risk note", "日米協力メモ", "brief (v2)", "a.b", "x" * 64])
def test_good_names(name: str) -> None:
    assert check_template_name(f"  {name} ") == name


# -- the library ---------------------------------------------------------------------------------


def test_save_as_duplicate_rename_delete(data_dir: Path, store) -> None:
    lib = TemplateLibrary(data_dir)
    copy = lib.duplicate("risk-watch", "My risk note")
    assert copy.name == "My risk note"
    assert (data_dir / "templates" / "My risk note.json").is_file()
    assert lib.get("my risk note").sections == lib.get("risk-watch").sections  # names ignore case
    with pytest.raises(TemplateExists):
        lib.duplicate("risk-watch", "MY RISK NOTE")
    with pytest.raises(TemplateExists, match="built-in"):
        lib.save(copy, name="Risk-Watch")
    edited = copy.model_copy(update={"description": "mine"})
    lib.save(edited, replace=True)
    assert lib.get("My risk note").description == "mine"
    lib.rename("My risk note", "Team note", store=store)
    assert not lib.exists("My risk note") and lib.get("Team note").name == "Team note"
    trashed = lib.delete("Team note")
    assert trashed.is_file() and not lib.exists("Team note")
    assert [i.name for i in lib.list()] == BUILTINS


def test_builtins_are_read_only(data_dir: Path) -> None:
    lib = TemplateLibrary(data_dir)
    before = (resource("templates") / "risk-watch.json").read_bytes()
    with pytest.raises(KnownError, match="built-in"):
        lib.delete("risk-watch")
    with pytest.raises(KnownError, match="built-in"):
        lib.rename("risk-watch", "x")
    with pytest.raises(KnownError, match="built-in"):
        lib.save(lib.get("risk-watch"), replace=True)
    assert (resource("templates") / "risk-watch.json").read_bytes() == before
    assert lib.suggest_copy_name("risk-watch") == "risk-watch (copy)"
    lib.duplicate("risk-watch", "risk-watch (copy)")
    assert lib.suggest_copy_name("risk-watch") == "risk-watch (copy 2)"


def test_an_unreadable_user_file_is_listed_not_fatal(data_dir: Path) -> None:
    folder = data_dir / "templates"
    folder.mkdir()
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    infos = {i.name: i for i in TemplateLibrary(data_dir).list()}
    assert infos["broken"].problem and "not valid JSON" in infos["broken"].problem
    assert all(not infos[n].problem for n in BUILTINS)


def test_resolve_name_or_file(data_dir: Path, tmp_path: Path) -> None:
    lib = TemplateLibrary(data_dir)
    assert lib.resolve("risk-watch")[1] == "builtin"
    f = tmp_path / "shared.template.json"
    lib.export("one-page-brief", f)
    t, origin = lib.resolve(str(f))
    assert origin == "file" and t.name == "one-page-brief"
    with pytest.raises(NotFoundError):
        lib.resolve("no-such-template")


# -- import / export round trip --------------------------------------------------------------------


def test_export_import_round_trip_is_lossless(cli, data_dir: Path, tmp_path: Path) -> None:
    lib = TemplateLibrary(data_dir)
    custom = lib.get("risk-watch").model_copy(update={"name": "Custom watch", "audience": "日本の担当者"})
    custom.cover.prepared_for = "The Minister"
    custom.sections[0].selection = Selection(fact_ids=["risk-weak-deterrence"], query=Query(since=date(2025, 6, 1),
                                             min_priority=3), max_count=6, order="date")
    lib.save(custom)
    out = tmp_path / "custom.template.json"
    r = cli("templates", "export", "Custom watch", str(out))
    assert r.code == 0, r.err
    assert read_template_file(out) == lib.get("Custom watch")
    # a fresh data folder (a colleague's machine)
    other = tmp_path / "colleague"
    other.mkdir()
    from briefer.cli import main

    assert main(["--data-dir", str(other), "templates", "import", str(out)]) == 0
    theirs = TemplateLibrary(other).get("Custom watch")
    assert theirs == lib.get("Custom watch")
    assert theirs.to_json() == out.read_text(encoding="utf-8")
    # the same briefing, fact for fact
    from briefer.ingest.factpack import open_store

    with open_store(other) as s2, open_store(data_dir) as s1:
        b1 = begin_template_export(s1, data_dir, "Custom watch", today=TODAY).briefing
        b2 = begin_template_export(s2, other, "Custom watch", today=TODAY).briefing
    assert b1 == b2 and b1.fact_ids()


def test_import_name_clash_needs_name(cli, data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "rw.json"
    assert cli("templates", "export", "risk-watch", str(out)).code == 0
    r = cli("templates", "import", str(out))
    _one_error_line(r)
    assert "--name" in r.err and "built-in" in r.err
    r = cli("templates", "import", str(out), "--name", "Weekly risk")
    assert r.code == 0 and "Weekly risk" in r.out
    mine = (data_dir / "templates" / "Weekly risk.json").read_bytes()
    r = cli("templates", "import", str(out), "--name", "weekly RISK")
    _one_error_line(r)
    assert "already exists" in r.err
    assert (data_dir / "templates" / "Weekly risk.json").read_bytes() == mine


def test_import_warns_about_unknown_fact_ids_and_export_skips_them(cli, data_dir: Path, tmp_path: Path) -> None:
    data = json.loads((resource("templates") / "us-japan-cooperation.json").read_text(encoding="utf-8"))
    data["name"] = "With ghosts"
    data["sections"][1]["selection"]["fact_ids"] += ["no-such-fact", "another-missing-fact"]
    f = tmp_path / "ghosts.json"
    f.write_text(json.dumps(data), encoding="utf-8")
    r = cli("templates", "import", str(f))
    assert r.code == 0
    assert "warning" in r.err and "no-such-fact" in r.err and "another-missing-fact" in r.err
    r = cli("templates", "show", "With ghosts", "--json")
    shown = json.loads(r.out)
    assert any("no-such-fact" in w for w in shown["warnings"])
    assert "no-such-fact" not in [f for s in shown["selects"] for f in s["fact_ids"]]


def test_list_and_show_json(cli) -> None:
    data = json.loads(cli("templates", "list", "--json").out)
    assert [d["name"] for d in data] == BUILTINS
    assert all(set(d) >= {"name", "builtin", "description"} and d["builtin"] is True for d in data)
    shown = json.loads(cli("templates", "show", "one-page-brief", "--json").out)
    assert shown["builtin"] is True and shown["template"]["name"] == "one-page-brief"
    assert Template.model_validate(shown["template"]) == TemplateLibrary(Path("/nonexistent")).get("one-page-brief")
    text = cli("templates", "show", "risk-watch").out
    assert "Public opinion" in text and "picks" in text


def test_cli_duplicate_rename_delete(cli, data_dir: Path) -> None:
    assert cli("templates", "duplicate", "one-page-brief", "Minister").code == 0
    assert cli("templates", "rename", "Minister", "Minister note").code == 0
    names = [d["name"] for d in json.loads(cli("templates", "list", "--json").out)]
    assert "Minister note" in names and "Minister" not in names
    assert cli("templates", "delete", "Minister note").code == 0
    _one_error_line(cli("templates", "delete", "Minister note"))
    _one_error_line(cli("templates", "delete", "one-page-brief"))
    assert (resource("templates") / "one-page-brief.json").is_file()


# -- bad input (point 8) -----------------------------------------------------------------------------


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good = json.loads((resource("templates") / "risk-watch.json").read_text(encoding="utf-8"))
    cases: dict[str, tuple[Path, str]] = {}

    def add(key: str, content: str | bytes, expect: str) -> None:
        p = tmp_path / f"{key}.json"
        p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        cases[key] = (p, expect)

    add("invalid-json", '{"format": "briefer-template", "name": ', "not valid JSON")
    add("not-a-template", json.dumps({"hello": "world"}), "not a Briefer template")
    add("a-list", "[1, 2, 3]", "not a Briefer template")
    add("briefing-file", json.dumps({"format": "briefer-briefing", "schema_version": 1, "briefing": {}}),
        "briefing file, not a template")
    newer = dict(good, schema_version=TEMPLATE_SCHEMA_VERSION + 1, shiny_new_field=True)
    add("newer", json.dumps(newer), "newer Briefer")
    unknown_section = json.loads(json.dumps(good))
    unknown_section["sections"][0]["section"] = "no-such-section"
    add("unknown-section", json.dumps(unknown_section), "unknown section id")
    bad_name = dict(good, name="../../etc/passwd")
    add("bad-name", json.dumps(bad_name), "cannot hold")
    reserved = dict(good, name="nul")
    add("reserved-name", json.dumps(reserved), "reserved device name")
    bad_tag = json.loads(json.dumps(good))
    bad_tag["sections"][0]["selection"]["query"]["tags_none"] = ["enforcement"]
    add("bad-tag", json.dumps(bad_tag), "is not a tag")
    evil = json.loads(json.dumps(good))
    evil["cover"]["title_pattern"] = "{title.__init__.__globals__}"
    add("evil-pattern", json.dumps(evil), "unknown placeholder")
    extra = dict(good, exec="__import__('os').system('touch /tmp/pwned')")
    add("unknown-field", json.dumps(extra), "Extra inputs are not permitted")
    add("deep", "[" * 100_000 + "]" * 100_000, "nested too deeply")
    add("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file")
    add("huge", b'{"format": "briefer-template", "pad": "' + b"x" * (2 * 1024 * 1024) + b'"}', "too large")
    return cases


@pytest.mark.parametrize("case", ["invalid-json", "not-a-template", "a-list", "briefing-file", "newer",
                                  "unknown-section", "bad-name", "reserved-name", "bad-tag", "evil-pattern",
                                  "unknown-field", "deep", "binary", "huge"])
def test_bad_template_files_are_refused_cleanly(cli, data_dir: Path, tmp_path: Path, case: str) -> None:
    lib = TemplateLibrary(data_dir)
    lib.duplicate("risk-watch", "keep me")  # a user file that must survive
    kept = (data_dir / "templates" / "keep me.json").read_bytes()
    path, expect = _bad_files(tmp_path)[case]
    original = path.read_bytes()
    for argv in (["templates", "import", str(path)], ["templates", "import", str(path), "--name", "keep me"],
                 ["templates", "show", str(path)], ["changes", "--template", str(path)]):
        r = cli(*argv)
        _one_error_line(r)
        if argv[-1] != "keep me":
            assert expect in r.err, (argv, r.err)
    assert path.read_bytes() == original
    assert (data_dir / "templates" / "keep me.json").read_bytes() == kept
    assert sorted(p.name for p in (data_dir / "templates").iterdir()) == ["keep me.json"]
    assert not Path("/tmp/pwned").exists()


def test_newer_template_error_is_schema_too_new(tmp_path: Path) -> None:
    p = tmp_path / "newer.json"
    good = json.loads((resource("templates") / "risk-watch.json").read_text(encoding="utf-8"))
    p.write_text(json.dumps(dict(good, schema_version=99)), encoding="utf-8")
    with pytest.raises(SchemaTooNewError, match="update Briefer"):
        read_template_file(p)


@pytest.mark.parametrize("name", ["a/b", "..", "x\\y", "what?", "CON", "x" * 65, ""])
def test_bad_names_on_the_command_line(cli, data_dir: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / "t.json"
    assert cli("templates", "export", "risk-watch", str(out)).code == 0
    for argv in (["templates", "import", str(out), "--name", name], ["templates", "duplicate", "risk-watch", name]):
        _one_error_line(cli(*argv))
    assert not (data_dir / "templates").exists() or not any((data_dir / "templates").iterdir())
    assert not (tmp_path / "a").exists()


def test_unknown_template_and_missing_file(cli, tmp_path: Path) -> None:
    _one_error_line(cli("templates", "show", "nope"))
    _one_error_line(cli("templates", "export", "nope", str(tmp_path / "x.json")))
    assert not (tmp_path / "x.json").exists()
    _one_error_line(cli("templates", "import", str(tmp_path / "missing.json")))
    _one_error_line(cli("templates", "import", str(tmp_path)))  # a folder
    _one_error_line(cli("changes", "--template", "nope"))


def test_export_failure_keeps_the_earlier_file(cli, tmp_path: Path) -> None:
    target = tmp_path / "shared.json"
    target.write_text("my earlier export", encoding="utf-8")
    _one_error_line(cli("templates", "export", "no-such", str(target)))
    assert target.read_text(encoding="utf-8") == "my earlier export"
    # a file that exists is not replaced without --force
    r = cli("templates", "export", "risk-watch", str(target))
    _one_error_line(r)
    assert "--force" in r.err and target.read_text(encoding="utf-8") == "my earlier export"
    assert cli("templates", "export", "one-page-brief", str(target), "--force").code == 0
    assert read_template_file(target).name == "one-page-brief"
    r = cli("templates", "export", "risk-watch", str(target))  # not even an earlier export of a template
    assert r.code == 2 and r.err.strip() == f"briefer: error: {target} exists; add --force to replace it"
    assert read_template_file(target).name == "one-page-brief"
    assert cli("templates", "export", "risk-watch", str(target), "--force").code == 0
    assert read_template_file(target).name == "risk-watch"
    _one_error_line(cli("templates", "export", "risk-watch", str(tmp_path / "missing-folder" / "x.json")))
    _one_error_line(cli("templates", "export", "risk-watch", str(tmp_path)))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_template_section_may_name_its_own_heading_and_intro(store) -> None:
    t = _template(sections=[TemplateSection(section="risks", heading="Gaps", intro="Why it matters.",
                                            layout="paragraphs").model_dump()])
    from briefer.domain.templates import briefing_from_selection

    b = briefing_from_selection(t, run_selection(t, store), today=TODAY)
    assert b.sections[0].heading == "Gaps" and b.sections[0].intro == "Why it matters."
    assert b.sections[0].layout == "paragraphs"
    assert b.cover.date_of_issue == TODAY


def test_validation_error_is_one_clear_sentence(tmp_path: Path) -> None:
    p = tmp_path / "t.json"
    p.write_text(json.dumps({"format": "briefer-template", "schema_version": 1, "name": "x",
                             "sections": [{"section": "risks", "selection": {"max_count": 0}}]}), encoding="utf-8")
    with pytest.raises(ValidationFailed) as exc:
        read_template_file(p)
    msg = str(exc.value)
    assert "\n" not in msg and "sections.0.selection.max_count" in msg


def test_changing_only_the_case_of_a_name_keeps_one_file(data_dir: Path) -> None:
    lib = TemplateLibrary(data_dir)
    lib.duplicate("risk-watch", "Mine")
    lib.rename("Mine", "MINE")
    assert [p.name for p in (data_dir / "templates").glob("*.json")] == ["MINE.json"]
    lib.save(lib.get("mine").model_copy(update={"description": "new"}), name="mine", replace=True)
    assert [p.name for p in (data_dir / "templates").glob("*.json")] == ["mine.json"]
    assert lib.get("Mine").description == "new"


def test_full_briefing_law_and_headquarters_read_in_a_reader_s_order(data_dir: Path, store) -> None:
    """By priority, the law section opened with the monitoring powers and set the Act's passage and its
    nature among the disputes; the Headquarters section opened with the basic plan's deadline and told
    when it was set up third.  The template now says the order: what the Act is, then what it asks and
    allows; when the Headquarters was set up and who leads it, then what it does and plans."""
    exp = begin_template_export(store, data_dir, "full-briefing", today=TODAY)
    by_section = {s.section: s.fact_ids() for s in exp.briefing.sections}
    assert by_section["law-summary"][:4] == ["ai-act-passed-may-28-2025", "ai-act-basic-law-character",
                                              "ai-act-promotion-oriented", "ai-act-penalties-disputed"]
    assert by_section["hq-structure"][:3] == ["hq-established-sept-1", "hq-head-disputed",
                                               "hq-responsible-minister-disputed"]
    hq = by_section["hq-structure"]
    assert hq.index("hq-basic-plan-by-end-of-year") < hq.index("hq-basic-plan-four-pillars")


def test_full_briefing_develops_every_part_its_subtitle_names(data_dir: Path, store) -> None:
    """Filled by priority alone, the law and the Headquarters took 11 facts each and the risks 8, and the
    U.S.-Japan section the subtitle names had one bullet.  The template caps the first three, so the room
    goes to the later sections."""
    exp = begin_template_export(store, data_dir, "full-briefing", today=TODAY)
    counts = {s.section: len(s.fact_ids()) for s in exp.briefing.sections}
    assert counts["law-summary"] <= 8 and counts["hq-structure"] <= 8 and counts["risks"] <= 6
    assert counts["us-japan-cooperation"] >= 5, counts
    assert all(n >= 1 for n in counts.values()), counts
