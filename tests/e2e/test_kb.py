"""The Python API over the built demo database: typed DataFrames, filters, search, precedents, group records.

Expected values come from the source records (tests/fixtures/real/cbrc_2016_penalties_100.csv) or from SQL written
here, never from the API's own output.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import warnings
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from regkb.kb import BadFilter, KnowledgeBase, NoDatabase, NotFound, cjk_font, normalise_article, setup_charts
from tests.conftest import FIXTURES
from tests.expected import DEMO_DECISIONS, OTHER_DECISIONS

LAW, ARTICLE = "中华人民共和国银行业监督管理法", "第四十六条"
RECORDS = FIXTURES / "real" / "cbrc_2016_penalties_100.csv"
RECORD_DOCS = range(9000001, 9000101)    # docId = 9000000 + 序号 (sources/nfra/demo/README.md)


def records() -> dict[int, dict]:
    with open(RECORDS, encoding="utf-8-sig", newline="") as handle:
        return {9000000 + int(row["序号"]): row for row in csv.DictReader(handle)}


def record_date(row: dict) -> pd.Timestamp:
    return pd.Timestamp(datetime.strptime(row["处罚日期"], "%Y/%m/%d"))


@pytest.fixture(scope="module")
def db_path(demo_db) -> Path:
    return demo_db


@pytest.fixture(scope="module")
def kb(db_path):
    with KnowledgeBase(db_path) as opened:
        yield opened


@pytest.fixture(scope="module")
def sql(db_path):
    connection = sqlite3.connect(db_path)
    yield lambda query, *params: connection.execute(query, params).fetchall()
    connection.close()


def doc_ids(frame: pd.DataFrame) -> set[int]:
    """The NFRA docIds among the decisions (the records the tests compare with are NFRA's)."""
    return {int(decision_id.split(":")[1]) for decision_id in frame["decision_id"] if decision_id.startswith("nfra:")}


# --- opening ----------------------------------------------------------------------------------------------------------

def test_no_database_says_how_to_build_one(tmp_path):
    with pytest.raises(NoDatabase) as error:
        KnowledgeBase(tmp_path / "regkb.db")
    assert "regkb demo --no-serve" in str(error.value) and "regkb build" in str(error.value)


def test_a_database_that_is_not_regkb_is_refused(tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table notes (text)").connection.commit()
    with pytest.raises(NoDatabase, match="not a regkb database"):
        KnowledgeBase(other)


def test_default_path_follows_the_settings(db_path, monkeypatch):
    monkeypatch.setenv("REGKB_DB", str(db_path))
    with KnowledgeBase() as opened:
        assert opened.path == db_path and len(opened.decisions()) == DEMO_DECISIONS


def test_the_database_is_opened_read_only(kb, db_path):
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        kb.connection.execute("delete from decisions")
    assert sqlite3.connect(db_path).execute("select count(*) from decisions").fetchone()[0] == DEMO_DECISIONS


# --- typed tables -----------------------------------------------------------------------------------------------------

def test_decisions_have_proper_types(kb):
    decisions = kb.decisions()
    assert pd.api.types.is_datetime64_any_dtype(decisions["decision_date"])
    assert pd.api.types.is_datetime64_any_dtype(decisions["publish_date"])
    for column in ("province", "city", "authority_level", "regulator"):
        assert isinstance(decisions[column].dtype, pd.CategoricalDtype), column
    assert decisions["total_fine_yuan"].dtype == "float64"
    assert str(decisions["year"].dtype) == "Int64"
    assert all(isinstance(value, list) for value in decisions["categories"])


def test_decisions_agree_with_the_source_records(kb):
    # by the document's docId (9100004.… is 9100004's Word file)
    decisions = kb.decisions(source="nfra").assign(
        doc=lambda d: d.decision_id.str.split(":").str[1].str.split(".").str[0].astype(int))
    by_doc = decisions.set_index("doc")
    assert len(decisions) == 104   # the 100 records and four decisions (one published as a Word file)
    for doc, row in records().items():
        assert by_doc.at[doc, "decision_date"] == record_date(row), row
        assert by_doc.at[doc, "authority"] == row["处理机构"]
        assert by_doc.at[doc, "facts"] == row["违规事实"]
    # the real Tianjin table: 津银监罚决字〔2018〕35号, decided 2018-06-28, 平安银行 fined 50万元
    tianjin = decisions[decisions.decision_no == "津银监罚决字〔2018〕35号"].iloc[0]
    assert tianjin.decision_date == pd.Timestamp("2018-06-28") and tianjin.total_fine_yuan == 500_000
    assert tianjin.province == "天津市" and tianjin.year == 2018


def test_parties_fines_are_numbers_and_missing_where_nothing_was_fined(kb, sql):
    parties = kb.parties()
    assert len(parties) == sql("select count(*) from parties")[0][0]
    assert parties["fine_yuan"].dtype == "float64"
    assert isinstance(parties["kind"].dtype, pd.CategoricalDtype)
    assert isinstance(parties["institution_type"].dtype, pd.CategoricalDtype)
    assert parties["fine_yuan"].sum() == pytest.approx(sql("select sum(fine_yuan) from parties")[0][0])
    by_doc = kb.parties(source="nfra").assign(
        doc=lambda p: p.decision_id.str.split(":").str[1].str.split(".").str[0].astype(int)).set_index("doc")
    for doc, row in records().items():
        kinds = row["处罚类型"].split(",")
        if kinds == ["警告"] or "没收违法所得" in kinds:
            # a warning, or a combined 罚没 amount the record does not split: no fine
            assert pd.isna(by_doc.at[doc, "fine_yuan"]), row
        else:
            assert by_doc.at[doc, "fine_yuan"] == float(row["罚没金额（元）"]), row


def test_sanctions_are_typed(kb, sql):
    sanctions = kb.sanctions()
    assert len(sanctions) == sql("select count(*) from sanctions")[0][0]
    assert isinstance(sanctions["type"].dtype, pd.CategoricalDtype)
    assert sanctions["amount_yuan"].dtype == "float64" and sanctions["lifetime"].dtype == bool
    warnings_given = sanctions[sanctions.type == "warning"]
    expected = sum("警告" in row["处罚类型"] for row in records().values()) + 1   # + 张雄师 in 银保监罚决字〔2021〕35号
    # + the PBOC's and CSRC's: one per decision that warns, but 〔2026〕6号 warns 黄秀娟 and 邵雯 and 〔2026〕10号
    # warns the company and its ten officers
    expected += sum("警告" in labels for *_, labels in OTHER_DECISIONS) + 1 + 10
    assert len(warnings_given) == expected
    assert warnings_given["amount_yuan"].isna().all() and (warnings_given["label"] == "警告").all()


def test_categories_table_is_in_taxonomy_order(kb, sql):
    categories = kb.categories()
    order = [row[0] for row in sql("select category from categories order by position")]
    assert list(categories["category"].cat.categories) == order
    expected = dict(sql("select category, count(*) from decision_categories group by category"))
    assert categories["category"].value_counts()[list(expected)].to_dict() == expected


# --- filters ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("article", ["第四十六条", "第46条", "46", 46, "四十六", "第４６条"])
def test_precedents_accept_every_way_of_writing_the_article(kb, sql, article):
    expected = {row[0] for row in sql(
        "select party_id from parties where decision_id in"
        " (select decision_id from citations where law = ? and article = ?)", LAW, ARTICLE)}
    precedents = kb.precedents(LAW, article)
    assert set(precedents["party_id"]) == expected and len(precedents) == len(expected)
    # every source record whose legal basis names the article is among them
    cited = {doc for doc, row in records().items() if f"《{LAW}》{ARTICLE}" in row["法律依据"]}
    assert len(cited) > 40 and cited <= doc_ids(precedents)


def test_precedents_accept_the_short_name_of_a_law(kb):
    assert set(kb.precedents("银行业监督管理法", 46)["party_id"]) == set(kb.precedents(LAW, 46)["party_id"])
    assert set(kb.precedents("《中华人民共和国银行业监督管理法》", 46)["party_id"]) == \
        set(kb.precedents(LAW, 46)["party_id"])


def test_precedents_carry_what_a_lawyer_reads(kb, sql):
    precedents = kb.precedents(LAW, ARTICLE)
    assert {"facts", "legal_basis", "decision_no", "decision_date", "authority", "fine_yuan", "url"} <= \
        set(precedents.columns)
    assert precedents["fine_yuan"].sum() == pytest.approx(sql(
        "select sum(fine_yuan) from parties where decision_id in"
        " (select decision_id from citations where law = ? and article = ?)", LAW, ARTICLE)[0][0])
    dates = precedents["decision_date"].dropna()
    assert dates.is_monotonic_decreasing    # newest first


def test_the_same_filters_select_decisions(kb, sql):
    assert doc_ids(kb.decisions(law=LAW, article="46")) == {int(row[0]) for row in sql(
        "select doc_id from decisions where source = 'nfra' and decision_id in"
        " (select decision_id from citations where law = ? and article = ?)", LAW, ARTICLE)}


def test_dates_filter_by_year_month_or_day(kb):
    decided = {doc: record_date(row) for doc, row in records().items()}
    in_2015 = {doc for doc, day in decided.items() if day.year == 2015}
    assert doc_ids(kb.decisions(since="2015", until="2015")) == in_2015
    december = {doc for doc, day in decided.items() if (day.year, day.month) == (2015, 12)}
    assert doc_ids(kb.decisions(since="2015-12", until="2015-12")) == december
    assert doc_ids(kb.decisions(since="2015-12-01", until="2015-12-31")) == december


def test_province_filter_takes_the_short_name(kb, sql):
    expected = {int(row[0]) for row in sql("select doc_id from decisions where province = '四川省'")}
    assert doc_ids(kb.decisions(province="四川")) == doc_ids(kb.decisions(province="四川省")) == expected
    in_records = {doc for doc, row in records().items() if row["处理机构"] in ("四川银监局", "德阳银监分局")}
    assert expected == in_records


def test_category_and_institution_type_filters(kb, sql):
    assert doc_ids(kb.decisions(category="反洗钱")) == {int(row[0]) for row in sql(
        "select d.doc_id from decisions d join decision_categories c using (decision_id)"
        " where c.category = '反洗钱' and d.source = 'nfra'")}
    assert len(kb.decisions(category="反洗钱", source="pboc")) == sql(
        "select count(*) from decisions d join decision_categories c using (decision_id)"
        " where c.category = '反洗钱' and d.source = 'pboc'")[0][0] > 0
    parties = kb.parties(institution_type="国有大型银行")
    assert set(parties["party_id"]) == {row[0] for row in sql(
        "select party_id from parties where institution_type = '国有大型银行'")}
    assert (parties["institution_type"] == "国有大型银行").all()


@pytest.mark.parametrize("given, message", [
    ({"article": "46"}, "needs its law"),
    ({"law": LAW, "article": "第四十六条第一款"}, "not an article number"),
    ({"law": "不存在的法"}, "no decision cites"),
    ({"category": "洗钱"}, "not a violation category"),
    ({"province": "火星"}, "not a province"),
    ({"province": "山"}, "could be"),
    ({"institution_type": "外星银行"}, "institution type"),
    ({"since": "2015-13"}, "not a date"),
    ({"since": "2016", "until": "2015"}, "after"),
])
def test_bad_filters_say_what_is_wrong(kb, given, message):
    with pytest.raises(BadFilter, match=message):
        kb.decisions(**given)


def test_article_normalisation():
    assert normalise_article("第110条") == "第一百一十条"
    assert normalise_article("十") == "第十条"
    assert normalise_article("第一百零一条") == "第一百零一条"


# --- search -----------------------------------------------------------------------------------------------------------

def _contains_all(row, words, names) -> bool:
    texts = [row.title, row.decision_no, row.facts, row.legal_basis, row.decision_text, *names.get(row.decision_id, [])]
    return all(any(isinstance(text, str) and word in text for text in texts) for word in words)


def test_search_finds_exactly_the_decisions_containing_every_word(kb):
    everything = kb.decisions()
    names = kb.parties().groupby("decision_id")["name"].apply(list).to_dict()
    for words in (["挪用"], ["贷款", "挪用"], ["工商银行"], ["太平财产"]):
        expected = {row.decision_id for row in everything.itertuples() if _contains_all(row, words, names)}
        found = kb.search(" ".join(words))
        assert set(found["decision_id"]) == expected and expected, words
        assert found["snippet"].str.contains(words[0]).all()
    in_records = {doc for doc, row in records().items() if "挪用" in row["违规事实"]}
    assert in_records <= doc_ids(kb.search("挪用"))


@pytest.mark.parametrize("wildcard", ["%", "_"])
def test_search_treats_like_wildcards_as_text(kb, sql, wildcard):
    expected = {row[0] for row in sql(
        "select decision_id from decisions where instr(coalesce(title, '') || coalesce(decision_no, '') ||"
        " coalesce(facts, '') || coalesce(legal_basis, '') || coalesce(decision_text, ''), ?) > 0"
        " or decision_id in (select decision_id from parties where instr(name || coalesce(role, ''), ?) > 0)",
        wildcard, wildcard)}
    assert set(kb.search(wildcard)["decision_id"]) == expected and len(expected) < DEMO_DECISIONS


def test_search_combines_with_filters(kb):
    found = kb.search("贷款", province="四川", since="2015")
    assert not found.empty
    assert (found["province"] == "四川省").all() and (found["decision_date"] >= "2015-01-01").all()


# --- records of institutions and groups ------------------------------------------------------------------------------

def test_group_record_is_every_branch_of_the_parent(kb, sql):
    group = kb.group("中国工商银行")
    assert set(group["party_id"]) == {row[0] for row in sql("select party_id from parties where parent = '中国工商银行'")}
    # the records name each party's head institution (所属总行)
    in_records = {doc for doc, row in records().items() if row["所属总行"] == "中国工商银行股份有限公司"}
    assert doc_ids(group) == in_records and len(in_records) == 11
    assert group["fine_yuan"].sum() == sum(float(records()[doc]["罚没金额（元）"]) for doc in in_records)


def test_institution_record_by_branch_or_legal_entity(kb):
    branch = kb.institution("中国工商银行股份有限公司徐州分行")
    in_records = {doc for doc, row in records().items() if row["当事人"] == "中国工商银行股份有限公司徐州分行"}
    assert doc_ids(branch) == in_records and len(in_records) == 2
    entity = kb.institution("成都银行股份有限公司")
    assert doc_ids(entity) == {doc for doc, row in records().items() if row["所属总行"] == "成都银行股份有限公司"}


def test_unknown_group_suggests_close_names(kb):
    with pytest.raises(NotFound, match="中国工商银行"):
        kb.group("工商银行")


# --- charts -----------------------------------------------------------------------------------------------------------

def test_charts_draw_chinese_labels_without_missing_glyphs():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    family = setup_charts()
    assert family == "Noto Sans CJK SC"    # installed by .ci/run (Debian's fonts-noto-cjk)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure, axes = plt.subplots()
        axes.bar(["信贷业务", "反洗钱"], [64, -1])
        axes.set_title("各违规类别的处罚决定数")
        figure.savefig(io.BytesIO(), format="png")
        plt.close(figure)
    assert not [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_a_font_installed_after_matplotlibs_cache_was_written_is_found(monkeypatch):
    from matplotlib import font_manager

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])   # as a cache written before fonts-noto-cjk
    assert cjk_font() == "Noto Sans CJK SC"


def test_no_cjk_font_is_a_clear_error(monkeypatch):
    from matplotlib import font_manager

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *args, **kwargs: [])
    with pytest.raises(RuntimeError, match="fonts-noto-cjk"):
        cjk_font()
