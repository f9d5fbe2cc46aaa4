"""The service layer: one function for each thing a user does, called by both shells.

The CLI commands (``briefer/commands``) and the window's slots (``briefer/ui``) call these
functions and only translate arguments and results (flags and lines of text; widgets and
dialogs).  A rule lives here once: the search filters and the glossary fallback
(:mod:`briefer.app.search`), exporting with its quality flags and edition
(:mod:`briefer.app.export`), what depends on a fact before it is deleted
(:mod:`briefer.app.curation`), and importing documents (:mod:`briefer.app.importing`).
Nothing here imports Qt.
"""
