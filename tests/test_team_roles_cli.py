"""``briefer team …`` and a reader's edits through the CLI: one line and exit status 2 for what the role
may not do, however the edit arrives (issue 15 point 3)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import psycopg
import pytest
import team_support

_N = itertools.count()


@pytest.mark.parametrize("argv", [["team", "users"], ["team", "add-user", "bob", "--role", "reader"],
                                  ["team", "remove-user", "bob"]])
def test_team_commands_on_a_local_store_say_they_need_a_team_library(cli, argv: list[str]) -> None:
    r = cli(*argv)
    assert r.code == 2
    assert r.err.count("\n") == 1 and "needs a team library" in r.err and "Traceback" not in r.err


def test_whoami_on_a_local_store(cli) -> None:  # noqa: ANN001
    r = cli("team", "whoami", "--json")
    assert r.code == 0 and json.loads(r.out)["role"] == "local"


def test_sharing_a_template_on_a_local_store_needs_a_team_library(cli) -> None:  # noqa: ANN001
    assert cli("templates", "duplicate", "risk-watch", "Mine").code == 0
    r = cli("templates", "share", "Mine")
    assert r.code == 2 and "needs a team library" in r.err


# -- on a team library ---------------------------------------------------------------------------


class Team:
    """A team library created through Briefer (schema, roles and seed pack) by the cluster's superuser;
    ``run(user, *argv)`` runs the CLI in-process as that user, each with a data folder of its own."""

    def __init__(self, server, root: Path, capsys) -> None:  # noqa: ANN001
        self.server, self.root, self.capsys = server, root, capsys
        self.db = f"cli{next(_N)}"
        team_support.seeded_library(server, root / "creator", self.db)
        n = next(_N)
        self.users = {role: f"cli_{role}_{n}" for role in ("reader", "editor", "admin")}

    def run(self, user: str | None, *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
        import io
        import sys

        from briefer.cli import main

        self.capsys.readouterr()
        old = sys.stdin
        sys.stdin = io.StringIO(stdin or "")
        try:
            code = main(["--data-dir", str(self.root / (user or "superuser")), "--store",
                         self.server.url(user=user, db=self.db), *argv])
        except SystemExit as exc:
            code = int(exc.code or 0)
        finally:
            sys.stdin = old
        out = self.capsys.readouterr()
        return code, out.out, out.err

    def with_users(self) -> Team:
        for role, user in self.users.items():
            code, _out, err = self.run(None, "team", "add-user", user, "--role", role)
            assert code == 0, err
        return self


@pytest.fixture
def team(pg_server, tmp_path: Path, capsys) -> Team:  # noqa: ANN001
    return Team(pg_server, tmp_path, capsys)


@pytest.mark.postgres
def test_an_admin_manages_users_and_others_are_refused(pg_server, team: Team) -> None:  # noqa: ANN001
    users = team.users
    code, out, err = team.run(None, "team", "add-user", users["admin"], "--role", "admin")
    assert code == 0, err
    assert f"Added user {users['admin']} as admin" in out
    code, out, err = team.run(users["admin"], "team", "add-user", users["editor"], "--role", "editor",
                              "--password-stdin", stdin="correct horse\n")
    assert code == 0, err
    assert "password set" in out and "correct horse" not in out + err
    code, out, err = team.run(users["admin"], "team", "add-user", users["reader"], "--role", "reader")
    assert code == 0, err
    code, out, _err = team.run(users["editor"], "team", "users", "--json")
    listed = {u["name"]: u["role"] for u in json.loads(out)}
    assert code == 0 and listed[users["editor"]] == "editor" and listed[users["reader"]] == "reader"
    # an editor may not manage users: one line, exit 2, nothing asked for
    code, out, err = team.run(users["editor"], "team", "add-user", "mallory", "--role", "admin",
                              "--password-stdin", stdin="x\n")
    assert code == 2 and err.count("\n") == 1
    assert "adding a user needs an admin connection" in err and "(role editor)" in err
    code, out, err = team.run(users["reader"], "team", "remove-user", users["editor"])
    assert code == 2 and "removing a user needs an admin connection" in err
    with psycopg.connect(pg_server.url(db=team.db)) as conn:
        assert conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = 'mallory'").fetchone() == (0,)
    # the password was never written to Briefer's files
    for path in team.root.rglob("*"):
        if path.is_file():
            assert b"correct horse" not in path.read_bytes()
    code, out, err = team.run(users["admin"], "team", "remove-user", users["reader"])
    assert code == 0 and f"Removed user {users['reader']}" in out


@pytest.mark.postgres
@pytest.mark.parametrize("argv, doing", [
    (["facts", "edit", "bg-soft-law-approach-defined", "--priority", "1"], "may not edit facts"),
    (["facts", "tag", "bg-soft-law-approach-defined", "--add", "topic:team-library-test"], "may not edit facts"),
    (["facts", "status", "bg-soft-law-approach-defined", "disputed", "--reason", "r"], "may not edit facts"),
    (["facts", "delete", "bg-soft-law-approach-defined", "--force"], "may not delete facts"),
    (["sources", "grade", "{source}", "{grade}"], "may not edit sources"),
])
def test_a_reader_editing_through_the_cli_gets_the_servers_refusal_in_one_line(
        team: Team, argv: list[str], doing: str) -> None:
    team.with_users()
    reader = team.users["reader"]
    code, out, _err = team.run(reader, "sources", "list", "--json")
    source = json.loads(out)[0]
    grade = "A" if source["reliability"] != "A" else "B"
    code, before, _err = team.run(reader, "facts", "show", "bg-soft-law-approach-defined", "--json")
    assert code == 0
    code, out, err = team.run(reader, *[a.replace("{source}", source["id"]).replace("{grade}", grade) for a in argv])
    assert code == 2, out + err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("briefer: error: the team library refused the change: your role (reader) ")
    assert doing in err
    _code, after, _err = team.run(reader, "facts", "show", "bg-soft-law-approach-defined", "--json")
    assert json.loads(after) == json.loads(before)


@pytest.mark.postgres
def test_an_editor_edits_and_may_not_delete(team: Team) -> None:
    team.with_users()
    editor = team.users["editor"]
    code, out, err = team.run(editor, "facts", "edit", "bg-soft-law-approach-defined", "--priority", "1")
    assert code == 0, err
    code, out, err = team.run(editor, "facts", "delete", "bg-soft-law-approach-defined", "--force")
    assert code == 2 and "your role (editor) may not delete facts" in err
    code, out, err = team.run(team.users["admin"], "facts", "delete", "bg-soft-law-approach-defined", "--force")
    assert code == 0, err


@pytest.mark.postgres
def test_templates_in_a_team_library_through_the_cli(team: Team) -> None:
    team.with_users()
    reader, editor = team.users["reader"], team.users["editor"]
    assert team.run(editor, "templates", "duplicate", "risk-watch", "Desk watch")[0] == 0
    code, out, err = team.run(editor, "templates", "share", "Desk watch")
    assert code == 0 and "shared with the team" in out, err
    code, out, _err = team.run(reader, "templates", "list")
    assert "Desk watch  [shared]" in out
    code, out, err = team.run(reader, "templates", "delete", "Desk watch")
    assert code == 2 and "your role (reader) may not delete shared templates" in err
    assert team.run(reader, "templates", "duplicate", "Desk watch", "My watch")[0] == 0
    code, out, err = team.run(reader, "templates", "share", "My watch")
    assert code == 2 and "your role (reader) may not write shared templates" in err
    code, out, _err = team.run(editor, "templates", "list", "--json")
    assert "My watch" not in {t["name"] for t in json.loads(out)}
    # nothing went to the data folders' template files
    assert not list(team.root.rglob("*.json")) or all("templates" not in p.parts for p in team.root.rglob("*.json"))


@pytest.mark.postgres
def test_a_reader_builds_and_exports_a_briefing_and_its_edition_is_recorded_as_theirs(pg_server, team: Team) -> None:
    team.with_users()
    reader = team.users["reader"]
    out_file = team.root / "brief.md"
    code, out, err = team.run(reader, "export", "--template", "one-page-brief", "--format", "md", "--out",
                              str(out_file), "--record-edition")
    assert code == 0, err
    assert out_file.read_text(encoding="utf-8").strip()
    with psycopg.connect(pg_server.url(db=team.db)) as conn:
        rows = conn.execute("SELECT template, recorded_by FROM editions").fetchall()
    assert rows == [("one-page-brief", reader)]
    # and a search
    code, out, err = team.run(reader, "facts", "search", "Headquarters")
    assert code == 0 and out.strip(), err


@pytest.mark.postgres
def test_a_reader_importing_a_document_is_refused_and_nothing_of_it_stays(pg_server, team: Team) -> None:
    team.with_users()
    doc = team.root / "plan.html"
    doc.write_text("<html><head><title>Cabinet approves the AI Basic Plan</title></head><body><article>"
                   "<p>The Cabinet on December 23, 2025 approved the AI Basic Plan drafted by the AI Strategy "
                   "Headquarters.</p></article></body></html>", encoding="utf-8")
    with psycopg.connect(pg_server.url(db=team.db)) as conn:
        before = conn.execute("SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM candidates)").fetchone()
    code, out, err = team.run(team.users["reader"], "import", str(doc))
    assert code == 2, out + err
    assert err == "briefer: error: the team library refused the change: your role (reader) may not import sources\n"
    with psycopg.connect(pg_server.url(db=team.db)) as conn:
        after = conn.execute("SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM candidates)").fetchone()
    assert after == before
    code, out, err = team.run(team.users["editor"], "import", str(doc))
    assert code == 0, err
