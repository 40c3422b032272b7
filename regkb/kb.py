"""A small Python API over the built database, for notebooks: pandas DataFrames with proper types.

Dates are ``datetime64``, regions, levels, kinds and types are categoricals, yuan amounts are floats (NaN where a
decision names no amount), ``categories`` is a list. The database is opened read-only.

    >>> from regkb.kb import KnowledgeBase
    >>> kb = KnowledgeBase()           # data/regkb.db, or $REGKB_DB / $REGKB_DATA_DIR (here: the demo database)
    >>> len(kb.decisions())            # 104 NFRA-era decisions, 26 of the PBOC, 8 of the CSRC (one a 监管措施)
    138
    >>> kb.decisions(source="csrc").regulator.unique().tolist()
    ['CSRC']
    >>> kb.article("银行业监督管理法", "第46条", on="2016-03-23").chapter   # an article's words in force on a date
    '第五章 法律责任'

and, for instance::

    kb.decisions(province="四川").groupby("year").total_fine_yuan.sum()
    kb.precedents("中华人民共和国银行业监督管理法", "第46条").fine_yuan.describe()
    kb.search("贷款 挪用")[["decision_date", "authority", "snippet"]]
    kb.group("中国工商银行")                # every branch of a parent group, one row per sanctioned party
    kb.institution("成都银行股份有限公司")   # one institution (a branch, or a legal entity with its branches)

Every method that selects accepts the same filters as ``regkb export precedents``: ``law``, ``article``,
``category``, ``province``, ``institution_type``, ``since``, ``until``, ``search``, ``source`` (nfra, pboc, csrc).
"""

from __future__ import annotations

import calendar
import json
import re
import sqlite3
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from db.precedents import article_key, law_variants
from db.questions import NATIONAL, province_name
from nlp.texts.articles import number_of
from regkb.settings import paths

DATE_COLUMNS = ("decision_date", "publish_date")
CATEGORY_COLUMNS = ("regulator", "authority_level", "province", "city", "doc_format", "kind", "institution_type",
                    "branch_level", "type", "label", "fine_band")
# JSON arrays in the database (a decision's categories, and the per-decision lists kept for facets), as lists
LIST_COLUMNS = ("categories", "institution_types", "parent_groups", "sanction_types")
YUAN_COLUMNS = ("total_fine_yuan", "fine_yuan", "confiscated_yuan", "amount_yuan")
INTEGER_COLUMNS = ("year", "party_count", "ordinal", "years")


class KnowledgeBaseError(Exception):
    """Something a user can act on: the message says what failed and what to do."""


class NoDatabase(KnowledgeBaseError):
    pass


class BadFilter(KnowledgeBaseError, ValueError):
    pass


class NotFound(KnowledgeBaseError, LookupError):
    pass


def normalise_article(article: str | int) -> str:
    """46, "46", "第46条", "第４６条", "四十六", "第四十六条" → "第四十六条", the form the citations table holds (the rule
    of db/precedents.py, which the canned precedents query shares)."""
    key = article_key(article)
    if key is None:
        raise BadFilter(f"{article!r} is not an article number: give it like 第四十六条, 第46条 or 46 "
                        "(one article, without 款 or 项)")
    return key


def date_bound(value: str | date | None, *, end: bool) -> str | None:
    """2016 → 2016-01-01 (or 2016-12-31 when ``end``), 2016-03 → 2016-03-01 / 2016-03-31, 2016-03-23 as is."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            return f"{text}-12-31" if end else f"{text}-01-01"
        if re.fullmatch(r"\d{4}-\d{1,2}", text):
            year, month = (int(part) for part in text.split("-"))
            day = calendar.monthrange(year, month)[1] if end else 1
            return date(year, month, day).isoformat()
        return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise BadFilter(f"{value!r} is not a date: give it like 2016-03-23, 2016-03 or 2016")


@dataclass(frozen=True)
class Filters:
    """Which decisions (and which of their parties) to select. Every field is optional; all given must hold."""

    law: str | None = None              # full or short name: 中华人民共和国银行业监督管理法 or 银行业监督管理法
    article: str | None = None          # 第四十六条, 第46条 or 46; needs ``law``
    category: str | None = None         # a violation category of the taxonomy: 信贷业务
    province: str | None = None         # 四川省 or 四川; 全国 for the head offices' decisions
    institution_type: str | None = None  # of the party: 农商行, 国有大型银行, … (individuals have none)
    since: str | None = None            # decision date (publication date where the decision has none), inclusive
    until: str | None = None
    search: str | None = None           # words, all of which must occur (title, parties, facts, basis, decision)
    source: str | None = None           # where it was published: nfra (NFRA, CBIRC, CBRC, CIRC), pboc, csrc

    LABELS = {"law": "法律", "article": "条款", "category": "违规类别", "province": "地区",
              "institution_type": "机构类型", "since": "起始日期", "until": "截止日期", "search": "关键词",
              "source": "来源"}

    def given(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) not in (None, "")}

    def described(self) -> list[tuple[str, str]]:
        """(Chinese label, value) for each filter given, for the heading and summary of an export."""
        return [(self.LABELS[name], value) for name, value in self.given().items()]

    def title(self) -> str:
        """《中华人民共和国银行业监督管理法》第四十六条 · 四川省 · 2010-01-01 至 2016-12-31, or 全部决定."""
        parts = []
        if self.law:
            parts.append(f"《{self.law}》{self.article or ''}")
        parts += [value for value in (self.category, self.province, self.institution_type) if value]
        if self.since or self.until:
            parts.append(f"{self.since or '最早'} 至 {self.until or '最新'}")
        if self.search:
            parts.append(f"含“{self.search}”")
        return " · ".join(parts) or "全部决定"


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@dataclass
class Article:
    """One article's words as ``kb.article`` finds them. ``clauses`` are its 款 in order; ``items`` every 款 and 项 by
    label (第一款, 第一款第一项, …); ``version`` the text's last event on or before the date asked (2006-10-31 修正)."""

    law: str
    article: str
    number: int
    chapter: str | None
    text: str
    clauses: list[str]
    items: dict[str, str]
    article_id: str
    text_id: str
    effective_from: str | None
    effective_to: str | None
    version: str | None
    in_force_on_date: bool
    url: str | None


@dataclass
class Law:
    """A law or rule as ``kb.law`` finds it: its texts row, its articles and its versions (DataFrames)."""

    text_id: str
    name: str
    title: str
    kind: str
    issuer: str | None
    document_no: str | None
    publish_date: str | None
    effective_date: str | None
    status: str | None
    url: str | None
    article_count: int
    articles: pd.DataFrame
    versions: pd.DataFrame


class KnowledgeBase:
    """The built regkb database, read-only. ``KnowledgeBase()`` opens data/regkb.db (or $REGKB_DB)."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else paths().db_path
        if not self.path.is_file():
            raise NoDatabase(f"no database at {self.path}: run `regkb demo --no-serve` (the bundled sample) or "
                             "`regkb crawl nfra && regkb build` first, or point $REGKB_DB at a built regkb.db")
        # mode=ro: a notebook can never change the database Datasette serves.
        self.connection = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
        tables = {row[0] for row in self.connection.execute("select name from sqlite_master where type = 'table'")}
        missing = {"decisions", "parties", "sanctions", "citations", "decision_categories"} - tables
        if missing:
            self.connection.close()
            raise NoDatabase(f"{self.path} is not a regkb database (no {', '.join(sorted(missing))} table): "
                             "build one with `regkb build` or `regkb demo --no-serve`")

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.connection.close()

    def __repr__(self) -> str:
        return f"KnowledgeBase({str(self.path)!r})"

    # --- about the database -------------------------------------------------------------------------------------

    @property
    def built_at(self) -> datetime:
        """When the database was built: a build moves the finished file into place, so this is its mtime."""
        return datetime.fromtimestamp(self.path.stat().st_mtime).replace(microsecond=0)

    @property
    def data_as_of(self) -> str | None:
        """The last time a document in the database was fetched (ISO), i.e. how current the data is."""
        row = self.connection.execute("select max(fetched_at) from raw_documents").fetchone() \
            if self._has_table("raw_documents") else None
        return row[0] if row else None

    def summary(self) -> dict:
        """Counts and the date range, for a first look."""
        scalar = lambda sql: self.connection.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "database": str(self.path), "built_at": self.built_at.isoformat(sep=" "), "data_as_of": self.data_as_of,
            "decisions": scalar("select count(*) from decisions"),
            "parties": scalar("select count(*) from parties"),
            "sanctions": scalar("select count(*) from sanctions"),
            "first_decision": scalar("select min(coalesce(decision_date, publish_date)) from decisions"),
            "last_decision": scalar("select max(coalesce(decision_date, publish_date)) from decisions"),
            "total_fine_yuan": scalar("select sum(fine_yuan) from parties"),
        }

    def sql(self, query: str, params: list | dict | None = None) -> pd.DataFrame:
        """Any read-only SQL, typed like the other methods' results where the column names are known."""
        return _typed(pd.read_sql(query, self.connection, params=params))

    # --- tables ---------------------------------------------------------------------------------------------------

    def decisions(self, filters: Filters | None = None, **given) -> pd.DataFrame:
        """One row per decision, newest first.

            kb.decisions(category="信贷业务", since="2015")[["decision_date", "authority", "total_fine_yuan"]]
        """
        where, params = self._where(self._filters(filters, given), party_alias=None)
        return self.sql(f"select d.* from decisions d where {where} order by {_NEWEST_FIRST}", params)

    def parties(self, filters: Filters | None = None, **given) -> pd.DataFrame:
        """One row per punished party (institution or person), with its decision's date, authority and region."""
        where, params = self._where(self._filters(filters, given), party_alias="p")
        return self.sql(f"select {_PARTY_COLUMNS} from parties p join decisions d using (decision_id) "
                        f"where {where} order by {_NEWEST_FIRST}, p.ordinal", params)

    def sanctions(self, filters: Filters | None = None, **given) -> pd.DataFrame:
        """One row per sanction on a party: type (warning, fine, …), Chinese label, amount in yuan, years."""
        where, params = self._where(self._filters(filters, given), party_alias="p")
        return self.sql(
            "select s.sanction_id, s.party_id, s.decision_id, s.ordinal, s.type, s.label, s.amount_yuan, s.years,"
            " s.lifetime, s.text, p.name, p.kind, p.institution_type, p.parent, d.decision_no, d.decision_date,"
            " d.year, d.authority_id, d.province, d.city"
            " from sanctions s join parties p using (party_id) join decisions d on d.decision_id = s.decision_id"
            f" where {where} order by {_NEWEST_FIRST}, p.ordinal, s.ordinal", params)

    def citations(self, filters: Filters | None = None, **given) -> pd.DataFrame:
        """One row per cited provision: law (full name), article (第四十六条), clause."""
        where, params = self._where(self._filters(filters, given), party_alias=None)
        return self.sql("select c.decision_id, c.ordinal, c.law, c.article, c.clause from citations c"
                        f" join decisions d using (decision_id) where {where} order by c.decision_id, c.ordinal",
                        params)

    def categories(self, filters: Filters | None = None, **given) -> pd.DataFrame:
        """decision ↔ violation category (many to many), with the words that matched; in taxonomy order."""
        where, params = self._where(self._filters(filters, given), party_alias=None)
        frame = self.sql("select dc.decision_id, dc.category, dc.evidence, d.decision_date, d.year, d.province"
                         " from decision_categories dc join decisions d using (decision_id)"
                         f" where {where} order by dc.decision_id", params)
        order = [row[0] for row in self.connection.execute("select category from categories order by position")]
        frame["category"] = pd.Categorical(frame["category"], categories=order)
        return frame

    # --- questions analysts ask -----------------------------------------------------------------------------------

    def search(self, text: str, filters: Filters | None = None, **given) -> pd.DataFrame:
        """Decisions whose title, parties, facts, legal basis or decision contain every word of ``text``.

        Words are separated by spaces; each is matched as written (Chinese needs no tokenising for this), so
        ``kb.search("贷款 挪用")`` finds decisions mentioning both. Adds a ``snippet`` column around the first word.
        """
        filters = replace(self._filters(filters, given), search=text)
        frame = self.decisions(filters)
        first = text.split()[0] if text.split() else ""
        frame["snippet"] = [_snippet(first, row) for row in frame[["title", "facts", "legal_basis",
                                                                    "decision_text"]].itertuples(index=False)]
        return frame

    def precedents(self, law: str | None = None, article: str | int | None = None, filters: Filters | None = None,
                   **given) -> pd.DataFrame:
        """One row per sanctioned party of every decision citing ``law`` (and ``article``), newest first.

        The same rows as ``regkb export precedents``: the party, its fine, and its decision's number, date,
        authority, region, facts, legal basis and link.

            p = kb.precedents("银行业监督管理法", 46)
            p.fine_yuan.describe()
        """
        if law is not None:
            given["law"] = law
        if article is not None:
            given["article"] = str(article)
        return self._party_records(self._filters(filters, given))

    # --- regulatory texts -----------------------------------------------------------------------------------------

    def article(self, law: str, article: str | int, on: str | date | None = None) -> "Article":
        """The words of ``law``'s ``article`` in force on the date ``on`` (today's text when None), with its law,
        chapter, 款 and 项, and the version they belong to. ``law`` by its full or short name (银行业监督管理法),
        ``article`` as 46, 第46条 or 第四十六条::

            a = kb.article("银行业监督管理法", 46, on="2019-05-01")
            a.chapter, a.clauses[0], a.version        # ('第五章 法律责任', '银行业金融机构有下列情形之一…', …)

        A date before every version the base holds gives the earliest held, and ``in_force_on_date`` False.
        """
        from db.links import article_on, text_named

        self._needs_texts()
        key = normalise_article(article)
        number = number_of(key)
        text = text_named(self.connection, law)
        if text is None:
            raise NotFound(f"the base holds no text of {law!r}; the laws it holds are: "
                           + ", ".join(row[0] for row in self.connection.execute(
                               "select name from texts where article_count > 0 order by name limit 20")))
        on_date = date_bound(on, end=False) if on else None
        row = article_on(self.connection, law, number, on_date)
        if row is None:
            last = self.connection.execute("select max(number) from articles where text_id = ?",
                                           [text["text_id"]]).fetchone()[0]
            runs_to = article_key(last) if last else "no article"
            raise NotFound(f"{text['name']} has no {key} (its articles run to {runs_to})")
        clauses = self.connection.execute("select clause_id, label, text from clauses where article_id = ?"
                                          " order by rowid", [row["article_id"]]).fetchall()
        version = self.connection.execute(
            "select label, date, note from text_versions where text_id = ? and (effective_from is null or"
            " effective_from <= coalesce(?, '9999')) order by ordinal desc limit 1",
            [row["text_id"], on_date]).fetchone()
        in_force = (row["effective_from"] is None or on_date is None or row["effective_from"] <= on_date) and \
                   (row["effective_to"] is None or on_date is None or on_date < row["effective_to"])
        return Article(law=text["name"], article=row["article"], number=row["number"], chapter=row["chapter"],
                       text=row["text"], clauses=[c[2] for c in clauses if not c[1].endswith("项")],
                       items={c[1]: c[2] for c in clauses}, article_id=row["article_id"], text_id=row["text_id"],
                       effective_from=row["effective_from"], effective_to=row["effective_to"],
                       version=f"{version[1]} {version[0]}" if version else None, in_force_on_date=in_force,
                       url=text["url"])

    def law(self, name: str) -> "Law":
        """A law or rule the base holds, by its full or short name: its particulars, its articles (one row each, with
        chapter and words) and its versions, oldest first::

            law = kb.law("银行业监督管理法")
            law.articles.groupby("chapter", sort=False).size()    # articles per chapter, in order
            law.versions[["label", "date"]]                        # 通过 2003-12-27, 修正 2006-10-31
        """
        from db.links import text_named

        self._needs_texts()
        text = text_named(self.connection, name)
        if text is None:
            raise NotFound(f"the base holds no text of {name!r}")
        articles = self.sql("select article_id, number, article, chapter, text, effective_from, effective_to"
                            " from articles where text_id = ? order by number", [text["text_id"]])
        versions = self.sql("select version_id, ordinal, label, date, effective_from, effective_to, note"
                            " from text_versions where text_id = ? order by ordinal", [text["text_id"]])
        fields_of = {f.name for f in fields(Law)} - {"articles", "versions"}
        return Law(**{k: text[k] for k in fields_of}, articles=articles, versions=versions)

    def _needs_texts(self) -> None:
        if not self._has_table("texts"):
            raise NoDatabase(f"{self.path} holds no regulatory texts (built before they were added): rebuild it with "
                             "`regkb build`")

    def institution(self, name: str, filters: Filters | None = None, **given) -> pd.DataFrame:
        """The record of one institution: parties named ``name``, or belonging to the legal entity ``name``."""
        return self._record("(p.name = ? or p.legal_entity = ?)", [name, name], name,
                            ("name", "legal_entity"), self._filters(filters, given))

    def group(self, parent: str, filters: Filters | None = None, **given) -> pd.DataFrame:
        """The record of a parent group (中国工商银行): every branch and subsidiary punished, one row per party."""
        return self._record("p.parent = ?", [parent], parent, ("parent",), self._filters(filters, given))

    # --- internals ------------------------------------------------------------------------------------------------

    def _record(self, condition: str, values: list, asked: str, columns: tuple[str, ...], filters: Filters):
        frame = self._party_records(filters, extra=(condition, values))
        if frame.empty and not self._exists(condition, values):
            like = " or ".join(f"{column} like ? escape '\\'" for column in columns)
            suggestions = [row[0] for row in self.connection.execute(
                f"select distinct {columns[0]} from parties where {like} order by 1 limit 10",
                [_like(asked)] * len(columns))]
            hint = f"; did you mean: {', '.join(suggestions)}" if suggestions else ""
            raise NotFound(f"no party in {self.path} has {' or '.join(columns)} {asked!r}{hint}")
        return frame

    def _exists(self, condition: str, values: list) -> bool:
        return self.connection.execute(f"select 1 from parties p where {condition} limit 1", values).fetchone() \
            is not None

    def _party_records(self, filters: Filters, extra: tuple[str, list] | None = None) -> pd.DataFrame:
        where, params = self._where(filters, party_alias="p")
        if extra:
            where, params = f"{where} and {extra[0]}", [*params, *extra[1]]
        return self.sql(f"select {_PARTY_COLUMNS}, d.title, d.facts, d.legal_basis, d.decision_text, d.url"
                        " from parties p join decisions d using (decision_id)"
                        f" where {where} order by {_NEWEST_FIRST}, p.ordinal", params)

    def _filters(self, filters: Filters | None, given: dict) -> Filters:
        unknown = set(given) - {f.name for f in fields(Filters)}
        if unknown:
            raise TypeError(f"unknown filter(s) {', '.join(sorted(unknown))}; filters are "
                            f"{', '.join(f.name for f in fields(Filters))}")
        return self.resolve(replace(filters or Filters(), **given))

    def resolve(self, filters: Filters) -> Filters:
        """Filters in the database's own terms, or BadFilter saying which value is unknown and what exists."""
        changes: dict[str, str | None] = {}
        if filters.article and not filters.law:
            raise BadFilter("an article needs its law: give --law as well as --article")
        if filters.law:
            variants = law_variants(filters.law)
            cited = [row[0] for row in self.connection.execute(
                f"select law from citations where law in ({','.join('?' * len(variants))})"
                " group by law order by count(*) desc", variants)]
            if not cited:
                known = [row[0] for row in self.connection.execute(
                    "select law from citations group by law order by count(*) desc limit 15")]
                raise BadFilter(f"no decision cites a law named {filters.law!r}; the laws cited most are: "
                                + ", ".join(known))
            changes["law"] = cited[0]
        if filters.article:
            changes["article"] = normalise_article(filters.article)
        if filters.category:
            known = [row[0] for row in self.connection.execute("select category from categories order by position")]
            if filters.category not in known:
                raise BadFilter(f"{filters.category!r} is not a violation category; the categories are: "
                                + ", ".join(known))
        if filters.province:
            known = [row[0] for row in self.connection.execute(
                "select distinct province from regions where province is not null order by province")] \
                if self._has_table("regions") else []
            known = known or [row[0] for row in self.connection.execute(
                "select distinct province from decisions where province is not null")]
            asked = province_name(filters.province)   # 四川 → 四川省, 广西 → 广西壮族自治区: as the web's queries
            matches = [NATIONAL] if asked == NATIONAL else [p for p in known if p == asked] or \
                [p for p in known if p.startswith(filters.province)]
            if not matches:
                raise BadFilter(f"{filters.province!r} is not a province; give one of: {', '.join(known)}")
            if len(matches) > 1:
                raise BadFilter(f"{filters.province!r} could be {' or '.join(matches)}: give one")
            changes["province"] = matches[0]
        if filters.institution_type:
            known = [row[0] for row in self.connection.execute(
                "select distinct institution_type from parties where institution_type is not null order by 1")]
            if filters.institution_type not in known:
                raise BadFilter(f"no party has institution type {filters.institution_type!r}; the types are: "
                                + ", ".join(known))
        changes["since"] = date_bound(filters.since, end=False)
        changes["until"] = date_bound(filters.until, end=True)
        if changes["since"] and changes["until"] and changes["since"] > changes["until"]:
            raise BadFilter(f"--since {changes['since']} is after --until {changes['until']}")
        if filters.search is not None and not filters.search.split():
            raise BadFilter("the search text is empty")
        if filters.source:
            known = [row[0] for row in self.connection.execute("select distinct source from decisions order by 1")]
            if filters.source.lower() not in known:
                raise BadFilter(f"no decision comes from source {filters.source!r}; the sources are: "
                                + ", ".join(known))
            changes["source"] = filters.source.lower()
        return replace(filters, **changes)

    def _where(self, filters: Filters, party_alias: str | None) -> tuple[str, list]:
        """SQL over ``decisions d`` (and ``parties p`` when selecting parties) for already resolved filters."""
        clauses, params = ["1 = 1"], []
        if filters.law:
            variants = law_variants(filters.law)
            article = " and c.article = ?" if filters.article else ""
            clauses.append("exists (select 1 from citations c where c.decision_id = d.decision_id"
                           f" and c.law in ({','.join('?' * len(variants))}){article})")
            params += [*variants, *([filters.article] if filters.article else [])]
        if filters.category:
            clauses.append("exists (select 1 from decision_categories dc where dc.decision_id = d.decision_id"
                           " and dc.category = ?)")
            params.append(filters.category)
        if filters.province == NATIONAL:
            clauses.append("d.province is null")   # a head office's decision: national
        elif filters.province:
            clauses.append("d.province = ?")
            params.append(filters.province)
        if filters.source:
            clauses.append("d.source = ?")
            params.append(filters.source)
        if filters.institution_type:
            # The type belongs to a party: selecting parties keeps those of that type; selecting decisions keeps
            # the decisions that punished one.
            if party_alias:
                clauses.append(f"{party_alias}.institution_type = ?")
            else:
                clauses.append("exists (select 1 from parties tp where tp.decision_id = d.decision_id"
                               " and tp.institution_type = ?)")
            params.append(filters.institution_type)
        if filters.since:
            clauses.append(f"{_DATE} >= ?")
            params.append(filters.since)
        if filters.until:
            clauses.append(f"{_DATE} <= ?")
            params.append(filters.until)
        for term in (filters.search or "").split():
            # LIKE, not an FTS index: exact for Chinese substrings whatever the tokeniser, and fast enough here.
            texts = ("d.title", "d.decision_no", "d.facts", "d.legal_basis", "d.decision_text")
            clauses.append("(" + " or ".join(f"{column} like ? escape '\\'" for column in texts)
                           + " or exists (select 1 from parties sp where sp.decision_id = d.decision_id"
                           " and (sp.name like ? escape '\\' or sp.role like ? escape '\\')))")
            params += [_like(term)] * (len(texts) + 2)
        return " and ".join(clauses), params

    def _has_table(self, name: str) -> bool:
        return self.connection.execute("select 1 from sqlite_master where type = 'table' and name = ?",
                                       [name]).fetchone() is not None


_DATE = "coalesce(d.decision_date, d.publish_date)"
_NEWEST_FIRST = f"{_DATE} desc, d.decision_id"
_PARTY_COLUMNS = ("p.party_id, p.decision_id, p.ordinal, p.name, p.kind, p.role, p.legal_representative,"
                  " p.institution_type, p.parent, p.legal_entity, p.branch_level, p.fine_yuan, p.confiscated_yuan,"
                  " p.sanctions_text, d.decision_no, d.decision_date, d.publish_date, d.year, d.authority_id,"
                  " d.authority, d.regulator, d.authority_level, d.province, d.city, d.categories")


def _snippet(word: str, row, width: int = 30) -> str | None:
    for text in row:
        if text and word and word in text:
            at = text.index(word)
            start, end = max(0, at - width), min(len(text), at + len(word) + width)
            return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return None


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for column in frame.columns:
        if column in DATE_COLUMNS:
            frame[column] = pd.to_datetime(frame[column], format="ISO8601")
        elif column in CATEGORY_COLUMNS:
            frame[column] = frame[column].astype("category")
        elif column in YUAN_COLUMNS:
            frame[column] = pd.to_numeric(frame[column]).astype("float64")
        elif column in INTEGER_COLUMNS:
            frame[column] = pd.to_numeric(frame[column]).astype("Int64")
        elif column == "lifetime":
            frame[column] = frame[column].astype(bool)
        elif column in LIST_COLUMNS and all(value.startswith("[") for value in frame[column].dropna()):
            frame[column] = [json.loads(value) if isinstance(value, str) and value else [] for value in frame[column]]
    return frame


# --- charts -------------------------------------------------------------------------------------------------------

CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "PingFang SC", "Heiti SC",
             "Microsoft YaHei", "SimHei")


def cjk_font() -> str:
    """The first installed font family that has Chinese glyphs, or an error that says how to install one."""
    import matplotlib
    from matplotlib import font_manager

    for attempt in range(2):
        installed = {font.name for font in font_manager.fontManager.ttflist}
        for family in CJK_FONTS:
            if family in installed:
                return family
        if attempt == 0:
            # matplotlib caches its font list: fonts installed after the cache was written are not in it yet.
            for path in font_manager.findSystemFonts():
                if re.search(r"CJK|wqy|SourceHan|PingFang|msyh|simhei", Path(path).name, re.IGNORECASE):
                    font_manager.fontManager.addfont(path)
    raise RuntimeError("no font with Chinese glyphs is installed, so chart labels would show as boxes: install "
                       "Noto CJK (Debian/Ubuntu: `apt-get install fonts-noto-cjk`; macOS and Windows have one) and "
                       f"restart Python; regkb looks for {', '.join(CJK_FONTS)} (matplotlib's font cache is in "
                       f"{matplotlib.get_cachedir()})")


def setup_charts() -> str:
    """Make matplotlib draw Chinese labels (and the minus sign, which CJK fonts lack); returns the family used."""
    import matplotlib

    family = cjk_font()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [family, *matplotlib.rcParams["font.sans-serif"]]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return family
