"""Turning a text file's bytes into Unicode without being told its encoding.

A cascade, each step validated rather than trusted: byte-order marks
(UTF-8, UTF-16 LE/BE, UTF-32), BOM-less UTF-16 recognised by its zero bytes,
strict UTF-8, then the Japanese legacy encodings (CP932, the Windows form of
Shift_JIS, and EUC-JP), of which the one whose result reads most like
Japanese text wins.  Bytes that decode under none of them are refused, never
replaced with U+FFFD: a quote must be verbatim.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from briefer.errors import ImportFailed

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE (BOM)"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE (BOM)"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8 (BOM)"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE (BOM)"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE (BOM)"),
]

_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e]")
#: half-width katakana and rare ideograph blocks: what a wrong legacy guess tends to produce
_SUSPECT = re.compile(r"[\uff61-\uff9f\ue000-\uf8ff\u2460-\u24ff\u2500-\u257f]")


@dataclass(frozen=True)
class Decoded:
    text: str
    #: a human name of the encoding found, e.g. "Shift_JIS (CP932)"
    encoding: str


def _bad_controls(text: str) -> int:
    return sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 with no BOM: mostly-ASCII text has a zero byte in every other position."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    sample = raw[:4096]
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    for zeros, other, codec in ((odd_zeros, even_zeros, "utf-16-le"), (even_zeros, odd_zeros, "utf-16-be")):
        if zeros >= 0.3 * half and other <= 0.05 * half:
            return codec
    return None


_KANA = re.compile(r"[\u3040-\u30ff]")


def _japanese_utf16(raw: bytes) -> str | None:
    """BOM-less UTF-16 of Japanese text has few zero bytes; accept it only when it decodes
    cleanly to text with plenty of kana (which ASCII bytes read as UTF-16 never produce)."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        letters = [ch for ch in text if not ch.isspace()]
        if letters and len(_KANA.findall(text)) >= 0.15 * len(letters) \
                and sum(1 for ch in letters if _JAPANESE.match(ch) or ch.isascii()) >= 0.9 * len(letters) \
                and not _bad_controls(text):
            return codec
    return None


def _score_japanese(text: str) -> float:
    """How much ``text`` reads like Japanese (higher is better)."""
    if not text:
        return 0.0
    jp = len(_JAPANESE.findall(text))
    suspect = len(_SUSPECT.findall(text))
    return (jp - 5 * suspect - 10 * _bad_controls(text)) / len(text)


def decode(raw: bytes, *, name: str = "the file") -> Decoded:
    """Decode ``raw`` (see the module docstring); raise :class:`ImportFailed` if no encoding fits."""
    for bom, codec, label in _BOMS:
        if raw.startswith(bom):
            try:
                return Decoded(raw[len(bom):].decode(codec), label)
            except UnicodeDecodeError:
                raise ImportFailed(f"{name} starts with a {label.split(' (')[0]} byte-order mark but is not "
                                   "valid in that encoding") from None
    codec16 = _utf16_without_bom(raw)
    if codec16:
        try:
            return Decoded(raw.decode(codec16), f"UTF-16 {codec16[-2:].upper()} (no BOM)")
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw:
        codec16 = _japanese_utf16(raw)
        if codec16:
            return Decoded(raw.decode(codec16), f"UTF-16 {codec16[-2:].upper()} (no BOM)")
        raise ImportFailed(f"{name} is a binary file, not text")
    try:
        return Decoded(raw.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        pass
    codec16 = _japanese_utf16(raw)
    if codec16:
        return Decoded(raw.decode(codec16), f"UTF-16 {codec16[-2:].upper()} (no BOM)")
    best: tuple[float, str, str] | None = None
    for codec, label in (("cp932", "Shift_JIS (CP932)"), ("euc_jp", "EUC-JP")):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _score_japanese(text)
        if best is None or score > best[0]:
            best = (score, text, label)
    if best is not None and best[0] > 0.05:
        return Decoded(best[1], best[2])
    raise ImportFailed(f"{name} is not text in an encoding Briefer knows (UTF-8, UTF-16, Shift_JIS/CP932, EUC-JP)")


def check_text(text: str, *, name: str = "the file") -> None:
    """Refuse decoded text that is really binary data (many control characters)."""
    if not text.strip():
        raise ImportFailed(f"{name} is empty: there is no text to import")
    sample = text[:20000]
    if _bad_controls(sample) > max(2, len(sample) // 200):
        raise ImportFailed(f"{name} looks like a binary file, not text")
