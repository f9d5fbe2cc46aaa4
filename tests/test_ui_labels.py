"""briefer.ui.labels: the window's escape of text put into rich text is html.escape's, without the html
module on the start path (its import builds 2,231 named entities)."""

from __future__ import annotations

import html

import pytest

from briefer.ui.labels import escape


@pytest.mark.parametrize("text", [
    "", "plain words", "a < b > c", "R&D &amp; more", "\"quoted\" and 'single'", "<b>bold</b>",
    "&#x27; already escaped", "\u6226\u7565\u672c\u90e8 & <AI>", "tab\tand\nnewline", "&&<<>>\"\"''",
])
def test_escape_is_html_escape(text: str) -> None:
    assert escape(text) == html.escape(text)
