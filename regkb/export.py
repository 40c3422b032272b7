"""Precedent tables for legal teams: one row per sanctioned party, with Chinese headers, as XLSX, CSV or DOCX.

    from regkb.export import export_precedents
    from regkb.kb import Filters

    table = export_precedents(Filters(law="中华人民共和国银行业监督管理法", article="第四十六条"), "p.xlsx")
    table.summary()["fined_parties"], table.summary()["total_fine_yuan"]

The rows are ``KnowledgeBase.precedents`` (so the API, the notebooks and the exports agree), newest decision first;
each party's 处罚决定 is its own sanctions, from the ``sanctions`` table (``KnowledgeBase.sanctions``, the same
filters): 「警告；罚款 7,500,000 元；证券市场禁入 10 年」 for one of the eleven parties of 证监会〔2026〕10号, not the
decision's whole paragraph, which names all eleven.

What each format is for:

- **XLSX and CSV** are the precedent table a legal team sorts and filters: one row per party, and every row whole.
  The facts and the legal basis stay on each party's row although they repeat for the parties of one decision,
  because a spreadsheet is sorted by fine, filtered by party type or copied row by row into a memo, and a row
  that needed another sheet to say what the party did would be wrong the moment it is moved. The XLSX adds a
  「处罚决定」 sheet, one row per decision, with what belongs to the decision once: its parties, total fine and the
  decision paragraph as written (the wording a brief quotes); and a 「汇总」 sheet.
- **DOCX** is read, not sorted: each decision once, under its heading (文号, authority, date, link), its facts,
  legal basis and decision paragraph once, then a table of its parties, each with its own sanctions and fine. An
  overview table of the decisions comes first.

No file says where the database is on the machine that wrote it: the database is named by its build time, how
current its data is and the regulators it comes from. Times are Beijing time, the decisions' own.
A file is written whole or not at all: into a temporary file beside it, moved into place when complete.
"""

from __future__ import annotations

import csv
import os
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pandas as pd

from nlp.schema import VALUE_NAMES
from regkb.kb import Article, Filters, KnowledgeBase, KnowledgeBaseError, NoDatabase, NotFound

HEADERS = ["文号", "决定日期", "处罚机关", "地区", "当事人", "当事人类型", "违法违规事实", "处罚依据", "处罚决定",
           "罚款金额（元）", "来源链接"]
# one row per decision (the XLSX's 处罚决定 sheet; the DOCX's overview and headings)
DECISION_HEADERS = ["文号", "决定日期", "发布日期", "处罚机关", "地区", "当事人数", "当事人", "违法违规事实",
                    "处罚依据", "处罚决定（原文）", "罚款合计（元）", "来源链接"]
FORMATS = ("xlsx", "csv", "docx")
FINE = "罚款金额（元）"
TOTAL_FINE = "罚款合计（元）"
KINDS = VALUE_NAMES["kind"]     # institution → 机构, individual → 个人, as every page says it
BEIJING = timezone(timedelta(hours=8), "北京时间")
DATABASE_NAME = "regkb 中国金融监管行政处罚知识库"
# a party whose sanctions the extractor could not tell apart from its co-parties' (never the whole paragraph again)
NOT_SEPARATED = "（本决定未分列各当事人的处罚，见处罚决定原文）"


class NothingMatches(KnowledgeBaseError):
    pass


@dataclass
class Case:
    """One decision of an export: its values (DECISION_HEADERS → value) and its parties' rows (HEADERS → value)."""

    values: dict
    parties: list[dict]


@dataclass
class PrecedentTable:
    """The rows of an export (header → value), the filters that chose them and which database they came from.

    ``database`` is where it was read, for the caller; no file is given it. ``cases`` groups the rows by decision
    (made from the rows when not given); ``sources`` are the regulators' registry names (nfra, pboc, csrc)."""

    rows: list[dict]
    filters: Filters
    database: Path
    built_at: datetime
    data_as_of: str | None
    decisions: int
    exported_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
    cases: list[Case] = field(default_factory=list)
    sources: tuple[str, ...] = ()
    article: Article | None = None      # the article asked for, as the base holds it (its current words)

    def __post_init__(self) -> None:
        if not self.cases:
            self.cases = _cases_from_rows(self.rows)

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
        if self.article is not None:
            lines += [("条文", article_heading(self.article)), ("条文内容", self.article.text)]
        lines += [
            ("当事人（行）数", s["parties"]), ("决定数", s["decisions"]),
            ("有罚款金额的当事人数", s["fined_parties"]),
            ("最低罚款（元）", s["min_fine_yuan"]), ("罚款中位数（元）", s["median_fine_yuan"]),
            ("最高罚款（元）", s["max_fine_yuan"]), ("罚款合计（元）", s["total_fine_yuan"]),
            ("数据库", DATABASE_NAME),
            ("数据来源", publishers(self.sources)),
            ("数据库构建时间", beijing(self.built_at)),
            ("数据截至（最后抓取）", beijing(self.data_as_of)),
            ("导出时间", beijing(self.exported_at)),
        ]
        return lines


def precedent_table(kb: KnowledgeBase, filters: Filters) -> PrecedentTable:
    """The rows for ``filters``; NothingMatches (nothing to write) when no sanctioned party matches."""
    filters = kb.resolve(filters)
    frame = kb.precedents(filters=filters)
    if frame.empty:
        raise NothingMatches(f"no sanctioned party matches {filters.title()} in {kb.path}; nothing was written")
    sanctions: dict[str, list[dict]] = {}
    for sanction in kb.sanctions(filters=filters).to_dict("records"):
        sanctions.setdefault(sanction["party_id"], []).append(sanction)
    records = frame.to_dict("records")
    co_parties = frame.groupby("decision_id")["party_id"].count().to_dict()
    rows = [_row(record, sanctions.get(record["party_id"], []), co_parties[record["decision_id"]])
            for record in records]
    cases: dict[str, Case] = {}
    for record, row in zip(records, rows):
        case = cases.get(record["decision_id"])
        if case is None:
            case = cases[record["decision_id"]] = Case(_decision_values(record, row), [])
        case.parties.append(row)
    for case in cases.values():
        _complete(case)
    sources = tuple(row[0] for row in kb.connection.execute(
        f"select distinct source from decisions where decision_id in ({','.join('?' * len(cases))}) order by 1",
        list(cases)))
    return PrecedentTable(rows=rows, filters=filters, database=kb.path, built_at=kb.built_at,
                          data_as_of=kb.data_as_of, decisions=len(cases), cases=list(cases.values()),
                          sources=sources, article=_article(kb, filters))


def _article(kb: KnowledgeBase, filters: Filters) -> Article | None:
    """The words of the article the export is about, where the base holds its law (its current text)."""
    if not (filters.law and filters.article):
        return None
    try:
        return kb.article(filters.law, filters.article)
    except (NotFound, NoDatabase):
        return None


def article_heading(article: Article) -> str:
    """「《中华人民共和国银行业监督管理法》第四十六条（第五章 法律责任；自2006-10-31起施行的文本）」."""
    where = "；".join(part for part in (article.chapter, article.effective_from and
                                        f"自{article.effective_from}起施行的文本") if part)
    return f"《{article.law}》{article.article}" + (f"（{where}）" if where else "")


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


def _row(record: dict, sanctions: list[dict], co_parties: int) -> dict:
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
        "处罚决定": _own_sanctions(record, sanctions, co_parties),
        FINE: float(record["fine_yuan"]) if _present(record["fine_yuan"]) else None,
        "来源链接": _text(record["url"]),
    }


def sanction_phrase(sanction: dict) -> str:
    """One sanction as a legal team lists it: 罚款 7,500,000 元 · 证券市场禁入 10 年 · 证券市场禁入 终身 · 警告."""
    phrase = _text(sanction["label"]) or _text(sanction["type"])
    if _present(sanction.get("amount_yuan")):
        phrase += f" {_yuan(float(sanction['amount_yuan']))} 元"
    if sanction.get("lifetime") is True or sanction.get("lifetime") == 1:
        phrase += " 终身"
    elif _present(sanction.get("years")):
        phrase += f" {int(sanction['years'])} 年"
    return phrase


def _own_sanctions(record: dict, sanctions: list[dict], co_parties: int) -> str:
    """The party's own sanctions: its rows of the sanctions table; else the words read for it alone; else, for
    the only party of a decision, the decision's paragraph; a party among several whose sanctions were not told
    apart says so instead of repeating the paragraph that names them all."""
    if sanctions:
        return "；".join(sanction_phrase(s) for s in sorted(sanctions, key=lambda s: s["ordinal"]))
    own, whole = _text(record["sanctions_text"]), _text(record["decision_text"])
    if own and (own != whole or co_parties == 1):
        return own
    if co_parties == 1:
        return whole
    return NOT_SEPARATED if whole else ""


def _decision_values(record: dict, row: dict) -> dict:
    published = record["publish_date"]
    return {"文号": row["文号"], "决定日期": row["决定日期"],
            "发布日期": published.date() if _present(published) else None,
            "处罚机关": row["处罚机关"], "地区": row["地区"],
            "当事人数": 0, "当事人": "", "违法违规事实": row["违法违规事实"], "处罚依据": row["处罚依据"],
            "处罚决定（原文）": _text(record["decision_text"]), TOTAL_FINE: None, "来源链接": row["来源链接"],
            "标题": _text(record["title"])}


def _complete(case: Case) -> None:
    """The decision's party count, names and total fine, from the parties the export holds."""
    fines = [party[FINE] for party in case.parties if party[FINE] is not None]
    case.values["当事人数"] = len(case.parties)
    case.values["当事人"] = "、".join(party["当事人"] for party in case.parties)
    case.values[TOTAL_FINE] = sum(fines) if fines else None


def _cases_from_rows(rows: list[dict]) -> list[Case]:
    """Cases for a table made by hand from rows alone: a decision is its 文号 and link."""
    cases: dict[tuple, Case] = {}
    for row in rows:
        key = (row.get("文号"), row.get("来源链接"))
        if key not in cases:
            cases[key] = Case({**{name: row.get(name) for name in DECISION_HEADERS}, "处罚决定（原文）": "",
                               "标题": ""}, [])
        cases[key].parties.append(row)
    for case in cases.values():
        _complete(case)
    return list(cases.values())


def publishers(sources: tuple[str, ...] | list[str]) -> str:
    """The regulators a database's decisions come from, by their Chinese names and sites (sources/*/source.yaml):
    「国家金融监督管理总局（https://www.nfra.gov.cn）、…」."""
    import sources as registry
    from regkb.names import source_names

    named = [f"{source_names()[name]}（{registry.get(name).facts.base_url}）" for name in sources]
    return "、".join(named) + "公开的行政处罚决定（政府信息公开）" if named else ""


def beijing(moment: datetime | str | None) -> str:
    """A time as Beijing time, the decisions' own: a naive datetime is this machine's local time, an ISO string
    with an offset (the archive's UTC) is converted; 「2026-01-02 08:00:00（北京时间）」."""
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(BEIJING).replace(microsecond=0, tzinfo=None).isoformat(sep=" ") + "（北京时间）"


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and value != value) and value is not pd.NaT \
        and value != ""


def _text(value) -> str:
    return str(value) if _present(value) else ""


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

WIDTHS = {"文号": 24, "决定日期": 12, "发布日期": 12, "处罚机关": 20, "地区": 18, "当事人": 32, "当事人类型": 12,
          "违法违规事实": 60, "处罚依据": 44, "处罚决定": 40, FINE: 16, "来源链接": 36,
          "当事人数": 10, "处罚决定（原文）": 60, TOTAL_FINE: 18}
_EXCEL_CELL_LIMIT = 32_767
YUAN_FORMAT = "#,##0.00"


def write_xlsx(table: PrecedentTable, output: str | Path) -> None:
    """A workbook for people: the parties (frozen bold header, filters, widths, wrapped text, links), a
    处罚决定 sheet with each decision once, and a 汇总 sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    parties = workbook.active
    parties.title = "处罚先例"
    _xlsx_sheet(parties, HEADERS, table.rows)
    parties.page_setup.orientation = "landscape"
    decisions = workbook.create_sheet("处罚决定")
    _xlsx_sheet(decisions, DECISION_HEADERS, [case.values for case in table.cases])
    decisions.page_setup.orientation = "landscape"

    bold = Font(bold=True)
    summary = workbook.create_sheet("汇总")
    summary.append(["项目", "值"])
    for cell in summary[1]:
        cell.font = bold
    for label, value in table.summary_lines():
        summary.append([label, value])
        if isinstance(value, float):
            summary.cell(row=summary.max_row, column=2).number_format = YUAN_FORMAT
    summary.column_dimensions["A"].width = 24
    summary.column_dimensions["B"].width = 80
    for row in summary.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, horizontal="left")
    workbook.properties.title = f"行政处罚先例：{table.filters.title()}"
    workbook.properties.creator = workbook.properties.lastModifiedBy = "regkb"
    write_atomically(Path(output), lambda path: workbook.save(path))


def _xlsx_sheet(sheet, headers: list[str], rows: list[dict]) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    def clean(text: str) -> str:
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
        return text if len(text) <= _EXCEL_CELL_LIMIT else text[:_EXCEL_CELL_LIMIT - 10] + "…（已截断）"

    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font, cell.alignment = bold, Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    link_font = Font(color="0563C1", underline="single")
    for number, row in enumerate(rows, start=2):
        for column, header in enumerate(headers, start=1):
            value = row[header]
            cell = sheet.cell(row=number, column=column)
            if header in (FINE, TOTAL_FINE):
                cell.value = value
                cell.number_format = YUAN_FORMAT
            elif header in ("决定日期", "发布日期"):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            elif header == "当事人数":
                cell.value = value
            else:
                text = clean(_text(value))
                cell.value = text or None
                if text:
                    cell.data_type = "s"   # never a formula, whatever the text starts with
                if header == "来源链接" and text:
                    cell.hyperlink = cell.value
                    cell.font = link_font
            cell.alignment = wrap
    for column, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = WIDTHS[header]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    sheet.print_title_rows = "1:1"


# --- DOCX ---------------------------------------------------------------------------------------------------------

OVERVIEW_HEADERS = ["序号", "文号", "决定日期", "处罚机关", "当事人数", TOTAL_FINE]
OVERVIEW_WIDTHS_CM = [1.2, 4.0, 2.2, 5.0, 1.6, 3.0]
PARTY_HEADERS = ["当事人", "当事人类型", "处罚决定", FINE]
PARTY_WIDTHS_CM = [5.6, 2.2, 6.2, 3.0]


def write_docx(table: PrecedentTable, output: str | Path) -> None:
    """A Word document a lawyer reads: a heading with the filters and the database's date, an overview of the
    decisions, then each decision once (its heading, facts, legal basis and decision paragraph) with a table of
    its parties, each with its own sanctions and fine."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    for side in ("top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")

    s = table.summary()
    built = beijing(table.built_at)
    document.add_heading(f"行政处罚先例：{table.filters.title()}", level=1)
    document.add_heading(f"数据库日期：{built[:10]}（数据截至 {beijing(table.data_as_of)[:10]}）", level=2)
    if table.article is not None:
        paragraph = document.add_paragraph()
        paragraph.add_run(article_heading(table.article)).bold = True
        for clause in table.article.text.split("\n"):
            document.add_paragraph(clause)
    conditions = "；".join(f"{label}：{value}" for label, value in table.filters.described()) or "无（全部决定）"
    document.add_paragraph(f"筛选条件：{conditions}")
    fines = (f"罚款金额最低 {_yuan(s['min_fine_yuan'])}、中位数 {_yuan(s['median_fine_yuan'])}、"
             f"最高 {_yuan(s['max_fine_yuan'])}、合计 {_yuan(s['total_fine_yuan'])} 元" if s["fined_parties"]
             else "无单列罚款金额")
    document.add_paragraph(f"共 {s['parties']} 名受处罚当事人，{s['decisions']} 份处罚决定；"
                           f"{s['fined_parties']} 名当事人有罚款金额，{fines}。")
    source = publishers(table.sources)
    document.add_paragraph(f"{DATABASE_NAME}，构建于 {built}；导出于 {beijing(table.exported_at)}。"
                           + (f"数据来源：{source}。" if source else ""))

    document.add_heading("决定一览", level=2)
    overview = _docx_table(document, OVERVIEW_HEADERS, OVERVIEW_WIDTHS_CM, [
        [str(number), case.values["文号"] or case.values.get("标题") or "", _date(case.values["决定日期"]),
         case.values["处罚机关"], str(case.values["当事人数"]), _yuan(case.values[TOTAL_FINE])]
        for number, case in enumerate(table.cases, start=1)])
    total = overview.add_row().cells
    total[0].text = "合计"
    total[0].paragraphs[0].runs[0].bold = True
    total[OVERVIEW_HEADERS.index("当事人数")].text = str(s["parties"])
    total[OVERVIEW_HEADERS.index(TOTAL_FINE)].text = _yuan(s["total_fine_yuan"])
    _align_right(overview, [OVERVIEW_HEADERS.index("当事人数"), OVERVIEW_HEADERS.index(TOTAL_FINE)])
    _set_widths(overview, OVERVIEW_WIDTHS_CM)

    for number, case in enumerate(table.cases, start=1):
        values = case.values
        # a decision published without a number goes by its title, and says so
        name = values["文号"] or f"{values.get('标题') or ''}（无文号）"
        document.add_heading(f"{number}. {name}\u3000{values['处罚机关']}", level=2)
        where = document.add_paragraph()
        published = _date(values.get("发布日期"))
        where.add_run(f"决定日期：{_date(values['决定日期']) or '（未载明）'}"
                      + (f"；发布日期：{published}" if published else "")
                      + (f"；地区：{values['地区']}" if values["地区"] else "") + "；原文：")
        if values["来源链接"]:
            _hyperlink(where, values["来源链接"], values["来源链接"])
        for label, name in (("违法违规事实", "违法违规事实"), ("处罚依据", "处罚依据"),
                            ("处罚决定（原文）", "处罚决定（原文）")):
            if values.get(name):
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{label}：").bold = True
                paragraph.add_run(values[name])
        parties = _docx_table(document, PARTY_HEADERS, PARTY_WIDTHS_CM, [
            [party["当事人"], party["当事人类型"], party["处罚决定"], _yuan(party[FINE])] for party in case.parties])
        if len(case.parties) > 1:
            total = parties.add_row().cells
            total[0].text = f"合计（{len(case.parties)} 名当事人）"
            total[0].paragraphs[0].runs[0].bold = True
            total[PARTY_HEADERS.index(FINE)].text = _yuan(values[TOTAL_FINE])
        _align_right(parties, [PARTY_HEADERS.index(FINE)])
        _set_widths(parties, PARTY_WIDTHS_CM)
    document.core_properties.title = f"行政处罚先例：{table.filters.title()}"
    document.core_properties.author = document.core_properties.last_modified_by = "regkb"
    document.core_properties.comments = ""
    write_atomically(Path(output), lambda path: document.save(path))


def _docx_table(document, headers: list[str], widths_cm: list[float], rows: list[list[str]]):
    from docx.enum.table import WD_TABLE_ALIGNMENT

    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    _repeat_as_header(grid.rows[0])
    for cell, name in zip(grid.rows[0].cells, headers):
        cell.text = ""
        cell.paragraphs[0].add_run(name).bold = True
    for row in rows:
        for cell, value in zip(grid.add_row().cells, row):
            cell.text = value
    return grid


def _align_right(grid, columns: list[int]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for row in grid.rows[1:]:
        for column in columns:
            row.cells[column].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _set_widths(grid, widths_cm: list[float]) -> None:
    from docx.shared import Cm

    for column, width in zip(grid.columns, widths_cm):
        column.width = Cm(width)     # the grid, which LibreOffice reads
    for row in grid.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)   # each cell, which Word reads


def _date(value) -> str:
    return value.isoformat() if isinstance(value, date) else _text(value)


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

__all__ = ["HEADERS", "DECISION_HEADERS", "FORMATS", "NothingMatches", "Case", "PrecedentTable", "precedent_table",
           "export_precedents", "article_heading", "sanction_phrase", "publishers", "beijing", "write_csv",
           "write_xlsx", "write_docx"]
