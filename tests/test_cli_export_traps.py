"""The export's traps a reviewer met (session 21): a folder as --out, a name whose extension is another
format's (each one line, exit 2, nothing written), and a dry run that promised a write the run refuses."""

from __future__ import annotations

from pathlib import Path


def test_a_folder_as_out_is_said_to_be_a_folder(cli, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "ex"
    folder.mkdir()
    for extra in ([], ["--format", "md"], ["--template", "one-page-brief"]):
        r = cli("export", "--out", str(folder), *extra)
        assert r.code == 2 and r.err.count("\n") == 1 and "it is a folder; give the file" in r.err, r.err
    assert list(folder.iterdir()) == []


def test_a_format_that_contradicts_the_extension_is_refused(cli, tmp_path: Path) -> None:  # noqa: ANN001
    r = cli("export", "--format", "docx", "--out", str(tmp_path / "notes.md"))
    assert r.code == 2 and "ends in .md" in r.err and "end the name with .docx" in r.err, r.err
    assert not (tmp_path / "notes.md").exists()
    # an extension no format claims is the user's choice
    r = cli("export", "--format", "md", "--out", str(tmp_path / "notes.txt"))
    assert r.code == 0 and "Japan" in (tmp_path / "notes.txt").read_text(encoding="utf-8"), r.err


def test_a_dry_run_says_what_the_run_would_refuse(cli, tmp_path: Path) -> None:  # noqa: ANN001
    """A dry run never asks and writes nothing (tests/test_cli_replace.py), but it says when the export itself
    would stop: it said "would write" for a file the run then refused to replace."""
    import json

    out = tmp_path / "full.docx"
    out.write_bytes(b"the analyst's earlier file")
    r = cli("export", "--template", "full-briefing", "--out", str(out), "--dry-run")
    assert r.code == 0 and "would write" in r.out, r.out
    assert f"warning: the export itself would stop: {out} exists; add --force to replace it" in r.err, r.err
    r = cli("export", "--template", "full-briefing", "--out", str(out), "--dry-run", "--json")
    assert json.loads(r.out)["refused"] == f"{out} exists; add --force to replace it"
    r = cli("export", "--template", "full-briefing", "--out", str(out), "--dry-run", "--force", "--json")
    assert r.code == 0 and json.loads(r.out)["refused"] is None and "would stop" not in r.err
    assert out.read_bytes() == b"the analyst's earlier file"


def _actions(parser):  # noqa: ANN001, ANN202
    import argparse

    for action in parser._actions:
        yield parser.prog, action
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _actions(sub)


def test_every_number_option_says_what_is_wrong_in_the_clis_words(cli) -> None:  # noqa: ANN001
    """argparse's own 'invalid int value: 'abc'' (e.g. 'config --stale-months abc') where the other options
    say "'abc' is not a whole number": every option and argument taking a number uses the CLI's types."""
    from briefer.cli import build_parser

    plain = [f"{prog} {a.dest}" for prog, a in _actions(build_parser()) if a.type in (int, float)]
    assert plain == []
    for argv in (["config", "--stale-months", "abc"], ["facts", "edit", "x", "--priority", "high"],
                 ["facts", "list", "--min-credibility", "2.5"]):
        r = cli(*argv)
        assert r.code == 2 and "is not a whole number" in r.err and "invalid int" not in r.err, r.err


def test_a_file_where_a_folder_is_named_is_said_to_be_a_file(cli, tmp_path: Path) -> None:  # noqa: ANN001
    """``--out notes.txt/brief.docx``: the message said "the folder notes.txt does not exist" of a file
    the analyst can see; it names the file that stands where a folder should be."""
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    for argv in (["export", "--no-page-numbers", "--out", str(notes / "brief.docx")],
                 ["export", "--no-page-numbers", "--out", str(notes / "brief.pdf")],
                 ["export", "--out", str(notes / "deeper" / "brief.md")],
                 ["backup", str(notes / "store-copy")],
                 ["templates", "export", "one-page-brief", str(notes / "t.json")],
                 ["briefing", "new", str(notes / "a.briefing.json"), "--template", "one-page-brief"]):
        r = cli(*argv)
        assert r.code == 2 and r.err.count("\n") == 1, (argv, r.err)
        assert f"{notes} is a file, not a folder" in r.err and "does not exist" not in r.err, (argv, r.err)
    assert notes.read_text(encoding="utf-8") == "my notes\n"
    # a folder that is truly missing is still said so
    r = cli("export", "--out", str(tmp_path / "missing" / "brief.md"))
    assert r.code == 2 and f"the folder {tmp_path / 'missing'} does not exist" in r.err, r.err
