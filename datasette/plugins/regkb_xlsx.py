"""The web's Excel export in Chinese: every table, filtered table, canned query and SQL query as ``.xlsx``.

Replaces datasette-xlsx (whose headers are the column names, whose lists stay JSON and whose second sheet is Swedish)
under the same extension and URLs (``/regkb/decisions.xlsx?province=四川省``), so Datasette's own export link on
table and query pages leads here. What a person opening the workbook gets:

- headers are the columns' Chinese names, read from their help (「省份 Province of the authority」 → 「省份」, as
  regkb_labels shows them on the page); a query's columns take the name of the table column they come from;
- JSON lists are written as Chinese lists: ``["罚款", "警告"]`` → 「罚款、警告」;
- ISO dates are Excel dates, amounts in yuan numbers formatted as yuan (``#,##0.00"元"``), years plain numbers;
- codes by their Chinese names, as every page shows them (regkb/names.py): 地市级机构 for sub-bureau, 证券市场禁入
  for market_ban, 个人 for individual, each source by its publisher;
- a second sheet, 「导出说明」: what was exported (table or query, filters, parameters, sort), how many rows, when
  the database was built and how current its data is, the source and licence, the columns' own names. Never a
  path on the server.

The limits are the plugin's configuration (``plugins: regkb-xlsx: {max_rows, time_limit_ms}`` in metadata.yml;
datasette-xlsx's block is read while it is still there): a table is paged through Datasette's own JSON (so every
filter, search and sort is Datasette's, and each page has the site's SQL time limit), a query is run again without
the page's row limit but within ``time_limit_ms``.
"""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
import urllib.parse
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from datasette.utils import sqlite_timelimit
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from datasette import hookimpl
from nlp.schema import TABLES as PARTS
from regkb.names import value_name

CONFIG_NAMES = ("regkb-xlsx", "datasette-xlsx")    # the second while metadata.yml still names the old plugin
DEFAULT_MAX_ROWS, DEFAULT_TIME_LIMIT_MS = 10_000, 3_000
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ABOUT_SHEET = "导出说明"
LICENCE = "数据为监管机构依政府信息公开发布的行政处罚决定；regkb 的代码以 Apache-2.0 许可发布"
YUAN_FORMAT, WAN_YUAN_FORMAT, DATE_FORMAT, DATETIME_FORMAT = '#,##0.00"元"', '#,##0.00"万元"', "yyyy-mm-dd", \
    "yyyy-mm-dd hh:mm:ss"
EXCEL_MAX_CELL, EXCEL_MAX_INT = 32_767, 10**15
WIDTH_SAMPLE, MIN_WIDTH, MAX_WIDTH = 1000, 8, 60
BEIJING = timezone(timedelta(hours=8))

# Where a query's column is looked for when the query names no table: the decision's own tables first.
TABLE_ORDER = ("decisions", "parties", "sanctions", "citations", "decision_categories", "decision_subcategories",
               "authorities", "regions", "mentions", "entities", "categories", "raw_documents", "duplicates",
               "quarantine", "redactions")
# Key columns, whose help opens with 主键 (or names the table they point to)
KEY_LABELS = {"decision_id": "决定编号", "party_id": "当事人编号", "sanction_id": "处罚编号",
              "citation_id": "引用编号", "mention_id": "报道编号", "entity_id": "实体编号", "copy_id": "副本编号",
              "redaction_id": "更正编号"}
# Columns the canned queries compute, which no table has
QUERY_LABELS = {"relevance": "相关度", "total_fine_wan_yuan": "罚款合计（万元）", "decisions": "决定数",
                "fined_decisions": "有罚款的决定数", "largest_fine_yuan": "最大单笔罚款（元）",
                "parent_group": "所属集团", "institutions": "机构数", "fines_yuan": "罚款合计（元）",
                "first_decision": "首次决定日期", "latest_decision": "最近决定日期", "sanction": "处罚种类",
                "term": "期限", "cited": "引用条款", "atom_id": "条目编号", "atom_title": "条目标题",
                "atom_updated": "更新时间", "atom_link": "链接", "atom_author_name": "处罚机关",
                "atom_content": "摘要"}
OPERATORS = {"exact": "等于", "not": "不等于", "contains": "包含", "endswith": "结尾为", "startswith": "开头为",
             "gt": "大于", "gte": "大于等于", "lt": "小于", "lte": "小于等于", "like": "匹配（like）",
             "notlike": "不匹配（like）", "glob": "匹配（glob）", "in": "属于", "notin": "不属于",
             "arraycontains": "列表包含", "arraynotcontains": "列表不包含", "date": "日期为", "isnull": "为空",
             "notnull": "不为空", "isblank": "为空白", "notblank": "不为空白"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")
_LEADING_CHINESE = re.compile(r"^\s*([^\sA-Za-z][^\s]*)\s")


class ExportRefused(Exception):
    """What the visitor is told instead of a workbook (400)."""


def zh_label(description) -> str:
    """「省份 Province of the authority」 → 「省份」 (regkb_labels' rule: a plugin file cannot import another)."""
    match = _LEADING_CHINESE.match(str(description or "") + " ")
    return match.group(1) if match and re.search(r"[\u4e00-\u9fff]", match.group(1)) else ""


def _named(column: str, value: str) -> str:
    """A coded value by its Chinese name (regkb/names.py, as every page shows it); a mention's ``sanction`` holds the
    sanction types' codes. Any other value as it is."""
    return value_name("type" if column == "sanction" else column, value)


# 0/1 columns of the declared shape (a lifetime ban), written 是/否
BOOLEANS = {f.name for part in PARTS.values() for f in part.fields if f.type == "boolean"}


@hookimpl(trylast=True)   # last, so this is the .xlsx renderer Datasette keeps even beside datasette-xlsx
def register_output_renderer(datasette):
    return {"extension": "xlsx", "render": render_xlsx, "can_render": can_render}


def can_render(view_name):
    return view_name in ("table", "database", "query", "row")


async def render_xlsx(datasette, request, database, table, sql, query_name, columns, rows, view_name, data):
    config = _config(datasette, database, table)
    max_rows = int(config.get("max_rows", DEFAULT_MAX_ROWS))
    time_limit_ms = int(config.get("time_limit_ms", DEFAULT_TIME_LIMIT_MS))
    columns = list(columns)
    try:
        if view_name == "row":
            found, total = [[row[c] for c in columns] if isinstance(row, dict) else list(row) for row in rows], None
        elif table:
            found, total = await _table_rows(datasette, request, columns, max_rows)
        else:
            if query_name:
                canned = await datasette.get_canned_query(database, query_name, request.actor)
                if canned and canned.get("write"):
                    raise ExportRefused("写入数据的查询不能导出。")
            params = (data.get("query") or {}).get("params") or {}
            found, total = await _query_rows(datasette.get_database(database), sql, params, max_rows,
                                             time_limit_ms)
    except ExportRefused as refusal:
        return {"body": str(refusal), "status_code": 400, "content_type": "text/plain; charset=utf-8"}
    labels = _labels(datasette, database, table, columns)
    title = _title(datasette, database, table, query_name)
    about = await _about(datasette, request, database, table, query_name, sql, view_name, data, columns, labels,
                         found, total, max_rows)
    body = _workbook(title, columns, labels, found, about)
    ascii_name = table or query_name or database
    return {"body": body, "content_type": CONTENT_TYPE,
            "headers": {"content-disposition": _attachment(title or ascii_name, ascii_name)}}


def _config(datasette, database, table) -> dict:
    for name in CONFIG_NAMES:
        config = datasette.plugin_config(name, database=database, table=table)
        if config:
            return config
    return {}


# --- rows -------------------------------------------------------------------------------------------------------

async def _table_rows(datasette, request, columns, max_rows) -> tuple[list[list], int | None]:
    """Every row the table page selects, through Datasette's own JSON pages (its filters, search, sort)."""
    path = request.path[: -len(".xlsx")] + ".json"
    base_url = datasette.setting("base_url")
    if base_url != "/" and path.startswith(base_url):
        path = "/" + path[len(base_url):]   # datasette.client adds base_url itself
    args = [(k, v) for k, v in urllib.parse.parse_qsl(request.query_string, keep_blank_values=True)
            if k not in ("_next", "_size", "_shape", "_format", "_extra", "_labels")]
    args += [("_size", "max"), ("_shape", "objects")]
    headers = {"authorization": request.headers["authorization"]} if "authorization" in request.headers else {}
    found: list[list] = []
    total, next_token = None, None
    while len(found) < max_rows:
        query = urllib.parse.urlencode(args + ([("_next", next_token)] if next_token else []))
        response = await datasette.client.get(f"{path}?{query}", cookies=request.cookies, headers=headers)
        if response.status_code != 200:
            raise ExportRefused(f"无法导出：数据页返回 {response.status_code}。{_error_text(response)}")
        page = response.json()
        if total is None:
            total = page.get("filtered_table_rows_count")
        for row in page.get("rows", []):
            found.append([row.get(c) for c in columns])
            if len(found) >= max_rows:
                break
        next_token = page.get("next")
        if not next_token:
            break
    return found, total


def _error_text(response) -> str:
    try:
        return str(response.json().get("error") or "")
    except ValueError:
        return ""


async def _query_rows(db, sql, params, max_rows, time_limit_ms) -> tuple[list[list], int | None]:
    """The query again, without the page's row limit (max_rows instead), within the time limit."""

    def run(conn):
        found = []
        with sqlite_timelimit(conn, time_limit_ms):
            for row in conn.execute(sql, params or {}):
                if len(found) >= max_rows:
                    return found, None      # more than max_rows: the total is not known
                found.append(list(row))
        return found, len(found)

    try:
        return await db.execute_fn(run)
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            raise ExportRefused(f"查询超过 {time_limit_ms / 1000:g} 秒的时限，没有导出：请缩小查询范围后再试。") \
                from error
        raise ExportRefused(f"查询出错，没有导出：{error}") from error


# --- labels and values ---------------------------------------------------------------------------------------------

def _column_help(datasette, database, table) -> dict[str, str]:
    return (datasette.table_metadata(database, table) or {}).get("columns") or {}


def _labels(datasette, database, table, columns) -> list[str]:
    """Each column's Chinese name; a column no table describes keeps its own name. Made unique for Excel."""
    helps = [_column_help(datasette, database, table)] if table else \
        [_column_help(datasette, database, name) for name in TABLE_ORDER]
    labels, seen = [], set()
    for column in columns:
        label = KEY_LABELS.get(column, "") if table else KEY_LABELS.get(column) or QUERY_LABELS.get(column, "")
        for columns_help in helps:
            if label:
                break
            found = zh_label(columns_help.get(column))
            label = "" if found == "主键" else found
        label = label or str(column)
        if label in seen:
            label = f"{label}（{column}）"
        seen.add(label)
        labels.append(label)
    return labels


def _title(datasette, database, table, query_name) -> str:
    """The Chinese half of a table's or query's title (「处罚决定 · Decisions」 → 「处罚决定」)."""
    if table:
        title = (datasette.table_metadata(database, table) or {}).get("title") or ""
    elif query_name:
        title = ((datasette.metadata("queries", database=database) or {}).get(query_name) or {}).get("title") or ""
    else:
        title = "查询结果"
    return title.split("·")[0].strip()


def _list(value: str):
    """A JSON list of scalars → its items, else None (text that merely starts with a bracket)."""
    if not (value.startswith("[") and value.endswith("]")):
        return None
    try:
        items = json.loads(value)
    except ValueError:
        return None
    if isinstance(items, list) and all(isinstance(item, (str, int, float)) for item in items):
        return items
    return None


def _typed(value, column: str):
    """(value as Excel should hold it, number format or None)."""
    if value is None or isinstance(value, bool):
        return value, None
    if isinstance(value, dict) and "value" in value:      # _labels=on: a foreign key's label
        value = value.get("label") or value.get("value")
    if column in BOOLEANS and value in (0, 1):
        return ("是" if value else "否"), None
    if isinstance(value, (int, float)):
        if column.endswith("_wan_yuan"):
            return value, WAN_YUAN_FORMAT
        if column.endswith("_yuan"):
            return value, YUAN_FORMAT
        if isinstance(value, int) and abs(value) >= EXCEL_MAX_INT:
            return str(value), None                        # more digits than a double keeps
        if isinstance(value, int) and column == "year":
            return value, "0"
        return value, None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"（二进制数据，{len(value)} 字节）", None
    text = str(value)
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text), DATE_FORMAT
        except ValueError:
            pass
    if _ISO_TIME.fullmatch(text):
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo:      # the archive's UTC, as the 导出说明 sheet says: Beijing time
                moment = moment.astimezone(BEIJING)
            return moment.replace(tzinfo=None, microsecond=0), DATETIME_FORMAT
        except ValueError:
            pass
    items = _list(text)
    if items is not None:
        return "、".join(str(_named(column, str(item))) for item in items), None
    return _named(column, text), None


def _cell(sheet, value, number_format=None, font=None):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > EXCEL_MAX_CELL:
            value = value[: EXCEL_MAX_CELL - 10] + "…（已截断）"
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value:
        cell.data_type = "s"          # never a formula, whatever the text starts with
    if number_format:
        cell.number_format = number_format
    if font:
        cell.font = font
    return cell


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 19
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        return len(f"{value:,.2f}") + 1
    text = str(value)
    # a Chinese character takes two columns' width
    return max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in line) for line in text.splitlines() or [""]), default=0)


# --- the workbook -------------------------------------------------------------------------------------------------

def _workbook(title: str, columns: list[str], labels: list[str], found: list[list], about: list[tuple]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(title or "导出"))
    typed = [[_typed(value, column) for value, column in zip(row, columns)] for row in found]
    widths = [_width(label) + 2 for label in labels]
    for row in typed[:WIDTH_SAMPLE]:
        for index, (value, number_format) in enumerate(row):
            widths[index] = max(widths[index], _width(value) + (2 if number_format == YUAN_FORMAT else 0))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 1, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    header = []
    for label in labels:
        cell = _cell(sheet, label, font=bold)
        cell.fill, cell.alignment = fill, Alignment(horizontal="center", vertical="center")
        header.append(cell)
    sheet.append(header)
    for row in typed:
        sheet.append([_cell(sheet, value, number_format) for value, number_format in row])
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(found) + 1, 2)}"

    notes = workbook.create_sheet(ABOUT_SHEET)
    notes.column_dimensions["A"].width, notes.column_dimensions["B"].width = 22, 90
    for label, value in about:
        font = bold if label and value == "" else None
        notes.append([_cell(notes, label, font=bold if label else None), _cell(notes, value, font=font)])
    workbook.properties.title = title or "导出"
    workbook.properties.creator = "regkb"
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        return handle.read()


def _sheet_title(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "_", name).strip("'")[:31] or "导出"


def _attachment(name: str, ascii_name: str) -> str:
    name = re.sub(r'[\\/:*?"<>|\r\n]+', "_", name) + ".xlsx"
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name) + ".xlsx"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{urllib.parse.quote(name)}"


# --- 导出说明 ------------------------------------------------------------------------------------------------------

async def _about(datasette, request, database, table, query_name, sql, view_name, data, columns, labels, found,
                 total, max_rows) -> list[tuple[str, object]]:
    """(label, value) lines of the 导出说明 sheet; a label with an empty value heads a section."""
    from regkb.export import beijing, publishers

    database_title = (datasette.metadata("title", database=database) or database).split("·")[0].strip()
    table_labels = dict(zip(columns, labels))
    lines: list[tuple[str, object]] = [("导出内容", "")]
    if view_name == "row":
        lines.append(("表", f"{_title(datasette, database, table, None)}（{table}），单行"))
    elif table:
        lines.append(("表", f"{_title(datasette, database, table, None)}（{table}）"))
        lines += _table_filters(datasette, database, table, request)
    elif query_name:
        lines.append(("查询", f"{_title(datasette, database, None, query_name)}（{query_name}）"))
        params = (data.get("query") or {}).get("params") or {}
        lines += [(f"参数 {table_labels.get(name) or _labels(datasette, database, None, [name])[0]}",
                   value if value not in (None, "") else "（空：不限）") for name, value in params.items()]
    else:
        lines += [("查询", "自定义 SQL 查询"), ("SQL", sql or "")]
        params = (data.get("query") or {}).get("params") or {}
        lines += [(f"参数 {name}", value) for name, value in params.items()]
    count = len(found)
    if count >= max_rows and (total is None or total > count):
        known = f"共 {total} 行，" if total is not None else ""
        lines.append(("行数", f"{count}（{known}达到导出上限 {max_rows} 行，其余未导出）"))
    elif total is not None and total != count:
        lines.append(("行数", f"{count}（页面统计为 {total} 行）"))
    else:
        lines.append(("行数", count))
    lines.append(("网页", urllib.parse.unquote(request.url.replace(".xlsx", "", 1))))

    lines += [("", ""), ("数据", "")]
    lines.append(("数据库", f"{database_title}（{database}）"))
    built, fetched, sources = await _database_facts(datasette, database)
    if built:
        lines.append(("数据库构建时间", beijing(built)))
    if fetched:
        lines.append(("数据截至（最后抓取）", beijing(fetched)))
    if sources:
        lines.append(("数据来源", publishers(sources)))
    lines.append(("许可", LICENCE))
    lines.append(("导出时间", beijing(datetime.now())))
    lines.append(("时间", "带时区的时间（如抓取时间）已换算为北京时间（UTC+8）；日期为原文所载"))

    lines += [("", ""), ("列", "")]
    lines += [(label, column) for label, column in zip(labels, columns)]
    return lines


def _table_filters(datasette, database, table, request) -> list[tuple[str, str]]:
    """The page's filters in words: 「省份 等于 四川省」, 检索词, 排序."""
    helps = _column_help(datasette, database, table)

    def name(column: str) -> str:
        return zh_label(helps.get(column)) or column

    lines = []
    for key, value in urllib.parse.parse_qsl(request.query_string, keep_blank_values=True):
        if key.startswith("_"):
            if key == "_search" or key.startswith("_search_"):
                lines.append(("检索词", value))
            elif key == "_where":
                lines.append(("条件（SQL）", value))
            elif key in ("_sort", "_sort_desc"):
                lines.append(("排序", f"按 {name(value)} {'降序' if key == '_sort_desc' else '升序'}"))
            elif key in ("_col", "_nocol"):
                lines.append(("所选列", f"{'只含' if key == '_col' else '不含'} {name(value)}"))
            continue
        column, _, operator = key.rpartition("__") if "__" in key else (key, "", "exact")
        if operator not in OPERATORS:
            column, operator = key, "exact"
        shown = "" if operator in ("isnull", "notnull", "isblank", "notblank") else f" {value}"
        lines.append(("筛选", f"{name(column)} {OPERATORS[operator]}{shown}"))
    if not any(label in ("筛选", "检索词", "条件（SQL）") for label, _ in lines):
        lines.insert(0, ("筛选", "无（全部行）"))
    return lines


async def _database_facts(datasette, database) -> tuple[datetime | None, str | None, list[str]]:
    """When the database file was built (its time, never its path), the last fetch of a document in it, and the
    sources its decisions come from."""
    db = datasette.get_database(database)
    built = datetime.fromtimestamp(Path(db.path).stat().st_mtime) if db.path else None
    fetched = None
    if await db.table_exists("raw_documents"):
        fetched = (await db.execute("select max(fetched_at) from raw_documents")).first()[0]
    sources = []
    if await db.table_exists("decisions"):
        sources = [row[0] for row in await db.execute("select distinct source from decisions order by 1")]
    return built, fetched, sources
