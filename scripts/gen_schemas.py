"""Write the JSON Schemas of Briefer's data files into resources/schemas/.

Run by ``make schemas``; tests/test_templates_schema.py checks the files in
the repository match what this script generates.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefer.domain.briefing_file import BriefingFile  # noqa: E402
from briefer.domain.templates import Template  # noqa: E402

SCHEMAS = {
    "template.schema.json": (Template, "Briefer briefing template",
                             "A reusable briefing template (*.template.json, or a file in the templates folder)."),
    "briefing.schema.json": (BriefingFile, "Briefer briefing file",
                             "One concrete briefing (*.briefing.json): its template, facts by id in order, "
                             "per-briefing edits and metadata."),
}


def attribute_docstrings(module: object) -> None:
    """Give the fields of ``module``'s template models the docstrings under them as their descriptions, as
    pydantic's ``use_attribute_docstrings`` does (the models leave it off: it parses their source file at every
    start of Briefer, for descriptions only a schema shows)."""
    from pydantic import BaseModel
    from pydantic._internal._docs_extraction import extract_docstrings_from_cls

    base = module._Model  # type: ignore[attr-defined]
    for cls in list(vars(module).values()):
        if isinstance(cls, type) and issubclass(cls, base) and cls is not base and cls.__module__ == module.__name__:
            docs = extract_docstrings_from_cls(cls, use_inspect=True)
            fields = cls.__pydantic_fields__  # type: ignore[attr-defined]
            for name, info in fields.items():
                if info.description is None and name in docs:
                    info.description = docs[name]
            assert issubclass(cls, BaseModel)
            cls.model_rebuild(force=True)


def schema_text(model: type, title: str, description: str) -> str:
    schema = model.model_json_schema(mode="validation")  # type: ignore[attr-defined]
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "title": title,
              "description": description}
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def generate() -> dict[str, str]:
    import briefer.domain.template_model

    attribute_docstrings(briefer.domain.template_model)
    return {name: schema_text(*spec) for name, spec in SCHEMAS.items()}


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "resources" / "schemas"
    out.mkdir(parents=True, exist_ok=True)
    for name, text in generate().items():
        path = out / name
        tmp = path.with_name(f".{name}.part")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
