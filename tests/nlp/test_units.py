"""The small readers, on the forms shared/DOMAIN.md lists (expected values are what those forms mean, worked by hand)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nlp.clean import clean_lines, clean_text_lines, looks_like_pdf_text
from nlp.entities import find_entities, resolve, trimmed
from nlp.fields.amounts import find_amounts
from nlp.fields.authorities import UnknownAuthority, resolve_authority, trie_pattern
from nlp.fields.categories import categorise, subcategorise
from nlp.fields.institutions import classify
from nlp.fields.legal_basis import normalise_article, read_citations
from nlp.fields.sanctions import read_sanctions
from nlp.formats.word_html import grids, lines, parse_html
from nlp.layouts.freetext import document_type, read_mentions
from nlp.spacy_pipeline import analyse
from nlp.text import normalize, squash

GOLD = Path(__file__).resolve().parent.parent / "gold"
ROOT = GOLD.parent.parent


@pytest.mark.parametrize("text, yuan", [
    ("罚款30万元", 300_000), ("罚款人民币叁拾万元", 300_000), ("罚款三十万元", 300_000), ("罚款300,000元", 300_000),
    ("罚款1017.61元", 1017.61), ("罚款合计65万元", 650_000), ("罚款一百九十四点六万元", 1_946_000),
    ("罚款1.2亿元", 120_000_000), ("罚款一亿二千万元", 120_000_000), ("罚款１５万元", 150_000), ("罚款两万五千元", 25_000),
])
def test_amount_forms(text, yuan):
    assert [a.yuan for a in find_amounts(text)] == [yuan]


@pytest.mark.parametrize("text, expected", [
    ("没收违法所得2.3万元并处罚款4.6万元", [("confiscation", 23_000), ("fine", 46_000)]),
    ("警告，并处罚款人民币30万元", [("warning", None), ("fine", 300_000)]),
    ("处以50万元罚款", [("fine", 500_000)]),
    ("责令改正，并罚款30万元", [("correction", None), ("fine", 300_000)]),
    ("通报批评", [("public_criticism", None)]),
    # supervisory measures (nlp/data/sanctions.yaml, the measures of 《证券期货市场监督管理措施实施办法》)
    ("对你公司采取出具警示函的监督管理措施", [("warning_letter", None)]),
    ("对你采取监管谈话的行政监管措施", [("regulatory_talk", None)]),
    ("责令你公司公开说明相关情况", [("public_statement", None)]),
    ("责令你参加证券法律法规培训", [("training", None)]),
    ("责令你公司每月定期报告整改进展", [("periodic_report", None)]),
    ("采取责令增加内部合规检查次数的措施", [("compliance_checks", None)]),
    ("暂停你公司新增私募资产管理业务六个月", [("business_suspension", None)]),
    ("认定你为不适当人选，期限为二年", [("unfit_person", None)]),
    ("不予警告", []),
])
def test_sanctions_and_their_amounts(text, expected):
    assert [(s.type, s.amount_yuan) for s in read_sanctions(text)] == expected


def test_ban_and_disqualification_years():
    ban, = read_sanctions("禁止从事银行业工作五年")
    assert (ban.type, ban.years, ban.lifetime) == ("ban", 5, False)
    life, = read_sanctions("终身禁止从事银行业工作")
    assert (life.type, life.years, life.lifetime) == ("ban", None, True)
    disqualified, = read_sanctions("取消高级管理人员任职资格3年")
    assert (disqualified.type, disqualified.years) == ("disqualification", 3)


def test_amounts_that_are_not_sanctions_are_not_fines():
    sanctions = read_sanctions("违规发放贷款1.68亿元，少缴存款准备金1,696,016.59元，对该行罚款50万元")
    assert [(s.type, s.amount_yuan) for s in sanctions] == [("fine", 500_000)]


@pytest.mark.parametrize("name, canonical, level, province, city", [
    ("宁夏银保监局", "中国银保监会宁夏监管局", "provincial bureau", "宁夏回族自治区", None),
    ("崇左银保监分局", "中国银保监会崇左监管分局", "sub-bureau", "广西壮族自治区", "崇左市"),
    ("宁波银保监局", "中国银保监会宁波监管局", "provincial bureau", "浙江省", "宁波市"),
    ("国家金融监督管理总局宁夏监管局", "国家金融监督管理总局宁夏监管局", "provincial bureau", "宁夏回族自治区", None),
    ("宁夏金融监管局", "国家金融监督管理总局宁夏监管局", "provincial bureau", "宁夏回族自治区", None),
    ("崇左金融监管分局", "国家金融监督管理总局崇左监管分局", "sub-bureau", "广西壮族自治区", "崇左市"),
    ("吴忠银监分局", "中国银监会吴忠监管分局", "sub-bureau", "宁夏回族自治区", "吴忠市"),
    ("浙江保监局", "中国保监会浙江监管局", "provincial bureau", "浙江省", None),
    ("中国人民银行成都分行", "中国人民银行成都分行", "provincial bureau", "四川省", "成都市"),
    ("中国人民银行营业管理部", "中国人民银行营业管理部", "provincial bureau", "北京市", None),
    ("中国人民银行浙江省分行", "中国人民银行浙江省分行", "provincial bureau", "浙江省", None),
    ("中国人民银行衢州市中心支行", "中国人民银行衢州市中心支行", "sub-bureau", "浙江省", "衢州市"),
    ("银保监会", "中国银行保险监督管理委员会", "head office", None, None),
    # the PBOC after its 2023 reform: provincial branches, separately planned cities' branches, city branches
    ("中国人民银行北京市分行", "中国人民银行北京市分行", "provincial bureau", "北京市", None),
    ("中国人民银行广西壮族自治区分行", "中国人民银行广西壮族自治区分行", "provincial bureau", "广西壮族自治区", None),
    ("中国人民银行深圳市分行", "中国人民银行深圳市分行", "provincial bureau", "广东省", "深圳市"),
    ("中国人民银行绵阳市分行", "中国人民银行绵阳市分行", "sub-bureau", "四川省", "绵阳市"),
    ("中国人民银行上海分行", "中国人民银行上海分行", "provincial bureau", "上海市", None),
    ("中国人民银行", "中国人民银行", "head office", None, None),
    # the CSRC: head office and bureaus, written in full, short or as 证监局
    ("中国证监会", "中国证券监督管理委员会", "head office", None, None),
    ("中国证券监督管理委员会北京监管局", "中国证券监督管理委员会北京监管局", "provincial bureau", "北京市", None),
    ("中国证监会深圳监管局", "中国证券监督管理委员会深圳监管局", "provincial bureau", "广东省", "深圳市"),
    ("湖北证监局", "中国证券监督管理委员会湖北监管局", "provincial bureau", "湖北省", None),
    # a PBOC 县支行, placed through its county's prefecture (郓城县 and 曹县 are 菏泽's; 晋江市 a county-level city)
    ("中国人民银行郓城县支行", "中国人民银行郓城县支行", "county branch", "山东省", "菏泽市"),
    ("中国人民银行晋江市支行", "中国人民银行晋江市支行", "county branch", "福建省", "泉州市"),
    # an office being set up (筹备组) decides as the office it becomes
    ("国家金融监督管理总局菏泽监管分局筹备组", "国家金融监督管理总局菏泽监管分局", "sub-bureau", "山东省", "菏泽市"),
])
def test_authorities_across_reforms(name, canonical, level, province, city):
    authority = resolve_authority(name)
    assert (authority.canonical, authority.level, authority.province, authority.city) == (
        canonical, level, province, city)


@pytest.mark.parametrize("number, canonical, level, province, city", [
    ("菏金罚决字〔2023〕26号", "国家金融监督管理总局菏泽监管分局", "sub-bureau", "山东省", "菏泽市"),   # a prefecture's initial
    ("衢银保监罚决字〔2020〕1号", "中国银保监会衢州监管分局", "sub-bureau", "浙江省", "衢州市"),
    ("鲁金罚决字〔2026〕16号", "国家金融监督管理总局山东监管局", "provincial bureau", "山东省", None),    # a province's
])
def test_the_authority_a_decision_number_names(number, canonical, level, province, city):
    from nlp.fields.authorities import authority_from_decision_no

    authority = authority_from_decision_no(number)
    assert (authority.canonical, authority.level, authority.province, authority.city) == (
        canonical, level, province, city)


def test_an_old_page_metadata_block_is_metadata_not_the_authority():
    # the 索引号/分类/发布机构/文号 block above an old CSRC page's text
    from nlp.layouts.fulltext import read_fulltext

    fields = read_fulltext(["索引号：bm56000001/2019-00001 分类：行政处罚 发布机构：证监会 文号：〔2019〕1号",
                            "当事人：某某，男，1970年出生。", "经查，某某存在违法行为。", "我会决定：对某某罚款10万元。"])
    assert (fields.authority_name, fields.decision_no) == ("证监会", "〔2019〕1号")
    assert [(p.name, p.fine_yuan) for p in fields.parties] == [("某某", 100_000)]


def test_a_trie_of_many_words_finds_each_word_and_the_longest_where_they_share_a_start():
    """trie_pattern cuts a choice of more than 32 branches into groups (nlp/fields/authorities.py): every word is
    still found whole, the longer of two that share a start preferred, as an alternation longest-first finds them."""
    words = {chr(0x4E00 + i) + "州" for i in range(0, 400, 3)} | {"浙江", "浙江省", "衢州", "衢州市", "成都"}
    trie = re.compile(trie_pattern(words))
    plain = re.compile("|".join(sorted(words, key=len, reverse=True)))
    assert all(trie.fullmatch(word) for word in words)
    text = "浙江省衢州市与成都及" + "、".join(sorted(words)) + "，乙未州不是"
    assert [m.group(0) for m in trie.finditer(text)] == [m.group(0) for m in plain.finditer(text)]
    assert [m.group(0) for m in trie.finditer("浙江省衢州市")] == ["浙江省", "衢州市"]


def test_unknown_authority_is_an_error_naming_it():
    with pytest.raises(UnknownAuthority, match="某某委员会"):
        resolve_authority("某某委员会")


@pytest.mark.parametrize("name, institution_type, parent, level", [
    ("中国工商银行股份有限公司成都分行", "国有大型银行", "中国工商银行", "分行"),
    ("上海浦东发展银行股份有限公司衢州支行", "股份制银行", "上海浦东发展银行", "支行"),
    ("成都银行股份有限公司高升桥支行", "城商行", "成都银行", "支行"),
    ("江苏江南农村商业银行股份有限公司", "农商行", "江苏江南农村商业银行", "法人"),
    ("正蓝旗农村信用合作联社", "农信社", "正蓝旗农村信用合作联社", "法人"),
    ("常州金坛兴福村镇银行有限责任公司", "村镇银行", "常州金坛兴福村镇银行", "法人"),
    ("中国农业发展银行通辽市科尔沁区支行", "政策性银行", "中国农业发展银行", "支行"),
    ("中国太平洋财产保险股份有限公司石嘴山中心支公司", "财产险公司", "中国太平洋保险", "中心支公司"),
    ("华泰人寿保险股份有限公司山东分公司", "人身险公司", "华泰保险", "分公司"),
    ("北京联合保险经纪有限公司广东分公司", "保险中介", "北京联合保险经纪", "分公司"),
])
def test_institution_type_parent_and_level(name, institution_type, parent, level):
    info = classify(name)
    assert (info.institution_type, info.parent, info.branch_level) == (institution_type, parent, level)


def test_citations_resolve_short_names_typos_and_numbers():
    cited = read_citations("《商业银行法》第35条、《中华人民共和银行业监督管理法》第二十一条四十六条")
    assert [(c.law, c.article) for c in cited] == [
        ("中华人民共和国商业银行法", "第三十五条"),
        ("中华人民共和国银行业监督管理法", "第二十一条"),
        ("中华人民共和国银行业监督管理法", "第四十六条"),
    ]
    assert normalise_article("第46条") == normalise_article("46") == "第四十六条"


def test_traditional_junk_and_pinyin_are_cleaned():
    lines = clean_lines(["首页 > 新闻中心", "當事人：中國工商銀行股份有限公司成都分行", "分享到：微信 微博",
                         "罚款（fá kuǎn）50万元", "银行 保险 监管 罚款 贷款 征信"])
    assert lines == ["当事人：中国工商银行股份有限公司成都分行", "罚款50万元"]


def test_furniture_is_dropped_on_whatever_line_it_stands():
    """The furniture patterns are tried over the page first (nlp/clean.py): a line of furniture anywhere goes, and
    a document's line that only holds a furniture word inside a sentence stays."""
    page = ["当事人：某银行股份有限公司", "主要违法违规事实：贷款资金来源：自有资金不实", "责任编辑：张三", "罚款50万元"]
    assert clean_lines(page) == ["当事人：某银行股份有限公司", "主要违法违规事实：贷款资金来源：自有资金不实", "罚款50万元"]
    assert clean_lines(["罚款（fá kuǎn）50万元", "贷款（daikuan）"]) == ["罚款50万元", "贷款"]


def test_squash_and_normalize_keep_the_words_and_drop_the_padding():
    assert squash("单\u3000\u3000位\xa0名 称\n") == "单位名称"
    assert squash(" Standard\u2002 Chartered  Bank （中国） ") == "Standard Chartered Bank（中国）"
    assert normalize("罚款５０万元（人民币）\u3000ＥＡＳＴ") == "罚款50万元（人民币） EAST"
    assert normalize("罚款50万元") == "罚款50万元"


def test_a_word_page_in_traditional_characters_is_read_simplified():
    """Told by the page's words (its markup, style names and all, is most of its characters and says nothing)."""
    page = '<html><body><p style="font-family:標楷體"><span>當事人：中國工商銀行股份有限公司</span></p></body></html>'
    assert lines(parse_html(page)) == ["当事人：中国工商银行股份有限公司"]


def test_a_word_pages_styles_are_not_read_but_words_like_them_are():
    """Inline styles go before the page is parsed (nlp/formats/word_html.py); the same words in the text stay."""
    page = ('<p class=MsoNormal style="font-family:仿宋_GB2312;mso-bidi-font-family:\'Times New Roman\'">'
            '<span style=\'font-size:14.0pt\'>当事人：某银行</span></p><p>网页代码 style="color:red" 不是样式</p>'
            '<table><tr><td style="width:73.8pt" rowspan="2">单  位</td><td>名称</td></tr><tr><td>某银行</td></tr></table>')
    root = parse_html(page)
    assert lines(root) == ["当事人：某银行", '网页代码style="color:red"不是样式', "单位", "名称", "某银行"]
    assert [[cell.text for cell in row] for row in grids(root)[0]] == [["单位", "名称"], ["单位", "某银行"]]


def test_a_word_pages_inline_tags_go_and_their_words_stay():
    """``word=True`` (an NFRA docClob): Word's <span> and <o:p> tags are left out before the page is parsed, an
    attribute holding 「>」 and all; its lines and grids are those the whole markup gives."""
    page = ('<p class=MsoNormal><span lang=EN-US>第一条</span>&ensp;<span title="a>b">为了规范</span><o:p></o:p></p>'
            '<table><tr><td rowspan=2><p><span>单<span lang=EN-US>  </span>位</span></p></td><td><span>名称</span></td>'
            '</tr><tr><td><span>某银行</span><o:p>&nbsp;</o:p></td></tr></table>')
    whole, word = parse_html(page), parse_html(page, word=True)
    assert lines(word) == lines(whole) == ["第一条为了规范", "单位", "名称", "某银行"]
    assert [[cell.text for cell in row] for row in grids(word)[0]] == [["单位", "名称"], ["单位", "某银行"]]
    assert grids(word) == grids(whole)
    assert not list(word.iter("span", "o:p")) and list(whole.iter("span", "o:p"))


def test_a_word_page_in_traditional_characters_written_as_references_is_read_simplified():
    """A Word page is told traditional by its markup first (its words are in it) unless it writes characters as
    references (「&#37504;」 is 銀), which only its words show; the references are converted with the markup. Its
    table is read simplified either way, a Word page or another."""
    cells = "<tr><td>當事人</td><td>中國工商銀行</td></tr>"
    as_references = "".join(f"&#{ord(ch)};" if ch in "當國銀" else ch for ch in cells)
    for page in (f"<table>{cells}</table>", f"<table>{as_references}</table>"):
        for word in (True, False):
            root = parse_html(page, word=word)
            assert [[cell.text for cell in row] for row in grids(root)[0]] == [["当事人", "中国工商银行"]], page


def test_a_table_in_a_pages_content_is_read_where_the_content_stands_in_a_layout_table():
    """A PBOC page of the older branch sites keeps its content (#zoom) in a cell of its layout table: the 公示表 in
    that content is an outermost table of the content, and read as a grid (it was taken for a nested table)."""
    page = ('<html><body><table><tr><td class="content"><div id="zoom"><table><tr><td>当事人</td><td>某银行</td></tr>'
            '<tr><td>处罚决定</td><td>罚款1万元</td></tr></table></div></td></tr></table></body></html>')
    content = parse_html(page).cssselect("#zoom")[0]
    assert [[cell.text for cell in row] for grid in grids(content) for row in grid] == [
        ["当事人", "某银行"], ["处罚决定", "罚款1万元"]]
    assert len(grids(parse_html(page))) == 1   # the whole page: its layout table, the 公示表 inside it


def test_a_character_reference_to_a_control_character_is_scrubbed_like_the_character():
    """The markup is scrubbed before it is parsed; 「&#27;」 names an escape character all the same, and the tree's
    text is scrubbed too (a vertical tab is a space, as scrub has it)."""
    root = parse_html("<table><tr><td>罚款&#27;50万元</td><td>当事人&#11;某银行</td></tr></table><p>警告&#1;</p>")
    assert [[cell.text for cell in row] for row in grids(root)[0]] == [["罚款50万元", "当事人某银行"]]
    assert lines(root) == ["罚款50万元", "当事人某银行", "警告"]


def test_a_line_holding_a_line_break_stays_one_line():
    """clean_lines normalises a page as one text; a line with a break of its own is still one line, as before."""
    assert clean_lines(["当事人：\n某银行", "罚款５０万元"]) == ["当事人：某银行", "罚款50万元"]


def test_pdf_text_labels_and_broken_lines():
    pdf = ["当当事事人人：中国工商银行股份有限", "公司成都分行，存在违规发放贷款行为", "。对其罚款人民币五十万元整，并",
           "责令改正。"]
    assert looks_like_pdf_text(pdf)
    assert clean_text_lines(pdf) == [
        "当事人：中国工商银行股份有限公司成都分行，存在违规发放贷款行为。对其罚款人民币五十万元整，并责令改正。"]
    assert not looks_like_pdf_text(["当事人：平安银行股份有限公司", "主要违法违规事实：贷后管理失职。", "罚款50万元。"])


def test_news_mentions_pair_targets_and_amounts_in_order():
    mentions = read_mentions("江苏银保监局对某农商行及其两家支行分别处以50万元、30万元和25万元罚款")
    assert [(m.authority, m.target, m.amount_yuan) for m in mentions] == [
        ("江苏银保监局", "某农商行", 500_000), ("江苏银保监局", "其两家支行", 300_000),
        ("江苏银保监局", "其两家支行", 250_000)]


def test_a_campaign_notice_reports_no_penalty():
    lines = ["关于开展银行业保险业侵害个人信息权益乱象专项整治工作的通知", "各银保监局：为切实保护消费者个人信息权益，现部署开展专项整治工作。"]
    assert read_mentions("".join(lines)) == []
    assert document_type(lines) == "notice"


def test_personal_information_subcategories():
    facts = "员工未经授权查询客户个人信息，并在个人电脑中明文存储"
    categories = categorise(facts)
    assert "个人信息保护" in categories
    assert set(subcategorise(categories, facts)) == {"个人信息保护/个人信息查询", "个人信息保护/个人信息存储和传输"}


def test_insurers_do_not_get_credit_categories_from_quoted_loans():
    facts = "签订补充协议，与《借款合同》中列明的贷款本金与利息之和不一致"
    assert "信贷业务" in categorise(facts)
    assert "信贷业务" not in categorise(facts, institution_types={"财产险公司"})


def entities(annotated: str) -> tuple[str, list[tuple[str, str]]]:
    """「对<ORG>某银行</ORG>罚款」 → the plain text and [(text, label)]."""
    found = [(m[2], m[1]) for m in re.finditer(r"<(\w+)>(.*?)</\1>", annotated)]
    return re.sub(r"</?\w+>", "", annotated), found


@pytest.mark.parametrize("annotated", [
    "<REGULATOR>崇左银保监分局</REGULATOR>对<ORG>中国工商银行股份有限公司崇左分行</ORG>罚款<MONEY>人民币50万元</MONEY>",
    "根据<LAW>《中华人民共和国保险法》第一百七十一条</LAW>，对<PERSON>张雄师</PERSON>警告并罚款<MONEY>10万元</MONEY>。",
    "<DATE>2018年6月28日</DATE>，<REGULATOR>国家金融监督管理总局山东监管局</REGULATOR>对<PERSON>张某</PERSON>警告",
    "<GPE>浙江省</GPE><GPE>衢州市</GPE>的<ORG>浙江常山农村商业银行股份有限公司</ORG>",
])
def test_entities_inline(annotated):
    text, expected = entities(annotated)
    doc = analyse(text)
    assert [(e.text, e.label_) for e in doc.ents] == expected


def test_money_entity_carries_yuan():
    doc = analyse("罚款人民币叁拾万元")
    assert [(e.label_, e._.yuan) for e in doc.ents] == [("MONEY", 300_000)]


def test_declared_abbreviations_are_entities_too():
    # 「太平财产保险有限公司（以下简称太平财险）」: no suffix rule catches 太平财险, the declaration does
    text = "我会对太平财产保险有限公司（以下简称太平财险）涉嫌违法一案进行了调查。经查，太平财险存在违法行为。时任太平财险责信险部总经理张雄师"
    doc = analyse(text, (("太平财产保险有限公司", "ORG"), ("太平财险", "ORG"), ("张雄师", "PERSON")))
    assert [(e.text, e.label_) for e in doc.ents if e.label_ in ("ORG", "PERSON")] == [
        ("太平财产保险有限公司", "ORG"), ("太平财险", "ORG"), ("太平财险", "ORG"), ("太平财险", "ORG"),
        ("张雄师", "PERSON")]


def test_the_pipeline_describes_its_rules_in_its_config():
    # spaCy's own account of the pipeline: each component's factory, the data its rules come from, what it writes
    from nlp.entities import PIPES
    from nlp.spacy_pipeline import regkb_nlp

    nlp = regkb_nlp()
    assert nlp.pipe_names == list(PIPES)
    components = nlp.config["components"]
    assert components["regkb_org"]["patterns"] == "entities.yaml#ORG"
    assert components["regkb_gpe"]["gazetteer"] == "regions.csv"
    assert all(nlp.get_pipe_meta(name).assigns for name in PIPES)
    assert nlp.get_pipe_meta("regkb_entities").assigns == ["doc.ents"]


def test_entities_after_a_character_that_folds_longer_are_the_characters_a_person_sees():
    # NFKC makes 「㈠」 three characters, 「㎡」 two: a LAW, MONEY or DATE found in the folded text is placed back
    text = "㈠根据《中华人民共和国银行业监督管理法》第四十六条，罚款５０万元；㎡，2018年6月28日"
    assert [(e.text, e.label) for e in find_entities(text)] == [
        ("《中华人民共和国银行业监督管理法》第四十六条", "LAW"), ("５０万元", "MONEY"), ("2018年6月28日", "DATE")]
    assert [(e.text, e.label_) for e in analyse(text).ents] == [
        ("《中华人民共和国银行业监督管理法》第四十六条", "LAW"), ("５０万元", "MONEY"), ("2018年6月28日", "DATE")]


def test_a_space_is_never_the_edge_of_an_entity():
    assert trimmed("罚款 50万元\n", [(2, 8, {})]) == [(3, 7, {})]
    assert trimmed("  ", [(0, 2, {})]) == []


def test_of_overlapping_candidates_the_longest_in_characters_wins():
    # an ORG of 16 characters over the GPE 成都 inside it; then two spans of one length: the earlier one
    assert resolve([(3, 5, "GPE", None), (0, 16, "ORG", None)]) == [(0, 16, "ORG", None)]
    assert resolve([(4, 8, "ORG", None), (2, 6, "PERSON", None)]) == [(2, 6, "PERSON", None)]
    assert resolve([(2, 6, "ORG", None), (2, 6, "LAW", None)]) == [(2, 6, "LAW", None)]


def test_entities_read_without_segmenting_are_the_pipelines_on_every_gold_document():
    """find_entities (what extraction uses: no jieba, no Doc) and the spaCy pipeline's doc.ents agree, span for
    span, with the values MONEY and LAW carry, on the text of every gold document, dev and test."""
    import yaml

    from nlp.document import known_names
    from pipeline.evaluate import document_of, gold_sets
    from pipeline.files import analyse_path

    compared = 0
    # every annotated document, its own or one the repository holds elsewhere (named by path)
    paths = sorted({document_of(folder, annotation) for folder in gold_sets(GOLD).values()
                    for listed in folder.glob("*.yaml") for annotation in yaml.safe_load(listed.read_text("utf-8"))})
    for path in paths:
        for analysis in analyse_path(path):
            known = known_names(analysis.decision) if analysis.decision else ()
            doc = analyse(analysis.text, known)
            assert [(e.text, e.label_, e.start_char, e.end_char, e._.yuan, e._.law, e._.article) for e in doc.ents] \
                == [(e.text, e.label, e.start, e.end, e.yuan, e.law, e.article)
                    for e in find_entities(analysis.text, known)], path
            compared += len(doc.ents)
    assert compared > 1000


def test_organisations_searched_in_the_lines_holding_their_words_are_those_of_the_whole_text():
    """ORG is searched only in the lines holding one of ORG_lines_holding (nlp/data/entities.yaml): on the text of
    every gold document, dev and held-out, and of every demo answer, that finds what searching everything finds."""
    from nlp.entities import COMPONENTS, OrgComponent, make_component
    from pipeline.files import analyse_path

    gated = make_component("regkb_org")
    whole = OrgComponent([pattern.pattern for pattern in gated.patterns])
    assert gated.holding is not None and whole.holding is None
    texts = [analysis.text for folder in (GOLD / "dev" / "documents", GOLD / "test" / "documents",
                                          ROOT / "sources" / "nfra" / "demo" / "documents")
             for path in sorted(folder.iterdir()) for analysis in analyse_path(path)]
    assert len(texts) > 100 and "lines_holding" in COMPONENTS["regkb_org"][0]
    found = [gated.scan(text) for text in texts]
    assert found == [whole.scan(text) for text in texts]
    assert sum(map(len, found)) > 300


def test_a_measure_is_read_as_a_decision_and_fines_no_one():
    """A 监管措施 decision (its list says what it is) is read whatever its wording, and the 罚款 its text recalls
    is not its sanction."""
    from nlp.document import analyse_decisions
    from nlp.records import Decision

    base = Decision(source="csrc", doc_id="m1", doc_format="fulltext", kind="measure")
    lines = ["关于对某某证券股份有限公司采取出具警示函措施的决定", "当事人：某某证券股份有限公司",
             "经查，你公司曾因违规于2020年被罚款50万元，现又存在未按规定履行客户身份识别义务的问题。",
             "根据《证券期货市场监督管理措施实施办法》第八条的规定，我局决定对你公司采取出具警示函的监督管理措施。"]
    analysis, = analyse_decisions(base, text_lines=lines)
    decision = analysis.decision
    assert decision is not None and decision.kind == "measure"
    assert decision.total_fine_yuan is None and decision.total_penalty_yuan is None
    assert {s.type for party in decision.parties for s in party.sanctions} == {"warning_letter"}


def test_folding_is_nfkc_on_every_gold_document_and_on_characters_that_compose():
    # fold replaces the full-width punctuation it knows before testing for NFKC (nlp/text.py): the result must be
    # NFKC's own, whatever follows such a character (a combining mark, a ligature, a circled or squared form)
    import unicodedata

    from nlp.text import fold

    texts = [path.read_text("utf-8", "replace") for path in sorted((GOLD / "dev" / "documents").iterdir())]
    texts += ["Ａ\u0301，（一）①㈠㎡ﬁ Ⅻ½\u3000\u2002\xa0５０％", "，\u0301", "（\u0338", "e\u0301\u0327", ""]
    assert texts and all(fold(text) == unicodedata.normalize("NFKC", text) for text in texts)
