"""Briefer's desktop window (PySide6 Widgets).  The only package that imports Qt.

Start-up stays fast: python-docx, the export engine and the pydantic models
are imported in workers' preparation and in slots, not on the way to the first
painted window.
"""
