"""The window's store session: opening the store in a worker, what the library shows first, the
library's query thread, the fact flags (stale, conflicts), the open briefing's facts, and
refreshing all of it when a dialog changed the store.

The store itself stays ``window.store`` (the panes and dialogs are given it); the session opens
it, keeps what is read from it, and closes nothing but the connections its workers opened.
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from briefer.domain.typography import count
from briefer.errors import KnownError
from briefer.ui.labels import escape

if TYPE_CHECKING:
    from briefer.ui.mainwindow import MainWindow


def Task(fn: Any) -> Any:  # noqa: N802 - stands for the class, imported when first needed
    from briefer.ui.workers import Task as _Task

    return _Task(fn)


def start(task: Any) -> Any:
    from briefer.ui.workers import start as _start

    return _start(task)


def load_store_data(data_dir: Path, first_query: Any = None, flagger: Any = None) -> dict[str, Any]:
    """Open (create, seed) the store and read what the library shows first: with ``first_query`` (the
    library's first :class:`~briefer.ui.workers.Query`) its answer too, on this connection, so the
    list fills without waiting for the query thread to open its own.  Runs in a worker."""
    from briefer.store.db import open_store
    from briefer.store.location import configured

    # a team library when one is configured; the fact pack (briefer.ingest.factpack: pydantic, its
    # checks) is read only when a new store is seeded, not at every start
    store = open_store(data_dir, seed=_fact_pack, location=configured(data_dir))
    data = {
        "store": store,
        # light rows (briefer.model.rows): what the library shows of them, read without building a model;
        # the full sections and sources are read once the list is filled (StoreSession._finish_start)
        "sections": store.section_rows(),
        "counts": store.section_counts(),
        "sources": store.source_rows(),
        "tags": store.tags(),
        # the role in a team library, read here off the window's thread (a local store: everything)
        "permissions": store.permissions(),
    }
    if first_query is not None:
        from briefer.ui.workers import QueryRunner

        data["first_result"] = QueryRunner(flagger).run(store, first_query)
    return data


def _fact_pack() -> Any:
    """The fact pack a new store is seeded with (what ``briefer.ingest.factpack.open_store`` passes)."""
    from briefer.ingest.factpack import load

    return load()


def _load_models(store: Any) -> tuple[list[Any], list[Any]]:
    """The store's full sections and sources, and the briefing's data types made ready to validate
    (pydantic builds a model's validator when it is first used): what the panes beside the library
    need first.  Runs in a worker."""
    import briefer.domain.document  # noqa: F401 - the page estimate's (StoreSession.estimator)
    import briefer.domain.pages  # noqa: F401
    from briefer.domain.briefing import Briefing

    Briefing()
    return store.sections(), store.sources()


class StoreSession(QObject):
    """The store's side of the window (see the module docstring)."""

    #: above this many facts the whole-store conflict pass is left to Facts → Conflicts… (it would hold
    #: the interpreter for minutes and make typing sluggish)
    CONFLICT_SCAN_LIMIT = 20_000

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self._sources_cache: dict[str, Any] = {}
        self._section_titles: dict[str, str] = {}
        self._store_data: dict[str, Any] = {}
        self._tasks: list[Any] = []
        self._usage_task: Any = None
        self._flags: Any = None
        #: the bar for stored values that could not be read (made when there is one: DamageNotes)
        self.damage: Any = None

    def section_title(self, section_id: str) -> str:
        return self._section_titles.get(section_id, section_id)

    def start(self) -> None:
        """Open the store in a worker; the panes fill when it is ready.  The worker imports what it
        uses itself (the store, the data types), off the GUI thread.  The window has its library pane
        (and its actions and menus) meanwhile; the other panes are made once the library is filled."""
        self.w.build_library()
        self.w.show_status("Opening the fact store\u2026")
        first, flagger, data_dir = self.w.library.next_query(), self.flagger(), self.w.data_dir
        task = Task(lambda report: load_store_data(data_dir, first, flagger))
        task.signals.finished.connect(self._store_ready)
        task.signals.failed.connect(self._store_failed)
        self._tasks.append(task)
        start(task)

    def _store_failed(self, exc: BaseException, details: str) -> None:
        from briefer.ui import collector, messages

        collector.release(freeze=False)
        self.w.build()
        self.w.status_label.setText("The fact store could not be opened")
        if isinstance(exc, KnownError):
            messages.error(self.w, "Cannot open the fact store", str(exc),
                           "Fix the problem (or choose another data folder with --data-dir) and start Briefer again.")
        else:
            self.w.show_crash(exc, details)

    def _store_ready(self, data: dict[str, Any]) -> None:
        if self.w._closing:
            # the window was closed while the store was still opening (a slow first start seeds
            # the pack): start nothing more, and let go of the connection the task opened
            data["store"].close()
            return
        self.w.store = data["store"]
        self._store_data = data
        self._section_titles = {s.id: s.title for s in data["sections"]}
        self.w.library.set_store_data(data["sections"], data["counts"], data["sources"], data["tags"])
        self.restart_queries()
        self.w.permissions = data["permissions"]
        # the library first: its list, and its search box (the query thread runs), what a user waits for
        self.w.library.setEnabled(True)
        first = data.get("first_result")
        if first is not None:
            self.w.library.show_result(first)
        else:
            self.w.library.requery()
        self.w.libraryFilled.emit()
        from briefer.ui import collector

        collector.release()  # the start's objects stay for the session: later passes skip them
        # then, once the list is on screen, the briefing, the preview and the rest.  The data types they
        # use (pydantic: the list did without them) are loaded in a worker first, with the full sections
        # and sources (on the connection the store was opened with, which nothing else uses meanwhile),
        # so the list takes a search while they load
        store = data["store"]
        task = Task(lambda report: _load_models(store))
        task.signals.finished.connect(lambda full: self._finish_start(data, full))
        task.signals.failed.connect(lambda exc, details: self._models_failed(data, exc, details))
        self._tasks.append(task)
        # ... once the list has been painted with its facts: the worker's imports (pydantic) hold the
        # interpreter, and the list's paint calls into Python for every cell
        self.w.library.facts.after_next_paint(lambda: None if self.w._closing else start(task))

    def _models_failed(self, data: dict[str, Any], exc: BaseException, details: str) -> None:
        """The full sections and sources could not be read (a store fault, or a row that no longer
        parses): said as a store that cannot be opened is, never a window left at "Opening the fact
        store…"."""
        if self.w._closing or self.w.store is not data["store"]:
            return
        self.w.set_enabled(False)
        self._store_failed(exc, details)

    def _finish_start(self, data: dict[str, Any], full: tuple[list[Any], list[Any]] | None = None) -> None:
        if self.w._closing or self.w.store is not data["store"]:
            return
        # the other panes; the briefing, the composer and the dialogs read the full sections and sources
        self.w.build()
        data["sections"], data["sources"] = full or (self.w.store.sections(), self.w.store.sources())
        self.say_damaged(data.get("first_result"), self.w.store)
        self.w.set_enabled(True)
        self.w.set_doc(self.new_doc())
        self.take_preferences()
        n = sum(data["counts"].values())
        perms = data["permissions"]
        where = self.w.store.location
        status = f"{count(n, 'fact')} in {count(len(data['sections']), 'section')} \u2014 {where}"
        if perms.team:
            status += f" as {perms.user} ({perms.role})"
            reason = perms.why_not("can_edit")
            status += f". {reason}" if reason else ""
        self.w.show_status(status)
        for notice in getattr(self.w.store, "notices", []):  # e.g. an interrupted restore that was completed
            from briefer.ui import messages

            messages.info(self.w, "The data folder was repaired", notice)
        self.w.autosave_timer.start()
        self.w.live.start()  # a team library tells of colleagues' changes as they happen
        if self.w.initial_file is not None:
            self.w.files.open_path(self.w.initial_file)
        else:
            self.w.files.offer_recovery()
        self.w.take_early_acts()  # a fact added or selected in the library while the briefing was being made
        from briefer.ui import shortcut_guard

        shortcut_guard.install(self.w)  # Ctrl+E exports from the search box too (not Qt's end-of-line on X11)
        self.w.ready.emit()
        # the conflict pass reads the whole store in a worker: it starts once the library is up
        QTimer.singleShot(0, self.compute_conflicts)

    def restart_queries(self) -> None:
        """The library's query thread, on a connection of its own (again, after a team library came back)."""
        from briefer.ui.workers import QueryThread

        if self.w.query_thread is not None:
            self.w.query_thread.stop()
        self.w.query_thread = QueryThread(self.w.store.reopen, self.flagger(), self.w)
        self.w.query_thread.resultReady.connect(self._query_result)
        self.w.query_thread.failed.connect(lambda q, msg: self.w.library.show_error(msg))
        self.w.query_thread.start()

    def estimator(self) -> Any:
        """briefing -> its page estimate: resolved against the store as the export resolves it and laid
        out by the one estimate the export's budget and ``briefer export --dry-run`` use."""
        store = self.w.store
        if store is None:
            return None
        from briefer.domain.document import CachedStore, resolve
        from briefer.domain.pages import estimate

        horizon = self.flagger().horizon
        cache: dict[str, Any] = {}

        def run(briefing: Any) -> Any:
            doc = self.w.doc
            facts = doc.facts if doc is not None else None
            # the open briefing's facts as the window holds them; sources and the glossary read once per
            # set of facts (an edit of the store gives the briefing a new set)
            if cache.get("facts") is not facts or "store" not in cache:
                cache["facts"] = facts
                cache["store"] = CachedStore(store, facts)
            return estimate(resolve(briefing, cache["store"], today=self.w.today or date.today(),
                                    horizon_months=horizon))

        return run

    def flagger(self) -> Any:
        if self._flags is None:
            from briefer.ui.factflags import FactFlags

            self._flags = FactFlags(self.w.data_dir, self.w.today)
        return self._flags

    # -- preferences ------------------------------------------------------------------------------

    def take_preferences(self) -> None:
        """The preferences the panes show: the horizon the preview judges the facts by, the analyst's
        name as the author placeholder; then any message about a settings file set aside."""
        from briefer.store import preferences as prefs

        self.w.preview.horizon_months = self.flagger().horizon
        try:
            analyst = prefs.configured_analyst(self.w.data_dir)
        except KnownError:
            analyst = None
        edit = self.w.composer.cover_edits.get("prepared_by")
        if edit is not None:
            edit.setPlaceholderText(f"{analyst} (from Preferences)" if analyst else "")
        self.say_preference_notices()

    def apply_preferences(self) -> None:
        """The Preferences were saved: the new horizon marks the library, the outline, the length and
        the preview at once."""
        from briefer.store import preferences as prefs

        flags = self.flagger()
        try:
            flags.horizon = int(prefs.stale_after_months(self.w.data_dir))
        except KnownError as exc:
            self.w.show_known_error("Preferences", exc)
        self.take_preferences()
        doc = self.w.doc
        if doc is not None:
            doc.flags = flags(list(doc.facts.values()))
            doc.estimator = self.estimator()
            doc.model.refresh_all()
            self.w.composer.tree.expandAll()
            self.w.composer._update_length()
            self.w.preview.refresh()
        self.w.library.requery()
        if self.w.inspector.fact is not None:
            self.w.inspect_fact(self.w.inspector.fact.id)  # its status word follows the horizon too

    def say_preference_notices(self) -> None:
        """One message for each settings file set aside since the last look (briefer.store.preferences)."""
        import sys

        prefs = sys.modules.get("briefer.store.preferences")
        if prefs is None:
            return
        notices = prefs.take_notices()
        if notices:
            from briefer.ui import messages

            text = "\n\n".join(n[0].upper() + n[1:] + "." for n in notices)
            messages.info(self.w, "Settings reset", text)

    def compute_conflicts(self) -> None:
        """Open conflicts between sources, per fact: a pass over the whole store, so in a worker."""
        if self.w.store is None or self.w._closing:
            return
        if sum(self._store_data.get("counts", {}).values()) > self.CONFLICT_SCAN_LIMIT:
            return
        opener = self.w.store.reopen

        def work(_report: Any) -> Any:
            from briefer.ui.factflags import compute_conflicts

            st = opener()
            try:
                return compute_conflicts(st)
            finally:
                st.close()

        task = Task(work)
        task.signals.finished.connect(self._conflicts_ready)
        task.signals.failed.connect(lambda exc, _t: self.w.show_status(f"Could not check for conflicts: {exc}"))
        self._tasks.append(task)
        start(task)

    def _conflicts_ready(self, conflicts: dict[str, list[str]]) -> None:
        if self.w.store is None:
            return
        flags = self.flagger()
        flags.conflicts = conflicts
        if self.w.doc is not None:
            self.w.doc.flags = flags(list(self.w.doc.facts.values()))
            self.w.doc.model.refresh_all()
            self.w.composer.tree.expandAll()
        self.w.library.requery()
        self.w.conflictsUpdated.emit(len({line for lines in conflicts.values() for line in lines}))

    def new_doc(self, briefing: Any = None, *, path: Path | None = None, template: str | None = None,
                budget: Any = None) -> Any:
        from briefer.domain.briefing import Briefing
        from briefer.ui.briefing_model import BriefingDoc

        if briefing is None:
            briefing = Briefing()
            from briefer.store.preferences import citation_style

            with contextlib.suppress(KnownError):
                briefing.options.citations = citation_style(self.w.data_dir) or briefing.options.citations
        facts = self.w.store.facts_by_ids(list(dict.fromkeys(briefing.fact_ids())))
        doc = BriefingDoc(briefing, store_sections=self._store_data["sections"], facts=facts, path=path,
                          template=template, budget=budget, parent=self.w)
        doc.flags = self.flagger()(list(facts.values()))
        doc.fact_loader = self.load_facts
        return doc

    def load_facts(self, ids: list[str]) -> dict[str, Any]:
        facts: dict[str, Any] = self.w.store.facts_by_ids(ids)
        if self.w.doc is not None:
            self.w.doc.flags.update(self.flagger()(list(facts.values())))
        return facts

    def submit_query(self, q: Any) -> None:
        if self.w.query_thread is not None:
            self.w.query_thread.submit(q)

    def _query_result(self, result: Any) -> None:
        self.w.library.show_result(result)
        if result.damaged:
            self.say_damaged(result)

    def say_damaged(self, *reads: Any) -> None:
        """The stored values a read could not parse (a query's result, or a store's own notes): said once
        in a bar above the panes (briefer.ui.damage_notes), the rest of the library shown as it is."""
        notes: dict[str, str] = {}
        for read in reads:
            notes.update(getattr(read, "damaged", None) or {})
        if not notes:
            return
        if self.damage is None:
            from briefer.ui.damage_notes import DamageNotes

            self.damage = DamageNotes(self.w)
        self.damage.take(notes)

    def all_sources(self) -> list[Any]:
        """Every source of the store (without its text), as read when the store was opened or changed."""
        return list(self._store_data.get("sources", []))

    def source(self, sid: str) -> Any:
        if sid not in self._sources_cache:
            try:
                self._sources_cache[sid] = self.w.store.source(sid)
            except KnownError:
                self._sources_cache[sid] = None
        return self._sources_cache[sid]

    def load_usage(self, fact_id: str) -> None:
        """Which templates and editions use the fact: runs every template's selection, so off the GUI thread."""
        store_opener = self.w.store.reopen
        data_dir = self.w.data_dir

        def work(_report: Any) -> Any:
            from briefer.domain.usage import fact_usage

            st = store_opener()
            try:
                return fact_id, fact_usage(st, data_dir, fact_id)
            finally:
                st.close()

        task = Task(work)
        task.signals.finished.connect(self._usage_ready)
        task.signals.failed.connect(lambda exc, _t: self._usage_failed(fact_id, exc))
        self._usage_task = task
        start(task)

    def _usage_failed(self, fact_id: str, exc: BaseException) -> None:
        # never leave "looking…" standing: say that the answer is missing, and why when it is known
        if self.w.inspector.fact is None or self.w.inspector.fact.id != fact_id:
            return
        why = escape(str(exc)) if isinstance(exc, KnownError) else "an internal error"
        self.w.inspector.set_usage(f"<p><b>Used by templates and editions:</b> <i>not worked out ({why}); "
                                   "select the fact again to retry</i></p>")

    def _usage_ready(self, result: Any) -> None:
        fact_id, usage = result
        if self.w.inspector.fact is None or self.w.inspector.fact.id != fact_id:
            return
        tpl = ", ".join(f"{escape(t.template)}{' (built-in)' if t.builtin else ''}"
                        for t in usage.templates if t.how != "named-but-not-selected")
        eds = ", ".join(f"{escape(e.template)} #{e.number} ({e.exported_on.isoformat()})" for e in usage.editions)
        self.w.inspector.set_usage(f"<p><b>Used by templates:</b> {tpl or 'none'}<br>"
                                   f"<b>In exported editions:</b> {eds or 'none yet'}</p>")

    def store_changed(self) -> None:
        """The store was edited (curation): refresh the library, the briefing's facts, the preview."""
        self._sources_cache.clear()
        data = {
            "store": self.w.store, "sections": self.w.store.sections(), "counts": self.w.store.section_counts(),
            "sources": self.w.store.sources(), "tags": self.w.store.tags(),
        }
        self._store_data = data
        self.w.library.set_store_data(data["sections"], data["counts"], data["sources"], data["tags"])
        self.w.library.requery()
        if self.w.doc is not None:
            facts = self.w.store.facts_by_ids(list(dict.fromkeys(self.w.doc.briefing.fact_ids())))
            self.w.doc.flags = self.flagger()(list(facts.values()))
            self.w.doc.refresh_facts(facts)
        if self.w.inspector.fact is not None:
            self.w.inspect_fact(self.w.inspector.fact.id)
        self.compute_conflicts()
