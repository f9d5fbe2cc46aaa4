"""Work off the GUI thread: a library query thread (search as you type, the
latest query wins and a running stale one is interrupted) and one-shot tasks
on the thread pool.  Results come back by signals; workers never touch widgets."""

from __future__ import annotations

import re
import threading
import time
import traceback
from collections.abc import Callable
from functools import cache
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal

from briefer.model.plain import Frozen, Plain

_CJK_RUN = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"


@cache
def _cjk() -> re.Pattern[str]:
    """Japanese characters: compiled when the first word is typed (the class's ranges take ~14 M
    instructions to compile; the list a start shows is filled without it)."""
    return re.compile(_CJK_RUN)


# Query and QueryResult are plain records (briefer.model.plain), not dataclasses: the window's start
# makes the first of each before the list is filled


class Query(Frozen):
    __slots__ = ("generation", "text", "filters", "limit", "issued", "shown_status", "counts")
    _fields = __slots__
    generation: int
    text: str
    #: keyword arguments of briefer.store.db.FactFilter
    filters: dict[str, Any]
    limit: int
    #: when the user typed it (time.perf_counter), for the status bar and the benchmark
    issued: float
    #: the status as a list row shows it (briefer.ui.briefing_model.display_status: current, stale,
    #: conflict, disputed, superseded), so the filter and the rows share one vocabulary
    shown_status: str | None
    #: also count the matches per section and in the whole library (the section tree's counts and
    #: "0 in this section — 3 in all sections")
    counts: bool

    def __init__(self, generation: int, text: str = "", filters: dict[str, Any] | None = None, limit: int = 500,
                 issued: float = 0.0, shown_status: str | None = None, counts: bool = False) -> None:
        object.__setattr__(self, "generation", generation)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "filters", {} if filters is None else filters)
        object.__setattr__(self, "limit", limit)
        object.__setattr__(self, "issued", issued)
        object.__setattr__(self, "shown_status", shown_status)
        object.__setattr__(self, "counts", counts)


class QueryResult(Plain):
    __slots__ = ("query", "rows", "total", "seconds", "flags", "note", "started", "finished", "section_counts",
                 "everywhere", "damaged")
    _fields = __slots__
    query: Query
    #: (fact, snippet with <b>…</b> marks, or None)
    rows: list[tuple[Any, str | None]]
    #: how many facts match in all (None when a search ranks only the best)
    total: int | None
    seconds: float
    flags: dict[str, set[str]]
    #: said to the user about how the query was read (e.g. a Japanese name found in the glossary)
    note: str
    #: time.perf_counter() when the worker started and finished it
    started: float
    finished: float
    #: with ``Query.counts``: matches per section with every filter but the section, and in the whole
    #: library (the same text, no section, no filter)
    section_counts: dict[str, int] | None
    everywhere: int | None
    #: the stored values this connection could not read so far (``Store.damaged``: key -> note with repair)
    damaged: dict[str, str]

    def __init__(self, query: Query, rows: list[tuple[Any, str | None]], total: int | None, seconds: float,
                 flags: dict[str, set[str]] | None = None, note: str = "", started: float = 0.0,
                 finished: float = 0.0, section_counts: dict[str, int] | None = None, everywhere: int | None = None,
                 damaged: dict[str, str] | None = None) -> None:
        self.query = query
        self.rows = rows
        self.total = total
        self.seconds = seconds
        self.flags = {} if flags is None else flags
        self.note = note
        self.started = started
        self.finished = finished
        self.section_counts = section_counts
        self.everywhere = everywhere
        self.damaged = {} if damaged is None else damaged


def searchable(text: str) -> str:
    """What is worth searching for while the user types: a trailing single Latin letter would
    match as a prefix of a large part of the vocabulary (slow, and useless), so it waits for
    the next keystroke; Japanese characters count from one."""
    words = text.split()
    if words and len(words[-1]) == 1 and not _cjk().search(words[-1]):
        words = words[:-1]
    return " ".join(words)


class QueryRunner:
    """Answers library queries (the filters, the shown status, the counts) on a store connection it is
    given: the query thread's, and the store worker's for the list a start shows first.  Not a QObject,
    so any thread may make and drop one."""

    BROWSE_LIMIT = 500
    #: the most matches counted for the section tree and "3 in all sections"
    COUNT_LIMIT = 5000

    def __init__(self, flagger: Callable[[list[Any]], dict[str, set[str]]] | None = None) -> None:
        self._flagger = flagger
        self._glossary: list[tuple[str, str]] | None = None

    def run(self, store: Any, q: Query) -> QueryResult:
        """The answer to ``q`` from ``store`` (the caller's own connection, on the caller's thread)."""
        from briefer.store.db import FactFilter

        t0 = time.perf_counter()
        flt = self._shown_status_filter(FactFilter(**q.filters), q.shown_status)
        note = ""
        text = searchable(q.text)
        if q.text.strip() and not text:
            note = "type another letter to search"
        # "current" and "conflict" rows differ by the open-conflict flag the store does not hold:
        # fetch enough to make up for the rows the flag takes out
        extra = len(getattr(self._flagger, "conflicts", ()) or ()) if q.shown_status in ("current", "conflict") else 0
        if text:
            from briefer.app.search import glossary_pairs, search_facts

            if self._glossary is None:
                self._glossary = glossary_pairs(store)
            found = search_facts(store, text, flt, limit=q.limit + extra, mark=("<b>", "</b>"),
                                 glossary=self._glossary)
            rows: list[tuple[Any, str | None]] = [(h.fact, h.snippet) for h in found.hits]
            total: int | None = None
            note = found.note or note
        else:
            # the list's light rows (briefer.model.rows.FactRow): no model is built for a browse; the full
            # fact is read when one is opened, edited or added to the briefing
            facts = store.library_rows(flt, limit=(self.BROWSE_LIMIT if q.text.strip() else q.limit) + extra)
            rows = [(f, None) for f in facts]
            total = store.count(flt) if len(facts) >= q.limit else len(facts)
        flags = self._flagger([f for f, _ in rows]) if self._flagger else {}
        if extra or q.shown_status == "conflict":
            rows = [(f, s) for f, s in rows if self._shows(f, flags, q.shown_status)][:q.limit]
            total = len(rows) if total is not None and len(rows) < q.limit else total
        result = QueryResult(q, rows, total, 0.0, flags, note, t0)
        if q.counts:
            self._count(store, q, text, flt, result)
        result.damaged = dict(getattr(store, "damaged", None) or {})
        end = time.perf_counter()
        result.seconds, result.finished = end - t0, end
        return result

    def _shown_status_filter(self, flt: Any, shown: str | None) -> Any:
        """The store's filter for a status as the list shows it: stale is a current fact older than the
        freshness horizon, current one within it (briefer.ui.briefing_model.display_status)."""
        if shown not in ("current", "stale", "conflict"):
            return flt
        from datetime import date, timedelta

        from briefer.domain.freshness import DEFAULT_HORIZON_MONTHS, cutoff

        today = getattr(self._flagger, "today", None) or date.today()
        first_fresh = cutoff(today, getattr(self._flagger, "horizon", None) or DEFAULT_HORIZON_MONTHS)
        if shown == "stale":
            last = first_fresh - timedelta(days=1)
            return flt.replace(status="current", as_of_to=min(flt.as_of_to, last) if flt.as_of_to else last)
        return flt.replace(status="current",
                           as_of_from=max(flt.as_of_from, first_fresh) if flt.as_of_from else first_fresh)

    @staticmethod
    def _shows(fact: Any, flags: dict[str, set[str]], shown: str | None) -> bool:
        from briefer.ui.factflags import display_status

        return shown is None or display_status(fact, flags.get(fact.id, ())) == shown

    def _count(self, store: Any, q: Query, text: str, flt: Any, result: QueryResult) -> None:
        wide = flt.replace(section=None)
        if text:
            from briefer.app.search import search_facts
            from briefer.store.db import FactFilter

            # counted, not shown: no snippets (the server's ts_headline was most of these searches' cost)
            hits = search_facts(store, text, wide, limit=self.COUNT_LIMIT, glossary=self._glossary,
                                snippets=False).hits
            facts = [h.fact for h in hits]
            if q.shown_status in ("current", "conflict"):
                flags = self._flagger(facts) if self._flagger else {}
                facts = [f for f in facts if self._shows(f, flags, q.shown_status)]
            per: dict[str, int] = {}
            for f in facts:
                per[f.section] = per.get(f.section, 0) + 1
            result.section_counts = per
            # with no filter but the section, the whole library's matches are those just counted
            everywhere = hits if wide == FactFilter() else search_facts(
                store, text, None, limit=self.COUNT_LIMIT, glossary=self._glossary, snippets=False).hits
            result.everywhere = len(everywhere)
        else:
            result.section_counts = {sid: store.count(wide.replace(section=sid)) for sid in store.section_counts()}
            result.everywhere = store.count()


class QueryThread(QThread):
    """Runs library queries on its own store connection.  ``submit`` never
    blocks: a newer query replaces a waiting one and interrupts a running one."""

    resultReady = Signal(object)
    failed = Signal(object, str)

    def __init__(self, opener: Callable[[], Any], flagger: Callable[[list[Any]], dict[str, set[str]]] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: opens this thread's own store connection (``Store.reopen``), called in the thread
        self._opener = opener
        self._cond = threading.Condition()
        self._pending: Query | None = None
        self._running: Query | None = None
        self._stop = False
        self._store: Any = None
        self._runner = QueryRunner(flagger)

    def submit(self, query: Query) -> None:
        with self._cond:
            self._pending = query
            if self._running is not None and self._store is not None:
                self._store.interrupt()  # the answer would be stale anyway
            self._cond.notify()

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            if self._store is not None and self._running is not None:
                self._store.interrupt()
            self._cond.notify()
        # no timeout: a thread left running when the window goes emits into deleted signals (or
        # aborts the process: "QThread: Destroyed while thread is still running"); a running query
        # was interrupted above, and opening the connection ends by itself (a team server's
        # connect timeout bounds it)
        self.wait()

    def run(self) -> None:
        try:
            store = self._opener()
        except Exception as exc:  # noqa: BLE001 - reported to the window
            self.failed.emit(None, str(exc))
            return
        self._store = store
        try:
            while True:
                with self._cond:
                    while self._pending is None and not self._stop:
                        self._cond.wait()
                    if self._stop or self._pending is None:
                        return
                    q: Query = self._pending
                    self._pending = None
                    self._running = q
                try:
                    result = self._runner.run(store, q)
                except Exception as exc:  # noqa: BLE001
                    with self._cond:
                        self._running = None
                        superseded = self._pending is not None
                    if not superseded:
                        self.failed.emit(q, str(exc))
                    continue
                with self._cond:
                    self._running = None
                    superseded = self._pending is not None
                if not superseded:
                    self.resultReady.emit(result)
        finally:
            store.close()

class TaskSignals(QObject):
    finished = Signal(object)
    failed = Signal(object, str)
    progress = Signal(int, str)


class Task(QRunnable):
    """Run ``fn(report)`` on the thread pool; ``report(percent, message)`` sends progress.
    Keep a reference to ``task.signals`` until it has finished."""

    def __init__(self, fn: Callable[[Callable[[int, str], None]], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = TaskSignals()
        self.cancelled = threading.Event()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit)
        except BaseException as exc:  # noqa: BLE001 - sent to the window, which decides
            self.signals.failed.emit(exc, "".join(traceback.format_exception(exc)))
        else:
            self.signals.finished.emit(result)


_running: set[Task] = set()


def start(task: Task) -> Task:
    """Start ``task`` on the global pool, keeping it alive until it reports."""
    _running.add(task)
    task.signals.finished.connect(lambda _r: _running.discard(task))
    task.signals.failed.connect(lambda _e, _t: _running.discard(task))
    QThreadPool.globalInstance().start(task)
    return task
