"""A throwaway PostgreSQL cluster for the tests and for ``make team-demo``.

``initdb`` + ``pg_ctl`` in a temporary folder, listening only on a Unix socket in that folder and on
127.0.0.1 at a free port, stopped (and the folder removed) when the context ends.  PostgreSQL
refuses to run as root, so as root the cluster runs as the ``postgres`` system user (created by
the Debian package) and its folder is handed to that user; otherwise it runs as whoever we are.

Nothing here is Briefer's own code path: Briefer only ever connects to a server the user named.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


class ClusterUnavailable(RuntimeError):
    """PostgreSQL cannot be run on this machine; the message says why."""


def find_bin(name: str) -> str:
    for d in PG_BIN_DIRS:
        if (d / name).exists():
            return str(d / name)
    found = shutil.which(name)
    if not found:
        raise ClusterUnavailable(f"PostgreSQL's {name} is not installed (Debian package postgresql)")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Cluster:
    folder: Path
    port: int
    superuser: str

    @property
    def socket_dir(self) -> str:
        return str(self.folder / "run")

    def url(self, user: str | None = None, db: str = "postgres") -> str:
        return f"postgresql://{user or self.superuser}@127.0.0.1:{self.port}/{db}"

    def psql(self, sql: str, *, db: str = "postgres", user: str | None = None) -> str:
        out = subprocess.run([find_bin("psql"), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
                              "-h", self.socket_dir, "-p", str(self.port), "-U", user or self.superuser,
                              "-d", db, "-c", sql], capture_output=True, text=True, check=False,
                             env=_env())
        if out.returncode:
            raise RuntimeError(f"psql failed: {out.stderr.strip()}")
        return out.stdout


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PGPASSWORD", None)
    env["LC_ALL"] = "C.UTF-8"
    return env


def _as_owner(cmd: list[str], owner: str | None) -> list[str]:
    if owner is None:
        return cmd
    runuser = shutil.which("runuser")
    if runuser is None:
        raise ClusterUnavailable("running as root, but runuser is missing to start PostgreSQL as 'postgres'")
    return [runuser, "-u", owner, "--", *cmd]


@contextlib.contextmanager
def cluster(*, superuser: str = "postgres", auth_host: str = "trust") -> Iterator[Cluster]:
    """Start a cluster; yield it; stop it and remove its folder, whatever happened.  Local (Unix socket)
    logins are trusted; ``auth_host`` is how TCP logins on 127.0.0.1 are checked (``make team-demo``
    asks for passwords: scram-sha-256)."""
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    owner: str | None = None
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            raise ClusterUnavailable("running as root and there is no 'postgres' user to run the server") from None
        owner = "postgres"
    folder = Path(tempfile.mkdtemp(prefix="briefer-pg-"))
    data, run = folder / "data", folder / "run"
    run.mkdir()
    if owner:
        shutil.chown(folder, owner)
        shutil.chown(run, owner)
        folder.chmod(0o755)
    port = free_port()
    started = False
    try:
        out = subprocess.run(_as_owner([initdb, "-D", str(data), "-U", superuser, "--auth-local=trust",
                                        f"--auth-host={auth_host}",
                                        "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], owner),
                             capture_output=True, text=True, env=_env(), check=False)
        if out.returncode:
            raise ClusterUnavailable(f"initdb failed: {out.stderr.strip()[-400:]}")
        opts = (f"-p {port} -k {run} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        out = subprocess.run(_as_owner([pg_ctl, "-D", str(data), "-l", str(folder / "server.log"),
                                        "-o", opts, "-w", "-t", "60", "start"], owner),
                             capture_output=True, text=True, env=_env(), check=False)
        if out.returncode:
            log = (folder / "server.log").read_text(errors="replace")[-600:] if (folder / "server.log").exists() else ""
            raise ClusterUnavailable(f"PostgreSQL did not start: {out.stderr.strip()} {log}")
        started = True
        yield Cluster(folder, port, superuser)
    finally:
        if started:
            subprocess.run(_as_owner([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"], owner),
                           capture_output=True, env=_env(), check=False)
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    """``python tests/pg_cluster.py demo``: a cluster that lives until Ctrl+C."""
    if argv[1:2] != ["demo"]:
        print("usage: pg_cluster.py demo", file=sys.stderr)
        return 2
    with cluster() as c:
        print(f"PostgreSQL is running on 127.0.0.1:{c.port} (folder {c.folder}).")
        print(f"  superuser URL: {c.url()}")
        print("Press Ctrl+C to stop it.")
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
