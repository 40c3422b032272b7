"""Values as a person reads them, on every table and query page: coded values by their Chinese names, JSON lists as
tags, amounts in yuan; and each table opening on the columns a researcher reads first.

* ``地市级机构`` for ``sub-bureau``, ``证券市场禁入`` for ``market_ban`` (regkb/names.py; the code stays in the page as
  the tooltip, and in the database, where filters and links use it);
* ``["罚款", "警告"]`` as two tags;
* ``17124000.0`` as ``17,124,000 元`` in every column named ``*_yuan``;
* no province as ``全国``: a head office's decision is national;
* a long text (facts, a decision paragraph) as its first lines on a table page, whole on the row's page.

JSON, CSV and the exports keep the stored values: this is only how a cell is shown.

The decisions, parties, sanctions and citations tables open on about eight columns (``DEFAULT_COLUMNS``), their
record's name first, linked to its page; ``?_col=`` chooses others, and the page links to every column.
"""

from __future__ import annotations

import json

from datasette.utils import path_with_removed_args, path_with_replaced_args
from markupsafe import Markup, escape

from datasette import hookimpl
from db.shape import TABLES
from nlp.schema import LIST_COLUMNS
from nlp.schema import TABLES as PARTS
from regkb.names import coded, value_name, yuan

DATABASE = "regkb"
# the columns holding JSON lists, in every table and in the canned queries that select them by name
LISTS = LIST_COLUMNS

# Texts of a paragraph or more: on a table page, a few lines each (a CSRC party's sanctions_text is the whole
# decision paragraph, eleven times on one page); the row's page shows them whole.
LONG_TEXTS = {"facts", "decision_text", "legal_basis", "sanctions_text", "text", "reason", "evidence", "body", "note"}
CLAMP_AFTER = 120

# What each table shows when no ?_col= asks otherwise: the first is shown as the record's name, linked to its page.
DEFAULT_COLUMNS = {
    "decisions": ["heading", "decision_date", "authority", "province", "party_names", "categories",
                  "total_fine_yuan", "sanction_types"],
    "parties": ["name", "kind", "role", "institution_type", "parent", "fine_yuan", "sanctions_text", "decision_id",
                "decision_date"],
    "sanctions": ["label", "party_id", "amount_yuan", "years", "lifetime", "text", "decision_id"],
    "citations": ["law", "article", "clause", "link", "article_id", "decision_id", "decision_date"],
    "texts": ["title", "kind", "issuer", "document_no", "publish_date", "effective_date", "status", "article_count"],
    "articles": ["article", "name", "chapter", "text", "effective_from", "effective_to"],
}


def shown_list(value) -> list | None:
    """The items of a JSON list cell, or None when the value is not one."""
    if not isinstance(value, str) or not value.startswith("["):
        return None
    try:
        items = json.loads(value)
    except ValueError:
        return None
    return items if isinstance(items, list) else None


@hookimpl
def render_cell(value, column, table, database, datasette):
    if database != DATABASE:
        return None
    if value is None:
        # a decision of a head office (总局, 总行, 证监会机关) has no province: it is national
        return Markup('<span class="national">全国</span>') if column == "province" else None
    if coded(column) and isinstance(value, str) and value_name(column, value) != value:
        return Markup(f'<span class="coded" title="{escape(value)}">{escape(value_name(column, value))}</span>')
    if column.endswith("_yuan") and isinstance(value, (int, float)):
        return Markup(f'<span class="yuan">{escape(yuan(value))}</span>')
    if column in LONG_TEXTS and isinstance(value, str) and len(value) > CLAMP_AFTER and table is not None:
        # a table page shows the opening lines (regkb.css); the row's own page shows it all
        return Markup(f'<div class="clamp">{escape(value)}</div>')
    if column in LISTS:
        items = shown_list(value)
        if items is not None:
            return Markup("".join(f'<span class="tag">{escape(str(item))}</span>' for item in items) or "—")
    return None


# Query pages: each column a canned query selects, by its Chinese name (a table's column by its field's label).
COLUMN_LABELS = {field.name: field.label for part in PARTS.values() for field in part.fields}
COLUMN_LABELS.update({
    "decision_id": "处罚决定", "relevance": "相关度", "cited": "引用条款", "total_fine_wan_yuan": "罚款合计（万元）",
    "decisions": "决定数", "fined_decisions": "罚款决定数", "largest_fine_yuan": "最大单笔罚款（元）",
    "parent_group": "所属集团", "institutions": "机构数", "fines_yuan": "罚款合计（元）", "first_decision": "首次",
    "latest_decision": "最近一次", "sanction": "处罚", "term": "期限", "name": "姓名或名称", "role": "职务",
    "text": "原文", "atom_id": "条目标识", "atom_title": "标题", "atom_updated": "更新时间", "atom_link": "链接",
    "atom_author_name": "作者（机关）", "atom_content": "内容", "total_fine_yuan": "罚款合计（元）",
    "decision_date": "决定日期",
})
# … and each parameter of its form
PARAMETER_LABELS = {"q": "检索词", "law": "法律（全称或简称）", "article": "条（46、第46条或第四十六条）",
                    "province": "省份（四川或四川省；全国）", "year": "年份", "institution_type": "机构类型",
                    "min_decisions": "至少几份决定", "name": "姓名", "category": "违法违规类别"}


@hookimpl
def extra_template_vars(view_name, table, request, datasette, database):
    labels = {"regkb_column_labels": COLUMN_LABELS, "regkb_parameter_labels": PARAMETER_LABELS}
    if view_name != "table" or database != DATABASE or table not in DEFAULT_COLUMNS or table not in TABLES \
            or request is None:
        return labels
    chosen = "_col" in request.args or "_nocol" in request.args
    all_columns = [column for column in TABLES[table]["columns"]]
    return {
        **labels,
        "regkb_columns": None if chosen else DEFAULT_COLUMNS[table],
        "regkb_all_columns_url": path_with_replaced_args(request, [("_col", column) for column in all_columns]),
        "regkb_default_columns_url": path_with_removed_args(request, {"_col", "_nocol"}),
        "regkb_column_count": len(all_columns),
    }


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["relabel_link"] = relabel_link
    env.filters["value_name"] = lambda value, column: value_name(column, value)


def relabel_link(cell_html, text) -> Markup:
    """A row's link (Datasette's ``<a href="…">nfra:9000011</a>``) with ``text`` as what it says."""
    html = str(cell_html)
    start, end = html.find(">") + 1, html.rfind("</a>")
    if not html.startswith("<a ") or start <= 0 or end < start or not text:
        return Markup(html)
    return Markup(html[:start] + str(escape(text)) + html[end:])
