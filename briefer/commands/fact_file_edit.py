"""``briefer facts edit ID --from FILE`` and ``--editor``: a fact edited as a whole, as JSON, based on the
version it was read at (issue 15, point 2).

``briefer facts show ID --json`` prints the fact with its ``version``; the edited file keeps that
number, so saving it is refused — exit 2, one line naming who changed the fact and when — if
someone saved the fact in between, however long the file sat in an editor.  ``--editor`` does the
round trip itself: it writes the fact with its version to a temporary file, opens ``$VISUAL`` or
``$EDITOR`` on it, and saves what comes back the same way.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from briefer.errors import KnownError, ValidationFailed

#: the fields a fact file may change (the rest of the fact stays as stored)
EDITABLE = ("id", "section", "statement", "citations", "status", "as_of", "tags", "priority", "notes",
            "superseded_by")
#: fields ``facts show --json`` prints that are not edited (worked out by Briefer)
IGNORED = ("variance", "version")


def fact_document(store: Any, fact_id: str) -> dict[str, Any]:
    """The fact as ``facts show --json`` prints it, with the version it is at."""
    from briefer.commands.facts import fact_json

    version = store.fact_version(fact_id).version  # read first: a change in between is a conflict, never lost
    data = fact_json(store.fact(fact_id))
    data["version"] = version
    return data


def _parse(text: str, label: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValidationFailed(f"{label} is not valid JSON (line {getattr(exc, 'lineno', '?')}): "
                               f"{getattr(exc, 'msg', exc)}") from None
    if not isinstance(data, dict):
        raise ValidationFailed(f"{label} must hold one fact (a JSON object), as 'briefer facts show ID --json' "
                               "prints it")
    unknown = sorted(set(data) - set(EDITABLE) - set(IGNORED))
    if unknown:
        raise ValidationFailed(f"{label} has a field a fact does not have: {unknown[0]!r}")
    return data


def _run_editor(text: str) -> str:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise KnownError("set $VISUAL or $EDITOR to the editor to use (or edit a file and give it with --from)")
    with tempfile.TemporaryDirectory(prefix="briefer-edit-") as folder:
        path = Path(folder) / "fact.json"
        path.write_text(text, encoding="utf-8")
        try:
            done = subprocess.run([*shlex.split(editor), str(path)], check=False)
        except OSError as exc:
            raise KnownError(f"cannot start the editor {editor!r}: {exc.strerror or exc}") from None
        if done.returncode != 0:
            raise KnownError(f"the editor {editor!r} exited with status {done.returncode}; nothing was saved")
        return path.read_text(encoding="utf-8")


def edit_whole_fact(ctx: Any, args: Any, analyst: str) -> Any:
    """Save the fact from ``--from FILE`` or from ``$EDITOR``; returns the saved fact."""
    from briefer.domain import curation
    from briefer.fileio import read_data_file

    store = ctx.store()
    if args.editor:
        before = fact_document(store, args.id)
        text = _run_editor(json.dumps(before, ensure_ascii=False, indent=2) + "\n")
        label = "the edited fact"
        data = _parse(text, label)
        if {k: v for k, v in data.items() if k != "version"} == {k: v for k, v in before.items() if k != "version"}:
            raise KnownError(f"fact {args.id!r} was left as it was in the editor; nothing was saved")
    else:
        label = str(args.from_file)
        data = _parse(read_data_file(Path(args.from_file), what="fact file"), label)
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValidationFailed(f"{label} does not say which version of the fact it edits (a \"version\" number, as "
                               f"'briefer facts show {args.id} --json' prints it)")
    stored = store.fact(args.id).model_dump(mode="json")
    stored.update({k: v for k, v in data.items() if k in EDITABLE})
    try:
        fact = curation.build_fact(**stored)
    except KnownError as exc:
        raise ValidationFailed(f"{label}: {exc}") from None
    return curation.edit_fact(store, args.id, fact, analyst=analyst, expected_version=version)
