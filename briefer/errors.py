"""Typed errors raised by Briefer, each saying who is at fault.

Every problem a user can cause or fix (a corrupt file, a newer schema, an
unwritable folder, an unknown id, a busy store, a full disk) is a
:class:`KnownError`: its message is one sentence, and its class carries the
advice (:attr:`KnownError.advice`).  The CLI prints the message as one line and
exits 2; the window shows it with the advice.  Nothing picks advice by matching
a message's text: a new kind of fault is a new subclass.

Anything else is a :class:`BugError` (or any other exception): a fault in
Briefer itself.  The window saves the user's work (autosave) and then shows the
crash dialog; the CLI prints one line and a "please report" hint and exits 70.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

#: where a bug is reported (the CLI's hint and the crash dialog)
REPORT_HINT = ("this is a bug in Briefer; please report it with the command you ran "
               "(set BRIEFER_TRACEBACK=1 to print the details)")


class BrieferError(Exception):
    """Base class of every error Briefer raises on purpose."""


class KnownError(BrieferError):
    """A problem with the user's input or environment, explained in one sentence."""

    #: process exit status the CLI uses for this error
    exit_code: ClassVar[int] = 2
    #: what the user can do about it (the window shows it under the message)
    advice: ClassVar[str] = "Nothing was lost: your briefing is still open."


class NotFoundError(KnownError):
    """An id (fact, source, section, template) that does not exist."""


class StoreError(KnownError):
    """The fact store cannot be opened or used (corrupt, locked, unwritable)."""

    advice = "Nothing was changed. Close other programs using the store, or restore it from a backup."


class StoreBusy(StoreError):
    """Another connection holds the store (SQLITE_BUSY): another Briefer, a backup, a sync tool."""

    advice = "Nothing was changed. Close the other Briefer (or the program holding the store) and try again."


class StoreLocked(StoreBusy):
    """A table is locked by another statement or connection (SQLITE_LOCKED)."""


class StoreReadOnly(StoreError):
    """The store's file or folder cannot be written."""

    advice = "Nothing was changed. Check the permissions of the data folder, or choose another with --data-dir."


class DiskFull(StoreError):
    """The disk (or a quota) is full."""

    advice = "Nothing was changed. Free some disk space, then try again."


class StoreIOError(StoreError):
    """The disk could not be read or written (failing disk, network share gone, size limit)."""

    advice = "Nothing was changed. Check the disk or network folder, then try again."


class StoreCorrupt(StoreError):
    """The file is not a readable Briefer database."""

    advice = "The file was left as it is. Restore the store from a backup (briefer backup restore)."


class StoreInterrupted(StoreError):
    """A long store operation was interrupted on request."""

    advice = "Nothing was changed. Try again."


class SchemaTooNewError(StoreError):
    """A file or database written by a newer Briefer than this one."""

    # every such message already says to update Briefer (to open, restore or use it): not said twice
    advice = "Nothing was changed."


class StoreUnreachable(StoreError):
    """A team library's server that cannot be reached, refuses the login, or dropped the connection."""

    advice = ("Nothing was changed, and your local data was not touched. Check the server address, your "
              "network and your password (~/.pgpass or PGPASSWORD), then try again.")


class StoreNotPermitted(StoreReadOnly):
    """A team library whose server refuses this database user the change (its role)."""

    advice = "Nothing was changed. Ask the team library's administrator for a role that may do it."


class ValidationFailed(KnownError):
    """Data that does not have the shape Briefer expects."""

    advice = "The file was left as it is. Check that it is a Briefer file and not damaged."


class WriteFailed(KnownError):
    """A file (briefing, export, template) that could not be written where the user asked."""

    advice = "Choose another folder, or close the program that holds the file, then try again."


class ExportError(WriteFailed):
    """An export that could not be written."""


class ImportFailed(KnownError):
    """A document that could not be imported."""

    advice = "The store was not changed. Check that the file is a readable document."


class BackupError(KnownError):
    """A backup archive that cannot be written, read or restored."""

    advice = "The store was left as it was. Check the archive and the folder, then try again."


class StaleEdit(StoreError):
    """An edit based on a version of a fact that someone else has changed since."""

    advice = "Your edit was not saved. Reopen the fact to see the other change, then edit again."


class RoleRefused(StoreNotPermitted):
    """The team library's server refused a change the connected user's role may not make."""

    advice = "Nothing was changed. Ask an admin of the team library for a role that may make this change."


class NeedsTeamLibrary(KnownError):
    """A command that only means something on a team library (PostgreSQL), run on a local store."""

    advice = "Point Briefer at a team library (--store postgresql://USER@HOST/DB or BRIEFER_STORE) first."


class BugError(BrieferError):
    """A fault in Briefer itself (a wrong query, a broken invariant): not the user's doing.

    The window autosaves and shows the crash dialog; the CLI exits 70 with a "please report" hint."""

    #: EX_SOFTWARE (sysexits.h): an internal software error
    exit_code: ClassVar[int] = 70


def advice_for(exc: BaseException) -> str:
    """The advice shown with ``exc``: its class's, for a :class:`KnownError`; for an environment fault
    no closer code put into words (an ``OSError``), the generic one."""
    if isinstance(exc, KnownError):
        return exc.advice
    return KnownError.advice


def missing_folder(path: Path) -> str:
    """Why ``path`` cannot be written when its folder is not there: a folder named in it that is a
    file (``notes.txt/brief.docx``) is said as such, not as a folder that "does not exist"."""
    for up in path.parents:
        try:
            if up.is_dir():
                break
            if up.exists():
                return f"cannot write {path}: {up} is a file, not a folder"
        except OSError:
            break
    return f"cannot write {path}: the folder {path.parent} does not exist"
