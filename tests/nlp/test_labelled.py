"""One reader of labelled layouts: the label vocabulary (nlp/data/labels.yaml) read from lines whatever their shape.
One example per rule, in made-up texts of the shapes the issue lists (某某: no real party), each read by hand."""

from __future__ import annotations

import pytest

from nlp.fill import fill_decision
from nlp.records import Decision


def read(text: str) -> Decision:
    return fill_decision(Decision(source="file", doc_id="x", doc_format="fulltext"),
                         text_lines=text.splitlines())


def party(decision: Decision) -> tuple:
    first, = decision.parties
    return first.name, first.kind, first.fine_yuan


@pytest.mark.parametrize("text, expected", [
    # a synonym of 当事人
    ("行政处罚决定书\n被处罚人姓名：张某某\n经查，你存在违规行为。\n我局决定对你罚款5万元。", ("张某某", "individual", 50_000)),
    ("行政处罚决定书\n受处罚单位名称：某某银行股份有限公司某某支行\n经查，该行违规。\n我局决定罚款10万元。",
     ("某某银行股份有限公司某某支行", "institution", 100_000)),
    # the label alone on its line, the name on the next
    ("行政处罚决定书\n当事人：\n某某银行股份有限公司\n经查，该行违规。\n我局决定罚款20万元。",
     ("某某银行股份有限公司", "institution", 200_000)),
    # a PDF text layer's doubled label
    ("行政处罚决定书\n当当事事人人：某某银行股份有限公司\n经查，该行违规。\n我局决定罚款20万元。",
     ("某某银行股份有限公司", "institution", 200_000)),
])
def test_a_party_whatever_its_label(text, expected):
    assert party(read(text)) == expected


def test_an_address_under_the_party_is_never_a_party():
    decision = read("行政处罚信息公开表\n被处罚当事人\n单位\n名称\n某某银行股份有限公司\n地址\n某市某区某路1号\n"
                    "行政处罚决定\n罚款30万元")
    assert party(decision) == ("某某银行股份有限公司", "institution", 300_000)


def test_a_basis_written_inside_the_decision_is_read():
    decision = read("行政处罚信息公开表\n被处罚当事人\n单位\n名称\n某某村镇银行股份有限公司\n行政处罚内容\n"
                    "根据《中华人民共和国中国人民银行法》第三十二条的规定，处以罚款1万元")
    assert [(c.law, c.article) for c in decision.citations] == [("中华人民共和国中国人民银行法", "第三十二条")]
    assert party(decision) == ("某某村镇银行股份有限公司", "institution", 10_000)


def test_an_unknown_label_is_reported_not_dropped():
    decision = read("行政处罚决定书\n当事人：某某银行股份有限公司\n备案编号：X-1\n经查，该行违规。\n我局决定罚款20万元。")
    assert "未知标签：备案编号" in decision.review.notes and party(decision)[0] == "某某银行股份有限公司"


def test_a_decision_without_a_party_line_is_read_from_its_sentences_and_flagged():
    decision = read("某某银保监分局行政处罚决定书\n经查，某某财产保险股份有限公司某某支公司虚列费用。\n"
                    "我分局决定对该公司罚款25万元。")
    assert party(decision) == ("某某财产保险股份有限公司某某支公司", "institution", 250_000)
    assert "当事人由正文推断" in decision.review.items
