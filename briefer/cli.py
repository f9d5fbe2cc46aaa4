"""Briefer's command line: a thin shell over the core, and how automation and
the tests reach every capability headless.

Each group of commands lives in ``briefer/commands/<name>.py`` with a
``register(subparsers)`` function; its handlers take ``(ctx, args)`` and
return an exit status.  Bad input raises :class:`~briefer.errors.KnownError`,
which becomes one line on stderr and exit status 2; anything else is a bug in
Briefer: one line, a "please report" hint, exit status 70.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import io
import json
import os
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from briefer import __version__
from briefer.errors import REPORT_HINT, BugError, KnownError

if TYPE_CHECKING:
    from briefer.store.db import Store

#: command modules under briefer/commands, in the order ``--help`` lists them
COMMAND_MODULES = ["facts", "export", "templates", "importer", "backup", "store", "team", "gui"]
#: the top-level commands each of those modules registers (tests/test_cli_dispatch.py checks this against what they
#: register): a command loads only the module it lives in, not every command group and what they import
COMMAND_NAMES: dict[str, tuple[str, ...]] = {
    "facts": ("facts", "sources", "sections", "conflicts", "config"), "export": ("export",),
    "templates": ("templates", "changes", "briefing"), "importer": ("import", "candidates"),
    "backup": ("backup", "restore"), "store": ("store",), "team": ("team",), "gui": ("gui",),
}

DATA_DIR_ENV = "BRIEFER_DATA_DIR"
#: set to 1 to print the traceback of an internal error (a bug) under its one line
TRACEBACK_ENV = "BRIEFER_TRACEBACK"
#: seconds a command's write waits for another Briefer's write before "in use" (default 30)
WRITE_WAIT_ENV = "BRIEFER_WRITE_WAIT"


def cli_write_wait() -> float:
    """How long a command waits for the store: 30 s, or $BRIEFER_WRITE_WAIT (0–600) when it is a number.
    Twenty commands a script starts at once queue behind each other's writes instead of failing."""
    try:
        seconds = float(os.environ.get(WRITE_WAIT_ENV, "30"))
    except ValueError:
        return 30.0
    return min(max(seconds, 0.0), 600.0) if seconds == seconds else 30.0


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("Briefer", appauthor=False))


class Context:
    """What every command needs: where the data lives, and the store, opened on first use."""

    def __init__(self, data_dir: Path, *, as_json: bool = False, store: str | None = None) -> None:
        from briefer.fileio import DB_NAME, protect_store

        self.data_dir = data_dir
        self.as_json = as_json
        #: ``--store URL``: a team library instead of the local store (else $BRIEFER_STORE, the settings)
        self.store_arg = store
        protect_store(Path(data_dir) / DB_NAME)  # before any command writes a file
        if Path(data_dir).is_dir():
            from briefer.fileio import track_temporaries

            track_temporaries(data_dir)
        self._store: Store | None = None

    def store(self) -> Store:
        if self._store is None:
            from briefer.ingest.factpack import open_store

            self._store = open_store(self.data_dir, location=self.store_location())
            self._store.set_write_wait(cli_write_wait())
            for notice in self._store.notices:  # e.g. an interrupted restore that was completed
                print(f"briefer: note: {notice}", file=sys.stderr)
        return self._store

    def store_location(self) -> str | None:
        """The team library to open (``--store``, ``$BRIEFER_STORE``, the settings), or None: the local store."""
        from briefer.store.location import configured

        return configured(self.data_dir, self.store_arg)

    def report_damaged(self) -> None:
        """One warning line on stderr for each fact read whose stored values no longer parse (and one
        for a corrupt settings file that was set aside)."""
        prefs = sys.modules.get("briefer.store.preferences")
        if prefs is not None:
            for notice in prefs.take_notices():
                print(f"briefer: warning: {notice}", file=sys.stderr)
        if self._store is not None:
            for message in self._store.damaged.values():
                print(f"briefer: warning: {message}", file=sys.stderr)
            self._store.damaged.clear()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    @staticmethod
    def print_json(data: Any) -> None:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="briefer",
        description="Sourced briefings on Japan's AI governance. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"briefer {__version__}")
    parser.add_argument(
        "--data-dir", type=Path, metavar="DIR",
        help=f"where the fact store and templates live (default: ${DATA_DIR_ENV} or the user data folder)",
    )
    parser.add_argument(
        "--store", metavar="URL",
        help="a team library to use instead of the local store: postgresql://USER@HOST:PORT/DB (default: "
             "$BRIEFER_STORE or the Team library preference; the password comes from ~/.pgpass or PGPASSWORD)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in modules:
        try:
            module = importlib.import_module(f"briefer.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"briefer.commands.{name}":
                continue  # that group is not built yet
            raise
        module.register(sub)
    return parser


def _opens_window(argv: Sequence[str]) -> bool:
    """True when ``argv`` only opens the window (``briefer [--data-dir D] [gui [FILE] | FILE.briefing.json]``):
    then only the gui command is loaded, so the window's start-up does not import every command group."""
    rest = list(argv)[_global_options(argv):]
    if any(a.startswith("-") for a in rest):
        return False
    return not rest or (rest[0] == "gui" and len(rest) <= 2) or (len(rest) == 1 and rest[0].endswith(".briefing.json"))


def modules_for(argv: Sequence[str]) -> list[str]:
    """The command modules to load for ``argv``: the one holding its command, or all of them (``--help``,
    no command, a misspelt one: argparse then lists them all)."""
    rest = list(argv)[_global_options(argv):]
    if rest and not rest[0].startswith("-"):
        for module, names in COMMAND_NAMES.items():
            if rest[0] in names:
                return [module]
    return COMMAND_MODULES


def _global_options(argv: Sequence[str]) -> int:
    """How many leading items of ``argv`` are the global options (``--data-dir DIR``, ``--store URL``)."""
    n = 0
    while n < len(argv):
        if argv[n] in ("--data-dir", "--store") and n + 1 < len(argv):
            n += 2
        elif argv[n].startswith(("--data-dir=", "--store=")):
            n += 1
        else:
            break
    return n


def _control_escapes() -> dict[int, str]:
    table = {c: f"\\x{c:02x}" for c in range(0x20) if chr(c) not in "\n\t"}
    # DEL, the C1 controls (0x9b starts a terminal command like ESC [) and the bidirectional
    # overrides and isolates, which reorder what the terminal shows
    for c in [0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]:
        table[c] = f"\\u{c:04x}"
    return table


_ESCAPES = _control_escapes()


def escape_controls(text: str) -> str:
    """``text`` with every control character written as an escape (``\\x1b``), newlines and tabs kept.

    Statements, names and file contents come from data; printed raw, an ESC sequence in one could
    retitle, recolour or clear the terminal.  JSON stays valid: it never holds raw C0 controls, and
    the others become ``\\uXXXX``."""
    return text.translate(_ESCAPES)


class _SafeStream:
    """stdout or stderr for the CLI: control characters escaped, and characters the terminal's
    encoding cannot show written as escapes (``\\u65e5``) instead of failing."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        with contextlib.suppress(AttributeError, ValueError, io.UnsupportedOperation):
            stream.reconfigure(errors="backslashreplace")

    def write(self, text: str) -> int:
        self._stream.write(escape_controls(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def main(argv: Sequence[str] | None = None) -> int:
    out, err = sys.stdout, sys.stderr
    if out is not None and not isinstance(out, _SafeStream):
        sys.stdout = _SafeStream(out)
    if err is not None and not isinstance(err, _SafeStream):
        sys.stderr = _SafeStream(err)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    window_only = _opens_window(argv) and importlib.util.find_spec("briefer.commands.gui") is not None
    parser = build_parser(["gui"] if window_only else modules_for(argv))
    # `briefer [--data-dir D] FILE.briefing.json` opens the file in the window
    skip = _global_options(argv)
    if len(argv) > skip and not argv[skip].startswith("-") and argv[skip].endswith(".briefing.json"):
        argv = [*argv[:skip], "gui", *argv[skip:]]
    args = parser.parse_args(argv)
    data_dir = args.data_dir or (Path(os.environ[DATA_DIR_ENV]) if os.environ.get(DATA_DIR_ENV) else None)
    ctx = Context(data_dir or default_data_dir(), as_json=getattr(args, "json", False), store=args.store)
    handler = getattr(args, "handler", None)
    if handler is None:
        handler = _default_handler(parser)
    try:
        status = int(handler(ctx, args) or 0)
        ctx.report_damaged()
        return status
    except KnownError as exc:
        ctx.report_damaged()
        print(f"briefer: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("briefer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        # an environment fault (a name too long for the file system, a full disk, a vanished
        # folder) that no closer code put into words: still one line, never a traceback
        from briefer.fileio import describe_os_error

        print(f"briefer: error: {describe_os_error(exc)}", file=sys.stderr)
        return KnownError.exit_code
    except sqlite3.Error as exc:
        from briefer.store.db import DB_NAME, store_error

        translated = store_error(exc, ctx.data_dir / DB_NAME)
        if isinstance(translated, KnownError):
            print(f"briefer: error: {translated}", file=sys.stderr)
            return KnownError.exit_code
        return _bug(translated, exc)
    except Exception as exc:  # noqa: BLE001 - a fault in Briefer: one line and a hint, not a traceback
        return _bug(exc, exc)
    finally:
        ctx.close()


def _bug(shown: BaseException, original: BaseException) -> int:
    """A fault in Briefer itself (a :class:`~briefer.errors.BugError` or any unexpected exception):
    one line, the "please report" hint, exit status 70; ``$BRIEFER_TRACEBACK=1`` adds the traceback."""
    if os.environ.get(TRACEBACK_ENV, "").strip() not in ("", "0"):
        import traceback

        traceback.print_exception(original, file=sys.stderr)
    text = str(shown).splitlines()[0] if str(shown).strip() else ""
    print(f"briefer: internal error: {type(shown).__name__}" + (f": {text}" if text else ""), file=sys.stderr)
    print(f"briefer: {REPORT_HINT}", file=sys.stderr)
    return BugError.exit_code


def _default_handler(parser: argparse.ArgumentParser) -> Any:
    """No command: the window when the gui command exists, else a summary of the store."""
    if importlib.util.find_spec("briefer.commands.gui") is None:
        from briefer.commands.facts import summary

        return summary
    return importlib.import_module("briefer.commands.gui").default_handler


#: the cyclic garbage collector's thresholds in a command's process (Python's default is 700, 10, 10)
COMMAND_GC_THRESHOLDS = (100_000, 50, 100)


def run() -> NoReturn:
    argv = sys.argv[1:]
    if not _opens_window(argv) and "gui" not in modules_for(argv):
        # a command is a short process that makes many objects and frees few: at the default thresholds
        # the collector walks the growing heap again and again while it imports and exports (a few per
        # cent of an export).  The window, which runs for hours, keeps Python's thresholds.
        import gc

        gc.set_threshold(*COMMAND_GC_THRESHOLDS)
    sys.exit(main())


def run_gui() -> NoReturn:
    sys.exit(main(sys.argv[1:] or []))
