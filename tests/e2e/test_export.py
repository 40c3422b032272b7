"""`regkb export precedents`: the files a legal team opens, read back with openpyxl, python-docx and csv.

Each export is checked against the database by SQL written here, and the 100 source records
(tests/fixtures/real/cbrc_2016_penalties_100.csv) are checked cell by cell where they appear.
"""

from __future__ import annotations

import csv
import re
import sqlite3
import statistics
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from regkb.cli import cli
from tests.conftest import FIXTURES, run_regkb

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
    assert values["数据库构建时间"].startswith(datetime.fromtimestamp(db_path.stat().st_mtime).date().isoformat())


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

def test_docx_is_a_landscape_table_under_a_heading_with_filters_and_date(db_path, expected, tmp_path):
    from docx import Document
    from docx.enum.section import WD_ORIENT

    example(db_path, tmp_path / "p.docx", "docx")
    document = Document(tmp_path / "p.docx")
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    headings = " ".join(p.text for p in document.paragraphs if p.style.name.startswith("Heading"))
    assert LAW in headings and ARTICLE in headings
    assert datetime.fromtimestamp(db_path.stat().st_mtime).date().isoformat() in headings
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == HEADERS
    body, total = table.rows[1:-1], table.rows[-1]
    rows = [dict(zip(HEADERS, (cell.text for cell in row.cells))) for row in body]
    for row in rows:
        row["罚款金额（元）"] = row["罚款金额（元）"].replace(",", "")
        row["决定日期"] = row["决定日期"] or None
    check_rows_against_the_database(rows, expected)
    check_rows_against_the_records(rows)
    assert total.cells[0].text == "合计"
    assert float(total.cells[HEADERS.index("罚款金额（元）")].text.replace(",", "")) == pytest.approx(sum(fines(expected)))


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
