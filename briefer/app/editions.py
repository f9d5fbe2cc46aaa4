"""When an export is recorded as an edition of its template: one rule for ``briefer export`` and
the window's export dialog.

An edition is what "what changed since the last edition" compares against, so recording one is
an explicit act.  The default is on only for the first export of a fresh template run (a briefing
just made from a template, nothing recorded from it yet); exporting the same briefing again (as
another format, or after a correction) records nothing unless asked.
"""

from __future__ import annotations

from typing import Any

from briefer.errors import KnownError


def record_by_default(template: str | None, *, fresh_run: bool, recorded: int) -> bool:
    """Whether an export records an edition when the user did not say.

    ``fresh_run``: the briefing was made from ``template`` in this session (``briefer export
    --template``, the window's New from template) rather than opened from a file; ``recorded``:
    how many editions this briefing has recorded already."""
    return bool(template) and fresh_run and recorded == 0


def should_record(template: str | None, asked: bool | None, *, fresh_run: bool, recorded: int) -> bool:
    """The user's choice (``asked``: True, False or None for the default); recording without a
    template is refused with the reason."""
    if asked is None:
        return record_by_default(template, fresh_run=fresh_run, recorded=recorded)
    if asked and not template:
        raise KnownError("--record-edition needs a briefing made from a template "
                         "(--template NAME, or a --briefing file saved from one)")
    return asked


def next_edition_number(store: Any, template: str, template_id: str | None = None) -> int:
    """The number the next recorded edition of ``template`` (of id ``template_id``) gets."""
    from briefer.store.editions import latest_edition

    last = latest_edition(store, template, template_id)
    return last.number + 1 if last is not None else 1
