"""DOCX -> PDF through LibreOffice (``soffice --headless``).

Each conversion gets its own LibreOffice profile folder: two conversions
sharing one profile at the same time fail silently (no PDF, no message).

LibreOffice runs in a process group of its own, so a conversion that hangs
is stopped with everything it started (``soffice`` forks ``soffice.bin``,
which outlives a killed parent), never left running in the background.

The PDF is tagged (headings, lists, tables and alt text reach a screen
reader), carries the document's title, author and subject (LibreOffice takes
them from the DOCX core properties), has the headings as bookmarks, and is
PDF/A-2b on request.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

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


def run_soffice(args: list[str], *, timeout: float,
                cancelled: Callable[[], bool] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``soffice`` with a profile of its own, in a process group of its own that is ended with it;
    :class:`ConversionTimeout` after ``timeout`` seconds, :class:`ConversionCancelled` when
    ``cancelled()`` turns true."""
    soffice = find_soffice()
    if soffice is None:
        raise ExportError(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="briefer-lo-") as profile:
        cmd = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
               "--nologo", *args]
        env = {**os.environ, "SAL_USE_VCLPLUGIN": "svp"}
        try:
            return _run_group(cmd, timeout=timeout, env=env, cancelled=cancelled)
        except subprocess.TimeoutExpired:
            raise ConversionTimeout(f"LibreOffice did not finish within {timeout:.0f} seconds and was "
                                    "stopped") from None
        except OSError as exc:
            raise ExportError(f"LibreOffice could not be started ({exc.strerror or exc}); {INSTALL_HINT}") from None


def _kill_group(proc: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired, ValueError):
        proc.communicate(timeout=10)


def docx_to_pdf(docx: Path, out_dir: Path, *, timeout: float = TIMEOUT, tagged: bool = True,
                pdf_a: bool = False, cancelled: Callable[[], bool] | None = None) -> Path:
    """Convert ``docx`` to ``out_dir/<stem>.pdf`` and return that path.  When
    ``cancelled()`` turns true, LibreOffice is ended and :class:`ConversionCancelled` raised."""
    try:
        proc = run_soffice(["--convert-to", pdf_filter(tagged=tagged, pdf_a=pdf_a), "--outdir", str(out_dir),
                            str(docx)], timeout=timeout, cancelled=cancelled)
    except ConversionTimeout:
        raise ExportError(f"LibreOffice did not finish converting to PDF within {timeout:.0f} seconds") from None
    pdf = out_dir / f"{docx.stem}.pdf"
    if proc.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        detail = (proc.stderr or proc.stdout or "").strip().splitlines()
        why = detail[-1] if detail else f"exit status {proc.returncode}, no PDF written"
        raise ExportError(f"LibreOffice could not convert the briefing to PDF ({why})")
    return pdf


def _run_group(cmd: list[str], *, timeout: float, env: dict[str, str],
               cancelled: Callable[[], bool] | None = None) -> subprocess.CompletedProcess[str]:
    """Run LibreOffice in a process group of its own and end the whole group when the
    conversion ends, fails, times out or is interrupted: soffice starts helpers
    (oosplash, soffice.bin) that would otherwise outlive the export."""
    posix = os.name == "posix"
    proc = subprocess.Popen(_reaped(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True, env=env, start_new_session=posix)
    try:
        from briefer import faults

        faults.step("soffice-started")
        if cancelled is None:
            out, err = proc.communicate(timeout=timeout)
        else:
            import time

            deadline = time.monotonic() + timeout
            while True:
                if cancelled():
                    raise ConversionCancelled("the export was cancelled; LibreOffice was stopped")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise subprocess.TimeoutExpired(cmd, timeout)
                try:
                    out, err = proc.communicate(timeout=min(0.2, left))  # look at Cancel five times a second
                    break
                except subprocess.TimeoutExpired:
                    continue
        return subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    finally:
        if posix:
            import signal

            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
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
