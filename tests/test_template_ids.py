"""Stable template ids (issue 14 point 4): built-ins have fixed ids, a user template keeps its id across
renames, an old file without one gets one on first read (written back), briefing files link by id and
old ones by name; and the rule that refuses a template that may not be saved, the same in the CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from briefer.domain.briefing_file import read_briefing_file, save_briefing_file
from briefer.domain.template_check import check_template, preview_template, template_problems
from briefer.domain.template_library import TemplateLibrary
from briefer.domain.templates import Template
from briefer.errors import ValidationFailed

TODAY = date(2025, 11, 20)


def _old_file(data_dir: Path, name: str, **extra: object) -> Path:
    """A template file as Briefer wrote it before templates had ids."""
    t = TemplateLibrary(data_dir).get("risk-watch").model_dump(mode="json")
    t.pop("id")
    t["name"] = name
    t.update(extra)
    folder = data_dir / "templates"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(t), encoding="utf-8")
    return path


def test_builtins_have_fixed_ids(data_dir: Path) -> None:
    lib = TemplateLibrary(data_dir)
    ids = {i.name: i.id for i in lib.list()}
    assert ids["risk-watch"] == "builtin:risk-watch" and ids["full-briefing"] == "builtin:full-briefing"
    assert lib.find_by_id("builtin:risk-watch").name == "risk-watch"  # type: ignore[union-attr]


def test_old_file_gets_an_id_written_back_and_kept_across_rename(data_dir: Path, store) -> None:  # noqa: ANN001
    path = _old_file(data_dir, "Weekly risks")
    lib = TemplateLibrary(data_dir)
    first = lib.get("Weekly risks")
    assert first.id.startswith("t-")
    assert json.loads(path.read_text(encoding="utf-8"))["id"] == first.id  # written back, so it is kept
    assert lib.get("Weekly risks").id == first.id
    renamed = lib.rename("Weekly risks", "Risk note", store=store)
    assert renamed.id == first.id and not path.exists()
    assert lib.find_by_id(first.id).name == "Risk note"  # type: ignore[union-attr]


def test_copies_get_ids_of_their_own(data_dir: Path, tmp_path: Path, store) -> None:  # noqa: ANN001
    lib = TemplateLibrary(data_dir)
    copy = lib.duplicate("risk-watch", "My risks")
    assert copy.id.startswith("t-") and copy.id != "builtin:risk-watch"
    again = lib.duplicate("My risks", "My risks 2")
    assert again.id != copy.id
    # importing a file that carries an id the library already has gives it a new one
    shared = tmp_path / "shared.json"
    lib.export("My risks", shared)
    assert json.loads(shared.read_text(encoding="utf-8"))["id"] == copy.id
    imported, _ = lib.import_file(shared, name="From a colleague", store=store)
    assert imported.id not in (copy.id, again.id)
    # saving over one's own template keeps its id
    replaced = lib.save(lib.get("My risks").model_copy(update={"id": "", "description": "new"}), replace=True)
    assert replaced.id == copy.id and lib.get("My risks").description == "new"


def test_briefing_file_links_by_id_and_old_files_by_name(data_dir: Path, tmp_path: Path, store) -> None:  # noqa: ANN001
    from briefer.domain.briefing import Briefing

    lib = TemplateLibrary(data_dir)
    t = lib.duplicate("risk-watch", "Weekly")
    f = save_briefing_file(tmp_path / "a.briefing.json", Briefing(), template=t.name, template_id=t.id)
    lib.rename("Weekly", "Fortnightly", store=store)
    env = read_briefing_file(f)
    assert env.template == "Weekly" and env.template_id == t.id
    found = lib.find_link(env.template_id, env.template)
    assert found is not None and found.name == "Fortnightly" and found.length.target_pages == 4
    # a file saved before templates had ids still finds its template by name
    old = tmp_path / "old.briefing.json"
    data = json.loads(f.read_text(encoding="utf-8"))
    data.pop("template_id")
    data["template"] = "Fortnightly"
    old.write_text(json.dumps(data), encoding="utf-8")
    env = read_briefing_file(old)
    assert env.template_id is None
    assert lib.find_link(env.template_id, env.template).id == t.id  # type: ignore[union-attr]
    assert lib.find_link("t-gone", "no such template") is None


def test_the_rule_names_each_problem(data_dir: Path, store) -> None:  # noqa: ANN001
    lib = TemplateLibrary(data_dir)
    t = lib.get("risk-watch")
    assert template_problems(t, facts=store.facts(), taken=lib.taken(ignore_id=t.id)) == []
    # a duplicate name (another template of another id has it)
    clash = t.model_copy(update={"id": "t-other"})
    problems = template_problems(clash, taken=lib.taken())
    assert [p.field for p in problems] == ["name"] and "already exists" in problems[0].message
    # a query that matches nothing
    sec = t.sections[0]
    q = sec.selection.query.model_copy(update={"tags_any": ["topic:no-such-topic"]})  # type: ignore[union-attr]
    nothing = t.model_copy(update={"sections": [sec.model_copy(update={"selection": sec.selection.model_copy(
        update={"query": q})}), *t.sections[1:]]})
    problems = template_problems(nothing, facts=store.facts())
    assert [p.field for p in problems] == ["sections.0.query"]
    assert "section 1" in problems[0].message and "matches no fact" in problems[0].message
    with pytest.raises(ValidationFailed, match="section 1 .* selects nothing"):
        check_template(nothing, store)
    # the live count says the same: that section takes nothing
    preview = preview_template(nothing, store, today=TODAY)
    assert preview.selected[0] == 0 and preview.matches[0] == 0 and preview.problems
    full = preview_template(t, store, today=TODAY)
    assert full.total == sum(full.selected) > 0 and full.pages >= 1


@pytest.mark.parametrize(("change", "said"), [
    ({"sections": []}, "a template needs at least one section"),
    ({"length": {"target_words": None, "target_pages": 0}}, "a budget of 0 pages leaves no room"),
    ({"length": {"target_words": 0, "target_pages": None}}, "a budget of 0 words leaves no room"),
])
def test_cli_import_refuses_invalid_templates_with_the_reason(cli, data_dir: Path, tmp_path: Path,  # noqa: ANN001
                                                              change: dict[str, object], said: str) -> None:
    data = TemplateLibrary(data_dir).get("risk-watch").model_dump(mode="json")
    data.update(name="Broken", **change)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    r = cli("templates", "import", str(path))
    assert r.code == 2 and said in r.err and "Traceback" not in r.err
    assert not TemplateLibrary(data_dir).exists("Broken")


def test_cli_import_refuses_a_query_that_matches_nothing(cli, data_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    data = TemplateLibrary(data_dir).get("one-page-brief").model_dump(mode="json")
    data["name"] = "Nothing"
    for s in data["sections"]:
        s["selection"]["fact_ids"] = []
        s["selection"]["query"] = {"sections": "all", "tags_all": ["topic:nowhere"]}
    path = tmp_path / "nothing.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    r = cli("templates", "import", str(path))
    assert r.code == 2 and "selects nothing" in r.err and "matches no fact" in r.err
    assert not TemplateLibrary(data_dir).exists("Nothing")


def test_update_renames_and_keeps_id_and_editions(data_dir: Path, store) -> None:  # noqa: ANN001
    from briefer.domain.templates import prepare
    from briefer.store.editions import latest_edition

    lib = TemplateLibrary(data_dir)
    t = lib.duplicate("risk-watch", "Weekly")
    prepare(t, store, today=TODAY).record()
    edited = lib.get("Weekly").model_copy(update={"name": "Weekly risks", "audience": "desks"})
    saved = lib.update("Weekly", edited, store=store)
    assert saved.id == t.id and not lib.exists("Weekly") and lib.get("Weekly risks").audience == "desks"
    assert latest_edition(store, "Weekly risks") is not None  # its editions followed it
    with pytest.raises(ValidationFailed, match="already exists"):
        lib.update(None, edited.model_copy(update={"name": "weekly RISKS"}), store=store)
    with pytest.raises(Exception, match="built-in"):
        lib.update("risk-watch", lib.get("risk-watch"), store=store)
    assert isinstance(saved, Template)
