"""Which store Briefer opens: the local one in the data folder (SQLite, the default), or a team
library on a PostgreSQL server (issue 15), named by a ``postgresql://USER@HOST:PORT/DB`` URL.

Looked up in this order: ``briefer --store URL``, then ``$BRIEFER_STORE``, then the "Team library"
preference (``team_library`` in the data folder's ``settings.json``).  The data folder is used
either way: it keeps the templates, settings and backups of a team library too.

A password never comes from Briefer: libpq reads it from ``~/.pgpass``, ``PGPASSWORD`` or a
service file.  A URL holding one is refused (:func:`check_url`), so none is ever saved or printed.
Nothing here imports psycopg or a network module: a local store opens no socket.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from briefer.errors import ValidationFailed

STORE_ENV = "BRIEFER_STORE"
#: the settings key of the "Team library" preference
SETTING = "team_library"

_SCHEME = re.compile(r"^(postgresql|postgres)://", re.IGNORECASE)
_PARAM_PASSWORD = re.compile(r"[?&]password=", re.IGNORECASE)


def is_team_url(value: str) -> bool:
    return bool(_SCHEME.match(value.strip()))


def check_url(value: str, *, where: str = "the team library") -> str:
    """``value`` as a team library URL, or one sentence saying why it cannot be one."""
    url = value.strip()
    if not is_team_url(url):
        raise ValidationFailed(f"{where} must be a postgresql://USER@HOST:PORT/DATABASE address, not {url!r}")
    rest = _SCHEME.sub("", url)
    netloc = rest.split("/", 1)[0].split("?", 1)[0]
    userinfo = netloc.rsplit("@", 1)[0] if "@" in netloc else ""
    if ":" in userinfo or _PARAM_PASSWORD.search(url):
        raise ValidationFailed(f"{where} address holds a password; Briefer never keeps or passes one: remove it "
                               "from the address and put it in ~/.pgpass (or PGPASSWORD, or a service file)")
    if any(ch.isspace() or ord(ch) < 0x20 for ch in url):
        raise ValidationFailed(f"{where} address {url!r} holds spaces or control characters")
    return url


def configured(data_dir: Path, explicit: str | None = None) -> str | None:
    """The team library URL to open (checked), or None for the local store in ``data_dir``."""
    if explicit is not None and explicit.strip():
        return check_url(explicit, where="--store")
    env = os.environ.get(STORE_ENV, "").strip()
    if env:
        return check_url(env, where=f"${STORE_ENV}")
    from briefer.store import preferences

    return preferences.team_library(data_dir)
