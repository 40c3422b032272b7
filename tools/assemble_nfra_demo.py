"""Assemble the bundled demo NFRA corpus from real source material.

Every document written here is one real published decision. Nothing about the site's structure is
made up: the JSON envelope, the Word-HTML head and the penalty-table markup are copied from the real
files under the shared corpus, and only the values of one real record are put into them. See
sources/nfra/demo/README.md for what was taken from where, and what was left empty.

    .venv/bin/python tools/assemble_nfra_demo.py [--shared PATH] [--out PATH]

Writes (after wiping --out):

    <out>/lists/{item_id}.json       every list row of that item, newest publishDate first
    <out>/documents/{doc_id}.json    the detail endpoint's whole JSON body

Standard library only. Deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import copy
import csv
import html
import json
import re
import shutil
import sys
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

from assembly import DEFAULT_SHARED, REPO_ROOT, AssemblyError, check_shared

DEFAULT_OUT = REPO_ROOT / "sources" / "nfra" / "demo"
REGIONS_CSV = REPO_ROOT / "nlp" / "data" / "regions.csv"  # read only, for the printed summary

ITEMS = {4113: "总局机关", 4114: "监管局本级", 4115: "监管分局本级"}

# Source files, relative to --shared.
ENVELOPE_FILE = "nfra/api/SelectByDocId_detail_1.json"
LIST_ROW_FILE = "nfra/api/list_row_docId_892530.json"
TABLE_FILE = "cbrc/tianjin_2018_35_penalty_table.html"
RECORDS_FILE = "records/cbrc_2016_penalties_100.csv"
TAIPING_FILE = "decisions/decision_taiping_2021_35_full.txt"
LU_FILE = "decisions/decision_lu_2026_16.txt"

RECORD_DOC_ID_BASE = 9_000_000  # docId = 9000000 + 序号: assigned by this fixture, not the site's ids

PENALTY_TYPES = ("罚款", "警告,罚款", "警告", "罚款,没收违法所得")

# The three full documents that are not records of the CSV.
EXTRA_DOCUMENTS = [
    {
        "kind": "table_verbatim",
        "source": TABLE_FILE,
        "docId": 9_100_001,
        "item": 4114,
        "title": "《天津银监局行政处罚信息公开表》-（津银监罚决字〔2018〕35号）",
        "documentNo": "津银监罚决字〔2018〕35号",
        "docSource": "天津银监局",
        "date": "2018-06-28",  # the decision date; the real publication date is not recorded
    },
    {
        "kind": "full_text",
        "source": TAIPING_FILE,
        "docId": 9_100_002,
        "item": 4113,
        "title": "中国银行保险监督管理委员会行政处罚决定书（银保监罚决字〔2021〕35号）",
        "documentNo": "银保监罚决字〔2021〕35号",
        "docSource": "中国银行保险监督管理委员会",
        "date": "2021-12-31",  # placeholder: the text carries no date
    },
    {
        "kind": "full_text",
        "source": LU_FILE,
        "docId": 9_100_003,
        "item": 4114,
        "title": "国家金融监督管理总局山东监管局行政处罚决定书（鲁金罚决字〔2026〕16号）",
        "documentNo": "鲁金罚决字〔2026〕16号",
        "docSource": "国家金融监督管理总局山东监管局",
        "date": "2026-03-03",  # the decision date; the real publication date is not recorded
    },
]


# --------------------------------------------------------------------------- Word-HTML pieces


def word_text(value: str) -> str:
    """Escape a value and wrap its runs of ASCII characters in <span lang="EN-US">, as Word does
    (the real table has 〔<span lang="EN-US">2007</span>〕, 人民币<span lang="EN-US">50</span>万元)."""
    out = []
    for run in re.split(r"([\x21-\x7e]+)", value):
        if not run:
            continue
        if re.fullmatch(r"[\x21-\x7e]+", run):
            out.append(f'<span lang="EN-US">{html.escape(run, quote=False)}</span>')
        else:
            out.append(html.escape(run, quote=False))
    return "".join(out)


def replace_once(text: str, old: str, new: str, what: str) -> str:
    count = text.count(old)
    if count != 1:
        raise AssemblyError(f"template: expected exactly one {what}, found {count}")
    return text.replace(old, new)


class WordShell:
    """The real docClob of the envelope file: its <html><head>…</head>, its <body …><!--StartFragment-->
    and its <!--EndFragment--></body></html>, with the body content left to fill."""

    def __init__(self, doc_clob: str):
        head_end = doc_clob.index("</head>") + len("</head>")
        start = doc_clob.index("<!--StartFragment-->", head_end) + len("<!--StartFragment-->")
        end = doc_clob.rindex("<!--EndFragment-->")
        if not doc_clob.endswith("</body></html>"):
            raise AssemblyError("envelope docClob does not end with </body></html>")
        self.head = doc_clob[:head_end]
        self.body_open = doc_clob[head_end:start]
        self.body_close = doc_clob[end:]
        # The real document's own section wrapper, reused around full-text paragraphs.
        section = re.match(r'<div class="Section0"[^>]*>', doc_clob[start:])
        if not section:
            raise AssemblyError("envelope docClob has no <div class=\"Section0\"> after StartFragment")
        self.section_open = section.group(0)

    def document(self, body_content: str) -> str:
        return self.head + self.body_open + body_content + self.body_close


# The pieces of the real Tianjin table that carry values, each replaced once per record.
T_TITLE = "天津银监局行政处罚信息公开表"
T_SUBTITLE = "（平安银行股份有限公司）"
T_DOCNO_PARA = (
    '<p class="MsoNormal"><span class="GramE"><span style="font-size:14.0pt;\n'
    '  font-family:仿宋_GB2312;mso-hansi-font-family:仿宋_GB2312;mso-bidi-font-family:\n'
    '  仿宋_GB2312">津银监罚决</span></span><span style="font-size:14.0pt;font-family:仿宋_GB2312;\n'
    '  mso-hansi-font-family:仿宋_GB2312;mso-bidi-font-family:仿宋_GB2312">字〔<span lang="EN-US">2018</span>〕'
    '<span lang="EN-US">35</span>号<span lang="EN-US"><o:p></o:p></span></span></p>'
)
# An empty cell paragraph: the shape of the table's own 个人姓名 value paragraph, without its 「—」.
T_EMPTY_PARA = (
    '<p class="MsoNormal"><span style="font-size:14.0pt;font-family:仿宋_GB2312;\n'
    '  mso-hansi-font-family:仿宋_GB2312;mso-bidi-font-family:仿宋_GB2312"><span lang="EN-US"><o:p></o:p></span></span></p>'
)
T_NAME = '仿宋_GB2312">平安银行股份有限公司<span lang="EN-US"><o:p></o:p></span></span></p>'
T_LEGAL_REP = '仿宋_GB2312">谢永林<span lang="EN-US"><o:p></o:p></span></span></p>'
T_FACTS = "贷前调查不到位，向环保未达标的企业提供融资；贷后管理失职，流动资金贷款被挪用"
T_BASIS = (
    '《中国银监会关于印发<span lang="EN-US">&lt;</span>节能减排授信工作指导意见<span lang="EN-US">&gt;</span>'
    '的通知》（银监发〔<span lang="EN-US">2007</span>〕<span lang="EN-US">83</span>号）第五条，'
    '《中国银监会关于印发绿色信贷指引的通知》（银监发〔<span lang="EN-US">2012</span>〕<span lang="EN-US">4</span>号）'
    '第十七条，《流动资金贷款管理暂行办法》第九条、第十三条、第三十条，《中华人民共和国银行业监督管理法》第二十一条、第四十六条。'
)
T_DECISION = '罚款人民币<span lang="EN-US">50</span>万元'
T_AUTHORITY = '仿宋_GB2312">天津银监局</span></p>'
T_DATE_ATTRS = 'day="28" islunardate="False" isrocdate="False" month="6" w:st="on" year="2018"'
T_DATE_YEAR = '仿宋_GB2312">2018</span>'
T_DATE_MONTH_DAY = '年<span lang="EN-US">6</span>月<span lang="EN-US">28</span>日'


def render_table(template: str, record: dict, decision_text: str) -> str:
    """The real Tianjin table with one record's values in place of its own; markup otherwise unchanged."""
    party = record["当事人"]
    authority = record["处理机构"]
    year, month, day = parse_slash_date(record["处罚日期"])
    t = template
    t = replace_once(t, T_TITLE, word_text(f"{authority}行政处罚信息公开表"), "title")
    t = replace_once(t, T_SUBTITLE, word_text(f"（{party}）"), "party subtitle")
    t = replace_once(t, T_DOCNO_PARA, T_EMPTY_PARA, "decision-number paragraph")
    t = replace_once(t, T_NAME, T_NAME.replace("平安银行股份有限公司", word_text(party)), "unit name cell")
    t = replace_once(t, T_LEGAL_REP, T_LEGAL_REP.replace("谢永林", ""), "legal representative cell")
    t = replace_once(t, T_FACTS, word_text(record["违规事实"]), "facts")
    t = replace_once(t, T_BASIS, word_text(record["法律依据"]), "legal basis")
    t = replace_once(t, T_DECISION, word_text(decision_text), "decision")
    t = replace_once(t, T_AUTHORITY, T_AUTHORITY.replace("天津银监局", word_text(authority)), "authority cell")
    t = replace_once(t, T_DATE_ATTRS,
                     f'day="{day}" islunardate="False" isrocdate="False" month="{month}" w:st="on" year="{year}"',
                     "chsdate attributes")
    t = replace_once(t, T_DATE_YEAR, f'仿宋_GB2312">{year}</span>', "date year")
    t = replace_once(t, T_DATE_MONTH_DAY,
                     f'年<span lang="EN-US">{month}</span>月<span lang="EN-US">{day}</span>日', "date month/day")
    return t


def render_full_text(shell: WordShell, text: str) -> str:
    """One Word paragraph per non-empty line, the first (the title) centred."""
    paragraphs = []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        span = f'<span style="font-size:16.0pt;font-family:仿宋_GB2312">{html.escape(line, quote=False)}</span>'
        if i == 0:
            paragraphs.append(f'<p align="center" class="MsoNormal" style="text-align:center">{span}</p>')
        else:
            paragraphs.append(f'<p class="MsoNormal" style="text-indent:32.0pt">{span}</p>')
    return shell.section_open + "".join(paragraphs) + "</div>"


# --------------------------------------------------------------------------- records


def parse_slash_date(value: str) -> tuple[int, int, int]:
    m = re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2})", value.strip())
    if not m:
        raise AssemblyError(f"not a Y/M/D date: {value!r}")
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def amount_text(amount: int) -> str:
    if amount % 100 == 0 and amount >= 10000:
        wan = format((Decimal(amount) / Decimal(10000)).normalize(), "f")
        return f"人民币{wan}万元"
    return f"人民币{amount}元"


def decision_text(record: dict) -> str:
    kind = record["处罚类型"].strip()
    raw_amount = record["罚没金额（元）"].strip()
    if kind == "警告":
        if raw_amount not in ("", "0"):
            raise AssemblyError(f"序号 {record['序号']}: 警告 with an amount {raw_amount!r}")
        return "警告"
    if not raw_amount.isdigit() or int(raw_amount) <= 0:
        raise AssemblyError(f"序号 {record['序号']}: {kind} without a usable amount {raw_amount!r}")
    amount = amount_text(int(raw_amount))
    if kind == "罚款":
        return f"罚款{amount}"
    if kind == "警告,罚款":
        return f"警告，并处罚款{amount}"
    if kind == "罚款,没收违法所得":
        return f"没收违法所得并处罚款，罚没合计{amount}"
    raise AssemblyError(f"序号 {record['序号']}: unknown 处罚类型 {kind!r}")


def item_of_authority(authority: str) -> int:
    if authority.endswith("银监分局"):
        return 4115
    if authority.endswith("银监局"):
        return 4114
    raise AssemblyError(f"处理机构 {authority!r} is neither a 银监局 nor a 银监分局")


def load_records(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        records = list(csv.DictReader(f))
    unknown = [r for r in records if r["处罚类型"].strip() not in PENALTY_TYPES]
    if unknown:
        for r in unknown:
            print(f"unknown 处罚类型: 序号 {r['序号']} {r['处罚类型']!r} {r['当事人']}", file=sys.stderr)
        raise AssemblyError(f"{len(unknown)} record(s) with an unknown 处罚类型; stopping")
    ids = [int(r["序号"]) for r in records]
    if len(set(ids)) != len(ids):
        raise AssemblyError("duplicate 序号 in the records file")
    return records


# --------------------------------------------------------------------------- envelope


def make_document(envelope: dict, shell: WordShell, *, doc_id: int, item: int, title: str, publish_date: str,
                  document_no: str | None, doc_source: str, body_content: str) -> dict:
    body = copy.deepcopy(envelope)
    data = body["data"]
    data["docId"] = doc_id
    data["docTitle"] = title
    data["docSubtitle"] = title
    data["publishDate"] = publish_date
    data["documentNo"] = document_no
    data["docSource"] = doc_source
    data["indexNo"] = None
    data["docClob"] = shell.document(body_content)
    data["listTwoItem"] = [{"ItemName": ITEMS[item], "ItemID": item, "shortLink": None, "ItemLvs": []}]
    data["attachmentInfoVOList"] = []
    return body


def list_row(row_keys: list[str], *, doc_id: int, title: str, publish_date: str) -> dict:
    row = {"docId": doc_id, "docTitle": title, "docSubtitle": title, "publishDate": publish_date}
    if list(row) != row_keys:
        raise AssemblyError(f"list row keys {list(row)} differ from the real row's {row_keys}")
    return row


# --------------------------------------------------------------------------- summary helpers


def load_regions() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(short name, province) pairs for cities and for provinces, longest names first; empty if the
    gazetteer (the repo's nlp/data/regions.csv, read only) is absent."""
    if not REGIONS_CSV.exists():
        return [], []
    with REGIONS_CSV.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    cities = sorted({(r["city_short"], r["province"]) for r in rows if r["kind"] != "province" and r["city_short"]},
                    key=lambda p: (-len(p[0]), p))
    provinces = sorted({(r["province_short"], r["province"]) for r in rows if r["kind"] == "province"},
                       key=lambda p: (-len(p[0]), p))
    return cities, provinces


def province_of(authority: str, regions: tuple[list[tuple[str, str]], list[tuple[str, str]]]) -> str:
    if authority in ("中国银行保险监督管理委员会", "国家金融监督管理总局", "中国银监会", "中国银保监会"):
        return "(head office)"
    cities, provinces = regions
    name = authority.removeprefix("国家金融监督管理总局")
    # A 分局 is named after its city; a 监管局 after its province (or one of the five 计划单列市).
    order = cities + provinces if "分局" in name else provinces + cities
    for short, province in order:
        if name.startswith(short):
            return province
    return "?"


# --------------------------------------------------------------------------- main


def wipe(out: Path) -> None:
    if out.exists():
        allowed = {"lists", "documents", "statuses.json"}
        stray = sorted(p.name for p in out.iterdir() if p.name not in allowed)
        if stray:
            raise AssemblyError(f"refusing to wipe {out}: it holds {stray}, not only a corpus")
        shutil.rmtree(out)
    (out / "lists").mkdir(parents=True)
    (out / "documents").mkdir(parents=True)


def assemble(shared: Path, out: Path) -> dict:
    envelope_raw = (shared / ENVELOPE_FILE).read_bytes()
    envelope = json.loads(envelope_raw)
    if json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode("utf-8") != envelope_raw:
        raise AssemblyError("the envelope file does not round-trip; its serialisation would not be reproduced")
    shell = WordShell(envelope["data"]["docClob"])
    row_keys = list(json.loads((shared / LIST_ROW_FILE).read_text(encoding="utf-8")))
    table = (shared / TABLE_FILE).read_text(encoding="utf-8")
    records = load_records(shared / RECORDS_FILE)

    documents: list[dict] = []  # {"body", "row", "item"}

    def add(*, doc_id, item, title, date, document_no, doc_source, body_content):
        # The detail endpoint gives publishDate as "YYYY-MM-DD HH:MM:SS" (all four recorded bodies), the list
        # endpoint as "YYYY-MM-DD HH:MM:SS.0" (the recorded row): each file keeps its endpoint's form.
        body = make_document(envelope, shell, doc_id=doc_id, item=item, title=title,
                             publish_date=f"{date} 00:00:00", document_no=document_no,
                             doc_source=doc_source, body_content=body_content)
        row = list_row(row_keys, doc_id=doc_id, title=title, publish_date=f"{date} 00:00:00.0")
        documents.append({"body": body, "row": row, "item": item, "source": doc_source})

    for record in records:
        authority = record["处理机构"].strip()
        party = record["当事人"].strip()
        if record["处理机构"] != authority or record["当事人"] != party:
            raise AssemblyError(f"序号 {record['序号']}: stray whitespace around 处理机构/当事人")
        y, m, d = parse_slash_date(record["披露日期"])
        parse_slash_date(record["处罚日期"])
        add(doc_id=RECORD_DOC_ID_BASE + int(record["序号"]), item=item_of_authority(authority),
            title=f"《{authority}行政处罚信息公开表》（{party}）", date=f"{y:04d}-{m:02d}-{d:02d}",
            document_no=None, doc_source=authority,
            body_content=render_table(table, record, decision_text(record)))

    for extra in EXTRA_DOCUMENTS:
        if extra["kind"] == "table_verbatim":
            content = (shared / extra["source"]).read_text(encoding="utf-8")
        else:
            content = render_full_text(shell, (shared / extra["source"]).read_text(encoding="utf-8"))
        add(doc_id=extra["docId"], item=extra["item"], title=extra["title"], date=extra["date"],
            document_no=extra["documentNo"], doc_source=extra["docSource"], body_content=content)

    doc_ids = [doc["row"]["docId"] for doc in documents]
    if len(set(doc_ids)) != len(doc_ids):
        raise AssemblyError("duplicate docId")

    wipe(out)
    for doc in sorted(documents, key=lambda doc: doc["row"]["docId"]):
        text = json.dumps(doc["body"], ensure_ascii=False, separators=(",", ":"))
        (out / "documents" / f"{doc['row']['docId']}.json").write_bytes(text.encode("utf-8"))
    for item in ITEMS:
        rows = [doc["row"] for doc in documents if doc["item"] == item]
        rows.sort(key=lambda row: (row["publishDate"], row["docId"]), reverse=True)
        text = json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
        (out / "lists" / f"{item}.json").write_bytes(text.encode("utf-8"))
    return {"documents": documents}


def print_summary(result: dict, out: Path) -> None:
    documents = result["documents"]
    print(f"wrote {len(documents)} documents to {out}")
    per_item = Counter(doc["item"] for doc in documents)
    print("documents per item id:")
    for item in ITEMS:
        print(f"  {item} {ITEMS[item]}: {per_item[item]}")
    regions = load_regions()
    per_province: dict[str, Counter] = defaultdict(Counter)
    for doc in documents:
        per_province[province_of(doc["source"], regions)][doc["source"]] += 1
    print("documents per province-level authority (province: total; authorities):")
    for province in sorted(per_province, key=lambda p: (-sum(per_province[p].values()), p)):
        authorities = per_province[province]
        detail = ", ".join(f"{name} {n}" for name, n in sorted(authorities.items(), key=lambda kv: (-kv[1], kv[0])))
        print(f"  {province}: {sum(authorities.values())}  ({detail})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help=f"the shared real-source corpus (default: {DEFAULT_SHARED})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder, wiped first (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    try:
        check_shared(args.shared)
        result = assemble(args.shared, args.out)
    except AssemblyError as exc:
        print(f"assemble: {exc}", file=sys.stderr)
        return 1
    print_summary(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
