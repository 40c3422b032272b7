"""Assemble the bundled demo corpora of the regulatory-text sources from real material (each demo/README.md says what
is real and what assembled, from which files).

    .venv/bin/python tools/assemble_texts_demo.py [--shared PATH]

- sources/nfra_texts/demo/: the four laws of shared/corpus/laws/ and the notice shared/corpus/nfra/NFRA-1253094.json,
  each text placed in the real detail envelope of shared/corpus/nfra/api/SelectByDocId_detail_1.json (its docClob's
  real Word shell around the text's lines), and the paraphrased campaign notice of demo/paraphrased/;
- sources/csrc_texts/demo/: the 证监会令 and 证监会公告 of shared/corpus/csrc/sample_*.json in the CSRC page layout the
  penalty demo uses (tools/assemble_csrc_demo.py), and the five real 规章 pages with the real 规章库 list page, cut
  to the rows whose pages were recorded.

Standard library only; the same inputs give the same bytes.
"""

from __future__ import annotations

import copy
import html
import json
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

from assemble_csrc_demo import list_result, page_body, page_head
from assemble_nfra_demo import WordShell
from assembly import REPO_ROOT, AssemblyError, command

NFRA_OUT = REPO_ROOT / "sources" / "nfra_texts" / "demo"
CSRC_OUT = REPO_ROOT / "sources" / "csrc_texts" / "demo"

ENVELOPE_FILE = "nfra/api/SelectByDocId_detail_1.json"
# (file, the list it was crawled from: the third party's category law → 927, notice → 925)
NFRA_TEXTS = [("laws/NFRA-879932.json", 927), ("laws/NFRA-879931.json", 927), ("laws/NFRA-879929.json", 927),
              ("laws/NFRA-1199538.json", 927), ("nfra/NFRA-1253094.json", 925)]
ITEM_NAMES = {927: "法律", 928: "规章及规范性文件", 925: "公告通知"}

# searchList channels (sources/csrc_texts/source.yaml) and the column names their pages carry
ORDER_CHANNEL, ANNOUNCEMENT_CHANNEL = "cd11df89f5894c1eac37ae37cc11e369", "625a2f95cc104c1d8b646f98d9f87470"
CSRC_SAMPLES = [("csrc/sample_13_order_7616837.json", ORDER_CHANNEL, "证监会令"),
                ("csrc/sample_09_announcement_7628225.json", ANNOUNCEMENT_CHANNEL, "证监会公告")]
RULE_PAGES = [f"csrc/detail_regulation_{n}.html" for n in range(1, 6)]
RULE_LIST = "csrc/list_regulations.html"
RULE_LIST_PATH = "/csrc/c106256/fg.shtml"


# --------------------------------------------------------------------------- NFRA


def nfra_paragraphs(shell: WordShell, text_lines: list[str]) -> str:
    """The text's lines as the third party kept them (one per tag of the page), each a Word paragraph."""
    paragraphs = [f'<p class="MsoNormal"><span style="font-size:16.0pt;font-family:仿宋_GB2312">'
                  f'{html.escape(line, quote=False)}</span></p>' for line in text_lines if line.strip()]
    return shell.section_open + "".join(paragraphs) + "</div>"


def nfra_document(envelope: dict, shell: WordShell, *, doc_id: int, item: int, title: str, date: str,
                  index_no: str | None, doc_source: str | None, text_lines: list[str]) -> dict:
    """The real detail envelope with this text's values; the keys the site fills per document and that are not
    known for this one (its department's id, the builder's dates) emptied."""
    body = copy.deepcopy(envelope)
    data = body["data"]
    data.update(docId=doc_id, docTitle=title, docSubtitle=title, publishDate=f"{date} 00:00:00", indexNo=index_no,
                documentNo=None, docSource=doc_source, agencyType=None, agencyTypeName=doc_source,
                docEditdate=None, builddate=None, interviewTypeName=None,
                docClob=shell.document(nfra_paragraphs(shell, text_lines)),
                listTwoItem=[{"ItemName": ITEM_NAMES[item], "ItemID": item, "shortLink": None, "ItemLvs": []}],
                attachmentInfoVOList=[])
    return body


def read_paraphrase(path: Path) -> dict:
    header, paragraphs = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            key, _, value = line[2:].partition(": ")
            header[key] = value
        elif line.strip():
            paragraphs.append(line)
    return {**header, "paragraphs": paragraphs}


def assemble_nfra(shared: Path) -> dict[str, int]:
    envelope = json.loads((shared / ENVELOPE_FILE).read_bytes())
    shell = WordShell(envelope["data"]["docClob"])
    documents, lists = NFRA_OUT / "documents", NFRA_OUT / "lists"
    for folder in (documents, lists):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    rows: dict[int, list[dict]] = {}

    def add(doc_id: int, item: int, title: str, date: str, **values) -> None:
        body = nfra_document(envelope, shell, doc_id=doc_id, item=item, title=title, date=date, **values)
        (documents / f"{doc_id}.json").write_text(json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                                                  encoding="utf-8")
        rows.setdefault(item, []).append({"docId": doc_id, "docTitle": title, "docSubtitle": title,
                                          "publishDate": f"{date} 00:00:00.0"})

    for name, item in NFRA_TEXTS:
        record = json.loads((shared / name).read_text(encoding="utf-8"))
        doc_id = int(record["_id"].removeprefix("NFRA-"))
        if f"docId={doc_id}&" not in record["url"]:
            raise AssemblyError(f"{name}: its url does not carry docId {doc_id}")
        # the third party's document_no is the envelope's documentNo or else its indexNo: 717804719/2019-22305 is the
        # index number's form (the recorded envelope's indexNo is 717804719/2026-309), so it is placed there
        number = record.get("document_no") or None
        if number and not re.fullmatch(r"\d{9}/\d{4}-\d+", number):
            raise AssemblyError(f"{name}: document_no {number!r} is not an index number")
        add(doc_id, item, record["title"], record["date"], index_no=number, doc_source=record.get("source_dept"),
            text_lines=record["text"].split("\n"))
    for path in sorted((NFRA_OUT / "paraphrased").glob("*.txt")):
        notice = read_paraphrase(path)
        add(int(path.stem), int(notice["item"]), notice["title"], notice["date"], index_no=None, doc_source=None,
            text_lines=notice["paragraphs"])
    for item in ITEM_NAMES:   # a list of which no text was recorded answers empty (the crawl asks for every list)
        rows.setdefault(item, [])
    for item, item_rows in rows.items():
        item_rows.sort(key=lambda row: (row["publishDate"], row["docId"]), reverse=True)   # newest first
        (lists / f"{item}.json").write_text(json.dumps(item_rows, ensure_ascii=False, indent=1) + "\n",
                                            encoding="utf-8")
    return {f"nfra_texts {item}": len(item_rows) for item, item_rows in sorted(rows.items())}


# --------------------------------------------------------------------------- CSRC


def assemble_csrc(shared: Path) -> dict[str, int]:
    real = (shared / "csrc" / "detail_regulation_1.html").read_text(encoding="utf-8")
    real_head = real[: real.index("</head>") + len("</head>")]
    site, lists = CSRC_OUT / "site", CSRC_OUT / "lists"
    for folder in (site, lists):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    counts: dict[str, int] = {}
    for name, channel, column in CSRC_SAMPLES:
        record = json.loads((shared / name).read_text(encoding="utf-8"))
        text = {"id": str(record["manuscriptId"]), "title": record["title"].replace("\n", ""), "date": record["date"],
                "url": record["url"], "paragraphs": [line for line in record["text"].split("\n") if line.strip()]}
        if f"/c{text['id']}/" not in text["url"]:
            raise AssemblyError(f"{name}: its url does not carry manuscriptId {text['id']}")
        path = site / urlsplit(text["url"]).path.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page_head(real_head, text, column) + "\n" + page_body(text), encoding="utf-8")
        (lists / f"{channel}.json").write_text(json.dumps([list_result(text)], ensure_ascii=False, indent=1) + "\n",
                                               encoding="utf-8")
        counts[column] = 1
    # the 规章库: the five recorded pages at their paths, and the list page holding only their rows, on one page
    listing = (shared / RULE_LIST).read_text(encoding="utf-8")
    kept = []
    for name in RULE_PAGES:
        page = (shared / name).read_text(encoding="utf-8")
        title = re.search(r'<meta name="ArticleTitle" content="([^"]*)"', page)[1]
        link = re.search(r'href="(/csrc/c106256/c\d+/content\.shtml)">\s*<span class="til">' + re.escape(title)
                         + "</span>", listing)
        if not link:
            raise AssemblyError(f"{name}: {title!r} is not a row of the list page")
        path = site / link[1].lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
        kept.append(link[1])
    path = site / RULE_LIST_PATH.lstrip("/")
    path.write_text(cut_rule_list(listing, kept), encoding="utf-8")
    counts["规章"] = len(kept)
    return counts


def cut_rule_list(listing: str, kept: list[str]) -> str:
    """The real list page with only the rows of ``kept`` (in its order, renumbered), and its pager on one page."""
    start = listing.index('<tbody id="zc-list-content">') + len('<tbody id="zc-list-content">')
    end = listing.index("</tbody>", start)
    numbered = iter(range(1, len(kept) + 1))

    def row(match: re.Match) -> str:
        if not any(f'href="{path}"' in match[0] for path in kept):
            return ""
        return re.sub(r'<td align="center">\d+</td>', f'<td align="center">{next(numbered)}</td>', match[0], count=1)

    rows = re.sub(r"\s*<tr>.*?</tr>", row, listing[start:end], flags=re.DOTALL)
    if next(numbered, None) is not None:
        raise AssemblyError(f"the list page lacks rows of some of the {len(kept)} recorded pages")
    cut = listing[:start] + rows + listing[end:]
    cut, count = re.subn(r"createPageHTML\('page_div',\s*\d+,\s*1,\s*'fg','shtml',\s*\d+\)",
                         f"createPageHTML('page_div',1, 1,'fg','shtml',{len(kept)})", cut)
    if count != 1:
        raise AssemblyError("the list page has not exactly one createPageHTML pager")
    return cut


def assemble(shared: Path) -> dict[str, int]:
    return {**assemble_nfra(shared), **assemble_csrc(shared)}


def main(argv: list[str] | None = None) -> int:
    return command(assemble, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
