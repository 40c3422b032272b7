"""The database shape as data: tables, primary keys, foreign keys and indexes, applied by ``ensure_shape(db)``.

Primary keys are derived from the source's own identifiers (``nfra:892530``, ``nfra:892530/1``, …), so they are the
same in every rebuild and links into Datasette keep working.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.db import DescIndex

from nlp.schema import TABLES as PARTS

# The decisions table's default facets (datasette/metadata.yml), for the covering indexes below.
FACETED = ["kind", "city", "authority_id", "authority_level", "source", "fine_band", "regulator", "doc_format",
           "categories", "sanction_types", "institution_types", "parent_groups", "review"]

# The tables a decision is loaded into take their columns from the decision's shape (nlp/schema.py); the others
# declare theirs here, each with its help text (the Chinese label first). Every table: what one row is, its primary
# key, foreign keys and indexes.
_OWN: dict[str, dict] = {
    "regions": {
        "title": "地区 · Regions",
        "description": "省份与地级市（行政区划）。Provinces and prefecture-level cities of the gazetteer.",
        "row": "province or city of the gazetteer",
        "columns": {"region_id": (str, "主键 Province, or province/city"), "province": (str, "省份 Province"),
                    "city": (str, "城市 City (null for a province's own row)")},
        "pk": "region_id",
        "indexes": [["province"], ["city"]],
    },
    "authorities": {
        "title": "处罚机关 · Authorities",
        "description": "作出处罚决定的机关，规范名称、层级与地区。Deciding authorities with canonical name, level and region.",
        "row": "deciding authority: canonical name, regulator, level, province, city",
        "columns": {"authority_id": (str, "主键 Canonical name"), "canonical": (str, "规范名称 Official full name"),
                    "regulator": (str, "监管机构 NFRA, CBIRC, CBRC, CIRC, PBOC, CSRC"),
                    "level": (str, "机关层级 head office · provincial bureau · sub-bureau · county branch"),
                    "province": (str, "省份 Province"), "city": (str, "城市 City"),
                    "region_id": (str, "地区 Key into regions"),
                    "names_seen": (str, "原文名称 Names under which this authority appears in decisions (JSON list)")},
        "pk": "authority_id",
        "foreign_keys": [("region_id", "regions", "region_id")],
        "indexes": [["regulator"], ["level"], ["province"], ["city"]],
    },
    "categories": {
        "title": "违法违规类别 · Categories",
        "description": "违法违规类别（多标签），顶层名称见 DOMAIN 分类。Violation categories, multi-label.",
        "row": "violation category of the taxonomy",
        "columns": {"category": (str, "主键 The category's name"), "position": (int, "排序 Its place in the taxonomy"),
                    "description": (str, "说明 What it covers")},
        "pk": "category",
    },
    "raw_documents": {
        "title": "原始文件 · Raw documents",
        "description": "抓取到的原始字节（按 sha256 存档）。The archived bytes every decision was read from; an office "
                       "attachment (.xlsx .pdf .doc …) is shown as its tables and text (rendering says so), its bytes in "
                       "the archive.",
        "row": "archived body a decision was read from (an office attachment: its tables and text as HTML, "
               "`rendering` says so)",
        "columns": {"sha256": (str, "主键 sha256 of the bytes, their name in the archive"),
                    "source": (str, "来源 nfra, pboc or csrc"), "doc_id": (str, "文档编号 The site's document id"),
                    "url": (str, "抓取地址 The address the bytes were fetched from"),
                    "fetched_at": (str, "抓取时间 When (UTC)"), "http_status": (int, "状态码 HTTP status"),
                    "content_type": (str, "内容类型 Content-Type as answered"), "size": (int, "字节数 Size in bytes"),
                    "body": (str, "原文 The bytes as text (a page by its charset; none for an office file)"),
                    "document_html": (str, "文书内容 What the document says as HTML, where its reader made it: the NFRA "
                                           "envelope's docClob, an attachment's tables and text"),
                    "rendering": (str, "呈现方式 How document_html was made from the bytes, or why they could not be "
                                       "read")},
        "pk": "sha256",
        "indexes": [["source", "doc_id"]],
    },
    # The same decision published again (the PBOC posts one 公示表 as .doc and .pdf; the CSRC lists a decision under
    # two catalogues): loaded once, the other copies recorded here with where they were found.
    "duplicates": {
        "title": "重复发布 · Copies",
        "description": "同一决定的其他发布（同一公示表的 .doc 与 .pdf、两个栏目同时列出的决定），只载入一次。Other "
                       "publications of a decision already loaded (one 公示表 as .doc and .pdf, a decision listed under "
                       "two catalogues), with where each was found.",
        "row": "a copy of a decision already loaded (the same 公示表 as .doc and .pdf; a decision listed under two "
               "catalogues), with where it was found",
        "columns": {"copy_id": (str, "主键 The copy's own decision id"),
                    "decision_id": (str, "处罚决定 The decision loaded, of which this is a copy"),
                    "decision_no": (str, "文号 Its decision number"), "source": (str, "来源 nfra, pboc or csrc"),
                    "doc_id": (str, "文档编号 The copy's document id"), "url": (str, "原文链接 The copy's page"),
                    "source_url": (str, "数据接口 Where its bytes came from"),
                    "raw_sha256": (str, "原始文件哈希 sha256 of the copy's bytes"),
                    "read_by": (str, "识别方式 ocr when the copy was recognised from a scan")},
        "pk": "copy_id",
        "foreign_keys": [("decision_id", "decisions", "decision_id"), ("raw_sha256", "raw_documents", "sha256")],
        "indexes": [["decision_id"]],
    },
    "quarantine": {
        "title": "隔离区 · Quarantine",
        "description": "无法解析或被拦截的文件及原因。Documents that could not be read or were blocked, with the reason; the "
                       "bytes are in raw_documents.",
        "row": "document that could not be read (a scan needing OCR, an unreadable file), or a blocked or challenged "
               "answer, with the reason and its raw hash",
        "columns": {"raw_sha256": (str, "原始文件哈希 sha256 of the bytes (see raw_documents)"),
                    "stage": (str, "环节 fetch (the site answered with something else) or extract (it could not be "
                                   "read)"),
                    "source": (str, "来源 nfra, pboc or csrc"), "doc_id": (str, "文档编号 The site's document id"),
                    "url": (str, "抓取地址 Where it was fetched"), "reason": (str, "原因 Why, and what to do"),
                    "quarantined_at": (str, "时间 When (UTC)")},
        "pk": ("raw_sha256", "stage"),
        "indexes": [["source"], ["stage"]],
    },
    "facet_counts": {
        "title": "分面计数 · Facet counts",
        "description": "处罚决定按各分面的计数，建库时算好：全部决定的，及每个省份、每一年的。How many decisions each facet "
                       "value has, over every decision and within each province and each year (the table's two "
                       "commonest filters): counted once by the build, so that the decisions table opens on a "
                       "million decisions without counting them again (datasette/plugins/regkb_facets.py).",
        "row": "value of one facet of a table, over all its rows or those of one filter, with how many rows have it",
        "key": "`table_name` + `filter_column` + `filter_value` + `facet` + `value` (no primary key: a value may be "
               "null)",
        "columns": {"table_name": (str, "表 The table faceted (decisions)"),
                    "filter_column": (str, "筛选列 The column of the filter (province or year); null: every row"),
                    "filter_value": (str, "筛选值 Its value, as the filter's link writes it (四川省, 2024)"),
                    "facet": (str, "分面 The column"),
                    # declared BLOB: no affinity, so a year stays a number and a province text, as the column has them
                    "value": (bytes, "值 A value of the column (one item of a JSON list); null for rows without one"),
                    "count": (int, "计数 How many rows have it")},
        "pk": None,
        "indexes": [["table_name", "filter_column", "filter_value", "facet"]],
    },
    "redactions": {
        "title": "姓名的更正与删除 · Redactions",
        "description": "应当事人（或法院）要求从本库中删除或更正的姓名，每次构建时适用；只记录原因与范围，不记录姓名本身。Names "
                       "removed or corrected at a person's (or a court's) request, applied at every build: the reason "
                       "and the scope, never the name.",
        "row": "name removed or corrected at a person's request (the reason and where, never the name)",
        "columns": {"redaction_id": (int, "主键 Its place in the list"),
                    "reason": (str, "原因 Why, and when it was granted"),
                    "decision_id": (str, "处罚决定 The one decision it applies to (null: everywhere)"),
                    "replace_with": (str, "替换为 What the name reads as now"),
                    "values_changed": (int, "改动处数 How many values it changed in this build")},
        "pk": "redaction_id",
    },
    # Regulatory texts (nlp/texts/): a law, rule or notice, its versions, its 条 and their 款/项, and the laws and
    # articles a text names. An article row is the article's words in one version of its text, in force from
    # effective_from to effective_to (null: in force now), so that a decision is linked to the words of its date.
    "texts": {
        "title": "法律法规与通知 · Regulatory texts",
        "description": "法律、行政法规、规章、规范性文件与公告通知，按条拆分。Laws, regulations, rules and notices as "
                       "published, split into articles (see articles).",
        "row": "published law, rule or notice: its name, issuer, 文号, dates, status and text",
        "columns": {"text_id": (str, "主键 {source}:{doc_id}"), "source": (str, "来源 The source it was crawled from"),
                    "doc_id": (str, "文档编号 The site's document id"),
                    "kind": (str, "类型 law · regulation · rule · normative · notice · announcement"),
                    "title": (str, "标题 The title as published"),
                    "name": (str, "名称 The name citations use (中华人民共和国银行业监督管理法)"),
                    "issuer": (str, "发布机关 Issuing body"), "document_no": (str, "文号 Document number"),
                    "publish_date": (str, "发布日期 Publication date"),
                    "effective_date": (str, "施行日期 The date the text held here is in force from"),
                    "status": (str, "效力 现行有效 · 已修订 · 已废止"), "url": (str, "原文链接 The page it was read from"),
                    "raw_sha256": (str, "原始文件哈希 sha256 of the bytes (see raw_documents)"),
                    "body": (str, "正文 The text, one paragraph a line"),
                    "categories": (str, "类别 Violation categories a notice is about (JSON list)"),
                    "article_count": (int, "条数 Number of articles")},
        "pk": "text_id",
        "foreign_keys": [("raw_sha256", "raw_documents", "sha256")],
        "indexes": [["name"], ["kind"], ["source"], ["publish_date"], ["document_no"]],
    },
    "text_versions": {
        "title": "版本 · Text versions",
        "description": "法律法规的通过、修正、修订与废止。A text's history as its preamble states it: passed, amended, "
                       "revised, repealed.",
        "row": "one event of a text's history (通过, 修正, 修订, 废止, 发布) and the span it began",
        "columns": {"version_id": (str, "主键 {text_id}/{ordinal}"), "text_id": (str, "法规 The text"),
                    "name": (str, "名称 The text's name"), "ordinal": (int, "序号 Its place in the history"),
                    "label": (str, "事件 通过 · 修正 · 修订 · 废止 · 发布"), "date": (str, "日期 The event's date"),
                    "effective_from": (str, "起始 The version's words are in force from"),
                    "effective_to": (str, "截止 Until (null: in force now)"),
                    "note": (str, "原文 The words it was read from")},
        "pk": "version_id",
        "foreign_keys": [("text_id", "texts", "text_id")],
        "indexes": [["text_id"], ["name", "date"]],
    },
    "articles": {
        "title": "条文 · Articles",
        "description": "法律法规的每一条（现行文本），含所在章节。Each article of a text as held, with its chapter, and "
                       "the span of the version its words belong to.",
        "row": "one 条 of a text version: number, chapter, words, in force from–to",
        "columns": {"article_id": (str, "主键 {text_id}/{number}"), "text_id": (str, "法规 The text"),
                    "name": (str, "法规名称 The text's name, as citations write it"),
                    "number": (int, "条号 The article's number (46)"), "article": (str, "条 第四十六条"),
                    "chapter": (str, "章节 第五章 法律责任"), "text": (str, "条文 The article's words, 款 one a line"),
                    "effective_from": (str, "起始 In force from"),
                    "effective_to": (str, "截止 Until (null: in force now)")},
        "pk": "article_id",
        "foreign_keys": [("text_id", "texts", "text_id")],
        "indexes": [["text_id"], ["name", "number", "effective_from"], ["name", "article"]],
    },
    "clauses": {
        "title": "款项 · Clauses",
        "description": "条以下的款与项，可按「第三十二条第一款第一项」引用。An article's paragraphs (款) and items (项).",
        "row": "one 款 of an article, or one 项 of a 款",
        "columns": {"clause_id": (str, "主键 {article_id}/{款} or {article_id}/{款}/{项}"),
                    "article_id": (str, "条 The article"), "label": (str, "款项 第一款 · 第一款第一项"),
                    "text": (str, "内容 Its words")},
        "pk": "clause_id",
        "foreign_keys": [("article_id", "articles", "article_id")],
        "indexes": [["article_id"]],
    },
    "text_citations": {
        "title": "文件引用的法规 · Laws a text names",
        "description": "通知、规章所援引的法律法规与条文。The laws and articles a notice or rule names (《…》第N条).",
        "row": "a law (and article) a text names, resolved where the base holds it",
        "columns": {"text_citation_id": (str, "主键 {text_id}/{n}"), "text_id": (str, "文件 The naming text"),
                    "law": (str, "法律法规 The law named"), "article": (str, "条 第四十六条, or null"),
                    "text_id_cited": (str, "被引法规 The text it is, where held"),
                    "article_id": (str, "被引条文 The article, where held")},
        "pk": "text_citation_id",
        "foreign_keys": [("text_id", "texts", "text_id")],
        "indexes": [["text_id"], ["law", "article"], ["article_id"], ["text_id_cited"]],
    },
    "writ_links": {
        "title": "执法文书所引条文的核对 · Writ links checked",
        "description": "法规库（NERIS）公布的执法文书与其适用条文的链接，与本库从同一决定书中读出的引用逐条比对（db/writs.py）。"
                       "The articles a published writ links (NERIS), compared one by one with the citations regkb "
                       "read from the same decision: agrees 0 is a disagreement to look at.",
        "row": "an article a writ links or its decision cites, and whether both do",
        "columns": {"writ_link_id": (str, "主键 {writ_id}/{n}"), "writ_id": (str, "文书 {source}:{writ id}"),
                    "writ_name": (str, "文件名称 The writ's name"), "document_no": (str, "文号 The writ's 文号"),
                    "issuer": (str, "发文单位 The writ's issuer"), "writ_date": (str, "发文日期 Its date"),
                    "decision_id": (str, "决定书 The decision of that 文号 in the base, or null"),
                    "law": (str, "法律法规 The law"), "article": (str, "条 第二百二十一条"),
                    "in_writ": (int, "文书链接 1: the writ links it"),
                    "in_decision": (int, "本库引用 1: regkb cites it from the decision"),
                    "agrees": (int, "一致 1 both, 0 one side only, null: no decision to compare")},
        "pk": "writ_link_id",
        "foreign_keys": [("decision_id", "decisions", "decision_id")],
        "indexes": [["writ_id"], ["decision_id"], ["agrees"], ["law", "article"]],
    },
}

# Keys and indexes of the tables a decision is loaded into (their columns: nlp/schema.py).
_PARTS: dict[str, dict] = {
    "decisions": {
        "row": "published decision: source, number, authority, regulator, level, province, city, dates, facts, legal "
               "basis, the sanctions text, total fine, categories",
        "key": "`nfra:{docId}`, `csrc:{manuscriptId}`, `pboc:{article id}`; an attachment a page links "
               "`pboc:{page id}.{8 hex of its address}`; a register holding several decisions adds `-{n}`, the n-th "
               "文号 in table order",
        "pk": "decision_id",
        "foreign_keys": [("authority_id", "authorities", "authority_id"), ("region_id", "regions", "region_id"),
                         ("raw_sha256", "raw_documents", "sha256")],
        "indexes": [["source"], ["province"], ["city"], ["authority_id"], ["authority_level"], ["regulator"],
                    ["year"], ["decision_date"], ["doc_format"], ["kind"], ["total_fine_yuan"], ["decision_no"],
                    ["fine_band"], ["institution_types"], ["parent_groups"], ["sanction_types"], ["categories"],
                    ["publish_date"], ["date"], ["review"], ["province", "year", "total_fine_yuan"],
                    # every facet of the decisions page under its two commonest filters, in one covering index each:
                    # on a million decisions a province's facets then read ~40,000 index entries, not rows
                    ["province", *FACETED], ["year", *FACETED],
                    # and its first page under them, newest first as Datasette pages it (date desc, then the key):
                    # read from the index, not 40,000 rows sorted (85 → 0.6 ms on a million)
                    ["province", DescIndex("date"), "decision_id"], ["year", DescIndex("date"), "decision_id"]],
    },
    "parties": {
        "row": "punished institution or person (a 法定代表人 named for contact is a column, not a party)",
        "key": "`nfra:{docId}/{n}`",
        "pk": "party_id",
        "foreign_keys": [("decision_id", "decisions", "decision_id")],
        # decision_date is the decision's again, so that "the latest decisions against this group" is an index scan
        "indexes": [["decision_id"], ["kind"], ["name"], ["fine_yuan"], ["institution_type"], ["parent"],
                    ["legal_entity"], ["branch_level"], ["parent", "decision_date"]],
    },
    "sanctions": {
        "row": "sanction on a party: type (warning, fine, confiscation, ban, disqualification …), amount in yuan, years",
        "key": "`…/{n}/{m}`",
        "pk": "sanction_id",
        "foreign_keys": [("party_id", "parties", "party_id"), ("decision_id", "decisions", "decision_id")],
        "indexes": [["party_id"], ["decision_id"], ["type"]],
    },
    "citations": {
        "row": "cited law and article of a decision",
        "key": "`…/{n}`",
        "pk": "citation_id",
        "foreign_keys": [("decision_id", "decisions", "decision_id")],
        # decision_date again, so that "the latest decisions under this article" (or this law) is read from the end
        # of an index, the decision last to make it exact among decisions of one day (the precedents query)
        "indexes": [["decision_id"], ["law", "article", "decision_date", "decision_id"],
                    ["law", "decision_date", "decision_id"], ["text_id"], ["article_id", "decision_date"], ["link"]],
    },
    "mentions": {
        "row": "penalty a document's text reports: authority, target, sanction, amount",
        "key": "`…/{n}`",
        "pk": "mention_id",
        "foreign_keys": [("decision_id", "decisions", "decision_id")],
        "indexes": [["decision_id"], ["sanction"]],
    },
    "entities": {
        "row": "named entity of a decision's text (ORG, REGULATOR, PERSON, MONEY, LAW, GPE, DATE)",
        "key": "`…/{n}`",
        "pk": "entity_id",
        "foreign_keys": [("decision_id", "decisions", "decision_id")],
        "indexes": [["decision_id"], ["label"], ["text"]],
    },
    "decision_categories": {
        "row": "decision ↔ category (many-to-many), with the words that matched",
        "pk": ("decision_id", "category"),
        "foreign_keys": [("decision_id", "decisions", "decision_id"), ("category", "categories", "category")],
        "indexes": [["category"]],
    },
    "decision_subcategories": {
        "row": "decision ↔ sub-category, with the words that matched",
        "pk": ("decision_id", "subcategory"),
        "foreign_keys": [("decision_id", "decisions", "decision_id"), ("category", "categories", "category")],
        "indexes": [["subcategory"], ["category"]],
    },
}


def _declared() -> dict[str, dict]:
    tables: dict[str, dict] = {}
    for name in ("regions", "authorities", "categories", "raw_documents", "facet_counts"):
        spec = _OWN[name]
        tables[name] = {**spec, "columns": {c: kind for c, (kind, _) in spec["columns"].items()},
                        "help": {c: text for c, (_, text) in spec["columns"].items()}}
    for name, spec in _PARTS.items():
        part = PARTS[name]
        tables[name] = {"title": part.title, "description": part.description, **spec, "columns": part.columns,
                        "help": {f.name: f.help for f in part.fields if f.db}}
    for name in ("duplicates", "quarantine", "redactions", "texts", "text_versions", "articles", "clauses",
                 "text_citations", "writ_links"):
        spec = _OWN[name]
        tables[name] = {**spec, "columns": {c: kind for c, (kind, _) in spec["columns"].items()},
                        "help": {c: text for c, (_, text) in spec["columns"].items()}}
    return tables


# Every table of the database, in the order they are created: title, description, what a row is, columns and their
# help, primary key, foreign keys, indexes.
TABLES: dict[str, dict] = _declared()


# Full-text indexes (FTS5, built-in tokenizer) over a segmented shadow of these columns: see db/search.py for why and
# how. Each is an external-content index of its table (content="decisions"), filled by search.build_search_index.
SEARCH_INDEXES: dict[str, dict] = {
    # the texts, then what a researcher types besides words of the text: the 文号, the authority, the region, the
    # categories and the kinds of sanction (new columns go last: the ranked search weighs the columns by position)
    "decisions_fts": {"table": "decisions",
                      "columns": ["title", "party_names", "facts", "legal_basis", "decision_text", "decision_no",
                                  "authority", "province", "city", "categories", "sanction_types"]},
    "parties_fts": {"table": "parties", "columns": ["name", "role", "sanctions_text"]},
    "texts_fts": {"table": "texts", "columns": ["title", "name", "document_no", "body"]},
}


def ensure_shape(db: sqlite_utils.Database, indexes: bool = True) -> None:
    """Create every table, column and index that is missing. Safe to run on an existing database. ``indexes=False``:
    the tables only (their keys), for a build that fills them first and indexes them after (``create_indexes``):
    an index made over rows in one sort, not kept in order row by row (at 100× the demo, the decisions' rows and
    their twenty-five indexes 3.6× cheaper to write, the entities' 2.3×)."""
    for name, spec in TABLES.items():
        table = db.table(name)
        if not table.exists():
            table.create(spec["columns"], pk=spec["pk"], foreign_keys=spec.get("foreign_keys", []))
        else:
            for column, column_type in spec["columns"].items():
                if column not in table.columns_dict:
                    table.add_column(column, column_type)
    if indexes:
        create_indexes(db)
    from db.search import create_search_indexes

    create_search_indexes(db)


def create_indexes(db: sqlite_utils.Database, tables: list[str] | None = None) -> None:
    """Every index TABLES declares that is missing (of the ``tables`` named, by default all)."""
    for name in tables or TABLES:
        for columns in TABLES[name].get("indexes", []):
            db.table(name).create_index(columns, if_not_exists=True)


# ``PRAGMA user_version`` of a database whose decisions are stored in date order (store_in_date_order): its rowids
# ascend with (date, newest decision id last), so the newest matches of a search come straight from the index.
DATE_ORDERED = 2


def store_in_date_order(db: sqlite_utils.Database) -> None:
    """Rewrite the decisions table in date order, oldest first (ties: the decision ids descending), so that reading
    it, or its search index, by rowid from the end gives the newest decisions first, as the home page sorts them
    (date descending, then decision id). Its indexes are made again; the other tables refer to it by decision_id,
    never by rowid, and the search index must be built after this (db/search.py build_search_index)."""
    (create,) = db.execute("select sql from sqlite_master where type = 'table' and name = 'decisions'").fetchone()
    db.execute("drop table if exists [_decisions_in_date_order]")
    db.execute(create.replace('"decisions"', "[_decisions_in_date_order]", 1)
               .replace("[decisions]", "[_decisions_in_date_order]", 1))
    db.execute("insert into [_decisions_in_date_order] select * from decisions"
               " order by date is not null, date, decision_id desc")
    db.execute("drop table decisions")
    db.execute("alter table [_decisions_in_date_order] rename to decisions")
    create_indexes(db, ["decisions"])
    db.execute(f"pragma user_version = {DATE_ORDERED}")


# The decisions' facets counted at build time (store_facet_counts): the columns of every facet the decisions table
# opens with (datasette/metadata.yml lists the same ones, in the order a reader sees them), the JSON lists counted by
# their items.
FACET_COUNTED = ["province", "year", *FACETED]
# The filters their counts are kept for: the whole table (None), and each province and each year
FACET_FILTERS = (None, "province", "year")


def store_facet_counts(db: sqlite_utils.Database) -> None:
    """Count every value of each FACET_COUNTED column into ``facet_counts``, as the facets count them
    (regkb_facets.py: a list's items one by one, a row without a value under null), over all decisions and within
    each province and each year. A million decisions' facets, unfiltered or under one province, are then a read of
    a few hundred rows, not fifteen scans."""
    from nlp.schema import LIST_COLUMNS

    db.execute("delete from facet_counts")
    for scope in FACET_FILTERS:
        by = f"[{scope}]" if scope else "null"
        where = f"[{scope}] is not null" if scope else "1"
        for column in FACET_COUNTED:
            if column in LIST_COLUMNS:
                counted = (f"with lists as (select {by} as scope, [{column}] as list, count(*) as n from decisions"
                           f" where {where} and json_valid([{column}]) group by 1, 2)"
                           f" select scope, j.value as value, sum(lists.n) as n from lists, json_each(lists.list) j"
                           f" group by 1, 2")
            else:
                counted = (f"select {by} as scope, [{column}] as value, count(*) as n from decisions where {where}"
                           f" group by 1, 2")
            db.execute("insert into facet_counts (table_name, filter_column, filter_value, facet, value, count)"
                       f" select 'decisions', :scope, cast(scope as text), :column, value, n from ({counted})",
                       {"scope": scope, "column": column})


def is_date_ordered(connection) -> bool:
    return connection.execute("pragma user_version").fetchone()[0] >= DATE_ORDERED
