"""Free text in every voice (nlp/layouts/freetext.py): one example per rule, in sentences made up for the rule (某银行,
某支行: no real party), each read by hand. A mention is (authority, target, sanction, yuan)."""

from __future__ import annotations

import pytest

from nlp.layouts.freetext import document_type, parties_in, read_mentions


def mentions(text: str) -> list[tuple]:
    return [(m.authority, m.target, m.sanction, m.amount_yuan) for m in read_mentions(text)]


@pytest.mark.parametrize("text, expected", [
    # the passive: 被罚款, 因…被, 被…局罚款, 被警告并罚款, 被罚 (no 款)
    ("某银行被罚款60万元。", [(None, "某银行", "fine", 600_000)]),
    ("近日，某银行因贷款管理不审慎，被罚款50万元。", [(None, "某银行", "fine", 500_000)]),
    ("某证券公司被中国证监会罚款300万元。", [("中国证监会", "某证券公司", "fine", 3_000_000)]),
    ("某银行被警告并罚款30万元。", [(None, "某银行", "warning", None), (None, "某银行", "fine", 300_000)]),
    ("某支行被罚40万元。", [(None, "某支行", "fine", 400_000)]),
    # the subject is the clause's opening noun phrase, not the violation after it
    ("某公司在2018年至2021年间虚增营业收入20亿元，被罚款2.29亿元。", [(None, "某公司", "fine", 229_000_000)]),
    # 各: each target the one amount; 分别: each its own, in order
    ("两家支行各被处以20万元罚款。", [(None, "两家支行", "fine", 200_000)] * 2),
    ("甲支行、乙支行、丙支行分别被处以2万元、6万元、4万元罚款。",
     [(None, "甲支行", "fine", 20_000), (None, "乙支行", "fine", 60_000), (None, "丙支行", "fine", 40_000)]),
    # 罚单: the amount before the word
    ("近日，上海银保监局对某银行开出1.2亿元罚单。", [("上海银保监局", "某银行", "fine", 120_000_000)]),
    # a total and its parts (合计…其中…): the parts, each once; 其中个人 is not a second fine on the firm
    ("江苏银保监局对某银行及相关责任人合计罚款200万元，其中对机构罚款180万元，对个人罚款20万元。",
     [("江苏银保监局", "某银行", "fine", 1_800_000), ("江苏银保监局", "个人", "fine", 200_000)]),
    # a total for several targets, said before or after 被, is no one's
    ("对甲银行、乙银行合计罚款100万元。", []),
    ("甲、乙二人合计被罚60万元。", []),
    # a pronoun is the institution named before
    ("某银行上海分行违规发放贷款。上海银保监局对该行给予警告，并罚款30万元。",
     [("上海银保监局", "某银行上海分行", "warning", None), ("上海银保监局", "某银行上海分行", "fine", 300_000)]),
    # a 以下简称 is its full name
    ("某某财产保险股份有限公司（以下简称某某财险）违规。对某某财险罚款10万元。",
     [(None, "某某财产保险股份有限公司", "fine", 100_000)]),
    # the authority of its own paragraph, never the one before
    ("宁夏银保监局对某银行罚款20万元。\n四川银保监局对某保险公司罚款10万元。",
     [("宁夏银保监局", "某银行", "fine", 200_000), ("四川银保监局", "某保险公司", "fine", 100_000)]),
    # a counted target: each of three people banned
    ("对某地两家银行的3名员工禁止从事银行业工作。", [(None, "某地两家银行的3名员工", "ban", None)] * 3),
    # amounts: capitals with their figure in brackets, a full-width comma
    ("对某银行罚款贰万元（¥20,000.00）。", [(None, "某银行", "fine", 20_000)]),
    ("对某支行罚款2，500元。", [(None, "某支行", "fine", 2_500)]),
    # 终身禁业 is a ban; 责令你公司改正 an order to correct
    ("某某被终身禁业。", [(None, "某某", "ban", None)]),
    ("对你公司责令改正，并罚款5万元。", [(None, "你公司", "correction", None), (None, "你公司", "fine", 50_000)]),
])
def test_a_voice_of_free_text(text, expected):
    assert mentions(text) == expected


@pytest.mark.parametrize("text", [
    "2024年，金融监管总局共处罚机构1200家次，罚没合计12亿元。",          # a statistic
    "对违规机构处以1.5万–17万元不等的罚款。",                            # a range
    "银保监会拟对某银行罚款100万元。",                                   # proposed
    "某公司收到《行政处罚事先告知书》，证监会拟没收业务收入100万元。",     # an advance notice
    "某局对某公司采取出具警示函的监管措施，并责令改正。",                 # a supervisory measure
    "违反本法规定的，由国务院银行业监督管理机构责令改正，并处二十万元以上五十万元以下罚款。",   # a norm
])
def test_what_reports_no_penalty(text):
    assert mentions(text) == []


def test_a_decision_without_a_party_line_has_the_targets_its_sentences_punish():
    parties = parties_in("经查，某某人寿保险股份有限公司某某中心支公司虚列费用。我局决定对该公司罚款25万元。")
    assert [(name, [(s.type, s.amount_yuan) for s in sanctions]) for name, sanctions in parties] == [
        ("某某人寿保险股份有限公司某某中心支公司", [("fine", 250_000)])]


@pytest.mark.parametrize("lines, kind", [
    (["行政处罚决定书", "当事人：某银行"], "penalty"),
    (["记者获悉，某银行近日收到行政处罚决定书，被罚款50万元。"], "news"),            # a decision mentioned in prose
    (["第一条 为了规范…，制定本法。", "第二条 本法适用于…。", "第三条 对违反本法的，处以罚款。"], "other"),   # a law
    (["中国证券监督管理委员会公告", "第一条 为了…", "第二条 …", "第三条 …"], "notice"),     # rules published
    (["某某工作报告", "一年来，我们推进依法行政。"], "notice"),
    (["据统计，上半年共开出罚单46张，罚没合计1.52亿元。"], "news"),                    # statistics are news
])
def test_what_kind_of_document(lines, kind):
    assert document_type(lines) == kind
