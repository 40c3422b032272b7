"""The layers import one way: crawler and nlp know nothing else of regkb's, the sources build on them, the pipeline on
the sources, the database on the pipeline, the command and the web on everything. Read from the code itself (every
import statement of every module, at any depth), so a new import that crosses a layer backwards fails here, naming
the file and the line.

    nlp/formats/  ──▶  nlp/layouts/  ◀── nlp/fields/        (nlp: knowing no source, no crawler)
    crawler/                                               (fetching: knowing no source, no extraction)
    sources/<name>/  ──▶ crawler, nlp
    pipeline/        ──▶ sources, crawler, nlp
    db/              ──▶ pipeline, nlp, crawler
    regkb/, datasette/plugins/  ──▶ anything
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

# package → the packages of regkb's own it may import (besides itself)
ALLOWED = {
    "nlp": set(),
    "crawler": set(),
    "sources": {"crawler", "nlp"},
    "pipeline": {"sources", "crawler", "nlp"},
    "db": {"pipeline", "crawler", "nlp"},
    "regkb": {"db", "pipeline", "sources", "crawler", "nlp"},
    "datasette": {"db", "regkb", "nlp"},   # datasette/plugins/, loaded by path (``datasette`` itself is Datasette's)
}
# Inside nlp: what each part may import (formats read bytes, fields read words, layouts read both).
_NLP_BASE_NAMES = {"nlp.records", "nlp.review", "nlp.text", "nlp.clean", "nlp.data", "nlp.patterns", "nlp.labels",
                   "nlp.privacy"}
NLP_PARTS = {
    "nlp.formats": _NLP_BASE_NAMES | {"nlp.formats"},
    "nlp.fields": _NLP_BASE_NAMES | {"nlp.fields"},
    "nlp.layouts": _NLP_BASE_NAMES | {"nlp.fields", "nlp.formats.grid", "nlp.layouts"},
}
# The modules nlp/'s base layers import: they stand below formats, fields and layouts.
NLP_BASE = {"nlp.records": {"nlp.review"}, "nlp.review": set(), "nlp.text": set(), "nlp.data": set(),
            "nlp.privacy": set(), "nlp.clean": {"nlp.text", "nlp.data", "nlp.privacy", "nlp.labels"}, "nlp.patterns": {"nlp.data"},
            "nlp.labels": {"nlp.data", "nlp.text"}}
OWN = set(ALLOWED) - {"datasette"}


def modules() -> list[tuple[str, Path]]:
    found = []
    for package in ("nlp", "crawler", "sources", "pipeline", "db", "regkb"):
        for path in sorted((REPO / package).rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            found.append((".".join(parts).removesuffix(".__init__"), path))
    for path in sorted((REPO / "datasette" / "plugins").glob("*.py")):
        found.append((f"datasette.plugins.{path.stem}", path))
    return found


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of one of regkb's own packages in the file, at any depth."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                raise AssertionError(f"{path}:{node.lineno}: a relative import; regkb's imports name their module")
            out.append((node.lineno, node.module or ""))
    return [(line, name) for line, name in out if name.split(".")[0] in OWN]


def test_every_module_is_checked():
    names = {name for name, _ in modules()}
    assert {"nlp.records", "crawler.archive", "sources.nfra.spider", "pipeline.extract", "db.build",
            "regkb.cli", "datasette.plugins.regkb_search"} <= names and len(names) > 60


@pytest.mark.parametrize("name, path", modules(), ids=[name for name, _ in modules()])
def test_layers_import_one_way(name, path):
    layer = name.split(".")[0]
    wrong = [f"{path.relative_to(REPO)}:{line} imports {module}" for line, module in imports(path)
             if module.split(".")[0] not in ALLOWED[layer] | {layer}]
    assert not wrong, "an import against the layers: " + "; ".join(wrong)


@pytest.mark.parametrize("name, path", [(n, p) for n, p in modules() if n.startswith("nlp.")],
                         ids=[n for n, _ in modules() if n.startswith("nlp.")])
def test_inside_nlp_formats_and_fields_stand_below_layouts(name, path):
    part = next((part for part in (*NLP_PARTS, *NLP_BASE) if name == part or name.startswith(part + ".")), None)
    if part is None:
        return   # the composing modules (document, fill, entities, schema, output) may import any of nlp
    allowed = NLP_PARTS.get(part, NLP_BASE.get(part, set()) | {part})
    wrong = [f"{path.relative_to(REPO)}:{line} imports {module}" for line, module in imports(path)
             if not any(module == a or module.startswith(a + ".") for a in allowed)]
    assert not wrong, "; ".join(wrong)


def test_the_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from sources.pboc.document import read\n", encoding="utf-8")
    assert imports(bad) == [(2, "sources.pboc.document")]
    assert "sources" not in ALLOWED["nlp"] | {"nlp"}
