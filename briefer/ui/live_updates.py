"""Live updates in the window (issue 15, point 4): a colleague's committed change of a fact, a source
or a template reaches the window as it happens, not by polling.

:class:`LiveUpdates` watches the store's listener (:meth:`FactStore.listener`, a team library
only) with a ``QSocketNotifier``: when its socket becomes readable it drains the announcements and
then refreshes the library (keeping the selection and the scroll), tells an open fact editor that
its fact changed, and marks each fact of the open briefing that changed with the sentence a
reopened briefing file gives (:func:`briefer.domain.briefing_file.change_note`): in the outline
and in a bar above it.  The window's own edits are recognised by the connection that made them and
left alone (the dialog that made them has refreshed the window already).

A lost connection goes to the window's :class:`~briefer.ui.connection_watch.ConnectionWatch`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSocketNotifier, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from briefer.errors import KnownError, StoreUnreachable
from briefer.ui.labels import escape
from briefer.ui.qt_names import set_enum

if TYPE_CHECKING:
    from briefer.store.changes import Change
    from briefer.ui.mainwindow import MainWindow


class NoticeBar(QFrame):
    """A non-modal bar with a message, an optional action button and a close button."""

    STYLES = {
        "warning": "NoticeBar { background: #fef3c7; border: 1px solid #d97706; border-radius: 4px; }",
        "error": "NoticeBar { background: #fee2e2; border: 1px solid #b91c1c; border-radius: 4px; }",
    }

    def __init__(self, name: str, *, kind: str = "warning", action: str = "", closable: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(name)
        self._kind = kind
        self._styled = False
        # made in the bar: a button made without a parent and then set visible would show for a moment
        # as a window of its own, until the layout below took it in
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.button = QPushButton(action, self)
        self.button.setVisible(bool(action))
        self.close_button = QPushButton("Dismiss", self)
        self.close_button.setVisible(closable)
        self.close_button.clicked.connect(self.hide)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.button)
        lay.addWidget(self.close_button)
        self.hide()

    def show_text(self, text: str) -> None:
        if not self._styled:
            # styled when first shown: the window makes its bars before its first paint, which needs
            # neither their style sheets nor Qt's namespace (~30 ms to import)
            self._styled = True
            self.setStyleSheet(self.STYLES[self._kind])
            set_enum(self.label, "textFormat", "RichText")
            self.label.setStyleSheet("color: #1f2937; background: transparent; border: none;")
        self.label.setText(text)
        self.show()

    def text(self) -> str:
        return self.label.text()


def clock(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%H:%M UTC")


class LiveUpdates(QObject):
    """The window's side of a team library's live updates (see the module docstring)."""

    #: every change of others, as it arrives (an open fact editor follows its own record)
    recordChanged = Signal(object)
    #: the changes of one wake-up have been shown (tests and the screenshot wait for it)
    applied = Signal(list)
    #: this window's user got another role (an admin's ``team add-user`` / ``remove-user``): the new Permissions
    roleChanged = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self._listener: Any = None
        self._notifier: QSocketNotifier | None = None
        #: the bar above the outline that lists the open briefing's facts a colleague changed
        self.bar = NoticeBar("Store changes", kind="warning")
        #: (briefing, sentence): what a colleague did to that briefing's template (shown in the bar with
        #: the facts' notes while that briefing is open)
        self._template_note: tuple[object, str] = (None, "")

    @property
    def active(self) -> bool:
        return self._notifier is not None

    @contextlib.contextmanager
    def followed_by(self, dialog: Any) -> Iterator[None]:
        """While ``dialog`` is open, a colleague's change of a record (its ``record_changed``) and an
        admin's change of this user's role (its ``role_changed``: grey out or give back at once) reach it."""
        links = [(signal, getattr(dialog, slot)) for signal, slot in
                 ((self.recordChanged, "record_changed"), (self.roleChanged, "role_changed")) if hasattr(dialog, slot)]
        for signal, slot in links:
            signal.connect(slot)
        try:
            yield
        finally:
            for signal, slot in links:
                signal.disconnect(slot)

    def attach(self) -> None:
        """Put the bar above the composer's tabs (once the panes exist)."""
        lay = self.w.composer.layout()
        if lay is not None and lay.indexOf(self.bar) < 0:
            lay.insertWidget(1, self.bar)  # type: ignore[attr-defined]

    def start(self) -> None:
        """Listen to the store, when it can tell of others' changes (a team library)."""
        self.stop()
        store = self.w.store
        if store is None:
            return
        try:
            listener = store.listener()
        except KnownError as exc:
            self.w.connection.lost(exc)
            return
        if listener is None:
            return
        self._listener = listener
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._readable)

    def stop(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.activated.disconnect(self._readable)
            self._notifier.deleteLater()
            self._notifier = None
        if self._listener is not None:
            with contextlib.suppress(Exception):
                self._listener.close()
            self._listener = None

    def _readable(self, *_args: Any) -> None:
        if self._listener is None:
            return
        try:
            changes = self._listener.drain()
        except StoreUnreachable as exc:
            self.stop()
            self.w.connection.lost(exc)
            return
        roles = [c for c in changes if c.kind == "role"]
        others = [c for c in changes if not c.own and c.kind != "role"]
        if self.w.store is None or self.w.connection.is_lost:
            return
        if roles:
            self.role_changed(roles)
        if others:
            self.apply(others)

    def role_changed(self, changes: list[Change]) -> None:
        """An admin changed a user's role: when it is this window's user, read the permissions again and
        grey out (or give back) what the role may now do, saying so."""
        store = self.w.store
        perms = getattr(self.w, "permissions", None)
        me = getattr(perms, "user", "")
        mine = [c for c in changes if c.id == me]
        if not mine or not hasattr(store, "refresh_permissions"):
            return
        before = getattr(perms, "role", "")
        try:
            now = store.refresh_permissions()
        except StoreUnreachable as exc:
            self.w.connection.lost(exc)
            return
        except KnownError:
            return
        self.w.permissions = now
        self.w.set_enabled(True)  # everything a store allows, then greyed out by the new role
        if now.role != before:
            self.w.show_status(self._role_sentence(me, before, now, mine[-1].user))
        self.roleChanged.emit(now)

    @staticmethod
    def _role_sentence(me: str, before: str, now: Any, admin: str) -> str:
        by = f" by {admin}" if admin else ""
        if now.role == "none":
            return (f"Your account {me} was removed from the team library{by} at {clock()}: you can still read "
                    "and save this briefing, but no longer change the library")
        text = f"Your role in the team library is now {now.role} (was {before}), changed{by} at {clock()}"
        reason = now.why_not("can_edit")
        return text + (f". {reason}" if reason else "")

    # -- showing others' changes ---------------------------------------------------------------------

    def apply(self, changes: list[Change]) -> None:
        """Refresh what the window shows after others' changes, and mark the briefing's changed facts."""
        doc = self.w.doc
        before = dict(doc.facts) if doc is not None else {}
        try:
            self.w.store_changed()
        except StoreUnreachable as exc:
            self.w.connection.lost(exc)
            return
        if doc is not None and doc is self.w.doc:
            self._follow_template(doc, [c for c in changes if c.kind == "template"])
            self._mark(doc, before, changes)
        n = sum(c.count for c in changes)
        who = ", ".join(dict.fromkeys(c.who for c in changes))
        self.w.show_status(f"The team library changed ({n:,} change{'s' if n != 1 else ''} by {who} at {clock()}): "
                           "the library is up to date")
        for change in changes:
            self.recordChanged.emit(change)
        self.applied.emit(changes)

    def _mark(self, doc: Any, before: dict[str, Any], changes: list[Change]) -> None:
        from briefer.domain.briefing_file import change_note, snapshot

        bulk = any(c.kind == "fact" and c.id is None for c in changes)
        touched = {c.id: c for c in changes if c.kind == "fact" and c.id is not None}
        overrides = {item.fact_id: bool(item.override) for sec in doc.briefing.sections for item in sec.items
                     if item.kind == "fact"}
        notes: dict[str, str] = getattr(doc, "store_notes", {})
        for fid in dict.fromkeys(doc.briefing.fact_ids()):
            change = touched.get(fid)
            if (change is None and not bulk) or fid not in before:
                continue
            who = self._who(fid, change)
            if fid not in doc.facts:
                notes[fid] = f"fact {fid} was deleted from the store by {who}"
                continue
            note = change_note(doc.facts[fid], snapshot(before[fid]), override=overrides.get(fid, False),
                               since=f"by {who}", then_when=f"before {who} changed it")
            if note is not None:
                notes[fid] = note
        doc.store_notes = notes
        if notes:
            doc.model.refresh_all()
            self.w.composer.tree.expandAll()
            self.show_notes(notes)

    def _follow_template(self, doc: Any, changes: list[Change]) -> None:
        """The open briefing's template changed (found by its stable id, so a rename is the same
        template): link it again (its current name, its budget) and say what happened in the bar."""
        if not changes or not (doc.template_id or doc.template):
            return
        if doc.template_id:
            mine = [c for c in changes if c.id == doc.template_id]
        else:  # a briefing file from before template ids: its template by name
            mine = [c for c in changes if doc.template in (c.name, c.was)]
        if not mine:
            return
        before = doc.template or mine[-1].was or mine[-1].name
        self.w.files.link_template(doc, doc.template_id, doc.template)
        self.w.composer._update_length()
        self.w.show_doc_title()
        who = f"{mine[-1].who} at {clock()}"
        if doc.template_missing:
            note = f"the template “{before}” this briefing follows was deleted by {who}"
        elif doc.template != before:
            note = f"the template “{before}” this briefing follows was renamed “{doc.template}” by {who}"
        else:
            note = f"the template “{doc.template}” this briefing follows was changed by {who}"
        self._template_note = (doc, note)
        self.show_notes(getattr(doc, "store_notes", {}))

    def _who(self, fact_id: str, change: Change | None) -> str:
        """"demo_editor (Alice) at 14:02 UTC", from the fact's last change when the store says it."""
        from briefer.domain import versions

        with contextlib.suppress(KnownError, AttributeError):
            info = self.w.store.fact_version(fact_id)
            if info.changed_by or info.analyst:
                at = versions.when(info)
                return versions.who(info) + (f" at {at}" if at else "")
        return (change.who if change is not None else "a colleague") + f" at {clock()}"

    def show_since_saved(self, doc: Any) -> None:
        """A briefing file just opened (or recovered) against a store that changed since it was saved: its
        changed facts are marked in the outline (``doc.store_notes``) and listed in the bar with what was
        left out (``doc.warnings``), as a colleague's live change is."""
        if doc.store_notes:
            doc.model.refresh_all()
            self.w.composer.tree.expandAll()
        if doc.store_notes or doc.warnings:
            # only left-out parts (a section the store has not, say): the file may be what is wrong, not the store
            self.show_notes(doc.store_notes, heading="The store changed since this briefing was saved:"
                            if doc.store_notes else "Left out when this briefing was opened:")

    def show_notes(self, notes: dict[str, str],
                   heading: str = "The team library changed while this briefing was open:") -> None:
        on, note = self._template_note
        doc = self.w.doc
        shown = [*getattr(doc, "warnings", []), *notes.values(), *([note] if note and on is doc else [])]
        items = "".join(f"<li>{escape(n)}</li>" for n in shown)
        self.bar.show_text(f"<b>{escape(heading)}</b><ul style='margin: 2px 0 0 -20px'>{items}</ul>")
