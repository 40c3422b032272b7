"""Precedent tables for legal teams: one row per sanctioned party, with Chinese headers, as XLSX, CSV or DOCX.

    from regkb.export import export_precedents
    from regkb.kb import Filters

    table = export_precedents(Filters(law="中华人民共和国银行业监督管理法", article="第四十六条"), "p.xlsx")
    table.summary()["fined_parties"], table.summary()["total_fine_yuan"]

The rows are ``KnowledgeBase.precedents`` (so the API, the notebooks and the exports agree), newest decision first.
A file is written whole or not at all: into a temporary file beside it, moved into place when complete.
"""

from __future__ import annotations

import csv
import os
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from regkb.kb import Filters, KnowledgeBase, KnowledgeBaseError

HEADERS = ["文号", "决定日期", "处罚机关", "地区", "当事人", "当事人类型", "违法违规事实", "处罚依据", "处罚决定",
           "罚款金额（元）", "来源链接"]
FORMATS = ("xlsx", "csv", "docx")
FINE = "罚款金额（元）"
KINDS = {"institution": "机构", "individual": "个人"}


class NothingMatches(KnowledgeBaseError):
    pass


@dataclass
class PrecedentTable:
    """The rows of an export (header → value), the filters that chose them and which database they came from."""

    rows: list[dict]
    filters: Filters
    database: Path
    built_at: datetime
    data_as_of: str | None
    decisions: int
    exported_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    def fines(self) -> list[float]:
        return [row[FINE] for row in self.rows if row[FINE] is not None]

    def summary(self) -> dict:
        fines = self.fines()
        return {
            "parties": len(self.rows), "decisions": self.decisions, "fined_parties": len(fines),
            "min_fine_yuan": min(fines) if fines else None,
            "median_fine_yuan": statistics.median(fines) if fines else None,
            "max_fine_yuan": max(fines) if fines else None,
            "total_fine_yuan": sum(fines) if fines else 0.0,
        }

    def summary_lines(self) -> list[tuple[str, object]]:
        """(label, value) pairs for the summary sheet and the Word heading."""
        s = self.summary()
        lines: list[tuple[str, object]] = [("筛选条件", self.filters.title())]
        lines += [(f"  {label}", value) for label, value in self.filters.described()]
        lines += [
            ("当事人（行）数", s["parties"]), ("决定数", s["decisions"]),
            ("有罚款金额的当事人数", s["fined_parties"]),
            ("最低罚款（元）", s["min_fine_yuan"]), ("罚款中位数（元）", s["median_fine_yuan"]),
            ("最高罚款（元）", s["max_fine_yuan"]), ("罚款合计（元）", s["total_fine_yuan"]),
            ("数据库", str(self.database.resolve())),
            ("数据库构建时间", self.built_at.isoformat(sep=" ")),
            ("数据截至（最后抓取）", _day(self.data_as_of)),
            ("导出时间", self.exported_at.isoformat(sep=" ")),
        ]
        return lines


def precedent_table(kb: KnowledgeBase, filters: Filters) -> PrecedentTable:
    """The rows for ``filters``; NothingMatches (nothing to write) when no sanctioned party matches."""
    filters = kb.resolve(filters)
    frame = kb.precedents(filters=filters)
    if frame.empty:
        raise NothingMatches(f"no sanctioned party matches {filters.title()} in {kb.path}; nothing was written")
    rows = [_row(record) for record in frame.to_dict("records")]
    return PrecedentTable(rows=rows, filters=filters, database=kb.path, built_at=kb.built_at,
                          data_as_of=kb.data_as_of, decisions=frame["decision_id"].nunique())


def export_precedents(filters: Filters, output: str | Path, fmt: str | None = None,
                      db: str | Path | None = None) -> PrecedentTable:
    """Query and write in one step; ``fmt`` defaults to the output's suffix (.xlsx, .csv, .docx)."""
    output = Path(output)
    fmt = fmt or output.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise KnowledgeBaseError(f"cannot tell the format of {output}: give --format {'|'.join(FORMATS)} "
                                 "or a file ending in .xlsx, .csv or .docx")
    with KnowledgeBase(db) as kb:
        table = precedent_table(kb, filters)
    WRITERS[fmt](table, output)
    return table


def _row(record: dict) -> dict:
    party = record["name"] + (f"（{record['role']}）" if _present(record["role"]) else "")
    if record["kind"] == "institution":
        kind = record["institution_type"] if _present(record["institution_type"]) else KINDS["institution"]
    else:
        kind = KINDS.get(record["kind"], record["kind"])
    if _present(record["province"]):
        region = record["province"] + (record["city"] if _present(record["city"]) else "")
    else:
        region = "全国" if record["authority_level"] == "head office" else ""
    decided = record["decision_date"]
    return {
        "文号": _text(record["decision_no"]),
        "决定日期": decided.date() if _present(decided) else None,
        "处罚机关": _text(record["authority"]) or _text(record["authority_id"]),
        "地区": region,
        "当事人": party,
        "当事人类型": kind,
        "违法违规事实": _text(record["facts"]),
        "处罚依据": _text(record["legal_basis"]),
        # The party's own sanctions where the extractor separated them, else the whole decision.
        "处罚决定": _text(record["sanctions_text"]) or _text(record["decision_text"]),
        FINE: float(record["fine_yuan"]) if _present(record["fine_yuan"]) else None,
        "来源链接": _text(record["url"]),
    }


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and value != value) and value is not pd.NaT \
        and value != ""


def _text(value) -> str:
    return str(value) if _present(value) else ""


def _day(iso: str | None) -> str:
    return iso[:10] if iso else ""


def _amount(value: float | None) -> str:
    """300000.0 → 300000, 1017.61 → 1017.61: as a person writes yuan."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def write_atomically(output: Path, write) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.tmp-{os.getpid()}{output.suffix}")
    try:
        write(partial)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)


# --- CSV ----------------------------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@")


def write_csv(table: PrecedentTable, output: str | Path) -> None:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese intact; dates ISO, amounts as plain numbers."""

    def cell(header: str, value) -> str:
        if header == FINE:
            return _amount(value)
        if isinstance(value, date):
            return value.isoformat()
        text = _text(value)
        # Excel would run a cell starting with = + - @ as a formula (CSV injection); a quote keeps it text.
        return "'" + text if text.startswith(_FORMULA_START) else text

    def write(path: Path) -> None:
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADERS)
            for row in table.rows:
                writer.writerow([cell(header, row[header]) for header in HEADERS])

    write_atomically(Path(output), write)


# --- XLSX ---------------------------------------------------------------------------------------------------------

WIDTHS = {"文号": 24, "决定日期": 12, "处罚机关": 20, "地区": 18, "当事人": 32, "当事人类型": 12,
          "违法违规事实": 60, "处罚依据": 44, "处罚决定": 40, FINE: 16, "来源链接": 36}
_EXCEL_CELL_LIMIT = 32_767


def write_xlsx(table: PrecedentTable, output: str | Path) -> None:
    """A workbook for people: frozen bold header, filters, widths, wrapped text, links; and a 汇总 sheet."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    def clean(text: str) -> str:
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
        return text if len(text) <= _EXCEL_CELL_LIMIT else text[:_EXCEL_CELL_LIMIT - 10] + "…（已截断）"

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "处罚先例"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font, cell.alignment = bold, Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    link_font = Font(color="0563C1", underline="single")
    for number, row in enumerate(table.rows, start=2):
        for column, header in enumerate(HEADERS, start=1):
            value = row[header]
            cell = sheet.cell(row=number, column=column)
            if header == FINE:
                cell.value = value
                cell.number_format = "#,##0.00"
            elif header == "决定日期":
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            else:
                text = clean(_text(value))
                cell.value = text or None
                if text:
                    cell.data_type = "s"   # never a formula, whatever the text starts with
                if header == "来源链接" and text:
                    cell.hyperlink = cell.value
                    cell.font = link_font
            cell.alignment = wrap
    for column, header in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = WIDTHS[header]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{len(table.rows) + 1}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"

    summary = workbook.create_sheet("汇总")
    summary.append(["项目", "值"])
    for cell in summary[1]:
        cell.font = bold
    for label, value in table.summary_lines():
        summary.append([label, value])
        if isinstance(value, float):
            summary.cell(row=summary.max_row, column=2).number_format = "#,##0.00"
    summary.column_dimensions["A"].width = 24
    summary.column_dimensions["B"].width = 80
    for row in summary.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, horizontal="left")
    workbook.properties.title = f"行政处罚先例：{table.filters.title()}"
    workbook.properties.creator = "regkb"
    write_atomically(Path(output), lambda path: workbook.save(path))


# --- DOCX ---------------------------------------------------------------------------------------------------------

DOCX_WIDTHS_CM = {"文号": 2.3, "决定日期": 1.9, "处罚机关": 2.2, "地区": 1.9, "当事人": 2.8, "当事人类型": 1.5,
                  "违法违规事实": 4.4, "处罚依据": 3.2, "处罚决定": 2.8, FINE: 1.9, "来源链接": 2.3}


def write_docx(table: PrecedentTable, output: str | Path) -> None:
    """A landscape Word document: a heading with the filters and the database's date, the table, a 合计 row."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.2))
    normal = document.styles["Normal"]
    normal.font.size = Pt(9)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")

    s = table.summary()
    document.add_heading(f"行政处罚先例：{table.filters.title()}", level=1)
    document.add_heading(f"数据库日期：{table.built_at.date().isoformat()}（数据截至 {_day(table.data_as_of)}）", level=2)
    conditions = "；".join(f"{label}：{value}" for label, value in table.filters.described()) or "无（全部决定）"
    document.add_paragraph(f"筛选条件：{conditions}")
    fines = (f"罚款金额最低 {_yuan(s['min_fine_yuan'])}、中位数 {_yuan(s['median_fine_yuan'])}、"
             f"最高 {_yuan(s['max_fine_yuan'])}、合计 {_yuan(s['total_fine_yuan'])} 元" if s["fined_parties"]
             else "无单列罚款金额")
    document.add_paragraph(f"共 {s['parties']} 名受处罚当事人，{s['decisions']} 份处罚决定；"
                           f"{s['fined_parties']} 名当事人有罚款金额，{fines}。")
    document.add_paragraph(f"数据库 {table.database.resolve()}，构建于 {table.built_at.isoformat(sep=' ')}；"
                           f"导出于 {table.exported_at.isoformat(sep=' ')}。")

    grid = document.add_table(rows=1, cols=len(HEADERS))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    header = grid.rows[0]
    _repeat_as_header(header)
    for cell, name in zip(header.cells, HEADERS):
        cell.text = ""
        run = cell.paragraphs[0].add_run(name)
        run.bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, name in zip(cells, HEADERS):
            value = row[name]
            if name == "来源链接" and value:
                _hyperlink(cell.paragraphs[0], value, value)
            elif name == FINE:
                cell.text = _yuan(value)
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            else:
                cell.text = value.isoformat() if isinstance(value, date) else _text(value)
    total = grid.add_row().cells
    total[0].text = "合计"
    total[0].paragraphs[0].runs[0].bold = True
    total[HEADERS.index("当事人")].text = f"{s['parties']} 名当事人"
    total[HEADERS.index(FINE)].text = _yuan(s["total_fine_yuan"])
    total[HEADERS.index(FINE)].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for column, name in zip(grid.columns, HEADERS):
        column.width = Cm(DOCX_WIDTHS_CM[name])     # the grid, which LibreOffice reads
    for row in grid.rows:
        for cell, name in zip(row.cells, HEADERS):
            cell.width = Cm(DOCX_WIDTHS_CM[name])   # each cell, which Word reads
    document.core_properties.title = f"行政处罚先例：{table.filters.title()}"
    document.core_properties.author = "regkb"
    write_atomically(Path(output), lambda path: document.save(path))


def _yuan(value: float | None) -> str:
    """1234567.5 → 1,234,567.50; whole yuan without decimals."""
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _repeat_as_header(row) -> None:
    """Word repeats this row at the top of every page the table runs onto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _hyperlink(paragraph, url: str, text: str) -> None:
    """python-docx has no hyperlink API: a w:hyperlink with an external relationship, styled as a link."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "0563C1")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.extend([color, underline])
    run.append(properties)
    content = OxmlElement("w:t")
    content.text = text
    run.append(content)
    link.append(run)
    paragraph._p.append(link)


WRITERS = {"xlsx": write_xlsx, "csv": write_csv, "docx": write_docx}

__all__ = ["HEADERS", "FORMATS", "NothingMatches", "PrecedentTable", "precedent_table", "export_precedents",
           "write_csv", "write_xlsx", "write_docx"]
