"""The team library: the fact store on a PostgreSQL server (issue 15).

Imported only when a ``postgresql://`` store is configured (``--store``, ``BRIEFER_STORE`` or the
"Team library" preference): a local store never loads psycopg or opens a socket.

* :mod:`.connection` — connecting, and every psycopg error put into one sentence (psycopg is
  imported only inside this package: here, and by the roles, team users and templates modules);
* :mod:`.schema` — the numbered migrations in PostgreSQL's dialect, the marker that says "this is a
  Briefer library", and opening (check, create, migrate, seed);
* :mod:`.store` — :class:`~.store.TeamStore`, the SQLite store's logic over a PostgreSQL
  connection, with serialized write transactions and the engine's own search;
* :mod:`.notify` — the triggers that announce every committed change (``NOTIFY``), installed with
  the migrations, and the listener the window watches for live updates.
"""
