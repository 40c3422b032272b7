"""Metamorphic tests: every development gold document (tests/gold/dev), changed mechanically in a way that changes
nothing it says, must give the same record. A variant that changes the record is a failing test, named by document
and variant.

The variants, each a transformation of the document's text only (never of its markup, nor of an NFRA envelope's
other fields):

- ``fragments``: the markup stripped, each text fragment on a line of its own (a one-party table's cells too: the
  labelled lines reader must find the fields again; a header-row table is left out, its cells one per line no longer
  saying which column each was in, and so is a whole site page whose menus, one item per line, bury the document);
- ``no_spaces``: every space within a line removed (「当 事 人」 → 「当事人」, and the spaces Word puts everywhere);
- ``traditional``: the text in traditional characters (OpenCC ``s2t``), as reposts carry it;
- ``fullwidth``: ASCII digits as full-width digits (「５０万元」, 「〔２０１８〕３５号」);
- ``label_alone``: a party's label on its line and the name on the next (full-text decisions);
- ``pdf``: labels' characters doubled and lines broken every 16 characters, as PDF text layers give them;
- ``synonym``: 当事人 written 受处罚人 (its synonym in nlp/data/labels.yaml);
- ``rows``: a one-party table's 违法事实, 依据, 决定, 机关 and 日期 rows in the reverse order.

The record compared is what a researcher reads: type, number, authority, date, parties (name, kind, fine, sanction
types), citations, categories; for news, the mentions.
"""

from __future__ import annotations

import html as html_module
import json
import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from lxml import html as lxml_html

from pipeline.evaluate import document_of
from pipeline.files import analyse_path
from tests.conftest import TESTS

DEV = TESTS / "gold" / "dev"
TEXT_SUFFIXES = (".json", ".html", ".htm", ".shtml", ".txt")


def _dev_documents() -> list[Path]:
    found = []
    for path in sorted(DEV.glob("*.yaml")):
        for annotation in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            document = document_of(DEV, annotation)
            if document.suffix in TEXT_SUFFIXES and document not in found:
                found.append(document)
    return found


DOCUMENTS = _dev_documents()


def record(path: Path) -> list[tuple]:
    out = []
    for analysis in analyse_path(path):
        decision = analysis.decision
        if decision is None:
            out.append((analysis.doc_type, sorted((m.target, m.sanction, m.amount_yuan) for m in analysis.mentions)))
            continue
        out.append((analysis.doc_type, decision.decision_no, decision.authority.canonical if decision.authority
                    else None, decision.decision_date,
                    sorted((p.name, p.kind, p.fine_yuan, tuple(sorted(s.type for s in p.sanctions)))
                           for p in decision.parties),
                    sorted((c.law, c.article) for c in decision.citations), sorted(decision.categories)))
    return out


# -- the transformations of a text ------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def no_spaces(text: str) -> str:
    return re.sub(r"[ \t\u3000\u00a0]+", "", text)


def traditional(text: str) -> str:
    return _s2t().convert(text)


def fullwidth(text: str) -> str:
    return text.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})


_PARTY_LINE = re.compile(r"^(\s*当\s*事\s*人\s*[:：])\s*(\S.*)$", re.M)


def label_alone(text: str) -> str:
    return _PARTY_LINE.sub(lambda m: f"{m[1]}\n{m[2]}", text)


def synonym(text: str) -> str:
    return _PARTY_LINE.sub(lambda m: f"受处罚人：{m[2]}", text)


_LABEL = re.compile(r"^(?P<label>[\u4e00-\u9fff]{2,8})(?P<rest>[:：].*)$")


def pdf(text: str) -> str:
    out = []
    for line in text.splitlines():
        match = _LABEL.match(line.strip())
        line = "".join(ch * 2 for ch in match["label"]) + match["rest"] if match else line.strip()
        out.extend(line[i:i + 16] for i in range(0, len(line), 16)) if len(line) > 16 else out.append(line)
    return "\n".join(out)


TEXT_VARIANTS = {"no_spaces": no_spaces, "traditional": traditional, "fullwidth": fullwidth,
                 "label_alone": label_alone, "pdf": pdf, "synonym": synonym}


# -- applying a transformation to a document ----------------------------------------------------------------------

def _on_html_text(markup: str, change) -> str:
    """``change`` applied to the text between tags, the markup untouched."""
    return re.sub(r">([^<]+)<", lambda m: ">" + html_module.escape(change(html_module.unescape(m[1])), quote=False)
                  + "<", markup)


# where a site's page keeps its document: the fragments replace what is inside, the page around it stays (the source's
# reader still recognises its page)
_CONTENT = '//div[contains(@class, "detail-news")]|//*[@id="easysiteText"]'


def _fragments(markup: str) -> str | None:
    root = lxml_html.fromstring(markup or "<p></p>")
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    if any(len(table.xpath(".//tr[1]/td|.//tr[1]/th")) >= 4 for table in root.xpath("//table")):
        return None   # a header-row table: its cells one per line no longer say which column each was in
    containers = root.xpath(_CONTENT)
    if not containers and len(root.xpath("//a")) > 20:
        return None   # a whole site page (menus, footer): flattened, its furniture buries where the document starts
    if containers:
        for container in containers:
            texts = [t.strip() for t in container.itertext() if t.strip()]
            for child in list(container):
                container.remove(child)
            container.text = None
            for text in texts:
                paragraph = lxml_html.Element("p")
                paragraph.text = text
                container.append(paragraph)
        return lxml_html.tostring(root, encoding="unicode")
    for bad in root.xpath("//head"):
        bad.drop_tree()
    texts = [t.strip() for t in root.itertext() if t.strip()]
    return "<html><body>" + "".join(f"<p>{html_module.escape(t, quote=False)}</p>" for t in texts) + "</body></html>"


def _rows_reversed(markup: str) -> str | None:
    root = lxml_html.fromstring(markup)
    wanted = ("违法违规事实", "处罚依据", "处罚决定", "机关名称", "决定的日期")
    rows = [tr for tr in root.xpath("//tr") if len(tr.xpath("./td")) == 2 and not tr.xpath("./td[@rowspan]")
            and any(w in "".join(tr.xpath("./td[1]")[0].itertext()) for w in wanted)]
    if len(rows) < 4 or len({tr.getparent() for tr in rows}) != 1:
        return None
    parent = rows[0].getparent()
    anchor = rows[0].getprevious()
    for tr in rows:
        parent.remove(tr)
    position = list(parent).index(anchor) + 1 if anchor is not None else 0
    for offset, tr in enumerate(reversed(rows)):
        parent.insert(position + offset, tr)
    return lxml_html.tostring(root, encoding="unicode")


def variant(path: Path, name: str) -> bytes | None:
    """The document's bytes under the variant, or None where it does not apply."""
    raw = path.read_bytes()
    text = raw.decode("utf-8") if path.suffix != ".json" or raw[:1] in b"{[ \n" else None
    if text is None:
        return None
    if path.suffix == ".json":
        data = json.loads(text)
        inner = data.get("data") if isinstance(data.get("data"), dict) else data
        key = "docClob" if "docClob" in inner else "text" if "text" in inner else None
        if key is None or not isinstance(inner[key], str):
            return None
        changed = _changed(inner[key], name, markup=key == "docClob" or inner[key].lstrip().startswith("<"))
        if changed is None:
            return None
        inner[key] = changed
        return json.dumps(data, ensure_ascii=False).encode("utf-8")
    changed = _changed(text, name, markup=path.suffix != ".txt")
    return None if changed is None else changed.encode("utf-8")


def _changed(text: str, name: str, *, markup: bool) -> str | None:
    if name == "fragments":
        return _fragments(text) if markup else None
    if name == "rows":
        return _rows_reversed(text) if markup and "<tr" in text else None
    change = TEXT_VARIANTS[name]
    if name in ("label_alone", "pdf", "synonym"):
        # the line-shaped variants: full-text decisions given as text, and only where a party's label stands
        if markup or not _PARTY_LINE.search(text):
            return None
    return _on_html_text(text, change) if markup else change(text)


VARIANTS = ["fragments", "no_spaces", "traditional", "fullwidth", "label_alone", "pdf", "synonym", "rows"]
# every (document, variant) where the variant applies (a table has no party line to move, a text no markup to strip)
CASES = [(document, name) for document in DOCUMENTS for name in VARIANTS if variant(document, name) is not None]


def test_the_variants_cover_the_development_set():
    applied = {name: sum(1 for _, n in CASES if n == name) for name in VARIANTS}
    assert len(DOCUMENTS) >= 100 and all(count >= 3 for count in applied.values()), applied


@pytest.mark.parametrize("document, name", CASES, ids=[f"{d.name}-{n}" for d, n in CASES])
def test_a_variant_gives_the_same_record(document, name, tmp_path):
    copy = tmp_path / document.name
    copy.write_bytes(variant(document, name))
    assert record(copy) == record(document)
