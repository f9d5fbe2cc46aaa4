"""Importing documents: one path for ``briefer import`` and the window's import dialog.

:func:`analyse` reads the files and proposes candidate facts (nothing is written);
:func:`import_plan` writes the sources and the accepted facts in one transaction, signed
with the analyst's name from the preferences.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from briefer.domain.typography import count
from briefer.errors import ImportFailed


def analyse(paths: list[Path], store: Any, *, progress: Callable[[int, int, str], None] | None = None,
            cancelled: Callable[[], bool] | None = None) -> Any:
    """The import plan for ``paths``: each document's metadata and candidate facts."""
    from briefer.ingest.pipeline import prepare

    kwargs: dict[str, Any] = {}
    if progress is not None:
        kwargs["progress"] = progress
    if cancelled is not None:
        kwargs["cancelled"] = cancelled
    return prepare(list(paths), store, **kwargs)


def refuse_unreadable(plan: Any) -> None:
    """An import of several files is all or nothing: the first unreadable file stops it, said in one line."""
    if plan.errors:
        _path, msg = plan.errors[0]
        others = len(plan.errors) - 1
        more = (f" (and {count(others, 'more file')} {'was' if others == 1 else 'were'} unreadable)"
                if others else "")
        raise ImportFailed(f"{msg}{more}; nothing was imported")


def import_plan(plan: Any, store: Any, data_dir: Path, *, accept_all: bool = False,
                reliability: str | None = None) -> Any:
    """Write ``plan`` to the store (one transaction); ``reliability`` grades every new source."""
    from briefer.ingest.pipeline import commit
    from briefer.store.preferences import analyst_name

    if reliability:
        for doc in plan.documents:
            doc.reliability = reliability
    return commit(plan, store, analyst=analyst_name(Path(data_dir)), accept_all=accept_all)
