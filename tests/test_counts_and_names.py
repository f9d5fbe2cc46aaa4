"""What the analyst reads from the CLI and the dialogs: a number agrees with its noun ("1 section",
"2 sections", never "1 sections" or "section(s)"), and a fact's notes and a conflict name each source
by its label, never by a seed file's number ("001") or a source id (issue 14, point 8)."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "briefer"

#: "fact(s)", "alias(es)", "inconsistenc(ies)": a plural the program did not bother to agree
_HEDGED_PLURAL = re.compile(r"[A-Za-z]\((?:s|es|ies)\)")


def _string_literals(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module (f-strings whole), without comments; raw strings (the
    package's regular expressions) are left out."""
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if tok.type != tokenize.STRING:
            continue
        prefix = re.match(r"[A-Za-z]*", tok.string).group(0).lower()  # type: ignore[union-attr]
        if "r" not in prefix:
            out.append((tok.start[0], tok.string))
    return out


def test_no_string_in_the_package_hedges_a_plural_with_parentheses() -> None:
    found = [f"{p.relative_to(PACKAGE.parent)}:{line}: {text[:80]}"
             for p in sorted(PACKAGE.rglob("*.py")) for line, text in _string_literals(p)
             if _HEDGED_PLURAL.search(text)]
    assert found == [], "use briefer.domain.typography.count:\n" + "\n".join(found)


def test_the_scan_sees_a_hedged_plural_in_an_fstring_but_not_in_a_comment(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('# 3 fact(s) in a comment\nx = f"{n} source(s)"\ny = r"\\w(s)"\n', encoding="utf-8")
    assert [line for line, text in _string_literals(sample) if _HEDGED_PLURAL.search(text)] == [2]


# -- the CLI, with one and with two ---------------------------------------------------------------


def _one_fact_section(cli, section: str) -> tuple[str, str]:  # noqa: ANN001
    import json

    facts = json.loads(cli("facts", "list", "--section", section, "--json").out)
    return facts[0]["id"], facts[1]["id"]


def test_a_dry_run_says_one_fact_in_one_section_and_two_in_two(cli, tmp_path: Path) -> None:  # noqa: ANN001
    import json

    a, b = _one_fact_section(cli, "law-summary")
    c, _ = _one_fact_section(cli, "risks")
    for name, sections in (("one", [("law-summary", [a])]), ("two", [("law-summary", [a, b]), ("risks", [c])])):
        r = cli("briefing", "new", "--template", "compendium", str(tmp_path / f"{name}.briefing.json"))
        assert r.code == 0, r.err
        path = tmp_path / f"{name}.briefing.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        data["briefing"]["sections"] = [{"section": s, "items": [{"kind": "fact", "fact_id": f} for f in ids]}
                                        for s, ids in sections]
        data["facts"] = {f: v for f, v in data["facts"].items() if any(f in ids for _s, ids in sections)}
        path.write_text(json.dumps(data), encoding="utf-8")
    one = cli("export", "--briefing", str(tmp_path / "one.briefing.json"), "--dry-run")
    assert one.code == 0, one.err
    assert "1 fact in 1 section" in one.out and "1 sections" not in one.out
    two = cli("export", "--briefing", str(tmp_path / "two.briefing.json"), "--dry-run")
    assert two.code == 0, two.err
    assert "3 facts in 2 sections" in two.out


def test_conflicts_list_counts_agree(cli, store, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    from briefer.domain.conflicts import conflicts_for_fact
    from briefer.ingest.review import store_conflicts

    everything = store_conflicts(store)
    one_fact = next(f for f in store.facts() if len(conflicts_for_fact(everything, f.id)) == 1)
    r = cli("conflicts", "list", "--all", "--fact", one_fact.id)
    assert r.code == 0, r.err
    assert r.out.rstrip().endswith("1 conflict") and "(s)" not in r.out
    two = next(f for f in store.facts() if len(conflicts_for_fact(everything, f.id)) == 2)
    r = cli("conflicts", "list", "--all", "--fact", two.id)
    assert r.out.rstrip().endswith("2 conflicts")


def test_an_import_says_one_source(cli, tmp_path: Path) -> None:  # noqa: ANN001
    page = tmp_path / "plan.md"
    page.write_text("# Cabinet approves the AI Basic Plan\n\nThe Cabinet on December 23, 2025 approved the AI "
                    "Basic Plan drafted by the AI Strategy Headquarters, officials said on Tuesday.\n",
                    encoding="utf-8")
    r = cli("import", str(page))
    assert r.code == 0, r.err
    assert "Imported 1 source;" in r.out and "1 candidate waits for review" in r.out
    assert "(s)" not in r.out
    listed = cli("candidates", "list")
    # the source by its label (its id kept beside it, for --source), and one candidate
    assert "Cabinet approves the AI Basic Plan (" in listed.out and listed.out.rstrip().endswith("\n1 candidate")


# -- sources by their labels -------------------------------------------------------------------------


def test_facts_show_names_the_sources_in_the_notes_by_their_labels(cli, store) -> None:  # noqa: ANN001
    from briefer.domain.source_names import short_label

    fact = store.fact("ai-act-cooperation-required-disputed")
    assert "001 attributes" in fact.notes  # the pack's notes use the seed files' numbers
    r = cli("facts", "show", fact.id)
    assert r.code == 0, r.err
    notes = " ".join(r.out[r.out.index("notes:"):].split())
    by_number = {s.file[:3]: s for s in store.sources() if s.file and s.file[:3].isdigit()}
    assert not re.search(r"(?<![\w.-])00\d(?![\w.-])", notes.split(" version: ")[0]), notes
    assert " ".join(f"{short_label(by_number['001'])} attributes the requirement".split()) in notes
    # the JSON keeps the stored notes as they are: it is data, not the reader's text
    import json

    assert json.loads(cli("facts", "show", fact.id, "--json").out)["notes"] == fact.notes


def test_conflicts_list_names_the_sides_sources_by_their_labels(cli, store) -> None:  # noqa: ANN001
    from briefer.domain.source_names import short_label

    r = cli("conflicts", "list", "--all")
    assert r.code == 0, r.err
    sides = [line for line in r.out.splitlines() if line.startswith("    - ")]
    assert sides
    ids = {s.id for s in store.sources()}
    joined = "\n".join(sides)
    assert not any(re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", joined) for i in ids), joined
    assert any(short_label(s) in joined for s in store.sources())
