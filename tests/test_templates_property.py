"""Whatever a template or briefing file holds, reading it either succeeds or
fails with one clear KnownError: never another exception, never evaluation."""

from __future__ import annotations

import json
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefer.domain import titles
from briefer.domain.briefing_file import briefing_file_from_data
from briefer.domain.templates import TemplateNameError, check_template_name, parse_json_data, template_from_data
from briefer.errors import KnownError

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
template_keys = st.sampled_from(["format", "schema_version", "name", "sections", "cover", "switches", "length",
                                 "description", "audience"])


@given(st.dictionaries(template_keys, json_values, max_size=9), st.booleans())
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_any_json_object_is_a_template_or_a_clear_error(data: dict, stamp: bool) -> None:
    if stamp:
        data = {**data, "format": "briefer-template", "schema_version": 1}
    try:
        t = template_from_data(data, "f.json")
    except KnownError as exc:
        assert "\n" not in str(exc)
    else:
        assert t.sections and check_template_name(t.name) == t.name


@given(json_values)
@settings(max_examples=200)
def test_any_json_is_a_briefing_file_or_a_clear_error(data: object) -> None:
    try:
        briefing_file_from_data(data, "f.briefing.json")
    except KnownError as exc:
        assert "\n" not in str(exc)


@given(st.text(max_size=300))
@settings(max_examples=500)
def test_any_text_is_json_or_a_clear_error(text: str) -> None:
    try:
        parse_json_data(text, "f.json", "Briefer template")
    except KnownError as exc:
        assert "\n" not in str(exc)


@given(st.text(max_size=120))
@settings(max_examples=500)
def test_any_title_pattern_renders_or_is_refused(pattern: str) -> None:
    try:
        out = titles.render(pattern, {"title": "T", "date": date(2026, 1, 2), "template": "x"})
    except titles.PatternError as exc:
        assert str(exc)
    else:
        assert isinstance(out, str) and "\x00" not in out


@given(st.text(max_size=80))
@settings(max_examples=500)
def test_any_name_is_accepted_safely_or_refused(name: str) -> None:
    try:
        clean = check_template_name(name)
    except TemplateNameError:
        return
    assert clean and "/" not in clean and "\\" not in clean and not clean.startswith(".")
    assert len(clean) <= 64 and json.loads(json.dumps(clean)) == clean


@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=5))
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_unknown_fact_ids_are_one_line_warnings(store, ids: list[str]) -> None:
    from briefer.domain.briefing import Briefing, BriefingSection, FactItem
    from briefer.domain.briefing_file import BriefingFile, check_briefing

    env = BriefingFile(briefing=Briefing(sections=[BriefingSection(
        section="risks", items=[FactItem(fact_id=i) for i in ids])]))
    briefing, warnings = check_briefing(env, store)
    assert set(briefing.fact_ids()) <= {f.id for f in store.facts()}
    assert all("\n" not in w and "\r" not in w for w in warnings)
