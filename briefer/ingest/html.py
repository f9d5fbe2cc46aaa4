"""Text and metadata out of an HTML page, with the page's furniture left out.

The page is only parsed (Python's ``html.parser``), never rendered: scripts,
styles, frames and forms are dropped with everything inside them, so nothing
in the file is ever executed or fetched.  Navigation, headers and footers,
asides, comment sections and "related" blocks are recognised by their element
(``nav``, ``aside`` …), their ARIA role, or a class/id naming them, and are
left out of the text; what was removed is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: elements whose whole content is never text (and never run)
_DROP = {"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas",
         "select", "textarea", "button", "form", "head"}
#: structural elements that are page furniture
_FURNITURE_TAGS = {"nav": "navigation", "aside": "sidebar", "footer": "page footer", "menu": "navigation"}
_FURNITURE_ROLES = {"navigation": "navigation", "banner": "page header", "contentinfo": "page footer",
                    "complementary": "sidebar", "search": "navigation"}
#: class/id words naming furniture (matched as whole words in the class/id)
_FURNITURE_WORDS = [
    (re.compile(r"\b(comments?|disqus|replies|reply|responses)\b", re.I), "comment thread"),
    (re.compile(r"\b(related|recommended|more-stories|read-more|also-read|trending|popular|most-read)\b", re.I),
     "related articles"),
    (re.compile(r"\b(nav|navbar|navigation|menu|breadcrumbs?|masthead|topbar|skip-link)\b", re.I), "navigation"),
    (re.compile(r"\b(share|sharing|social|newsletter|subscribe|signup|cookie|consent|advert|ads?|sponsor|promo)\b",
                re.I), "share/subscribe box"),
    (re.compile(r"\b(sidebar|widget|footer|site-footer|site-header)\b", re.I), "page furniture"),
    (re.compile(r"\b(caption|figcaption|credit|byline-photo)\b", re.I), "image caption"),
]
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
         "wbr"}
_BLOCK = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
          "table", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "header", "figure", "address",
          "hr", "br", "tbody", "thead", "time"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


@dataclass
class HtmlResult:
    text: str
    meta: dict[str, str] = field(default_factory=dict)
    #: what was left out: (kind, a short excerpt)
    removed: list[tuple[str, str]] = field(default_factory=list)
    title: str = ""


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []  # (tag, furniture kind or None)
        self.drop_depth = 0
        self.furniture_depth = 0
        self.furniture_kind = ""
        self.furniture_buf: list[str] = []
        self.out: list[str] = []
        self.meta: dict[str, str] = {}
        self.removed: list[tuple[str, str]] = []
        self.in_title = False
        self.title: list[str] = []
        self.heading = 0
        self.in_pre = 0

    # -- helpers --
    def _furniture(self, tag: str, attrs: dict[str, str]) -> str | None:
        names = " ".join(attrs.get(k) or "" for k in ("class", "id")).replace("_", "-")
        if tag not in {"article", "main", "body", "html"}:
            for pat, kind in _FURNITURE_WORDS:
                if pat.search(names):
                    return kind
        if tag in _FURNITURE_TAGS:
            return _FURNITURE_TAGS[tag]
        role = (attrs.get("role") or "").lower()
        if role in _FURNITURE_ROLES:
            return _FURNITURE_ROLES[role]
        if tag == "header" and not self._inside("article"):
            return "page header"
        if tag == "figcaption":
            return "image caption"
        if attrs.get("aria-hidden") == "true" or "hidden" in attrs:
            return "hidden element"
        return None

    def _inside(self, tag: str) -> bool:
        return any(t == tag for t, _ in self.stack)

    def _newline(self, n: int = 1) -> None:
        target = self.furniture_buf if self.furniture_depth else self.out
        if target:
            target.append("\n" * n)

    # -- parser callbacks --
    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k.lower(): (v or "") for k, v in attrs_list}
        if tag == "meta":
            key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
            if key and attrs.get("content") and key not in self.meta:
                self.meta[key] = attrs["content"].strip()
            return
        if tag == "title" and not self.drop_depth:
            self.in_title = True
            return
        if tag in _VOID:
            if tag == "br" and not self.drop_depth:
                self._newline(1)
            if tag == "img" and not self.drop_depth and not self.furniture_depth:
                alt = attrs.get("alt", "").strip()
                self.removed.append(("image", alt or attrs.get("src", "")[:80]))
            return
        if self.drop_depth:
            if tag in _DROP:
                self.drop_depth += 1
            return
        if tag in _DROP:
            self.drop_depth = 1
            if tag not in {"head"}:
                self.removed.append(("script/style" if tag in {"script", "style", "noscript"} else tag, ""))
            return
        kind = None if self.furniture_depth else self._furniture(tag, attrs)
        self.stack.append((tag, kind))
        if kind:
            self.furniture_depth = len(self.stack)
            self.furniture_kind = kind
            self.furniture_buf = []
            return
        if tag in _BLOCK:
            self._newline(2 if tag in {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section",
                                       "article", "table"} else 1)
        if tag in _HEADINGS and not self.furniture_depth:
            self.heading = _HEADINGS[tag]
            self.out.append("#" * self.heading + " ")
        if tag == "li" and not self.furniture_depth:
            self.out.append("- ")
        if tag == "pre":
            self.in_pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            return
        if self.drop_depth:
            if tag in _DROP:
                self.drop_depth -= 1
            return
        if tag in _VOID:
            return
        # close up to the matching open tag (HTML in the wild leaves tags open)
        idx = next((i for i in range(len(self.stack) - 1, -1, -1) if self.stack[i][0] == tag), None)
        if idx is None:
            return
        while len(self.stack) > idx:
            t, _ = self.stack.pop()
            if self.furniture_depth and len(self.stack) < self.furniture_depth:
                excerpt = re.sub(r"\s+", " ", "".join(self.furniture_buf)).strip()
                if excerpt:
                    self.removed.append((self.furniture_kind, excerpt[:120]))
                self.furniture_depth = 0
                self.furniture_buf = []
                continue
            if self.furniture_depth:
                continue
            if t in _HEADINGS:
                self.heading = 0
            if t == "pre":
                self.in_pre -= 1
            if t in _BLOCK:
                self._newline(2 if t in {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"} else 1)

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            return
        if self.drop_depth:
            return
        text = data if self.in_pre else re.sub(r"[ \t\r\n\f]+", " ", data)
        if self.furniture_depth:
            self.furniture_buf.append(text)
            return
        if not text.strip() and (not self.out or self.out[-1].endswith(("\n", " "))):
            return
        if self.out and self.out[-1].endswith("\n"):
            text = text.lstrip()
        self.out.append(text)


def extract(html: str) -> HtmlResult:
    """Readable text (headings as ``#`` lines), the page's meta tags and what was removed."""
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    lines = [ln.strip() for ln in "".join(parser.out).splitlines()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
    title = re.sub(r"\s+", " ", "".join(parser.title)).strip()
    return HtmlResult(text=text, meta=parser.meta, removed=parser.removed, title=title)


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in head)
