"""What regkb never shows of a person, masked at extraction even where a page shows it."""

from __future__ import annotations

import json

import pytest

from nlp.privacy import MASK, mask
from tests.conftest import FIXTURES, run_regkb


@pytest.mark.parametrize("text, expected", [
    ("身份证号码：11010119800307123X", f"身份证号码：{MASK}"),
    ("公民身份证号110101800307123", f"公民身份证号{MASK}"),                   # the 15 digits of before 1999
    ("当事人：李某，男，1980年3月出生，身份证号310101198003071234，", f"当事人：李某，男，1980年3月出生，身份证号{MASK}，"),
    ("联系电话：010-66016688", f"联系电话：{MASK}"),
    ("手机13912345678。", f"手机{MASK}。"),
    ("住址：四川省成都市某区某路1号", f"住址：{MASK}"),
    ("Tel: 010-66016688", f"Tel: {MASK}"),
    ("当事人：顾斌，男，汉族，住所：上海市浦东新区某路", f"当事人：顾斌，男，汉族，住所：{MASK}"),
])
def test_a_persons_numbers_and_home_are_masked(text, expected):
    assert mask(text) == expected


# Word markup around the text, as an NFRA answer's docClob holds it: the page-sized text whose patterns mask() tries
# only where the words they need are there
MARKUP = '<TD width=120 style="TEXT-ALIGN: center"><P class=MsoNormal><SPAN>某某银行违规发放贷款</SPAN></P></TD>\n' * 20


@pytest.mark.parametrize("text, expected", [
    ("身份证号码：11010119800307123X", f"身份证号码：{MASK}"),
    ("当事人：李某，男，1980年3月出生，身份证号310101198003071234，", f"当事人：李某，男，1980年3月出生，身份证号{MASK}，"),
    ("联系电话：010-66016688", f"联系电话：{MASK}"), ("TEL：010-66016688", f"TEL：{MASK}"),
    ("手机13912345678。", f"手机{MASK}。"), ("住址：四川省成都市某区某路1号", f"住址：{MASK}"),
    ("当事人：顾斌，男，汉族，住所：上海市浦东新区某路", f"当事人：顾斌，男，汉族，住所：{MASK}"),
    ("住所：上海市浦东新区陆家嘴环路1000号", "住所：上海市浦东新区陆家嘴环路1000号"),
])
def test_a_page_is_masked_as_its_lines_are(text, expected):
    assert len(MARKUP) > 1000
    assert mask(MARKUP + text + "\n" + MARKUP) == MARKUP + expected + "\n" + MARKUP


@pytest.mark.parametrize("text", [
    "住所：上海市浦东新区陆家嘴环路1000号",          # a company's registered address is public business information
    "处以13500000000元罚款", "罚款13912345678元",     # amounts are not phone numbers
    "没收违法所得2,735,849.06元", "津银监罚决字〔2018〕35号", "2018年6月28日",
])
def test_what_is_not_a_persons_stays(text):
    assert mask(text) == text


def test_parse_prints_no_identity_number_or_phone(tmp_path):
    text = (FIXTURES / "real" / "decision_taiping_2021_35_full.txt").read_text(encoding="utf-8")
    text = text.replace("张雄师", "张雄师，男，身份证号码310101198003071234，住址：上海市某区某路1号，电话13912345678", 1)
    path = tmp_path / "decision.txt"
    path.write_text(text, encoding="utf-8")
    result = run_regkb("parse", str(path))
    assert result.returncode == 0, result.stderr
    printed = result.stdout
    assert "310101198003071234" not in printed and "13912345678" not in printed and "某区某路" not in printed
    assert "张雄师" in [party["name"] for party in json.loads(printed)["parties"]]


def test_a_records_fields_are_masked_and_scrubbed_each_as_itself():
    """What extraction keeps (nlp/fill.py): every text of a decision and its parts, tested all at once and then,
    where that finds something, each as itself. A mobile number that ends one field stays a mobile number when the
    next field opens with 元 (a person surnamed 元; 13912345678元 would be an amount, not a phone number)."""
    from nlp.fill import _scrub_texts
    from nlp.records import Decision, Party, Sanction

    decision = Decision(source="file", doc_id="1", doc_format="table", facts="贷后管理失职")
    decision.parties = [Party(name="某银行股份有限公司", kind="institution", role="联系人13912345678",
                              legal_representative="元某某", sanctions=[Sanction(type="fine", label="罚款")])]
    _scrub_texts(decision)
    assert decision.parties[0].role == f"联系人{MASK}" and decision.parties[0].legal_representative == "元某某"

    decision = Decision(source="file", doc_id="2", doc_format="table", facts="罚款13912345678元")
    decision.aliases = {"某行\x1b": "某银行股份有限公司\x07"}
    _scrub_texts(decision)
    assert decision.facts == "罚款13912345678元" and decision.aliases == {"某行": "某银行股份有限公司"}
