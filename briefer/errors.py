"""Typed errors raised by Briefer's core.

Every problem a user can cause or fix (a corrupt file, a newer schema, an
unwritable folder, an unknown id) is a :class:`KnownError`: the CLI prints its
message as one line and exits 2, the window shows it in a dialog.  Anything
else is a bug and goes to the crash handler.
"""

from __future__ import annotations


class BrieferError(Exception):
    """Base class of every error Briefer raises on purpose."""


class KnownError(BrieferError):
    """A problem with the user's input or environment, explained in one sentence."""

    #: process exit status the CLI uses for this error
    exit_code = 2


class NotFoundError(KnownError):
    """An id (fact, source, section, template) that does not exist."""


class StoreError(KnownError):
    """The fact store cannot be opened or used (corrupt, locked, unwritable)."""


class SchemaTooNewError(StoreError):
    """A file or database written by a newer Briefer than this one."""


class ValidationFailed(KnownError):
    """Data that does not have the shape Briefer expects."""


class ExportError(KnownError):
    """An export that could not be written."""


class ImportFailed(KnownError):
    """A document that could not be imported."""


class BackupError(KnownError):
    """A backup archive that cannot be written, read or restored."""


class StaleEdit(StoreError):
    """An edit based on a version of a fact that someone else has changed since."""
