"""Finding likely contradictions between sources, and which facts they touch.

Four kinds, each found by a rule an analyst can read and check (one module each):

* **name** (:mod:`.names`) — one person, body, law or document under different names.  From
  the glossary's alias table (every recorded name a source uses), and, for
  names the glossary does not know yet: two people with the same given name
  and the same role ("Minoru Kiuchi, … economic security minister" and
  "Minister of Economic Affairs and Security Minoru Jonouchi"), English names
  written beside the same Japanese name, and proper names that differ only in
  a word's ending, an abbreviation or a few words around the same head noun
  ("AI Strategy Headquarters" / "AI Strategic Headquarters"; the Act's English
  title renderings).
* **date** (:mod:`.dates`) — different dates for the same event (a named summit,
  conference or meeting, or a law/body/document with the same action: passed,
  established, published …).  A finer date inside a coarser one agrees
  ("September 1" within "early September 2025"); two different spans of the
  same precision do not ("February 2025" / "January–February 2025").
* **number** (:mod:`.numbers`) — different counts for the same thing ("four pillars" /
  "five pillars" of the same plan), and different percentages in sentences that say much the same.
* **claim** (:mod:`.claims`) — different answers to the same question: who heads a body,
  and the word-list claims on a law: whether it has penalties ("no penalties" / "no heavy
  penalties"), whether its guidelines bind, whether cooperation is required, whether the
  government regulates or facilitates.

Each is in one of four cases (:mod:`.kinds`): an alias, a source contradicting itself, a
disagreement between sources, or a difference too small to matter.  A conflict is *resolved*
when the analyst recorded a resolution (a fact marked disputed or superseded with a reason, an
alias, or "not a conflict"), when all its names are one glossary entry (an alias recorded), or
when a fact on one of its sides is already marked disputed or superseded.

The English word lists the rules read live in ``resources/vocabularies.json`` (key
``conflicts``), read once per process (:mod:`.words`).

Pure functions: sources, facts, glossary and resolutions in, conflicts out (:mod:`.finder`).

Speed (``benchmarks/bench_curation.py``): what is kept between runs lives in this process's memory,
filled by any run (in the window, the main window's conflict pass after the store opens):
a source's sentence spans and sentences (by its text), what each distinct sentence holds (by the
glossary and word lists), and the conflicts found before judging (by every source's id, text and year,
every fact's quotes, the glossary and word lists), so a run after a resolution only judges again.
``clear_caches()`` forgets it all.  Across processes: each source's sentence analysis is prepared once
(:mod:`.prepared`, kept by the store in ``source_analysis``), so a run on a store just opened reads the
prepared readings of the sentences that hold anything instead of reading every sentence again.
"""

from __future__ import annotations

from briefer.domain.conflicts.finder import clear_caches, conflicts_for_fact, find_conflicts
from briefer.domain.conflicts.kinds import CASE_TEXT, Conflict, ResolutionLike, Side, conflict_key

__all__ = ["CASE_TEXT", "Conflict", "ResolutionLike", "Side", "clear_caches", "conflict_key", "conflicts_for_fact",
           "find_conflicts"]
