"""Shared by the export tests: a small fixed store, and helpers to read a .docx back."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

from lxml import etree

from briefer.domain.briefing import Briefing, BriefingSection, Cover, FactItem, Options, ParagraphItem
from briefer.domain.models import Citation, Fact, GlossaryEntry, Section, Source
from briefer.ingest.factpack import open_store
from briefer.store.db import Store

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
TODAY = date(2025, 10, 1)

LONG_QUOTE = (
    "The Headquarters will be chaired by the Prime Minister and will comprise all cabinet ministers, and it "
    "will draft the basic AI plan that sets out the measures the government will take to promote research, "
    "development and utilization of AI-related technologies across society"
)

SOURCES = [
    Source(id="wp", title="Japan\u2019s AI Governance Strategy", label="White paper", author="Tagui Ichikawa",
           published=date(2025, 6, 17), kind="white paper", reliability="B",
           text="In February 2025, a bill known as the AI Act was approved by the Ishiba Cabinet. " + LONG_QUOTE),
    Source(id="news", title=None, label="News report on the Headquarters", outlet="Example Shimbun",
           kind="news report", reliability="C",
           text="Prime Minister Shigeru Ishiba will chair the AI Strategy Headquarters. Minister Kiuchi will head it."),
]
SECTIONS = [
    Section(id="law-summary", title="The AI Promotion Act (2025)", order=20,
            description="What the Act provides."),
    Section(id="hq-structure", title="The AI Strategy Headquarters (AI戦略本部)", order=30,
            description="Who leads the Headquarters."),
    Section(id="risks", title="Risks and gaps", order=40, description="What the Act leaves open."),
]
FACTS = [
    Fact(id="cabinet-approval", section="law-summary", as_of=date(2025, 2, 1), priority=4,
         statement="The bill was approved by the Ishiba Cabinet (石破内閣) in February 2025.",
         headline="The Ishiba Cabinet approved the bill in February 2025.",
         citations=[Citation(source="wp", quote="In February 2025, a bill known as the AI Act was approved by the "
                                                "Ishiba Cabinet.", location="para. 3")]),
    Fact(id="hq-chair", section="hq-structure", as_of=date(2025, 9, 1), priority=5,
         statement="The Prime Minister chairs the AI Strategy Headquarters, which drafts the basic AI plan.",
         headline="The Prime Minister chairs the Headquarters.",
         citations=[Citation(source="wp", quote=LONG_QUOTE, location="para. 9"),
                    Citation(source="news", quote="Prime Minister Shigeru Ishiba will chair the AI Strategy "
                                                  "Headquarters.")]),
    Fact(id="hq-head-disputed", section="hq-structure", as_of=date(2025, 9, 13), priority=3, status="disputed",
         statement="Reports differ on who heads the Headquarters.",
         citations=[Citation(source="news", quote="Prime Minister Shigeru Ishiba will chair the AI Strategy "
                                                  "Headquarters.", claim="The Prime Minister heads it."),
                    Citation(source="news", quote="Minister Kiuchi will head it.",
                             claim="Minister Kiuchi will head it.")]),
    Fact(id="old-plan-date", section="hq-structure", as_of=date(2025, 6, 1), priority=2, status="superseded",
         superseded_by="hq-chair", statement="An old statement that a newer fact replaces.",
         citations=[Citation(source="wp", quote="In February 2025, a bill")]),
    Fact(id="no-penalties", section="risks", as_of=date(2025, 5, 28), priority=4,
         statement="The Act carries no penalties for non-compliance.",
         headline="The Act has no penalties.",
         citations=[Citation(source="news", quote="Minister Kiuchi will head it.")]),
]
GLOSSARY = [
    GlossaryEntry(id="shigeru-ishiba", kind="person", name="Shigeru Ishiba", aliases=["Prime Minister Ishiba"],
                  japanese="石破茂", japanese_from="analyst"),
    GlossaryEntry(id="ai-hq", kind="body", name="AI Strategy Headquarters", aliases=["AI HQ"],
                  japanese="AI戦略本部", japanese_from="analyst"),
]


def small_store(data_dir: Path) -> Store:
    store = open_store(data_dir, seed=False)
    store.load_pack(SECTIONS, SOURCES, FACTS, GLOSSARY)
    return store


def small_briefing() -> Briefing:
    """The fixed briefing of the golden files: every kind of block."""
    return Briefing(
        cover=Cover(title="Japan\u2019s AI Governance", subtitle="The Act, the Headquarters and the risks",
                    prepared_for="The Minister", prepared_by="Policy Unit", date_of_issue=date(2025, 10, 1),
                    marking="INTERNAL \u2014 NOT FOR DISTRIBUTION"),
        options=Options(glossary=True, summary_points=2),
        sections=[
            BriefingSection(section="law-summary", intro="What the Act provides.", items=[
                FactItem(fact_id="cabinet-approval"),
                ParagraphItem(text="The analyst notes that the Act is a basic law."),
            ]),
            BriefingSection(section="hq-structure", heading="Who runs the Headquarters", items=[
                FactItem(fact_id="hq-chair", override="The Prime Minister (石破茂) chairs the Headquarters."),
                FactItem(fact_id="hq-head-disputed"),
                FactItem(fact_id="old-plan-date"),
            ]),
            BriefingSection(section="risks", layout="paragraphs", items=[FactItem(fact_id="no-penalties")]),
        ],
    )


# -- reading a .docx back ------------------------------------------------------


def part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name)


def xml(path: Path, name: str) -> etree._Element:
    return etree.fromstring(part(path, name))


def normalised(data: bytes) -> str:
    """Pretty-printed XML with timestamps removed, for golden comparison."""
    root = etree.fromstring(data)
    text = etree.tostring(root, pretty_print=True, encoding="unicode")
    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "TIMESTAMP", text)


def footnote_texts(path: Path) -> dict[int, str]:
    root = xml(path, "word/footnotes.xml")
    out = {}
    for fn in root.findall("w:footnote", NS):
        fid = int(fn.get(f"{{{W}}}id"))
        if fid > 0:
            out[fid] = " ".join("".join(p.itertext()).strip() for p in fn.findall("w:p", NS))
    return out


def used_styles(path: Path) -> set[str]:
    used: set[str] = set()
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("word/") and name.endswith(".xml") and name != "word/styles.xml":
                root = etree.fromstring(zf.read(name))
                for tag in ("pStyle", "rStyle", "tblStyle"):
                    used |= {el.get(f"{{{W}}}val") for el in root.iter(f"{{{W}}}{tag}")}
    return used


def style_ids(path: Path) -> dict[str, str]:
    root = xml(path, "word/styles.xml")
    return {s.get(f"{{{W}}}styleId"): s.find("w:name", NS).get(f"{{{W}}}val") for s in root.findall("w:style", NS)}
