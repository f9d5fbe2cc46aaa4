"""The document model: a briefing resolved against the store into blocks.

:func:`resolve` turns a :class:`~briefer.domain.briefing.Briefing` (which only
references facts by id) into a :class:`Document` holding every piece of text
the reader will see: cover, summary, contents, sections of fact and paragraph
blocks with their footnotes, "what's new", appendices.  Every renderer (DOCX,
HTML preview, Markdown, PDF) consumes this one model, so the preview the window
shows is the document that gets exported.

Text is made safe here: characters XML cannot hold (control characters, lone
surrogates) are removed and each removal is reported in ``Document.warnings``.
Metadata a source does not give is shown as unknown ("n.d." in a citation),
never guessed.

The blocks live in :mod:`briefer.domain.blocks`, resolving in :mod:`briefer.domain.resolving`;
this module keeps the import path every caller uses.
"""

from briefer.domain.blocks import (  # noqa: F401 -- re-exported: the import paths callers use
    FIRST_EDITION,
    GLOSSARY_COLUMNS,
    GLOSSARY_NOTES,
    KIND_LABELS,
    MAX_QUOTE_CHARS,
    NOT_STATED,
    RELIABILITY_NOTE,
    SHORT_LABEL_WORDS,
    SHORT_TITLE_WORDS,
    Appendix,
    Block,
    CitationNote,
    ContentsEntry,
    Cover,
    DocProperties,
    Document,
    EvidenceEntry,
    FactBlock,
    FigureBlock,
    GlossaryRow,
    KeyPoint,
    ParagraphBlock,
    SectionBlock,
    SourceRow,
    SourcesTable,
    Summary,
    Table,
    WhatsNew,
    WhatsNewLine,
    bookmark_name,
    clean_text,
    format_date,
    glossary_table,
    join_locations,
    merge_citations,
    short_title,
    shorten_quote,
    sources_table,
)
from briefer.domain.key_points import KEY_POINT_WORDS, key_point_text  # noqa: F401 -- re-exported
from briefer.domain.reading import CachedStore  # noqa: F401 -- re-exported: the import path callers use
from briefer.domain.resolving import (  # noqa: F401 -- re-exported: the import paths callers use
    choose_key_points,
    format_citation,
    mention_text,
    mentions,
    resolve,
)

__all__ = [  # the names this module offers (its own and the re-exported)
    "Appendix",
    "Block",
    "CachedStore",
    "CitationNote",
    "ContentsEntry",
    "Cover",
    "DocProperties",
    "FIRST_EDITION",
    "Document",
    "EvidenceEntry",
    "FactBlock",
    "FigureBlock",
    "GLOSSARY_COLUMNS",
    "GLOSSARY_NOTES",
    "GlossaryRow",
    "KEY_POINT_WORDS",
    "KIND_LABELS",
    "KeyPoint",
    "MAX_QUOTE_CHARS",
    "NOT_STATED",
    "ParagraphBlock",
    "RELIABILITY_NOTE",
    "SHORT_LABEL_WORDS",
    "SHORT_TITLE_WORDS",
    "SectionBlock",
    "SourceRow",
    "SourcesTable",
    "Table",
    "Summary",
    "WhatsNew",
    "WhatsNewLine",
    "bookmark_name",
    "choose_key_points",
    "clean_text",
    "format_citation",
    "format_date",
    "join_locations",
    "key_point_text",
    "mention_text",
    "mentions",
    "merge_citations",
    "resolve",
    "short_title",
    "shorten_quote",
    "glossary_table",
    "sources_table",
]
