"""DOCX -> PDF through LibreOffice (``soffice --headless``).

Each conversion gets its own LibreOffice profile folder: two conversions
sharing one profile at the same time fail silently (no PDF, no message).
The folder starts with the two facts that tell LibreOffice its profile is
not new (:func:`seed_profile`); without them every conversion is a first
start, and a first start costs more than laying out a 9-page briefing.

LibreOffice runs in a process group of its own, so a conversion that hangs
is stopped with everything it started (``soffice`` forks ``soffice.bin``,
which outlives a killed parent), never left running in the background.
Once it has written the file asked for, it is ended the same way rather
than waited for: its shutdown (writing a profile that is about to be
deleted) took 0.15-0.25 s of a 9-page conversion here.

The PDF is tagged (headings, lists, tables and alt text reach a screen
reader), carries the document's title, author and subject (LibreOffice takes
them from the DOCX core properties), has the headings as bookmarks, and is
PDF/A-2b on request.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from briefer.errors import ExportError

#: seconds a conversion may take before it is abandoned
TIMEOUT = 180.0

INSTALL_HINT = ("PDF export needs LibreOffice, which is not installed: install it "
                "(Debian/Ubuntu: 'sudo apt-get install libreoffice-writer-nogui'; other systems: "
                "https://www.libreoffice.org/download/) or export to .docx and convert it in Word")


class ConversionTimeout(ExportError):
    """LibreOffice did not finish in time; it has been stopped."""


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def pdf_filter(*, tagged: bool = True, pdf_a: bool = False) -> str:
    """The ``--convert-to`` argument: writer_pdf_Export with its options as JSON (LibreOffice 7.4+)."""
    opts: dict[str, dict[str, str]] = {
        "ExportBookmarks": {"type": "boolean", "value": "true"},
        "UseTaggedPDF": {"type": "boolean", "value": "true" if tagged or pdf_a else "false"},
    }
    if pdf_a:
        opts["SelectPdfVersion"] = {"type": "long", "value": "2"}  # PDF/A-2b
    return "pdf:writer_pdf_Export:" + json.dumps(opts, separators=(",", ":"))


class ConversionCancelled(ExportError):
    """The user cancelled the export while LibreOffice was converting; LibreOffice was ended."""


def run_soffice(args: list[str], *, timeout: float, cancelled: Callable[[], bool] | None = None,
                output: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``soffice`` with a profile of its own, in a process group of its own that is ended with it;
    :class:`ConversionTimeout` after ``timeout`` seconds, :class:`ConversionCancelled` when
    ``cancelled()`` turns true.  With ``output`` (the PDF the arguments ask for), LibreOffice is
    ended as soon as it has finished writing that file (:class:`WrittenPdf`), with exit status 0."""
    soffice = find_soffice()
    if soffice is None:
        raise ExportError(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="briefer-lo-") as profile:
        seed_profile(Path(profile), soffice)
        cmd = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
               "--nologo", *args]
        env = {**os.environ, "SAL_USE_VCLPLUGIN": "svp"}
        try:
            return _run_group(cmd, timeout=timeout, env=env, cancelled=cancelled,
                              written=WrittenPdf(output) if output is not None else None)
        except subprocess.TimeoutExpired:
            raise ConversionTimeout(f"LibreOffice did not finish within {timeout:.0f} seconds and was "
                                    "stopped") from None
        except OSError as exc:
            raise ExportError(f"LibreOffice could not be started ({exc.strerror or exc}); {INSTALL_HINT}") from None


def _setting(folder: Path, names: tuple[str, ...], key: str) -> str | None:
    """The value of ``key=`` in the first of the files ``names`` in ``folder`` that can be read."""
    for name in names:
        try:
            text = (folder / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        found = re.search(rf"^{key}=(.*?)\s*$", text, re.M)
        return found.group(1) if found else None
    return None


@functools.lru_cache(maxsize=4)
def installed_version(soffice: str) -> tuple[str, str] | None:
    """(version as "major.minor", build id) of the LibreOffice ``soffice`` starts, from the
    ``bootstraprc`` and ``versionrc`` beside its program (``bootstrap.ini`` and ``version.ini`` on
    Windows, in ``Contents/Resources`` on macOS); None when they are not there or do not say."""
    real = Path(soffice).resolve()
    for folder in (real.parent, real.parent.parent / "Resources"):
        product = _setting(folder, ("bootstraprc", "bootstrap.ini"), "ProductKey")  # "LibreOffice 7.4"
        build = _setting(folder, ("versionrc", "version.ini"), "buildid")  # "40(Build:2)"
        version = re.findall(r"\b(\d+\.\d+)\b", product or "")
        if version and build and build.isascii():
            return version[-1], build
    return None


def seed_profile(profile: Path, soffice: str) -> None:
    """Make ``profile`` a LibreOffice profile that this LibreOffice has already run in, so that its
    start is not a first start.  A first start runs LibreOffice's graphics self-tests (about 100
    drawings on canvases up to 4096 pixels square) and, having cleared the profile's extension cache,
    starts LibreOffice a second time: with LibreOffice 7.4 here, a one-heading document took 1.6 CPU
    seconds to convert from an empty profile and 0.45 from this one, the 9-page full briefing 1.9 and
    0.6.  LibreOffice looks for the version it last ran (``ooSetupLastVersion``; headless, it never
    records it, so a profile kept from one conversion to the next does not help) and for its build
    id in ``user/extensions/buildid``; both are written here, from :func:`installed_version`.  Where
    they cannot be read the profile stays empty: the conversion is as right, only slower.  The PDFs
    are the same either way (byte for byte, but for their dates and ids)."""
    found = installed_version(soffice)
    if found is None:
        return
    version, build = found
    user = profile / "user"
    (user / "extensions").mkdir(parents=True, exist_ok=True)
    (user / "extensions" / "buildid").write_text(build, encoding="ascii")
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" oor:op="fuse">'
        f"<value>{escape(version)}</value></prop></item>\n"
        "</oor:items>\n", encoding="utf-8")


def docx_to_pdf(docx: Path, out_dir: Path, *, timeout: float = TIMEOUT, tagged: bool = True,
                pdf_a: bool = False, cancelled: Callable[[], bool] | None = None) -> Path:
    """Convert ``docx`` to ``out_dir/<stem>.pdf`` and return that path.  When
    ``cancelled()`` turns true, LibreOffice is ended and :class:`ConversionCancelled` raised."""
    pdf = out_dir / f"{docx.stem}.pdf"
    try:
        proc = run_soffice(["--convert-to", pdf_filter(tagged=tagged, pdf_a=pdf_a), "--outdir", str(out_dir),
                            str(docx)], timeout=timeout, cancelled=cancelled, output=pdf)
    except ConversionTimeout:
        raise ExportError(f"LibreOffice did not finish converting to PDF within {timeout:.0f} seconds") from None
    if proc.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        detail = (proc.stderr or proc.stdout or "").strip().splitlines()
        why = detail[-1] if detail else f"exit status {proc.returncode}, no PDF written"
        raise ExportError(f"LibreOffice could not convert the briefing to PDF ({why})")
    return pdf


class WrittenPdf:
    """Asked while LibreOffice runs: has it finished writing the PDF ``path``?  While it stores a file,
    LibreOffice holds a lock file beside it (``.~lock.<name>#``) and removes it once the file is
    complete; a complete PDF ends with ``%%EOF``.  So the PDF is written when its lock file has been
    seen and is gone and the file ends so.  A lock file never seen (a document stored faster than
    it is looked for, or a LibreOffice that keeps none) says nothing, and LibreOffice's exit is
    waited for instead."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = path.with_name(f".~lock.{path.name}#")
        self.locked = False

    def __call__(self) -> bool:
        if self.lock.exists():
            self.locked = True
            return False
        if not self.locked:
            return False
        try:
            with self.path.open("rb") as fh:
                fh.seek(max(0, fh.seek(0, os.SEEK_END) - 64))
                return b"%%EOF" in fh.read()
        except OSError:
            return False


#: seconds between looks at Cancel (a person waits this long at most) and at the file being written
_CANCEL_POLL, _WRITTEN_POLL = 0.2, 0.02


def _end_group(proc: subprocess.Popen[str]) -> None:
    """End ``proc`` and everything in its process group (on POSIX, where it leads a group of its own)."""
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
    if proc.poll() is None:
        proc.kill()


def _run_group(cmd: list[str], *, timeout: float, env: dict[str, str],
               cancelled: Callable[[], bool] | None = None,
               written: Callable[[], bool] | None = None) -> subprocess.CompletedProcess[str]:
    """Run LibreOffice in a process group of its own and end the whole group when the
    conversion ends, fails, times out or is interrupted: soffice starts helpers
    (oosplash, soffice.bin) that would otherwise outlive the export.  When ``written()``
    turns true, the conversion has done its work: the group is ended and the exit status is 0."""
    posix = os.name == "posix"
    proc = subprocess.Popen(_reaped(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True, env=env, start_new_session=posix)
    try:
        from briefer import faults

        faults.step("soffice-started")
        if cancelled is None and written is None:
            out, err = proc.communicate(timeout=timeout)
            return subprocess.CompletedProcess(cmd, proc.returncode, out, err)
        import time

        deadline = time.monotonic() + timeout
        poll = _WRITTEN_POLL if written is not None else _CANCEL_POLL
        while True:
            if cancelled is not None and cancelled():
                raise ConversionCancelled("the export was cancelled; LibreOffice was stopped")
            if written is not None and written():
                _end_group(proc)  # its work is done; its shutdown is not waited for
                out, err = "", ""
                with contextlib.suppress(subprocess.TimeoutExpired):
                    out, err = proc.communicate(timeout=5)
                return subprocess.CompletedProcess(cmd, 0, out, err)
            left = deadline - time.monotonic()
            if left <= 0:
                raise subprocess.TimeoutExpired(cmd, timeout)
            try:
                out, err = proc.communicate(timeout=min(poll, left))
                return subprocess.CompletedProcess(cmd, proc.returncode, out, err)
            except subprocess.TimeoutExpired:
                continue
    finally:
        _end_group(proc)
        with contextlib.suppress(Exception):
            proc.communicate(timeout=5)


#: The reaper LibreOffice runs under on Linux, so it ends with the Briefer that started it even when
#: Briefer is killed (``kill -9``) and cannot clean up.  ``soffice`` is a script that becomes
#: ``oosplash``, which forks ``soffice.bin``, the process that converts: a death signal asked for
#: in ``soffice`` itself would end ``oosplash`` and leave ``soffice.bin`` running.  So the reaper
#: asks the kernel for SIGTERM when its parent dies (``prctl(PR_SET_PDEATHSIG)``), starts
#: LibreOffice in its own process group, and on that signal kills the whole group, itself included.
_REAPER = """
import ctypes, os, signal, subprocess, sys
def end(*_):
    os.killpg(0, signal.SIGKILL)
signal.signal(signal.SIGTERM, end)
ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
if os.getppid() != int(sys.argv[1]):
    end()  # Briefer died before the death signal was asked for
child = subprocess.Popen(sys.argv[2:])
code = child.wait()
sys.exit(code if code >= 0 else 128 - code)
"""


def _reaped(cmd: list[str]) -> list[str]:
    """``cmd`` run under :data:`_REAPER` where it works (Linux, Briefer run by a Python interpreter;
    a frozen build has none to spare, and then LibreOffice is ended by :func:`_run_group` alone)."""
    import sys

    if not sys.platform.startswith("linux") or getattr(sys, "frozen", False) or not sys.executable:
        return cmd
    return [sys.executable, "-I", "-S", "-c", _REAPER, str(os.getpid()), *cmd]
