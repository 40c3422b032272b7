"""`regkb export precedents`: the files a legal team opens, read back with openpyxl, python-docx and csv.

Each export is checked against the database by SQL written here, the 100 source records
(tests/fixtures/real/cbrc_2016_penalties_100.csv) cell by cell where they appear, and the eleven parties of the
CSRC's 〔2026〕10号 against the decision's own text (sources/csrc/demo/decisions/7626997.txt): each party its own
sanctions, the facts once. No file holds the path of the database it was made from.
"""

from __future__ import annotations

import csv
import re
import shutil
import sqlite3
import statistics
import subprocess
import zipfile
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from regkb.cli import cli
from tests.conftest import FIXTURES, demo_corpus, run_regkb

LAW, ARTICLE = "中华人民共和国银行业监督管理法", "第四十六条"
HEADERS = ["文号", "决定日期", "处罚机关", "地区", "当事人", "当事人类型", "违法违规事实", "处罚依据", "处罚决定",
           "罚款金额（元）", "来源链接"]
RECORDS = FIXTURES / "real" / "cbrc_2016_penalties_100.csv"
PRECEDENTS = """
    select p.party_id, p.name, p.role, p.fine_yuan, d.decision_no, d.decision_date, d.authority, d.facts,
           d.legal_basis, d.url, d.doc_id
    from parties p join decisions d using (decision_id)
    where d.decision_id in (select decision_id from citations where law = ? and article = ?)
"""
# 证监会〔2026〕10号 (sources/csrc/demo/decisions/7626997.txt): what 「综合上述两项」 and the ban paragraph give each
# of its eleven parties, copied from the decision: (the clause that names the party, its sanctions as exported, fine).
GAOHONG_TEXT = demo_corpus("csrc") / "decisions" / "7626997.txt"
GAOHONG = {
    "大唐高鸿网络股份有限公司": ("一、对大唐高鸿网络股份有限公司责令改正,给予警告,并处以13500万元的罚款。",
                                "责令改正；警告；罚款 135,000,000 元", 135_000_000),
    "付景林": ("二、对付景林给予警告,并处以750万元的罚款。", "警告；罚款 7,500,000 元；证券市场禁入 10 年", 7_500_000),
    "丁明锋": ("三、对丁明锋给予警告,并处以600万元的罚款。", "警告；罚款 6,000,000 元；证券市场禁入 5 年", 6_000_000),
    "曹秉蛟": ("四、对曹秉蛟给予警告,并处以500万元的罚款。", "警告；罚款 5,000,000 元", 5_000_000),
    "高岭": ("五、对高岭、段茂忠给予警告,并分别处以200万元的罚款。", "警告；罚款 2,000,000 元", 2_000_000),
    "段茂忠": ("五、对高岭、段茂忠给予警告,并分别处以200万元的罚款。", "警告；罚款 2,000,000 元", 2_000_000),
    "刘红云": ("六、对刘红云给予警告,并处以175万元的罚款。", "警告；罚款 1,750,000 元", 1_750_000),
    "张新中": ("七、对张新中给予警告,并处以100万元的罚款。", "警告；罚款 1,000,000 元", 1_000_000),
    "侯玉成": ("八、对侯玉成、姚印杰给予警告,并分别处以75万元的罚款。", "警告；罚款 750,000 元", 750_000),
    "姚印杰": ("八、对侯玉成、姚印杰给予警告,并分别处以75万元的罚款。", "警告；罚款 750,000 元", 750_000),
    "江庆": ("九、对江庆给予警告,并处以700万元的罚款。", "警告；罚款 7,000,000 元；证券市场禁入 10 年", 7_000_000),
}
GAOHONG_BANS = "对付景林、江庆分别采取10年证券市场禁入措施,对丁明锋采取5年证券市场禁入措施"
GAOHONG_FILTER = ("--source", "csrc", "--search", "〔2026〕10号")
BEIJING = timezone(timedelta(hours=8))


@pytest.fixture(scope="module")
def db_path(demo_db) -> Path:
    return demo_db


@pytest.fixture(scope="module")
def expected(db_path) -> list[sqlite3.Row]:
    """The rows of the 第四十六条 example, straight from the database."""
    connection = sqlite3.connect(db_path)
    connection.row_factory = sqlite3.Row
    rows = connection.execute(PRECEDENTS, [LAW, ARTICLE]).fetchall()
    connection.close()
    assert rows
    return rows


def records() -> dict[str, dict]:
    with open(RECORDS, encoding="utf-8-sig", newline="") as handle:
        return {str(9000000 + int(row["序号"])): row for row in csv.DictReader(handle)}


def export(db_path, output: Path, *args: str):
    return CliRunner().invoke(cli, ["export", "precedents", *args, "-o", str(output), "--db", str(db_path)])


def example(db_path, output: Path, fmt: str):
    result = export(db_path, output, "--law", LAW, "--article", ARTICLE, "--format", fmt)
    assert result.exit_code == 0, result.output
    return result


def doc_of(url: str) -> str:
    return re.search(r"docId=(\d+)", url)[1]


def fines(rows) -> list[float]:
    return [row["fine_yuan"] for row in rows if row["fine_yuan"] is not None]


def built_day(db_path: Path) -> str:
    """The database's build date as the exports give it: Beijing time."""
    return datetime.fromtimestamp(db_path.stat().st_mtime, BEIJING).date().isoformat()


def gaohong(db_path) -> sqlite3.Row:
    connection = sqlite3.connect(db_path)
    connection.row_factory = sqlite3.Row
    row = connection.execute("select * from decisions where decision_no = '〔2026〕10号' and source = 'csrc'").fetchone()
    connection.close()
    assert row and row["party_count"] == len(GAOHONG)
    return row


def party_name(cell: str) -> str:
    return cell.split("（")[0]


def test_the_expected_sanctions_are_the_decisions_own_words():
    """The table above is the decision's: every clause is in its text, after 「综合上述两项」."""
    text = GAOHONG_TEXT.read_text(encoding="utf-8")
    combined = text[text.index("综合上述两项"):]
    for name, (clause, _, _) in GAOHONG.items():
        assert clause in combined and (f"对{name}" in clause or f"、{name}" in clause)
    assert GAOHONG_BANS in combined


def check_rows_against_the_database(rows: list[dict], expected) -> None:
    """rows: header → value as read back from a file, values as text or numbers."""
    assert len(rows) == len(expected)
    by_doc = {}
    for row in rows:
        by_doc.setdefault(doc_of(row["来源链接"]), []).append(row)
    wanted = {}
    for row in expected:
        wanted.setdefault(row["doc_id"], []).append(row)
    assert by_doc.keys() == wanted.keys()
    for doc, parties in wanted.items():
        got = by_doc[doc]
        assert Counter(r["当事人"] for r in got) == Counter(
            p["name"] + (f"（{p['role']}）" if p["role"] else "") for p in parties)
        assert sorted(float(r["罚款金额（元）"] or 0) for r in got) == sorted(p["fine_yuan"] or 0 for p in parties)
        for r in got:
            assert (r["文号"] or "") == (parties[0]["decision_no"] or "")
            assert (r["决定日期"] or "") == (parties[0]["decision_date"] or "")
            assert r["处罚机关"] == parties[0]["authority"]
            assert r["违法违规事实"] == parties[0]["facts"] and r["处罚依据"] == parties[0]["legal_basis"]
            assert r["来源链接"] == parties[0]["url"]


def check_rows_against_the_records(rows: list[dict]) -> None:
    """The source records carry the party, authority, date, facts, basis and amount of 100 decisions."""
    source = records()
    seen = 0
    for row in rows:
        record = source.get(doc_of(row["来源链接"]))
        if record is None:
            continue
        seen += 1
        assert row["当事人"] == record["当事人"] and row["处罚机关"] == record["处理机构"]
        assert row["决定日期"] == datetime.strptime(record["处罚日期"], "%Y/%m/%d").date().isoformat()
        assert row["违法违规事实"] == record["违规事实"] and row["处罚依据"] == record["法律依据"]
        kinds = record["处罚类型"].split(",")
        if kinds == ["警告"] or "没收违法所得" in kinds:
            assert not row["罚款金额（元）"]    # a warning, or a combined 罚没 amount that is not a fine
        else:
            assert float(row["罚款金额（元）"]) == float(record["罚没金额（元）"])
    assert seen > 40


# --- XLSX -------------------------------------------------------------------------------------------------------------

def test_xlsx_rows_and_totals_match_the_database(db_path, expected, tmp_path):
    from openpyxl import load_workbook

    example(db_path, tmp_path / "p.xlsx", "xlsx")
    workbook = load_workbook(tmp_path / "p.xlsx")
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS
    rows = []
    for values in sheet.iter_rows(min_row=2, values_only=True):
        row = dict(zip(HEADERS, values))
        row["决定日期"] = row["决定日期"].date().isoformat() if row["决定日期"] else None
        rows.append(row)
    check_rows_against_the_database(rows, expected)
    check_rows_against_the_records(rows)
    assert sum(row["罚款金额（元）"] or 0 for row in rows) == pytest.approx(sum(fines(expected)))


def test_xlsx_is_formatted_for_people(db_path, expected, tmp_path):
    from openpyxl import load_workbook

    example(db_path, tmp_path / "p.xlsx", "xlsx")
    sheet = load_workbook(tmp_path / "p.xlsx").worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.auto_filter.ref == f"A1:K{len(expected) + 1}"
    facts, link, date, fine = (HEADERS.index(name) + 1 for name in ("违法违规事实", "来源链接", "决定日期", "罚款金额（元）"))
    assert sheet.column_dimensions["G"].width >= 40 and sheet.column_dimensions["B"].width >= 10
    for row in range(2, sheet.max_row + 1):
        assert sheet.cell(row, facts).alignment.wrap_text
        url = sheet.cell(row, link).value
        assert url.startswith("https://www.nfra.gov.cn/") and sheet.cell(row, link).hyperlink.target == url
        assert sheet.cell(row, date).is_date or sheet.cell(row, date).value is None
        assert isinstance(sheet.cell(row, fine).value, (int, float))


def test_xlsx_summary_sheet_has_count_fines_and_filters(db_path, expected, tmp_path):
    from openpyxl import load_workbook

    example(db_path, tmp_path / "p.xlsx", "xlsx")
    summary = load_workbook(tmp_path / "p.xlsx")["汇总"]
    values = {label.strip(): value for label, value in summary.iter_rows(min_row=2, values_only=True)}
    amounts = fines(expected)
    assert values["当事人（行）数"] == len(expected)
    assert values["决定数"] == len({row["doc_id"] for row in expected})
    assert values["有罚款金额的当事人数"] == len(amounts)
    assert values["最低罚款（元）"] == min(amounts) and values["最高罚款（元）"] == max(amounts)
    assert values["罚款中位数（元）"] == statistics.median(amounts)
    assert values["罚款合计（元）"] == pytest.approx(sum(amounts))
    assert values["法律"] == LAW and values["条款"] == ARTICLE
    assert values["数据库构建时间"].startswith(built_day(db_path)) and values["数据库构建时间"].endswith("（北京时间）")
    assert values["数据来源"].startswith("国家金融监督管理总局（https://www.nfra.gov.cn）")


# --- CSV --------------------------------------------------------------------------------------------------------------

def test_csv_has_a_byte_order_mark_and_matches_the_database(db_path, expected, tmp_path):
    example(db_path, tmp_path / "p.csv", "csv")
    raw = (tmp_path / "p.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")   # Excel reads UTF-8 only with the mark; without it the Chinese is garbled
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert lines[0] == HEADERS
    rows = [dict(zip(HEADERS, line)) for line in lines[1:]]
    check_rows_against_the_database(rows, expected)
    check_rows_against_the_records(rows)
    assert sum(float(row["罚款金额（元）"] or 0) for row in rows) == pytest.approx(sum(fines(expected)))


# --- DOCX -------------------------------------------------------------------------------------------------------------

def docx_cases(document) -> tuple[list[list[str]], list[dict]]:
    """The overview table's rows, and each decision as the document gives it: its heading, its 决定日期/原文 line,
    its facts, basis and decision paragraph, and its parties' rows."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    overview, cases, current = None, [], None
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            rows = [[cell.text for cell in row.cells] for row in block.rows]
            if overview is None:
                overview = rows
            else:
                current["parties"] = rows
        elif isinstance(block, Paragraph):
            if block.style.name == "Heading 2" and re.match(r"\d+\. ", block.text):
                current = {"heading": block.text, "paragraphs": [], "parties": None}
                cases.append(current)
            elif current is not None:
                current["paragraphs"].append(block.text)
    return overview, cases


def docx_rows(cases: list[dict]) -> list[dict]:
    """The rows of check_rows_against_the_database, read off the document's decisions."""
    rows = []
    for case in cases:
        number, authority = case["heading"].split(" ", 1)[1].split("\u3000")
        line = case["paragraphs"][0]
        decided = re.search(r"决定日期：([\d-]+)", line)
        link = re.search(r"原文：(\S+)$", line)[1]
        text = {p.split("：", 1)[0]: p.split("：", 1)[1] for p in case["paragraphs"][1:] if "：" in p}
        header, *parties = case["parties"]
        assert header == ["当事人", "当事人类型", "处罚决定", "罚款金额（元）"]
        if len(parties) > 1:
            total, parties = parties[-1], parties[:-1]
            assert total[0] == f"合计（{len(parties)} 名当事人）"
        for party in parties:
            rows.append({"文号": "" if number.endswith("（无文号）") else number, "决定日期": decided[1] if decided else None,
                         "处罚机关": authority, "当事人": party[0], "当事人类型": party[1], "处罚决定": party[2],
                         "违法违规事实": text.get("违法违规事实", ""), "处罚依据": text.get("处罚依据", ""),
                         "罚款金额（元）": party[3].replace(",", ""), "来源链接": link})
    return rows


def test_docx_gives_each_decision_once_under_a_heading_with_filters_and_date(db_path, expected, tmp_path):
    from docx import Document

    example(db_path, tmp_path / "p.docx", "docx")
    document = Document(tmp_path / "p.docx")
    headings = " ".join(p.text for p in document.paragraphs if p.style.name.startswith("Heading"))
    assert LAW in headings and ARTICLE in headings and built_day(db_path) in headings
    overview, cases = docx_cases(document)
    decisions = {row["doc_id"] for row in expected}
    assert overview[0] == ["序号", "文号", "决定日期", "处罚机关", "当事人数", "罚款合计（元）"]
    assert len(overview) - 2 == len(cases) == len(decisions)      # the header and the 合计 row
    assert overview[-1][0] == "合计" and overview[-1][4] == str(len(expected))
    assert float(overview[-1][5].replace(",", "")) == pytest.approx(sum(fines(expected)))
    rows = docx_rows(cases)
    check_rows_against_the_database(rows, expected)
    check_rows_against_the_records(rows)
    for case in cases:    # the facts of a decision once, whatever its number of parties
        facts = [p for p in case["paragraphs"] if p.startswith("违法违规事实：")]
        assert len(facts) == 1


# --- 证监会〔2026〕10号: eleven parties, each its own sanctions ---------------------------------------------------------

def test_each_of_eleven_parties_has_its_own_sanctions_in_the_spreadsheets(db_path, tmp_path):
    from openpyxl import load_workbook

    decision = gaohong(db_path)
    for fmt in ("xlsx", "csv"):
        result = export(db_path, tmp_path / f"g.{fmt}", *GAOHONG_FILTER)
        assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "g.xlsx")
    assert book.sheetnames == ["处罚先例", "处罚决定", "汇总"]
    sheet = book["处罚先例"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    xlsx = [dict(zip(HEADERS, values)) for values in sheet.iter_rows(min_row=2, values_only=True)]
    lines = list(csv.reader((tmp_path / "g.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert lines[0] == HEADERS
    for rows in (xlsx, [dict(zip(HEADERS, line)) for line in lines[1:]]):
        assert sorted(party_name(row["当事人"]) for row in rows) == sorted(GAOHONG)
        for row in rows:
            _, sanctions, fine = GAOHONG[party_name(row["当事人"])]
            assert row["处罚决定"] == sanctions, row["当事人"]
            assert float(row["罚款金额（元）"]) == fine
            # a row is whole: its facts travel with it when the table is sorted or copied
            assert row["违法违规事实"] == decision["facts"]
    assert sum(row["罚款金额（元）"] for row in xlsx) == 168_750_000      # 16875万元, the sum of 综合上述两项
    decisions = [dict(zip([c.value for c in book["处罚决定"][1]], values))
                 for values in book["处罚决定"].iter_rows(min_row=2, values_only=True)]
    assert len(decisions) == 1
    assert decisions[0]["处罚决定（原文）"] == decision["decision_text"] and decisions[0]["当事人数"] == 11
    assert decisions[0]["罚款合计（元）"] == 168_750_000 and decisions[0]["发布日期"].date().isoformat() == "2026-04-07"


def test_the_word_document_prints_the_facts_once_and_each_partys_own_sanction(db_path, tmp_path):
    from docx import Document

    decision = gaohong(db_path)
    result = export(db_path, tmp_path / "g.docx", *GAOHONG_FILTER)
    assert result.exit_code == 0, result.output
    document = Document(tmp_path / "g.docx")
    _, cases = docx_cases(document)
    assert len(cases) == 1 and cases[0]["heading"] == "1. 〔2026〕10号\u3000中国证券监督管理委员会"
    text = [p.text for p in document.paragraphs] + [cell.text for t in document.tables for r in t.rows
                                                     for cell in r.cells]
    assert sum(decision["facts"] in block for block in text) == 1
    assert sum(decision["decision_text"] in block for block in text) == 1
    parties = cases[0]["parties"][1:-1]
    assert sorted(party_name(row[0]) for row in parties) == sorted(GAOHONG)
    for name, kind, sanctions, fine in parties:
        assert (sanctions, int(fine.replace(",", ""))) == GAOHONG[party_name(name)][1:]
        others = set(GAOHONG) - {party_name(name)}
        assert not any(other in sanctions for other in others)
    assert cases[0]["parties"][-1][3] == "168,750,000"
    # the title, the database's date, the filters, the summary, the database, 决定一览, the decision's heading, its
    # date line, facts, legal basis and decision: 11 paragraphs (it ran to 50 pages: eleven copies of the facts and
    # of the decision)
    assert len(document.paragraphs) == 11


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice to count pages: apt-get install "
                                                            "libreoffice-writer-nogui")
def test_the_word_document_of_eleven_parties_is_two_pages(db_path, tmp_path):
    import pdfplumber

    result = export(db_path, tmp_path / "g.docx", *GAOHONG_FILTER)
    assert result.exit_code == 0, result.output
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(tmp_path / "g.docx")], check=True, capture_output=True,
                   timeout=120)
    with pdfplumber.open(tmp_path / "g.pdf") as pdf:
        assert len(pdf.pages) <= 2


# --- no machine paths -------------------------------------------------------------------------------------------------

def contents(path: Path) -> bytes:
    """A file's bytes, a zip's (xlsx, docx) members unpacked, a folder's files together."""
    if path.is_dir():
        return b"".join(contents(child) for child in sorted(path.rglob("*")) if child.is_file())
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return b"".join(archive.read(name) for name in archive.namelist())
    return path.read_bytes()


def test_no_export_says_where_the_database_is(db_path, tmp_path):
    folder = db_path.resolve().parent
    written = []
    for fmt in ("xlsx", "csv", "docx"):
        result = export(db_path, tmp_path / f"p.{fmt}", "--law", LAW)
        assert result.exit_code == 0, result.output
        written.append(tmp_path / f"p.{fmt}")
    for command, output in (("package", tmp_path / "package"), ("ftm", tmp_path / "p.ftm.json")):
        result = CliRunner().invoke(cli, ["export", command, "-o", str(output), "--db", str(db_path)])
        if command == "ftm" and "install the extra" in result.output:
            continue    # followthemoney not installed: nothing written
        assert result.exit_code == 0, result.output
        written.append(output)
    for path in written:
        body = contents(path)
        for where in (str(db_path.resolve()), str(folder), str(folder.parent), folder.parent.name):
            assert where.encode() not in body, (path.name, where)
            assert where.encode("utf-16-le") not in body, (path.name, where)


# --- other filters ----------------------------------------------------------------------------------------------------

def test_filters_combine_like_the_sql(db_path, tmp_path):
    output = tmp_path / "loans.csv"
    result = export(db_path, output, "--category", "信贷业务", "--province", "内蒙古", "--since", "2010",
                    "--until", "2015-06-30", "--institution-type", "农商行", "--search", "贷款")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(output.read_text(encoding="utf-8-sig").splitlines()))
    wanted = sqlite3.connect(db_path).execute("""
        select d.url, p.name from parties p join decisions d using (decision_id)
        where d.province = '内蒙古自治区' and p.institution_type = '农商行'
          and coalesce(d.decision_date, d.publish_date) between '2010-01-01' and '2015-06-30'
          and d.decision_id in (select decision_id from decision_categories where category = '信贷业务')
          and (instr(d.facts, '贷款') or instr(d.legal_basis, '贷款') or instr(d.title, '贷款')
               or instr(coalesce(d.decision_text, ''), '贷款') or instr(p.name, '贷款'))
    """).fetchall()
    assert wanted and sorted((row["来源链接"], row["当事人"]) for row in rows) == sorted(wanted)
    assert all(row["当事人类型"] == "农商行" and row["地区"].startswith("内蒙古自治区") for row in rows)


def test_format_follows_the_suffix(db_path, tmp_path):
    result = export(db_path, tmp_path / "p.docx", "--law", "银行业监督管理法", "--article", "46")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "p.docx").read_bytes()[:2] == b"PK"
    result = export(db_path, tmp_path / "p.pdf", "--law", LAW)
    assert result.exit_code != 0 and "--format" in result.output and not (tmp_path / "p.pdf").exists()


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    from openpyxl import load_workbook

    from regkb.export import PrecedentTable, write_csv, write_xlsx
    from regkb.kb import Filters

    row = dict.fromkeys(HEADERS, "")
    row.update({"违法违规事实": '=HYPERLINK("http://example.org","点击")', "当事人": "+86某银行", "罚款金额（元）": 1017.61,
                "决定日期": None, "来源链接": "https://www.nfra.gov.cn/cn/view/pages/ItemDetail.html?docId=1"})
    table = PrecedentTable(rows=[row], filters=Filters(search="某银行"), database=tmp_path / "regkb.db",
                           built_at=datetime(2026, 1, 2), data_as_of=None, decisions=1)
    write_xlsx(table, tmp_path / "t.xlsx")
    facts = load_workbook(tmp_path / "t.xlsx").worksheets[0]["G2"]
    assert facts.data_type == "s" and facts.value == row["违法违规事实"]
    write_csv(table, tmp_path / "t.csv")
    written = dict(zip(HEADERS, list(csv.reader((tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines()))[1]))
    # Excel would run these as formulas; a leading quote keeps them text (CSV injection)
    assert written["违法违规事实"] == "'" + row["违法违规事实"] and written["当事人"] == "'+86某银行"
    assert written["罚款金额（元）"] == "1017.61" and written["决定日期"] == ""


# --- errors a user can act on ----------------------------------------------------------------------------------------

def test_an_export_that_matches_nothing_writes_nothing_and_fails(db_path, tmp_path):
    output = tmp_path / "none.xlsx"
    result = export(db_path, output, "--law", LAW, "--article", ARTICLE, "--since", "2030")
    assert result.exit_code == 1 and "no sanctioned party matches" in result.output
    assert "nothing was written" in result.output and not output.exists()
    output.write_bytes(b"an earlier export")
    export(db_path, output, "--law", LAW, "--article", ARTICLE, "--since", "2030")
    assert output.read_bytes() == b"an earlier export"
    assert list(tmp_path.iterdir()) == [output]   # no partial file either


def test_without_a_database_it_says_how_to_build_one(tmp_path):
    result = export(tmp_path / "missing.db", tmp_path / "p.xlsx", "--law", LAW)
    assert result.exit_code != 0
    assert "regkb demo --no-serve" in result.output and "regkb build" in result.output


@pytest.mark.parametrize("args, message", [
    (["--article", "46"], "needs its law"),
    (["--law", LAW, "--article", "四十六条第一款"], "not an article number"),
    (["--law", "银行法"], "no decision cites"),
    (["--category", "贷款"], "not a violation category"),
    (["--since", "yesterday"], "not a date"),
])
def test_bad_filters_are_explained(db_path, tmp_path, args, message):
    result = export(db_path, tmp_path / "p.csv", *args)
    assert result.exit_code != 0 and message in result.output and not (tmp_path / "p.csv").exists()


def test_the_command_as_a_user_runs_it(db_path, expected, tmp_path):
    result = run_regkb("export", "precedents", "--law", LAW, "--article", ARTICLE, "--format", "xlsx",
                       "-o", str(tmp_path / "p.xlsx"), env={"REGKB_DB": str(db_path)})
    assert result.returncode == 0, result.stderr
    assert f"{len(expected)} sanctioned parties" in result.stdout and (tmp_path / "p.xlsx").exists()
