"""When the team library's server goes away (issue 15, faults): the window keeps the open briefing and
every edit of it (autosave goes on as always), says so in a bar that does not block anything —
"The team library at HOST is unreachable" with a Retry button — and greys out what needs the store
meanwhile.  Retry reconnects; after a success the library and the briefing's facts are read again,
and the live updates listen again.  Nothing retries on a timer: the analyst chooses when.

A lost connection is reported here by whoever meets it: the live updates' listener (its socket
wakes when the server closes it), or any store call that raises
:class:`~briefer.errors.StoreUnreachable` on the way to the window's error message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from briefer.errors import KnownError, StoreUnreachable
from briefer.ui.labels import escape
from briefer.ui.live_updates import NoticeBar

if TYPE_CHECKING:
    from briefer.ui.mainwindow import MainWindow


def server_of(location: str) -> str:
    """"db.example.org:5432" of "postgresql://alice@db.example.org:5432/briefer" (no user, no password)."""
    rest = location.split("://", 1)[-1]
    rest = rest.split("/", 1)[0].split("?", 1)[0]
    return rest.rsplit("@", 1)[-1] or location


class OfflineFacts:
    """The facts the open briefing holds, standing in for the store while the team library is away: a
    briefing saved meanwhile snapshots them, so reopening it later says what changed since."""

    def __init__(self, facts: dict[str, Any]) -> None:
        self._facts = facts

    def facts_by_ids(self, ids: list[str]) -> dict[str, Any]:
        return {fid: self._facts[fid] for fid in ids if fid in self._facts}


class ConnectionWatch(QObject):
    """The window's state of its connection to a team library (see the module docstring)."""

    #: the connection was lost (the bar is showing)
    lostConnection = Signal(str)
    #: Retry reconnected (the window was refreshed)
    reconnected = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.is_lost = False
        self.bar = NoticeBar("Team library unreachable", kind="error", action="&Retry", closable=False)
        self.bar.button.setToolTip("Connect to the team library again and read what changed meanwhile")
        self.bar.button.clicked.connect(self.retry)

    def attach(self) -> None:
        """Put the bar above the window's panes."""
        central = self.w.centralWidget()
        if central is None or central.findChild(NoticeBar, self.bar.objectName()) is not None:
            return
        holder = QWidget()
        lay = QVBoxLayout(holder)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.bar)
        self.w.takeCentralWidget()
        lay.addWidget(central, 1)
        self.w.setCentralWidget(holder)

    def where(self) -> str:
        store = self.w.store
        return server_of(str(getattr(store, "location", "") or getattr(store, "path", "")))

    # -- losing and getting back the connection ----------------------------------------------------------

    def lost(self, exc: BaseException) -> None:
        """The server cannot be reached: keep everything, say so, grey out what needs the store."""
        detail = str(exc)
        if self.is_lost:
            return
        self.is_lost = True
        self.w.live.stop()
        self._set_store_actions(False)
        self.bar.show_text(f"<b>The team library at {escape(self.where())} is unreachable.</b> Your briefing "
                           "stays open and is saved as usual; the library, exports and fact edits wait until the "
                           "server is back.")
        self.bar.setToolTip(detail)
        self.w.show_status("The team library is unreachable: your briefing is kept; Retry when the server is back")
        self.lostConnection.emit(detail)

    def retry(self) -> bool:
        """Connect again; on success read the library again and listen again."""
        store = self.w.store
        if store is None:
            return False
        try:
            reconnect = getattr(store, "reconnect", None)
            if reconnect is not None:
                reconnect()
            store.fact_count()  # the server answers
        except KnownError as exc:
            self.bar.show_text(f"<b>The team library at {escape(self.where())} is still unreachable</b> "
                               f"({escape(str(exc))}). Your briefing stays open; try again later.")
            return False
        self.is_lost = False
        self.bar.hide()
        self._set_store_actions(True)
        self.w.store_session.restart_queries()
        try:
            self.w.store_changed()
        except StoreUnreachable as exc:
            self.lost(exc)
            return False
        self.w.live.start()
        self.w.show_status(f"Connected to the team library at {self.where()} again")
        self.reconnected.emit()
        return True

    def _set_store_actions(self, on: bool) -> None:
        a = self.w.action_set
        for action in (a.new_action, a.new_from_template_action, a.open_action, a.export_action,
                       a.save_template_action, a.manage_templates_action, a.add_action, a.add_all_shown_action,
                       a.inspect_action, *a._curation_actions()):
            action.setEnabled(on and (action not in a._curation_actions() or a.curation))
        self.w.library.setEnabled(on)
        self.w.autosave_timer.start()  # the briefing is saved as always, whatever the server does

    def store_for_saving(self) -> Any:
        """What a saved briefing file snapshots its facts from: the store, or while it is away the facts
        the window holds."""
        if self.is_lost and self.w.doc is not None:
            return OfflineFacts(self.w.doc.facts)
        return self.w.store

    def handles(self, exc: Any) -> bool:
        """A lost connection met on the way to an error message: show the bar instead of a message."""
        if isinstance(exc, StoreUnreachable) and self.w.store is not None and hasattr(self.w.store, "location") \
                and str(getattr(self.w.store, "location", "")).startswith("postgres"):
            self.lost(exc)
            return True
        return False
