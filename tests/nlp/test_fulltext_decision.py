"""Full-text 行政处罚决定书 on the real decisions in tests/fixtures/real/ (expected values read off the texts)."""

from __future__ import annotations

import pytest

from pipeline.files import parse_file
from tests.conftest import FIXTURES

REAL = FIXTURES / "real"


@pytest.fixture(scope="module")
def taiping():
    return parse_file(REAL / "decision_taiping_2021_35_full.txt")


def test_taiping_number_and_head_office(taiping):
    assert taiping.decision_no == "银保监罚决字〔2021〕35号"
    assert taiping.authority.canonical == "中国银行保险监督管理委员会"
    assert taiping.authority.level == "head office" and taiping.authority.province is None


def test_taiping_two_parties_legal_representative_not_a_party(taiping):
    assert [(p.name, p.kind) for p in taiping.parties] == [
        ("太平财产保险有限公司", "institution"), ("张雄师", "individual")]
    assert taiping.parties[0].legal_representative == "刘世宏"
    assert "刘世宏" not in [p.name for p in taiping.parties]
    assert taiping.parties[1].role == "时任太平财产保险有限公司责信险部总经理"


def test_taiping_sanctions_per_party_through_the_abbreviation(taiping):
    # 「对太平财险罚款50万元；…对张雄师警告并罚款10万元」, 太平财险 being 以下简称 for the company
    company, person = taiping.parties
    assert [(s.type, s.amount_yuan) for s in company.sanctions] == [("fine", 500_000)]
    assert [(s.type, s.amount_yuan) for s in person.sanctions] == [("warning", None), ("fine", 100_000)]


def test_taiping_amounts_that_are_not_sanctions_are_not_fines(taiping):
    # 1.68亿元 of insured amount, 316.64万元 of premiums, 348.3万元 and 1.65亿元 are facts, not sanctions
    assert taiping.total_fine_yuan == 600_000


def test_taiping_legal_basis_resolves_the_abbreviated_law(taiping):
    assert [(c.law, c.article) for c in taiping.citations] == [
        ("中华人民共和国保险法", "第一百三十五条"),
        ("中华人民共和国保险法", "第一百七十条"),
        ("中华人民共和国保险法", "第一百七十一条"),
    ]


def test_lu_2026_nfra_era_naming():
    decision = parse_file(REAL / "decision_lu_2026_16.txt")
    assert decision.decision_no == "鲁金罚决字〔2026〕16号"
    assert decision.decision_date == "2026-03-03"
    assert (decision.authority.regulator, decision.authority.level, decision.authority.province) == (
        "NFRA", "provincial bureau", "山东省")
    assert [(p.name, p.fine_yuan) for p in decision.parties] == [("华泰人寿保险股份有限公司山东分公司", 115_000)]
    assert decision.facts == "给予投保人保险合同约定以外的其他利益"
    assert [(c.law, c.article) for c in decision.citations] == [("中华人民共和国保险法", "第一百六十一条")]


@pytest.mark.parametrize("filename, party, legal_representative", [
    ("decision_ning_shouchufaren_head.txt", "中国太平洋财产保险股份有限公司石嘴山中心支公司", None),   # 受处罚人名称
    ("decision_xin_2018_23_head.txt", "昌吉市庞大一众汽车销售服务有限公司", "张久文"),                 # 名称 + 法定代表人
    ("decision_yu_2013_46_head.txt", "中国人寿保险股份有限公司重庆市分公司", "周多光"),               # 当事人 + 主要负责人
    ("decision_yue_2019_2_head.txt", "北京联合保险经纪有限公司广东分公司", "梅兰香"),                 # 被处罚单位名称
])
def test_party_label_variants(filename, party, legal_representative):
    decision = parse_file(REAL / filename)
    assert [(p.name, p.kind) for p in decision.parties] == [(party, "institution")]
    assert decision.parties[0].legal_representative == legal_representative


def test_dual_party_head_person_then_company():
    decision = parse_file(REAL / "decision_zhe_2007_2_dual_party_head.txt")
    assert [(p.name, p.kind) for p in decision.parties] == [
        ("顾斌", "individual"), ("安邦财产保险股份有限公司台州中心支公司", "institution")]
    assert decision.decision_no == "浙保监罚[2007]2号"
    # no authority line: the number's 浙 and 保监 say 浙江保监局
    assert (decision.authority.canonical, decision.authority.province) == ("中国保监会浙江监管局", "浙江省")


@pytest.mark.parametrize("filename, number, province", [
    ("decision_yu_2013_46_head.txt", "渝保监罚〔2013〕46号", "重庆市"),
    ("decision_xin_2018_23_head.txt", "新保监罚〔2018〕23号", "新疆维吾尔自治区"),
    ("decision_yue_2019_2_head.txt", "粤银保监罚决字〔2019〕2号", "广东省"),
])
def test_decision_numbers_and_province(filename, number, province):
    decision = parse_file(REAL / filename)
    assert decision.decision_no == number
    assert decision.authority.province == province


def test_sanctions_text_keeps_the_law_names(taiping):
    # the words a party's sanctions were read from, as the decision writes them
    assert "根据《保险法》第一百七十一条，对张雄师警告并罚款10万元" in taiping.parties[1].sanctions_text


def test_a_measure_addressed_by_a_salutation_line():
    # a 行政监管措施决定书 names its party as a letter does (广东证监局 on 风华高科, 〔2019〕13号: the facts of
    # shared/corpus/news_leads.md in the decision's usual sentences), not with 当事人
    from nlp.layouts.fulltext import read_fulltext

    fields = read_fulltext([
        "〔2019〕13号", "广东风华高新科技股份有限公司：",
        "经查，你公司未及时披露使用闲置资金购买理财产品6319万元、5500万元的事项，以及680.32万元的关联交易。",
        "根据《上市公司信息披露管理办法》第五十九条的规定，我局决定对你公司采取出具警示函的监督管理措施。",
        "如果对本监督管理措施不服，可以在收到本决定书之日起60日内向中国证券监督管理委员会提出行政复议申请。"])
    party, = fields.parties
    assert (party.name, party.kind) == ("广东风华高新科技股份有限公司", "institution")
    assert [(s.type, s.amount_yuan) for s in party.sanctions] == [("warning_letter", None)]
    # a heading that ends with a colon is no salutation
    assert read_fulltext(["经查：", "一、违法事实：", "你公司未及时披露…"]).parties == []


def test_short_names_are_found_as_the_plain_pattern_finds_them_wherever_they_stand():
    """short_names searches only near each 以下简称 (a page without one costs a find): on texts made of the pieces
    that decide a match (brackets, quotes, stops, names up to and past 60 characters), the same names as the
    pattern run over the whole text."""
    import random

    from nlp.patterns import ALIAS, short_names

    pieces = ["以下简称", "（", "(", "）", ")", "“", "”", "\"", "「", "」", "，", "。", "：", "某", "银行", "公司",
              "以下", "简称", "某" * 20, "短" * 11]
    chance = random.Random(14)
    for _ in range(3000):
        text = "".join(chance.choice(pieces) for _ in range(chance.randint(1, 120)))
        assert short_names(text) == {m["short"].strip(): m["full"].strip() for m in ALIAS.finditer(text)}, text
