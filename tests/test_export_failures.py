"""Exports that cannot be written: one clear error, any earlier file intact,
no partial file left behind."""

from __future__ import annotations

import errno
import os
import zipfile
from pathlib import Path

import docx
import pytest
from export_support import TODAY, small_briefing, small_store

import briefer.fileio
from briefer.domain.document import resolve
from briefer.errors import KnownError
from briefer.export import export_briefing
from briefer.fileio import WriteFailed


@pytest.fixture
def document(tmp_path: Path):
    store = small_store(tmp_path / "d")
    yield resolve(small_briefing(), store, today=TODAY)
    store.close()


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize("fmt", ["docx", "html", "md"])
def test_target_is_a_folder(tmp_path: Path, document, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    target.mkdir()
    with pytest.raises(WriteFailed, match="it is a folder"):
        export_briefing(document, target)
    assert target.is_dir() and not _leftovers(tmp_path)


def test_missing_folder(tmp_path: Path, document) -> None:
    with pytest.raises(WriteFailed, match="does not exist"):
        export_briefing(document, tmp_path / "nowhere" / "out.docx")


def test_unwritable_folder(tmp_path: Path, document, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):  # root ignores permissions: make the folder refuse the write instead
            def refuse(*a, **k):
                raise PermissionError(errno.EACCES, "Permission denied")

            monkeypatch.setattr(briefer.fileio.tempfile, "mkstemp", refuse)
        with pytest.raises(WriteFailed, match="permission denied"):
            export_briefing(document, folder / "out.docx")
        assert not (folder / "out.docx").exists()
    finally:
        folder.chmod(0o755)


def test_failed_export_keeps_the_earlier_file(tmp_path: Path, document, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "briefing.docx"
    export_briefing(document, out)
    before = out.read_bytes()

    calls = {"n": 0}
    real = zipfile.ZipFile.writestr

    def fail_midway(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", fail_midway)
    with pytest.raises(WriteFailed, match="disk is full"):
        export_briefing(document, out)
    assert out.read_bytes() == before
    assert not _leftovers(tmp_path)
    docx.Document(str(out))  # still the good earlier file


def test_locked_file_is_one_clear_error(tmp_path: Path, document, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "briefing.docx"
    export_briefing(document, out)
    before = out.read_bytes()

    def busy(src, dst):
        raise OSError(errno.EBUSY, "Device or resource busy")

    monkeypatch.setattr(briefer.fileio.os, "replace", busy)
    with pytest.raises(WriteFailed, match="locked by another program"):
        export_briefing(document, out)
    assert out.read_bytes() == before and not _leftovers(tmp_path)


def test_unknown_format(tmp_path: Path, document) -> None:
    with pytest.raises(KnownError, match="cannot tell the format"):
        export_briefing(document, tmp_path / "out.txt")
    with pytest.raises(KnownError, match="unknown format"):
        export_briefing(document, tmp_path / "out.docx", "odt")


def test_pdf_without_libreoffice_says_how_to_install_it(tmp_path: Path, document,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(KnownError, match="apt-get install libreoffice-writer-nogui"):
        export_briefing(document, tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists() and not _leftovers(tmp_path)


def test_cli_unwritable_out_is_one_line_exit_2(cli, tmp_path: Path) -> None:
    target = tmp_path / "folder.docx"
    target.mkdir()
    r = cli("export", "--out", str(target))
    assert r.code == 2
    assert r.err.strip().count("\n") == 0 and "it is a folder" in r.err and "Traceback" not in r.err
