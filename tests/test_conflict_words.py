"""The conflict finder's English word lists live in resources/vocabularies.json: an edit there changes
what the finder sees, and a broken file says so in one sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefer import resources
from briefer.domain.conflicts.words import finder_words, load_finder_words
from briefer.errors import ValidationFailed


def _raw() -> dict:
    return json.loads(resources.resource("vocabularies.json").read_text(encoding="utf-8"))


def test_the_rules_read_the_shipped_lists():
    from briefer.domain.conflicts import dates, names, numbers

    w = finder_words()
    assert finder_words() is w  # read once
    assert "minister" in w.role_words and "Summit" in w.event_nouns and w.number_words["four"] == 4
    # the patterns are built from them: a title is stripped, an event noun ends an event's name
    assert names._TITLES.sub("", "Prime Minister Shigeru Ishiba") == "Shigeru Ishiba"
    assert dates._EVENT.search("the 2025 Paris AI Action Summit in February").group("name") == "Paris AI Action Summit"
    assert numbers._COUNT.search("the plan's four key pillars").group("noun") == "pillars"


def test_an_edited_list_is_what_the_finder_reads(tmp_path: Path):
    raw = _raw()
    raw["conflicts"]["finder"]["event_nouns"].append("Symposium")
    raw["conflicts"]["finder"]["number_words"]["thirteen"] = 13
    path = tmp_path / "vocabularies.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    w = load_finder_words(path)
    assert "Symposium" in w.event_nouns and w.number_words["thirteen"] == 13
    assert "Symposium" not in finder_words().event_nouns


@pytest.mark.parametrize("damage", ["drop-key", "not-json"])
def test_a_broken_word_list_file_names_itself(tmp_path: Path, damage: str):
    path = tmp_path / "vocabularies.json"
    if damage == "drop-key":
        raw = _raw()
        del raw["conflicts"]["finder"]["titles"]
        path.write_text(json.dumps(raw), encoding="utf-8")
    else:
        path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValidationFailed) as err:
        load_finder_words(path)
    assert str(path) in str(err.value) and "word lists" in str(err.value)
