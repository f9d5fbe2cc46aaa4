"""Cover title patterns such as ``"{title} \u2014 {date:%d %B %Y}"``.

A pattern is data from a template file that may come from anyone, so it is
never given to ``str.format`` (which can reach attributes and items of the
values) nor to ``eval``: only the named placeholders below are substituted,
and a date takes only the strftime directives listed here, spelled out in
English whatever the machine's locale.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date

from briefer.domain.dates import MONTH_NAMES

#: placeholder -> what it stands for (shown in errors and in the docs)
PLACEHOLDERS: dict[str, str] = {
    "title": "the template's cover title",
    "template": "the template's name",
    "audience": "the template's intended audience",
    "date": "the date of issue",
    "as_of": "the latest 'as of' date among the facts included",
    "edition": "the edition number of this template's export",
}
DATE_PLACEHOLDERS = frozenset({"date", "as_of"})
DEFAULT_DATE_FORMAT = "%d %B %Y"
MAX_PATTERN = 300

_MONTHS = MONTH_NAMES
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

_DIRECTIVES: dict[str, Callable[[date], str]] = {
    "d": lambda d: f"{d.day:02d}",
    "-d": lambda d: str(d.day),
    "m": lambda d: f"{d.month:02d}",
    "-m": lambda d: str(d.month),
    "B": lambda d: _MONTHS[d.month - 1],
    "b": lambda d: _MONTHS[d.month - 1][:3],
    "Y": lambda d: f"{d.year:04d}",
    "y": lambda d: f"{d.year % 100:02d}",
    "A": lambda d: _DAYS[d.weekday()],
    "a": lambda d: _DAYS[d.weekday()][:3],
    "%": lambda d: "%",
}
_DIRECTIVE_RE = re.compile(r"%(-?[A-Za-z%])")
_TOKEN_RE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


class PatternError(ValueError):
    """A title pattern that cannot be used; the message says why in one sentence."""


def _format_date(value: date, spec: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _DIRECTIVE_RE.finditer(spec):
        out.append(spec[pos : m.start()])
        fn = _DIRECTIVES.get(m.group(1))
        if fn is None:
            raise PatternError(f"'%{m.group(1)}' is not a date code Briefer knows (use %d %-d %m %B %b %Y %y %A %a)")
        out.append(fn(value))
        pos = m.end()
    rest = spec[pos:]
    if "%" in rest:
        raise PatternError("a lone '%' in a date format: write '%%' for a percent sign")
    out.append(rest)
    return "".join(out)


def _parse(pattern: str) -> list[tuple[str, str, str]]:
    """The pattern as (literal, placeholder, spec) parts; raises PatternError."""
    if len(pattern) > MAX_PATTERN:
        raise PatternError(f"the title pattern is longer than {MAX_PATTERN} characters")
    parts: list[tuple[str, str, str]] = []
    pos = 0
    for m in _TOKEN_RE.finditer(pattern):
        literal = pattern[pos : m.start()]
        pos = m.end()
        tok = m.group(0)
        if tok == "{{":
            parts.append((literal + "{", "", ""))
        elif tok == "}}":
            parts.append((literal + "}", "", ""))
        elif tok in ("{", "}"):
            raise PatternError(f"unbalanced '{tok}' in the title pattern (write '{tok}{tok}' for the character)")
        else:
            inner = m.group(1)
            name, _, spec = inner.partition(":")
            name = name.strip()
            if name not in PLACEHOLDERS:
                known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
                raise PatternError(f"unknown placeholder {{{inner}}} in the title pattern (use {known})")
            if spec and name not in DATE_PLACEHOLDERS:
                raise PatternError(f"{{{name}}} takes no format (only dates do, e.g. {{date:%d %B %Y}})")
            if spec:
                _format_date(date(2000, 1, 1), spec)  # check the directives now, not at export
            parts.append((literal, name, spec))
    parts.append((pattern[pos:], "", ""))
    return parts


def check_pattern(pattern: str) -> str:
    """``pattern`` if it is a valid title pattern, else PatternError."""
    _parse(pattern)
    return pattern


def render(pattern: str, values: Mapping[str, str | int | date | None]) -> str:
    """Substitute the named placeholders of ``pattern``.  A missing value
    becomes empty text, and separators left dangling by it are tidied away."""
    out: list[str] = []
    for literal, name, spec in _parse(pattern):
        out.append(literal)
        if not name:
            continue
        value = values.get(name)
        if value is None or value == "":
            out.append("\x00")  # marks an empty value for the tidy-up below
        elif isinstance(value, date):
            out.append(_format_date(value, spec or DEFAULT_DATE_FORMAT))
        else:
            out.append(str(value))
    text = "".join(out)
    if "\x00" in text:
        # "{title} — {audience}" with no audience should not end in " — "
        def tidy(m: re.Match[str]) -> str:
            before, after = m.group(1), m.group(2)
            inside = m.start() > 0 and m.end() < len(text)
            sep = (before or after).strip() if inside and before.strip() and after.strip() else ""
            return f" {sep} " if sep else " "

        text = re.sub(r"(\s*[\u2014\u2013\-:|,/\u00b7]*\s*)\x00([\u2014\u2013\-:|,/\u00b7\s]*)", tidy, text)
        text = re.sub(r"\(\s*\)", "", text)
    return re.sub(r"\s+", " ", text).strip()
