"""The disclosure table (行政处罚信息公开表), field by field, on the real Tianjin table and variants of it.

Expected values are read off the documents themselves (tests/fixtures/real/, tests/fixtures/assembled/).
"""

from __future__ import annotations

import pytest

from nlp.fill import fill_decision
from nlp.formats.grid import distinct
from nlp.formats.word_html import grids, parse_html
from nlp.records import Decision
from pipeline.files import parse_file
from tests.conftest import FIXTURES

TIANJIN = FIXTURES / "real" / "tianjin_2018_35_penalty_table.html"


@pytest.fixture(scope="module")
def tianjin():
    return parse_file(TIANJIN)


def from_html(html: str) -> Decision:
    return fill_decision(Decision(source="test", doc_id="x", doc_format="table"), parse_html(html))


# -- the real table ---------------------------------------------------------------------------------------------

def test_decision_number_split_across_spans_is_joined(tianjin):
    assert tianjin.decision_no == "津银监罚决字〔2018〕35号"


def test_date_inside_st1_chsdate(tianjin):
    assert tianjin.decision_date == "2018-06-28"


def test_one_institution_party_and_the_legal_representative_is_not_a_party(tianjin):
    assert [(p.name, p.kind) for p in tianjin.parties] == [("平安银行股份有限公司", "institution")]
    assert tianjin.parties[0].legal_representative == "谢永林"


def test_empty_individual_dash_gives_no_individual_party(tianjin):
    assert all(p.kind != "individual" for p in tianjin.parties)


def test_fine_in_yuan(tianjin):
    party = tianjin.parties[0]
    assert [(s.type, s.amount_yuan) for s in party.sanctions] == [("fine", 500_000)]
    assert party.fine_yuan == 500_000 and tianjin.total_fine_yuan == 500_000


def test_facts_and_legal_basis_text(tianjin):
    assert tianjin.facts == "贷前调查不到位，向环保未达标的企业提供融资；贷后管理失职，流动资金贷款被挪用"
    assert tianjin.legal_basis.startswith("《中国银监会关于印发<节能减排授信工作指导意见>的通知》")
    assert tianjin.legal_basis.endswith("《中华人民共和国银行业监督管理法》第二十一条、第四十六条。")


def test_citations_resolve_escaped_brackets_and_list_each_article(tianjin):
    cited = [(c.law, c.article) for c in tianjin.citations]
    assert ("中国银监会关于印发《节能减排授信工作指导意见》的通知", "第五条") in cited
    assert [a for law, a in cited if law == "流动资金贷款管理暂行办法"] == ["第九条", "第十三条", "第三十条"]
    assert [a for law, a in cited if law == "中华人民共和国银行业监督管理法"] == ["第二十一条", "第四十六条"]


def test_authority_level_and_region(tianjin):
    authority = tianjin.authority
    assert authority.name == "天津银监局"
    assert (authority.regulator, authority.level, authority.province, authority.city) == (
        "CBRC", "provincial bureau", "天津市", None)


def test_credit_category_from_facts(tianjin):
    assert "信贷业务" in tianjin.categories


def test_grid_expands_rowspan_and_colspan():
    rows = [[cell.text for cell in distinct(row)] for row in grids(parse_html(TIANJIN.read_text()))[0]]
    # 被处罚当事人姓名或全称 spans three rows; 单位 spans two; both are repeated into every row they cover
    assert rows[1] == ["被处罚当事人姓名或全称", "个人姓名", "—"]
    assert rows[2] == ["被处罚当事人姓名或全称", "单位", "名称", "平安银行股份有限公司"]
    assert rows[3] == ["被处罚当事人姓名或全称", "单位", "法定代表人（主要负责人）姓名", "谢永林"]


# -- variants of the real table ---------------------------------------------------------------------------------

def individual_variant() -> str:
    """The Tianjin markup with its party cells holding the individual of 银保监罚决字〔2021〕35号 and his sanctions:
    个人姓名 「—」 → 「张雄师（时任…总经理）」, 单位名称 and 法定代表人 → 「—」, 行政处罚决定 → that decision's words."""
    html = TIANJIN.read_text()
    html = html.replace("仿宋_GB2312\">—<", "仿宋_GB2312\">张雄师（时任太平财产保险有限公司责信险部总经理）<", 1)
    html = html.replace("平安银行股份有限公司<span", "—<span", 1).replace("谢永林<span", "—<span", 1)
    html = html.replace("罚款人民币<span lang=\"EN-US\">50</span>万元", "警告并罚款10万元", 1)
    assert "张雄师" in html and "谢永林" not in html  # the substitutions took
    return html


def test_individual_party_with_role():
    decision = from_html(individual_variant())
    assert [(p.name, p.kind, p.role) for p in decision.parties] == [
        ("张雄师", "individual", "时任太平财产保险有限公司责信险部总经理")]
    assert [(s.type, s.amount_yuan) for s in decision.parties[0].sanctions] == [("warning", None), ("fine", 100_000)]


def test_table_without_any_party_is_kept_with_what_it_says_and_flagged():
    # the party's cell emptied (「—」): the decision is still one, its number, date and authority read, for review
    html = TIANJIN.read_text().replace("平安银行股份有限公司<span", "—<span", 1)
    decision = from_html(html)
    assert decision.parties == [] and decision.review.items == ["未识别当事人"]
    assert decision.decision_no == "津银监罚决字〔2018〕35号" and decision.decision_date == "2018-06-28"
    assert decision.authority.canonical == "中国银监会天津监管局"


def test_multi_party_table_one_row_per_party_with_shared_merged_cells():
    decision = parse_file(FIXTURES / "assembled" / "multi_party_taiping_2021_35.html")
    assert [(p.name, p.kind, p.role) for p in decision.parties] == [
        ("太平财产保险有限公司", "institution", None),
        ("张雄师", "individual", "时任太平财产保险有限公司责信险部总经理"),
    ]
    assert [p.fine_yuan for p in decision.parties] == [500_000, 100_000]
    assert [s.type for s in decision.parties[1].sanctions] == ["warning", "fine"]
    assert decision.total_fine_yuan == 600_000
    assert decision.facts == "未按照规定使用经批准或者备案的保险条款、保险费率"  # the rowspan cell, once
    assert decision.authority.canonical == "中国银行保险监督管理委员会"
    assert decision.authority.level == "head office"
