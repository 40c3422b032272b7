"""The parts of the README that are written from the code's own declarations, so that they cannot drift from it:
the keys `regkb parse` prints (nlp/schema.py) and the database's tables (db/shape.py).

Each part sits between two markers in README.md, ``<!-- generated: NAME -->`` and ``<!-- end: NAME -->``;
``python -m regkb.docs`` rewrites them in place, and tests/e2e/test_docs.py fails when the README is not what this
would write.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from db.shape import TABLES as DATABASE
from nlp.schema import TABLES as PARTS

README = Path(__file__).resolve().parent.parent / "README.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def parse_keys() -> str:
    """The keys of one decision's JSON object, in order, each with its label and meaning."""
    lines = ["| key | what it holds |", "|---|---|",
             "| `doc_type` | `penalty`, `notice`, `news` or `other` |"]
    for name, table in PARTS.items():
        if not table.json:
            continue
        fields = [f for f in table.fields if f.json]
        if table.nested_in is None:
            lines += [f"| `{f.name}` | {_cell(f.help)} |" for f in fields]
            continue
        keys = ", ".join(f"`{f.name}`" for f in fields)
        children = [child.name for child in PARTS.values() if child.nested_in == name]
        nested = "".join(f", `{child}` [{{…}}]" for child in children)
        lines.append(f"| `{name}` | {_cell(table.description)} Each: {keys}{nested} |")
    return "\n".join(lines)


def database_tables() -> str:
    """Every table of the database: what one row is, and its key."""
    lines = ["| table | one row per | key |", "|---|---|---|"]
    for name, spec in DATABASE.items():
        key = spec.get("key") or " + ".join(f"`{column}`" for column in (
            spec["pk"] if isinstance(spec["pk"], tuple) else (spec["pk"],)))
        lines.append(f"| `{name}` | {_cell(spec['row'])} | {key} |")
    return "\n".join(lines)


SECTIONS = {"parse-keys": parse_keys, "database-tables": database_tables}


def render(text: str) -> str:
    """``text`` with every generated part written anew."""
    for name, write in SECTIONS.items():
        pattern = re.compile(rf"(<!-- generated: {name} -->\n)(?:.*?\n)?(<!-- end: {name} -->)", re.S)
        if not pattern.search(text):
            raise ValueError(f"README.md has no '<!-- generated: {name} -->' … '<!-- end: {name} -->' markers")
        text = pattern.sub(lambda m: m[1] + write() + "\n" + m[2], text)
    return text


def main() -> int:
    text = README.read_text(encoding="utf-8")
    written = render(text)
    if written != text:
        README.write_text(written, encoding="utf-8")
        print(f"rewrote the generated parts of {README}")
    else:
        print(f"{README} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
