"""The shape of a decision, declared once: every field a decision and its parts have, its type, its Chinese label,
what it means, and how it is read off the typed records (nlp/records.py).

Everything that shows a decision is made from this declaration, so none can drift from another:

- `regkb parse` and `regkb extract` (nlp/output.py): one JSON object per decision, the fields in this order, the
  parts nested under their table's name (``parties`` each with its ``sanctions``, ``citations``, ``mentions``,
  ``entities``);
- the database (db/shape.py, db/load.py): one table per part, one column per field (keys, foreign keys and indexes
  are db/shape.py's);
- Datasette's titles and column help (datasette/plugins/regkb_shape.py serves them from db/shape.py);
- the README's lists of keys and tables, written by ``python -m regkb.docs`` and checked by tests/db/test_shape.py.

Adding a field to a decision is one ``Field`` here (and ``python -m regkb.docs``).

    >>> [field.name for field in TABLES["sanctions"].fields][:6]
    ['sanction_id', 'party_id', 'decision_id', 'ordinal', 'type', 'label']
    >>> TABLES["parties"].field("fine_yuan").help
    '罚款（元） Fines imposed on this party, in yuan'
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from nlp.fields.regions import Region
from nlp.privacy import mask
from nlp.records import Analysis, Decision, Party
from nlp.review import REASONS, Review
from nlp.text import scrub

# Fine bands for the facet, in yuan: (lower bound inclusive, label). A decision without a stated fine has none.
FINE_BANDS: list[tuple[float, str]] = [
    (0, "不足10万元"),
    (100_000, "10万至50万元"),
    (500_000, "50万至100万元"),
    (1_000_000, "100万至500万元"),
    (5_000_000, "500万元及以上"),
]
NO_FINE = "无罚款"


# The Chinese name of every coded value a column holds (a column's name means the same codes in every table). The
# codes stay in the database, where queries and links use them; what shows a value to a person shows this name.
# (The sources' names are their publishers', from the sources registry: regkb/names.py.)
VALUE_NAMES: dict[str, dict[str, str]] = {
    "regulator": {"NFRA": "国家金融监督管理总局", "CBIRC": "原银保监会", "CBRC": "原银监会", "CIRC": "原保监会",
                  "PBOC": "中国人民银行", "CSRC": "中国证监会"},
    "authority_level": {"head office": "总部机关", "provincial bureau": "省级机构", "sub-bureau": "地市级机构",
                        "county branch": "县级机构"},
    "doc_format": {"table": "信息公开表", "fulltext": "决定书", "register": "公示表"},
    # a party's kind, a decision's and a regulatory text's (their codes apart, one name for the column)
    "kind": {"institution": "机构", "individual": "个人",
             "penalty": "行政处罚", "measure": "行政监管措施", "commitment": "行政执法当事人承诺", "review": "行政复议"},
    # how far a citation resolved to the texts the base holds (db/links.py)
    "link": {"linked": "已链接到条文", "law_only": "只引用法律", "article_missing": "待核查：该法无此条",
             "version_missing": "待核查：无当时施行的文本", "law_unknown": "待核查：本库未收录该法"},
}
# A regulatory text's kind (nlp/records.py RegulatoryText), in the order the texts are listed
TEXT_KIND_NAMES = {"law": "法律", "regulation": "行政法规", "rule": "部门规章", "normative": "规范性文件",
                   "notice": "通知", "announcement": "公告"}
VALUE_NAMES["kind"].update(TEXT_KIND_NAMES)
VALUE_NAMES["level"] = VALUE_NAMES["authority_level"]


def value_name(column: str, value):
    """A coded value's Chinese name, for people: ``value_name("authority_level", "sub-bureau")`` → 「地市级机构」;
    any other value as it is."""
    names = VALUE_NAMES.get(column)
    if names is None and column == "type":
        names = VALUE_NAMES["type"] = _sanction_names()
    return names.get(value, value) if names and isinstance(value, str) else value


def _sanction_names() -> dict[str, str]:
    from nlp.data import load

    names = {}
    for rule in load("sanctions.yaml"):
        names.setdefault(rule["type"], rule["label"])
    return names


def fine_band(total_fine_yuan: float | None) -> str:
    """The facet's band of a total fine: 「10万至50万元」 for 300,000 yuan, 「无罚款」 for none."""
    if total_fine_yuan is None:
        return NO_FINE
    return [label for lower, label in FINE_BANDS if total_fine_yuan >= lower][-1]


@dataclass(frozen=True)
class Row:
    """What one row is read from: the decision, and the part of it the row is about (with its place)."""

    decision: Decision
    analysis: Analysis | None = None
    party: Party | None = None
    party_ordinal: int | None = None
    item: Any = None            # the sanction, citation, mention or entity
    ordinal: int | None = None

    @property
    def party_id(self) -> str:
        return f"{self.decision.decision_id}/{self.party_ordinal}"


TYPES = {"text": str, "integer": int, "real": float, "boolean": int, "list": str}


@dataclass(frozen=True)
class Field:
    """One field: ``type`` text | integer | real | boolean | list (a JSON list in the database, for array
    facets); ``label`` its Chinese name, ``description`` what it holds; ``read`` how a row's value is read.
    ``json``/``db``: whether `regkb parse` prints it and whether the database has it as a column."""

    name: str
    type: str
    label: str
    description: str
    read: Callable[[Row], Any]
    json: bool = True
    db: bool = True

    @property
    def help(self) -> str:
        """The column help Datasette shows: the Chinese label, then the description (regkb_labels reads the label
        back from it)."""
        return f"{self.label} {self.description}"

    @property
    def column_type(self) -> type:
        return TYPES[self.type]

    def column_value(self, row: Row) -> Any:
        value = self.read(row)
        if isinstance(value, str):
            # whatever produced the record: no control character, nothing regkb never shows of a person
            return mask(scrub(value))
        if self.type == "list":
            return json.dumps([scrub(item) if isinstance(item, str) else item for item in value or []],
                              ensure_ascii=False)
        if self.type == "boolean" and value is not None:
            return int(value)
        return value


@dataclass(frozen=True)
class Table:
    """A part of a decision: its rows (``rows(decision, analysis)`` gives one Row each) and its fields."""

    name: str
    title: str                  # Chinese · English, as Datasette titles the table
    description: str
    fields: tuple[Field, ...]
    rows: Callable[[Decision, Analysis | None], Iterator[Row]]
    nested_in: str | None = None          # the table whose JSON objects hold this table's (parties: sanctions)
    json: bool = True                     # whether `regkb parse` prints it (the category joins are the database's)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def columns(self) -> dict[str, type]:
        return {f.name: f.column_type for f in self.fields if f.db}

    def db_rows(self, decision: Decision, analysis: Analysis | None = None) -> list[dict]:
        return [{f.name: f.column_value(row) for f in self.fields if f.db} for row in self.rows(decision, analysis)]


def db_rows(decision: Decision, analysis: Analysis | None = None) -> dict[str, list[dict]]:
    """The decision's rows in every table (TABLES), as the database holds them: table → rows."""
    return {name: table.db_rows(decision, analysis) for name, table in TABLES.items()}


def _authority(row: Row, attribute: str):
    authority = row.decision.authority
    return getattr(authority, attribute) if authority else None


def _distinct(values) -> list[str]:
    return sorted({value for value in values if value})


def _party_names(decision: Decision) -> str | None:
    return "、".join(party.name + (f"（{party.role}）" if party.role else "") for party in decision.parties) or None


def _heading(decision: Decision) -> str | None:
    """What names this decision among others with the same title: its 文号 (after the authority when the number
    has no prefix, as the CSRC prints 〔2024〕7号), else the authority and the date; then the first party, and how
    many more; without a number, the fine too: 「银罚决字〔2026〕112号 孙某涛」, 「中国证监会〔2024〕7号 刘斌等3名当事人」,
    「锡林郭勒银监分局 2015-12-03 内蒙古西乌珠穆沁农村商业银行股份有限公司 罚款20万元」."""
    number = decision.decision_no
    if number and number[0] in "〔[(（【":
        number = (decision.authority_name or "") + number
    name = number or " ".join(part for part in (decision.authority_name, decision.date) if part)
    parties = decision.parties
    if parties:
        name += " " + parties[0].name + (f"等{len(parties)}名当事人" if len(parties) > 1 else "")
    if not number and decision.total_fine_yuan:
        # one sub-bureau can fine one bank twice on one day, in two decisions without a number
        name += " 罚款" + _wan(decision.total_fine_yuan)
    return name.strip() or decision.title


def _wan(yuan: float) -> str:
    """An amount as a heading writes it: 「20万元」, 「11.5万元」, 「5000元」."""
    if yuan < 10_000:
        return f"{yuan:g}元"
    return f"{yuan / 10_000:.4f}".rstrip("0").rstrip(".") + "万元"


def _violations(facts: str | None) -> list[str]:
    """The violations a facts text lists: split on 「；」 and on 「一是…二是…」 / 「1.…2.…」 enumerations."""
    import re

    if not facts:
        return []
    parts = re.split(r"[；;]|(?=[一二三四五六七八九十]是)|(?<=[。])(?=\d+[.、．])", facts)
    return [part.strip(" 。，,") for part in parts if part.strip(" 。，,")]


def _review(row: Row) -> Review:
    """The decision's review, with what the document's reading added (an analysis shares the decision's)."""
    return row.analysis.review if row.analysis is not None else row.decision.review


def _year(decision: Decision) -> int | None:
    day = decision.decision_date or decision.publish_date
    return int(day[:4]) if day else None


def _region_id(province: str | None, city: str | None) -> str | None:
    return Region(province, city).region_id if province else None


def _decision_rows(decision: Decision, analysis: Analysis | None) -> Iterator[Row]:
    yield Row(decision, analysis)


def _party_rows(decision: Decision, analysis: Analysis | None) -> Iterator[Row]:
    for ordinal, party in enumerate(decision.parties, start=1):
        yield Row(decision, analysis, party, ordinal, party, ordinal)


def _sanction_rows(decision: Decision, analysis: Analysis | None) -> Iterator[Row]:
    for party_ordinal, party in enumerate(decision.parties, start=1):
        for ordinal, sanction in enumerate(party.sanctions, start=1):
            yield Row(decision, analysis, party, party_ordinal, sanction, ordinal)


def _item_rows(items: Callable[[Decision, Analysis | None], list]):
    def rows(decision: Decision, analysis: Analysis | None) -> Iterator[Row]:
        for ordinal, item in enumerate(items(decision, analysis), start=1):
            yield Row(decision, analysis, item=item, ordinal=ordinal)
    return rows


D = Field   # the declarations below read as a table of fields

DECISIONS = Table("decisions", "处罚决定 · Decisions",
                  "一份公开的行政处罚决定（信息公开表或决定书）一行。One row per published penalty decision (disclosure "
                  "table or full-text decision).", (
    D("decision_id", "text", "主键", "Stable key, source:docId", lambda r: r.decision.decision_id),
    D("source", "text", "来源", "Where it was published (nfra = the NFRA site, which serves the CBIRC and CBRC years; "
      "pboc = the People's Bank's head office and branch sites; csrc = the CSRC's)", lambda r: r.decision.source),
    D("doc_id", "text", "来源网站的文档编号", "The site's document id", lambda r: r.decision.doc_id),
    D("title", "text", "标题", "Title as published", lambda r: r.decision.title),
    D("heading", "text", "名称", "How regkb names the decision, so that no two look alike: its 文号 (after the "
      "authority when the number has no prefix) or the authority and date, then the first party (…等N名当事人 "
      "for several), and without a number the fine", lambda r: _heading(r.decision), json=False),
    D("decision_no", "text", "行政处罚决定书文号",
      "Decision number, e.g. 津银监罚决字〔2018〕35号 (null when the publication gives none)",
      lambda r: r.decision.decision_no),
    D("authority_id", "text", "处罚机关（规范名称）",
      "Deciding authority, canonical name across the CBRC/CIRC → CBIRC → NFRA and PBOC reforms (null when the name "
      "cannot be resolved)", lambda r: _authority(r, "canonical")),
    D("authority", "text", "处罚机关（原文）", "Deciding authority as written in the decision",
      lambda r: r.decision.authority_name),
    D("regulator", "text", "监管机构", "Regulator of that era (NFRA, CBIRC, CBRC, CIRC, PBOC, CSRC)",
      lambda r: _authority(r, "regulator")),
    D("authority_level", "text", "机关层级",
      "head office (总局/会机关/总行) · provincial bureau (监管局, 证监局, PBOC 分行 or 中心支行 of a provincial capital) · "
      "sub-bureau (监管分局, PBOC 中心支行 or 市分行 of a prefecture) · county branch (PBOC 县支行)",
      lambda r: _authority(r, "level")),
    D("province", "text", "省份", "Province of the authority (null for head-office decisions, which are national)",
      lambda r: _authority(r, "province")),
    D("city", "text", "城市", "City of a sub-bureau or of a separately planned city's bureau",
      lambda r: _authority(r, "city")),
    D("region_id", "text", "地区", "Province/city key into regions",
      lambda r: _region_id(_authority(r, "province"), _authority(r, "city"))),
    D("decision_date", "text", "作出处罚决定的日期", "Decision date (ISO)", lambda r: r.decision.decision_date),
    D("publish_date", "text", "发布日期", "Publication date on the site (ISO)", lambda r: r.decision.publish_date),
    D("date", "text", "日期", "The date to sort and count by: the decision date, else the publication date "
      "(date_basis says which)", lambda r: r.decision.date),
    D("date_basis", "text", "日期依据", "决定日期 (the decision's date) or 发布日期 (the publication's, when the "
      "decision gives none)", lambda r: r.decision.date_basis),
    D("year", "integer", "年份", "Year of the decision (of publication when the decision date is unknown)",
      lambda r: _year(r.decision)),
    D("kind", "text", "文书类别", "penalty (行政处罚), measure (行政监管措施: 警示函, 责令改正, 监管谈话 …), commitment "
      "(行政执法当事人承诺) or review (行政复议), as the list it was published in says; only a penalty has fines",
      lambda r: r.decision.kind),
    D("doc_format", "text", "文书形式", "table (信息公开表), fulltext (决定书) or register (a 公示表 row of its own)",
      lambda r: r.decision.doc_format),
    D("party_count", "integer", "当事人数", "Number of punished parties", lambda r: len(r.decision.parties)),
    D("total_fine_yuan", "real", "罚款合计（元）",
      "Sum of the fines on all parties, in yuan (null when no fine amount is stated; amounts that are not "
      "sanctions, such as loans, fees, premiums or reserves, never count)", lambda r: r.decision.total_fine_yuan),
    D("total_penalty_yuan", "real", "罚没合计（元）",
      "Fines, confiscated gains and 罚没合计 sums together, in yuan: what the parties pay (a 罚没合计 the decision "
      "does not split counts here, not in total_fine_yuan)", lambda r: r.decision.total_penalty_yuan),
    D("categories", "list", "违法违规类别",
      "Violation categories (JSON list; a decision can have several), the top-level names of the taxonomy",
      lambda r: r.decision.categories),
    D("subcategories", "list", "违法违规子类",
      "Refinements such as 个人信息保护/个人信息查询 (JSON list)", lambda r: list(r.decision.subcategories)),
    D("facts", "text", "主要违法违规事实（案由）", "Facts of the violation", lambda r: r.decision.facts),
    D("violations", "list", "违法违规行为", "The violations the facts list, one by one", lambda r:
      _violations(r.decision.facts), db=False),
    D("legal_basis", "text", "行政处罚依据", "Legal basis as written (its articles are in citations)",
      lambda r: r.decision.legal_basis),
    D("decision_text", "text", "行政处罚决定", "The sanctions as written", lambda r: r.decision.decision_text),
    D("url", "text", "原文链接", "The page on the regulator's site", lambda r: r.decision.url),
    D("source_url", "text", "数据接口", "The endpoint the archived bytes came from", lambda r: r.decision.source_url),
    D("raw_sha256", "text", "原始文件哈希", "sha256 of the archived bytes (see raw_documents)",
      lambda r: r.decision.raw_sha256),
    D("read_by", "text", "识别方式", "ocr when the decision was recognised from a scan by optical character "
      "recognition (what failed its checks is in review, 识别存疑); null when read from the file's own text",
      lambda r: r.decision.read_by),
    D("ocr_score", "real", "识别置信度", "For a decision read by OCR: the lowest recognition score (0–1) among the "
      "values of its row; below 0.80 a value is flagged for review", lambda r: r.decision.ocr_score),
    D("revisions", "integer", "版本数", "How many different versions of the document the site published (1; more "
      "when it corrected the document after publishing it: the decision is read from the newest)",
      lambda r: r.decision.revisions),
    D("party_names", "text", "当事人",
      "The punished parties, an individual with the role (时任…); searched with the title, facts, legal basis and "
      "decision", lambda r: _party_names(r.decision)),
    D("institution_types", "list", "机构类型",
      "Types of the punished institutions (JSON list; a decision counts under each)",
      lambda r: _distinct(p.institution_type for p in r.decision.parties)),
    D("parent_groups", "list", "所属集团", "Groups of the punished institutions, e.g. 中国工商银行 (JSON list)",
      lambda r: _distinct(p.parent for p in r.decision.parties)),
    D("sanction_types", "list", "处罚种类", "Kinds of sanction imposed on any party (JSON list), e.g. 罚款, 警告",
      lambda r: _distinct(s.label for p in r.decision.parties for s in p.sanctions)),
    D("review", "list", "待核查", "What could not be read and a person should check (JSON list; empty when "
      "everything was read): " + "; ".join(f"{reason}: {meaning}" for reason, meaning in REASONS.items()),
      lambda r: _review(r).items),
    D("review_notes", "list", "待核查说明", "The particulars of each review item (which label, which name as "
      "written)", lambda r: _review(r).notes),
    D("fine_band", "text", "罚款区间", "Band of the total fine (of the 罚没合计 when the decision does not split it) — "
      + ", ".join(label for _, label in FINE_BANDS) + ", " + NO_FINE,
      lambda r: fine_band(r.decision.total_fine_yuan if r.decision.total_fine_yuan is not None
                          else r.decision.total_penalty_yuan)),
), _decision_rows)


PARTIES = Table("parties", "当事人 · Parties",
                "被处罚的机构或个人。A punished institution or person. A legal representative named for contact is "
                "not a party.", (
    D("party_id", "text", "主键", "decision_id/ordinal", lambda r: r.party_id, json=False),
    D("decision_id", "text", "处罚决定", "The decision", lambda r: r.decision.decision_id, json=False),
    D("ordinal", "integer", "序号", "Position in the decision", lambda r: r.party_ordinal),
    D("name", "text", "当事人名称", "Name of the institution or person", lambda r: r.party.name),
    D("kind", "text", "类型", "institution (单位) or individual (个人)", lambda r: r.party.kind),
    D("decision_no", "text", "文号", "The number of the party's decision (copied from it)",
      lambda r: r.decision.decision_no),
    D("role", "text", "职务", "Role of an individual, e.g. 时任XX支行行长, or the unit a PBOC table names",
      lambda r: r.party.role),
    D("legal_representative", "text", "法定代表人（主要负责人）", "Named in the table; not itself punished",
      lambda r: r.party.legal_representative),
    D("institution_type", "text", "机构类型",
      "国有大型银行, 股份制银行, 城商行, 农商行, 农信社, 村镇银行, 外资银行, 政策性银行, 财产险公司, 人身险公司, 保险中介, 信托, "
      "金融租赁, 消费金融, 资产管理, 支付机构, 证券公司, 期货公司, 基金公司, 证券服务机构, 其他",
      lambda r: r.party.institution_type),
    D("parent", "text", "所属集团", "The group, e.g. 中国工商银行 for 中国工商银行股份有限公司成都分行",
      lambda r: r.party.parent),
    D("legal_entity", "text", "法人机构", "The legal person a branch belongs to", lambda r: r.party.legal_entity),
    D("branch_level", "text", "机构层级",
      "法人 (the legal entity itself), 分行, 支行, 分公司, 中心支公司, 支公司, 营业部, 营业网点",
      lambda r: r.party.branch_level),
    D("fine_yuan", "real", "罚款（元）", "Fines imposed on this party, in yuan", lambda r: r.party.fine_yuan),
    D("confiscated_yuan", "real", "没收违法所得（元）", "Illegal gains confiscated, in yuan",
      lambda r: r.party.confiscated_yuan),
    D("sanctions_text", "text", "处罚决定原文", "The words the sanctions were read from",
      lambda r: r.party.sanctions_text),
    D("decision_date", "text", "决定日期", "Date of the decision (copied from it)", lambda r: r.decision.decision_date,
      json=False),
), _party_rows, nested_in="decisions")

SANCTIONS = Table("sanctions", "处罚 · Sanctions", "每个当事人的每项处罚。One sanction on one party.", (
    D("sanction_id", "text", "主键", "party_id/ordinal", lambda r: f"{r.party_id}/{r.ordinal}", json=False),
    D("party_id", "text", "当事人", "The party sanctioned", lambda r: r.party_id, json=False),
    D("decision_id", "text", "处罚决定", "The decision", lambda r: r.decision.decision_id, json=False),
    D("ordinal", "integer", "序号", "Position among the party's sanctions", lambda r: r.ordinal, json=False),
    D("type", "text", "处罚种类代码",
      "warning, fine, confiscation, fine_and_confiscation (罚没合计, not split in the source), ban, market_ban "
      "(证券市场禁入, CSRC), disqualification, correction, suspension, licence_revocation, business_restriction, "
      "public_criticism", lambda r: r.item.type),
    D("label", "text", "处罚种类", "The sanction in Chinese", lambda r: r.item.label),
    D("amount_yuan", "real", "金额（元）", "Amount in yuan", lambda r: r.item.amount_yuan),
    D("years", "integer", "年限", "Years of a ban, market ban or disqualification", lambda r: r.item.years),
    D("lifetime", "boolean", "终身", "1 (true) for a lifetime ban", lambda r: r.item.lifetime),
    D("text", "text", "原文", "The clause it was read from", lambda r: r.item.text),
), _sanction_rows, nested_in="parties")

CITATIONS = Table("citations", "法律依据条文 · Cited articles",
                  "处罚依据拆分为法律全称与条款（第四十六条）。The legal basis split into law and article.", (
    D("citation_id", "text", "主键", "decision_id/ordinal", lambda r: f"{r.decision.decision_id}/{r.ordinal}",
      json=False),
    D("decision_id", "text", "处罚决定", "The decision", lambda r: r.decision.decision_id, json=False),
    D("ordinal", "integer", "序号", "Position in the legal basis", lambda r: r.ordinal, json=False),
    D("law", "text", "法律法规", "Full name of the law or rule (abbreviations and 以下简称 resolved)",
      lambda r: r.item.law),
    D("article", "text", "条", "Article, e.g. 第四十六条", lambda r: r.item.article),
    D("clause", "text", "款项", "Clause or item, e.g. 第一款", lambda r: r.item.clause),
    D("decision_date", "text", "决定日期", "Date of the decision (copied from it)", lambda r: r.decision.decision_date,
      json=False),
    # filled when the database is built, once every text is loaded (db/links.py)
    D("text_id", "text", "法规", "The law or rule in the base (texts), where it holds it", lambda r: None, json=False),
    D("article_id", "text", "条文", "The article's words in force on the decision date (articles)", lambda r: None,
      json=False),
    D("link", "text", "对应", "linked · law_only (no article cited) · article_missing (the law has no such article) · "
      "version_missing (the base holds the law only in versions later than the decision: article_id is the nearest "
      "words) · law_unknown (the base holds no such law)", lambda r: None, json=False),
), _item_rows(lambda decision, analysis: decision.citations), nested_in="decisions")

MENTIONS = Table("mentions", "处罚报道 · Mentions",
                 "文中报道的每项处罚（机关、对象、处罚、金额）。Each penalty the text reports: authority, target, "
                 "sanction, amount; 分别 pairs targets and amounts in order.", (
    D("mention_id", "text", "主键", "decision_id/ordinal", lambda r: f"{r.decision.decision_id}/{r.ordinal}",
      json=False),
    D("decision_id", "text", "处罚决定", "The decision", lambda r: r.decision.decision_id, json=False),
    D("ordinal", "integer", "序号", "Position in the text", lambda r: r.ordinal, json=False),
    D("authority", "text", "处罚机关", "The authority the text names for it", lambda r: r.item.authority),
    D("target", "text", "处罚对象", "Who is punished, as the text names them", lambda r: r.item.target),
    D("sanction", "text", "处罚种类代码", "The sanction's type code (fine, warning, …)", lambda r: r.item.sanction),
    D("label", "text", "处罚种类", "The sanction in Chinese", lambda r: r.item.label),
    D("amount_yuan", "real", "金额（元）", "Amount in yuan", lambda r: r.item.amount_yuan),
), _item_rows(lambda decision, analysis: analysis.mentions if analysis else []), nested_in="decisions")

ENTITIES = Table("entities", "实体 · Entities",
                 "文中识别的机构、机关、人名、金额、法条、地名与日期。Named entities over the document's cleaned text.", (
    D("entity_id", "text", "主键", "decision_id/ordinal", lambda r: f"{r.decision.decision_id}/{r.ordinal}",
      json=False),
    D("decision_id", "text", "处罚决定", "The decision", lambda r: r.decision.decision_id, json=False),
    D("ordinal", "integer", "序号", "Position in the text", lambda r: r.ordinal, json=False),
    D("label", "text", "类别", "ORG, REGULATOR, PERSON, MONEY, LAW, GPE or DATE", lambda r: r.item.label),
    D("text", "text", "原文", "The entity's words", lambda r: r.item.text),
    D("start", "integer", "起点", "Its first character's offset in the text", lambda r: r.item.start),
    D("end", "integer", "终点", "The offset after its last character", lambda r: r.item.end),
), _item_rows(lambda decision, analysis: analysis.entities if analysis else []), nested_in="decisions")

CATEGORIES = Table("decision_categories", "决定—类别 · Decision categories",
                   "一份决定可属多个类别；evidence 是匹配到的原文词语。Many-to-many; evidence is the matched words.", (
    D("decision_id", "text", "处罚决定", "The decision", lambda r: r.decision.decision_id),
    D("category", "text", "违法违规类别", "A category of the taxonomy", lambda r: r.item),
    D("evidence", "text", "依据词语", "The words of the facts or legal basis that put the decision there",
      lambda r: r.decision.category_evidence.get(r.item)),
), _item_rows(lambda decision, analysis: decision.categories), json=False)

SUBCATEGORIES = Table("decision_subcategories", "决定—子类 · Decision sub-categories",
                      "类别之下的细分（如 个人信息保护/个人信息查询）及其依据词语。Refinements of a category, with the "
                      "matched words.", (
    D("decision_id", "text", "处罚决定", "The decision", lambda r: r.decision.decision_id),
    D("subcategory", "text", "违法违规子类", "category/sub-category", lambda r: r.item[0]),
    D("category", "text", "违法违规类别", "The category it refines", lambda r: r.item[0].split("/")[0]),
    D("evidence", "text", "依据词语", "The words that put the decision there", lambda r: r.item[1]),
), _item_rows(lambda decision, analysis: list(decision.subcategories.items())), json=False)

# The tables a decision is loaded into, parents before children; each one's JSON is nested in its parent's.
TABLES: dict[str, Table] = {table.name: table for table in (DECISIONS, PARTIES, SANCTIONS, CITATIONS, MENTIONS,
                                                             ENTITIES, CATEGORIES, SUBCATEGORIES)}
# The columns holding JSON lists (in every table that has them): faceted and shown item by item.
LIST_COLUMNS = {field.name for table in TABLES.values() for field in table.fields if field.type == "list"}
