"""The drag formats of the window: facts dragged from the library, items and sections moved in the
outline.  Their own module, so the library's list (which offers facts) does not import the outline's
model to name one."""

#: facts dragged from the library: JSON list of fact ids
FACTS_MIME = "application/x-briefer-fact-ids"
#: items or sections dragged inside the outline: JSON {"sections": [...]} or {"items": [[s, r], ...]}
OUTLINE_MIME = "application/x-briefer-outline"
