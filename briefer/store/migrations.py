"""Numbered schema migrations.  ``PRAGMA user_version`` holds the number of
the last one applied; each runs in its own transaction, and the database file
is copied aside before the first one runs on an existing store."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from briefer.store import edition_ids, words

#: migration number -> SQL script.  Never edit a released step: add a new one.
MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE sections (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        ord INTEGER NOT NULL DEFAULT 100
    );
    CREATE TABLE sources (
        id TEXT PRIMARY KEY,
        title TEXT,
        label TEXT NOT NULL,
        outlet TEXT,
        author TEXT,
        published TEXT,
        date_note TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL,
        language TEXT NOT NULL DEFAULT 'en',
        reliability TEXT NOT NULL DEFAULT 'F',
        file TEXT,
        notes TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL DEFAULT '',
        content_hash TEXT
    );
    CREATE TABLE facts (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        section TEXT NOT NULL REFERENCES sections(id),
        statement TEXT NOT NULL,
        as_of TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'current',
        priority INTEGER NOT NULL DEFAULT 3,
        notes TEXT NOT NULL DEFAULT '',
        superseded_by TEXT,
        tags TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX facts_section ON facts(section, priority DESC);
    CREATE TABLE citations (
        fact INTEGER NOT NULL REFERENCES facts(rowid) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        source TEXT NOT NULL REFERENCES sources(id),
        quote TEXT NOT NULL,
        location TEXT NOT NULL DEFAULT '',
        claim TEXT,
        credibility INTEGER,
        PRIMARY KEY (fact, pos)
    );
    CREATE INDEX citations_source ON citations(source);
    CREATE TABLE fact_tags (
        fact INTEGER NOT NULL REFERENCES facts(rowid) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (tag, fact)
    );
    CREATE TABLE glossary (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        aliases TEXT NOT NULL DEFAULT '[]',
        japanese TEXT,
        japanese_from TEXT,
        description TEXT NOT NULL DEFAULT ''
    );
    -- English and names: porter stemming over unicode61, prefix indexes for
    -- search-as-you-type.  rowid = facts.rowid.
    CREATE VIRTUAL TABLE fact_fts USING fts5(
        statement, quotes, tags, sources,
        tokenize = 'porter unicode61 remove_diacritics 2',
        prefix = '2 3'
    );
    """,
    2: """
    -- Japanese: unicode61 keeps a run of kana/kanji as one token, so the CJK
    -- runs of each fact also go into a trigram index (only those runs, which
    -- keeps it small for English-only facts).
    CREATE VIRTUAL TABLE fact_cjk USING fts5(cjk, tokenize = 'trigram');
    """,
    3: """
    -- Every change to a fact, with who and when, so it can be restored.
    CREATE TABLE fact_history (
        id INTEGER PRIMARY KEY,
        fact_id TEXT NOT NULL,
        changed_at TEXT NOT NULL,
        analyst TEXT NOT NULL DEFAULT '',
        action TEXT NOT NULL,
        before TEXT,
        after TEXT
    );
    CREATE INDEX fact_history_fact ON fact_history(fact_id, id);
    """,
    4: """
    -- Editions: every export of a template, with the facts it held (in
    -- order) and hashes of what a reader saw, so the next export of the same
    -- template can say what changed.  Statements are kept so that removed
    -- and reworded facts can be named even after they left the store.
    CREATE TABLE editions (
        id INTEGER PRIMARY KEY,
        template TEXT NOT NULL,
        number INTEGER NOT NULL,
        exported_on TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        output TEXT NOT NULL DEFAULT '',
        UNIQUE (template, number)
    );
    CREATE TABLE edition_facts (
        edition INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        fact_id TEXT NOT NULL,
        section TEXT NOT NULL,
        statement TEXT NOT NULL,
        status TEXT NOT NULL,
        statement_hash TEXT NOT NULL,
        citations_hash TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        PRIMARY KEY (edition, pos)
    );
    CREATE INDEX edition_facts_fact ON edition_facts(fact_id);
    """,
    5: """
    -- Curation: candidate facts from imported documents awaiting the analyst's
    -- review, how each imported source came in, edits to sources, and the
    -- analyst's resolutions of conflicts between sources.
    CREATE TABLE candidates (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        statement TEXT NOT NULL,
        quote TEXT NOT NULL,
        location TEXT NOT NULL DEFAULT '',
        section TEXT,
        reason TEXT NOT NULL DEFAULT '[]',
        score REAL NOT NULL DEFAULT 0,
        as_of TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        near TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL DEFAULT 'pending',
        fact_id TEXT,
        created_at TEXT NOT NULL,
        decided_at TEXT,
        analyst TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX candidates_status ON candidates(status, source, pos);
    CREATE TABLE source_imports (
        source TEXT PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
        imported_at TEXT NOT NULL,
        analyst TEXT NOT NULL DEFAULT '',
        original_name TEXT NOT NULL,
        format TEXT NOT NULL,
        encoding TEXT NOT NULL DEFAULT '',
        removed TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX sources_content_hash ON sources(content_hash);
    CREATE TABLE source_history (
        id INTEGER PRIMARY KEY,
        source_id TEXT NOT NULL,
        changed_at TEXT NOT NULL,
        analyst TEXT NOT NULL DEFAULT '',
        action TEXT NOT NULL,
        before TEXT,
        after TEXT
    );
    CREATE INDEX source_history_source ON source_history(source_id, id);
    CREATE TABLE conflict_resolutions (
        key TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        action TEXT NOT NULL,
        fact_id TEXT,
        other_fact_id TEXT,
        alias TEXT,
        reason TEXT NOT NULL DEFAULT '',
        analyst TEXT NOT NULL DEFAULT '',
        resolved_at TEXT NOT NULL
    );
    """,
    6: """
    -- Every word of the full-text index with the number of facts using it,
    -- so a typed prefix expands to whole words through a B-tree range
    -- (see briefer/store/words.py); filled from the index after this step.
    CREATE TABLE fts_words (
        word TEXT PRIMARY KEY,
        n INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    """,
    7: """
    -- How a fact's sources differ, when they do: disagreement (the fact is
    -- disputed), self-contradiction, alias or minor (see briefer/domain/variance.py).
    ALTER TABLE facts ADD COLUMN variance TEXT;
    """,
    8: """
    -- A fact's headline: one clause a briefing may lift into its key points.
    ALTER TABLE facts ADD COLUMN headline TEXT;
    """,
    9: """
    -- Each source's sentence analysis for the conflict finder, prepared when the source is imported
    -- (or when its text, the glossary or the word lists change), so the finder reads it instead of the
    -- text (see briefer/domain/conflicts/prepared.py and briefer/store/analysis.py).  A cache: a row
    -- that no longer matches its source is made again; deleting every row loses nothing.
    CREATE TABLE source_analysis (
        source_id TEXT PRIMARY KEY,
        text_sha1 TEXT NOT NULL,
        year INTEGER,
        digest TEXT NOT NULL,
        data TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    10: """
    -- Concurrent editing (issue 15): every fact and source carries a version that each write
    -- increments, so an edit based on an older one can be refused; each history entry names the
    -- database user beside the analyst (empty on a local store: the file has no users).
    ALTER TABLE facts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE sources ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE fact_history ADD COLUMN changed_by TEXT NOT NULL DEFAULT '';
    ALTER TABLE source_history ADD COLUMN changed_by TEXT NOT NULL DEFAULT '';
    """,
    11: """
    -- Editions keyed by the template's stable id (issue 14): a renamed template, in the window or by
    -- renaming its file by hand, keeps its editions.  SQLite cannot drop the old UNIQUE (template,
    -- number), so both tables are made again (the facts first: the editions' DROP must not cascade).
    -- Rows from before are given "name:<template>" and the ids are filled in after this script
    -- (briefer/store/edition_ids.py): builtin:<name> for a built-in, the file's id for the user's own.
    CREATE TABLE editions_new (
        id INTEGER PRIMARY KEY,
        template TEXT NOT NULL,
        number INTEGER NOT NULL,
        exported_on TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        output TEXT NOT NULL DEFAULT '',
        template_id TEXT NOT NULL DEFAULT '',
        UNIQUE (template_id, number)
    );
    INSERT INTO editions_new (id, template, number, exported_on, recorded_at, title, output, template_id)
        SELECT id, template, number, exported_on, recorded_at, title, output, 'name:' || template FROM editions;
    CREATE TABLE edition_facts_new (
        edition INTEGER NOT NULL REFERENCES editions_new(id) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        fact_id TEXT NOT NULL,
        section TEXT NOT NULL,
        statement TEXT NOT NULL,
        status TEXT NOT NULL,
        statement_hash TEXT NOT NULL,
        citations_hash TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        PRIMARY KEY (edition, pos)
    );
    INSERT INTO edition_facts_new SELECT edition, pos, fact_id, section, statement, status, statement_hash,
        citations_hash, content_hash FROM edition_facts;
    DROP TABLE edition_facts;
    DROP TABLE editions;
    ALTER TABLE editions_new RENAME TO editions;
    ALTER TABLE edition_facts_new RENAME TO edition_facts;
    CREATE INDEX edition_facts_fact ON edition_facts(fact_id);
    CREATE INDEX editions_template ON editions(template);
    """,
    12: """
    -- The team library's step 12 (the server writes each history entry's database user; its search
    -- folds diacritics): nothing to do on a local store, whose file has no users and whose FTS5
    -- tokenizer already removes diacritics.  Kept so both backends count the same steps.
    """,
    13: """
    -- The team library's step 13 (its CJK table keeps each fact's priority, for the Japanese lookup's
    -- order): nothing to do on a local store, whose lookup reads the facts' priorities through its
    -- own join.  Kept so both backends count the same steps.
    """,
}

#: Python steps run right after the SQL of the same number, in its transaction
AFTER: dict[int, Callable[[sqlite3.Connection], None]] = {6: words.backfill, 11: edition_ids.backfill_local}

LATEST = max(MIGRATIONS)
